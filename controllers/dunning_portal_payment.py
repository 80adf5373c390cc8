"""Paying from the customer page: "Pay all overdue" in one payment transaction.

The page (``/my/dues/pay``) renders Odoo's payment form for the overdue total of one
currency; the form calls ``/my/dues/transaction``, which establishes the customer
again (``_dunning_access``), recomputes the invoices and the amount here, never from
the client, and creates the transaction through Odoo's ``_create_transaction``. The
rest is Odoo's flow: the provider, ``/payment/status``, the post-processing that
creates the payment and reconciles it with the invoices, then the landing on the
customer page (``done=paid``). Per invoice, the rows link to the invoice's portal page
and its own "Pay now".
"""

from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import Command, http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.account_dunning.controllers.dunning_portal import (
    PRIVATE_HEADERS,
    DunningPortal,
)
from odoo.addons.payment.controllers.portal import PaymentPortal


class DunningPortalPayment(DunningPortal, PaymentPortal):
    # ------------------------------------------------------------ the page's buttons

    def _dunning_page_values(self, access, **extra):
        values = super()._dunning_page_values(access, **extra)
        payer, _member = self._dunning_payer(access)
        values["pay_currency_ids"] = request.env[
            "account.dunning.portal"
        ]._payable_currency_ids(access.company, payer, values["totals"])
        return values

    # ------------------------------------------------------------ helpers

    def _dunning_payer(self, access):
        """``(partner, member)``: who pays, as Odoo's invoice flow does it: the
        logged-in user's own contact when it belongs to the customer (its saved
        payment methods are then offered), else the customer itself (a signed link:
        no saved payment method, nothing saved)."""
        user = request.env.user
        own = user.partner_id.commercial_partner_id == access.partner
        if not user._is_public() and own:
            # sudo: the user's own contact, read as Odoo's payment pages read it.
            return user.partner_id.sudo(), True
        return access.partner, False

    def _dunning_currency(self, access, currency_id):
        """The currency to pay in: the one asked for, else the single currency of the
        overdue invoices; an error when they are in several currencies."""
        Portal = request.env["account.dunning.portal"]
        currency_id = self._cast_as_int(currency_id)
        if currency_id:
            # sudo: a currency, only compared with the customer's invoices.
            return request.env["res.currency"].sudo().browse(currency_id).exists()
        currencies = Portal._overdue_currencies(access.partner, access.company)
        if len(currencies) > 1:
            raise ValidationError(
                request.env._(
                    "Your overdue invoices are in several currencies: please pay each "
                    "currency apart."
                )
            )
        return currencies

    def _dunning_payment(self, access, currency):
        """The overdue invoices and amount of ``currency``, or an error message."""
        payment = currency and request.env["account.dunning.portal"]._overdue_payment(
            access.partner, access.company, currency
        )
        if not payment or not payment["invoices"]:
            return None, request.env._("Nothing is overdue in this currency.")
        return payment, None

    # ------------------------------------------------------------ the payment page

    @http.route(
        "/my/dues/pay",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def portal_my_dues_pay(
        self, currency_id=None, access_token=None, company_id=None, **kw
    ):
        access, response = self._dunning_access(access_token, company_id)
        if response:
            return response
        try:
            currency = self._dunning_currency(access, currency_id)
        except ValidationError as error:
            return self._dunning_render_errors(access, {"general": error.args[0]}, {})
        payment, error = self._dunning_payment(access, currency)
        if error:
            return self._dunning_render_errors(access, {"general": error}, {})
        payer, member = self._dunning_payer(access)
        company = access.company
        amount = payment["amount"]
        availability_report = {}
        providers_sudo = request.env["account.dunning.portal"]._payment_providers(
            company, payer, amount, currency, report=availability_report
        )
        # sudo: payment methods and tokens are read as Odoo's payment pages read them.
        methods_sudo = request.env["payment.method"].sudo()
        payment_methods_sudo = methods_sudo._get_compatible_payment_methods(
            providers_sudo.ids,
            payer.id,
            currency_id=currency.id,
            report=availability_report,
        )
        tokens_sudo = request.env["payment.token"].sudo()
        if member:
            tokens_sudo = tokens_sudo._get_available_tokens(
                providers_sudo.ids, payer.id
            )
        show_tokenize = self._compute_show_tokenize_input_mapping(providers_sudo)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dunning_dues",
                "access": access,
                "partner": access.partner,
                "company": company,
                "rows": payment["rows"],
                "amount_label": payment["amount_label"],
                # Odoo's payment form.
                "company_mismatch": not self._can_partner_pay_in_company(
                    payer, company
                ),
                "expected_company": company,
                # Nothing saved for a signed link's visitor.
                "show_tokenize_input_mapping": {
                    provider_id: member and show
                    for provider_id, show in show_tokenize.items()
                },
                "amount": amount,
                "currency": currency,
                "partner_id": payer.id,
                "providers_sudo": providers_sudo,
                "payment_methods_sudo": payment_methods_sudo,
                "tokens_sudo": tokens_sudo,
                "availability_report": availability_report,
                "transaction_route": "/my/dues/transaction?%s"
                % url_encode(access.params(currency_id=currency.id)),
                "landing_route": access.url(done="paid"),
                "access_token": access.token,
            }
        )
        return request.render(
            "account_dunning.portal_dues_pay", values, headers=PRIVATE_HEADERS
        )

    # ------------------------------------------------------------ the transaction

    @http.route("/my/dues/transaction", type="json", auth="public")
    def portal_my_dues_transaction(
        self,
        access_token=None,
        company_id=None,
        currency_id=None,
        payment_reference=None,
        **kwargs,
    ):
        """Create the transaction of "Pay all overdue" and return its processing
        values. ``access_token`` (a signed link) or ``company_id`` (a portal user)
        and ``currency_id`` come from the JSON params or the route's query string;
        the invoices, the amount, the partner, the reference and the landing route
        are computed here (the client's ``amount``, ``landing_route`` and
        ``payment_reference`` are ignored)."""
        query = request.httprequest.args
        access_token = access_token or query.get("access_token")
        company_id = company_id or query.get("company_id")
        currency_id = currency_id or query.get("currency_id")
        access, response = self._dunning_access(access_token, company_id)
        if response:
            raise ValidationError(
                request.env._(
                    "This link is not valid any more: please open your account page "
                    "again."
                )
                if access_token
                else request.env._("Please log in to pay your overdue invoices.")
            )
        currency = self._dunning_currency(access, currency_id)
        payment, error = self._dunning_payment(access, currency)
        if error:
            raise ValidationError(error)
        payer, member = self._dunning_payer(access)
        company = access.company
        if not self._can_partner_pay_in_company(payer, company):
            raise ValidationError(
                request.env._(
                    "Please switch to the company %(company)s to pay.",
                    company=company.name,
                )
            )
        self._validate_transaction_kwargs(kwargs)
        self._dunning_check_provider(
            kwargs, company, payer, payment["amount"], currency, member
        )
        invoices = payment["invoices"]
        reference = (
            company.get_next_batch_payment_communication()
            if len(invoices) > 1
            else invoices.name
        )
        tx_sudo = self._create_transaction(
            provider_id=self._cast_as_int(kwargs.get("provider_id")),
            payment_method_id=self._cast_as_int(kwargs.get("payment_method_id")),
            token_id=self._cast_as_int(kwargs.get("token_id")),
            flow=kwargs.get("flow"),
            # Nothing saved for a signed link's visitor.
            tokenization_requested=bool(
                member and kwargs.get("tokenization_requested")
            ),
            amount=payment["amount"],
            currency_id=currency.id,
            partner_id=payer.id,
            reference_prefix=reference,
            is_validation=False,
            landing_route=access.url(done="paid"),
            custom_create_values={"invoice_ids": [Command.set(invoices.ids)]},
        )
        return tx_sudo._get_processing_values()

    def _dunning_check_provider(self, kwargs, company, payer, amount, currency, member):
        """The provider (or saved payment method) chosen is one the company enabled
        for this payment; saved payment methods for the customer's own users only."""
        providers = request.env["account.dunning.portal"]._payment_providers(
            company, payer, amount, currency
        )
        if kwargs.get("flow") == "token":
            if not member:
                raise ValidationError(
                    request.env._("Please log in to pay with a saved payment method.")
                )
            # sudo: the token is checked against the payer just below (and again by
            # Odoo's _create_transaction).
            token = (
                request.env["payment.token"]
                .sudo()
                .browse(self._cast_as_int(kwargs.get("token_id")))
                .exists()
            )
            owner = token.partner_id.commercial_partner_id
            if not token or owner != payer.commercial_partner_id:
                raise NotFound()
            provider_id = token.provider_id.id
        else:
            provider_id = self._cast_as_int(kwargs.get("provider_id"))
        if provider_id not in providers.ids:
            raise ValidationError(
                request.env._("This payment method is not available for this payment.")
            )
