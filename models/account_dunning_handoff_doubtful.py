# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountDunningHandoff(models.Model):
    _inherit = "account.dunning.handoff"

    def action_mark_doubtful_invoices(self):
        """The doubtful-receivable dialog on the hand-off's invoices still due (the
        dialog's confirmation is for dunning managers)."""
        self.ensure_one()
        return self.move_ids._dunning_doubtful_dialog()
