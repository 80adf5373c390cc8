# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The statement of account of the customer page: its figures, its language, who may
download it."""

from datetime import date
from unittest.mock import patch

from odoo.tests import tagged

from ..models import dunning_statement
from .common import make_invoice, render_pdf
from .portal_common import PortalCommon

REPORT = "account_dunning.action_report_dunning_statement"
PERIOD = {"date_from": "2024-05-01", "date_to": "2024-06-30"}
URL = "/my/dues/statement?date_from=2024-05-01&date_to=2024-06-30"
# Numbers restart in each company: company B's invoices are told by their amount.
B_AMOUNT = "888.00"


class StatementCommon(PortalCommon):
    """Around the page's invoices (``late``: 1,000.00 dated 2024-04-01, ``recent``:
    600.00 dated 2024-05-16, ``future``: 400.00 dated 2024-07-02), for the period
    2024-05-01 to 2024-06-30: a payment of 300.00 on ``late`` on 2024-05-20, a credit
    note of 100.00 dated 2024-06-10 matched with ``recent``, a payment of 200.00 on
    ``recent`` after the period (2024-07-01), a CHF invoice of 321.00 dated
    2024-06-05, a draft of 999.00; the rival's invoice; an invoice of 888.00 to the
    customer in company B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.payment = cls._pay(cls.late, 300.0, date(2024, 5, 20))
        cls.refund = make_invoice(
            cls.env,
            cls.company,
            cls.customer,
            100.0,
            date(2024, 6, 10),
            move_type="out_refund",
            invoice_date=date(2024, 6, 10),
        )
        (cls.refund | cls.recent).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        cls.later_payment = cls._pay(cls.recent, 200.0, date(2024, 7, 1))
        cls.chf = cls.setup_other_currency("CHF", rates=[("2000-01-01", 1.25)])
        cls.chf_invoice = make_invoice(
            cls.env,
            cls.company,
            cls.customer,
            321.0,
            date(2024, 7, 5),
            currency=cls.chf,
            invoice_date=date(2024, 6, 5),
        )
        cls.draft = make_invoice(
            cls.env,
            cls.company,
            cls.customer,
            999.0,
            date(2024, 6, 20),
            post=False,
            invoice_date=date(2024, 6, 1),
        )
        env_a = cls.env
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=None))
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.env = env_a
        cls.company_b_invoice = make_invoice(
            cls.env,
            cls.company_b,
            cls.customer,
            888.0,
            date(2024, 6, 25),
            invoice_date=date(2024, 6, 2),
        )

    def _values(self, partners=None, period=None, company=None):
        return (
            self.env["report.account_dunning.report_dunning_statement"]
            .with_company(company or self.company)
            ._get_report_values((partners or self.customer).ids, dict(period or PERIOD))
        )

    def _html(self, partners=None):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            REPORT, (partners or self.customer).ids, dict(PERIOD)
        )
        return html.decode()


