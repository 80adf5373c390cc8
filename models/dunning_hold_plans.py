"""The hold engine's payment plans, payments and daily steps."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from . import hold_rules

PLAN_REMINDER_TEMPLATE = "account_dunning.mail_template_dunning_plan_instalment"


class AccountDunningHoldEngine(models.AbstractModel):
    _inherit = "account.dunning.hold.engine"

    # ------------------------------------------------------------ plans

    @api.model
    def _plan_penalties_due(self, plan):
        """The interest, indemnity and fees a plan would bill today, in its currency."""
        engine = self.env["account.dunning.penalty.engine"]
        today = fields.Date.context_today(self)
        moves = plan.move_ids.filtered(lambda move: not move.dunning_disputed)
        total = 0.0
        for due in engine._unbilled(moves, today).values():
            total += sum(line.amount for line in due["lines"])
            total += due["indemnity"] + due["fee"]
        return plan.currency_id.round(total)

    @api.model
    def _activate_plans(self, plans):
        today = fields.Date.context_today(self)
        if not self.env.su and any(plans.mapped("include_penalties")):
            # The penalty invoice is created with the user's rights, as any billing.
            self.env["account.move"]._dunning_check_may_bill()
        for plan in plans:
            vals = {"state": "active"}
            if plan.include_penalties:
                expected = plan._expected_total()
                penalty_moves = self.env["account.dunning.penalty.engine"]._bill(
                    plan.move_ids, today
                )
                vals["penalty_move_ids"] = [fields.Command.set(penalty_moves.ids)]
                billed = sum(penalty_moves.mapped("amount_residual"))
                total = sum(plan.move_ids.mapped("amount_residual")) + billed
                if plan.currency_id.compare_amounts(total, expected):
                    raise ValidationError(
                        self.env._(
                            "The penalties billed today (%(billed)s) make a total of "
                            "%(total)s, not the %(expected)s of the instalments: fill "
                            "them again.",
                            billed=plan.currency_id.format(billed),
                            total=plan.currency_id.format(total),
                            expected=plan.currency_id.format(expected),
                        )
                    )
                vals["amount_total"] = total
            else:
                vals["amount_total"] = sum(plan.move_ids.mapped("amount_residual"))
            # sudo: the plan's state and total are the engine's.
            plan.sudo().write(vals)
        self._sync_moves(plans.move_ids | plans.penalty_move_ids)
        texts = {
            plan: self.env._(
                "Payment plan %(plan)s activated: %(total)s in %(count)s instalments "
                "from %(first)s (%(invoices)s).",
                plan=plan.name,
                total=plan.currency_id.format(plan.amount_total),
                count=len(plan.line_ids),
                first=plan.line_ids.sorted("date")[:1].date,
                invoices=", ".join(plan.move_ids.mapped("name")),
            )
            for plan in plans
        }
        self._trace(plans, "plan", texts)
        self._allocate_plans(plans, today)
        self._refresh_next_dates(plans)

    @api.model
    def _plan_paid(self, plan):
        """What the plan's invoices and penalty invoices were paid since it started."""
        moves = plan.move_ids | plan.penalty_move_ids
        paid = plan.amount_total - sum(moves.mapped("amount_residual"))
        return min(max(plan.currency_id.round(paid), 0.0), plan.amount_total)

    @api.model
    def _allocate_plans(self, plans, today):
        """Allocate the payments to the instalments, oldest first; close the plans
        paid in full and break those with an instalment late beyond tolerance."""
        done, broken = plans.browse(), plans.browse()
        # What the plans' invoices owe, read once for the batch.
        (plans.move_ids | plans.penalty_move_ids).mapped("amount_residual")
        for plan in plans.filtered(lambda plan: plan.state == "active"):
            rounding = plan.currency_id.rounding
            lines = plan.line_ids.sorted(lambda line: (line.date, line.id))
            instalments = [(line.date, round(line.amount / rounding)) for line in lines]
            paid = hold_rules.allocate(
                instalments, round(self._plan_paid(plan) / rounding)
            )
            for line, (day, cents), part in zip(lines, instalments, paid, strict=False):
                vals = {
                    "paid_amount": part * rounding,
                    "state": hold_rules.instalment_state(day, cents, part, today),
                }
                if line.state == "paid" and vals["state"] != "paid":
                    # Paid, then the payment was taken back: reminded again.
                    vals.update(reminder_action_id=False, reminded_date=False)
                if (
                    plan.currency_id.compare_amounts(
                        vals["paid_amount"], line.paid_amount
                    )
                    or vals["state"] != line.state
                ):
                    # sudo: the allocation is the engine's.
                    line.sudo().write(vals)
            if all(
                part >= cents
                for (_day, cents), part in zip(instalments, paid, strict=False)
            ):
                done |= plan
            elif not (plan.move_ids | plan.penalty_move_ids).filtered(
                "dunning_disputed"
            ) and hold_rules.plan_broken(instalments, paid, plan.tolerance_days, today):
                broken |= plan
        if done:
            self._close_plans(done, "done")
        if broken:
            self._close_plans(broken, "broken")
        return done, broken

    @api.model
    def _close_plans(self, plans, state):
        today = fields.Date.context_today(self)
        # sudo: the plan's state is the engine's.
        plans.sudo().write({"state": state, "closed_date": today})
        self._sync_moves(plans.move_ids | plans.penalty_move_ids)
        texts = {}
        for plan in plans:
            texts[plan] = {
                "done": self.env._("Payment plan %s paid in full.", plan.name),
                "broken": self.env._(
                    "Payment plan %s broken: an instalment is late beyond its "
                    "tolerance; the invoices are due again at their next level.",
                    plan.name,
                ),
                "cancelled": self.env._("Payment plan %s cancelled.", plan.name),
            }[state]
            if state == "broken":
                self._escalate(plan.move_ids)
                self._schedule_activity(
                    plan,
                    plan.user_id,
                    self.env._("Broken payment plan: %s", plan.partner_id.display_name),
                    texts[plan],
                )
        active_before = plans.filtered(lambda plan: plan.line_ids)
        self._trace(active_before, "plan", texts)
        self._refresh_next_dates(plans)

    @api.model
    def _plan_lines_to_remind(self, lines, company, today):
        """The late instalments ``lines`` that may be reminded: the extension point
        of the instalment reminders. A plan whose invoice is disputed waits for the
        dispute's outcome."""
        return lines.filtered(
            lambda line: not line.plan_id.move_ids.filtered("dunning_disputed")
        )

    @api.model
    def _remind_instalments(self, company, today):
        """One email per late instalment, its policy's days after its date: the
        emails of the batch rendered together, the trace in one insert."""
        Line = self.env["account.dunning.plan.line"].sudo()
        lines = Line.search(
            [
                ("company_id", "=", company.id),
                ("plan_id.state", "=", "active"),
                ("state", "in", ("open", "late")),
                ("reminder_action_id", "=", False),
                ("date", "<", today),
            ]
        )
        due = Line
        lines = self._plan_lines_to_remind(lines, company, today)
        for line in lines:
            policy = line.partner_id._dunning_policy(company)
            rounding = line.currency_id.rounding
            if hold_rules.instalments_to_remind(
                [(line.date, round(line.amount / rounding))],
                [round(line.paid_amount / rounding)],
                set(),
                policy.plan_reminder_days,
                today,
            ):
                due |= line
        if not due:
            return due
        reachable = due.filtered(lambda line: line.partner_id.email)
        template = self.env.ref(PLAN_REMINDER_TEMPLATE, raise_if_not_found=False)
        mails = (
            template.send_mail_batch(reachable.ids)
            if template and reachable
            else self.env["mail.mail"]
        )
        mail_by_line = {mail.res_id: mail for mail in mails}
        texts = {
            line: self.env._(
                "Instalment of %(date)s of the payment plan %(plan)s reminded: "
                "%(left)s left to pay.",
                date=line.date,
                plan=line.plan_id.name,
                left=line.currency_id.format(line.amount - line.paid_amount),
            )
            for line in due
        }
        # The plans' invoices read once for the batch.
        due.plan_id.move_ids.mapped("amount_residual_signed")
        # sudo: the trace is append-only, written by the engine.
        actions = (
            self.env["account.dunning.action"]
            .sudo()
            .create(
                [
                    {
                        "company_id": company.id,
                        "partner_id": line.partner_id.id,
                        "recipient_id": line.partner_id.id,
                        "channel": "plan",
                        "state": "sent" if line in reachable else "failed",
                        "reason": texts[line]
                        if line in reachable
                        else self.env._("The customer has no email address."),
                        "date": today,
                        "move_ids": [fields.Command.set(line.plan_id.move_ids.ids)],
                        "amount": sum(
                            line.plan_id.move_ids.mapped("amount_residual_signed")
                        ),
                        "mail_id": mail_by_line.get(line.id, self.env["mail.mail"]).id,
                    }
                    for line in due
                ]
            )
        )
        for line, action in zip(due, actions, strict=True):
            line.write({"reminder_action_id": action.id, "reminded_date": today})
        self._log_notes(due.plan_id, [(line.plan_id, texts[line]) for line in due])
        self._log_notes(
            due.partner_id, [(line.partner_id, texts[line]) for line in due]
        )
        return due

    # ------------------------------------------------------------ payments, days

    @api.model
    def _on_payments(self, moves):
        """After a payment or its removal: holds, promises kept, plans allocated."""
        invoices = moves.filtered(lambda move: move.move_type == "out_invoice")
        today = fields.Date.context_today(self)
        # A payment of a plan paid in full taken back: the plan is in force again.
        reopened = (
            self.env["account.dunning.plan"]
            .sudo()
            .search(
                [
                    ("state", "=", "done"),
                    "|",
                    ("move_ids", "in", invoices.ids),
                    ("penalty_move_ids", "in", invoices.ids),
                ]
            )
            if invoices.filtered(lambda move: move.amount_residual > 0)
            else []
        )
        for plan in reopened:
            if (plan.move_ids | plan.penalty_move_ids).filtered(
                lambda move: move.currency_id.compare_amounts(move.amount_residual, 0)
                > 0
            ):
                plan.write({"state": "active", "closed_date": False})
                self._trace(
                    plan,
                    "plan",
                    {
                        plan: self.env._(
                            "Payment plan %s in force again: a payment was taken back.",
                            plan.name,
                        )
                    },
                )
                self._sync_moves(plan.move_ids | plan.penalty_move_ids)
        moves = invoices.filtered(
            lambda move: move.dunning_hold or move.dunning_disputed
        )
        if not moves:
            return
        self._sync_moves(moves)
        promises = (
            self.env["account.dunning.promise"]
            .sudo()
            .search([("move_ids", "in", moves.ids), ("state", "=", "open")])
        )
        self._check_promises(promises, today)
        # A plan's penalty invoices are held with it: they count for it.
        plans = (
            self.env["account.dunning.plan"]
            .sudo()
            .search(
                [
                    ("state", "=", "active"),
                    "|",
                    ("move_ids", "in", moves.ids),
                    ("penalty_move_ids", "in", moves.ids),
                ]
            )
        )
        self._allocate_plans(plans, today)

    @api.model
    def _daily(self, company, today, send=True):
        """The day's work: promises and plans past their days, late disputes, and
        (``send``) the reminders of late instalments. Safe to run again."""
        # Payments keep promises and pay instalments as they come (``_on_payments``):
        # the day only breaks promises past their last day and follows the plans with
        # an instalment due before today and not paid.
        promises = (
            self.env["account.dunning.promise"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "open"),
                    ("grace_until", "<", today),
                ]
            )
        )
        self._check_promises(promises, today)
        plans = (
            self.env["account.dunning.plan"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                    (
                        "line_ids",
                        "any",
                        [("state", "!=", "paid"), ("date", "<", today)],
                    ),
                ]
            )
        )
        self._allocate_plans(plans, today)
        if send:
            self._notify_late_disputes(company, today)
            self._remind_instalments(company, today)
