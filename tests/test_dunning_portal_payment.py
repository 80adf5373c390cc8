# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Paying from the customer page, over HTTP, with Odoo's demo payment provider
(``payment_demo``, installed for the tests only: scripts/test.sh)."""

import json
from datetime import date, timedelta

from lxml import html

from odoo import Command
from odoo.tests import mute_logger, tagged
from odoo.tools import format_amount

from .common import TODAY, instalment_invoice, two_instalment_term
from .portal_common import PortalCommon

AMOUNT_XPATH = "//td[contains(@class, 'o_dunning_pay_amount')]"


class DunningPaymentCommon(PortalCommon):
    """PortalCommon, with Odoo's demo provider enabled for the test company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Provider = cls.env["payment.provider"].sudo()
        base = Provider.search([("code", "=", "demo")], limit=1)
        assert base, "payment_demo must be installed (scripts/test.sh installs it)"
        cls.provider = Provider.search(
            [("code", "=", "demo"), ("company_id", "=", cls.company.id)], limit=1
        ) or base.copy({"company_id": cls.company.id})
        cls.provider.write(
            {
                "state": "test",
                "is_published": True,
                "journal_id": cls.company_data["default_journal_bank"].id,
            }
        )
        # The demo provider alone, as payment_demo's own tests have it.
        others = Provider.search([("company_id", "=", cls.company.id)]) - cls.provider
        others.write({"state": "disabled"})
        cls.demo_method = cls.env.ref("payment_demo.payment_method_demo")
        cls.provider.payment_method_ids |= cls.demo_method
        cls.usd = cls.company.currency_id
        cls.overdue = cls.late | cls.recent

    # ------------------------------------------------------------ helpers

    def _rpc(self, route, **params):
        """The JSON-RPC answer of ``route`` (its ``result`` or its ``error``)."""
        response = self.url_open(
            route,
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "id": 0, "params": params}
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _pay_params(self, **values):
        """What Odoo's payment form sends to the transaction route."""
        return {
            "provider_id": self.provider.id,
            "payment_method_id": self.demo_method.id,
            "token_id": None,
            "amount": 1600.0,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/my/dues",
            "is_validation": False,
            "csrf_token": "x",
            **values,
        }

    def _route(self, path="/my/dues/transaction", **params):
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return f"{path}?{query}" if query else path

    def _transactions(self):
        customers = self.customer | self.rival
        return (
            self.env["payment.transaction"]
            .sudo()
            .search([("partner_id.commercial_partner_id", "in", customers.ids)])
        )

    def _error(self, answer):
        self.assertIn("error", answer, "the route refuses")
        return answer["error"]["data"]["message"]

    def _ok(self, answer):
        self.assertIn("result", answer, answer.get("error"))
        return answer["result"]

    def _listed(self, page):
        """The invoices listed on the customer page, by id."""
        rows = html.fromstring(page).xpath(
            "//tr[contains(@class, 'o_dunning_item')]/@data-move-id"
        )
        return {int(move_id) for move_id in rows}

    def _amount_shown(self, tree):
        return tree.xpath(AMOUNT_XPATH)[0].text_content()

    def _money(self, amount, currency=None):
        return format_amount(self.env, amount, currency or self.usd)


