from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon

DUE = TODAY - timedelta(days=10)


@tagged("post_install", "-at_install")
class TestDunningHoldAccess(DunningCommon):
    """What an invoicing user must not do to the holds over RPC, and the states
    that follow the invoice."""

    def _promise(self, moves, days=5, **values):
        with freeze_time(TODAY):
            return (
                self.env["account.dunning.promise"]
                .with_user(self.invoice_user)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "move_ids": [Command.set(moves.ids)],
                        "date": TODAY + timedelta(days=days),
                        **values,
                    }
                )
            )

    def _dispute(self, move, amount=None):
        vals = {"move_id": move.id, "reason": "price"}
        if amount is not None:
            vals["amount"] = amount
        with freeze_time(TODAY):
            return (
                self.env["account.dunning.dispute"]
                .with_user(self.invoice_user)
                .create(vals)
            )

    def _draft_plan(self, moves):
        with freeze_time(TODAY):
            plan = (
                self.env["account.dunning.plan"]
                .with_user(self.invoice_user)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "move_ids": [Command.set(moves.ids)],
                    }
                )
            )
            plan.action_fill_instalments(2, TODAY + timedelta(days=10))
        return plan

    def test_promise_invoices_and_days_are_fixed(self):
        big = self._invoice(self.customer, 1000.0, DUE)
        small = self._invoice(self.customer, 100.0, DUE)
        promise = self._promise(big)
        user_promise = promise.with_user(self.invoice_user)
        with self.assertRaises(UserError):
            user_promise.write({"move_ids": [Command.set(small.ids)], "amount": 100.0})
        with self.assertRaises(AccessError):
            user_promise.write({"grace_until": TODAY + timedelta(days=400)})
        with self.assertRaises(AccessError):
            user_promise.write({"reconcile_mark": promise.reconcile_mark + 5})
        self.assertEqual(promise.move_ids, big)
        self.assertEqual(promise.grace_until, TODAY + timedelta(days=8))
        dispute = self._dispute(small)
        with self.assertRaises(AccessError):
            dispute.with_user(self.invoice_user).write(
                {"partner_id": self._customer("Autre SA").id}
            )
        self.assertEqual(dispute.partner_id, self.customer)

    def test_two_plans_on_one_invoice_at_once(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        first, second = self._draft_plan(invoice), self._draft_plan(invoice)
        with freeze_time(TODAY), self.assertRaises(ValidationError):
            (first | second).with_user(self.invoice_user).action_activate()
        self.assertEqual((first | second).mapped("state"), ["draft", "draft"])
        with freeze_time(TODAY), self.assertRaises(ValidationError):
            self._promise(invoice) | self._promise(invoice)

    def test_active_plan_schedule_and_tolerance(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        other = self._invoice(self.customer, 50.0, DUE)
        plan = self._draft_plan(invoice)
        draft = self._draft_plan(other)
        with freeze_time(TODAY):
            plan.with_user(self.invoice_user).action_activate()
        with self.assertRaises(UserError):
            draft.line_ids[0].with_user(self.invoice_user).write({"plan_id": plan.id})
        self.assertEqual(len(plan.line_ids), 2)
        with self.assertRaises(AccessError):
            plan.with_user(self.invoice_user).tolerance_days = 99999
        plan.with_user(self.dunning_manager).tolerance_days = 30
        self.assertEqual(plan.tolerance_days, 30)

    def test_dispute_note_is_not_sent_to_the_customer(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        invoice.invoice_user_id = self.dunning_manager
        invoice.message_subscribe(self.customer.ids)
        self._dispute(invoice)
        message = invoice.message_ids[0]
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn(self.dunning_manager.partner_id, message.notified_partner_ids)
        self.assertNotIn(self.customer, message.notified_partner_ids)

    def test_dispute_amount_change_moves_the_hold(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        dispute = self._dispute(invoice, amount=100.0)
        self.assertFalse(invoice.dunning_hold)
        dispute.with_user(self.invoice_user).amount = 1000.0
        self.assertEqual(invoice.dunning_hold, "dispute")
        self.assertEqual(invoice.dunning_disputed_amount, 1000.0)
        dispute.with_user(self.invoice_user).amount = 1.0
        self.assertFalse(invoice.dunning_hold)

    def test_invoice_reset_to_draft_cancels_its_dispute(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        dispute = self._dispute(invoice)
        invoice.button_draft()
        self.assertEqual(dispute.state, "cancelled")
        self.assertFalse(invoice.dunning_hold)
        self.assertFalse(invoice.dunning_disputed)

    def test_a_credit_note_does_not_keep_a_promise(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        promise = self._promise(invoice)
        refund = self._invoice(self.customer, 1000.0, DUE, move_type="out_refund")
        with freeze_time(TODAY + timedelta(days=1)):
            (invoice | refund).line_ids.filtered(
                lambda line: line.account_type == "asset_receivable"
            ).reconcile()
        self.assertIn(invoice.payment_state, ("paid", "reversed"))
        self.assertEqual(promise.state, "open")
        self.assertEqual(promise.paid_amount, 0.0)

    def test_lower_amount_already_paid_keeps_the_promise(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        promise = self._promise(invoice)
        with freeze_time(TODAY + timedelta(days=1)):
            self._pay(invoice, 400.0, TODAY + timedelta(days=1))
            self.assertEqual(promise.state, "open")
            promise.with_user(self.invoice_user).amount = 400.0
        self.assertEqual(promise.state, "kept")
        self.assertEqual(promise.paid_amount, 400.0)

    def test_not_late_search(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        dispute = self._dispute(invoice)
        Dispute = self.env["account.dunning.dispute"]
        with freeze_time(date(2024, 7, 2)):
            self.assertIn(dispute, Dispute.search([("is_late", "=", False)]))
        with freeze_time(date(2024, 8, 1)):
            self.assertNotIn(dispute, Dispute.search([("is_late", "=", False)]))
            self.assertIn(dispute, Dispute.search([("is_late", "!=", False)]))
