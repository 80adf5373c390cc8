# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The hand-off engine: what may be handed off, the claim, the states and their
trace, the invoices' ``dunning_handed_off`` column, the run's hand-off level and
the recovered money.

A service model: the hand-off's buttons and the collector's status route check
who calls, then call these steps, which write the engine-owned state in superuser
mode.
"""

import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .account_dunning_handoff import ACTIVE_STATES, RELEASED_STATES

# The simplified procedure of small claims (L125-1, R125-1 CPCE): up to 5,000 EUR
# in principal and interest.
SIMPLIFIED_PROCEDURE_LIMIT_EUR = 5000.0
# The states a collector may report.
REPORTED_STATES = ("acknowledged", "recovered", "partly_recovered", "returned")
# 4xx answers that do not say the collector kept nothing (timeout, a request
# with the same key in progress, too early, too many requests): the key stays.
AMBIGUOUS_STATUSES = (408, 409, 425, 429)
# The collector's reports only move forward along this ladder (the same step again
# is the collector's retry); ``returned`` ends the mandate from any open state.
STATUS_RANKS = {"sent": 0, "acknowledged": 1, "partly_recovered": 2, "recovered": 3}


class AccountDunningHandoffEngine(models.AbstractModel):
    _name = "account.dunning.handoff.engine"
    _description = "Dunning: Hand-off Engine"

    # ------------------------------------------------------------ invoices

    @api.model
    def _default_moves(self, partner, company):
        """The customer's overdue invoices that may be handed off."""
        if not partner:
            return self.env["account.move"]
        items = self.env["account.move.line"].search_fetch(
            self.env["account.dunning.eligibility"]._item_domain(
                company,
                partners=partner.commercial_partner_id,
                overdue_on=fields.Date.context_today(self),
            ),
            ["move_id"],
        )
        taken = self._taken_moves(items.move_id)
        return items.move_id.filtered(
            lambda move: not move.dunning_disputed and move not in taken
        )

    @api.model
    def _taken_moves(self, moves, handoffs=None):
        """The invoices among ``moves`` already in another hand-off not returned nor
        closed."""
        # sudo: whether another hand-off holds them, whoever made it.
        others = (
            self.env["account.dunning.handoff"]
            .sudo()
            .search(
                [
                    ("move_ids", "in", moves.ids),
                    ("state", "not in", RELEASED_STATES),
                    ("id", "not in", handoffs.ids if handoffs else []),
                ]
            )
        )
        return others.move_ids.with_env(self.env) & moves

    @api.model
    def _check(self, handoffs):
        """Every rule of a hand-off, each with its own message; nothing changed when
        one fails (the caller's transaction rolls back)."""
        for handoff in handoffs:
            moves = handoff.move_ids
            if not handoff.collector_id.sudo().dunning_collector_type:
                raise ValidationError(
                    self.env._(
                        "%s is not a collector: flag it as a collection agency, a "
                        "commissaire de justice, a lawyer or a credit insurer.",
                        handoff.collector_id.display_name,
                    )
                )
            if not moves:
                raise ValidationError(self.env._("Choose the invoices to hand off."))
            # Dated before the judgment or not, a hand-off made today is made
            # after it.
            self._check_insolvency(
                handoff, max(handoff.date, fields.Date.context_today(self))
            )
            for move in moves:
                self._check_move(handoff, move)
            if len(moves.currency_id) > 1:
                raise ValidationError(
                    self.env._(
                        "A hand-off covers invoices in one currency: make one each."
                    )
                )
            taken = self._taken_moves(moves, handoff)
            if taken:
                raise ValidationError(
                    self.env._(
                        "The invoice %s is already in another hand-off.",
                        taken[:1].display_name,
                    )
                )

    @api.model
    def _check_insolvency(self, handoff, on_date):
        """No hand-off on or after the judgment opening the proceedings."""
        partner = handoff.partner_id
        # sudo: the insolvency date is read by the engine for every user.
        opened = partner.sudo().dunning_insolvency_date
        if opened and opened <= on_date:
            raise ValidationError(
                self.env._(
                    "%(customer)s is in insolvency proceedings since %(date)s: "
                    "its claims are declared to the mandataire, not handed off "
                    "(L622-21 C. com.).",
                    customer=partner.display_name,
                    date=opened,
                )
            )

    @api.model
    def _check_move(self, handoff, move):
        if move.move_type != "out_invoice" or move.state != "posted":
            raise ValidationError(
                self.env._(
                    "%s is not a posted customer invoice: it cannot be handed off.",
                    move.display_name,
                )
            )
        if move.company_id != handoff.company_id:
            raise ValidationError(
                self.env._("The invoice %s is another company's.", move.display_name)
            )
        if move.commercial_partner_id != handoff.partner_id:
            raise ValidationError(
                self.env._("The invoice %s is another customer's.", move.display_name)
            )
        if (
            move.payment_state in ("paid", "in_payment", "reversed")
            or move.currency_id.compare_amounts(move.amount_residual, 0) <= 0
        ):
            raise ValidationError(
                self.env._(
                    "The invoice %s is paid: nothing is left to collect.",
                    move.display_name,
                )
            )
        if move.sudo().dunning_disputed:
            raise ValidationError(
                self.env._(
                    "The invoice %s is disputed: solve the dispute before handing "
                    "it off.",
                    move.display_name,
                )
            )

    @api.model
    def _claims(self, handoff, on_date=None):
        """Per invoice: principal (amount due), late interest accrued to the date and
        recovery indemnity, from the penalty engine, in the invoice's currency."""
        on_date = on_date or handoff.date
        moves = handoff.move_ids.sudo()
        penalties = (
            self.env["account.dunning.penalty.engine"].sudo()._penalties(moves, on_date)
        )
        claims = []
        for move in moves.sorted(lambda move: (move.invoice_date_due, move.id)):
            lines, indemnity = penalties.get(move, ([], 0.0))
            currency = move.currency_id
            interest = currency.round(sum(line.amount for line in lines))
            principal = move.amount_residual
            indemnity = currency.round(indemnity)
            claims.append(
                {
                    "move": move,
                    "principal": principal,
                    "interest": interest,
                    "indemnity": indemnity,
                    "total": currency.round(principal + interest + indemnity),
                }
            )
        return claims

    @api.model
    def _claim_totals(self, handoff):
        claims = self._claims(handoff)
        currency = handoff.currency_id
        principal = currency.round(sum(claim["principal"] for claim in claims))
        interest = currency.round(sum(claim["interest"] for claim in claims))
        indemnity = currency.round(sum(claim["indemnity"] for claim in claims))
        return {
            "amount_principal": principal,
            "amount_interest": interest,
            "amount_indemnity": indemnity,
            "amount_claimed": currency.round(principal + interest + indemnity),
        }

    @api.model
    def _check_amounts(self, handoffs):
        eur = self.env.ref("base.EUR")
        for handoff in handoffs.filtered(
            lambda handoff: handoff.route == "simplified_procedure"
        ):
            # Principal and interest (R125-1 CPCE), the recovery indemnity aside.
            claimed = handoff.currency_id._convert(
                handoff.amount_principal + handoff.amount_interest,
                eur,
                handoff.company_id,
                handoff.date,
            )
            if eur.compare_amounts(claimed, SIMPLIFIED_PROCEDURE_LIMIT_EUR) > 0:
                raise ValidationError(
                    self.env._(
                        "The simplified procedure is for claims up to 5,000 EUR in "
                        "principal and interest (L125-1, R125-1 CPCE): this claim is "
                        "%s. Choose another route, such as the injonction de payer.",
                        eur.format(claimed),
                    )
                )
        for handoff in handoffs:
            if handoff.commission_rate < 0 or handoff.commission_rate > 100:
                raise ValidationError(
                    self.env._("The commission rate must be between 0 and 100 %.")
                )

    @api.model
    def _sync_moves(self, moves):
        """``dunning_handed_off`` of the invoices, from their hand-offs out of the
        draft and not returned, closed nor failed: one statement for the batch."""
        if not moves:
            return
        self.env["account.dunning.handoff"].flush_model(["state", "move_ids"])
        self.env["account.move"].flush_model(["dunning_handed_off"])
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move move
                   SET dunning_handed_off = data.handed_off
                  FROM (
                    SELECT move.id,
                           EXISTS (
                               SELECT 1
                                 FROM account_dunning_handoff_move_rel rel
                                 JOIN account_dunning_handoff handoff
                                      ON handoff.id = rel.handoff_id
                                WHERE rel.move_id = move.id
                                  AND handoff.state IN %s
                           ) AS handed_off
                      FROM account_move move
                     WHERE move.id = ANY(%s)
                  ) data
                 WHERE move.id = data.id
                   AND move.dunning_handed_off IS DISTINCT FROM data.handed_off
                """,
                ACTIVE_STATES,
                moves.ids,
            )
        )
        moves.invalidate_recordset(["dunning_handed_off"])

    # ------------------------------------------------------------ states

    @api.model
    def _trace(self, handoffs, texts):
        """A trace line (channel ``handoff``) and a chatter note on the customer per
        hand-off, and a note on the hand-off."""
        reasons = {handoff: texts[handoff] for handoff in handoffs}
        actions = self.env["account.dunning.hold.engine"]._trace(
            handoffs, "handoff", reasons
        )
        self.env["account.dunning.hold.engine"]._log_notes(
            handoffs, [(handoff, texts[handoff]) for handoff in handoffs]
        )
        return actions

    @api.model
    def _created(self, handoffs):
        routes = dict(
            self.env["account.dunning.handoff"]
            ._fields["route"]
            ._description_selection(self.env)
        )
        self._trace(
            handoffs,
            {
                handoff: self.env._(
                    "Hand-off prepared for %(collector)s (%(route)s): %(amount)s "
                    "claimed on %(invoices)s.",
                    collector=handoff.collector_id.display_name,
                    route=routes.get(handoff.route),
                    amount=handoff.currency_id.format(handoff.amount_claimed),
                    invoices=", ".join(handoff.move_ids.mapped("name")),
                )
                for handoff in handoffs
            },
        )

    @api.model
    def _set_state(self, handoffs, state, text, vals=None):
        """Move the hand-offs to ``state``; the invoices' column, the next dates and
        the trace follow."""
        # sudo: the state is the engine's, after the callers' checks.
        handoffs.sudo().write({"state": state, **(vals or {})})
        self._sync_moves(handoffs.move_ids)
        self.env["account.dunning.hold.engine"]._refresh_next_dates(handoffs)
        self._trace(handoffs, dict.fromkeys(handoffs, text))

    @api.model
    def _send(self, handoff, timeout=None):
        """Post the file to the collector, or mark it sent after its export."""
        # A judgment, a dispute or a payment may have come since the draft was made.
        self._check(handoff)
        collector = handoff.collector_id.sudo()
        if not collector.dunning_collector_url:
            if handoff.state == "draft":
                # The export hands the file over, and marks it sent.
                self.env["account.dunning.handoff.export"]._export(handoff)
            if handoff.state != "sent":
                self._set_state(
                    handoff,
                    "sent",
                    self.env._(
                        "File handed to %s (exported, sent by hand).",
                        collector.display_name,
                    ),
                    {
                        "sent_date": fields.Date.context_today(self),
                        "failure_reason": False,
                    },
                )
            return True
        if not handoff.export_attachment_id:
            self.env["account.dunning.handoff.export"]._export(handoff)
        payload = self.env["account.dunning.handoff.export"]._payload(handoff)
        client = self.env["account.dunning.collector.client"]
        # sudo: a technical setting, read by the engine.
        timeout = timeout or float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("account_dunning.collector_timeout", 30)
        )
        result = client._post(
            collector.dunning_collector_url,
            collector.dunning_collector_token,
            # sudo: the key of the hand-off, kept across retries.
            handoff.sudo().idempotency_key,
            payload,
            timeout=timeout,
        )
        if result.ok:
            self._set_state(
                handoff,
                "sent",
                self.env._(
                    "File sent to %(collector)s (HTTP %(status)s).",
                    collector=collector.display_name,
                    status=result.status,
                ),
                {
                    "sent_date": fields.Date.context_today(self),
                    "failure_reason": False,
                    "collector_reference": result.reference or False,
                },
            )
            return True
        vals = {"failure_reason": result.error[:500]}
        if (
            result.status
            and 400 <= result.status < 500
            and result.status not in AMBIGUOUS_STATUSES
        ):
            # A definite refusal: the collector kept nothing, and the file sent
            # again once corrected differs, which a server following the
            # Idempotency-Key draft answers with 422 under the old key. A timeout,
            # an unreachable host or a 429/5xx keep the key: the collector may
            # have the file, and the same key lets it keep one.
            vals["idempotency_key"] = str(uuid.uuid4())
        self._set_state(
            handoff,
            "failed",
            self.env._(
                "The file could not be sent to %(collector)s: %(reason)s",
                collector=collector.display_name,
                reason=result.error,
            ),
            vals,
        )
        return False

    @api.model
    def _status_refusal(self, handoff, state, amount):
        """Why the collector's report cannot be recorded (a report that goes back,
        a recovered amount that goes down), or None. The answer is a 409: the
        body is well formed, the hand-off is past it."""
        current = handoff.state
        if state != "returned" and STATUS_RANKS.get(state, 0) < STATUS_RANKS.get(
            current, 0
        ):
            return f"the hand-off is already {current}: a report cannot go back"
        if (
            amount is not None
            and handoff.currency_id.compare_amounts(amount, handoff.amount_recovered)
            < 0
        ):
            return (
                "amount_recovered is the total recovered so far: it cannot go "
                "down (%s recorded)" % handoff.amount_recovered
            )
        return None

    @api.model
    def _record_status(self, handoff, state, amount):
        """The collector's report, already authenticated and validated."""
        labels = dict(
            self.env["account.dunning.handoff"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        vals = {}
        if amount is not None:
            vals["amount_recovered"] = handoff.currency_id.round(amount)
        handoff = handoff.sudo()
        if vals:
            handoff.write(vals)
        self._set_state(
            handoff,
            state,
            self.env._(
                "The collector reports: %(state)s, %(amount)s recovered "
                "(commission %(commission)s).",
                state=labels.get(state),
                amount=handoff.currency_id.format(handoff.amount_recovered),
                commission=handoff.currency_id.format(handoff.commission_amount),
            ),
        )

    # ------------------------------------------------------------ the run

    @api.model
    def _from_actions(self, actions):
        """The run's hand-off level: a draft hand-off for the level's collector per
        trace line; a line whose invoices cannot be handed off fails with why."""
        Handoff = self.env["account.dunning.handoff"].sudo()
        for action in actions:
            level = action.level_id
            moves = action.move_ids.filtered(lambda move: not move.dunning_disputed)
            moves -= self._taken_moves(moves)
            if not moves:
                action.write(
                    {
                        "state": "failed",
                        "reason": self.env._(
                            "No invoice left to hand off: disputed or already "
                            "handed off."
                        ),
                    }
                )
                continue
            try:
                with self.env.cr.savepoint():
                    handoff = Handoff.create(
                        {
                            "partner_id": action.partner_id.id,
                            "company_id": action.company_id.id,
                            "collector_id": level.handoff_collector_id.id,
                            "route": level.handoff_route,
                            "commission_rate": level.handoff_commission_rate,
                            "date": action.date,
                            "move_ids": [fields.Command.set(moves.ids)],
                            "level_id": level.id,
                        }
                    )
            except (UserError, ValidationError) as error:
                action.write({"state": "failed", "reason": str(error)[:500]})
                continue
            action.write(
                {
                    "reason": self.env._(
                        "Hand-off prepared for %s, to export or send.",
                        handoff.collector_id.display_name,
                    )
                }
            )
