from odoo import _, api, fields, models
from odoo.exceptions import UserError

from . import dunning_access

# Allocated by the engine from the payments, oldest instalment first.
ENGINE_FIELDS = ("paid_amount", "state", "reminder_action_id", "reminded_date")


class AccountDunningPlanLine(models.Model):
    """An instalment of a payment plan, followed as an invoice is."""

    _name = "account.dunning.plan.line"
    _description = "Dunning Payment Plan Instalment"
    _order = "plan_id, date, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "account.dunning.plan", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status")
    date = fields.Date(required=True)
    amount = fields.Monetary(required=True)
    paid_amount = fields.Monetary(readonly=True, copy=False)
    residual = fields.Monetary(string="Left to Pay", compute="_compute_residual")
    state = fields.Selection(
        [("open", "Open"), ("paid", "Paid"), ("late", "Late")],
        default="open",
        required=True,
        readonly=True,
        copy=False,
    )
    reminder_action_id = fields.Many2one(
        "account.dunning.action", string="Reminder", readonly=True, copy=False
    )
    reminded_date = fields.Date(readonly=True, copy=False)

    @api.depends("amount", "paid_amount")
    def _compute_residual(self):
        for line in self:
            line.residual = line.amount - line.paid_amount

    @api.depends("plan_id.name", "date")
    def _compute_display_name(self):
        for line in self:
            line.display_name = _(
                "%(plan)s: instalment of %(date)s",
                plan=line.plan_id.name or "",
                date=line.date or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        lines = super().create(vals_list)
        lines.plan_id._check_user()
        if not self.env.su:
            lines.plan_id._check_draft()
        return lines

    def write(self, vals):
        if not self.env.su:
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
            self.plan_id._check_user()
            self.plan_id._check_draft()
            if "plan_id" in vals and any(
                line.plan_id.id != vals["plan_id"] for line in self
            ):
                raise UserError(_("An instalment stays in its plan."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su and any(line.plan_id.state != "draft" for line in self):
            raise UserError(_("Only the instalments of a draft plan can be removed."))
        return super().unlink()
