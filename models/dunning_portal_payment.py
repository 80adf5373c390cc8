from odoo import api, fields, models
from odoo.tools import str2bool

from .dunning_portal import format_amount, format_date


class AccountDunningPortal(models.AbstractModel):
    """ "Pay all overdue" on the customer page: what it pays, and whether it can."""

    _inherit = "account.dunning.portal"

    @api.model
    def _overdue_items(self, partner, company, currency=None):
        """The customer's open items in ``company`` past their due date (in
        ``currency`` if given), but those of invoices under an open dispute."""
        # sudo: the entity and company were established by the caller; the domain
        # keeps to them.
        self = self.sudo().with_company(company)
        today = fields.Date.context_today(self)
        domain = [
            *self._item_domain(partner, company),
            ("date_maturity", "<", today),
            # An invoice under an open dispute waits for its outcome: not paid here.
            ("move_id.dunning_disputed_amount", "=", 0),
            # Nor one whose payment is on its way (a transaction pending or
            # authorized), as Odoo's invoice page has it: it would be paid twice.
            "!",
            (
                "move_id.transaction_ids",
                "any",
                [
                    ("state", "in", ("pending", "authorized")),
                    ("provider_id.code", "not in", ("none", "custom")),
                ],
            ),
        ]
        if currency:
            domain.append(("currency_id", "=", currency.id))
        return self.env["account.move.line"].search_fetch(
            domain,
            ["move_id", "date_maturity", "amount_residual_currency", "currency_id"],
            order="date_maturity, move_name, id",
        )

    @api.model
    def _overdue_payment(self, partner, company, currency):
        """What "Pay all overdue" pays in ``currency``, computed here and only here:
        ``{"invoices", "amount", "rows"}`` (no invoice when nothing is overdue). The
        amount is the sum of the overdue items' amounts due (disputed invoices left
        out)."""
        items = self._overdue_items(partner, company, currency)
        names = self.env["account.dunning.action"].sudo()._instalment_names(items)
        amount = currency.round(sum(items.mapped("amount_residual_currency")))
        return {
            "invoices": items.move_id,
            "amount": amount,
            "amount_label": format_amount(self.env, amount, currency),
            "rows": [
                {
                    "move_id": item.move_id.id,
                    "name": names[item.id],
                    "date_due": format_date(self.env, item.date_maturity),
                    "amount_due": format_amount(
                        self.env, item.amount_residual_currency, currency
                    ),
                }
                for item in items
            ],
        }

    @api.model
    def _overdue_currencies(self, partner, company):
        """The currencies in which the customer has something overdue in ``company``."""
        return self._overdue_items(partner, company).currency_id

    @api.model
    def _payment_providers(self, company, payer, amount=0.0, currency=None, **kwargs):
        """The payment providers the company enabled for this payer (Odoo's rules:
        state, company, publication for portal readers, country, currency, maximum
        amount)."""
        # sudo: providers are configuration the customer may not read; Odoo's own
        # payment pages read them so too.
        Provider = self.env["payment.provider"].sudo()
        # The company lets no invoice be paid online (Odoo's "Invoice Online
        # Payment"): none for "Pay all overdue" either.
        if not str2bool(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("account_payment.enable_portal_payment")
        ):
            return Provider
        return Provider._get_compatible_providers(
            company.id,
            payer.id,
            amount,
            currency_id=currency and currency.id,
            **kwargs,
        )

    @api.model
    def _payable_currency_ids(self, company, payer, totals):
        """The ids of the page's currencies that get a "Pay all overdue" button: an
        amount overdue and a provider of the company that takes the currency. One
        provider search for the page, whatever the number of items."""
        overdue = [
            total
            for total in totals
            if total["currency"].compare_amounts(total["overdue_value"], 0.0) > 0
        ]
        if not overdue:
            return set()
        providers = self._payment_providers(company, payer)
        return {
            total["currency_id"]
            for total in overdue
            if any(
                not provider.available_currency_ids
                or total["currency"] in provider.available_currency_ids
                for provider in providers
            )
        }
