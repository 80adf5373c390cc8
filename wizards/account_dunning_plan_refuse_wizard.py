from odoo import fields, models


class AccountDunningPlanRefuseWizard(models.TransientModel):
    """The reason of ``account.dunning.plan.action_refuse``, in a dialog."""

    _name = "account.dunning.plan.refuse.wizard"
    _description = "Dunning: Refuse a Payment Plan Asked For by the Customer"

    plan_id = fields.Many2one(
        "account.dunning.plan", required=True, ondelete="cascade", readonly=True
    )
    reason = fields.Text(
        required=True, help="Emailed to the customer, in the plan's chatter."
    )

    def action_confirm(self):
        self.ensure_one()
        self.plan_id.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
