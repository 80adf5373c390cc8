# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No penalty invoice for a customer in insolvency proceedings: from the opening
judgment its claim is declared to the mandataire (L622-24 C. com.), not billed; the
interest already stops at the judgment (``_insolvency_dates``), and stays stopped once
the proceedings are closed (L622-28), but when the judgment was overturned."""

from collections import defaultdict

from odoo import api, fields, models


class AccountDunningPenaltyEngine(models.AbstractModel):
    _inherit = "account.dunning.penalty.engine"

    @api.model
    def _bill(self, moves, on_date):
        """Every billing path (the button, a level that bills, a payment plan's
        penalties) leaves out the invoices of customers in proceedings."""
        return super()._bill(moves - self._in_proceedings(moves, on_date), on_date)

    @api.model
    def _insolvency_dates(self, moves):
        """The interest of an invoice issued before an opening judgment stays stopped
        at it when the proceedings are closed (a plan adopted, a liquidation closed,
        the debts paid, a conversion): the customer's date is gone, the judgment's
        effect on the interest is not. A judgment overturned never stopped it."""
        result = super()._insolvency_dates(moves)
        # sudo: the debtor's closed proceedings, whoever computes the interest.
        entities = moves.sudo().commercial_partner_id
        if not entities:
            return result
        closed = (
            self.env["account.dunning.insolvency"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", entities.ids),
                    ("state", "=", "closed"),
                    ("closing_reason", "!=", "overturned"),
                ],
                ["partner_id", "judgment_date"],
            )
        )
        if not closed:
            return result
        judgments = defaultdict(list)
        for record in closed:
            judgments[record.partner_id.id].append(record.judgment_date)
        for move in moves:
            issued = move.invoice_date or move.date
            stops = [
                judgment
                for judgment in judgments.get(move.sudo().commercial_partner_id.id, ())
                if issued < judgment
            ]
            if stops and (move not in result or min(stops) < result[move]):
                result[move] = min(stops)
        return result

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
