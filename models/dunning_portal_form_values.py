from odoo import api, fields, models
from odoo.tools import float_repr

from . import portal_form_rules as rules
from .dunning_portal import format_amount, format_date


class AccountDunningPortal(models.AbstractModel):
    """What the customer page's forms offer, with the page's values."""

    _inherit = "account.dunning.portal"

    # ------------------------------------------------------------ page values

    @api.model
    def _page_values(self, partner, company):
        values = super()._page_values(partner, company)
        values.update(self._form_values(partner, company, values["rows"]))
        return values

    @api.model
    def _form_values(self, partner, company, rows):
        """What the three forms offer: the invoices the customer may promise or put
        in a plan, those it may dispute, the reasons and the bounds."""
        # sudo: the entity was established by the caller, as for the whole page.
        self = self.sudo().with_company(company)
        partner = partner.commercial_partner_id.sudo()
        today = fields.Date.context_today(self)
        policy = partner._dunning_policy(company)
        # The page's overdue invoices, as ``account.dunning.promise._default_moves``
        # takes them (not excluded from dunning), read from its rows rather than
        # searched again; on hold (disputed in full, promised, in a plan), they wait.
        overdue = self.env["account.move"].browse(
            list(dict.fromkeys(row["move_id"] for row in rows if row["overdue"]))
        )
        overdue = overdue.filtered(
            lambda move: not move.dunning_hold and not move.dunning_excluded
        ).sorted(lambda move: (move.invoice_date_due, move.name, move.id))
        moves = [
            {
                "id": move.id,
                "name": move.name,
                "date_due": format_date(self.env, move.invoice_date_due),
                "amount_due": format_amount(
                    self.env, move.amount_residual, move.currency_id
                ),
            }
            for move in overdue
        ]
        totals = [
            format_amount(self.env, sum(group.mapped("amount_residual")), currency)
            for currency, group in overdue.grouped("currency_id").items()
        ]
        currency = overdue.currency_id
        max_first = rules.plan_max_first_days(policy.promise_max_days)
        return {
            "promise_moves": moves,
            "promise_amount": float_repr(
                currency.round(sum(overdue.mapped("amount_residual"))),
                currency.decimal_places,
            )
            if len(currency) == 1
            else "",
            "promise_currency": currency.name if len(currency) == 1 else "",
            "promise_date_min": fields.Date.to_string(today),
            "promise_date_max": fields.Date.to_string(
                fields.Date.add(today, days=policy.promise_max_days)
            )
            if policy.promise_max_days
            else "",
            "plan_total": " + ".join(totals),
            "plan_invoices": ", ".join(overdue.mapped("name")),
            "plan_pending": bool(self._pending_plans(partner, company)),
            "plan_min": rules.PLAN_MIN_INSTALMENTS,
            "plan_max": rules.PLAN_MAX_INSTALMENTS,
            "plan_date_min": fields.Date.to_string(today),
            "plan_date_max": fields.Date.to_string(
                fields.Date.add(today, days=max_first)
            ),
        }

    @api.model
    def _dispute_form_values(self, partner, company, move_id):
        """The dispute page of one invoice of the customer: ``MissingError`` for any
        other (another customer's, another company's, none)."""
        # sudo: the entity was established by the caller; the invoice is checked to
        # be the customer's in the company by ``_customer_moves``.
        self = self.sudo().with_company(company)
        move = self._customer_moves(partner.commercial_partner_id, company, [move_id])
        return {
            "partner": partner.commercial_partner_id.sudo(),
            "company": company.sudo(),
            "move": {
                "id": move.id,
                "name": move.name,
                "amount_due": format_amount(
                    self.env, move.amount_residual, move.currency_id
                ),
                "date_due": format_date(self.env, move.invoice_date_due),
            },
            "disputed": move.dunning_hold == "dispute"
            or bool(move.dunning_disputed_amount),
            "dispute_reasons": self._labels("account.dunning.dispute", "reason"),
            "upload_mb": company.dunning_portal_upload_mb or 10,
            "upload_accept": ",".join(rules.UPLOAD_TYPES),
        }