@tagged("post_install", "-at_install")
class TestDunningPortalPaymentPage(DunningPaymentCommon):
    def test_pay_all_overdue_button_per_currency(self):
        eur = self.setup_other_currency("EUR")
        # The demo provider takes every currency.
        self._invoice(self.customer, 300.0, date(2024, 6, 1), currency=eur)
        self.authenticate("dubois_portal", "dubois_portal")
        page = self._get(self._route("/my/dues", company_id=self.company.id)).text
        buttons = html.fromstring(page).xpath(
            "//div[contains(@class, 'o_dunning_total_actions')]"
            "/a[contains(@class, 'o_dunning_pay_overdue')]"
        )
        currency_ids = [int(button.get("data-currency-id")) for button in buttons]
        self.assertEqual(sorted(currency_ids), sorted((self.usd | eur).ids))
        for button in buttons:
            currency_id = button.get("data-currency-id")
            self.assertEqual(button.getparent().get("data-currency-id"), currency_id)
            self.assertEqual(
                button.get("href"),
                self._route(
                    "/my/dues/pay", company_id=self.company.id, currency_id=currency_id
                ),
            )

    def test_no_button_without_provider_or_overdue(self):
        self.provider.state = "disabled"
        self.authenticate("dubois_portal", "dubois_portal")
        page = self._get("/my/dues").text
        self.assertIn(self.late.name, page)
        self.assertNotIn("o_dunning_pay_overdue", page, "no provider: no button")
        self.provider.state = "test"
        self.rival_invoice.button_draft()
        self._invoice(self.rival, 50.0, date(2024, 9, 1))
        self.authenticate("martin_portal", "martin_portal")
        page = self._get("/my/dues").text
        self.assertIn("o_dunning_items", page)
        self.assertNotIn("o_dunning_pay_overdue", page, "nothing overdue: no button")
        response = self._get(self._route("/my/dues/pay", currency_id=self.usd.id))
        self.assertEqual(response.status_code, 400)
        self.assertIn("Nothing is overdue in this currency.", response.text)

    def test_pay_page_as_the_portal_user(self):
        self.authenticate("dubois_portal", "dubois_portal")
        response = self._get(
            self._route(
                "/my/dues/pay", currency_id=self.usd.id, company_id=self.company.id
            )
        )
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.text)
        rows = tree.xpath("//tr[contains(@class, 'o_dunning_pay_invoice')]")
        self.assertEqual(
            [int(row.get("data-move-id")) for row in rows],
            self.overdue.ids,
            "the overdue invoices, not the one not yet due",
        )
        # 1,000.00 + 600.00 overdue; the 400.00 due on 1 August is not.
        self.assertEqual(self._amount_shown(tree), self._money(1600.0))
        form = tree.xpath("//form[@id='o_payment_form']")[0]
        self.assertEqual(float(form.get("data-amount")), 1600.0)
        self.assertEqual(int(form.get("data-currency-id")), self.usd.id)
        self.assertEqual(int(form.get("data-partner-id")), self.contact.id)
        self.assertEqual(
            form.get("data-transaction-route"),
            self._route(company_id=self.company.id, currency_id=self.usd.id),
        )
        self.assertEqual(
            form.get("data-landing-route"),
            self._route("/my/dues", company_id=self.company.id, done="paid"),
        )
        self.assertFalse(form.get("data-access-token"))
        self.assertTrue(
            tree.xpath(
                "//input[@name='o_payment_radio'][@data-payment-method-code='demo']"
                f"[@data-provider-id='{self.provider.id}']"
            )
        )

    def test_pay_page_with_a_signed_link(self):
        token = self._token()
        response = self._get(
            self._route("/my/dues/pay", currency_id=self.usd.id, access_token=token)
        )
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.text)
        self.assertEqual(self._amount_shown(tree), self._money(1600.0))
        form = tree.xpath("//form[@id='o_payment_form']")[0]
        self.assertEqual(int(form.get("data-partner-id")), self.customer.id)
        self.assertEqual(form.get("data-access-token"), token)
        self.assertEqual(
            form.get("data-landing-route"),
            self._route("/my/dues", access_token=token, done="paid"),
        )
        self.assertNotIn("o_payment_tokenize_checkbox", response.text, "nothing saved")

    def test_pay_page_refusals(self):
        path = self._route("/my/dues/pay", currency_id=self.usd.id)
        # Not logged in, no link: the login page.
        response = self._get(path, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        # A tampered link (the rival's id in the customer's link), an expired one.
        token = self._token()
        tampered = f"{self.rival.id}-{token.split('-', 1)[1]}"
        expired = self._token(expiry=TODAY - timedelta(days=1))
        for bad in (tampered, expired):
            response = self._get(f"{path}&access_token={bad}")
            self.assertEqual(response.status_code, 403)
            self.assertNotIn(self.late.name, response.text)
            self.assertNotIn("o_payment_form", response.text)
        # A company the customer has nothing with.
        other = self.setup_other_company(name="Other Co")["company"]
        self.authenticate("dubois_portal", "dubois_portal")
        response = self._get(f"{path}&company_id={other.id}")
        self.assertEqual(response.status_code, 404)

    def test_mixed_currencies_need_a_currency(self):
        eur = self.setup_other_currency("EUR")
        self._invoice(self.customer, 300.0, date(2024, 6, 1), currency=eur)
        self.authenticate("dubois_portal", "dubois_portal")
        response = self._get("/my/dues/pay")
        self.assertEqual(response.status_code, 400)
        self.assertIn("several currencies", response.text)
        self.assertNotIn("o_payment_form", response.text)
        response = self._get(self._route("/my/dues/pay", currency_id=eur.id))
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.text)
        self.assertEqual(self._amount_shown(tree), self._money(300.0, eur))

    def test_invoice_link_opens_pay_now_for_a_signed_link(self):
        """Per invoice: the row's link opens Odoo's invoice page, with its payment
        form, for a visitor who is not logged in."""
        page = self._get(self._route("/my/dues", access_token=self._token())).text
        tree = html.fromstring(page)
        link = tree.xpath(f"//tr[@data-move-id='{self.late.id}']//a/@href")[0]
        self.assertIn(f"access_token={self.late.access_token}", link)
        response = self._get(link)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.late.name, response.text)
        self.assertIn(
            f'data-transaction-route="/invoice/transaction/{self.late.id}"',
            response.text,
        )


