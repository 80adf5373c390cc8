"""The exploits of issue "Close the access holes", tried over XML-RPC as the callers
would, with the context they choose: each is refused and changes nothing."""

import xmlrpc.client

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import company_user
from .test_dunning_tour import overdue_invoice


@tagged("post_install", "-at_install")
class TestDunningRpcExploits(AccountTestInvoicingHttpCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.company = company
        cls.invoice = overdue_invoice(cls.env, "RPC Debtor", 500.0, 60)
        cls.customer = cls.invoice.partner_id
        cls.users = {
            "editor": company_user(
                cls.env,
                "rpc_editor",
                "base.group_user,base.group_partner_manager",
                company,
            ),
            "salesman": company_user(
                cls.env, "rpc_salesman", "sales_team.group_sale_salesman", company
            ),
            "invoicing": company_user(
                cls.env, "rpc_invoicing", "account.group_account_invoice", company
            ),
            "dunning": company_user(
                cls.env, "rpc_dunning", "account_dunning.group_dunning_user", company
            ),
        }
        cls.portal_contact = cls.env["res.partner"].create(
            {"name": "RPC Portal", "parent_id": cls.customer.id}
        )
        cls.users["portal"] = new_test_user(
            cls.env,
            login="rpc_portal",
            groups="base.group_portal",
            partner_id=cls.portal_contact.id,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.customer.action_dunning_block("Court case")
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.users["salesman"].id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product_a.id, "product_uom_qty": 1}
                    )
                ],
            }
        )

    def _call(self, who, model, method, *args, **kwargs):
        user = self.users[who]
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs
        )

    def _refused(self, who, model, method, *args, **kwargs):
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as fault:
            self._call(who, model, method, *args, **kwargs)
        return fault.exception.faultString

    def test_context_keys_decide_nothing(self):
        order_id = self.order.id
        for context in (
            {"dunning_skip_block_check": True},
            {"dunning_blocked_order_ids": []},
        ):
            with self.subTest(context=context):
                message = self._refused(
                    "salesman",
                    "sale.order",
                    "action_confirm",
                    [order_id],
                    context=context,
                )
                self.assertIn("Court case", message)
        self.assertIn(
            "Court case",
            self._refused(
                "salesman", "sale.order", "write", [order_id], {"state": "sale"}
            ),
        )
        self.assertEqual(self.order.state, "draft")
        # A review the caller claims in its context is no review.
        self.company.dunning_policy_id.level_ids.sudo().manual_review = True
        run_id = self._call("invoicing", "account.dunning.run", "create", {})
        self._call("invoicing", "account.dunning.run", "action_compute", [run_id])
        self._call(
            "invoicing",
            "account.dunning.run",
            "action_execute",
            [run_id],
            context={"dunning_reviewed": True},
        )
        actions = self._call(
            "invoicing",
            "account.dunning.action",
            "search_read",
            [("run_id", "=", run_id)],
            fields=["state", "reviewed_by_id"],
        )
        self.assertEqual([action["state"] for action in actions], ["to_review"])
        self.assertFalse(self.invoice.dunning_level_id)

    def test_fields_the_engine_owns(self):
        customer_id = self.customer.id
        message = self._refused(
            "editor", "res.partner", "write", [customer_id], {"dunning_blocked": False}
        )
        self.assertIn("dunning engine alone", message)
        self._refused(
            "invoicing",
            "account.move",
            "write",
            self.invoice.ids,
            {"dunning_level_id": self.company.dunning_policy_id.level_ids[-1].id},
        )
        self.assertTrue(self.customer.with_company(self.company).dunning_blocked)
        self.assertFalse(self.invoice.dunning_level_id)

    def test_debtor_type_revision_and_recovery_costs(self):
        customer_id = self.customer.id
        for vals in (
            {"dunning_debtor_type": "consumer"},
            {"dunning_debtor_type_set": "consumer"},
            {"dunning_insolvency_date": "2020-01-01"},
        ):
            with self.subTest(vals=vals):
                message = self._refused(
                    "editor", "res.partner", "write", [customer_id], vals
                )
                self.assertIn("debtor type", message)
                # A context default is no way round either.
                self._refused(
                    "editor",
                    "res.partner",
                    "create",
                    {"name": "Someone"},
                    context={f"default_{name}": value for name, value in vals.items()},
                )
        self.assertEqual(self.customer.dunning_debtor_type, "business")
        self.assertFalse(self.customer.dunning_insolvency_date)
        for who in ("salesman", "dunning"):
            with self.subTest(who=who):
                self._refused(
                    who,
                    "account.move",
                    "action_dunning_revise_penalties",
                    self.invoice.ids,
                )
        for who in ("invoicing", "dunning"):
            with self.subTest(who=who):
                self._refused(
                    who,
                    "account.move",
                    "action_dunning_bill_recovery_costs",
                    self.invoice.ids,
                    500.0,
                    "Lawyer",
                )
        self.assertFalse(self.invoice.sudo().dunning_penalty_ids)

    def test_private_and_billing_methods(self):
        run_id = self._call("invoicing", "account.dunning.run", "create", {})
        self._call("invoicing", "account.dunning.run", "action_compute", [run_id])
        self._call("invoicing", "account.dunning.run", "action_execute", [run_id])
        [action_id] = self._call(
            "dunning", "account.dunning.action", "search", [("run_id", "=", run_id)]
        )
        # The report lines hand out payment links with their access tokens.
        self.assertIn(
            "Private methods",
            self._refused(
                "dunning", "account.dunning.action", "_get_report_lines", [action_id]
            ),
        )
        self._refused(
            "dunning", "account.dunning.action", "get_report_lines", [action_id]
        )
        self._refused(
            "invoicing",
            "account.dunning.action",
            "write",
            [action_id],
            {"state": "to_review"},
        )
        for who in ("salesman", "dunning"):
            with self.subTest(who=who):
                self._refused(
                    who,
                    "account.move",
                    "action_dunning_bill_penalties",
                    self.invoice.ids,
                )
        self.assertFalse(self.invoice.sudo().dunning_penalty_ids)
        self.assertEqual(
            self.env["account.dunning.action"].browse(action_id).state, "sent"
        )

    def test_portal_reads_no_internal_field(self):
        self.invoice.message_subscribe(self.portal_contact.ids)
        [invoice] = self._call(
            "portal", "account.move", "read", self.invoice.ids, fields=["name"]
        )
        self.assertEqual(invoice["name"], self.invoice.name)
        for model, record_id, field in (
            ("account.move", self.invoice.id, "dunning_exclusion_reason"),
            ("account.move", self.invoice.id, "dunning_level_id"),
            ("account.move", self.invoice.id, "dunning_partner_block_reason"),
            ("res.partner", self.portal_contact.id, "dunning_block_reason"),
        ):
            with self.subTest(model=model, field=field):
                self._refused("portal", model, "read", [record_id], fields=[field])
