from odoo import api, fields, models

from . import dunning_access


class AccountDunningDispute(models.Model):
    _inherit = "account.dunning.dispute"

    source = fields.Selection(
        [("internal", "Internal"), ("portal", "Customer Page")],
        default="internal",
        required=True,
        readonly=True,
        copy=False,
        help="Customer Page: opened by the customer itself, on its page.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Only the customer page (in superuser mode) says a dispute came from it.
        for vals in vals_list:
            dunning_access.check_engine_fields(self, vals, ["source"])
        return super().create(vals_list)

    def write(self, vals):
        dunning_access.check_engine_fields(self, vals, ["source"])
        return super().write(vals)
