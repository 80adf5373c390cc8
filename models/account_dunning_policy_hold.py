from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .account_dunning_dispute_delay import DEFAULT_DISPUTE_DAYS


class AccountDunningPolicy(models.Model):
    _inherit = "account.dunning.policy"

    # Disputes, promises to pay and payment plans.
    dispute_days = fields.Integer(
        string="Days to Solve a Dispute",
        default=DEFAULT_DISPUTE_DAYS,
        help="A dispute's deadline: its opening date plus these days, unless its "
        "reason has its own below.",
    )
    dispute_delay_ids = fields.One2many(
        "account.dunning.dispute.delay",
        "policy_id",
        string="Days to Solve by Reason",
    )
    dispute_grace_days = fields.Integer(
        default=7,
        help="After a dispute is resolved, no reminder for its invoice before these "
        "days have passed.",
    )
    promise_grace_days = fields.Integer(
        default=3,
        help="The reminders of a promised invoice wait until the promised date plus "
        "these days; a promise still unpaid then is broken.",
    )
    promise_max_days = fields.Integer(
        default=60,
        help="A promise to pay cannot be further away than these days: beyond, make "
        "a payment plan. 0: no limit.",
    )
    plan_reminder_days = fields.Integer(
        string="Remind Late Instalments After",
        default=3,
        help="A payment plan's instalment not paid in full is reminded once, these "
        "days after its date.",
    )
    plan_tolerance_days = fields.Integer(
        string="Default Plan Tolerance",
        default=15,
        help="The tolerance of new payment plans: an instalment this many days late "
        "breaks the plan.",
    )
    dispute_manager_id = fields.Many2one(
        "res.users",
        string="Late Disputes To",
        domain="[('share', '=', False)]",
        help="Who gets an activity when a dispute passes its deadline: by default the "
        "first dunning manager of the company.",
    )
    block_broken_arrangement = fields.Boolean(
        string="Block On Broken Promise or Plan",
        help="Block the customer while the invoices of a promise or a payment plan "
        "it broke are still unpaid.",
    )

    @api.constrains(
        "dispute_days",
        "dispute_grace_days",
        "promise_grace_days",
        "promise_max_days",
        "plan_reminder_days",
        "plan_tolerance_days",
    )
    def _check_hold_days(self):
        for policy in self:
            if (
                min(
                    policy.dispute_days,
                    policy.dispute_grace_days,
                    policy.promise_grace_days,
                    policy.promise_max_days,
                    policy.plan_reminder_days,
                    policy.plan_tolerance_days,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The days of disputes, promises and payment plans of “%s” "
                        "cannot be negative.",
                        policy.name,
                    )
                )

    def _dispute_days(self, reason):
        """Days to solve a dispute of ``reason`` under this policy."""
        delay = self.dispute_delay_ids.filtered(lambda delay: delay.reason == reason)
        if delay:
            return delay[0].days
        return self.dispute_days if self else DEFAULT_DISPUTE_DAYS
