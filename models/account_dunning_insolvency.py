# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

KINDS = [
    ("safeguard", "Safeguard"),
    ("receivership", "Receivership"),
    ("liquidation", "Liquidation"),
]
STATES = [
    ("open", "Open"),
    ("declared", "Claim Declared"),
    ("closed", "Closed"),
]


class AccountDunningInsolvency(models.Model):
    """Insolvency proceedings of a customer (procédure collective): sauvegarde,
    redressement or liquidation judiciaire."""

    _name = "account.dunning.insolvency"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Dunning Insolvency Proceedings"
    _order = "judgment_date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(KINDS, required=True, tracking=True)
    judgment_date = fields.Date(required=True, tracking=True)
    court = fields.Char(tracking=True)
    publication_date = fields.Date(string="BODACC Publication", tracking=True)
    administrator_id = fields.Many2one(
        "res.partner", string="Mandataire Judiciaire", tracking=True
    )
    claim_deadline = fields.Date()
    state = fields.Selection(STATES, required=True, default="open", tracking=True)
