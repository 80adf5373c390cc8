import uuid
from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from . import dunning_access, penalty_rules

# Written by the runs and the penalty billing only (see dunning_access).
ENGINE_FIELDS = (
    "dunning_level_id",
    "dunning_last_date",
    "dunning_action_ids",
    "dunning_penalty_ids",
)
# Written by dunning managers (the exclusion wizard) only.
EXCLUSION_FIELDS = ("dunning_excluded", "dunning_exclusion_reason")


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_level_id = fields.Many2one(
        "account.dunning.level",
        string="Dunning Level",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="The last dunning level executed for this invoice.",
    )
    dunning_last_date = fields.Date(
        string="Last Reminder",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Date of the last reminder sent.",
    )
    # No default: the column stays empty on existing rows, so installing is instant.
    dunning_excluded = fields.Boolean(
        string="Excluded From Dunning",
        copy=False,
        tracking=True,
        groups="base.group_user",
    )
    dunning_exclusion_reason = fields.Char(
        copy=False, tracking=True, groups="base.group_user"
    )
    dunning_action_ids = fields.Many2many(
        "account.dunning.action",
        "account_dunning_action_move_rel",
        "move_id",
        "action_id",
        string="Reminders",
        readonly=True,
        copy=False,
        groups="account_dunning.group_dunning_user",
    )
    dunning_action_count = fields.Integer(
        compute="_compute_dunning_action_count",
        groups="account_dunning.group_dunning_user",
    )
    dunning_partner_blocked = fields.Boolean(
        string="Customer Blocked",
        compute="_compute_dunning_partner_blocked",
        groups="base.group_user",
    )
    dunning_partner_block_reason = fields.Char(
        compute="_compute_dunning_partner_blocked", groups="base.group_user"
    )
    dunning_interest_amount = fields.Monetary(
        string="Late Interest",
        compute="_compute_dunning_penalties",
        groups="base.group_user",
        help="Late-payment interest accrued as of today, in the invoice currency.",
    )
    dunning_indemnity_amount = fields.Monetary(
        string="Recovery Indemnity",
        compute="_compute_dunning_penalties",
        groups="base.group_user",
        help="The flat indemnity for recovery costs due on this late invoice.",
    )
    dunning_interest_detail_html = fields.Html(
        string="Interest Detail",
        compute="_compute_dunning_penalties",
        sanitize=False,
        groups="base.group_user",
    )
    dunning_penalty_ids = fields.One2many(
        "account.dunning.penalty",
        "move_id",
        string="Penalty Claims",
        readonly=True,
        groups="account_dunning.group_dunning_user",
    )

    @api.depends("dunning_action_ids")
    def _compute_dunning_action_count(self):
        counts = (
            dict(
                self.env["account.dunning.action"]._read_group(
                    [("move_ids", "in", self.ids)], ["move_ids"], ["__count"]
                )
            )
            if self.ids
            else {}
        )
        for move in self:
            move.dunning_action_count = counts.get(move, 0)

    @api.depends("commercial_partner_id", "company_id", "move_type")
    def _compute_dunning_partner_blocked(self):
        for move in self:
            # sudo: the block of the invoice's own customer, shown on the invoice to
            # whoever may read it; only the flag and the reason are read.
            partner = move.commercial_partner_id.with_company(move.company_id).sudo()
            blocked = move.is_sale_document() and partner.dunning_blocked
            move.dunning_partner_blocked = blocked
            move.dunning_partner_block_reason = (
                partner.dunning_block_reason if blocked else False
            )

    @api.constrains("dunning_excluded", "dunning_exclusion_reason")
    def _check_dunning_exclusion_reason(self):
        for move in self:
            if (
                move.dunning_excluded
                and not (move.dunning_exclusion_reason or "").strip()
            ):
                raise ValidationError(
                    _(
                        "Give a reason to exclude the invoice %s from dunning.",
                        move.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._dunning_check_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._dunning_check_write(vals)
        return super().write(vals)

    def _dunning_check_write(self, vals):
        """Levels and claims are the engine's; exclusions are the managers'."""
        dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        dunning_access.check_manager_fields(
            self,
            vals,
            EXCLUSION_FIELDS,
            _("Only dunning managers can exclude invoices from dunning."),
        )

    @api.model
    def _dunning_open_domain(self, partners, company):
        """The open invoices of these customers (all when None) that dunning looks at.

        The run's candidate query (SQL, for speed) applies the same conditions.
        """
        partner_domain = (
            [] if partners is None else [("commercial_partner_id", "in", partners.ids)]
        )
        return partner_domain + [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("amount_residual", ">", 0),
            ("dunning_excluded", "!=", True),
        ]

    def action_open_dunning_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_action_action"
        )
        action["domain"] = [("move_ids", "in", self.ids)]
        action["context"] = {}
        return action

    def _portal_ensure_tokens(self):
        """Give every move an access token in one statement, for the payment links."""
        missing = self.filtered(lambda move: not move.access_token)
        if not missing:
            return
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move move SET access_token = data.token
                  FROM unnest(%s::int[], %s::varchar[]) AS data(move_id, token)
                 WHERE move.id = data.move_id AND move.access_token IS NULL
                """,
                missing.ids,
                [str(uuid.uuid4()) for _move in missing],
            )
        )
        missing.invalidate_recordset(["access_token"])

    # ---------------------------------------------------------------- penalties

    def _dunning_policy(self):
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(self.company_id)
        return partner.dunning_policy_id or self.company_id.dunning_policy_id

    def _dunning_rates(self):
        """The dated rate series the policies of these invoices read, in one query."""
        policies = self.env["account.dunning.policy"]
        for move in self:
            policies |= move._dunning_policy()
        # sudo: published reference rates, read to compute what is due.
        return (
            self.env["account.dunning.rate"]
            .sudo()
            ._rates_by_source(policies._rate_sources())
        )

    def _dunning_reductions(self):
        """(date, amount in invoice currency) of each payment or credit note applied."""
        self.ensure_one()
        partials, _exchange = self._get_reconciled_invoices_partials()
        return sorted((line.date, amount) for _partial, amount, line in partials)

    def _dunning_paid_on(self):
        """The date the invoice was paid off, or None while something is due."""
        self.ensure_one()
        if not self.currency_id.is_zero(self.amount_residual):
            return None
        return penalty_rules.last_payment_date(
            self.amount_total, self._dunning_reductions()
        )

    def _dunning_is_late(self, on_date):
        """Past due on ``on_date``, whether still open or paid after its due date."""
        self.ensure_one()
        if (
            self.move_type != "out_invoice"
            or self.state != "posted"
            or not self.invoice_date_due
        ):
            return False
        # No interest on interest: a penalty invoice paid late bears no penalties.
        # sudo: whether a claim points at this invoice, whoever reads it.
        if (
            self.env["account.dunning.penalty"]
            .sudo()
            .search_count([("penalty_move_id", "=", self.id)], limit=1)
        ):
            return False
        paid_on = self._dunning_paid_on()
        last_day = min(paid_on, on_date) if paid_on else on_date
        return last_day > self.invoice_date_due

    def _dunning_interest_lines(self, on_date, rates, start_after=None):
        self.ensure_one()
        policy = self._dunning_policy()
        if not self._dunning_is_late(on_date) or not policy:
            return []
        paid_on = self._dunning_paid_on()
        return penalty_rules.interest_detail(
            self.amount_total,
            self.invoice_date_due,
            min(paid_on, on_date) if paid_on else on_date,
            policy._interest_rate_function(rates),
            reductions=self._dunning_reductions(),
            half_years=policy.interest_half_years,
            basis=policy.interest_basis,
            start_after=start_after,
            digits=self.currency_id.decimal_places,
        )

    def dunning_interest_detail(self, date=None):
        """The interest detail lines up to ``date`` (default today), as plain data."""
        self.ensure_one()
        on_date = fields.Date.to_date(date) or fields.Date.context_today(self)
        return [
            line._asdict()
            for line in self._dunning_interest_lines(on_date, self._dunning_rates())
        ]

    def _dunning_indemnity_due(self, on_date):
        """The flat recovery indemnity of a late invoice, in the invoice currency."""
        self.ensure_one()
        policy = self._dunning_policy()
        if not policy or not self._dunning_is_late(on_date):
            return 0.0
        return policy.indemnity_currency_id._convert(
            policy.indemnity_amount, self.currency_id, self.company_id, on_date
        )

    @api.depends_context("company")
    def _compute_dunning_penalties(self):
        today = fields.Date.context_today(self)
        late = self.filtered(lambda move: move.id and move._dunning_is_late(today))
        rates = late._dunning_rates() if late else {}
        for move in self:
            if move in late:
                lines = move._dunning_interest_lines(today, rates)
                move.dunning_interest_amount = sum(line.amount for line in lines)
                move.dunning_indemnity_amount = move._dunning_indemnity_due(today)
                move.dunning_interest_detail_html = move._dunning_detail_html(lines)
            else:
                move.dunning_interest_amount = 0.0
                move.dunning_indemnity_amount = 0.0
                move.dunning_interest_detail_html = False

    def _dunning_detail_html(self, lines):
        return self.env["ir.qweb"]._render(
            "account_dunning.interest_detail_table", {"move": self, "lines": lines}
        )

    def _dunning_fees_accrued(self, on_date):
        """Fees of the levels each invoice reached, in invoice currency."""
        # sudo: the levels these invoices reached, from the trace, to price them.
        actions = (
            self.env["account.dunning.action"]
            .sudo()
            .search_fetch(
                [("advanced_move_ids", "in", self.ids), ("state", "=", "sent")],
                ["level_id", "advanced_move_ids"],
            )
        )
        fees = dict.fromkeys(self.ids, 0.0)
        reached = {
            (move.id, action.level_id)
            for action in actions
            for move in action.advanced_move_ids
        }
        for move_id, level in reached:
            if move_id in fees and level.fee_amount:
                move = self.browse(move_id)
                fees[move_id] += level.company_currency_id._convert(
                    level.fee_amount, move.currency_id, move.company_id, on_date
                )
        return fees

    def _dunning_unbilled(self, on_date):
        """Per invoice, what is still to claim: interest lines, indemnity and fees."""
        rates = self._dunning_rates()
        fees = self._dunning_fees_accrued(on_date)
        result = {}
        for move in self:
            # sudo: what was already claimed, so that nothing is billed twice.
            claims = move.sudo().dunning_penalty_ids.filtered("in_force")
            covered = max(claims.mapped("interest_until"), default=None)
            lines = move._dunning_interest_lines(on_date, rates, start_after=covered)
            indemnity = (
                0.0
                if any(claims.mapped("indemnity"))
                else move._dunning_indemnity_due(on_date)
            )
            fee = move.currency_id.round(
                fees[move.id] - sum(claims.mapped("fee_amount"))
            )
            result[move] = {
                "lines": lines,
                "indemnity": indemnity,
                "fee": max(fee, 0.0),
            }
        return result

    def _dunning_check_billable(self):
        for move in self:
            if move.move_type != "out_invoice":
                raise UserError(
                    _(
                        "Late-payment penalties are billed on customer invoices only "
                        "(%s).",
                        move.display_name,
                    )
                )
            if move.state != "posted":
                raise UserError(
                    _(
                        "The invoice %s is not posted: it has no penalties.",
                        move.display_name,
                    )
                )
            if not move._dunning_is_late(fields.Date.context_today(self)):
                raise UserError(
                    _(
                        "The invoice %s was not paid late: it has no penalties.",
                        move.display_name,
                    )
                )

    @api.model
    def _dunning_check_may_bill(self):
        """Billing penalties creates and posts invoices: invoicing users only."""
        user = self.env.user
        if not (
            user.has_group("account_dunning.group_dunning_user")
            and user.has_group("account.group_account_invoice")
        ):
            raise AccessError(
                _(
                    "Only users who may create invoices (Invoicing / Billing) can "
                    "bill late-payment penalties."
                )
            )

    def action_dunning_bill_penalties(self):
        """Bill the interest, indemnity and fees of these invoices not yet claimed."""
        self._dunning_check_may_bill()
        self._dunning_check_billable()
        penalty_moves = self._dunning_bill_penalties(fields.Date.context_today(self))
        if not penalty_moves:
            raise UserError(_("These invoices have no penalties left to bill."))
        return penalty_moves._get_records_action(name=_("Penalty Invoices"))

    def _dunning_bill_penalties(self, on_date):
        """Create and post one penalty invoice per customer and currency.

        The penalty invoices are created with the caller's rights: a user's, checked
        by ``_dunning_check_may_bill``, or the engine's when a level bills them.
        """
        unbilled = self._dunning_unbilled(on_date)
        penalty_moves = self.browse()
        groups = defaultdict(self.browse)
        for move, due in unbilled.items():
            if due["lines"] or due["indemnity"] or due["fee"]:
                key = (move.company_id, move.commercial_partner_id, move.currency_id)
                groups[key] |= move
        for (company, partner, currency), moves in groups.items():
            policy = moves[0]._dunning_policy()
            line_vals, claim_vals = [], []
            for move in moves:
                move_lines, move_claim = move._dunning_penalty_lines(
                    unbilled[move], policy
                )
                line_vals += move_lines
                claim_vals.append(move_claim)
            total = sum(vals["price_unit"] for vals in line_vals)
            in_company = currency._convert(total, company.currency_id, company, on_date)
            if (
                company.currency_id.compare_amounts(
                    in_company, policy.penalty_min_amount
                )
                < 0
            ):
                continue
            penalty_move = self.create(
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "currency_id": currency.id,
                    # Issued today, for the days up to on_date: never backdated.
                    "invoice_date": fields.Date.context_today(self),
                    "invoice_origin": ", ".join(move.name for move in moves),
                    "invoice_line_ids": [Command.create(vals) for vals in line_vals],
                }
            )
            penalty_move.action_post()
            for vals in claim_vals:
                vals["penalty_move_id"] = penalty_move.id
            # sudo: the claims are the engine's record of what this invoice billed.
            self.env["account.dunning.penalty"].sudo().create(claim_vals)
            penalty_move._dunning_trace_penalty(
                moves, "penalty", _("Penalty invoice %s", penalty_move.name)
            )
            penalty_moves |= penalty_move
        return penalty_moves

    def _dunning_penalty_lines(self, due, policy):
        """Invoice line values and the claim of one invoice's penalties."""
        self.ensure_one()
        lines, interest = due["lines"], sum(line.amount for line in due["lines"])
        line_vals = []

        def add(label, amount, account):
            vals = {
                "name": label,
                "quantity": 1,
                "price_unit": amount,
                "tax_ids": [Command.clear()],
            }
            if account:
                vals["account_id"] = account.id
            line_vals.append(vals)

        if lines:
            detail = "\n".join(
                self.env._(
                    "%(start)s - %(end)s: %(days)s days x %(base)s x %(rate)s %% "
                    "= %(amount)s",
                    start=line.date_from,
                    end=line.date_to,
                    days=line.days,
                    base=line.base,
                    rate=line.rate,
                    amount=line.amount,
                )
                for line in lines
            )
            add(
                _(
                    "Late interest on %(invoice)s\n%(detail)s",
                    invoice=self.name,
                    detail=detail,
                ),
                interest,
                policy.penalty_interest_account_id,
            )
        if due["indemnity"]:
            add(
                _(
                    "Fixed indemnity for recovery costs on %s (art. L441-10 C. com.)",
                    self.name,
                ),
                due["indemnity"],
                policy.penalty_indemnity_account_id,
            )
        if due["fee"]:
            add(
                _("Dunning fees on %s", self.name),
                due["fee"],
                policy.penalty_fee_account_id,
            )
        claim = {
            "move_id": self.id,
            "kind": "bill",
            "interest_from": lines[0].date_from if lines else False,
            "interest_until": lines[-1].date_to if lines else False,
            "interest_amount": interest,
            "indemnity": bool(due["indemnity"]),
            "indemnity_amount": due["indemnity"],
            "fee_amount": due["fee"],
            "detail": "\n".join(vals["name"] for vals in line_vals),
        }
        return line_vals, claim

    def action_dunning_waive_penalties(self, reason):
        """Waive what is left of these invoices' penalties, for a traced reason."""
        if not self.env.user.has_group("account_dunning.group_dunning_manager"):
            raise AccessError(_("Only dunning managers can waive penalties."))
        if not (reason or "").strip():
            raise UserError(_("Give the reason for waiving the penalties."))
        today = fields.Date.context_today(self)
        unbilled = self._dunning_unbilled(today)
        claims = []
        for move, due in unbilled.items():
            paid_on = move._dunning_paid_on()
            claims.append(
                {
                    "move_id": move.id,
                    "kind": "waiver",
                    "interest_until": min(paid_on, today) if paid_on else today,
                    "interest_amount": sum(line.amount for line in due["lines"]),
                    "indemnity": True,
                    "indemnity_amount": due["indemnity"],
                    "fee_amount": due["fee"],
                    "reason": reason,
                }
            )
        # sudo: after the manager check above; the claims are the engine's record.
        self.env["account.dunning.penalty"].sudo().create(claims)
        self._dunning_trace_penalty(self, "waiver", _("Penalties waived: %s", reason))
        return True

    def _dunning_trace_penalty(self, moves, channel, reason):
        """A trace line per customer for a penalty invoice or a waiver."""
        # sudo: the trace is append-only, written by the engine after the checks
        # of the billing and waiver actions.
        Action = self.env["account.dunning.action"].sudo()
        for (company, partner), group in moves.grouped(
            lambda move: (move.company_id, move.commercial_partner_id)
        ).items():
            Action.create(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "channel": channel,
                    "state": "sent",
                    "reason": reason,
                    "date": fields.Date.context_today(self),
                    "move_ids": [Command.set(group.ids)],
                    "penalty_move_id": self.id if channel == "penalty" else False,
                    "amount": sum(group.mapped("amount_residual_signed")),
                }
            )