@tagged("post_install", "-at_install")
class TestDunningPortalPaymentTransaction(DunningPaymentCommon):
    def test_one_transaction_for_the_overdue_invoices(self):
        self.authenticate("dubois_portal", "dubois_portal")
        result = self._ok(
            self._rpc(
                self._route(company_id=self.company.id, currency_id=self.usd.id),
                # Whatever the client says: the amount and the landing are ours.
                **self._pay_params(
                    amount=1.0,
                    landing_route="https://evil.example.com",
                    payment_reference="MINE",
                ),
            )
        )
        tx = self._transactions()
        self.assertEqual(len(tx), 1)
        self.assertEqual(tx.invoice_ids, self.overdue)
        self.assertEqual(tx.amount, 1600.0)
        self.assertEqual(tx.currency_id, self.usd)
        self.assertEqual(tx.partner_id, self.contact, "the user's contact, as Odoo")
        self.assertEqual(tx.provider_id, self.provider)
        self.assertEqual(
            tx.landing_route,
            self._route("/my/dues", company_id=self.company.id, done="paid"),
        )
        self.assertTrue(tx.reference.startswith("BATCH/"), tx.reference)
        self.assertEqual(result["reference"], tx.reference)

    def test_disputed_invoices_are_left_out(self):
        # The customer disputes 200.00 of the late invoice: it waits for the outcome.
        self.env["account.dunning.dispute"].create(
            {"move_id": self.late.id, "reason": "quality", "amount": 200.0}
        )
        self.authenticate("dubois_portal", "dubois_portal")
        page = self._get(
            self._route(
                "/my/dues/pay", company_id=self.company.id, currency_id=self.usd.id
            )
        )
        self.assertEqual(
            self._amount_shown(html.fromstring(page.text)), self._money(600.0)
        )
        self._ok(
            self._rpc(
                self._route(company_id=self.company.id, currency_id=self.usd.id),
                **self._pay_params(amount=1600.0),
            )
        )
        tx = self._transactions()
        # 600.00: the recent invoice alone, the disputed one left out.
        self.assertEqual(tx.invoice_ids, self.recent)
        self.assertEqual(tx.amount, 600.0)

    def test_signed_link_in_the_json_params(self):
        token = self._token()
        self._ok(
            self._rpc(
                self._route(currency_id=self.usd.id),
                **self._pay_params(access_token=token, amount=99999.0),
            )
        )
        tx = self._transactions()
        self.assertEqual(len(tx), 1)
        self.assertEqual(tx.invoice_ids, self.overdue)
        self.assertEqual(tx.amount, 1600.0)
        self.assertEqual(tx.partner_id, self.customer)
        self.assertEqual(
            tx.landing_route, self._route("/my/dues", access_token=token, done="paid")
        )

    def test_one_invoice_is_its_own_reference(self):
        self.recent.button_draft()
        self.authenticate("dubois_portal", "dubois_portal")
        self._ok(self._rpc(self._route(currency_id=self.usd.id), **self._pay_params()))
        tx = self._transactions()
        self.assertEqual(tx.invoice_ids, self.late)
        self.assertEqual(tx.amount, 1000.0)
        self.assertTrue(tx.reference.startswith(self.late.name), tx.reference)

    @mute_logger("odoo.http")
    def test_mixed_currencies(self):
        eur = self.setup_other_currency("EUR")
        euro = self._invoice(self.customer, 300.0, date(2024, 6, 1), currency=eur)
        self.authenticate("dubois_portal", "dubois_portal")
        message = self._error(self._rpc(self._route(), **self._pay_params()))
        self.assertIn("several currencies", message)
        self.assertFalse(self._transactions())
        self._ok(self._rpc(self._route(currency_id=eur.id), **self._pay_params()))
        tx = self._transactions()
        self.assertEqual(tx.invoice_ids, euro)
        self.assertEqual((tx.amount, tx.currency_id), (300.0, eur))

    @mute_logger("odoo.http")
    def test_refusals_create_nothing(self):
        token = self._token()
        tampered = f"{self.rival.id}-{token.split('-', 1)[1]}"
        expired = self._token(expiry=TODAY - timedelta(days=1))
        route = self._route(currency_id=self.usd.id)
        # Not logged in, no link; a tampered link, an expired one, garbage.
        self.assertIn("log in", self._error(self._rpc(route, **self._pay_params())))
        for bad in (tampered, expired, "garbage"):
            answer = self._rpc(route, **self._pay_params(access_token=bad))
            self.assertIn("not valid", self._error(answer))
        # The rival's user: no way to name the customer's invoices or partner.
        self.authenticate("martin_portal", "martin_portal")
        for crafted in (
            {"invoice_ids": self.late.ids},
            {"partner_id": self.customer.id},
        ):
            answer = self._rpc(route, **self._pay_params(**crafted))
            self.assertIn("not whitelisted", self._error(answer))
        # A company the customer has nothing with: 404.
        other = self.setup_other_company(name="Other Co")["company"]
        answer = self._rpc(self._route(company_id=other.id), **self._pay_params())
        self.assertEqual(answer["error"]["code"], 404)
        # Nothing overdue in that currency.
        eur = self.setup_other_currency("EUR")
        answer = self._rpc(self._route(currency_id=eur.id), **self._pay_params())
        self.assertIn("Nothing is overdue", self._error(answer))
        self.assertFalse(self._transactions())
        # Its own: the rival's 700.00 only.
        self._ok(self._rpc(route, **self._pay_params()))
        tx = self._transactions()
        self.assertEqual(tx.invoice_ids, self.rival_invoice)
        self.assertEqual(tx.amount, 700.0)

    @mute_logger("odoo.http")
    def test_providers_of_the_company_only(self):
        other = self.setup_other_company(name="Other Co")["company"]
        foreign = self.provider.copy({"company_id": other.id})
        foreign.write({"state": "test", "is_published": True})
        self.authenticate("dubois_portal", "dubois_portal")
        route = self._route(currency_id=self.usd.id)
        answer = self._rpc(route, **self._pay_params(provider_id=foreign.id))
        self.assertIn("not available", self._error(answer))
        # A saved payment method: for the customer's own users only.
        token = self.env["payment.token"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.demo_method.id,
                "partner_id": self.customer.id,
                "payment_details": "4242",
                "provider_ref": "demo-token",
            }
        )
        self.logout()
        answer = self._rpc(
            route,
            **self._pay_params(
                access_token=self._token(), flow="token", token_id=token.id
            ),
        )
        self.assertIn("saved payment method", self._error(answer))
        self.assertFalse(self._transactions())


