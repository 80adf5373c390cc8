# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer page in Chromium: from a reminder's link, a dispute, a promise and a
payment with Odoo's demo provider; then what the finance team sees."""

import re
from datetime import date

from odoo.tests import tagged

from .common import TODAY
from .test_dunning_portal_payment import DunningPaymentCommon

LINK_RE = re.compile(r'href="(https?://[^"]*/my/dues\?[^"]*)"')


@tagged("post_install", "-at_install")
class TestDunningPortalTour(DunningPaymentCommon):
    """Dubois SARL owes ``late`` (1,000.00, due 2024-05-01), ``recent`` (600.00, due
    2024-06-15), ``third`` (300.00, due 2024-06-01) and ``future`` (400.00, due
    2024-08-01); today is 2024-07-01. Its contact Claire Dubois has a portal account
    and receives the reminders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.third = cls._invoice(cls.customer, 300.0, date(2024, 6, 1))
        # The reminders go to the invoicing contact, who has a portal account.
        cls.contact.type = "invoice"

    def test_portal_tour(self):
        run = self._run(TODAY)
        reminders = self._sent(run, self.customer).filtered(
            lambda action: action.channel == "email"
        )
        self.assertTrue(reminders, "the customer got its reminder")
        body = str(reminders[0].mail_id.body_html or reminders[0].mail_id.body)
        self.assertIn("See and settle your account", body)
        links = LINK_RE.findall(body)
        self.assertTrue(links, "the reminder links to the customer page")
        link = links[0].replace("&amp;", "&")
        path = link[link.index("/my/dues") :]
        third_reminded = self.third.line_ids.filtered("dunning_level_id")
        self.assertTrue(third_reminded, "the third invoice was reminded")

        self.start_tour(path, "account_dunning_portal_tour", login="dubois_portal")

        # The finance side: the dispute, the promise, the payment.
        dispute = self.env["account.dunning.dispute"].search(
            [("move_id", "=", self.late.id)]
        )
        self.assertRecordValues(
            dispute,
            [
                {
                    "state": "open",
                    "reason": "quality",
                    "source": "portal",
                    "amount": 1000.0,
                    "description": "Two boxes arrived broken",
                    "partner_id": self.customer.id,
                }
            ],
        )
        self.assertTrue(dispute.activity_ids, "its owner has the activity")
        self.assertFalse(dispute.user_id.share, "owned by an internal user")
        promise = self.env["account.dunning.promise"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertRecordValues(
            promise,
            [
                {
                    "state": "open",
                    "source": "portal",
                    "amount": 600.0,
                    "date": date(2024, 7, 15),
                }
            ],
        )
        self.assertEqual(promise.move_ids, self.recent)
        self.assertEqual(self.late.dunning_hold, "dispute")
        self.assertEqual(self.recent.dunning_hold, "promise")
        self.assertIn(self.third.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.third.amount_residual, 0.0)
        transaction = self.third.transaction_ids
        self.assertEqual(transaction.state, "done")
        self.assertEqual(transaction.amount, 300.0)
        # Its reminders stopped: the next run lists none of the three invoices.
        later = self._run(date(2024, 7, 8), execute=False)
        listed = later.line_ids.move_line_id.move_id
        self.assertFalse(listed & (self.late | self.recent | self.third), listed)
