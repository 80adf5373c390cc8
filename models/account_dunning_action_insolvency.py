# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountDunningAction(models.Model):
    """The trace of insolvency proceedings: opened, claim declared, closed."""

    _inherit = "account.dunning.action"

    channel = fields.Selection(
        selection_add=[("insolvency", "Insolvency Proceedings")],
        ondelete={"insolvency": "cascade"},
    )
    insolvency_id = fields.Many2one(
        "account.dunning.insolvency",
        string="Insolvency Proceedings",
        ondelete="set null",
        index="btree_not_null",
    )
