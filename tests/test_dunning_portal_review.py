# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer page reviewed as an attacker: what a crafted request must not reach."""

from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY
from .portal_common import PortalCommon
from .test_dunning_portal_payment import DunningPaymentCommon

STATEMENT = "account_dunning.report_dunning_statement"


@tagged("post_install", "-at_install")
class TestDunningPortalReview(PortalCommon):
    def _link_mails(self):
        subject = f"{self.company.name}: the link to your account"
        return self.env["mail.mail"].sudo().search([("subject", "=", subject)])

    def test_fresh_link_not_sent_for_a_forged_signature(self):
        """Anyone may post a link shaped like a token: unless we signed it, its ids
        are the poster's choice, and no email goes to the customer they name."""
        expired = self._token(expiry=TODAY - timedelta(days=1))
        page = f"/my/dues?access_token={expired}"
        day = (TODAY - timedelta(days=1)).strftime("%Y%m%d")
        forged = f"{self.rival.id}-{self.company.id}-{day}-{'0' * 64}"
        response = self._post("/my/dues/link", {"access_token": forged}, page=page)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Check your mailbox", response.text)
        self.env.invalidate_all()
        self.assertFalse(self._link_mails())
        self.assertFalse(self.rival.sudo().dunning_portal_link_sent)
        # The signed (expired) link of the customer still gets its fresh one.
        self._post("/my/dues/link", {"access_token": expired}, page=page)
        self.env.invalidate_all()
        self.assertEqual(self._link_mails().recipient_ids, self.customer)

    def test_fresh_link_of_a_damaged_link_to_the_invoice_address_given(self):
        """A damaged link names no one: the visitor gives the address we invoice the
        customer at, and the fresh link goes to that address only."""
        page = "/my/dues?access_token=damaged"
        response = self._get(page)
        self.assertEqual(response.status_code, 403)
        self.assertIn('name="email"', response.text)
        # An address we do not know, or a rival's contact given as someone else's:
        # the same answer, nothing sent.
        for email in ("nobody@example.com", "not an address"):
            response = self._post(
                "/my/dues/link", {"access_token": "damaged", "email": email}, page=page
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("Check your mailbox", response.text)
        self.env.invalidate_all()
        self.assertFalse(self._link_mails())
        # The customer's own address (its email, no invoice contact), any case.
        self._post(
            "/my/dues/link",
            {"access_token": "damaged", "email": self.customer.email.upper()},
            page=page,
        )
        self.env.invalidate_all()
        mails = self._link_mails()
        self.assertEqual(mails.recipient_ids, self.customer)
        self.assertIn("/my/dues?access_token=", mails.body_html)
        # Once an hour.
        self._post(
            "/my/dues/link",
            {"access_token": "damaged", "email": self.customer.email},
            page=page,
        )
        self.env.invalidate_all()
        self.assertEqual(len(self._link_mails()), 1)

    def test_statement_report_route_of_another_customer(self):
        """Odoo's own report route does not print another customer's statement."""
        self.authenticate("dubois_portal", "dubois_portal")
        for converter in ("html", "pdf"):
            with self.subTest(converter=converter), mute_logger("odoo.http"):
                response = self._get(
                    f"/report/{converter}/{STATEMENT}/{self.rival.id}"
                    "?options=%7B%22date_from%22%3A%222024-01-01%22%7D"
                )
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn(self.rival_invoice.name, response.text)

    def test_dispute_description_is_text_in_the_owners_todo(self):
        """What the customer types is shown as text to the dispute's owner: no
        link nor image of its own in the to-do."""
        self.authenticate("dubois_portal", "dubois_portal")
        description = (
            '<a href="https://evil.example.com/login">Approve here</a>'
            '<img src="https://evil.example.com/pixel.gif">'
        )
        response = self._post(
            f"/my/dues/dispute/{self.late.id}",
            {
                "reason": "quality",
                "description": description,
                "company_id": self.company.id,
            },
        )
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.env.invalidate_all()
        dispute = self.env["account.dunning.dispute"].search(
            [("move_id", "=", self.late.id)]
        )
        self.assertEqual(dispute.description, description)
        self.assertTrue(dispute.activity_ids.note)
        for body in (dispute.activity_ids.note, *dispute.message_ids.mapped("body")):
            # Its tags as text (Odoo still makes a bare address a link).
            self.assertNotIn('">Approve here</a>', str(body))
            self.assertNotIn("<img", str(body))
        self.assertIn("&lt;img src=", str(dispute.activity_ids.note))


@tagged("post_install", "-at_install")
class TestDunningPortalReviewPayment(DunningPaymentCommon):
    @mute_logger("odoo.http")
    def test_logged_in_user_with_another_customers_link(self):
        """The rival's portal user opens the customer's signed link: the link wins
        (it names the customer it was sent to), the customer pays, and the user's
        own saved payment method is not offered nor taken."""
        saved = self.env["payment.token"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.demo_method.id,
                "partner_id": self.rival_contact.id,
                "payment_details": "4242",
                "provider_ref": "demo-rival",
            }
        )
        self.authenticate("martin_portal", "martin_portal")
        token = self._token()
        page = self._get(self._route("/my/dues/pay", access_token=token))
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("demo-rival", page.text)
        self.assertNotIn(f'data-payment-option-id="{saved.id}"', page.text)
        route = self._route(currency_id=self.usd.id, access_token=token)
        answer = self._rpc(route, **self._pay_params(flow="token", token_id=saved.id))
        self.assertIn("saved payment method", self._error(answer))
        self.assertFalse(self._transactions())
        self._ok(self._rpc(route, **self._pay_params()))
        tx = self._transactions()
        self.assertEqual(
            (tx.partner_id, tx.invoice_ids, tx.amount, tx.token_id),
            (self.customer, self.overdue, 1600.0, saved.browse()),
        )

    @mute_logger("odoo.http")
    def test_payment_on_its_way_is_not_paid_twice(self):
        """Paid by a method that settles later (the transaction pending): the
        invoices are not offered for "Pay all overdue" again, as Odoo's invoice page
        does not offer them, and a second transaction cannot take them."""
        self.authenticate("dubois_portal", "dubois_portal")
        route = self._route(company_id=self.company.id, currency_id=self.usd.id)
        result = self._ok(self._rpc(route, **self._pay_params()))
        simulated = self._rpc(
            "/payment/demo/simulate_payment",
            reference=result["reference"],
            payment_details="4242",
            simulated_state="pending",
        )
        self.assertNotIn("error", simulated)
        tx = self._transactions()
        self.assertEqual((tx.state, tx.invoice_ids), ("pending", self.overdue))
        self.assertFalse(any(invoice._has_to_be_paid() for invoice in self.overdue))
        pay_page = self._get(self._route("/my/dues/pay", currency_id=self.usd.id))
        self.assertNotIn("o_dunning_pay_form", pay_page.text)
        answer = self._rpc(route, **self._pay_params())
        self.assertIn("Nothing is overdue", self._error(answer))
        self.assertEqual(self._transactions(), tx)

    @mute_logger("odoo.http")
    def test_online_payment_of_invoices_disabled(self):
        """The company let no invoice be paid online (Odoo's setting "Invoice Online
        Payment"): no "Pay all overdue" either."""
        self.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", False
        )
        self.authenticate("dubois_portal", "dubois_portal")
        page = self._get(self._route("/my/dues", company_id=self.company.id))
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("o_dunning_pay_overdue", page.text)
        route = self._route(company_id=self.company.id, currency_id=self.usd.id)
        answer = self._rpc(route, **self._pay_params())
        self.assertIn("error", answer)
        self.assertFalse(self._transactions())
