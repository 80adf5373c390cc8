# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customers in insolvency proceedings are not reminded from the opening judgment
(L622-21 C. com.: no individual action for a claim born before it)."""

from odoo import api, fields, models
from odoo.tools import format_date


class AccountDunningEligibility(models.AbstractModel):
    _inherit = "account.dunning.eligibility"

    @api.model
    def _hold_reasons(self, company, partner_ids, on_date, reviewed=None):
        reasons = super()._hold_reasons(company, partner_ids, on_date, reviewed)
        for partner_id, opened in self._insolvency_by_partner(
            partner_ids, on_date
        ).items():
            reasons[partner_id] = self.env._(
                "In insolvency proceedings since %s (L622-21 C. com.).",
                format_date(self.env, opened),
            )
        return reasons

    @api.model
    def _insolvency_by_partner(self, partner_ids, on_date):
        """{customer id: opening judgment's date} of these customers (or of their
        commercial entities) in proceedings on ``on_date`` or today, whichever is
        later: a run dated before the judgment still sends today, after it."""
        if not partner_ids:
            return {}
        on_date = max(on_date, fields.Date.context_today(self))
        # sudo: whether the debtor is in proceedings, whoever runs the dunning.
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("id", "in", list(partner_ids)),
                    ("commercial_partner_id.dunning_insolvency_date", "<=", on_date),
                ],
                ["commercial_partner_id"],
            )
        )
        return {
            partner.id: partner.commercial_partner_id.dunning_insolvency_date
            for partner in partners
        }