@tagged("post_install", "-at_install")
class TestDunningPortalStatement(StatementCommon):
    def _sections(self, values=None, partner=None):
        values = values or self._values()
        return {
            section["currency"]: section
            for section in values["statements"][(partner or self.customer).id]
        }

    def test_figures_to_the_cent(self):
        sections = self._sections()
        self.assertEqual(set(sections), {self.company.currency_id, self.chf})
        main = sections[self.company.currency_id]
        # Opening on 2024-05-01: late, dated 2024-04-01: 1,000.00.
        self.assertEqual(main["opening"], 1000.0)
        # 2024-05-16 recent  +600.00 -> 1,600.00
        # 2024-05-20 payment -300.00 -> 1,300.00
        # 2024-06-10 credit note -100.00 -> 1,200.00
        # (the draft, the payment of 2024-07-01, future dated 2024-07-02: not in it)
        self.assertEqual(
            [
                (line["date"], line["number"], line["debit"], line["credit"])
                for line in main["lines"]
            ],
            [
                (date(2024, 5, 16), self.recent.name, 600.0, 0.0),
                (date(2024, 5, 20), self.payment.move_id.name, 0.0, 300.0),
                (date(2024, 6, 10), self.refund.name, 0.0, 100.0),
            ],
        )
        self.assertEqual(
            [line["balance"] for line in main["lines"]], [1600.0, 1300.0, 1200.0]
        )
        self.assertEqual(
            [line["kind"] for line in main["lines"]],
            ["Invoice", "Payment", "Credit note"],
        )
        # Closing: 1,000.00 + 600.00 - (300.00 + 100.00) = 1,200.00.
        self.assertEqual((main["debit"], main["credit"]), (600.0, 400.0))
        self.assertEqual(main["closing"], 1200.0)
        # Open on 2024-06-30: late 1,000.00 - 300.00 = 700.00, 60 days late;
        # recent 600.00 - 100.00 = 500.00 (paid 200.00 only on 2024-07-01), 15 days.
        self.assertEqual(
            [
                (item["number"], item["date_due"], item["days_late"], item["amount"])
                for item in main["items"]
            ],
            [
                (self.late.name, date(2024, 5, 1), 60, 1000.0),
                (self.recent.name, date(2024, 6, 15), 15, 600.0),
            ],
        )
        self.assertEqual([item["amount_due"] for item in main["items"]], [700.0, 500.0])
        self.assertEqual(main["items_total"], main["closing"])
        # CHF 321.00 dated 2024-06-05, due 2024-07-05: nothing before, not late yet.
        chf = sections[self.chf]
        self.assertEqual(chf["opening"], 0.0)
        self.assertEqual(
            [(line["number"], line["debit"], line["balance"]) for line in chf["lines"]],
            [(self.chf_invoice.name, 321.0, 321.0)],
        )
        self.assertEqual(chf["closing"], 321.0)
        self.assertEqual(
            [
                (item["number"], item["days_late"], item["amount_due"])
                for item in chf["items"]
            ],
            [(self.chf_invoice.name, 0, 321.0)],
        )

    def test_next_period_opens_on_the_closing_balance(self):
        values = self._values(
            period={"date_from": "2024-07-01", "date_to": "2024-07-01"}
        )
        main = self._sections(values)[self.company.currency_id]
        # 1,200.00 on 2024-06-30, then the payment of 200.00 on 2024-07-01.
        self.assertEqual(main["opening"], 1200.0)
        self.assertEqual([line["credit"] for line in main["lines"]], [200.0])
        self.assertEqual(main["closing"], 1000.0)
        # recent 500.00 - 200.00 = 300.00 still open; future is dated 2024-07-02.
        self.assertEqual(
            [(item["number"], item["amount_due"]) for item in main["items"]],
            [(self.late.name, 700.0), (self.recent.name, 300.0)],
        )

    def test_other_customers_and_companies_absent(self):
        values = self._values()
        self.assertEqual(values["docs"], self.customer)
        move_ids = {
            line["move_id"]
            for section in values["statements"][self.customer.id]
            for line in section["lines"] + section["items"]
        }
        self.assertEqual(
            move_ids,
            {
                self.late.id,
                self.recent.id,
                self.payment.move_id.id,
                self.refund.id,
                self.chf_invoice.id,
            },
        )
        html = self._html()
        self.assertNotIn(self.rival_invoice.name, html)
        self.assertNotIn(self.rival.name, html)
        self.assertNotIn(B_AMOUNT, html)
        self.assertNotIn("999.00", html, "no draft")
        # A contact's statement is its commercial entity's.
        self.assertEqual(self._values(self.contact)["docs"], self.customer)
        # Company B's statement holds company B's invoice alone.
        values_b = self._values(company=self.company_b)
        (section_b,) = values_b["statements"][self.customer.id]
        self.assertEqual(
            [line["move_id"] for line in section_b["lines"]],
            [self.company_b_invoice.id],
        )
        self.assertEqual(section_b["closing"], 888.0)

    def test_in_french_for_a_french_customer(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        self.rival.lang = "en_US"
        self._pay(self.rival_invoice, 100.0, date(2024, 5, 2))
        html = self._html(self.customer | self.rival)
        french, english = html.split(self.rival.name, 1)
        lang = self.env["res.lang"]._lang_get("fr_FR")
        # Dates and amounts as written in French: 16/05/2024, 1 200,00.
        closing = lang.format("%.2f", 1200.0, grouping=True)
        self.assertTrue(closing.endswith(",00"))
        self.assertIn("16/05/2024", french)
        self.assertIn(closing, french)
        self.assertNotIn("1,200.00", french)
        self.assertNotIn("05/16/2024", french)
        # The rival's statement, in the same run, in English.
        self.assertIn("05/02/2024", english)
        self.assertNotIn("02/05/2024", english)

    def test_read_period(self):
        today = date(2024, 7, 1)
        cases = [
            (("2024-05-01", "2024-06-30"), (date(2024, 5, 1), date(2024, 6, 30), None)),
            (("2024-07-01", "2024-07-01"), (date(2024, 7, 1), date(2024, 7, 1), None)),
            (
                ("2019-02-28", "2024-02-29"),
                (date(2019, 2, 28), date(2024, 2, 29), None),
            ),
            (("2019-02-27", "2024-02-29"), (None, None, dunning_statement.TOO_LONG)),
            (("", "2024-06-30"), (None, None, dunning_statement.MISSING)),
            (("2024-05-01", None), (None, None, dunning_statement.MISSING)),
            (("2024-02-30", "2024-06-30"), (None, None, dunning_statement.MALFORMED)),
            (("01/05/2024", "2024-06-30"), (None, None, dunning_statement.MALFORMED)),
            (("2024-06-30", "2024-06-29"), (None, None, dunning_statement.REVERSED)),
            (("2024-06-30", "2024-07-02"), (None, None, dunning_statement.FUTURE)),
        ]
        for raw, expected in cases:
            with self.subTest(raw=raw):
                self.assertEqual(dunning_statement.read_period(*raw, today), expected)

    def test_query_count_does_not_grow_with_the_lines(self):
        def count():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._values()
            return self.env.cr.sql_log_count - before

        count()
        first = count()
        for day in range(5, 10):
            invoice = make_invoice(
                self.env,
                self.company,
                self.customer,
                50.0,
                date(2024, 6, day + 10),
                invoice_date=date(2024, 6, day),
            )
            self._pay(invoice, 20.0, date(2024, 6, day + 1))
        self.assertEqual(count(), first)

    def test_real_pdf(self):
        pdf = render_pdf(self.env, REPORT, self.customer.ids)
        self.assertTrue(pdf.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
class TestDunningPortalStatementHttp(StatementCommon):
    """A portal user chooses the company on the page (its form carries
    ``company_id``); a signed link names it."""

    def _url(self, company=None, **params):
        query = "&".join(f"{key}={value}" for key, value in params.items())
        company_id = (company or self.company).id
        return f"{URL}&company_id={company_id}" + (f"&{query}" if query else "")

    def _assert_customers_statement(self, response):
        self.assertEqual(response.status_code, 200)
        # In tests Odoo renders the report as HTML (a PDF outside them).
        self.assertEqual(response.headers["Content-Type"], "text/html; charset=utf-8")
        self.assertEqual(
            response.headers["Content-Disposition"],
            "attachment; filename*=UTF-8''"
            "Statement%20-%20Dubois%20SARL%20-%202024-05-01%20-%202024-06-30.pdf",
        )
        page = response.text
        for move in (self.late, self.recent, self.refund, self.chf_invoice):
            self.assertIn(move.name, page)
        self.assertIn("Dubois SARL", page)
        self.assertNotIn(self.rival_invoice.name, page)
        self.assertNotIn(self.rival.name, page)
        self.assertNotIn(B_AMOUNT, page)
        self.assertNotIn("999.00", page)

    def test_portal_user(self):
        self.authenticate("dubois_portal", "dubois_portal")
        self._assert_customers_statement(self._get(self._url()))

    def test_signed_link(self):
        self._assert_customers_statement(
            self._get(f"{URL}&access_token={self._token()}")
        )

    def test_pdf_response(self):
        """Outside tests the report is a PDF: what the route asks and answers."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        calls = []

        def fake_render(report, report_ref, res_ids=None, data=None):
            calls.append(
                (report.env.su, report.env.lang, report.env.company, res_ids, data)
            )
            return b"%PDF-1.4 statement", "pdf"

        Report = type(self.env["ir.actions.report"])
        self.authenticate("dubois_portal", "dubois_portal")
        with patch.object(Report, "_render_qweb_pdf", fake_render):
            response = self._get(self._url(partner_id=self.rival.id))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertTrue(
            response.headers["Content-Disposition"].startswith("attachment;")
        )
        self.assertEqual(
            calls,
            [
                (
                    True,
                    "fr_FR",
                    self.company,
                    self.customer.ids,
                    {"date_from": "2024-05-01", "date_to": "2024-06-30"},
                )
            ],
        )

    def test_visitor_without_link_logs_in(self):
        response = self._get(URL, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_tampered_link(self):
        token = self._token()
        tampered = token.replace(f"{self.customer.id}-", f"{self.rival.id}-", 1)
        self.assertNotEqual(token, tampered)
        response = self._get(f"{URL}&access_token={tampered}")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(self.rival_invoice.name, response.text)
        self.assertNotIn(self.late.name, response.text)

    def test_crafted_partner_changes_nothing(self):
        self.authenticate("dubois_portal", "dubois_portal")
        for param in ("partner_id", "commercial_partner_id", "docids", "doc_ids"):
            self._assert_customers_statement(
                self._get(self._url(**{param: self.rival.id}))
            )
        self.authenticate(None, None)
        self._assert_customers_statement(
            self._get(f"{URL}&access_token={self._token()}&partner_id={self.rival.id}")
        )

    def test_company_apart(self):
        self.authenticate("dubois_portal", "dubois_portal")
        response = self._get(self._url(self.company_b))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Company B", response.text)
        self.assertIn(B_AMOUNT, response.text)
        self.assertNotIn(self.recent.name, response.text)
        self.assertNotIn("1,200.00", response.text)
        # A company the customer has nothing with.
        self.authenticate("martin_portal", "martin_portal")
        response = self._get(self._url(self.company_b))
        self.assertEqual(response.status_code, 404)

    def test_bad_dates(self):
        self.authenticate("dubois_portal", "dubois_portal")
        cases = [
            ("date_from=&date_to=2024-06-30", "Choose the first and the last day"),
            ("date_to=2024-06-30", "Choose the first and the last day"),
            ("date_from=2024-13-01&date_to=2024-06-30", "not valid dates"),
            ("date_from=yesterday&date_to=2024-06-30", "not valid dates"),
            ("date_from=2024-06-30&date_to=2024-05-01", "must start before it ends"),
            ("date_from=2024-06-01&date_to=2024-07-02", "cannot end after today"),
            ("date_from=2019-06-29&date_to=2024-06-30", "5 years at most"),
        ]
        for query, message in cases:
            with self.subTest(query=query):
                response = self._get(f"/my/dues/statement?{query}")
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                # The page again, with the form open on its message.
                self.assertIn("dunning_statement_form", response.text)
                self.assertNotIn("Opening balance", response.text)
        # Five years exactly is allowed.
        response = self._get(
            "/my/dues/statement?date_from=2019-06-30&date_to=2024-06-30"
        )
        self.assertEqual(response.status_code, 200)

    def test_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        # The reader's own language is English; the statement is the customer's.
        self.assertEqual(self.portal_user.lang, "en_US")
        self.authenticate("dubois_portal", "dubois_portal")
        response = self._get(self._url())
        self.assertEqual(response.status_code, 200)
        self.assertIn('lang="fr-FR"', response.text)
        self.assertIn("16/05/2024", response.text)
        self.assertNotIn("05/16/2024", response.text)
