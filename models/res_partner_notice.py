# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_notice_count = fields.Integer(
        string="Formal Notices",
        compute="_compute_dunning_notice_count",
        groups="account_dunning.group_dunning_user",
    )

    def _compute_dunning_notice_count(self):
        groups = self.env["account.dunning.notice"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.dunning_notice_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    def action_open_dunning_notices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_notice_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        action["name"] = _("Formal Notices")
        return action
