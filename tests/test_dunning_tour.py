from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon


@tagged("post_install", "-at_install")
class TestDunningTour(AccountTestInvoicingHttpCommon, HttpCase):
    def test_dunning_run_tour(self):
        """A finance user starts a run, reviews the proposals and executes it in the browser."""
        company = self.env.company
        self.env.ref("base.user_admin").write(
            {
                "company_ids": [(4, company.id)],
                "company_id": company.id,
                "email": "admin@example.com",
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Customer", "email": "tour@example.com", "is_company": True}
        )
        today = fields.Date.context_today(self.env.user)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=40),
                "invoice_date_due": today - timedelta(days=10),
                "invoice_line_ids": [
                    fields.Command.create(
                        {"name": "Service", "price_unit": 420.0, "tax_ids": []}
                    )
                ],
            }
        )
        invoice.action_post()
        self.start_tour(
            "/odoo/action-account_dunning.account_dunning_run_action",
            "account_dunning_run_tour",
            login="admin",
        )
        self.assertEqual(
            invoice.dunning_level_id,
            company.dunning_policy_id.level_ids.sorted("sequence")[1],
        )
        action = self.env["account.dunning.action"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual(action.state, "sent")
