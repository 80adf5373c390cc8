# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The run and the formal notice: a notice per customer reached at its level, and
the next level waiting for its deadline instead of a number of days."""

from odoo import api, models


class AccountDunningRunEngine(models.AbstractModel):
    _inherit = "account.dunning.run.engine"

    @api.model
    def _after_send(self, run, delivered):
        result = super()._after_send(run, delivered)
        self.env["account.dunning.notice.engine"]._create_notices(run, delivered)
        return result

    @api.model
    def _item_waits(self, company, item_ids):
        waits = super()._item_waits(company, item_ids)
        for item_id, wait in (
            self.env["account.dunning.notice.engine"]._waits(company, item_ids).items()
        ):
            waits[item_id] = max(waits.get(item_id, wait), wait)
        return waits

    @api.model
    def _candidate_rows(self, run):
        """The candidates, an item under a formal notice waiting for its deadline:
        its last date left out (the deadline replaces the minimum days) and its
        earliest date (``not_before``, column 11) the day after the deadline."""
        rows = super()._candidate_rows(run)
        waits = self._item_waits(run.company_id, [row[0] for row in rows])
        if not waits:
            return rows
        result = []
        for row in rows:
            wait = waits.get(row[0])
            if wait:
                row = list(row)
                row[6] = None
                row[11] = max(row[11] or wait, wait)
                row = tuple(row)
            result.append(row)
        return result
