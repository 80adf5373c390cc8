# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        # A doubtful invoice's 416 item matched by hand (a payment or a bank line
        # booked on 416): its write-down is reversed in proportion.
        self.env["account.dunning.doubtful.engine"]._on_doubtful_matched(partials)
        return partials
