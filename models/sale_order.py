from odoo import _, api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dunning_block_overridden = fields.Boolean(
        string="Dunning Block Overridden",
        readonly=True,
        copy=False,
        help="Confirmed by a member of “Dunning: override block” while the customer "
        "was blocked for unpaid invoices.",
    )
    dunning_partner_blocked = fields.Boolean(
        string="Customer Blocked", compute="_compute_dunning_block"
    )
    dunning_block_message = fields.Text(compute="_compute_dunning_block")

    @api.depends("partner_id", "company_id")
    def _compute_dunning_block(self):
        for order in self:
            partner = order._dunning_customer()
            order.dunning_partner_blocked = partner.dunning_blocked
            order.dunning_block_message = (
                partner._dunning_block_message() if partner.dunning_blocked else False
            )

    @api.onchange("partner_id")
    def _onchange_partner_id_dunning_block(self):
        if self.dunning_partner_blocked:
            return {
                "warning": {
                    "title": _("Customer blocked for unpaid invoices"),
                    "message": self.dunning_block_message,
                }
            }

    def _dunning_customer(self):
        """The commercial entity, as the order's company sees it."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return self.partner_id.commercial_partner_id.with_company(company).sudo()

    def _dunning_may_override(self):
        return self.env.user.has_group("account_dunning.group_dunning_block_override")

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error or self.env.context.get("dunning_skip_block_check"):
            return error
        partner = self._dunning_customer()
        if partner.dunning_blocked and not self._dunning_may_override():
            return partner._dunning_block_message()
        return False

    def action_confirm(self):
        overridden = self.browse()
        if not self.env.context.get("dunning_skip_block_check"):
            overridden = self.filtered(
                lambda order: order._dunning_customer().dunning_blocked
            )
        result = super().action_confirm()
        if overridden:
            overridden.dunning_block_overridden = True
            self.env["account.dunning.block"].sudo().create(
                [
                    {
                        "partner_id": order.partner_id.commercial_partner_id.id,
                        "company_id": order.company_id.id,
                        "action": "override",
                        "mode": "manual",
                        "reason": _(
                            "Order %s confirmed despite the block.", order.name
                        ),
                        "sale_order_id": order.id,
                        "overdue_amount": (
                            order._dunning_customer().dunning_block_overdue
                        ),
                    }
                    for order in overridden
                ]
            )
        return result
