# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountDunningAction(models.Model):
    """The trace of the hand-offs: prepared, sent, reported, closed."""

    _inherit = "account.dunning.action"

    channel = fields.Selection(
        selection_add=[("handoff", "Hand-off")], ondelete={"handoff": "cascade"}
    )
