from odoo import _, fields, models
from odoo.exceptions import UserError


class AccountDunningExclusionWizard(models.TransientModel):
    _name = "account.dunning.exclusion.wizard"
    _inherit = "account.dunning.invoice.wizard"
    _description = "Exclude Invoices From Dunning"

    exclude = fields.Boolean(
        default=True, help="Untick to include the invoices in dunning again."
    )
    reason = fields.Char()

    def action_apply(self):
        self.ensure_one()
        invoices = self.move_ids.filtered(lambda move: move.move_type == "out_invoice")
        if not invoices:
            raise UserError(_("Select customer invoices to exclude from dunning."))
        if self.exclude and not (self.reason or "").strip():
            raise UserError(
                _("Give the reason for excluding these invoices from dunning.")
            )
        invoices.write(
            {
                "dunning_excluded": self.exclude,
                "dunning_exclusion_reason": self.reason if self.exclude else False,
            }
        )
        return {"type": "ir.actions.act_window_close"}
