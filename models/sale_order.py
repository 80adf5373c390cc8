from odoo import _, api, fields, models
from odoo.tools import SQL


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dunning_block_overridden = fields.Boolean(
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

    def _dunning_blocked_orders(self):
        """The orders whose customer is blocked in the order's company.

        One query on the stored block: confirming must not get slower by loading
        partners or recomputing balances.
        """
        if not self.ids:
            return self.browse()
        self.flush_recordset(["partner_id", "company_id"])
        self.env["res.partner"].flush_model(
            ["dunning_blocked", "commercial_partner_id"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT sale.id
                  FROM sale_order sale
                  JOIN res_partner contact ON contact.id = sale.partner_id
                  JOIN res_partner customer
                       ON customer.id = contact.commercial_partner_id
                 WHERE sale.id IN %s
                   AND (customer.dunning_blocked ->> sale.company_id::text)::boolean
                """,
                tuple(self.ids),
            )
        )
        return self.browse(row[0] for row in rows)

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error or self.env.context.get("dunning_skip_block_check"):
            return error
        blocked_ids = self.env.context.get("dunning_blocked_order_ids")
        if blocked_ids is None:
            blocked_ids = self._dunning_blocked_orders().ids
        if self.id in blocked_ids and not self._dunning_may_override():
            return self._dunning_customer()._dunning_block_message()
        return False

    def action_confirm(self):
        if self.env.context.get("dunning_skip_block_check"):
            return super().action_confirm()
        overridden = self._dunning_blocked_orders()
        result = super(
            SaleOrder, self.with_context(dunning_blocked_order_ids=overridden.ids)
        ).action_confirm()
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
