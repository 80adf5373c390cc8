from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .dunning_rules import LevelRule


class AccountDunningPolicy(models.Model):
    _name = "account.dunning.policy"
    _description = "Dunning Policy"
    _order = "company_id, name, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    level_ids = fields.One2many(
        "account.dunning.level", "policy_id", string="Levels", copy=True
    )
    level_count = fields.Integer(compute="_compute_level_count")
    note = fields.Html(translate=True)

    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    @api.constrains("level_ids")
    def _check_level_delays(self):
        for policy in self:
            delays = policy.level_ids.sorted(
                lambda level: (level.sequence, level.id)
            ).mapped("delay")
            if any(
                later <= earlier
                for earlier, later in zip(delays, delays[1:], strict=False)
            ):
                raise ValidationError(
                    _(
                        "The levels of the dunning policy “%(policy)s” must have "
                        "strictly "
                        "increasing delays in their order (delays found: %(delays)s).",
                        policy=policy.display_name,
                        delays=", ".join(str(delay) for delay in delays),
                    )
                )

    def _level_rules(self):
        """The policy's levels as plain rules, for the functions of dunning_rules."""
        self.ensure_one()
        return [
            LevelRule(
                level.id, level.delay, level.min_days_since_previous, level.min_amount
            )
            for level in self.level_ids
        ]
