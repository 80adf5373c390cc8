from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon, company_user

DUE = TODAY - timedelta(days=10)  # 10 days late: the first reminder (7 days) is due


@tagged("post_install", "-at_install")
class TestDunningPromises(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Promise = cls.env["account.dunning.promise"].with_user(cls.invoice_user)

    def _promise(self, days=5, on_date=TODAY, **values):
        with freeze_time(on_date):
            return self.Promise.create(
                {
                    "partner_id": self.customer.id,
                    "date": on_date + timedelta(days=days),
                    "source": "phone",
                    **values,
                }
            )

    def _proposed(self, run):
        return run.line_ids.move_id

    def test_defaults_and_the_pause(self):
        first = self._invoice(self.customer, 600.0, DUE)
        second = self._invoice(self.customer, 400.0, DUE - timedelta(days=3))
        not_due = self._invoice(self.customer, 50.0, TODAY + timedelta(days=20))
        promise = self._promise()
        self.assertEqual(promise.move_ids, first | second, "its overdue invoices")
        self.assertNotIn(not_due, promise.move_ids)
        # 600.00 + 400.00 due.
        self.assertEqual(promise.amount, 1000.0)
        self.assertEqual(promise.residual_start, 1000.0)
        # Promised on 6 July + 3 grace days.
        self.assertEqual(promise.grace_until, TODAY + timedelta(days=8))
        self.assertEqual((first | second).mapped("dunning_hold"), ["promise"] * 2)
        self.assertFalse(self._proposed(self._run(TODAY)))
        self.assertEqual(
            self.customer.with_company(self.company).dunning_next_action_date,
            TODAY + timedelta(days=8),
            "the customer's next action date is the promise's last day",
        )
        self.assertFalse(self._proposed(self._run(TODAY + timedelta(days=8))))
        self.assertEqual(promise.state, "open")
        trace = self.env["account.dunning.action"].search(
            [("partner_id", "=", self.customer.id), ("channel", "=", "promise")]
        )
        self.assertEqual(len(trace), 1)

    def test_kept_on_reconciliation(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        promise = self._promise(amount=800.0)
        with freeze_time(TODAY + timedelta(days=2)):
            self._pay(invoice, 500.0, TODAY + timedelta(days=2))
            self.assertEqual(promise.state, "open")
            self.assertEqual(promise.paid_amount, 500.0)
            self._pay(invoice, 300.0, TODAY + timedelta(days=2))
        # 500.00 + 300.00 = the 800.00 promised.
        self.assertEqual(promise.state, "kept")
        self.assertEqual(promise.paid_amount, 800.0)
        self.assertEqual(promise.closed_date, TODAY + timedelta(days=2))
        self.assertFalse(invoice.dunning_hold)
        with freeze_time(TODAY + timedelta(days=2)):
            customer = self.customer.with_user(self.invoice_user)
            self.assertEqual(customer.dunning_promise_kept_count, 1)
            self.assertEqual(customer.dunning_promise_broken_count, 0)

    def test_broken_escalates_at_the_next_run_without_the_minimum_days(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        self._run(TODAY)
        self.assertEqual(invoice.dunning_level_id, self.level_1)
        promise = self._promise(days=2)
        # Promised for 3 July, paid by 6 July: 300.00 only.
        with freeze_time(TODAY + timedelta(days=1)):
            self._pay(invoice, 300.0, TODAY + timedelta(days=1))
        self.assertFalse(self._proposed(self._run(TODAY + timedelta(days=5))))
        self.assertEqual(promise.state, "open")
        # 7 July: broken. Level 2 (15 days late, 8 days after level 1) would wait
        # for 9 July: the broken promise makes it due now.
        run = self._run(TODAY + timedelta(days=6))
        self.assertEqual(promise.state, "broken")
        self.assertEqual(promise.paid_amount, 300.0)
        self.assertEqual(self._proposed(run), invoice)
        self.assertEqual(invoice.dunning_level_id, self.level_2)
        self.assertFalse(invoice.dunning_escalate, "escalated once")
        activity = promise.activity_ids
        self.assertEqual(activity.user_id, self.invoice_user)
        with freeze_time(TODAY + timedelta(days=6)):
            customer = self.customer.with_user(self.invoice_user)
            self.assertEqual(customer.dunning_promise_broken_count, 1)
        reasons = (
            self.env["account.dunning.action"]
            .search(
                [("partner_id", "=", self.customer.id), ("channel", "=", "promise")]
            )
            .mapped("reason")
        )
        self.assertTrue(any("broken" in reason for reason in reasons))

    def test_the_cron_breaks_a_promise(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        promise = self._promise(days=1)
        later = TODAY + timedelta(days=5)
        with freeze_time(later):
            self.env["account.dunning.run"]._cron_check_holds()
        self.assertEqual(promise.state, "broken")
        self.assertTrue(invoice.dunning_escalate)
        self.assertFalse(invoice.dunning_hold)

    def test_bad_input_changes_nothing(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        paid = self._invoice(self.customer, 100.0, DUE)
        self._pay(paid, 100.0, TODAY)
        other = self._customer("Martin SAS")
        others = self._invoice(other, 100.0, DUE)
        one = [Command.set(invoice.ids)]
        cases = [
            ({"date": TODAY - timedelta(days=1)}, "in the past"),
            ({"date": TODAY + timedelta(days=61)}, "more than 60 days"),
            ({"amount": -1.0, "move_ids": one}, "above zero"),
            ({"amount": 1000.01, "move_ids": one}, "cannot be above"),
            ({"move_ids": [Command.set(paid.ids)]}, "not open"),
            ({"move_ids": [Command.set(others.ids)]}, "another customer"),
        ]
        for values, message in cases:
            with self.subTest(values=values), self.assertRaises(ValidationError) as err:
                self._promise(**values)
            self.assertIn(message, str(err.exception))
        self.assertFalse(self.Promise.search([]))
        self.assertFalse(invoice.dunning_hold)
        self._promise(move_ids=one)
        with self.assertRaises(ValidationError) as err:
            self._promise(move_ids=one)
        self.assertIn("already under an open promise", str(err.exception))
        with self.assertRaises(ValidationError) as err:
            self._promise(partner_id=self._customer("Sans Factures").id)
        self.assertIn("Choose the invoices", str(err.exception))
        self.assertEqual(len(self.Promise.search([])), 1)

    def test_promise_on_a_planned_invoice_is_refused(self):
        invoice = self._invoice(self.customer, 900.0, DUE)
        with freeze_time(TODAY):
            plan = (
                self.env["account.dunning.plan"]
                .with_user(self.invoice_user)
                .create({"partner_id": self.customer.id})
            )
            plan.action_fill_instalments(3, TODAY + timedelta(days=10))
            plan.action_activate()
        with self.assertRaisesRegex(ValidationError, "active payment plan"):
            self._promise(move_ids=[Command.set(invoice.ids)])

    def test_state_is_the_engines_and_cancel_the_managers(self):
        self._invoice(self.customer, 1000.0, DUE)
        promise = self._promise()
        for vals in ({"state": "kept"}, {"paid_amount": 1000.0}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                promise.with_user(self.invoice_user).write(vals)
        with self.assertRaises(AccessError):
            promise.with_user(self.invoice_user).action_cancel()
        with self.assertRaises(UserError):
            promise.with_user(self.dunning_manager).unlink()
        promise.with_user(self.dunning_manager).action_cancel()
        self.assertEqual(promise.state, "cancelled")
        self.assertFalse(promise.move_ids.dunning_hold)
        with self.assertRaises(UserError):
            promise.with_user(self.invoice_user).write({"amount": 10.0})
        salesman = company_user(
            self.env, "promise_salesman", "sales_team.group_sale_salesman", self.company
        )
        with self.assertRaises(AccessError):
            self.env["account.dunning.promise"].with_user(salesman).create(
                {"partner_id": self.customer.id, "date": TODAY}
            )
