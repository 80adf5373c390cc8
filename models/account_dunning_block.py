from odoo import fields, models


class AccountDunningBlock(models.Model):
    """The history of a customer's blocks, unblocks and overrides, per company."""

    _name = "account.dunning.block"
    _inherit = ["account.dunning.history.mixin"]
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
