# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer page over HTTP: who sees what."""

from datetime import date

from odoo.tests import tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestDunningPortalPage(PortalCommon):
    def test_portal_user_sees_its_own_dues(self):
        self.authenticate("dubois_portal", "dubois_portal")
        response = self._get("/my/dues")
        self.assertEqual(response.status_code, 200)
        page = response.text
        for invoice in (self.late, self.recent, self.future):
            self.assertIn(invoice.name, page)
        self.assertNotIn(self.rival_invoice.name, page)
