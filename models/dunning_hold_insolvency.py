# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The next action date of a customer in insolvency proceedings: no reminder, but
the claim to declare (the credit manager's activity before the claim deadline); no
reminder of a payment plan's instalments either (L622-21 C. com.)."""

from odoo import api, models

from . import insolvency_rules


class AccountDunningHoldEngine(models.AbstractModel):
    _inherit = "account.dunning.hold.engine"

    @api.model
    def _plan_lines_to_remind(self, lines, company, today):
        lines = super()._plan_lines_to_remind(lines, company, today)
        insolvent = self.env["account.dunning.eligibility"]._insolvency_by_partner(
            set(lines.partner_id.ids), today
        )
        return lines.filtered(lambda line: line.partner_id.id not in insolvent)

    @api.model
    def _held_next_dates(self, company, partners, after_date, next_dates):
        next_dates = super()._held_next_dates(company, partners, after_date, next_dates)
        insolvent = self.env["account.dunning.eligibility"]._insolvency_by_partner(
            set(partners.ids), after_date
        )
        if not insolvent:
            return next_dates
        # sudo: the engine reads the proceedings to plan the next action.
        to_declare = (
            self.env["account.dunning.insolvency"]
            .sudo()
            .search_fetch(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", list(insolvent)),
                    ("state", "=", "open"),
                    ("claim_deadline", "!=", False),
                ],
                ["partner_id", "claim_deadline"],
            )
        )
        for partner_id in insolvent:
            next_dates[partner_id] = None
        for record in to_declare:
            day = insolvency_rules.reminder_date(record.claim_deadline, after_date)
            current = next_dates.get(record.partner_id.id)
            if not current or day < current:
                next_dates[record.partner_id.id] = day
        return next_dates
