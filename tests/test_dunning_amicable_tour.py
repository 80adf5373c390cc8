from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, freeze_time, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import TODAY, DunningCommon, company_user
from .test_dunning_tour import overdue_invoice

REJECTION = "The goods were delivered as ordered"


@tagged("post_install", "-at_install")
class TestDunningAmicableTour(AccountTestInvoicingHttpCommon):
    """A dispute opened and rejected, then a promise recorded, in the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = company_user(
            cls.env,
            "amicable_invoicing",
            "account.group_account_invoice",
            cls.env.company,
        )
        cls.invoice = overdue_invoice(cls.env, "Amicable Tour Customer", 800.0, 20)
        cls.customer = cls.invoice.partner_id

    def test_dispute_then_promise_tour(self):
        """An invoicing user, the least a dunning user can be: from the invoice to a
        rejected dispute, then from the customer to a promise to pay."""
        self.assertFalse(self.user.has_group("account_dunning.group_dunning_manager"))
        self.start_tour(
            f"/odoo/customer-invoices/{self.invoice.id}",
            "account_dunning_amicable_tour",
            login="amicable_invoicing",
        )
        invoice = self.invoice
        invoice.invalidate_recordset()
        dispute = invoice.dunning_dispute_ids
        self.assertEqual(len(dispute), 1)
        self.assertRecordValues(
            dispute,
            [
                {
                    "reason": "quality",
                    "amount": 300.0,
                    "state": "rejected",
                    "resolution_note": REJECTION,
                    "description": "Two boxes arrived broken",
                    "partner_id": self.customer.id,
                }
            ],
        )
        # Rejected: dunning resumes after the policy's grace days (7).
        policy = self.env.company.dunning_policy_id
        self.assertEqual(
            invoice.dunning_resume_date,
            dispute.resolution_date + timedelta(days=policy.dispute_grace_days),
        )
        self.assertFalse(invoice.dunning_disputed)
        promise = self.env["account.dunning.promise"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(promise), 1)
        # The customer's overdue invoices (this one), its whole amount due.
        self.assertRecordValues(
            promise,
            [
                {
                    "state": "open",
                    "move_ids": invoice.ids,
                    "amount": 800.0,
                    "user_id": self.user.id,
                }
            ],
        )
        # Ten days ahead of the browser's today (a day of margin either way).
        today = fields.Date.context_today(self.user)
        self.assertLessEqual(abs((promise.date - today).days - 10), 1)
        self.assertEqual(invoice.dunning_hold, "promise")


@tagged("post_install", "-at_install")
class TestDunningAmicableScreens(DunningCommon):
    """What the screens send: the forms in dialogs, the instalment helper, the views."""

    def setUp(self):
        super().setUp()
        self.invoice = self._invoice(self.customer, 1000.0, TODAY - timedelta(days=20))

    @freeze_time(TODAY)
    def test_dispute_dialog_saves_with_its_invoice(self):
        """The invoice's button opens the form on the invoice (read-only there, sent
        all the same), the amount due proposed."""
        action = self.invoice.with_user(self.invoice_user).action_dunning_open_dispute()
        self.assertEqual(action["target"], "new")
        Dispute = self.env["account.dunning.dispute"].with_user(self.invoice_user)
        form = Form(Dispute.with_context(**action["context"]))
        self.assertEqual(form.move_id, self.invoice)
        self.assertEqual(form.amount, 1000.0)
        form.reason = "price"
        form.amount = 250.0
        dispute = form.save()
        self.assertRecordValues(
            dispute,
            [
                {
                    "move_id": self.invoice.id,
                    "partner_id": self.customer.id,
                    "amount": 250.0,
                    "state": "open",
                    # 1 July + the policy's 15 days
                    "deadline": date(2024, 7, 16),
                }
            ],
        )
        self.assertTrue(self.invoice.dunning_disputed)
        self.assertEqual(self.invoice.dunning_disputed_amount, 250.0)

    @freeze_time(TODAY)
    def test_dispute_from_the_customer_list(self):
        """The customer's list of disputes gives no customer by default: a dispute's
        customer is its invoice's."""
        action = self.customer.with_user(
            self.invoice_user
        ).action_dunning_view_disputes()
        self.assertNotIn("default_partner_id", action["context"])
        dispute = (
            self.env["account.dunning.dispute"]
            .with_user(self.invoice_user)
            .with_context(**action["context"])
            .create({"move_id": self.invoice.id, "reason": "delivery"})
        )
        self.assertEqual(dispute.partner_id, self.customer)
        self.assertEqual(self.customer.dunning_dispute_open_count, 1)

    @freeze_time(TODAY)
    def test_promise_dialog_lists_the_overdue_invoices(self):
        other = self._invoice(self.customer, 200.0, TODAY - timedelta(days=5))
        self._invoice(self.customer, 99.0, TODAY + timedelta(days=10))  # not due
        action = self.customer.with_user(
            self.invoice_user
        ).action_dunning_record_promise()
        Promise = self.env["account.dunning.promise"].with_user(self.invoice_user)
        form = Form(Promise.with_context(**action["context"]))
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(set(form.move_ids.ids), {self.invoice.id, other.id})
        # 1,000.00 + 200.00
        self.assertEqual(form.amount, 1200.0)
        form.date = TODAY + timedelta(days=14)
        promise = form.save()
        self.assertRecordValues(
            promise,
            [
                {
                    "state": "open",
                    "amount": 1200.0,
                    "date": date(2024, 7, 15),
                    # 15 July + the policy's 3 grace days
                    "grace_until": date(2024, 7, 18),
                }
            ],
        )
        self.assertEqual(promise.move_ids, self.invoice | other)
        self.assertEqual(self.invoice.dunning_hold, "promise")

    @freeze_time(TODAY)
    def test_plan_fill_wizard(self):
        """The helper fills equal instalments; the last one takes the rounding."""
        plan = (
            self.env["account.dunning.plan"]
            .with_user(self.invoice_user)
            .create({"partner_id": self.customer.id})
        )
        self.assertEqual(plan.move_ids, self.invoice)
        Wizard = self.env["account.dunning.plan.fill.wizard"].with_user(
            self.invoice_user
        )
        form = Form(Wizard.with_context(default_plan_id=plan.id))
        self.assertEqual(form.first_date, date(2024, 8, 1))
        self.assertEqual(form.count, 3)
        form.save().action_confirm()
        # 1,000.00 / 3 = 333.33 twice, then 1,000.00 - 666.66 = 333.34
        self.assertEqual(
            [(line.date, line.amount) for line in plan.line_ids],
            [
                (date(2024, 8, 1), 333.33),
                (date(2024, 9, 1), 333.33),
                (date(2024, 10, 1), 333.34),
            ],
        )
        form = Form(Wizard.with_context(default_plan_id=plan.id))
        form.count = 2
        form.first_date = date(2024, 7, 10)
        form.period = "days"
        form.every_days = 14
        form.save().action_confirm()
        # 1,000.00 / 2 = 500.00 each, 14 days apart
        self.assertEqual(
            [(line.date, line.amount) for line in plan.line_ids],
            [(date(2024, 7, 10), 500.0), (date(2024, 7, 24), 500.0)],
        )
        plan.action_activate()
        self.assertEqual(plan.state, "active")
        self.assertEqual(self.invoice.dunning_hold, "plan")

    def test_plan_fill_wizard_refused(self):
        """Not a dunning user: no wizard, no instalments."""
        salesman = company_user(
            self.env,
            "amicable_salesman",
            "sales_team.group_sale_salesman",
            self.company,
        )
        plan = (
            self.env["account.dunning.plan"]
            .with_user(self.invoice_user)
            .create({"partner_id": self.customer.id})
        )
        with self.assertRaises(AccessError):
            self.env["account.dunning.plan.fill.wizard"].with_user(salesman).create(
                {"plan_id": plan.id}
            )
        with self.assertRaises(AccessError):
            plan.with_user(salesman).action_fill_instalments(2, date(2024, 8, 1))
        self.assertFalse(plan.line_ids)

    def test_views_load(self):
        """Every screen of the amicable phase opens for an invoicing user."""
        user_env = self.env(user=self.invoice_user)
        for model, types in (
            (
                "account.dunning.dispute",
                ["list", "kanban", "calendar", "form", "search"],
            ),
            (
                "account.dunning.promise",
                ["list", "kanban", "calendar", "form", "search"],
            ),
            ("account.dunning.plan", ["list", "kanban", "form", "search"]),
            ("account.dunning.plan.line", ["calendar", "list", "form", "search"]),
            ("account.dunning.plan.fill.wizard", ["form"]),
            ("account.dunning.dispute.resolve.wizard", ["form"]),
            ("account.dunning.action", ["list", "form", "search"]),
            ("account.dunning.policy", ["form"]),
            ("account.move", ["list", "form", "search"]),
            ("res.partner", ["form"]),
        ):
            views = user_env[model].get_views([(False, view) for view in types])
            self.assertEqual(set(views["views"]), set(types), model)
        form = user_env["account.move"].get_views([(False, "form")])["views"]["form"]
        self.assertIn("action_dunning_open_dispute", form["arch"])
        self.assertIn("o_dunning_disputed_badge", form["arch"])
        partner = user_env["res.partner"].get_views([(False, "form")])["views"]["form"]
        self.assertIn("action_dunning_record_promise", partner["arch"])
        self.assertIn("dunning_promise_broken_count", partner["arch"])
