"""Late-payment penalties, computed and billed for a whole batch of invoices.

Interest runs per instalment (receivable item) from its own due date on its own
amount, cut at each payment or credit note applied to it (penalty_rules); the flat
indemnity is due once per invoice paid late. A credit note correcting the invoice
cuts the base from the due date (nothing was owed on the corrected part); one that
is a commercial gesture from its own date. The terms depend on the debtor
(dunning_penalty_debtor). Everything an invoice needs (items, partial
reconciliations, claims, policy) is read for the batch at once.
"""

from collections import defaultdict, namedtuple

from odoo import api, models

from . import penalty_rules

# One instalment: the receivable item, its amount and due date (invoice currency),
# the (date, amount) of what was applied to it, the day it was paid off, and the id
# of the partial reconciliation of each reduction (to tell those registered later).
Instalment = namedtuple(
    "Instalment", "item amount due reductions paid_on partial_ids", defaults=((),)
)


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
            due = item.date_maturity or item.date
            entries = sorted(
                (
                    self._reduction_date(partial.credit_move_id, due),
                    partial.debit_amount_currency,
                    partial.id,
                )
                for partial in item.matched_credit_ids
            )
            reductions = [(day, amount) for day, amount, _id in entries]
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
                    due,
                    reductions,
                    paid_on,
                    tuple(partial_id for _day, _amount, partial_id in entries),
                )
            )
        return {move: by_move.get(move.id, []) for move in moves.with_env(self.env)}

    @api.model
    def _reduction_date(self, credit_line, due):
        """The date from which what ``credit_line`` paid cuts the interest base: a
        correcting credit note from the due date, a payment or a commercial credit
        note from its own date."""
        refund = credit_line.move_id
        if (
            refund.move_type == "out_refund"
            and refund.dunning_credit_note_kind == "correction"
        ):
            return min(credit_line.date, due)
        return credit_line.date

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
    def _interest_context(self, moves, policies=None, terms=None):
        """What computing these invoices' interest reads, in a few batch queries:
        terms, rates, until when they are known, formal notices, insolvencies."""
        if policies is None:
            policies = self._policies(moves)
        if terms is None:
            terms = self._terms(moves, policies)
        Policy = self.env["account.dunning.policy"]
        rates = self._rates(Policy.union(*policies.values()))
        known = self._known(terms.values())
        return {
            "terms": terms,
            "rate_for": {
                move: Policy._terms_rate_function(move_terms, rates)
                for move, move_terms in terms.items()
            },
            "provisional_for": {
                move: Policy._terms_provisional_function(move_terms, known)
                for move, move_terms in terms.items()
            },
            "notices": self._notice_dates(
                moves.filtered(lambda move: move in terms and terms[move].from_notice)
            ),
            "opened": self._insolvency_dates(moves),
        }

    @api.model
    def _interest_lines(self, move, instalments, on_date, start_after, context):
        """{item: [DetailLine]} of one invoice's instalments, up to ``on_date``.

        Each from its due date, or for a consumer from the formal notice that
        listed it once due; never after the opening of insolvency proceedings that
        the invoice predates (L622-28 C. com.).
        """
        move_terms = context["terms"].get(move)
        if not move_terms or move_terms.mode == "none":
            return {}
        opened = context["opened"].get(move)
        result = {}
        for instalment in instalments:
            notice = context["notices"].get(instalment.item.id)
            if move_terms.from_notice and not notice:
                continue
            end = self._end(instalment, on_date)
            if opened:
                end = min(end, opened)
            result[instalment.item] = penalty_rules.interest_detail(
                instalment.amount,
                max(instalment.due, notice) if notice else instalment.due,
                end,
                context["rate_for"][move],
                reductions=instalment.reductions,
                half_years=move_terms.half_years,
                basis=move_terms.basis,
                start_after=start_after,
                digits=move.currency_id.decimal_places,
                provisional_for=context["provisional_for"][move],
            )
        return result

    @api.model
    def _interest_by_item(
        self, late, on_date, start_after=None, policies=None, terms=None, context=None
    ):
        """{item: [DetailLine]} for the late instalments ``late`` ({move: [...]})."""
        if context is None:
            moves = self.env["account.move"].union(*late)
            context = self._interest_context(moves, policies, terms)
        start_after = start_after or {}
        result = {}
        for move, instalments in late.items():
            result.update(
                self._interest_lines(
                    move, instalments, on_date, start_after.get(move), context
                )
            )
        return result

    @api.model
    def _penalties_by_item(self, moves, on_date, start_after=None):
        """The late instalments, their interest lines and each late invoice's
        indemnity, in one pass: ``(late, {item: [DetailLine]}, {move: indemnity})``."""
        late = self._late_instalments(moves, on_date)
        late_moves = self.env["account.move"].union(*late)
        policies = self._policies(late_moves)
        # One read of the terms and the insolvencies, for interest and indemnity.
        context = self._interest_context(late_moves, policies)
        terms, opened = context["terms"], context["opened"]
        by_item = self._interest_by_item(late, on_date, start_after, context=context)
        indemnities = {}
        for move, policy in policies.items():
            amount = self._indemnity_due(terms.get(move), late[move], opened.get(move))
            indemnities[move] = (
                policy.indemnity_currency_id._convert(
                    amount, move.currency_id, move.company_id, on_date
                )
                if amount
                else 0.0
            )
        return late, by_item, indemnities

    @api.model
    def _claimed(self, moves):
        """What the claims in force (billed, waived, revised) already cover:
        ``({move: last day of interest claimed}, {ids of the moves whose indemnity
        was claimed})``, one read for the batch."""
        # sudo: what was claimed, so that nothing is claimed twice.
        claims = moves.sudo().dunning_penalty_ids.filtered("in_force")
        covered, indemnity_claimed = {}, set()
        for move, move_claims in claims.grouped("move_id").items():
            until = max(
                filter(None, move_claims.mapped("interest_until")), default=None
            )
            if until:
                covered[move.with_env(self.env)] = until
            if any(move_claims.mapped("indemnity")):
                indemnity_claimed.add(move.id)
        return covered, indemnity_claimed

    @api.model
    def _unclaimed_by_item(self, moves, on_date):
        """``_penalties_by_item`` less what the claims in force cover: the interest
        from the day after the last one claimed, no indemnity claimed already (the
        penalty invoice is an open item of its own)."""
        covered, indemnity_claimed = self._claimed(moves)
        late, by_item, indemnities = self._penalties_by_item(
            moves, on_date, start_after=covered
        )
        return (
            late,
            by_item,
            {
                move: amount
                for move, amount in indemnities.items()
                if move.id not in indemnity_claimed
            },
        )

    @api.model
    def _unclaimed_amounts(self, items, on_date):
        """``_unclaimed_by_item`` of the invoices of ``items`` as the documents show
        it: ``({item id: interest}, {invoice id: indemnity}, {ids of the items whose
        interest is provisional})``."""
        if not items:
            return {}, {}, set()
        _late, by_item, indemnities = self._unclaimed_by_item(items.move_id, on_date)
        return (
            {
                item.id: sum(line.amount for line in lines)
                for item, lines in by_item.items()
            },
            {move.id: amount for move, amount in indemnities.items()},
            {
                item.id
                for item, lines in by_item.items()
                if any(line.provisional for line in lines)
            },
        )

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
            move.with_env(self.env): max(
                filter(None, group.mapped("interest_until")), default=None
            )
            for move, group in claims_by_move.items()
        }
        penalties = self._penalties(moves, on_date, start_after=covered)
        late_moves = self.env["account.move"].union(*penalties)
        terms = self._terms(late_moves, self._policies(late_moves))
        # Level fees are claimed from businesses only.
        fees = self._fees_accrued(
            late_moves.filtered(lambda move: move in terms and terms[move].fees),
            on_date,
        )
        result = {}
        for move, (lines, indemnity) in penalties.items():
            move_claims = claims_by_move.get(move.sudo(), claims.browse())
            fee = move.currency_id.round(
                fees.get(move.id, 0.0) - sum(move_claims.mapped("fee_amount"))
            )
            # Days whose rate is not published yet are never billed.
            billable = [line for line in lines if not line.provisional]
            result[move] = {
                "lines": billable,
                "provisional": [line for line in lines if line.provisional],
                "indemnity": 0.0 if any(move_claims.mapped("indemnity")) else indemnity,
                "fee": max(fee, 0.0),
            }
        return result
