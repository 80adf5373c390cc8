from odoo import fields, models


class AccountDunningWaiverWizard(models.TransientModel):
    _name = "account.dunning.waiver.wizard"
    _inherit = "account.dunning.invoice.wizard"
    _description = "Waive Late-Payment Penalties"

    reason = fields.Char(required=True)

    def action_apply(self):
        self.ensure_one()
        self.move_ids.action_dunning_waive_penalties(self.reason)
        return {"type": "ir.actions.act_window_close"}
