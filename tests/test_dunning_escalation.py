# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The escalation's records together: proceedings refuse a hand-off, a hand-off and
proceedings open the doubtful-receivable dialog on their invoices."""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import TODAY
from .test_dunning_handoffs import HandoffCommon

DUE = date(2024, 5, 1)
JUDGMENT = date(2024, 6, 1)


@tagged("post_install", "-at_install")
class TestDunningEscalation(HandoffCommon):
    def _proceedings(self, kind="liquidation"):
        return (
            self.env["account.dunning.insolvency"]
            .with_user(self.dunning_manager)
            .create(
                {
                    "partner_id": self.customer.id,
                    "kind": kind,
                    "judgment_date": JUDGMENT,
                    "court": "Tribunal de commerce de Lyon",
                }
            )
        )

    @freeze_time(TODAY)
    def test_proceedings_refuse_a_handoff(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        self._proceedings("receivership")
        self.assertEqual(self.customer.dunning_insolvency_date, JUDGMENT)
        with self.assertRaises(UserError) as err:
            self._handoff(invoice)
        self.assertIn("insolvency proceedings", str(err.exception))
        self.assertFalse(
            self.env["account.dunning.handoff"].search(
                [("partner_id", "=", self.customer.id)]
            )
        )
        self.assertFalse(invoice.dunning_handed_off)

    @freeze_time(TODAY)
    def test_liquidation_opens_the_doubtful_dialog_at_100(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        proceedings = self._proceedings()
        self.assertIn(invoice, proceedings.move_ids)
        action = proceedings.with_user(
            self.dunning_manager
        ).action_mark_doubtful_invoices()
        self.assertEqual(action["res_model"], "account.dunning.doubtful.wizard")
        wizard = (
            self.env["account.dunning.doubtful.wizard"]
            .with_user(self.dunning_manager)
            .with_context(**action["context"])
            .new({})
        )
        self.assertEqual(wizard.line_ids.move_id, invoice)
        self.assertEqual(wizard.line_ids.rate, 100.0, "a liquidation: all of it")

    @freeze_time(TODAY)
    def test_handoff_opens_the_doubtful_dialog_at_50(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        paid = self._invoice(self.customer, 300.0, DUE)
        handoff = self._handoff(invoice | paid)
        handoff.with_user(self.invoice_user).action_send()
        self._pay(paid, 300.0, TODAY)
        action = handoff.with_user(self.dunning_manager).action_mark_doubtful_invoices()
        wizard = (
            self.env["account.dunning.doubtful.wizard"]
            .with_user(self.dunning_manager)
            .with_context(**action["context"])
            .new({})
        )
        self.assertEqual(wizard.line_ids.move_id, invoice, "the paid one left out")
        self.assertEqual(wizard.line_ids.rate, 50.0)
        self._pay(invoice, 1000.0, TODAY)
        with self.assertRaises(UserError):
            handoff.with_user(self.dunning_manager).action_mark_doubtful_invoices()
