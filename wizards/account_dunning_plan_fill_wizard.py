from odoo import fields, models

from ..models import hold_rules


class AccountDunningPlanFillWizard(models.TransientModel):
    """Equal instalments for a draft payment plan: the options of
    ``account.dunning.plan.action_fill_instalments`` in a dialog."""

    _name = "account.dunning.plan.fill.wizard"
    _description = "Dunning: Fill the Instalments of a Payment Plan"

    plan_id = fields.Many2one(
        "account.dunning.plan", required=True, ondelete="cascade", readonly=True
    )
    currency_id = fields.Many2one(related="plan_id.currency_id")
    amount_total = fields.Monetary(related="plan_id.amount_total", string="Total")
    count = fields.Integer(string="Number of Instalments", required=True, default=3)
    first_date = fields.Date(
        string="First Instalment",
        required=True,
        default=lambda self: fields.Date.add(fields.Date.context_today(self), months=1),
    )
    period = fields.Selection(
        [(hold_rules.MONTHLY, "Monthly"), (hold_rules.DAYS, "Every N Days")],
        required=True,
        default=hold_rules.MONTHLY,
    )
    every_days = fields.Integer(string="Every (days)", default=30)

    def action_confirm(self):
        self.ensure_one()
        self.plan_id.action_fill_instalments(
            self.count, self.first_date, self.period, self.every_days
        )
        return {"type": "ir.actions.act_window_close"}
