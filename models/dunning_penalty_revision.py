"""Revising billed interest: a payment or a credit note registered afterwards with a
date inside days already billed makes part of that interest undue.

Each claim's days are computed again with what is known today; what was billed too
much (net of earlier revisions) is credited by one penalty credit note per customer
and currency, linked to the claims it revises. The indemnity is credited too when
the invoice turns out not to have been paid late at all.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import Command, _, api, fields, models

from . import penalty_rules


class AccountDunningPenaltyEngine(models.AbstractModel):
    _inherit = "account.dunning.penalty.engine"

    @api.model
    def _overbilled(self, moves, on_date):
        """[(claim, interest billed too much, indemnity billed too much, lines)].

        Only what payments and credit notes registered after a claim change: each
        claim's days are computed with and without them (same terms, same rates),
        so a later change of policy, debtor type or rate never credits lawfully
        billed interest. Posted invoices only; one batch of queries for all claims.
        """
        # sudo: the claims are the engine's record of what was billed.
        claims = (
            moves.filtered(lambda move: move.state == "posted")
            .sudo()
            .dunning_penalty_ids.filtered(
                lambda claim: claim.kind == "bill" and claim.in_force
            )
            .with_env(self.env)
        )
        if not claims:
            return []
        claim_moves = claims.move_id.with_env(self.env)
        instalments = self._instalments(claim_moves)
        context = self._interest_context(claim_moves)
        result = []
        for claim in claims.sorted(lambda claim: (claim.move_id.id, claim.id)):
            move = claim.move_id.with_env(self.env)
            mark = claim.reconcile_mark or 0
            later = [
                instalment
                for instalment in instalments[move]
                if any(partial_id > mark for partial_id in instalment.partial_ids)
            ]
            if not later:
                continue
            then = [
                self._before_mark(instalment, mark) for instalment in instalments[move]
            ]
            interest, lines = 0.0, []
            if claim.interest_from and claim.interest_until:
                start_after = claim.interest_from - timedelta(days=1)
                lines = self._claim_lines(
                    move, instalments[move], claim.interest_until, start_after, context
                )
                billed_then = self._claim_lines(
                    move, then, claim.interest_until, start_after, context
                )
                revisions = claim.sudo().revision_ids.filtered("in_force")
                credited = -sum(revisions.mapped("interest_amount"))
                interest = move.currency_id.round(
                    sum(line.amount for line in billed_then)
                    - sum(line.amount for line in lines)
                    - credited
                )
                interest = min(interest, claim.interest_amount - credited)
            indemnity = 0.0
            if claim.indemnity and not any(
                self._end(instalment, on_date) > instalment.due
                for instalment in instalments[move]
            ):
                # Paid on time after all (a backdated payment, a correction).
                revisions = claim.sudo().revision_ids.filtered("in_force")
                indemnity = move.currency_id.round(
                    claim.indemnity_amount + sum(revisions.mapped("indemnity_amount"))
                )
            if move.currency_id.compare_amounts(interest, 0) > 0 or (
                move.currency_id.compare_amounts(indemnity, 0) > 0
            ):
                result.append((claim, max(interest, 0.0), indemnity, lines))
        return result

    @api.model
    def _before_mark(self, instalment, mark):
        """The instalment as it stood before the partials after ``mark``."""
        kept = [
            reduction
            for reduction, partial_id in zip(
                instalment.reductions, instalment.partial_ids, strict=True
            )
            if partial_id <= mark
        ]
        return instalment._replace(
            reductions=kept,
            paid_on=penalty_rules.last_payment_date(instalment.amount, kept),
            partial_ids=tuple(pid for pid in instalment.partial_ids if pid <= mark),
        )

    @api.model
    def _claim_lines(self, move, instalments, until, start_after, context):
        """The detail lines of a claim's days, for these instalments."""
        late = [
            instalment
            for instalment in instalments
            if self._end(instalment, until) > instalment.due
        ]
        by_item = self._interest_lines(move, late, until, start_after, context)
        return [line for lines in by_item.values() for line in lines]

    @api.model
    def _revise(self, moves, on_date):
        """Credit the interest (and indemnity) billed too much; the credit notes."""
        overbilled = self._overbilled(moves, on_date)
        groups = defaultdict(list)
        for entry in overbilled:
            move = entry[0].move_id
            groups[
                move.company_id, move.commercial_partner_id, move.currency_id
            ].append(entry)
        refunds = self.env["account.move"]
        for (company, partner, currency), entries in groups.items():
            refunds |= self._revise_group(company, partner, currency, entries)
        return refunds

    @api.model
    def _revise_group(self, company, partner, currency, entries):
        """One penalty credit note for these claims' overbilled amounts."""
        policy = entries[0][0].move_id._dunning_policy()
        interest_account = self._income_account(company, policy, "interest")
        indemnity_account = self._income_account(company, policy, "indemnity")
        line_vals, claim_vals = [], []
        for claim, interest, indemnity, lines in entries:
            detail = claim.move_id._dunning_detail_text(lines)
            if interest:
                line_vals.append(
                    self._penalty_line_vals(
                        _(
                            "Revision of the late interest billed on %(invoice)s for "
                            "%(start)s - %(end)s (%(billed)s billed)\n%(detail)s",
                            invoice=claim.move_id.name,
                            start=claim.interest_from,
                            end=claim.interest_until,
                            billed=claim.interest_amount,
                            detail=detail,
                        ),
                        interest,
                        interest_account,
                    )
                )
            if indemnity:
                line_vals.append(
                    self._penalty_line_vals(
                        _(
                            "Revision of the recovery indemnity billed on %s: the "
                            "invoice was not paid late",
                            claim.move_id.name,
                        ),
                        indemnity,
                        indemnity_account,
                    )
                )
            claim_vals.append(
                {
                    "move_id": claim.move_id.id,
                    "kind": "revision",
                    "revised_claim_id": claim.id,
                    "interest_from": claim.interest_from,
                    "interest_until": claim.interest_until,
                    "interest_amount": -interest,
                    "indemnity_amount": -indemnity,
                    "detail": detail,
                }
            )
        journal = self._sale_journal(company, currency)
        self._set_analytic_distribution(line_vals, company, partner)
        sources = self.env["account.move"].union(
            *(claim.penalty_move_id for claim, *_rest in entries)
        )
        refund = self.env["account.move"].create(
            {
                **({"journal_id": journal.id} if journal else {}),
                "move_type": "out_refund",
                "company_id": company.id,
                "partner_id": partner.id,
                "currency_id": currency.id,
                "invoice_date": fields.Date.context_today(self),
                "invoice_origin": ", ".join(sources.mapped("name")),
                "invoice_line_ids": [Command.create(vals) for vals in line_vals],
            }
        )
        refund.action_post()
        for vals in claim_vals:
            vals["penalty_move_id"] = refund.id
        # sudo: the claims are the engine's record of what this credit note revised.
        self.env["account.dunning.penalty"].sudo().create(claim_vals)
        self._reconcile_refund(refund, sources)
        moves = self.env["account.move"].union(
            *(claim.move_id for claim, *_rest in entries)
        )
        self._trace(moves, "penalty", _("Penalty credit note %s", refund.name), refund)
        return refund

    @api.model
    def _reconcile_refund(self, refund, penalty_moves):
        """Settle the credit note against the penalty invoices still open."""
        # sudo: matching the engine's own credit note with its penalty invoices.
        lines = (
            (refund | penalty_moves)
            .sudo()
            .line_ids.filtered(
                lambda line: line.display_type == "payment_term" and not line.reconciled
            )
        )
        if len(lines.move_id) > 1 and len(lines.account_id) == 1:
            lines.reconcile()
