from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon, company_user


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningBlock(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = company_user(
            cls.env,
            "block_salesman",
            "sales_team.group_sale_salesman_all_leads",
            cls.company,
        )
        cls.overrider = company_user(
            cls.env,
            "block_overrider",
            "sales_team.group_sale_manager,account_dunning.group_dunning_block_override",
            cls.company,
        )

    def _check(self, partner=None):
        (partner or self.customer)._dunning_check_block(self.company)
        return (partner or self.customer).with_company(self.company).dunning_blocked

    def _quotation(self, partner=None, company=None, user=None):
        company = company or self.company
        return (
            self.env["sale.order"]
            .with_user(user or self.salesman)
            .with_company(company)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product_a.id, "product_uom_qty": 1}
                        )
                    ],
                }
            )
        )

    def test_amount_rule_at_its_threshold(self):
        self.policy.sudo().block_overdue_amount = 1000.0
        for amount, blocked in ((999.99, False), (1000.0, False), (1000.01, True)):
            with self.subTest(amount=amount):
                customer = self._customer(f"Amount {amount}")
                self._invoice(customer, amount, TODAY - timedelta(days=10))
                self.assertEqual(self._check(customer), blocked)

    def test_days_rule_at_its_threshold(self):
        self.policy.sudo().block_days_late = 30
        for days, blocked in ((29, False), (30, False), (31, True)):
            with self.subTest(days=days):
                customer = self._customer(f"Days {days}")
                self._invoice(customer, 100.0, TODAY - timedelta(days=days))
                self.assertEqual(self._check(customer), blocked)

    def test_level_rule_at_its_threshold(self):
        self.policy.sudo().block_level_id = self.level_2
        for level, blocked in (
            (self.level_1, False),
            (self.level_2, True),
            (self.level_3, True),
        ):
            with self.subTest(level=level.name):
                customer = self._customer(f"Level {level.name}")
                invoice = self._invoice(customer, 100.0, TODAY - timedelta(days=40))
                invoice.line_ids.filtered(
                    lambda line: line.account_type == "asset_receivable"
                ).sudo().write(
                    {"dunning_level_id": level.id, "dunning_last_date": TODAY}
                )
                self.assertEqual(self._check(customer), blocked)

    def test_credit_limit_rule_at_its_threshold(self):
        self.company.account_use_credit_limit = True
        self.policy.sudo().block_credit_limit = True
        for amount, blocked in ((999.0, False), (1000.0, False), (1001.0, True)):
            with self.subTest(amount=amount):
                customer = self._customer(f"Credit {amount}")
                customer.with_company(self.company).credit_limit = 1000.0
                self._invoice(customer, amount, TODAY + timedelta(days=10))
                self.assertEqual(self._check(customer), blocked)

    def test_run_blocks_at_the_level(self):
        self.policy.sudo().block_level_id = self.level_1
        self._invoice(self.customer, 100.0, TODAY - timedelta(days=10))
        self._run(TODAY)
        customer = self.customer.with_company(self.company)
        self.assertTrue(customer.dunning_blocked)
        self.assertIn("First reminder", customer.dunning_block_reason)
        history = customer.dunning_block_ids
        self.assertEqual((history.action, history.mode), ("block", "automatic"))
        self.assertEqual(history.overdue_amount, 100.0)

    def test_contact_blocks_company_and_siblings(self):
        contact = self.env["res.partner"].create(
            {"name": "Anne", "parent_id": self.customer.id}
        )
        sibling = self.env["res.partner"].create(
            {"name": "Paul", "parent_id": self.customer.id}
        )
        contact.with_user(self.invoice_user).action_dunning_block("Disputes everything")
        for partner in (self.customer, contact, sibling):
            self.assertTrue(
                partner.with_company(self.company).dunning_blocked, partner.name
            )
        order = self._quotation(partner=sibling)
        with self.assertRaisesRegex(UserError, "Disputes everything"):
            order.action_confirm()
        # A contact added afterwards is blocked with its company.
        newcomer = self.env["res.partner"].create(
            {"name": "Léa", "parent_id": self.customer.id}
        )
        self.assertTrue(newcomer.with_company(self.company).dunning_blocked)
        self.assertEqual(
            newcomer.with_company(self.company).dunning_block_reason,
            "Disputes everything",
        )

    def test_automatic_unblock_when_the_payment_is_reconciled(self):
        self.policy.sudo().block_overdue_amount = 500.0
        invoice = self._invoice(self.customer, 800.0, TODAY - timedelta(days=10))
        self.assertTrue(self._check())
        self._pay(invoice, 800.0, TODAY)
        # No cron in between: the reconciliation itself lifted the block.
        customer = self.customer.with_company(self.company)
        self.assertFalse(customer.dunning_blocked)
        unblock = customer.dunning_block_ids.filtered(
            lambda row: row.action == "unblock"
        )
        self.assertEqual(unblock.mode, "automatic")

    def test_manual_block_stays_after_payment(self):
        invoice = self._invoice(self.customer, 800.0, TODAY - timedelta(days=10))
        self.customer.with_user(self.invoice_user).action_dunning_block(
            "Bounced cheque"
        )
        self._pay(invoice, 800.0, TODAY)
        self.assertTrue(self._check())
        self.customer.with_user(self.dunning_manager).action_dunning_unblock(
            "Paid in cash"
        )
        self.assertFalse(self.customer.with_company(self.company).dunning_blocked)
        self.assertEqual(
            self.customer.dunning_block_ids.mapped("action"), ["unblock", "block"]
        )

    def test_confirm_refused_then_overridden(self):
        self.policy.sudo().block_days_late = 30
        overdue = self._invoice(self.customer, 1234.0, TODAY - timedelta(days=45))
        self.assertTrue(self._check())
        order = self._quotation()
        self.assertTrue(order.dunning_partner_blocked)
        with self.assertRaises(UserError) as refused:
            order.action_confirm()
        message = str(refused.exception)
        self.assertIn("more than 30 days late", message)
        self.assertIn(overdue.name, message)
        self.assertIn("45 days late", message)
        self.assertIn("1,234.00", message)
        self.assertEqual(order.state, "draft")
        # Quotations stay possible; a member of the override group confirms.
        order.with_user(self.overrider).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.dunning_block_overridden)
        override = self.customer.dunning_block_ids.filtered(
            lambda row: row.action == "override"
        )
        self.assertEqual(override.sale_order_id, order)
        self.assertEqual(override.user_id, self.overrider)

    def test_onchange_warns_on_a_blocked_customer(self):
        self.customer.with_user(self.invoice_user).action_dunning_block("Legal dispute")
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .new({"partner_id": self.customer.id, "company_id": self.company.id})
        )
        warning = order._onchange_partner_id_dunning_block()
        self.assertIn("Legal dispute", warning["warning"]["message"])

    def test_salesman_cannot_unblock(self):
        self.customer.with_user(self.invoice_user).action_dunning_block("Unpaid")
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).action_dunning_unblock("Please")
        with self.assertRaises(AccessError):
            self.customer.with_user(self.invoice_user).action_dunning_unblock("Please")

    def test_block_in_one_company_only(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        self.salesman.write({"company_ids": [Command.link(company_b.id)]})
        self.customer.with_user(self.invoice_user).action_dunning_block("Unpaid in A")
        self.assertTrue(self.customer.with_company(self.company).dunning_blocked)
        self.assertFalse(self.customer.with_company(company_b).dunning_blocked)
        order_b = self._quotation(company=company_b)
        order_b.with_company(company_b).action_confirm()
        self.assertEqual(order_b.state, "sale")
        with self.assertRaises(UserError):
            self._quotation().action_confirm()

    def test_cron_checks_the_rules_every_day(self):
        self.policy.sudo().block_days_late = 30
        self._invoice(self.customer, 100.0, TODAY - timedelta(days=25))
        self.env["account.dunning.run"]._cron_check_blocks()
        self.assertFalse(self.customer.with_company(self.company).dunning_blocked)
        with freeze_time(TODAY + timedelta(days=6)):
            self.env["account.dunning.run"]._cron_check_blocks()
            self.assertTrue(self.customer.with_company(self.company).dunning_blocked)

    def test_bad_input(self):
        with self.assertRaisesRegex(UserError, "Give the reason"):
            self.customer.with_user(self.invoice_user).action_dunning_block("  ")
        self.customer.with_user(self.invoice_user).action_dunning_block("Unpaid")
        with self.assertRaisesRegex(UserError, "Give the reason"):
            self.customer.with_user(self.dunning_manager).action_dunning_unblock("")
        for values in ({"block_overdue_amount": -1}, {"block_days_late": -5}):
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, "cannot be negative"),
                self.env.cr.savepoint(),
            ):
                self.policy.sudo().write(values)
            self.policy.invalidate_recordset()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).action_dunning_block("Me too")
