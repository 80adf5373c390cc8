from odoo import api, fields, models

from . import dunning_access


class AccountDunningBlock(models.Model):
    """The history of a customer's blocks, unblocks and overrides, per company."""

    _name = "account.dunning.block"
    _description = "Dunning Block History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    action = fields.Selection(
        [("block", "Blocked"), ("unblock", "Unblocked"), ("override", "Override")],
        required=True,
    )
    mode = fields.Selection(
        [("automatic", "Automatic"), ("manual", "Manual")], required=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    reason = fields.Char(required=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    overdue_amount = fields.Monetary(help="The overdue amount at that moment.")
    sale_order_id = fields.Many2one("sale.order", ondelete="set null")

    @api.model_create_multi
    def create(self, vals_list):
        dunning_access.check_append_only(self)
        return super().create(vals_list)

    def write(self, vals):
        dunning_access.check_append_only(self)
        return super().write(vals)

    def unlink(self):
        dunning_access.check_append_only(self)
        return super().unlink()
