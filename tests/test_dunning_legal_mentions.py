import html as html_lib
import re
from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import EurCompanyCommon, company_user, make_invoice

DUE = date(2024, 2, 15)
INDEMNITY = "for recovery costs is due for any payment after the due date"
FROM_DAY_AFTER = (
    "due from the day after the due date without a reminder being needed "
    "(article L441-10 of the French Commercial Code)."
)


def _text(html):
    """The visible text of a rendered report, whitespace collapsed."""
    if isinstance(html, bytes):
        html = html.decode()
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ")
    text = re.sub(r"\s+", " ", text)
    # Punctuation next to a tag gets a space from the tag: drop it.
    return re.sub(r"\( ", "(", re.sub(r" ([.,)%])", r"\1", text))


class LegalMentionsCommon(EurCompanyCommon):
    """Invoices of a French company in EUR, with the shipped rates."""

    company_name = "Mentions SAS"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write(
            {
                "interest_mode": "reference",
                "interest_margin": 10.0,
                "interest_rate_source": "ecb_mro",
                "interest_floor_multiple": 0.0,
                "indemnity_amount": 40.0,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Client Mentions", "is_company": True, "lang": "en_US"}
        )

    @classmethod
    def _invoice(cls, move_type="out_invoice", partner=None, due=DUE, company=None):
        return make_invoice(
            cls.env,
            company or cls.company,
            partner or cls.customer,
            1000.0,
            due,
            move_type=move_type,
            invoice_date=due - (DUE - date(2024, 1, 16)),
        )

    def _render(self, move, env=None):
        html, _type = (env or self.env)["ir.actions.report"]._render_qweb_html(
            "account.account_invoices", move.ids
        )
        return html.decode(), _text(html)


@tagged("post_install", "-at_install")
class TestDunningLegalMentions(LegalMentionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice()

    def test_reference_rate(self):
        html, text = self._render(self.invoice)
        self.assertIn('class="o_dunning_legal_mentions small"', html)
        self.assertIn("Payment due date: 02/15/2024", text)
        # ECB rate in force on 1 January 2024: 4.50, plus 10 points.
        self.assertIn(
            "Late payment penalties: the European Central Bank's main refinancing "
            "rate plus 10.00 points (14.50% per year on the day after the due date), "
            f"{FROM_DAY_AFTER}",
            text,
        )
        self.assertIn(f"A fixed indemnity of 40.00 € {INDEMNITY}", text)
        self.assertIn("articles L441-10 and D441-5", text)
        self.assertIn("No discount for early payment.", text)

    def test_reference_rate_second_half_year(self):
        self.invoice.button_draft()
        self.invoice.invoice_date_due = date(2024, 9, 30)
        self.invoice.action_post()
        _html, text = self._render(self.invoice)
        # ECB rate in force on 1 July 2024: 4.25.
        self.assertIn("(14.25% per year on the day after the due date)", text)
        self.assertIn("Payment due date: 09/30/2024", text)

    def test_due_on_30_june_prints_the_rate_of_1_july(self):
        """Penalties start on 1 July: ECB 2.15 on 1 July 2025 + 10 = 12.15 (not the
        13.15 of the first half-year: ECB 3.15 on 1 January 2025 + 10)."""
        _html, text = self._render(self._invoice(due=date(2025, 6, 30)))
        self.assertIn("Payment due date: 06/30/2025", text)
        self.assertIn("(12.15% per year on the day after the due date)", text)
        self.assertNotIn("13.15", text)

    def test_rate_not_published_yet(self):
        """The shipped ECB rates are known until 30 April 2026: for an invoice due
        on 31 December 2026 the rate of 1 January 2027 is the last known one, said
        to be provisional."""
        _html, text = self._render(self._invoice(due=date(2026, 12, 31)))
        self.assertIn(
            "(provisionally 12.15% per year: the rate of the day after the due date "
            "is not published yet)",
            text,
        )

    def test_floor_included(self):
        # Floor: 3 x the French legal rate of H1 2024 (5.07) = 15.21 > 14.50.
        self.policy.interest_floor_multiple = 3.0
        _html, text = self._render(self.invoice)
        self.assertIn(
            "plus 10.00 points, never less than 3 times the legal interest rate "
            "(15.21% per year on the day after the due date)",
            text,
        )

    def test_fixed_rate(self):
        # A contractual rate is never below 3 x the legal rate (L441-10 II): 15.21.
        self.policy.write({"interest_mode": "fixed", "interest_fixed_rate": 12.0})
        _html, text = self._render(self.invoice)
        self.assertIn(
            "Late payment penalties: 12.00% per year, never less than 3 times the "
            "legal interest rate (15.21% per year on the day after the due date), "
            f"{FROM_DAY_AFTER}",
            text,
        )
        self.assertNotIn("European Central Bank", text)
        self.assertIn(INDEMNITY, text)

    def test_no_interest_still_states_the_legal_rate(self):
        """The mention is mandatory: with interest off, 3 x the legal rate of the
        half-year of the day after the due date (H1 2024: 3 x 5.07 = 15.21)."""
        self.policy.interest_mode = "none"
        html, text = self._render(self.invoice)
        self.assertIn("o_dunning_legal_mentions", html)
        self.assertIn(
            "Late payment penalties: three times the legal interest rate (15.21% per "
            f"year on the day after the due date), {FROM_DAY_AFTER}",
            text,
        )
        self.assertIn("Payment due date: 02/15/2024", text)
        self.assertIn(f"A fixed indemnity of 40.00 € {INDEMNITY}", text)

    def test_no_indemnity_claimed_still_states_the_legal_one(self):
        """The amount of the indemnity is a mandatory mention (L441-9): a French
        invoice states the law's 40 EUR even when the policy claims none, never
        0.00."""
        self.policy.indemnity_amount = 0.0
        _html, text = self._render(self.invoice)
        self.assertIn(f"A fixed indemnity of 40.00 € {INDEMNITY}", text)
        self.assertNotIn("A fixed indemnity of 0.00", text)

    def test_indemnity_is_the_law_s(self):
        for amount in (55.0, 39.0):
            with self.subTest(amount=amount), self.assertRaises(ValidationError):
                self.policy.copy({"name": "Other terms", "indemnity_amount": amount})

    def test_partner_policy(self):
        own_policy = self.policy.copy(
            {
                "name": "Customer terms",
                "interest_mode": "fixed",
                "interest_fixed_rate": 16.5,
            }
        )
        customer = self.customer.copy({"name": "Client Spécial"})
        customer.with_company(self.company).dunning_policy_id = own_policy
        _html, text = self._render(self._invoice(partner=customer))
        self.assertIn(
            "Late payment penalties: 16.50% per year, never less than 3 times the "
            "legal interest rate (16.50% per year on the day after the due date)",
            text,
        )
        self.assertIn(f"A fixed indemnity of 40.00 € {INDEMNITY}", text)

    def test_early_payment_discount(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "30 days, 2% at 10 days",
                "company_id": self.company.id,
                "early_discount": True,
                "discount_percentage": 2.0,
                "discount_days": 10,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 30}
                    )
                ],
            }
        )
        invoice = self._invoice(move_type="out_invoice")
        invoice.button_draft()
        invoice.invoice_payment_term_id = term
        invoice.action_post()
        _html, text = self._render(invoice)
        # Invoiced on 01/16/2024: the discount runs until 01/26/2024.
        self.assertIn("Early payment discount: 2.00% if paid by 01/26/2024.", text)
        self.assertNotIn("No discount for early payment", text)

    def test_consumer_without_b2b_mentions(self):
        consumer = self.env["res.partner"].create(
            {"name": "Jeanne Martin", "is_company": False, "lang": "en_US"}
        )
        self.assertEqual(consumer.dunning_debtor_type, "consumer")
        html, text = self._render(self._invoice(partner=consumer))
        self.assertIn("o_dunning_legal_mentions", html)
        self.assertIn("Payment due date: 02/15/2024", text)
        self.assertIn("No discount for early payment.", text)
        for b2b in ("Late payment penalties", "indemnity", "L441", "D441"):
            self.assertNotIn(b2b, text)

    def test_public_body(self):
        """ECB rate of the half-year the delay starts + 8 points (4.50 + 8), the
        40 EUR indemnity, the public procurement articles."""
        town = self.env["res.partner"].create(
            {
                "name": "Mairie de Lyon",
                "is_company": True,
                "lang": "en_US",
                "category_id": [
                    Command.link(
                        self.env.ref("account_dunning.partner_category_public_body").id
                    )
                ],
            }
        )
        self.assertEqual(town.dunning_debtor_type, "public_body")
        _html, text = self._render(self._invoice(partner=town))
        self.assertIn(
            "Late payment penalties: the European Central Bank's main refinancing "
            "rate plus 8.00 points (12.50% per year on the day after the due date), "
            "due from the day after the due date without a reminder being needed "
            "(articles L2192-13 and R2192-31 of the French Public Procurement Code).",
            text,
        )
        self.assertIn(
            f"A fixed indemnity of 40.00 € {INDEMNITY} (articles L2192-13 and "
            "D2192-35 of the French Public Procurement Code).",
            text,
        )
        self.assertNotIn("L441", text)

    def test_penalty_invoice_without_indemnity(self):
        biller = company_user(
            self.env,
            "mentions_biller",
            "account.group_account_invoice,account_dunning.group_dunning_user",
            self.company,
        )
        with freeze_time("2024-03-16"):
            action = self.invoice.with_user(biller).action_dunning_bill_penalties()
        penalty = self.env["account.move"].browse(action["res_id"])
        self.assertTrue(penalty.invoice_line_ids)
        _html, text = self._render(penalty)
        self.assertIn("Late payment penalties", text)
        self.assertNotIn(INDEMNITY, text)

    def test_vendor_bill_and_refund_without_mentions(self):
        for move_type in ("in_invoice", "out_refund"):
            with self.subTest(move_type=move_type):
                html, text = self._render(self._invoice(move_type=move_type))
                self.assertNotIn("o_dunning_legal_mentions", html)
                self.assertNotIn(INDEMNITY, text)

    def test_no_policy_no_mentions(self):
        self.company.dunning_policy_id = False
        html, _unused = self._render(self.invoice)
        self.assertNotIn("o_dunning_legal_mentions", html)

    def test_user_without_dunning_rights(self):
        """Printing needs no right on the dunning policy or the rates."""
        auditor = new_test_user(
            self.env,
            login="mentions_auditor",
            groups="base.group_user,account.group_account_readonly",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertFalse(
            auditor.has_group("account_dunning.group_dunning_user"),
            "the test needs a user without access to the policies",
        )
        env = self.env(user=auditor)
        _html, text = self._render(self.invoice.with_env(env), env=env)
        self.assertIn("(14.50% per year on the day after the due date)", text)
        self.assertIn(INDEMNITY, text)


@tagged("post_install", "-at_install")
class TestDunningLegalMentionsPortal(
    LegalMentionsCommon, AccountTestInvoicingHttpCommon
):
    def test_portal_html(self):
        invoice = self._invoice()
        token = invoice._portal_ensure_token()
        response = self.url_open(
            f"/my/invoices/{invoice.id}?access_token={token}&report_type=html"
        )
        self.assertEqual(response.status_code, 200)
        # No charset in the Content-Type header: decode the UTF-8 by hand.
        text = _text(response.content)
        self.assertIn("Payment due date: 02/15/2024", text)
        self.assertIn("(14.50% per year on the day after the due date)", text)
        self.assertIn(f"A fixed indemnity of 40.00 € {INDEMNITY}", text)


@tagged("post_install", "-at_install")
class TestDunningLegalMentionsAbroad(LegalMentionsCommon):
    """Companies outside France: neutral texts in the EU, none elsewhere unless the
    policy claims penalties."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.de_company = cls._company_in("Maschinen GmbH", "base.de", "base.EUR")
        cls.us_company = cls._company_in("Widgets Inc", "base.us", "base.USD")

    @classmethod
    def _company_in(cls, name, country, currency):
        env = cls.env
        # Created as the first company was: not limited to the French one.
        cls.env = env(
            context={
                key: value
                for key, value in env.context.items()
                if key != "allowed_company_ids"
            }
        )
        company = cls.setup_other_company(
            name=name, currency_id=cls.env.ref(currency).id
        )["company"]
        cls.env = env
        cls.change_company_country(company, cls.env.ref(country))
        company.dunning_policy_id.write(company._dunning_default_penalty_vals())
        cls.env.user.company_ids |= company
        return company

    def _render_of(self, company, **values):
        invoice = self._invoice(company=company, **values)
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        return self._render(invoice.with_env(env), env=env)

    def test_german_company_without_french_mentions(self):
        # The directive's defaults: ECB rate of 1 January 2024 (4.50) + 8 points.
        _html, text = self._render_of(self.de_company)
        self.assertIn(
            "Late payment penalties: the European Central Bank's main refinancing "
            "rate plus 8.00 points (12.50% per year on the day after the due date), "
            "due from the day after the due date without a reminder being needed.",
            text,
        )
        self.assertIn(f"A fixed indemnity of 40.00 € {INDEMNITY}.", text)
        self.assertIn("No discount for early payment.", text)
        for french in ("L441", "D441", "Code de commerce", "Commercial Code", "French"):
            self.assertNotIn(french, text)

    def test_german_company_with_interest_off(self):
        # Outside France no legal rate is stated in place of the policy's.
        self.de_company.dunning_policy_id.interest_mode = "none"
        _html, text = self._render_of(self.de_company)
        self.assertNotIn("Late payment penalties", text)
        self.assertIn(INDEMNITY, text)

    def test_company_outside_the_eu(self):
        html, _text = self._render_of(self.us_company)
        self.assertNotIn("o_dunning_legal_mentions", html, "no terms configured")
        self.us_company.dunning_policy_id.write(
            {"interest_mode": "fixed", "interest_fixed_rate": 10.0}
        )
        _html, text = self._render_of(self.us_company)
        self.assertIn(
            "Late payment penalties: 10.00% per year, due from the day after the due "
            "date without a reminder being needed.",
            text,
        )
        self.assertNotIn(INDEMNITY, text, "the policy claims no indemnity")
        self.assertNotIn("L441", text)
