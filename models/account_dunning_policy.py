from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from . import penalty_rules
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

    # Penalty terms (French L441-10 / D441-5, directive 2011/7/EU).
    interest_mode = fields.Selection(
        [
            ("none", "No late interest"),
            ("fixed", "Fixed annual rate"),
            ("reference", "Reference rate + margin"),
        ],
        string="Late Interest",
        default="reference",
        required=True,
    )
    interest_fixed_rate = fields.Float(
        string="Annual Rate (%)", digits=(16, 4), help="The contractual annual rate."
    )
    interest_margin = fields.Float(
        string="Margin (points)",
        default=10.0,
        digits=(16, 4),
        help="Points added to the reference rate (France: 10; the directive: at "
        "least 8).",
    )
    interest_rate_source = fields.Char(
        string="Reference Rate Series",
        default="ecb_mro",
        help="Code of the dated rate series (ecb_mro: ECB main refinancing "
        "operations).",
    )
    interest_floor_multiple = fields.Float(
        string="Floor (x legal rate)",
        digits=(16, 4),
        help="The rate is never below this multiple of the floor series' rate of the "
        "half-year (France: 3 times the legal rate for a contractual rate). "
        "0: no floor.",
    )
    interest_floor_source = fields.Char(string="Floor Rate Series", default="fr_legal")
    interest_basis = fields.Selection(
        [("365", "365 days"), ("actual", "Actual days of the year")],
        string="Day Count",
        default="365",
        required=True,
    )
    interest_half_years = fields.Selection(
        [
            ("split", "Each half-year at its own rate"),
            ("start", "The whole delay at the rate of its first half-year"),
        ],
        string="Rate Across Half-Years",
        default="split",
        required=True,
    )
    indemnity_amount = fields.Monetary(
        string="Recovery Indemnity",
        currency_field="indemnity_currency_id",
        default=40.0,
        help="Flat indemnity for recovery costs, once per invoice paid late.",
    )
    indemnity_currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.ref("base.EUR", raise_if_not_found=False),
        required=True,
    )
    penalty_min_amount = fields.Monetary(
        string="Minimum Penalty Invoice",
        currency_field="company_currency_id",
        help="Penalties below this amount (company currency) are not billed.",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    penalty_bill_level_id = fields.Many2one(
        "account.dunning.level",
        string="Bill Penalties At",
        domain="[('policy_id', '=', id)]",
        help="Bill the penalties automatically when this level is executed; "
        "leave empty to bill them by hand only.",
    )
    # Blocking rules: a customer who does not pay cannot keep ordering.
    block_level_id = fields.Many2one(
        "account.dunning.level",
        string="Block At Level",
        domain="[('policy_id', '=', id)]",
        help="Block the customer while one of its open invoices stands at this level "
        "or beyond.",
    )
    block_overdue_amount = fields.Monetary(
        string="Block Above Overdue Amount",
        currency_field="company_currency_id",
        help="Block the customer when its overdue amount (company currency) passes "
        "this amount. 0: no such rule.",
    )
    block_days_late = fields.Integer(
        string="Block After Days Late",
        help="Block the customer when its oldest overdue invoice is more than this "
        "many days late. 0: no such rule.",
    )
    block_credit_limit = fields.Boolean(
        string="Block Above Credit Limit",
        help="Block the customer when its receivable passes its credit limit "
        "(Accounting settings: Sales Credit Limit).",
    )
    penalty_interest_account_id = fields.Many2one(
        "account.account", string="Interest Income Account", check_company=True
    )
    penalty_indemnity_account_id = fields.Many2one(
        "account.account", string="Indemnity Income Account", check_company=True
    )
    penalty_fee_account_id = fields.Many2one(
        "account.account", string="Fees Income Account", check_company=True
    )

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

    @api.constrains(
        "interest_mode",
        "interest_fixed_rate",
        "interest_margin",
        "indemnity_amount",
        "interest_floor_multiple",
        "penalty_min_amount",
    )
    def _check_penalty_terms(self):
        for policy in self:
            if policy.interest_margin < 0 or policy.interest_fixed_rate < 0:
                raise ValidationError(
                    _(
                        "The interest rate and margin of “%s” cannot be negative.",
                        policy.name,
                    )
                )
            if policy.indemnity_amount < 0 or policy.penalty_min_amount < 0:
                raise ValidationError(
                    _(
                        "The indemnity and minimum amounts of “%s” cannot be negative.",
                        policy.name,
                    )
                )
            if policy.interest_floor_multiple < 0:
                raise ValidationError(
                    _("The rate floor of “%s” cannot be negative.", policy.name)
                )
            if policy.interest_mode == "fixed" and not policy.interest_fixed_rate:
                raise ValidationError(
                    _(
                        "The policy “%s” charges a fixed interest rate: enter it.",
                        policy.name,
                    )
                )

    @api.constrains("block_overdue_amount", "block_days_late")
    def _check_block_thresholds(self):
        for policy in self:
            if policy.block_overdue_amount < 0 or policy.block_days_late < 0:
                raise ValidationError(
                    _(
                        "The blocking thresholds of “%s” cannot be negative.",
                        policy.name,
                    )
                )

    def _interest_rate_function(self, rates):
        """function(day) -> the annual penalty rate of the half-year of day, or None.

        ``rates`` is what account.dunning.rate._rates_by_source returned for the
        policy's series.
        """
        self.ensure_one()
        if self.interest_mode == "none":
            return lambda _day: None
        reference = rates.get(self.interest_rate_source, [])
        floor_series = rates.get(self.interest_floor_source, [])

        def rate_for(day):
            return penalty_rules.penalty_rate(
                day,
                self.interest_mode,
                fixed_rate=self.interest_fixed_rate,
                margin=self.interest_margin,
                reference=reference,
                floor_multiple=self.interest_floor_multiple,
                floor_series=floor_series,
            )

        return rate_for

    def _rate_sources(self):
        sources = self.mapped("interest_rate_source") + self.mapped(
            "interest_floor_source"
        )
        return {source for source in sources if source}

    def _level_rules(self):
        """The policy's levels as plain rules, for the functions of dunning_rules."""
        self.ensure_one()
        return [
            LevelRule(
                level.id, level.delay, level.min_days_since_previous, level.min_amount
            )
            for level in self.level_ids
        ]
