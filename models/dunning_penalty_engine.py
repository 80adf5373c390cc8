"""Late-payment penalties, computed and billed for a whole batch of invoices.

Interest runs per instalment (receivable item) from its own due date on its own
amount, cut at each payment or credit note applied to it (penalty_rules); the flat
indemnity is due once per invoice paid late. Everything an invoice needs (items,
partial reconciliations, claims, policy) is read for the batch at once.
"""

from collections import defaultdict, namedtuple

from odoo import Command, _, api, fields, models

from . import penalty_rules

# One instalment: the receivable item, its amount and due date (invoice currency),
# the (date, amount) of what was applied to it, and the day it was paid off.
Instalment = namedtuple("Instalment", "item amount due reductions paid_on")


class AccountDunningPenaltyEngine(models.AbstractModel):
    _name = "account.dunning.penalty.engine"
    _description = "Dunning: Penalties"

    # -------------------------------------------------------------------- facts

    @api.model
    def _instalments(self, moves):
        """{move: [Instalment]} of customer invoices, from a few batch queries."""
        # sudo: the engine reads the invoices' own items and reconciliations.
        moves = moves.sudo()
        # The payment term lines of a customer invoice are its receivable items.
        items = moves.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        by_move = defaultdict(list)
        for item in items.sorted(
            lambda line: (line.date_maturity or line.date, line.id)
        ):
            reductions = sorted(
                (partial.credit_move_id.date, partial.debit_amount_currency)
                for partial in item.matched_credit_ids
            )
            paid_on = (
                penalty_rules.last_payment_date(item.amount_currency, reductions)
                if item.reconciled
                or item.currency_id.is_zero(item.amount_residual_currency)
                else None
            )
            by_move[item.move_id.id].append(
                Instalment(
                    item,
                    item.amount_currency,
                    item.date_maturity or item.date,
                    reductions,
                    paid_on,
                )
            )
        return {move: by_move.get(move.id, []) for move in moves.with_env(self.env)}

    @api.model
    def _penalty_invoice_ids(self, moves):
        """The invoices that are penalty invoices (no interest on interest)."""
        # sudo: whether a claim points at these invoices, whoever reads them.
        groups = (
            self.env["account.dunning.penalty"]
            .sudo()
            ._read_group([("penalty_move_id", "in", moves.ids)], ["penalty_move_id"])
        )
        return {move.id for (move,) in groups}

    @api.model
    def _late_instalments(self, moves, on_date):
        """{move: [Instalment past due on on_date, open or paid after its date]}."""
        penalty_ids = self._penalty_invoice_ids(moves)
        candidates = moves.filtered(
            lambda move: move.move_type == "out_invoice"
            and move.state == "posted"
            and move.id not in penalty_ids
        )
        result = {}
        for move, instalments in self._instalments(candidates).items():
            late = [
                instalment
                for instalment in instalments
                if self._end(instalment, on_date) > instalment.due
            ]
            if late:
                result[move] = late
        return result

    @api.model
    def _end(self, instalment, on_date):
        """The last day of interest: the payment date, or ``on_date`` if still open."""
        return min(instalment.paid_on, on_date) if instalment.paid_on else on_date

    @api.model
    def _policies(self, moves):
        """{move: policy}: the customer's policy of the invoice's company, or its
        company's default."""
        return {move: move._dunning_policy() for move in moves}

    @api.model
    def _rates(self, policies):
        # sudo: published reference rates, read to compute what is due.
        return (
            self.env["account.dunning.rate"]
            .sudo()
            ._rates_by_source(policies._rate_sources())
        )

    # --------------------------------------------------------------- computing

    @api.model
    def _interest_by_item(self, late, on_date, start_after=None, policies=None):
        """{item: [DetailLine]} for the late instalments ``late`` ({move: [...]})."""
        if policies is None:
            policies = self._policies(self.env["account.move"].union(*late))
        rates = self._rates(
            self.env["account.dunning.policy"].union(*policies.values())
        )
        start_after = start_after or {}
        result = {}
        for move, instalments in late.items():
            policy = policies[move]
            if not policy:
                continue
            rate_for = policy._interest_rate_function(rates)
            for instalment in instalments:
                result[instalment.item] = penalty_rules.interest_detail(
                    instalment.amount,
                    instalment.due,
                    self._end(instalment, on_date),
                    rate_for,
                    reductions=instalment.reductions,
                    half_years=policy.interest_half_years,
                    basis=policy.interest_basis,
                    start_after=start_after.get(move),
                    digits=move.currency_id.decimal_places,
                )
        return result

    @api.model
    def _penalties_by_item(self, moves, on_date, start_after=None):
        """The late instalments, their interest lines and each late invoice's
        indemnity, in one pass: ``(late, {item: [DetailLine]}, {move: indemnity})``."""
        late = self._late_instalments(moves, on_date)
        policies = self._policies(self.env["account.move"].union(*late))
        by_item = self._interest_by_item(late, on_date, start_after, policies)
        indemnities = {
            move: policy.indemnity_currency_id._convert(
                policy.indemnity_amount, move.currency_id, move.company_id, on_date
            )
            if policy
            else 0.0
            for move, policy in policies.items()
        }
        return late, by_item, indemnities

    @api.model
    def _penalties(self, moves, on_date, start_after=None):
        """{move: (interest lines sorted by date, indemnity)} of the late invoices."""
        late, by_item, indemnities = self._penalties_by_item(
            moves, on_date, start_after
        )
        return {
            move: (
                sorted(
                    (
                        line
                        for instalment in instalments
                        for line in by_item.get(instalment.item, [])
                    ),
                    key=lambda line: (line.date_from, line.date_to),
                ),
                indemnities[move],
            )
            for move, instalments in late.items()
        }

    @api.model
    def _fees_accrued(self, moves, on_date):
        """Fees of the levels each invoice reached, in invoice currency."""
        # sudo: the levels these invoices reached, from the trace, to price them.
        actions = (
            self.env["account.dunning.action"]
            .sudo()
            .search_fetch(
                [("advanced_move_ids", "in", moves.ids), ("state", "=", "sent")],
                ["level_id", "advanced_move_ids"],
            )
        )
        fees = dict.fromkeys(moves.ids, 0.0)
        reached = {
            (move.id, action.level_id)
            for action in actions
            for move in action.advanced_move_ids
        }
        for move_id, level in reached:
            if move_id in fees and level.fee_amount:
                move = moves.browse(move_id)
                fees[move_id] += level.company_currency_id._convert(
                    level.fee_amount, move.currency_id, move.company_id, on_date
                )
        return fees

    @api.model
    def _unbilled(self, moves, on_date):
        """Per late invoice, what is still to claim: interest lines, indemnity, fees."""
        # sudo: what was already claimed, so that nothing is billed twice.
        claims = moves.sudo().dunning_penalty_ids.filtered("in_force")
        claims_by_move = claims.grouped("move_id")
        covered = {
            move.with_env(self.env): max(group.mapped("interest_until"), default=None)
            for move, group in claims_by_move.items()
        }
        penalties = self._penalties(moves, on_date, start_after=covered)
        fees = self._fees_accrued(self.env["account.move"].union(*penalties), on_date)
        result = {}
        for move, (lines, indemnity) in penalties.items():
            move_claims = claims_by_move.get(move.sudo(), claims.browse())
            fee = move.currency_id.round(
                fees[move.id] - sum(move_claims.mapped("fee_amount"))
            )
            result[move] = {
                "lines": lines,
                "indemnity": 0.0 if any(move_claims.mapped("indemnity")) else indemnity,
                "fee": max(fee, 0.0),
            }
        return result

    # ----------------------------------------------------------------- billing

    @api.model
    def _bill_at_level(self, actions, on_date):
        """Bill the penalties of customers who reached their policy's billing level.

        As any penalty billing, with the rights of who executes the run: the
        scheduled action, or a user who may create invoices.
        """
        to_bill = self.env["account.move"]
        for action in actions:
            policy = action.level_id.policy_id
            if (
                policy.penalty_bill_level_id
                and policy.penalty_bill_level_id == action.level_id
            ):
                to_bill |= action.move_ids
        if to_bill:
            if not self.env.su:
                self.env["account.move"]._dunning_check_may_bill()
            self._bill(to_bill, on_date)

    @api.model
    def _bill(self, moves, on_date):
        """Create and post one penalty invoice per customer and currency.

        The penalty invoices are created with the caller's rights: a user's, checked
        by ``_dunning_check_may_bill``, or the engine's when a level bills them.
        """
        unbilled = self._unbilled(moves, on_date)
        groups = defaultdict(lambda: self.env["account.move"])
        for move, due in unbilled.items():
            if due["lines"] or due["indemnity"] or due["fee"]:
                groups[
                    move.company_id, move.commercial_partner_id, move.currency_id
                ] |= move
        penalty_moves = self.env["account.move"]
        for (company, partner, currency), group in groups.items():
            penalty_move = self._bill_group(
                company, partner, currency, group, unbilled, on_date
            )
            penalty_moves |= penalty_move
        return penalty_moves

    @api.model
    def _bill_group(self, company, partner, currency, moves, unbilled, on_date):
        """One penalty invoice for these invoices, unless under the minimum."""
        policy = moves[0]._dunning_policy()
        line_vals, claim_vals = [], []
        for move in moves:
            move_lines, move_claim = move._dunning_penalty_lines(unbilled[move], policy)
            line_vals += move_lines
            claim_vals.append(move_claim)
        total = sum(vals["price_unit"] for vals in line_vals)
        in_company = currency._convert(total, company.currency_id, company, on_date)
        if (
            company.currency_id.compare_amounts(in_company, policy.penalty_min_amount)
            < 0
        ):
            return self.env["account.move"]
        # Lines without an account of the policy take the sale journal's income
        # account, set here once: Odoo would look one up for each line.
        journal = self._sale_journal(company, currency)
        if journal.default_account_id:
            for vals in line_vals:
                vals.setdefault("account_id", journal.default_account_id.id)
        self._set_analytic_distribution(line_vals, company, partner)
        penalty_move = self.env["account.move"].create(
            {
                **({"journal_id": journal.id} if journal else {}),
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
        self._trace(
            moves, "penalty", _("Penalty invoice %s", penalty_move.name), penalty_move
        )
        return penalty_move

    @api.model
    def _set_analytic_distribution(self, line_vals, company, partner):
        """The analytic distribution models' share of each line, as Odoo applies it
        to a line without product, looked up once per account (not once per line)."""
        Account = self.env["account.account"]
        cache = {}
        for vals in line_vals:
            if "account_id" not in vals or "analytic_distribution" in vals:
                continue
            if vals["account_id"] not in cache:
                cache[vals["account_id"]] = self.env[
                    "account.analytic.distribution.model"
                ]._get_distribution(
                    {
                        "product_id": False,
                        "product_categ_id": False,
                        "partner_id": partner.id,
                        "partner_category_id": partner.category_id.ids,
                        "account_prefix": Account.browse(vals["account_id"]).code,
                        "company_id": company.id,
                    }
                )
            vals["analytic_distribution"] = cache[vals["account_id"]] or False

    @api.model
    def _sale_journal(self, company, currency):
        """The sale journal Odoo would take for an invoice in this currency."""
        Journal = self.env["account.journal"]
        domain = [*Journal._check_company_domain(company), ("type", "=", "sale")]
        journal = Journal.browse()
        if currency != company.currency_id:
            journal = Journal.search(
                domain + [("currency_id", "=", currency.id)], limit=1
            )
        return journal or Journal.search(domain, limit=1)

    @api.model
    def _waive(self, moves, reason):
        """Waive what is left of these invoices' penalties (checks done by caller)."""
        today = fields.Date.context_today(self)
        unbilled = self._unbilled(moves, today)
        instalments = self._instalments(moves)
        claims = []
        for move in moves:
            due = unbilled.get(move, {"lines": [], "indemnity": 0.0, "fee": 0.0})
            paid = [instalment.paid_on for instalment in instalments[move]]
            paid_on = max(paid) if paid and all(paid) else None
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
        # sudo: after the caller's manager check; the claims are the engine's record.
        self.env["account.dunning.penalty"].sudo().create(claims)
        self._trace(moves, "waiver", _("Penalties waived: %s", reason))

    @api.model
    def _trace(self, moves, channel, reason, penalty_move=None):
        """A trace line per customer for a penalty invoice or a waiver."""
        # sudo: the trace is append-only, written by the engine after the checks
        # of the billing and waiver actions.
        self.env["account.dunning.action"].sudo().create(
            [
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "channel": channel,
                    "state": "sent",
                    "reason": reason,
                    "date": fields.Date.context_today(self),
                    "move_ids": [Command.set(group.ids)],
                    "penalty_move_id": penalty_move.id if penalty_move else False,
                    "amount": sum(group.mapped("amount_residual_signed")),
                }
                for (company, partner), group in moves.grouped(
                    lambda move: (move.company_id, move.commercial_partner_id)
                ).items()
            ]
        )
