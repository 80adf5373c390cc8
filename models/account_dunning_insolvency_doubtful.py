# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountDunningInsolvency(models.Model):
    _inherit = "account.dunning.insolvency"

    def action_mark_doubtful_invoices(self):
        """The doubtful-receivable dialog on the invoices claimed in the proceedings,
        100 % proposed for a liquidation (the dialog's confirmation is for dunning
        managers)."""
        self.ensure_one()
        return self.move_ids._dunning_doubtful_dialog()
