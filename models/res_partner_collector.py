# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A partner that collects debts for the company: agency, commissaire de justice,
lawyer or credit insurer, with the address and the secret of its API."""

from odoo import api, fields, models

from . import dunning_access

COLLECTOR_TYPES = [
    ("agency", "Collection Agency"),
    ("commissaire", "Commissaire de Justice"),
    ("lawyer", "Lawyer"),
    ("insurer", "Credit Insurer"),
]
# Read and written by dunning managers only: where and how files are posted.
COLLECTOR_SECRET_FIELDS = ("dunning_collector_url", "dunning_collector_token")


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_collector_type = fields.Selection(
        COLLECTOR_TYPES,
        string="Collector Type",
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="This partner collects debts for the company: customers' files can be "
        "handed off to it.",
    )
    dunning_collector_url = fields.Char(
        string="Collector API URL",
        copy=False,
        groups="account_dunning.group_dunning_manager",
        help="Where the hand-off files are posted as JSON. Empty: the file is "
        "exported and sent by hand.",
    )
    dunning_collector_token = fields.Char(
        string="Collector API Token",
        copy=False,
        groups="account_dunning.group_dunning_manager",
        help="Sent as “Authorization: Bearer <token>” with each file.",
    )
    dunning_handoff_count = fields.Integer(
        string="Hand-offs",
        compute="_compute_dunning_handoff_count",
        groups="account_dunning.group_dunning_user",
    )

    def _compute_dunning_handoff_count(self):
        counts = dict(
            self.env["account.dunning.handoff"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.dunning_handoff_count = counts.get(partner.commercial_partner_id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._dunning_check_collector_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._dunning_check_collector_write(vals)
        return super().write(vals)

    def _dunning_check_collector_write(self, vals):
        dunning_access.check_manager_fields(
            self,
            vals,
            ("dunning_collector_type", *COLLECTOR_SECRET_FIELDS),
            self.env._(
                "Only dunning managers can set a collector, its API address and "
                "its token."
            ),
        )

    def action_dunning_new_handoff(self):
        """A hand-off of the customer's overdue invoices, in a dialog."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Off"),
            "res_model": "account.dunning.handoff",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_dunning_view_handoffs(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_handoff_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
