from odoo import fields, models


class AccountDunningWaiverWizard(models.TransientModel):
    _name = "account.dunning.waiver.wizard"
    _description = "Waive Late-Payment Penalties"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    reason = fields.Char(required=True)

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
        self.move_ids.action_dunning_waive_penalties(self.reason)
        return {"type": "ir.actions.act_window_close"}
