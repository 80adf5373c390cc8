# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two customers, each with a portal user, for the customer page's HTTP tests."""

import re
from datetime import date

from odoo.tests import HttpCase, freeze_time, new_test_user

from .common import TODAY, DunningCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class PortalCommon(DunningCommon, HttpCase):
    """``customer`` (Dubois SARL) and ``rival`` (Martin SA), each with a contact who
    has a portal account (``dubois_portal``, ``martin_portal``, password = login),
    and open invoices: the customer's are ``late`` (1,000.00 due 2024-05-01),
    ``recent`` (600.00 due 2024-06-15) and ``future`` (400.00 due 2024-08-01); the
    rival's ``rival_invoice`` (700.00 due 2024-05-15). Today is 2024-07-01."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rival = cls._customer("Martin SA")
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Claire Dubois",
                "parent_id": cls.customer.id,
                "email": "claire@dubois.example.com",
            }
        )
        cls.rival_contact = cls.env["res.partner"].create(
            {
                "name": "Paul Martin",
                "parent_id": cls.rival.id,
                "email": "paul@martin.example.com",
            }
        )
        cls.portal_user = cls._portal_user("dubois_portal", cls.contact)
        cls.rival_user = cls._portal_user("martin_portal", cls.rival_contact)
        cls.late = cls._invoice(cls.customer, 1000.0, date(2024, 5, 1))
        cls.recent = cls._invoice(cls.customer, 600.0, date(2024, 6, 15))
        cls.future = cls._invoice(cls.customer, 400.0, date(2024, 8, 1))
        cls.rival_invoice = cls._invoice(cls.rival, 700.0, date(2024, 5, 15))

    @classmethod
    def _portal_user(cls, login, contact):
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups="base.group_portal",
            partner_id=contact.id,
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )

    def setUp(self):
        super().setUp()
        # The server's thread sees the same day as the test.
        self.enterContext(freeze_time(TODAY))

    # ------------------------------------------------------------ helpers

    def _get(self, url, **kwargs):
        return self.url_open(
            url, allow_redirects=kwargs.pop("allow_redirects", True), **kwargs
        )

    def _csrf(self, url="/my/dues"):
        """The CSRF token of the page's forms, for the current session."""
        response = self.url_open(url)
        found = CSRF_RE.search(response.text)
        self.assertTrue(found, "the page has a form with a CSRF token")
        return found.group(1)

    def _post(self, url, data, csrf=True, files=None, page="/my/dues"):
        data = dict(data)
        if csrf:
            data["csrf_token"] = self._csrf(page)
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _token(self, partner=None, company=None, expiry=None):
        return self.env["account.dunning.portal"]._make_token(
            partner or self.customer, company or self.company, expiry
        )
