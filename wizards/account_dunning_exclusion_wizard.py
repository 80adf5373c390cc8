from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AccountDunningExclusionWizard(models.TransientModel):
    _name = "account.dunning.exclusion.wizard"
    _description = "Exclude Invoices From Dunning"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    exclude = fields.Boolean(
        default=True, help="Untick to include the invoices in dunning again."
    )
    reason = fields.Char()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if (
            self.env.context.get("active_model") == "account.move"
            and "move_ids" in fields_list
        ):
            values["move_ids"] = [
                fields.Command.set(self.env.context.get("active_ids", []))
            ]
        return values

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
