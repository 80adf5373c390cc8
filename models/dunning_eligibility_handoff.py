# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountDunningEligibility(models.AbstractModel):
    _inherit = "account.dunning.eligibility"

    @api.model
    def _held_item_domain(self, company):
        """An invoice in a collector's hands is not reminded any more."""
        return [
            "|",
            *super()._held_item_domain(company),
            ("move_id.dunning_handed_off", "=", True),
        ]
