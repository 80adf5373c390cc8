from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import sql

from . import dunning_access

# The block flag is the ORM's; the override mark, the confirmation's.
ENGINE_FIELDS = ("dunning_block_overridden", "dunning_partner_blocked")
# Who the order is for: changing them on a confirmed order confirms it for another.
CUSTOMER_FIELDS = {"partner_id", "partner_invoice_id", "company_id"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dunning_block_overridden = fields.Boolean(
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Confirmed by a member of “Dunning: override block” while the customer "
        "was blocked for unpaid invoices.",
    )
    # Stored: confirming reads it with the order's own row, at no extra query. The
    # ORM recomputes it when a customer is blocked or unblocked, when the order's
    # customer, invoice address or company changes, or a contact changes customer.
    dunning_partner_blocked = fields.Boolean(
        string="Customer Blocked",
        compute="_compute_dunning_partner_blocked",
        store=True,
        groups="base.group_user",
        help="The customer, or the customer billed (the invoice address), is blocked "
        "for unpaid invoices in the order's company.",
    )
    dunning_block_message = fields.Text(
        compute="_compute_dunning_block_message", groups="base.group_user"
    )

    def _auto_init(self):
        """Create and fill the stored block flag in one statement: the ORM would
        compute it order by order on a big database."""
        cr = self.env.cr
        if not sql.column_exists(cr, "sale_order", "dunning_partner_blocked"):
            sql.create_column(cr, "sale_order", "dunning_partner_blocked", "boolean")
            if sql.column_exists(cr, "res_partner", "dunning_blocked"):
                cr.execute(
                    """
                    UPDATE sale_order sale SET dunning_partner_blocked = TRUE
                     WHERE EXISTS (
                           SELECT 1
                             FROM res_partner contact
                             JOIN res_partner customer
                                  ON customer.id = contact.commercial_partner_id
                            WHERE contact.id IN (sale.partner_id,
                                                 sale.partner_invoice_id)
                              AND (customer.dunning_blocked
                                   ->> sale.company_id::text)::boolean)
                    """
                )
        return super()._auto_init()

    @api.depends(
        "company_id",
        "partner_id.commercial_partner_id.dunning_blocked",
        "partner_invoice_id.commercial_partner_id.dunning_blocked",
    )
    def _compute_dunning_partner_blocked(self):
        for order in self:
            order.dunning_partner_blocked = bool(order._dunning_blocked_customer())

    @api.depends("dunning_partner_blocked")
    def _compute_dunning_block_message(self):
        for order in self:
            customer = (
                order.dunning_partner_blocked and order._dunning_blocked_customer()
            )
            order.dunning_block_message = (
                customer._dunning_block_message() if customer else False
            )

    @api.onchange("partner_id", "partner_invoice_id")
    def _onchange_partner_id_dunning_block(self):
        if self.dunning_partner_blocked:
            return {
                "warning": {
                    "title": _("Customer blocked for unpaid invoices"),
                    "message": self.dunning_block_message,
                }
            }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        default_state = self.default_get(["state"]).get("state")
        if all(vals.get("state", default_state) != "sale" for vals in vals_list):
            return super().create(vals_list)
        # Created confirmed: checked on what was created, undone if refused.
        with self.env.cr.savepoint():
            orders = super().create(vals_list)
            orders._dunning_check_confirmed()
        return orders

    def write(self, vals):
        dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        if CUSTOMER_FIELDS & set(vals) and (
            vals.get("state") == "sale" or any(order.state == "sale" for order in self)
        ):
            # A confirmed order for another customer: checked on what was written,
            # undone if refused.
            with self.env.cr.savepoint():
                result = super().write(vals)
                self._dunning_check_confirmed()
            return result
        if vals.get("state") != "sale":
            return super().write(vals)
        # A confirmation (Odoo's action_confirm writes the state): refused before.
        blocked = self.filtered(
            lambda order: order.state != "sale" and order.dunning_partner_blocked
        )
        if blocked:
            blocked._dunning_check_override()
        result = super().write(vals)
        if blocked:
            blocked._dunning_record_override()
        return result

    def _dunning_check_confirmed(self):
        """Refuse the confirmed orders of blocked customers, or record the override."""
        blocked = self.filtered(
            lambda order: order.state == "sale" and order.dunning_partner_blocked
        )
        if blocked:
            blocked._dunning_check_override()
            blocked._dunning_record_override()

    def _dunning_customers(self):
        """The commercial entities of the customer and of the invoice address."""
        self.ensure_one()
        return (self.partner_id | self.partner_invoice_id).commercial_partner_id

    def _dunning_blocked_customer(self):
        """The first of the order's customers blocked in its company, as the system."""
        self.ensure_one()
        company = self.company_id or self.env.company
        # sudo: the block is read to refuse or warn, whoever confirms the order.
        customers = self._dunning_customers().with_company(company).sudo()
        return customers.filtered("dunning_blocked")[:1]

    def _dunning_may_override(self):
        return self.env.user.has_group("account_dunning.group_dunning_block_override")

    def _dunning_check_override(self):
        """Refuse to confirm orders of blocked customers, but to the override group.

        The group of the user decides, in superuser mode too: the portal confirms a
        signed quotation as superuser on behalf of the customer.
        """
        if not self._dunning_may_override():
            raise UserError(self[:1].dunning_block_message)

    def _dunning_record_override(self):
        """Keep the trace of the orders confirmed although their customer is blocked."""
        # sudo: the override was allowed above; its history is the engine's.
        self.sudo().dunning_block_overridden = True
        self.env["account.dunning.block"].sudo().create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": order.company_id.id,
                    "action": "override",
                    "mode": "manual",
                    "reason": self.env._(
                        "Order %s confirmed despite the block.", order.name
                    ),
                    "sale_order_id": order.id,
                    "overdue_amount": customer.dunning_block_overdue,
                }
                for order in self
                for customer in [order._dunning_blocked_customer()]
            ]
        )

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error or not self.dunning_partner_blocked or self._dunning_may_override():
            return error
        return self.dunning_block_message
