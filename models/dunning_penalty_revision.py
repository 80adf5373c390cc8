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


class AccountDunningPenaltyEngine(models.AbstractModel):
    _inherit = "account.dunning.penalty.engine"

    @api.model
    def _overbilled(self, moves, on_date):
        """[(claim, interest billed too much, indemnity billed too much, lines)].

        The claims' days are computed again in one pass per last day covered (the
        claims of one billing share it), not claim by claim.
        """
        # sudo: the claims are the engine's record of what was billed.
        claims = (
            moves.sudo()
            .dunning_penalty_ids.filtered(
                lambda claim: claim.kind == "bill" and claim.in_force
            )
            .with_env(self.env)
        )
        if not claims:
            return []
        still_late = self._late_instalments(moves, on_date)
        lines_by_claim = {}
        with_days = claims.filtered(lambda c: c.interest_from and c.interest_until)
        for until, group in with_days.grouped("interest_until").items():
            late = self._late_instalments(group.move_id.with_env(self.env), until)
            pending = list(group)
            while pending:
                # One claim per invoice in a pass: start_after is per invoice.
                batch, rest = {}, []
                for claim in pending:
                    move = claim.move_id.with_env(self.env)
                    if move in batch:
                        rest.append(claim)
                    else:
                        batch[move] = claim
                pending = rest
                by_item = self._interest_by_item(
                    {move: late[move] for move in batch if move in late},
                    until,
                    start_after={
                        move: claim.interest_from - timedelta(days=1)
                        for move, claim in batch.items()
                    },
                )
                for move, claim in batch.items():
                    lines_by_claim[claim] = [
                        line
                        for instalment in late.get(move, [])
                        for line in by_item.get(instalment.item, [])
                    ]
        result = []
        for claim in claims.sorted(lambda claim: (claim.move_id.id, claim.id)):
            move = claim.move_id.with_env(self.env)
            revisions = claim.sudo().revision_ids.filtered("in_force")
            billed = claim.interest_amount + sum(revisions.mapped("interest_amount"))
            lines = lines_by_claim.get(claim, [])
            interest = move.currency_id.round(
                billed - sum(line.amount for line in lines)
            )
            indemnity = 0.0
            if claim.indemnity and move not in still_late:
                indemnity = move.currency_id.round(
                    claim.indemnity_amount + sum(revisions.mapped("indemnity_amount"))
                )
            if move.currency_id.compare_amounts(interest, 0) > 0 or (
                move.currency_id.compare_amounts(indemnity, 0) > 0
            ):
                result.append((claim, max(interest, 0.0), indemnity, lines))
        return result

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
                    self._refund_line(
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
                    self._refund_line(
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
                "reversed_entry_id": sources.id if len(sources) == 1 else False,
                "dunning_credit_note_kind": "correction",
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
    def _refund_line(self, label, amount, account):
        vals = {
            "name": label,
            "quantity": 1,
            "price_unit": amount,
            "tax_ids": [Command.clear()],
        }
        if account:
            vals["account_id"] = account.id
        return vals

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
