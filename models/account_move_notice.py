# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_notice_count = fields.Integer(
        string="Formal Notices",
        compute="_compute_dunning_notice_count",
        groups="account_dunning.group_dunning_user",
    )

    def _compute_dunning_notice_count(self):
        groups = self.env["account.dunning.notice"]._read_group(
            [("move_ids", "in", self.ids)], ["move_ids"], ["__count"]
        )
        counts = {move.id: count for move, count in groups}
        for move in self:
            move.dunning_notice_count = counts.get(move.id, 0)

    def action_open_dunning_notices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_notice_action"
        )
        action["domain"] = [("move_ids", "in", self.ids)]
        action["context"] = {}
        action["name"] = _("Formal Notices")
        return action
