from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import company_user


def overdue_invoice(env, name, amount, days_late):
    """A posted invoice of a new customer, ``days_late`` days past due today."""
    customer = env["res.partner"].create(
        {"name": name, "email": "customer@example.com", "is_company": True}
    )
    today = fields.Date.context_today(env.user)
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_date": today - timedelta(days=40),
            "invoice_date_due": today - timedelta(days=days_late),
            "invoice_line_ids": [
                Command.create({"name": "Service", "price_unit": amount, "tax_ids": []})
            ],
        }
    )
    invoice.action_post()
    return invoice


@tagged("post_install", "-at_install")
class TestDunningTour(AccountTestInvoicingHttpCommon, HttpCase):
    def test_dunning_run_tour(self):
        """A finance user starts, reviews and executes a run in the browser."""
        company = self.env.company
        self.env.ref("base.user_admin").write(
            {
                "company_ids": [(4, company.id)],
                "company_id": company.id,
                "email": "admin@example.com",
            }
        )
        invoice = overdue_invoice(self.env, "Tour Customer", 420.0, 10)
        customer = invoice.partner_id
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


@tagged("post_install", "-at_install")
class TestDunningExternalApi(AccountTestInvoicingHttpCommon, HttpCase):
    def test_run_over_xmlrpc_as_invoicing_user(self):
        """Integrations drive a run over XML-RPC with the caller's own rights."""
        company = self.env.company
        user = company_user(
            self.env, "dunning_rpc", "account.group_account_invoice", company
        )
        invoice = overdue_invoice(self.env, "RPC Customer", 99.0, 8)
        customer = invoice.partner_id
        today = fields.Date.context_today(self.env.user)
        db, password = self.env.cr.dbname, "dunning_rpc"

        def call(model, method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(
                db, user.id, password, model, method, list(args), kwargs
            )

        run_id = call("account.dunning.run", "create", {"company_id": company.id})
        call("account.dunning.run", "action_compute", [run_id])
        call("account.dunning.run", "action_execute", [run_id])
        [run] = call("account.dunning.run", "read", [run_id], fields=["state", "date"])
        self.assertEqual(run["state"], "done")
        actions = call(
            "account.dunning.action",
            "search_read",
            [("run_id", "=", run_id)],
            fields=["partner_id", "level_id", "move_ids", "channel", "state", "amount"],
        )
        self.assertEqual(len(actions), 1)
        self.assertEqual(actions[0]["partner_id"][0], customer.id)
        self.assertEqual(actions[0]["move_ids"], invoice.ids)
        self.assertEqual(actions[0]["state"], "sent")
        [move] = call(
            "account.move",
            "read",
            invoice.ids,
            fields=["dunning_level_id", "dunning_last_date", "dunning_excluded"],
        )
        self.assertEqual(move["dunning_last_date"], str(today))
        [partner] = call(
            "res.partner",
            "read",
            customer.ids,
            fields=[
                "dunning_level_id",
                "dunning_next_action_date",
                "dunning_policy_id",
            ],
        )
        self.assertEqual(partner["dunning_level_id"], move["dunning_level_id"])
        self.assertTrue(partner["dunning_next_action_date"])
        with mute_logger("odoo.http"), self.assertRaises(Exception) as refused:
            call(
                "account.dunning.policy",
                "write",
                [company.dunning_policy_id.id],
                {"name": "X"},
            )
        self.assertIn("not allowed to modify", str(refused.exception))
