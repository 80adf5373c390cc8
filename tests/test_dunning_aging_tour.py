# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import company_user
from .test_dunning_tour import overdue_invoice


@tagged("post_install", "-at_install")
class TestDunningAgingTour(AccountTestInvoicingHttpCommon, HttpCase):
    def test_dashboard_to_journal_item_tour(self):
        """From the dashboard to the pivot, then down to the journal item."""
        company = self.env.company
        self.env.ref("base.user_admin").write(
            {"company_ids": [(4, company.id)], "company_id": company.id}
        )
        overdue_invoice(self.env, "Aging Tour Customer", 1234.5, 45)
        self.start_tour(
            "/odoo/action-account_dunning.account_dunning_dashboard_server_action",
            "account_dunning_aging_tour",
            login="admin",
        )

    def test_aging_over_xmlrpc_as_invoicing_user(self):
        """Integrations read the aged balance and the KPIs over XML-RPC."""
        company = self.env.company
        user = company_user(
            self.env, "aging_rpc", "account.group_account_invoice", company
        )
        invoice = overdue_invoice(self.env, "RPC Aging Customer", 321.0, 45)
        today = fields.Date.context_today(self.env.user)
        db, password = self.env.cr.dbname, "aging_rpc"

        def call(model, method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(
                db, user.id, password, model, method, list(args), kwargs
            )

        rows = call("account.dunning.aging", "get_aging", str(today), [company.id])
        row = next(row for row in rows if row["key"] == invoice.partner_id.id)
        self.assertEqual(row["name"], "RPC Aging Customer")
        self.assertEqual(row["buckets"], [0.0, 0.0, 321.0, 0.0, 0.0, 0.0])
        self.assertEqual(row["total"], 321.0)
        [kpis] = call(
            "account.dunning.kpi",
            "get_kpis",
            str(today.replace(day=1)),
            str(today),
            [company.id],
        )
        self.assertGreaterEqual(kpis["overdue_end"], 321.0)
        self.assertEqual(len(kpis["trend"]), 12)
