from odoo import api, fields, models

from . import dunning_access

# The receivable journal item is the unit of dunning: its level and last reminder are
# written by the runs only (see dunning_access).
ENGINE_FIELDS = ("dunning_level_id", "dunning_last_date")


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    dunning_level_id = fields.Many2one(
        "account.dunning.level",
        string="Dunning Level",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="The last dunning level executed for this instalment.",
    )
    dunning_last_date = fields.Date(
        string="Last Reminder",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Date of the last reminder that listed this instalment at a new level.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        return super().write(vals)
