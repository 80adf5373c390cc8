from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon, company_user

DUE = TODAY - timedelta(days=10)  # 10 days late: the first reminder (7 days) is due


@tagged("post_install", "-at_install")
class TestDunningDisputes(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = company_user(
            cls.env,
            "dispute_salesperson",
            "sales_team.group_sale_salesman",
            cls.company,
            email="sales@company-a.test",
        )
        cls.Dispute = cls.env["account.dunning.dispute"].with_user(cls.invoice_user)

    def _open(self, invoice, amount=None, reason="price", **values):
        vals = {"move_id": invoice.id, "reason": reason, **values}
        if amount is not None:
            vals["amount"] = amount
        with freeze_time(TODAY):
            return self.Dispute.create(vals)

    def _proposed(self, run):
        return run.line_ids.move_id

    def test_open_dispute_defaults_badge_activity_and_trace(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        invoice.invoice_user_id = self.salesperson
        dispute = self._open(invoice, reason="quality")
        self.assertEqual(dispute.partner_id, self.customer)
        self.assertEqual(dispute.amount, 1000.0, "by default the whole amount due")
        self.assertEqual(dispute.user_id, self.salesperson, "the salesperson owns it")
        # Opened on 1 July + 15 days (the policy's default).
        self.assertEqual(dispute.deadline, TODAY + timedelta(days=15))
        self.assertTrue(invoice.dunning_disputed)
        self.assertEqual(invoice.dunning_disputed_amount, 1000.0)
        self.assertEqual(invoice.dunning_hold, "dispute")
        activity = dispute.activity_ids
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertEqual(activity.date_deadline, dispute.deadline)
        told = invoice.message_ids.filtered(
            lambda message: self.salesperson.partner_id in message.partner_ids
        )
        self.assertTrue(told, "the salesperson is told in the invoice's chatter")
        trace = self.env["account.dunning.action"].search(
            [("partner_id", "=", self.customer.id), ("channel", "=", "dispute")]
        )
        self.assertEqual(len(trace), 1)
        self.assertIn(invoice.name, trace.reason)
        self.assertIn(invoice.name, self.customer.message_ids[0].body)
        # The owner by default is who opens it when the invoice has no salesperson.
        other = self._invoice(self.customer, 50.0, DUE)
        other.invoice_user_id = False
        self.assertEqual(self._open(other).user_id, self.invoice_user)

    def test_policy_days_by_reason(self):
        self.policy.write(
            {
                "dispute_days": 20,
                "dispute_delay_ids": [(0, 0, {"reason": "delivery", "days": 5})],
            }
        )
        first = self._open(self._invoice(self.customer, 100.0, DUE), reason="delivery")
        second = self._open(self._invoice(self.customer, 100.0, DUE), reason="price")
        self.assertEqual(first.deadline, TODAY + timedelta(days=5))
        self.assertEqual(second.deadline, TODAY + timedelta(days=20))

    def test_disputed_invoice_is_skipped_by_the_run_and_reminded_after_rejection(self):
        disputed = self._invoice(self.customer, 1000.0, DUE)
        other = self._invoice(self.customer, 200.0, DUE)
        dispute = self._open(disputed)
        run = self._run(TODAY)
        self.assertEqual(self._proposed(run), other)
        self.assertFalse(disputed.dunning_level_id)
        with freeze_time(TODAY + timedelta(days=2)):
            dispute.with_user(self.invoice_user).action_reject(
                "The goods were delivered: signed delivery note."
            )
        self.assertEqual(dispute.state, "rejected")
        self.assertEqual(dispute.resolution_date, TODAY + timedelta(days=2))
        self.assertFalse(disputed.dunning_disputed)
        self.assertFalse(disputed.dunning_hold)
        # Resolved on 3 July + 7 grace days: not before 10 July.
        self.assertEqual(disputed.dunning_resume_date, TODAY + timedelta(days=9))
        self.assertNotIn(disputed, self._proposed(self._run(TODAY + timedelta(days=8))))
        run = self._run(TODAY + timedelta(days=9))
        self.assertIn(disputed, self._proposed(run))
        self.assertEqual(disputed.dunning_level_id, self.level_1)
        # The customer's trace tells it: opened, rejected.
        reasons = (
            self.env["account.dunning.action"]
            .search(
                [("partner_id", "=", self.customer.id), ("channel", "=", "dispute")]
            )
            .mapped("reason")
        )
        self.assertEqual(len(reasons), 2)
        self.assertTrue(any("rejected" in reason for reason in reasons))

    def test_dispute_after_the_compute_is_skipped_at_execution(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        run = self._run(TODAY, execute=False)
        self.assertEqual(self._proposed(run), invoice)
        self._open(invoice)
        with freeze_time(TODAY):
            run.with_user(self.invoice_user).action_execute()
        self.assertEqual(run.line_ids.state, "skipped")
        self.assertIn("Disputed", run.line_ids.reason)
        self.assertFalse(invoice.dunning_level_id)
        self.assertFalse(self._sent(run))

    def test_partial_dispute_claims_the_undisputed_part(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        self._open(invoice, amount=300.0)
        self.assertTrue(invoice.dunning_disputed)
        self.assertFalse(invoice.dunning_hold, "a partial dispute leaves it dunned")
        run = self._run(TODAY)
        action = self._sent(run)
        self.assertEqual(action.move_ids, invoice)
        # 1,000.00 due, 300.00 disputed: the reminder claims 700.00.
        self.assertEqual(action.amount, 700.0)
        line = action._get_report_lines()[0]
        self.assertEqual(line["residual_value"], 700.0)
        self.assertIn("300.00", line["disputed"])
        self.assertIn("700.00", line["amount_residual"])
        self.assertIn("300.00", action.report_table_html)

    def test_partial_dispute_held_in_full_after_a_payment(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        self._open(invoice, amount=300.0)
        self._pay(invoice, 700.0, TODAY)
        self.assertEqual(invoice.amount_residual, 300.0)
        self.assertEqual(
            invoice.dunning_hold, "dispute", "all that is left is disputed"
        )
        self.assertFalse(self._proposed(self._run(TODAY)))

    def test_no_penalties_billed_on_a_disputed_invoice(self):
        self.policy.penalty_bill_level_id = self.level_1
        invoice = self._invoice(self.customer, 1000.0, TODAY - timedelta(days=60))
        self._open(invoice)
        with freeze_time(TODAY), self.assertRaises(UserError):
            invoice.with_user(self.invoice_user).action_dunning_bill_penalties()
        self.assertFalse(invoice.sudo().dunning_penalty_ids)
        with freeze_time(TODAY):
            invoice.invalidate_recordset()
            # The interest keeps accruing, so that a rejected dispute loses nothing.
            self.assertGreater(invoice.dunning_interest_amount, 0.0)
        # A partial dispute: its invoice's penalties wait too, even at the billing
        # level reached by its reminder.
        partial = self._invoice(self.customer, 500.0, TODAY - timedelta(days=10))
        self._open(partial, amount=100.0)
        run = self._run(TODAY)
        self.assertEqual(self._proposed(run), partial)
        self.assertFalse(partial.sudo().dunning_penalty_ids)

    def test_accept_with_a_credit_note(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        dispute = self._open(invoice, amount=250.0, reason="quantity")
        with freeze_time(TODAY):
            dispute.with_user(self.invoice_user).action_accept(credit_note=True)
        refund = dispute.credit_note_id
        self.assertEqual(dispute.state, "accepted")
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "draft")
        self.assertEqual(refund.reversed_entry_id, invoice)
        # 1,000.00 x 250 / 1,000 = 250.00
        self.assertEqual(refund.amount_total, 250.0)
        self.assertEqual(refund.invoice_line_ids.price_unit, 250.0)
        self.assertEqual(refund.dunning_credit_note_kind, "correction")
        self.assertFalse(invoice.dunning_disputed)
        self.assertFalse(dispute.activity_ids, "the owner's to-do is done")
        # Without a credit note.
        other = self._open(self._invoice(self.customer, 100.0, DUE))
        with freeze_time(TODAY):
            other.with_user(self.invoice_user).action_accept()
        self.assertFalse(other.credit_note_id)

    def test_credit_note_pro_rata_with_taxes(self):
        tax = self.company_data["default_tax_sale"]
        invoice = self._invoice(self.customer, 1000.0, DUE, post=False)
        invoice.invoice_line_ids.tax_ids = tax
        invoice.action_post()
        # 1,000.00 + the sale tax; dispute of a fifth of the total.
        amount = invoice.currency_id.round(invoice.amount_total / 5)
        dispute = self._open(invoice, amount=amount)
        with freeze_time(TODAY):
            dispute.with_user(self.invoice_user).action_accept(credit_note=True)
        self.assertEqual(dispute.credit_note_id.amount_total, amount)
        self.assertEqual(dispute.credit_note_id.invoice_line_ids.tax_ids, tax)

    def test_cancel_is_for_managers(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        dispute = self._open(invoice)
        with self.assertRaises(AccessError):
            dispute.with_user(self.invoice_user).action_cancel()
        dispute.with_user(self.dunning_manager).action_cancel()
        self.assertEqual(dispute.state, "cancelled")
        self.assertFalse(invoice.dunning_hold)
        self.assertFalse(invoice.dunning_resume_date, "no grace after a mistake")

    def test_bad_input_changes_nothing(self):
        open_invoice = self._invoice(self.customer, 1000.0, DUE)
        draft = self._invoice(self.customer, 100.0, DUE, post=False)
        refund = self._invoice(self.customer, 100.0, DUE, move_type="out_refund")
        paid = self._invoice(self.customer, 100.0, DUE)
        self._pay(paid, 100.0, TODAY)
        cancelled = self._invoice(self.customer, 100.0, DUE)
        cancelled.button_draft()
        cancelled.button_cancel()
        cases = [
            (draft, None, "not posted"),
            (refund, None, "Only customer invoices"),
            (paid, None, "nothing left to pay"),
            (cancelled, None, "not posted"),
            (open_invoice, 0.0, "above zero"),
            (open_invoice, -5.0, "above zero"),
            (open_invoice, 1000.01, "cannot be above"),
        ]
        for move, amount, message in cases:
            with self.subTest(move=move.name, amount=amount):
                vals = {"move_id": move.id, "reason": "price"}
                if amount is not None:
                    vals["amount"] = amount
                with self.assertRaisesRegex(ValidationError, message):
                    self.Dispute.create(vals)
        self.assertFalse(self.Dispute.search([]))
        self.assertFalse(open_invoice.dunning_disputed)
        dispute = self._open(open_invoice, amount=100.0)
        with self.assertRaisesRegex(ValidationError, "already under an open dispute"):
            self._open(open_invoice, amount=50.0)
        with self.assertRaisesRegex(ValidationError, "cannot be above"):
            dispute.with_user(self.invoice_user).amount = 2000.0
        self.assertEqual(dispute.amount, 100.0)
        with freeze_time(TODAY):
            dispute.with_user(self.invoice_user).action_reject("Delivered.")
        for resolve in (
            lambda record: record.action_accept(),
            lambda record: record.action_reject("Again"),
        ):
            with self.assertRaisesRegex(UserError, "already closed"):
                resolve(dispute.with_user(self.invoice_user))
        with self.assertRaises(UserError):
            dispute.with_user(self.dunning_manager).action_cancel()
        self.assertEqual(dispute.state, "rejected")
        self.assertEqual(dispute.resolution_note, "Delivered.")
        other = self._open(self._invoice(self.customer, 100.0, DUE))
        with self.assertRaisesRegex(UserError, "Say why"):
            other.with_user(self.invoice_user).action_reject("  ")
        self.assertEqual(other.state, "open")

    def test_engine_state_is_refused_to_users(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        dispute = self._open(invoice)
        for vals in (
            {"state": "accepted"},
            {"resolution_date": TODAY},
            {"credit_note_id": invoice.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                dispute.with_user(self.invoice_user).write(vals)
        for vals in (
            {"dunning_hold": False},
            {"dunning_disputed": False},
            {"dunning_disputed_amount": 0.0},
            {"dunning_resume_date": TODAY},
            {"dunning_escalate": True},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                invoice.with_user(self.invoice_user).write(vals)
        with self.assertRaises(AccessError):
            self.Dispute.create(
                {"move_id": invoice.id, "reason": "price", "state": "rejected"}
            )
        with self.assertRaises(UserError):
            dispute.with_user(self.invoice_user).write({"move_id": invoice.id + 1})
        with self.assertRaises(UserError):
            dispute.with_user(self.dunning_manager).unlink()
        self.assertEqual(dispute.state, "open")
        self.assertEqual(invoice.dunning_hold, "dispute")

    def test_access_salesman_and_other_company(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        invoice.invoice_user_id = self.salesperson
        with self.assertRaises(AccessError):
            self.env["account.dunning.dispute"].with_user(self.salesperson).create(
                {"move_id": invoice.id, "reason": "price"}
            )
        dispute = self._open(invoice)
        with self.assertRaises(AccessError):
            dispute.with_user(self.salesperson).action_reject("No")
        # The badge is for everyone who reads the invoice.
        self.assertTrue(invoice.with_user(self.salesperson).dunning_disputed)
        company_b = self.setup_other_company(name="Company B")["company"]
        user_b = company_user(
            self.env, "dispute_user_b", "account.group_account_invoice", company_b
        )
        Dispute_b = self.env["account.dunning.dispute"].with_user(user_b)
        self.assertFalse(Dispute_b.search([]))
        with self.assertRaises(AccessError):
            dispute.with_user(user_b).read(["state"])
        with self.assertRaises(AccessError):
            Dispute_b.create({"move_id": invoice.id, "reason": "price"})
        with self.assertRaises(AccessError):
            dispute.with_user(user_b).action_reject("No")
        self.assertEqual(dispute.state, "open")

    def test_late_dispute_gets_the_managers_activity_once(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        dispute = self._open(invoice)
        self.policy.dispute_manager_id = self.dunning_manager
        engine = self.env["account.dunning.hold.engine"]
        with freeze_time(dispute.deadline):
            self.assertFalse(
                engine._notify_late_disputes(self.company, dispute.deadline)
            )
        later = dispute.deadline + timedelta(days=1)
        with freeze_time(later):
            self.assertEqual(engine._notify_late_disputes(self.company, later), dispute)
            self.assertFalse(engine._notify_late_disputes(self.company, later))
            self.assertTrue(dispute.is_late)
            self.assertIn(
                dispute,
                self.env["account.dunning.dispute"].search([("is_late", "=", True)]),
            )
        manager_activity = dispute.activity_ids.filtered(
            lambda activity: activity.user_id == self.dunning_manager
        )
        self.assertEqual(len(manager_activity), 1)
