from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon, company_user

DUE = TODAY - timedelta(days=10)  # 10 days late: the first reminder (7 days) is due
FIRST = date(2024, 7, 10)


@tagged("post_install", "-at_install")
class TestDunningPlans(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["account.dunning.plan"].with_user(cls.invoice_user)

    def _plan(self, count=3, first=FIRST, activate=True, **values):
        with freeze_time(TODAY):
            plan = self.Plan.create({"partner_id": self.customer.id, **values})
            plan.action_fill_instalments(count, first)
            if activate:
                plan.action_activate()
        return plan

    def _daily(self, on_date):
        with freeze_time(on_date):
            self.env["account.dunning.run"]._cron_check_holds()

    def _reminders(self):
        return self.env["account.dunning.action"].search(
            [("partner_id", "=", self.customer.id), ("channel", "=", "plan")]
        )

    def test_fill_activate_and_leave_the_ladder(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        plan = self._plan()
        self.assertEqual(plan.move_ids, invoice)
        self.assertRegex(plan.name, r"^PLAN/2024/\d{4}$")
        # 1,000.00 in 3: 333.33, 333.33 and 333.34 on the 10th of each month.
        self.assertEqual(
            [(line.date, line.amount) for line in plan.line_ids],
            [
                (date(2024, 7, 10), 333.33),
                (date(2024, 8, 10), 333.33),
                (date(2024, 9, 10), 333.34),
            ],
        )
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.amount_total, 1000.0)
        self.assertEqual(invoice.dunning_hold, "plan")
        self.assertFalse(self._run(TODAY).line_ids)
        self.assertEqual(
            self.customer.with_company(self.company).dunning_next_action_date,
            date(2024, 7, 13),
            "the first instalment's reminder day: 10 July + 3 days",
        )
        self.assertEqual(len(self._reminders()), 1, "the activation is traced")

    def test_every_n_days(self):
        self._invoice(self.customer, 100.0, DUE)
        with freeze_time(TODAY):
            plan = self.Plan.create({"partner_id": self.customer.id})
            plan.action_fill_instalments(2, FIRST, "days", 14)
        self.assertEqual(
            [(line.date, line.amount) for line in plan.line_ids],
            [(date(2024, 7, 10), 50.0), (date(2024, 7, 24), 50.0)],
        )

    def test_activation_checks_the_schedule(self):
        self._invoice(self.customer, 1000.0, DUE)
        plan = self._plan(activate=False)
        first, second, third = plan.line_ids
        cases = [
            (lambda: third.write({"amount": 333.35}), "add up"),
            (lambda: second.write({"date": date(2024, 7, 10)}), "must increase"),
            (lambda: first.write({"date": date(2024, 6, 30)}), "in the past"),
            (lambda: plan.line_ids.unlink(), "Add the instalments"),
        ]
        for change, message in cases:
            with self.subTest(message=message):
                with self.env.cr.savepoint() as savepoint:
                    change()
                    with freeze_time(TODAY), self.assertRaises(ValidationError) as err:
                        plan.action_activate()
                    self.assertIn(message, str(err.exception))
                    savepoint.rollback()
                plan.invalidate_recordset()
                plan.line_ids.invalidate_recordset()
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.move_ids.dunning_hold)

    def test_late_instalment_reminded_once(self):
        self._invoice(self.customer, 1000.0, DUE)
        plan = self._plan()
        first = plan.line_ids[0]
        self._daily(date(2024, 7, 12))
        self.assertEqual(len(self._reminders()), 1, "not before 10 July + 3 days")
        self.assertEqual(first.state, "late")
        self._daily(date(2024, 7, 13))
        reminder = self._reminders() - self._reminders()[-1:]
        self.assertEqual(len(self._reminders()), 2)
        self.assertEqual(first.reminder_action_id, reminder)
        self.assertEqual(first.reminded_date, date(2024, 7, 13))
        self.assertEqual(reminder.state, "sent")
        mail = reminder.mail_id
        self.assertIn("333.33", mail.body_html)
        self.assertIn(plan.name, mail.subject)
        self._daily(date(2024, 7, 14))
        self.assertEqual(len(self._reminders()), 2, "one reminder per instalment")
        self.assertEqual(plan.state, "active")
        self.assertFalse(plan.line_ids[1].reminder_action_id, "not yet due")

    def test_payments_allocated_oldest_first_then_done(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        plan = self._plan()
        with freeze_time(date(2024, 7, 9)):
            self._pay(invoice, 500.0, date(2024, 7, 9))
        # 500.00: the first instalment (333.33) and 166.67 of the second.
        self.assertEqual(plan.line_ids.mapped("paid_amount"), [333.33, 166.67, 0.0])
        self.assertEqual(plan.line_ids.mapped("state"), ["paid", "open", "open"])
        with freeze_time(date(2024, 8, 1)):
            self._pay(invoice, 500.0, date(2024, 8, 1))
        self.assertEqual(plan.state, "done")
        self.assertEqual(plan.line_ids.mapped("state"), ["paid"] * 3)
        self.assertFalse(invoice.dunning_hold)

    def test_broken_plan_returns_the_invoices_to_their_ladder(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        self._run(TODAY)
        self.assertEqual(invoice.dunning_level_id, self.level_1)
        plan = self._plan()
        # 10 July + 15 days of tolerance: still active on 25 July, broken on 26.
        self._daily(date(2024, 7, 25))
        self.assertEqual(plan.state, "active")
        self._daily(date(2024, 7, 26))
        self.assertEqual(plan.state, "broken")
        self.assertFalse(invoice.dunning_hold)
        self.assertTrue(invoice.dunning_escalate)
        self.assertEqual(plan.activity_ids.user_id, self.invoice_user)
        run = self._run(date(2024, 7, 26))
        self.assertEqual(run.line_ids.move_id, invoice)
        self.assertEqual(invoice.dunning_level_id, self.level_2)

    def test_include_penalties(self):
        self.policy.indemnity_amount = 40.0
        invoice = self._invoice(self.customer, 1000.0, date(2024, 5, 2))
        with freeze_time(TODAY):
            plan = self.Plan.create(
                {"partner_id": self.customer.id, "include_penalties": True}
            )
            expected = plan._expected_total()
            plan.action_fill_instalments(2, FIRST)
            plan.action_activate()
        penalty = plan.penalty_move_ids
        self.assertEqual(len(penalty), 1)
        self.assertEqual(penalty.state, "posted")
        self.assertEqual(plan.amount_total, expected)
        self.assertEqual(plan.amount_total, 1000.0 + penalty.amount_total)
        self.assertGreater(penalty.amount_total, 40.0, "interest and the indemnity")
        self.assertEqual(sum(plan.line_ids.mapped("amount")), plan.amount_total)
        self.assertEqual((invoice | penalty).mapped("dunning_hold"), ["plan", "plan"])
        # Paying the penalty invoice counts for the plan.
        with freeze_time(date(2024, 7, 5)):
            self._pay(penalty, penalty.amount_total, date(2024, 7, 5))
        self.assertEqual(plan.paid_amount, penalty.amount_total)

    def test_plan_report_and_email(self):
        self._invoice(self.customer, 1000.0, DUE)
        plan = self._plan()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_dunning.action_report_dunning_plan", plan.ids)[
                0
            ]
            .decode()
        )
        self.assertIn(plan.name, html)
        self.assertIn("333.34", html)
        self.assertIn("15", html)
        action = plan.with_user(self.invoice_user).action_send()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.invoice_user)
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn(plan.name, composer.subject)
        self.assertTrue(composer.attachment_ids, "the plan's PDF")

    def test_rights_and_engine_state(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        plan = self._plan()
        for record, vals in (
            (plan, {"state": "done"}),
            (plan, {"amount_total": 1.0}),
            (plan.line_ids[0], {"paid_amount": 333.33}),
            (plan.line_ids[0], {"state": "paid"}),
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                record.with_user(self.invoice_user).write(vals)
        with self.assertRaises(UserError):
            plan.line_ids[0].with_user(self.invoice_user).write({"amount": 1.0})
        with self.assertRaises(UserError):
            plan.with_user(self.invoice_user).write(
                {"move_ids": [Command.unlink(invoice.id)]}
            )
        with self.assertRaises(AccessError):
            plan.with_user(self.invoice_user).action_cancel()
        plan.with_user(self.dunning_manager).action_cancel()
        self.assertEqual(plan.state, "cancelled")
        self.assertFalse(invoice.dunning_hold)
        salesman = company_user(
            self.env, "plan_salesman", "sales_team.group_sale_salesman", self.company
        )
        with self.assertRaises(AccessError):
            self.env["account.dunning.plan"].with_user(salesman).create(
                {"partner_id": self.customer.id}
            )
        company_b = self.setup_other_company(name="Company B")["company"]
        user_b = company_user(
            self.env, "plan_user_b", "account.group_account_invoice", company_b
        )
        with self.assertRaises(AccessError):
            plan.with_user(user_b).read(["state"])
