from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import company_user

BLOCK_REASON = "Unpaid since March"


@tagged("post_install", "-at_install")
class TestDunningBlockTour(AccountTestInvoicingHttpCommon):
    """A quotation of a blocked customer, confirmed in the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        today = fields.Date.context_today(cls.env.user)
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Blocked Tour Customer",
                "email": "blocked.customer@example.com",
                "is_company": True,
            }
        )
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": today - timedelta(days=60),
                "invoice_date_due": today - timedelta(days=30),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Service", "price_unit": 750.0, "tax_ids": []}
                    )
                ],
            }
        )
        cls.invoice.action_post()
        # the test environment's user has the dunning user group (accounting manager)
        cls.customer.action_dunning_block(BLOCK_REASON)

        cls.salesman = company_user(
            cls.env, "blocked_salesman", "sales_team.group_sale_salesman", company
        )
        cls.sales_manager = company_user(
            cls.env,
            "blocked_sales_manager",
            "sales_team.group_sale_manager,"
            "account_dunning.group_dunning_block_override",
            company,
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Dunning Tour Service", "type": "service", "list_price": 120.0}
        )
        cls.quotation = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": company.id,
                # the salesman only sees his own orders
                "user_id": cls.salesman.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 2})
                ],
            }
        )

    def _url(self):
        return f"/odoo/sales/{self.quotation.id}"

    def test_setup(self):
        """The customer is blocked in the test company and the quotation shows it."""
        customer = self.customer.with_company(self.env.company)
        self.assertTrue(customer.dunning_blocked)
        self.assertEqual(customer.dunning_block_reason, BLOCK_REASON)
        self.assertEqual(self.quotation.state, "draft")
        self.assertTrue(self.quotation.dunning_partner_blocked)
        self.assertIn(BLOCK_REASON, self.quotation.dunning_block_message)
        self.assertFalse(
            self.salesman.has_group("account_dunning.group_dunning_block_override")
        )

    def test_confirmation_refused_tour(self):
        """A salesman cannot confirm the quotation: the reason of the block is shown."""
        self.start_tour(
            self._url(), "account_dunning_block_refused_tour", login="blocked_salesman"
        )
        self.quotation.invalidate_recordset()
        self.assertEqual(self.quotation.state, "draft")
        self.assertFalse(self.quotation.dunning_block_overridden)
        overrides = self.env["account.dunning.block"].search(
            [("partner_id", "=", self.customer.id), ("action", "=", "override")]
        )
        self.assertFalse(overrides)

    def test_confirmation_override_tour(self):
        """A sales manager allowed to override confirms it; the override is traced."""
        self.start_tour(
            self._url(),
            "account_dunning_block_override_tour",
            login="blocked_sales_manager",
        )
        self.quotation.invalidate_recordset()
        self.assertEqual(self.quotation.state, "sale")
        self.assertTrue(self.quotation.dunning_block_overridden)
        override = self.env["account.dunning.block"].search(
            [("partner_id", "=", self.customer.id), ("action", "=", "override")]
        )
        self.assertEqual(len(override), 1)
        self.assertEqual(override.sale_order_id, self.quotation)
        self.assertEqual(override.company_id, self.env.company)
        self.assertEqual(override.user_id, self.sales_manager)
