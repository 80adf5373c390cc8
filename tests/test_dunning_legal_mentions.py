import re
from datetime import date

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import EurCompanyCommon, make_invoice

DUE = date(2024, 2, 15)
INDEMNITY = "for recovery costs is due for any payment after the due date"


def _text(html):
    """The visible text of a rendered report, whitespace collapsed."""
    if isinstance(html, bytes):
        html = html.decode()
    text = re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace("\xa0", " ")
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
    def _invoice(cls, move_type="out_invoice", partner=None):
        return make_invoice(
            cls.env,
            cls.company,
            partner or cls.customer,
            1000.0,
            DUE,
            move_type=move_type,
            invoice_date=date(2024, 1, 16),
        )


@tagged("post_install", "-at_install")
class TestDunningLegalMentions(LegalMentionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice()

    def _render(self, move, env=None):
        html, _type = (env or self.env)["ir.actions.report"]._render_qweb_html(
            "account.account_invoices", move.ids
        )
        return html.decode(), _text(html)

    def test_reference_rate(self):
        html, text = self._render(self.invoice)
        self.assertIn('class="o_dunning_legal_mentions small"', html)
        self.assertIn("Payment due date: 02/15/2024", text)
        # ECB rate in force on 1 January 2024: 4.50, plus 10 points.
        self.assertIn(
            "Late payment penalties: the European Central Bank's main refinancing "
            "rate plus 10.00 points (14.50% for the half-year of the due date).",
            text,
        )
        self.assertIn(f"A fixed indemnity of 40.00 € {INDEMNITY}", text)
        self.assertIn("articles L441-10 and D441-5", text)

    def test_reference_rate_second_half_year(self):
        self.invoice.button_draft()
        self.invoice.invoice_date_due = date(2024, 9, 30)
        self.invoice.action_post()
        _html, text = self._render(self.invoice)
        # ECB rate in force on 1 July 2024: 4.25.
        self.assertIn("(14.25% for the half-year of the due date)", text)
        self.assertIn("Payment due date: 09/30/2024", text)

    def test_floor_included(self):
        # Floor: 3 x the French legal rate of H1 2024 (5.07) = 15.21 > 14.50.
        self.policy.interest_floor_multiple = 3.0
        _html, text = self._render(self.invoice)
        self.assertIn("(15.21% for the half-year of the due date)", text)

    def test_fixed_rate(self):
        self.policy.write({"interest_mode": "fixed", "interest_fixed_rate": 12.0})
        _html, text = self._render(self.invoice)
        self.assertIn("Late payment penalties: 12.00% per year.", text)
        self.assertNotIn("European Central Bank", text)
        self.assertIn(INDEMNITY, text)

    def test_no_interest_still_indemnity(self):
        self.policy.interest_mode = "none"
        html, text = self._render(self.invoice)
        self.assertIn("o_dunning_legal_mentions", html)
        self.assertNotIn("Late payment penalties", text)
        self.assertIn("Payment due date: 02/15/2024", text)
        self.assertIn(f"A fixed indemnity of 40.00 € {INDEMNITY}", text)

    def test_partner_policy(self):
        own_policy = self.policy.copy(
            {
                "name": "Customer terms",
                "interest_mode": "fixed",
                "interest_fixed_rate": 9.5,
                "indemnity_amount": 55.0,
            }
        )
        customer = self.customer.copy({"name": "Client Spécial"})
        customer.with_company(self.company).dunning_policy_id = own_policy
        _html, text = self._render(self._invoice(partner=customer))
        self.assertIn("Late payment penalties: 9.50% per year.", text)
        self.assertIn(f"A fixed indemnity of 55.00 € {INDEMNITY}", text)

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
        self.assertIn("(14.50% for the half-year of the due date)", text)
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
        self.assertIn("(14.50% for the half-year of the due date)", text)
        self.assertIn(f"A fixed indemnity of 40.00 € {INDEMNITY}", text)
