from odoo import fields, models


class AccountDunningRecoveryCostWizard(models.TransientModel):
    _name = "account.dunning.recovery.cost.wizard"
    _description = "Bill Justified Recovery Costs"

    move_id = fields.Many2one("account.move", string="Invoice", required=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount = fields.Monetary(string="Recovery Costs", required=True)
    reason = fields.Text(
        string="Justification",
        required=True,
        help="What the recovery cost: e.g. the commissaire de justice's fees, with "
        "the reference of the supporting document.",
    )

    def action_apply(self):
        self.ensure_one()
        return self.move_id.action_dunning_bill_recovery_costs(self.amount, self.reason)
