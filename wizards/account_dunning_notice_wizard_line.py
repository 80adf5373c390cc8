# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.account_dunning_notice import RETURNED


class AccountDunningNoticeWizardLine(models.TransientModel):
    _name = "account.dunning.notice.wizard.line"
    _description = "Dunning: Registered Letter to Record"

    wizard_id = fields.Many2one(
        "account.dunning.notice.wizard", required=True, ondelete="cascade"
    )
    notice_id = fields.Many2one(
        "account.dunning.notice", string="Formal Notice", required=True
    )
    partner_id = fields.Many2one(related="notice_id.partner_id")
    notice_date = fields.Date(related="notice_id.date", string="Letter Date")
    tracking_number = fields.Char()
    date_sent = fields.Date(string="Sent On")
    date_presented = fields.Date(string="First Presented On")
    date_received = fields.Date(string="Received On")
    returned = fields.Selection(RETURNED)
    receipt_file = fields.Binary(string="Acknowledgement of Receipt")
    receipt_filename = fields.Char()
