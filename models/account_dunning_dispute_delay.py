from odoo import fields, models

from .account_dunning_dispute import REASONS

DEFAULT_DISPUTE_DAYS = 15


class AccountDunningDisputeDelay(models.Model):
    _name = "account.dunning.dispute.delay"
    _description = "Dunning: Days to Solve a Dispute by Reason"
    _order = "policy_id, reason"

    policy_id = fields.Many2one(
        "account.dunning.policy", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    reason = fields.Selection(REASONS, required=True)
    days = fields.Integer(required=True, default=DEFAULT_DISPUTE_DAYS)

    _sql_constraints = [
        (
            "reason_uniq",
            "UNIQUE (policy_id, reason)",
            "A reason has one number of days per policy.",
        ),
        ("days_positive", "CHECK (days >= 0)", "The days cannot be negative."),
    ]
