"""The amicable phase's engine: disputes, promises to pay and payment plans acting
on the invoices' stored hold columns, which the run, the penalties, the blocks, the
aged balance and the dashboard read.

A service model with named steps (``_sync_moves``, ``_on_payments``, ``_daily``...):
the records' buttons check the user's rights, then call these steps, which write the
engine-owned state in superuser mode.
"""

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, plaintext2html

from . import hold_rules


class AccountDunningHoldEngine(models.AbstractModel):
    _name = "account.dunning.hold.engine"
    _description = "Dunning: Disputes, Promises and Plans Engine"

    # ------------------------------------------------------------ invoices

    @api.model
    def _sync_moves(self, moves):
        """The hold columns of the invoices, from their open disputes, open promises
        and active plans and their amount due: one statement for the batch."""
        if not moves:
            return
        Move = self.env["account.move"]
        for model in (
            "account.dunning.dispute",
            "account.dunning.promise",
            "account.dunning.plan",
        ):
            self.env[model].flush_model()
        Move.flush_model(["amount_residual"])
        fnames = ["dunning_disputed", "dunning_disputed_amount", "dunning_hold"]
        Move.flush_model(fnames)
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move move
                   SET dunning_disputed = data.disputed_amount IS NOT NULL,
                       dunning_disputed_amount = data.disputed_amount,
                       dunning_hold = data.hold
                  FROM (
                    SELECT move.id,
                           dispute.amount AS disputed_amount,
                           CASE WHEN plan.found THEN 'plan'
                                WHEN dispute.amount >= move.amount_residual
                                THEN 'dispute'
                                WHEN promise.found THEN 'promise'
                           END AS hold
                      FROM account_move move
                 LEFT JOIN account_dunning_dispute dispute
                           ON dispute.move_id = move.id AND dispute.state = 'open'
                 LEFT JOIN LATERAL (
                           SELECT TRUE AS found
                             FROM (SELECT plan_id FROM account_dunning_plan_move_rel
                                    WHERE move_id = move.id
                                   UNION ALL
                                   SELECT plan_id
                                     FROM account_dunning_plan_penalty_move_rel
                                    WHERE move_id = move.id) rel
                             JOIN account_dunning_plan plan ON plan.id = rel.plan_id
                            WHERE plan.state = 'active'
                            LIMIT 1) plan ON TRUE
                 LEFT JOIN LATERAL (
                           SELECT TRUE AS found
                             FROM account_dunning_promise_move_rel rel
                             JOIN account_dunning_promise promise
                                  ON promise.id = rel.promise_id
                            WHERE rel.move_id = move.id AND promise.state = 'open'
                            LIMIT 1) promise ON TRUE
                     WHERE move.id = ANY(%s)
                  ) data
                 WHERE move.id = data.id
                   AND (move.dunning_hold IS DISTINCT FROM data.hold
                        OR move.dunning_disputed_amount
                           IS DISTINCT FROM data.disputed_amount
                        OR move.dunning_disputed
                           IS DISTINCT FROM (data.disputed_amount IS NOT NULL))
                """,
                moves.ids,
            )
        )
        moves.invalidate_recordset(fnames)

    @api.model
    def _set_move_values(self, moves, vals):
        """Engine-owned invoice columns (resume date, escalation)."""
        if moves:
            # sudo: the engine's columns, after the buttons' checks.
            moves.sudo().write(vals)

    @api.model
    def _check_holdable(self, moves, partner, company, record):
        """Open invoices of the customer, under no other promise nor active plan."""
        for move in moves:
            if (
                move.move_type != "out_invoice"
                or move.state != "posted"
                or move.payment_state in ("paid", "in_payment", "reversed")
                or move.currency_id.compare_amounts(move.amount_residual, 0) <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "The invoice %s is not open: only posted customer invoices "
                        "with an amount due can be promised or planned.",
                        move.display_name,
                    )
                )
            if move.dunning_hold == "dispute":
                raise ValidationError(
                    self.env._(
                        "The invoice %s is disputed in full: solve the dispute first.",
                        move.display_name,
                    )
                )
            if move.commercial_partner_id != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The invoice %s is another customer's.", move.display_name
                    )
                )
            if move.company_id != company:
                raise ValidationError(
                    self.env._(
                        "The invoice %s is another company's.", move.display_name
                    )
                )
        # Two arrangements made at once on one invoice: the second waits here.
        self.env.execute_query(
            SQL("SELECT id FROM account_move WHERE id = ANY(%s) FOR UPDATE", moves.ids)
        )
        # sudo: whether another arrangement holds them, whoever recorded it.
        others = (
            self.env["account.dunning.promise"]
            .sudo()
            .search(
                [
                    ("move_ids", "in", moves.ids),
                    ("state", "=", "open"),
                    (
                        "id",
                        "!=",
                        record.id if record._name == "account.dunning.promise" else 0,
                    ),
                ],
                limit=1,
            )
        )
        plans = (
            self.env["account.dunning.plan"]
            .sudo()
            .search(
                [
                    ("move_ids", "in", moves.ids),
                    ("state", "=", "active"),
                    (
                        "id",
                        "!=",
                        record.id if record._name == "account.dunning.plan" else 0,
                    ),
                ],
                limit=1,
            )
        )
        for other, message in (
            (
                others,
                self.env._("The invoice %s is already under an open promise to pay."),
            ),
            (plans, self.env._("The invoice %s is already in an active payment plan.")),
        ):
            if other:
                move = (other.move_ids & moves)[:1]
                raise ValidationError(message % move.display_name)

    # ------------------------------------------------------------ trace

    @api.model
    def _trace(self, records, channel, reason_by_record):
        """A trace line and a chatter note on the customer per record."""
        today = fields.Date.context_today(self)
        vals_list = []
        for record in records:
            moves = record.move_id if channel == "dispute" else record.move_ids
            vals_list.append(
                {
                    "company_id": record.company_id.id,
                    "partner_id": record.partner_id.id,
                    "channel": channel,
                    "state": "sent",
                    "reason": reason_by_record[record],
                    "date": today,
                    "move_ids": [fields.Command.set(moves.ids)],
                    "amount": sum(moves.mapped("amount_residual_signed")),
                }
            )
        # sudo: the trace is append-only, written by the engine after the checks.
        actions = self.env["account.dunning.action"].sudo().create(vals_list)
        self._log_notes(
            records.partner_id,
            [(record.partner_id, reason_by_record[record]) for record in records],
        )
        return actions

    @api.model
    def _log_notes(self, targets, notes):
        """Chatter notes [(record, text)] on ``targets``, one message per record."""
        bodies = {}
        for record, text in notes:
            bodies[record.id] = bodies.get(record.id, Markup("")) + (
                Markup("<p>%s</p>") % escape(text)
            )
        # sudo: notes in the chatter, written by the engine after the checks.
        targets.sudo()._message_log_batch(bodies)

    @api.model
    def _schedule_activity(self, record, user, summary, note, deadline=None):
        # sudo: the activity is given to its owner by the engine.
        record.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=deadline or fields.Date.context_today(self),
            summary=summary,
            note=note,
            user_id=(user or self.env.user).id,
        )

    @api.model
    def _refresh_next_dates(self, records):
        """The customers' next action dates, with their holds."""
        engine = self.env["account.dunning.run.engine"]
        for company, group in records.grouped("company_id").items():
            engine._refresh_next_action_dates(
                company, group.partner_id, fields.Date.context_today(self)
            )

    # ------------------------------------------------------------ disputes

    @api.model
    def _dispute_opened(self, disputes):
        self._sync_moves(disputes.move_id)
        reasons = dict(disputes._fields["reason"]._description_selection(self.env))
        texts = {}
        for dispute in disputes:
            currency = dispute.currency_id
            texts[dispute] = self.env._(
                "Dispute opened on %(invoice)s (%(reason)s) for %(amount)s, to solve "
                "by %(deadline)s.",
                invoice=dispute.move_id.name,
                reason=reasons.get(dispute.reason),
                amount=currency.format(dispute.amount),
                deadline=dispute.deadline,
            )
            self._schedule_activity(
                dispute,
                dispute.user_id,
                self.env._("Solve the dispute on %s", dispute.move_id.name),
                # The description is text (the customer's own, from its page):
                # shown as typed, never read as HTML.
                plaintext2html(dispute.description)
                if dispute.description
                else texts[dispute],
                dispute.deadline,
            )
            salesperson = dispute.move_id.invoice_user_id
            # sudo: the salesperson is told in the invoice's chatter.
            dispute.move_id.sudo().message_post(
                body=Markup("<p>%s</p>") % escape(texts[dispute]),
                partner_ids=salesperson.partner_id.ids,
                # A note: the customer follows its invoice and must not read it.
                subtype_xmlid="mail.mt_note",
                message_type="comment",
            )
        self._trace(disputes, "dispute", texts)
        self._refresh_next_dates(disputes)

    @api.model
    def _dispute_closed(self, disputes):
        today = fields.Date.context_today(self)
        texts = {}
        for dispute in disputes:
            policy = dispute.move_id._dunning_policy()
            if dispute.state in ("accepted", "rejected"):
                resume = fields.Date.add(today, days=policy.dispute_grace_days)
                self._set_move_values(dispute.move_id, {"dunning_resume_date": resume})
            texts[dispute] = {
                "accepted": self.env._("Dispute on %s accepted.", dispute.move_id.name),
                "rejected": self.env._(
                    "Dispute on %(invoice)s rejected: %(note)s",
                    invoice=dispute.move_id.name,
                    note=dispute.resolution_note,
                ),
                "cancelled": self.env._(
                    "Dispute on %s cancelled.", dispute.move_id.name
                ),
            }[dispute.state]
            if dispute.credit_note_id:
                texts[dispute] += " " + self.env._(
                    "Credit note %s drafted.", dispute.credit_note_id.display_name
                )
            # sudo: the dispute's to-do is done with it.
            dispute.sudo().activity_ids.action_feedback(feedback=texts[dispute])
        self._sync_moves(disputes.move_id)
        self._trace(disputes, "dispute", texts)
        self._refresh_next_dates(disputes)

    @api.model
    def _notify_late_disputes(self, company, today):
        """An activity for the dunning manager on each dispute past its deadline."""
        Dispute = self.env["account.dunning.dispute"].sudo()
        late = Dispute.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "open"),
                ("deadline", "<", today),
                ("deadline_notified", "=", False),
            ]
        )
        for dispute in late:
            manager = self._dispute_manager(dispute)
            self._schedule_activity(
                dispute,
                manager,
                self.env._("Dispute past its deadline: %s", dispute.move_id.name),
                self.env._(
                    "The dispute owned by %(owner)s was to be solved by %(deadline)s.",
                    owner=dispute.user_id.name or "",
                    deadline=dispute.deadline,
                ),
            )
        late.write({"deadline_notified": True})
        return late

    @api.model
    def _dispute_manager(self, dispute):
        """Who hears of a late dispute: the policy's escalation user, else the first
        dunning manager of the company."""
        policy = dispute.move_id._dunning_policy()
        if policy.dispute_manager_id:
            return policy.dispute_manager_id
        return self._first_manager(dispute.company_id) or dispute.user_id

    @api.model
    def _first_manager(self, company):
        """The company's first dunning manager: an active internal user of it."""
        group = self.env.ref("account_dunning.group_dunning_manager")
        # sudo: who manages the dunning, to give an activity; nothing else is read.
        managers = group.sudo().users.filtered(
            lambda user: not user.share
            and user.active
            and not user._is_superuser()
            and company in user.company_ids
        )
        return managers.sorted("id")[:1]

    # ------------------------------------------------------------ promises

    @api.model
    def _promise_opened(self, promises):
        self._sync_moves(promises.move_ids)
        texts = {
            promise: self.env._(
                "Promise to pay %(amount)s on %(date)s (%(invoices)s): reminders wait "
                "until %(until)s.",
                amount=promise.currency_id.format(promise.amount),
                date=promise.date,
                invoices=", ".join(promise.move_ids.mapped("name")),
                until=promise.grace_until,
            )
            for promise in promises
        }
        self._trace(promises, "promise", texts)
        self._refresh_next_dates(promises)

    @api.model
    def _promises_paid(self, promises):
        """{promise: what was paid on its invoices since it was made}: the payments
        reconciled after its mark, in its currency; credit notes are no payment."""
        paid = dict.fromkeys(promises, 0.0)
        if not promises:
            return paid
        items = promises.move_ids.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        # sudo: the reconciliations of the promised invoices, read by the engine.
        partials = (
            self.env["account.partial.reconcile"]
            .sudo()
            .search_fetch(
                [
                    ("debit_move_id", "in", items.ids),
                    ("id", ">", min(promises.mapped("reconcile_mark"))),
                ],
                ["debit_move_id", "credit_move_id", "debit_amount_currency"],
            )
        )
        refunds = partials.credit_move_id.move_id.filtered(
            lambda move: move.move_type == "out_refund"
        )
        for promise in promises:
            moves = promise.move_ids
            total = sum(
                partial.debit_amount_currency
                for partial in partials
                if partial.id > promise.reconcile_mark
                and partial.debit_move_id.move_id in moves
                and partial.credit_move_id.move_id not in refunds
            )
            paid[promise] = promise.currency_id.round(total)
        return paid

    @api.model
    def _check_promises(self, promises, today):
        """Keep the promises paid, break those past their grace days."""
        outcomes = {"kept": promises.browse(), "broken": promises.browse()}
        promises = promises.filtered(lambda promise: promise.state == "open")
        paid_by_promise = self._promises_paid(promises)
        for promise in promises:
            rounding = promise.currency_id.rounding
            paid = paid_by_promise[promise]
            if promise.currency_id.compare_amounts(paid, promise.paid_amount):
                promise.sudo().paid_amount = paid
            outcome = hold_rules.promise_outcome(
                round(promise.amount / rounding),
                round(paid / rounding),
                promise.date,
                promise.grace_until and (promise.grace_until - promise.date).days,
                today,
            )
            if outcome:
                outcomes[outcome] |= promise
        for state, group in outcomes.items():
            if group:
                self._close_promises(group, state)
        return outcomes

    @api.model
    def _close_promises(self, promises, state):
        today = fields.Date.context_today(self)
        paid_by_promise = self._promises_paid(promises)
        for promise in promises:
            # sudo: the promise's outcome is the engine's.
            promise.sudo().write(
                {
                    "state": state,
                    "paid_amount": paid_by_promise[promise],
                    "closed_date": today,
                }
            )
        self._sync_moves(promises.move_ids)
        texts = {}
        for promise in promises:
            paid = promise.currency_id.format(promise.paid_amount)
            texts[promise] = {
                "kept": self.env._("Promise of %(date)s kept: %(paid)s paid."),
                "broken": self.env._(
                    "Promise of %(date)s broken: %(paid)s paid; the reminders "
                    "resume at their next level."
                ),
                "cancelled": self.env._("Promise of %(date)s cancelled."),
            }[state] % {"date": promise.date, "paid": paid}
            if state == "broken":
                self._escalate(promise.move_ids)
                self._schedule_activity(
                    promise,
                    promise.user_id,
                    self.env._(
                        "Broken promise to pay: %s", promise.partner_id.display_name
                    ),
                    texts[promise],
                )
        self._trace(promises, "promise", texts)
        self._refresh_next_dates(promises)

    @api.model
    def _escalate(self, moves):
        """The invoices are due for their next level at the next run."""
        open_moves = moves.filtered(
            lambda move: move.currency_id.compare_amounts(move.amount_residual, 0) > 0
        )
        self._set_move_values(
            open_moves, {"dunning_escalate": True, "dunning_resume_date": False}
        )

    # ------------------------------------------------------------ readers

    @api.model
    def _held_next_dates(self, company, partners, after_date, next_dates):
        """Each customer's next action date with its holds: a promise's last day to
        pay, a dispute's deadline, a plan's next instalment reminder."""
        next_dates = dict(next_dates)
        first_day = fields.Date.add(after_date, days=1)

        def plan_date(day):
            if day and (not next_dates.get(partner_id) or day < next_dates[partner_id]):
                next_dates[partner_id] = max(day, first_day)

        domain = [("company_id", "=", company.id), ("partner_id", "in", partners.ids)]
        # sudo: the engine reads the arrangements to plan the next action.
        for promise in (
            self.env["account.dunning.promise"]
            .sudo()
            .search_fetch(
                [*domain, ("state", "=", "open")], ["partner_id", "grace_until"]
            )
        ):
            partner_id = promise.partner_id.id
            plan_date(promise.grace_until)
        for dispute in (
            self.env["account.dunning.dispute"]
            .sudo()
            .search_fetch(
                [
                    *domain,
                    ("state", "=", "open"),
                    ("move_id.dunning_hold", "=", "dispute"),
                ],
                ["partner_id", "deadline"],
            )
        ):
            partner_id = dispute.partner_id.id
            plan_date(dispute.deadline)
        lines = (
            self.env["account.dunning.plan.line"]
            .sudo()
            .search_fetch(
                [
                    *domain,
                    ("plan_id.state", "=", "active"),
                    ("state", "!=", "paid"),
                    ("reminder_action_id", "=", False),
                ],
                ["partner_id", "date", "plan_id"],
            )
        )
        for line in lines:
            partner_id = line.partner_id.id
            policy = line.partner_id._dunning_policy(company)
            plan_date(
                fields.Date.add(line.date, days=max(policy.plan_reminder_days, 1))
            )
        return next_dates

    @api.model
    def _disputed_by_item(self, items):
        """{item id: disputed part in the item's currency} of partly disputed
        invoices: the latest instalments first take the disputed amount. One query
        for the batch."""
        moves = items.move_id.filtered("dunning_disputed_amount")
        if not moves:
            return {}
        disputed = {}
        # An invoice of one instalment: the item is all of it, nothing to read.
        single = moves.filtered(
            lambda move: len(move.invoice_payment_term_id.line_ids) <= 1
        )
        for item in items.filtered(lambda item: item.move_id in single):
            part = min(
                item.move_id.dunning_disputed_amount, item.amount_residual_currency
            )
            if part > 0:
                disputed[item.id] = part
        moves -= single
        if not moves:
            return disputed
        # sudo: the open instalments of the invoices listed, read by the engine.
        open_items = (
            self.env["account.move.line"]
            .sudo()
            .search_fetch(
                [
                    ("move_id", "in", moves.ids),
                    ("display_type", "=", "payment_term"),
                    ("reconciled", "=", False),
                ],
                ["move_id", "date_maturity", "amount_residual_currency", "currency_id"],
            )
        )
        for move, lines in open_items.grouped("move_id").items():
            rounding = move.currency_id.rounding
            lines = lines.filtered(lambda line: line.amount_residual_currency > 0)
            split = hold_rules.disputed_split(
                [
                    (
                        line.date_maturity,
                        round(line.amount_residual_currency / rounding),
                    )
                    for line in lines
                ],
                round(move.dunning_disputed_amount / rounding),
            )
            for line, cents in zip(lines, split, strict=True):
                if cents:
                    disputed[line.id] = cents * rounding
        return disputed
