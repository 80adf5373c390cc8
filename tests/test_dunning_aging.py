# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import io
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import EurCompanyCommon, company_user, make_invoice, register_payment

DUE = date(2024, 3, 1)


@tagged("post_install", "-at_install")
class TestDunningAging(EurCompanyCommon):
    """The aged balance, to the cent, on boundary days and as of past dates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Boulangerie Martin"})
        cls.other = cls.env["res.partner"].create({"name": "Epicerie Zola"})
        cls.user = company_user(
            cls.env, "aging_invoicing", "account.group_account_invoice", cls.company
        )
        cls.aging = cls.env["account.dunning.aging"].with_user(cls.user)
        # company B is set up with all the user's companies allowed, as at login
        env_a = cls.env
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=None))
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.env = env_a

    def _invoice(self, partner, amount, due, **kwargs):
        return make_invoice(self.env, self.company, partner, amount, due, **kwargs)

    def _row(self, as_of, partner=None, **kwargs):
        partner = partner or self.customer
        rows = self.aging.get_aging(as_of, self.company.ids, **kwargs)
        return next((row for row in rows if row["key"] == partner.id), None)

    def test_boundary_days(self):
        self._invoice(self.customer, 1000.0, DUE)
        # buckets: not due, 1-30, 31-60, 61-90, 91-120, over 120
        expected = {
            0: 0,
            1: 1,
            30: 1,
            31: 2,
            60: 2,
            61: 3,
            90: 3,
            91: 4,
            120: 4,
            121: 5,
        }
        for days, bucket in expected.items():
            with self.subTest(days=days):
                row = self._row(DUE + timedelta(days=days))
                buckets = [0.0] * 6
                buckets[bucket] = 1000.0
                self.assertEqual(row["buckets"], buckets)
                self.assertEqual(row["total"], 1000.0)
                self.assertEqual(row["unapplied"], 0.0)
                self.assertEqual(row["name"], "Boulangerie Martin")

    def test_custom_ranges(self):
        self._invoice(self.customer, 100.0, DUE)
        row = self._row(DUE + timedelta(days=16), buckets="15,45")
        self.assertEqual(row["buckets"], [0.0, 0.0, 100.0, 0.0])
        row = self._row(DUE + timedelta(days=46), buckets=[15, 45])
        self.assertEqual(row["buckets"], [0.0, 0.0, 0.0, 100.0])
        self.assertEqual(
            self.aging.get_aging_labels("15,45"),
            ["Not Due", "1-15", "16-45", "Over 45"],
        )

    def test_partial_payments_and_payment_after_the_date(self):
        invoice = self._invoice(self.customer, 500.0, DUE)
        register_payment(self.env, invoice, 200.0, DUE + timedelta(days=5))
        register_payment(self.env, invoice, 300.0, DUE + timedelta(days=40))
        # Before the first payment: 500.00, 4 days late.
        row = self._row(DUE + timedelta(days=4))
        self.assertEqual(row["buckets"], [0.0, 500.0, 0.0, 0.0, 0.0, 0.0])
        # After it: 500.00 - 200.00 = 300.00, 20 days late.
        row = self._row(DUE + timedelta(days=20))
        self.assertEqual(row["buckets"], [0.0, 300.0, 0.0, 0.0, 0.0, 0.0])
        # 39 days late, the second payment still to come: 300.00 in 31-60.
        row = self._row(DUE + timedelta(days=39))
        self.assertEqual(row["buckets"], [0.0, 0.0, 300.0, 0.0, 0.0, 0.0])
        # Paid on day 40: nothing left from that day on.
        self.assertIsNone(self._row(DUE + timedelta(days=40)))
        self.assertIsNone(self._row(DUE + timedelta(days=400)))

    def test_invoice_dated_after_the_date(self):
        self._invoice(self.customer, 700.0, DUE, invoice_date=DUE - timedelta(days=10))
        self.assertIsNone(self._row(DUE - timedelta(days=11)))
        row = self._row(DUE - timedelta(days=10))
        self.assertEqual(row["buckets"], [700.0, 0.0, 0.0, 0.0, 0.0, 0.0])

    def test_credit_note_and_unapplied_payment(self):
        self._invoice(self.customer, 1200.0, DUE)
        self._invoice(
            self.customer,
            150.0,
            DUE,
            move_type="out_refund",
            invoice_date=DUE + timedelta(days=2),
        )
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "bank")], limit=1
        )
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 250.0,
                "date": DUE + timedelta(days=3),
                "journal_id": journal.id,
            }
        )
        payment.action_post()
        row = self._row(DUE + timedelta(days=10))
        self.assertEqual(row["buckets"], [0.0, 1200.0, 0.0, 0.0, 0.0, 0.0])
        self.assertEqual(row["unapplied"], -400.0)
        self.assertEqual(row["total"], 800.0)
        # Before the payment and the credit note, nothing unapplied yet.
        row = self._row(DUE + timedelta(days=1))
        self.assertEqual(row["unapplied"], 0.0)
        self.assertEqual(row["total"], 1200.0)

    def test_foreign_currency(self):
        usd = self.setup_other_currency("USD", rates=[("2000-01-01", 1.25)])
        self._invoice(self.customer, 1250.0, DUE, currency=usd)
        self._invoice(self.customer, 100.0, DUE + timedelta(days=30))
        row = self._row(DUE + timedelta(days=10), by_currency=True)
        # USD 1,250.00 at 1.25 USD per EUR: EUR 1,000.00
        self.assertEqual(row["buckets"], [100.0, 1000.0, 0.0, 0.0, 0.0, 0.0])
        self.assertEqual(row["currency_id"], self.company.currency_id.id)
        by_currency = {sub["currency"]: sub for sub in row["currencies"]}
        self.assertEqual(
            by_currency["USD"]["buckets"], [0.0, 1250.0, 0.0, 0.0, 0.0, 0.0]
        )
        self.assertEqual(
            by_currency["EUR"]["buckets"], [100.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        )

    def test_foreign_currency_paid_after_the_date(self):
        """Before the payment the invoice stands at its own rate; between the
        payment and the exchange difference entry, what the ledger shows."""
        usd = self.setup_other_currency(
            "USD", rates=[("2000-01-01", 1.25), ("2024-04-01", 1.0)]
        )
        invoice = self._invoice(self.customer, 1250.0, DUE, currency=usd)
        # invoiced at 1.25 USD per EUR (EUR 1,000.00), paid at 1.00 (EUR 1,250.00):
        # Odoo books a 250.00 exchange difference matched with the invoice.
        register_payment(self.env, invoice, 1250.0, date(2024, 4, 10))
        self.assertEqual(invoice.payment_state, "paid")
        row = self._row(date(2024, 4, 9), by_currency=True)
        # 39 days late: EUR 1,000.00 in 31-60, USD 1,250.00 in the detail
        self.assertEqual(row["buckets"], [0.0, 0.0, 1000.0, 0.0, 0.0, 0.0])
        self.assertEqual(row["total"], 1000.0)
        (usd_row,) = row["currencies"]
        self.assertEqual(usd_row["currency"], "USD")
        self.assertEqual(usd_row["buckets"], [0.0, 0.0, 1250.0, 0.0, 0.0, 0.0])
        # Odoo dates the exchange difference entry of a payment in the past at the
        # end of its month: until then the receivable account holds 1,000.00 -
        # 1,250.00 = -250.00, which the aged balance shows as unapplied, as the
        # general ledger does.
        exchange_move = self.env["account.move"].search(
            [("journal_id", "=", self.company.currency_exchange_journal_id.id)]
        )
        self.assertEqual(len(exchange_move), 1)
        self.assertEqual(exchange_move.date, date(2024, 4, 30))
        row = self._row(date(2024, 4, 10))
        self.assertEqual(row["unapplied"], -250.0)
        self.assertEqual(row["total"], -250.0)
        self.assertIsNone(self._row(exchange_move.date))

    def test_group_by_and_filters(self):
        tag = self.env["res.partner.category"].create({"name": "Retail"})
        self.other.category_id = tag
        self._invoice(self.customer, 100.0, DUE)
        self._invoice(self.other, 40.0, DUE)
        as_of = DUE + timedelta(days=5)
        totals = self.aging.get_aging(as_of, self.company.ids, group_by=None)
        self.assertEqual(len(totals), 1)
        self.assertEqual(totals[0]["total"], 140.0)
        by_tag = self.aging.get_aging(as_of, self.company.ids, group_by="category")
        self.assertEqual(
            {(row["name"], row["total"]) for row in by_tag},
            {("Retail", 40.0), ("No Category", 100.0)},
        )
        only = self.aging.get_aging(
            as_of, self.company.ids, filters={"category_ids": tag.ids}
        )
        self.assertEqual([row["key"] for row in only], [self.other.id])
        self.customer.with_user(self.user).action_dunning_block("Unpaid")
        blocked = self.aging.get_aging(
            as_of, self.company.ids, filters={"blocked": True}
        )
        self.assertEqual([row["key"] for row in blocked], [self.customer.id])
        self.assertEqual(
            self.aging.get_aging(as_of, self.company.ids, filters={"excluded": True}),
            [],
        )

    def test_contact_counts_for_its_company(self):
        contact = self.env["res.partner"].create(
            {"name": "Paul", "parent_id": self.customer.id}
        )
        self._invoice(contact, 60.0, DUE)
        self._invoice(self.customer, 40.0, DUE)
        row = self._row(DUE + timedelta(days=1))
        self.assertEqual(row["total"], 100.0)

    def test_multi_company_and_access(self):
        company_b = self.company_b
        self._invoice(self.customer, 100.0, DUE)
        make_invoice(self.env, company_b, self.customer, 30.0, DUE)
        as_of = DUE + timedelta(days=1)
        both = self.env["account.dunning.aging"].get_aging(
            as_of, [self.company.id, company_b.id], group_by="company"
        )
        self.assertEqual(
            {(row["key"], row["total"]) for row in both},
            {(self.company.id, 100.0), (company_b.id, 30.0)},
        )
        user_b = company_user(
            self.env, "aging_b", "account.group_account_invoice", company_b
        )
        aging_b = self.env["account.dunning.aging"].with_user(user_b)
        rows = aging_b.get_aging(as_of, company_b.ids)
        self.assertEqual([row["total"] for row in rows], [30.0])
        with self.assertRaises(AccessError):
            aging_b.get_aging(as_of, self.company.ids)
        # The journal item view shows user B nothing of company A either.
        lines = (
            self.env["account.dunning.aging.line"]
            .with_user(user_b)
            .with_context(aging_date=str(as_of), allowed_company_ids=company_b.ids)
            .search([])
        )
        self.assertEqual(lines.mapped("amount"), [30.0])

    def test_access_and_bad_input(self):
        salesman = company_user(
            self.env, "aging_sales", "sales_team.group_sale_salesman", self.company
        )
        with self.assertRaises(AccessError):
            self.env["account.dunning.aging"].with_user(salesman).get_aging(
                DUE, self.company.ids
            )
        for buckets in ("30,20", "0,30", "a,b", [30, 30], "1,2,3,4,5,6,7,8,9,10"):
            with self.subTest(buckets=buckets), self.assertRaises(UserError):
                self.aging.get_aging(DUE, self.company.ids, buckets=buckets)
        with self.assertRaisesRegex(UserError, "Cannot group"):
            self.aging.get_aging(DUE, self.company.ids, group_by="planet")
        with self.assertRaisesRegex(UserError, "Unknown aged balance filter"):
            self.aging.get_aging(DUE, self.company.ids, filters={"colour": 1})
        with self.assertRaisesRegex(UserError, "is not a date"):
            self.aging.get_aging("2024-13-45", self.company.ids)

    def test_journal_item_view(self):
        invoice = self._invoice(self.customer, 1000.0, DUE)
        register_payment(self.env, invoice, 400.0, DUE + timedelta(days=50))
        lines = self.env["account.dunning.aging.line"].with_user(self.user)
        before = lines.with_context(aging_date=str(DUE + timedelta(days=31))).search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(before.move_id, invoice)
        self.assertEqual(before.amount, 1000.0)
        self.assertEqual(before.bucket, "b02")
        self.assertEqual(before.days_late, 31)
        after = lines.with_context(aging_date=str(DUE + timedelta(days=61)))
        groups = after._read_group(
            [("partner_id", "=", self.customer.id)], ["bucket"], ["amount:sum"]
        )
        self.assertEqual(groups, [("b03", 600.0)])
        action = after.search([]).action_open_journal_entry()
        self.assertEqual(action["res_id"], invoice.id)

    def test_wizard_exports(self):
        self._invoice(self.customer, 1000.0, DUE)
        self._invoice(self.other, 250.5, DUE + timedelta(days=60))
        wizard = (
            self.env["account.dunning.aging.wizard"]
            .with_user(self.user)
            .create(
                {
                    "date": DUE + timedelta(days=45),
                    "company_ids": [Command.set(self.company.ids)],
                }
            )
        )
        wizard.action_export_csv()
        content = base64.b64decode(wizard.export_file).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content)))
        self.assertEqual(
            rows[0],
            [
                "Customer",
                "Currency",
                "Not Due",
                "1-30",
                "31-60",
                "61-90",
                "91-120",
                "Over 120",
                "Unapplied",
                "Total",
            ],
        )
        self.assertEqual(
            rows[1:],
            [
                [
                    "Boulangerie Martin",
                    "EUR",
                    "0.00",
                    "0.00",
                    "1000.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    "1000.00",
                ],
                [
                    "Epicerie Zola",
                    "EUR",
                    "250.50",
                    "0.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    "250.50",
                ],
                [
                    "Total",
                    "EUR",
                    "250.50",
                    "0.00",
                    "1000.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    "1250.50",
                ],
            ],
        )
        self.assertTrue(wizard.export_filename.endswith(".csv"))
        wizard.action_export_xlsx()
        self.assertTrue(wizard.export_filename.endswith(".xlsx"))
        self.assertEqual(base64.b64decode(wizard.export_file)[:2], b"PK")
        action = wizard.action_open_lines()
        self.assertEqual(action["res_model"], "account.dunning.aging.line")
        self.assertEqual(action["context"]["aging_date"], "2024-04-15")
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "account_dunning.report_dunning_aging", wizard.ids
        )
        self.assertIn(b"Aged Receivable Balance", html)
        self.assertIn(b"Boulangerie Martin", html)
        self.assertIn(b"1,250.50", html)

    def test_report_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning"], ["fr_FR"], overwrite=True
        )
        self._invoice(self.customer, 1000.0, DUE)
        wizard = self.env["account.dunning.aging.wizard"].create(
            {"date": DUE + timedelta(days=45), "lang": "fr_FR"}
        )
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "account_dunning.report_dunning_aging", wizard.ids
        )
        self.assertIn("Balance âgée".encode(), html)
        self.assertIn("Non échu".encode(), html)