@tagged("post_install", "-at_install")
class TestDunningPortalPaymentFlow(DunningPaymentCommon):
    def _promise(self):
        # A dunning user records the customer's promise, made on the phone.
        return (
            self.env["account.dunning.promise"]
            .with_user(self.invoice_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "date": TODAY + timedelta(days=5),
                    "source": "phone",
                    "move_ids": [Command.set(self.overdue.ids)],
                }
            )
        )

    def _pay_with_demo(self, route, **params):
        """Odoo's flow after the form: the demo provider's answer (its controller, as
        its JS calls it), then the status page and its poll, which post-processes the
        transaction and gives the landing route."""
        result = self._ok(self._rpc(route, **self._pay_params(**params)))
        simulated = self._rpc(
            "/payment/demo/simulate_payment",
            reference=result["reference"],
            payment_details="4242",
            simulated_state="done",
        )
        self.assertNotIn("error", simulated)
        self.assertEqual(self._get("/payment/status").status_code, 200)
        return self._transactions(), self._ok(self._rpc("/payment/status/poll"))

    def _assert_paid(self, tx):
        self.assertEqual(tx.state, "done")
        self.assertTrue(tx.is_post_processed)
        payment = tx.payment_id
        self.assertEqual(payment.amount, 1600.0)
        self.assertEqual(payment.partner_id, self.customer)
        for invoice in self.overdue:
            self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
            self.assertIn(invoice.payment_state, ("paid", "in_payment"))
            credits = invoice.line_ids.matched_credit_ids.credit_move_id
            self.assertEqual(credits.move_id, payment.move_id, "reconciled by Odoo")
        self.assertEqual(self.future.amount_residual, 400.0)

    def test_portal_user_pays_all_overdue(self):
        promise = self._promise()
        self.assertEqual(promise.state, "open")
        self.assertEqual(self.overdue.mapped("dunning_hold"), ["promise"] * 2)
        self.authenticate("dubois_portal", "dubois_portal")
        tx, status = self._pay_with_demo(
            self._route(company_id=self.company.id, currency_id=self.usd.id)
        )
        self._assert_paid(tx)
        self.assertEqual(status["state"], "done")
        landing = self._route("/my/dues", company_id=self.company.id, done="paid")
        self.assertEqual(status["landing_route"], landing)
        # The dunning reacts as to any payment.
        self.assertEqual(promise.state, "kept")
        self.assertEqual(promise.paid_amount, 1600.0)
        self.assertEqual(self.overdue.mapped("dunning_hold"), [False, False])
        page = self._get(landing)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Thank you for your payment.", page.text)
        self.assertEqual(self._listed(page.text), set(self.future.ids))
        self.assertNotIn("o_dunning_pay_overdue", page.text, "nothing overdue now")

    def test_signed_link_visitor_pays_all_overdue(self):
        promise = self._promise()
        token = self._token()
        tx, status = self._pay_with_demo(
            self._route(currency_id=self.usd.id), access_token=token
        )
        self._assert_paid(tx)
        self.assertEqual(tx.partner_id, self.customer)
        self.assertEqual(promise.state, "kept")
        self.assertEqual(
            status["landing_route"],
            self._route("/my/dues", access_token=token, done="paid"),
        )
        page = self._get(status["landing_route"])
        self.assertEqual(page.status_code, 200)
        self.assertIn("Thank you for your payment.", page.text)
        self.assertEqual(self._listed(page.text), set(self.future.ids))

    def test_overdue_instalment_only(self):
        """An invoice paid in instalments: the instalment overdue is paid, the next
        one stays due."""
        term = two_instalment_term(self.env, 30.0, 60)
        invoice = instalment_invoice(
            self.env, self.customer, 1000.0, date(2024, 6, 1), term
        )
        self.authenticate("dubois_portal", "dubois_portal")
        pay_page = self._get(self._route("/my/dues/pay", currency_id=self.usd.id))
        # 1,000.00 + 600.00 + the first 300.00 of 1,000.00 (due 1 June).
        shown = self._amount_shown(html.fromstring(pay_page.text))
        self.assertEqual(shown, self._money(1900.0))
        tx, status = self._pay_with_demo(self._route(currency_id=self.usd.id))
        self.assertEqual(tx.invoice_ids, self.overdue | invoice)
        self.assertEqual((tx.state, tx.amount), ("done", 1900.0))
        self.assertEqual(invoice.amount_residual, 700.0)
        items = invoice.line_ids.filtered("date_maturity").sorted("date_maturity")
        self.assertEqual(items.mapped("amount_residual"), [0.0, 700.0])
        page = self._get(status["landing_route"]).text
        self.assertEqual(self._listed(page), set((self.future | invoice).ids))
