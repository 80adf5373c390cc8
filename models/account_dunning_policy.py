from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from . import debtor_rules, penalty_rules
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
    interest_consumer = fields.Boolean(
        string="Claim Interest From Consumers",
        help="Claim late interest from consumers: at the legal rate, from the formal "
        "notice only (C. civ. 1231-6, 1344-1). Consumers never owe the recovery "
        "indemnity nor the level fees (L111-8 CPCE).",
    )
    interest_floor_warning = fields.Char(compute="_compute_interest_floor_warning")
    indemnity_amount = fields.Monetary(
        string="Recovery Indemnity",
        currency_field="indemnity_currency_id",
        default=40.0,
        help="Flat indemnity for recovery costs, once per invoice paid late, from "
        "businesses and public bodies. In France and the EU it is 40 EUR by law "
        "(D441-5 C. com., directive 2011/7/EU) or 0 to claim none; higher costs are "
        "claimed on justification, added to a penalty invoice by a manager.",
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
        "indemnity_currency_id",
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
            policy._check_legal_indemnity()
            if policy.interest_mode == "fixed" and not policy.interest_fixed_rate:
                raise ValidationError(
                    _(
                        "The policy “%s” charges a fixed interest rate: enter it.",
                        policy.name,
                    )
                )

    def _check_legal_indemnity(self):
        """In France and the EU the flat indemnity is the law's 40 EUR, or none."""
        if self.company_id._dunning_legal_regime() == debtor_rules.OTHER:
            return
        legal = self.indemnity_currency_id.name == "EUR" and not (
            self.indemnity_currency_id.compare_amounts(
                self.indemnity_amount, debtor_rules.LEGAL_INDEMNITY
            )
        )
        if self.indemnity_amount and not legal:
            raise ValidationError(
                _(
                    "The recovery indemnity of “%(policy)s” is set by law at 40.00 EUR "
                    "(D441-5 C. com., directive 2011/7/EU): enter 40.00 EUR, or 0 to "
                    "claim none. Higher recovery costs are claimed on justification, "
                    "added by a manager to a penalty invoice.",
                    policy=self.name,
                )
            )

    @api.depends(
        "company_id", "interest_mode", "interest_fixed_rate", "interest_margin",
        "interest_rate_source",
    )  # fmt: skip
    def _compute_interest_floor_warning(self):
        today = fields.Date.context_today(self)
        legal = (
            self.env["account.dunning.rate"]
            .sudo()
            ._rates_by_source([debtor_rules.FR_LEGAL_SERIES])[
                debtor_rules.FR_LEGAL_SERIES
            ]
        )
        legal_rate = penalty_rules.half_year_rate(legal, today)
        for policy in self:
            policy.interest_floor_warning = False
            terms = policy._penalty_terms(debtor_rules.BUSINESS)
            if legal_rate is None or not terms.floor_multiple or not policy.company_id:
                continue
            if policy.company_id._dunning_legal_regime() != debtor_rules.FRANCE:
                continue
            minimum = debtor_rules.legal_minimum_rate(legal_rate)
            rate = penalty_rules.penalty_rate(
                today,
                terms.mode,
                fixed_rate=terms.fixed_rate,
                margin=terms.margin,
                reference=self.env["account.dunning.rate"]
                .sudo()
                ._rates_by_source([terms.reference])[terms.reference],
            )
            if rate is not None and rate < minimum:
                policy.interest_floor_warning = _(
                    "The contractual rate (%(rate).2f %%) is below the legal minimum "
                    "of %(minimum).2f %% for %(half_year)s (3 x the legal rate of "
                    "%(legal).2f %%, L441-10 II C. com.): the penalties are computed "
                    "at the minimum.",
                    rate=rate,
                    minimum=minimum,
                    half_year=self.env["account.dunning.rate.series"]._half_year_label(
                        today
                    ),
                    legal=legal_rate,
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

    def _penalty_terms(self, debtor=debtor_rules.BUSINESS):
        """The terms the policy gives a debtor of that type, by its company's law."""
        self.ensure_one()
        own = debtor_rules.Terms(
            self.interest_mode,
            self.interest_fixed_rate,
            self.interest_margin,
            self.interest_rate_source or "",
            self.interest_floor_multiple,
            self.interest_floor_source or "",
            self.interest_half_years,
            self.interest_basis,
            self.interest_consumer,
            self.indemnity_amount,
            True,
        )
        return debtor_rules.penalty_terms(
            self.company_id._dunning_legal_regime(), debtor, own
        )

    @api.model
    def _terms_rate_function(self, terms, rates):
        """function(day) -> the annual rate of the half-year of day, or None."""
        if terms.mode == "none":
            return lambda _day: None
        reference = rates.get(terms.reference, [])
        floor_series = rates.get(terms.floor, [])

        def rate_for(day):
            return penalty_rules.penalty_rate(
                day,
                terms.mode,
                fixed_rate=terms.fixed_rate,
                margin=terms.margin,
                reference=reference,
                floor_multiple=terms.floor_multiple,
                floor_series=floor_series,
            )

        return rate_for

    @api.model
    def _terms_provisional_function(self, terms, known):
        """function(day) -> whether the rate of the half-year of day is not yet
        published for one of the series the terms read (``known``: the series'
        known_until)."""
        Series = self.env["account.dunning.rate.series"]
        sources = []
        if terms.mode == "reference":
            sources.append(terms.reference)
        if terms.mode != "none" and terms.floor_multiple and terms.floor:
            sources.append(terms.floor)

        def provisional_for(day):
            return any(
                not Series._half_year_known(known.get(source), day)
                for source in sources
            )

        return provisional_for

    def _interest_rate_function(self, rates, debtor=debtor_rules.BUSINESS):
        """function(day) -> the annual penalty rate of the half-year of day, or None.

        ``rates`` is what account.dunning.rate._rates_by_source returned for the
        policy's series.
        """
        self.ensure_one()
        return self._terms_rate_function(self._penalty_terms(debtor), rates)

    def _rate_sources(self):
        sources = {debtor_rules.ECB_SERIES, debtor_rules.FR_LEGAL_SERIES}
        sources.update(self.mapped("interest_rate_source"))
        sources.update(self.mapped("interest_floor_source"))
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
