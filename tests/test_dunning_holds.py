# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon

DUE = TODAY - timedelta(days=10)


@tagged("post_install", "-at_install")
class TestDunningHolds(DunningCommon):
    """Holds come through one extension point, at planning and at execution."""

    def setUp(self):
        super().setUp()
        self.held = self._customer("Litige SA")
        self.invoice = self._invoice(self.customer, 100.0, DUE)
        self.held_invoice = self._invoice(self.held, 100.0, DUE)
        Eligibility = type(self.env["account.dunning.eligibility"])
        original = Eligibility._hold_reasons
        held = self.held

        def hold_one(model, company, partner_ids, on_date, reviewed=None):
            reasons = original(model, company, partner_ids, on_date, reviewed=reviewed)
            if held.id in partner_ids:
                reasons[held.id] = "Invoice disputed"
            return reasons

        self.hold = patch.object(Eligibility, "_hold_reasons", hold_one)

    def test_held_customer_is_not_proposed(self):
        with self.hold:
            run = self._run(TODAY)
        self.assertEqual(run.line_ids.partner_id, self.customer)
        self.assertEqual(self._sent(run).partner_id, self.customer)
        self.assertFalse(self.held_invoice.dunning_level_id)

    def test_hold_after_the_compute_is_honoured_at_execution(self):
        run = self._run(TODAY, execute=False)
        self.assertEqual(run.line_ids.partner_id, self.customer | self.held)
        with self.hold, freeze_time(TODAY):
            run.with_user(self.invoice_user).action_execute()
        line = run.line_ids.filtered(lambda line: line.partner_id == self.held)
        self.assertEqual((line.state, line.reason), ("skipped", "Invoice disputed"))
        trace = run.sudo().action_ids.filtered(
            lambda action: action.partner_id == self.held
        )
        self.assertEqual(trace.state, "skipped")
        self.assertEqual(trace.reason, "Skipped, on hold: Invoice disputed")
        self.assertFalse(self.held_invoice.dunning_level_id)
        self.assertEqual(self.invoice.dunning_level_id, self.level_1)
        self.assertEqual(run.state, "done")
