# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import fields, models

from .account_dunning_handoff import ACTIVE_STATES


class AccountDunningDashboard(models.TransientModel):
    """The dashboard's hand-offs: amounts handed off and recovered this year."""

    _inherit = "account.dunning.dashboard"

    handoff_amount = fields.Monetary(
        string="Handed Off This Year",
        compute="_compute_dashboard",
        currency_field="currency_id",
    )
    handoff_recovered_amount = fields.Monetary(
        string="Recovered This Year",
        compute="_compute_dashboard",
        currency_field="currency_id",
    )
    handoff_open_count = fields.Integer(
        string="Open Hand-offs", compute="_compute_dashboard"
    )

    def _dashboard_values(self):
        return {**super()._dashboard_values(), **self._dashboard_handoff_values()}

    def _handoff_year_domain(self):
        today = fields.Date.context_today(self)
        return [
            ("company_id", "=", self.env.company.id),
            ("date", ">=", date(today.year, 1, 1)),
            ("date", "<=", date(today.year, 12, 31)),
            ("state", "not in", ("draft", "failed")),
        ]

    def _dashboard_handoff_values(self):
        Handoff = self.env["account.dunning.handoff"]
        company = self.env.company
        today = fields.Date.context_today(self)
        handed, recovered = 0.0, 0.0
        for currency, claimed, got in Handoff._read_group(
            self._handoff_year_domain(),
            ["currency_id"],
            ["amount_claimed:sum", "amount_recovered:sum"],
        ):
            handed += currency._convert(claimed, company.currency_id, company, today)
            recovered += currency._convert(got, company.currency_id, company, today)
        return {
            "handoff_amount": company.currency_id.round(handed),
            "handoff_recovered_amount": company.currency_id.round(recovered),
            "handoff_open_count": Handoff.search_count(self._handoff_open_domain()),
        }

    def _handoff_open_domain(self):
        return [
            ("company_id", "=", self.env.company.id),
            ("state", "in", ACTIVE_STATES),
        ]

    def action_open_handoffs(self):
        return self._hold_action(
            "account_dunning.account_dunning_handoff_action",
            self.env._("Hand-offs This Year"),
            self._handoff_year_domain(),
        )
