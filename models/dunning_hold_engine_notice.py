# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountDunningHoldEngine(models.AbstractModel):
    _inherit = "account.dunning.hold.engine"

    @api.model
    def _daily(self, company, today, send=True):
        """The day's work, and the formal notices whose deadline passed."""
        result = super()._daily(company, today, send=send)
        self.env["account.dunning.notice.engine"]._expire_due(company, today)
        return result
