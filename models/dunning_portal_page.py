from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from . import hold_rules
from .dunning_portal import HISTORY_DAYS, format_amount, format_date


class AccountDunningPortal(models.AbstractModel):
    _inherit = "account.dunning.portal"

    @api.model
    def _page_values(self, partner, company):
        """What the customer page shows of ``partner`` (a commercial entity) in
        ``company``: plain values, formatted in the reader's language.

        The caller established that the reader may see this entity (its own, or a
        valid signed link): everything is read in superuser mode, restricted to the
        entity and the company, and only what the customer may see is returned (no
        exclusion reason, internal note nor block reason; the owners' names when the
        company shows them). The queries do not grow with the number of items.
        """
        # sudo: the entity was established by the caller (see above).
        self = self.sudo().with_company(company)
        partner = partner.commercial_partner_id.sudo()
        company = company.sudo()
        today = fields.Date.context_today(self)
        items = self._open_items(partner, company)
        rows = self._item_rows(items, today)
        history_start = today - timedelta(days=HISTORY_DAYS)
        return {
            "partner": partner,
            "company": company,
            "today": format_date(self.env, today),
            "rows": rows,
            "totals": self._totals(rows),
            "show_interest": any(row["interest_value"] for row in rows),
            "show_indemnity": any(row["indemnity_value"] for row in rows),
            "any_provisional": any(row["provisional"] for row in rows),
            "reminders": self._reminders(partner, company, history_start),
            "disputes": self._disputes(partner, company, history_start),
            "promises": self._promises(partner, company, history_start),
            "plans": self._plans(partner, company, history_start),
            "show_owner": company.dunning_portal_show_owner,
        }

    # ------------------------------------------------------------ open items

    @api.model
    def _open_items(self, partner, company):
        return self.env["account.move.line"].search_fetch(
            self._item_domain(partner, company),
            [
                "move_id",
                "date_maturity",
                "amount_currency",
                "amount_residual_currency",
                "currency_id",
                "dunning_level_id",
                "dunning_last_date",
            ],
            order="date_maturity, move_name, id",
        )

    @api.model
    def _item_rows(self, items, today):
        moves = items.move_id
        moves.fetch(
            [
                "name",
                "invoice_date",
                "access_token",
                "dunning_hold",
                "invoice_payment_term_id",
                "dunning_disputed_amount",
            ]
        )
        moves._portal_ensure_tokens()
        names = self.env["account.dunning.action"]._instalment_names(items)
        # The penalties not yet claimed, as the reminders show them.
        interest, indemnity, provisional = self.env[
            "account.dunning.penalty.engine"
        ]._unclaimed_amounts(items, today)
        disputed = self.env["account.dunning.hold.engine"]._disputed_by_item(items)
        # The customer's words for a hold: what it asked for, not our ladder.
        holds = {
            hold_rules.DISPUTE: self.env._("Disputed"),
            hold_rules.PROMISE: self.env._("Payment promised"),
            hold_rules.PLAN: self.env._("In a payment plan"),
        }
        rows, seen = [], set()
        for item in items:
            move, currency = item.move_id, item.currency_id
            level = item.dunning_level_id
            # The indemnity is per invoice: on its first instalment listed.
            move_indemnity = 0.0 if move.id in seen else indemnity.get(move.id, 0.0)
            seen.add(move.id)
            item_interest = interest.get(item.id, 0.0)
            part_disputed = disputed.get(item.id, 0.0)
            rows.append(
                {
                    "move_id": move.id,
                    "item_id": item.id,
                    "name": names[item.id],
                    "invoice_date": format_date(self.env, move.invoice_date),
                    "date_due": format_date(self.env, item.date_maturity),
                    "days_late": max((today - item.date_maturity).days, 0),
                    "overdue": item.date_maturity < today,
                    "amount": format_amount(self.env, item.amount_currency, currency),
                    "amount_due": format_amount(
                        self.env, item.amount_residual_currency, currency
                    ),
                    "disputed": format_amount(self.env, part_disputed, currency)
                    if part_disputed
                    else "",
                    "reminder": self.env._(
                        "%(level)s sent on %(date)s",
                        level=level.name,
                        date=format_date(self.env, item.dunning_last_date),
                    )
                    if level and item.dunning_last_date
                    else "",
                    "status": holds.get(move.dunning_hold, ""),
                    "interest": format_amount(self.env, item_interest, currency)
                    if item_interest
                    else "",
                    "provisional": item.id in provisional,
                    "indemnity": format_amount(self.env, move_indemnity, currency)
                    if move_indemnity
                    else "",
                    "invoice_url": move.get_portal_url(),
                    "disputable": move.dunning_hold != hold_rules.DISPUTE
                    and not part_disputed,
                    # Raw values, for the totals and the forms.
                    "currency": currency,
                    "residual_value": item.amount_residual_currency,
                    "interest_value": item_interest,
                    "indemnity_value": move_indemnity,
                }
            )
        return rows

    @api.model
    def _totals(self, rows):
        sums = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
        for row in rows:
            total = sums[row["currency"]]
            total[0] += row["residual_value"]
            if row["overdue"]:
                total[1] += row["residual_value"]
            total[2] += row["interest_value"]
            total[3] += row["indemnity_value"]
        totals = []
        for currency, values in sorted(sums.items(), key=lambda pair: pair[0].name):
            # Sums of floats: to the cent of the currency.
            due, overdue, interest, indemnity = map(currency.round, values)
            totals.append(
                {
                    "currency": currency,
                    "currency_id": currency.id,
                    "amount_due": format_amount(self.env, due, currency),
                    "overdue": format_amount(self.env, overdue, currency),
                    "overdue_value": overdue,
                    "interest": format_amount(self.env, interest, currency),
                    "indemnity": format_amount(self.env, indemnity, currency),
                }
            )
        return totals
