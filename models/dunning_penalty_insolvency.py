# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No penalty invoice for a customer in insolvency proceedings: from the opening
judgment its claim is declared to the mandataire (L622-24 C. com.), not billed; the
interest already stops at the judgment (``_insolvency_dates``)."""

from odoo import api, fields, models


class AccountDunningPenaltyEngine(models.AbstractModel):
    _inherit = "account.dunning.penalty.engine"

    @api.model
    def _bill(self, moves, on_date):
        """Every billing path (the button, a level that bills, a payment plan's
        penalties) leaves out the invoices of customers in proceedings."""
        return super()._bill(moves - self._in_proceedings(moves, on_date), on_date)

    @api.model
    def _in_proceedings(self, moves, on_date):
        """The invoices among ``moves`` whose customer is in proceedings on
        ``on_date`` or today, whichever is later: what is billed today is billed
        after a judgment of today."""
        on_date = max(on_date, fields.Date.context_today(self))
        # sudo: whether the debtor is in proceedings, whoever bills.
        return moves.filtered(
            lambda move: move.sudo().commercial_partner_id.dunning_insolvency_date
            and move.sudo().commercial_partner_id.dunning_insolvency_date <= on_date
        )
