from odoo import fields, models


class AccountDunningBlockWizard(models.TransientModel):
    _name = "account.dunning.block.wizard"
    _description = "Block Or Unblock A Customer"

    partner_id = fields.Many2one("res.partner", required=True)
    block = fields.Boolean(default=True)
    reason = fields.Char(required=True)

    def action_apply(self):
        self.ensure_one()
        if self.block:
            self.partner_id.action_dunning_block(self.reason)
        else:
            self.partner_id.action_dunning_unblock(self.reason)
        return {"type": "ir.actions.act_window_close"}
