# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_legal_form = fields.Char(
        string="Legal Form",
        help="The creditor's legal form and share capital as a formal notice states "
        "them (e.g. SAS au capital de 10 000 €).",
    )
