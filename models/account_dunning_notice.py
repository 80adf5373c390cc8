# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

RETURNED = [
    ("refused", "Refused"),
    ("unclaimed", "Unclaimed"),
    ("wrong_address", "Wrong Address"),
]
STATES = [
    ("to_send", "To Send"),
    ("sent", "Sent"),
    ("received", "Received"),
    ("returned", "Returned"),
    ("expired", "Expired"),
]


class AccountDunningNotice(models.Model):
    """A formal notice (mise en demeure) sent by registered letter with
    acknowledgement of receipt, and its proof."""

    _name = "account.dunning.notice"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Dunning Formal Notice"
    _order = "date_sent desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    move_ids = fields.Many2many(
        "account.move",
        "account_dunning_notice_move_rel",
        "notice_id",
        "move_id",
        string="Invoices",
        check_company=True,
    )
    action_id = fields.Many2one(
        "account.dunning.action", string="Trace Line", index=True, ondelete="restrict"
    )
    level_id = fields.Many2one("account.dunning.level", string="Level")
    notice_days = fields.Integer(string="Days to Pay", default=8)
    date_sent = fields.Date(string="Sent On", tracking=True)
    tracking_number = fields.Char(tracking=True, copy=False, index=True)
    date_presented = fields.Date(string="First Presented On", tracking=True)
    date_received = fields.Date(string="Received On", tracking=True)
    returned = fields.Selection(RETURNED, tracking=True)
    receipt_attachment_id = fields.Many2one(
        "ir.attachment", string="Acknowledgement of Receipt"
    )
    deadline = fields.Date(string="Deadline to Pay")
    state = fields.Selection(
        STATES, required=True, default="to_send", tracking=True, index=True
    )
