# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class AccountMove(models.Model):
    _inherit = "account.move"

    def _dunning_check_billable(self):
        """Penalties are not billed to a customer in insolvency proceedings: its
        claim is declared to the mandataire (L622-24 C. com.)."""
        today = fields.Date.context_today(self)
        engine = self.env["account.dunning.penalty.engine"]
        for move in engine._in_proceedings(self, today):
            raise UserError(
                self.env._(
                    "%(customer)s is in insolvency proceedings since %(date)s: its "
                    "claim is declared to the mandataire judiciaire, no penalty is "
                    "billed (L622-21, L622-24 C. com.).",
                    customer=move.commercial_partner_id.display_name,
                    date=format_date(
                        self.env,
                        move.sudo().commercial_partner_id.dunning_insolvency_date,
                    ),
                )
            )
        return super()._dunning_check_billable()
