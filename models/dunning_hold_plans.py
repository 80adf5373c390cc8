"""The hold engine's payment plans, payments and daily steps."""

from odoo import _, api, fields, models
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
                        _(
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
            elif hold_rules.plan_broken(instalments, paid, plan.tolerance_days, today):
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
                "done": _("Payment plan %s paid in full.", plan.name),
                "broken": _(
                    "Payment plan %s broken: an instalment is late beyond its "
                    "tolerance; the invoices are due again at their next level.",
                    plan.name,
                ),
                "cancelled": _("Payment plan %s cancelled.", plan.name),
            }[state]
            if state == "broken":
                self._escalate(plan.move_ids)
                self._schedule_activity(
                    plan,
                    plan.user_id,
                    _("Broken payment plan: %s", plan.partner_id.display_name),
                    texts[plan],
                )
        active_before = plans.filtered(lambda plan: plan.line_ids)
        self._trace(active_before, "plan", texts)
        self._refresh_next_dates(plans)

    @api.model
    def _remind_instalments(self, company, today):
        """One email per late instalment, its policy's days after its date."""
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
        template = self.env.ref(PLAN_REMINDER_TEMPLATE, raise_if_not_found=False)
        reminded = Line
        for line in lines:
            plan = line.plan_id
            policy = plan.partner_id.with_company(company).dunning_policy_id or (
                company.dunning_policy_id
            )
            rounding = plan.currency_id.rounding
            due = hold_rules.instalments_to_remind(
                [(line.date, round(line.amount / rounding))],
                [round(line.paid_amount / rounding)],
                set(),
                policy.plan_reminder_days,
                today,
            )
            if not due:
                continue
            action = self._instalment_reminder(line, template, today)
            line.write({"reminder_action_id": action.id, "reminded_date": today})
            reminded |= line
        return reminded

    @api.model
    def _instalment_reminder(self, line, template, today):
        """Send the instalment's reminder and trace it."""
        plan = line.plan_id
        recipient = plan.partner_id
        state, reason, mail = "sent", False, self.env["mail.mail"]
        if not recipient.email:
            state, reason = "failed", _("The customer has no email address.")
        elif template:
            mail_id = template.send_mail(
                line.id,
                email_values={"recipient_ids": [fields.Command.set(recipient.ids)]},
            )
            mail = self.env["mail.mail"].sudo().browse(mail_id)
        text = _(
            "Instalment of %(date)s of the payment plan %(plan)s reminded: %(left)s "
            "left to pay.",
            date=line.date,
            plan=plan.name,
            left=plan.currency_id.format(line.amount - line.paid_amount),
        )
        # sudo: the trace is append-only, written by the engine.
        action = (
            self.env["account.dunning.action"]
            .sudo()
            .create(
                {
                    "company_id": plan.company_id.id,
                    "partner_id": plan.partner_id.id,
                    "recipient_id": recipient.id,
                    "channel": "plan",
                    "state": state,
                    "reason": reason or text,
                    "date": today,
                    "move_ids": [fields.Command.set(plan.move_ids.ids)],
                    "amount": sum(plan.move_ids.mapped("amount_residual_signed")),
                    "mail_id": mail.id,
                }
            )
        )
        plan.sudo().message_post(body=text, subtype_xmlid="mail.mt_note")
        return action

    # ------------------------------------------------------------ payments, days

    @api.model
    def _on_payments(self, moves):
        """After a payment or its removal: holds, promises kept, plans allocated."""
        moves = moves.filtered(
            lambda move: move.move_type == "out_invoice"
            and (move.dunning_hold or move.dunning_disputed)
        )
        if not moves:
            return
        today = fields.Date.context_today(self)
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
        promises = (
            self.env["account.dunning.promise"]
            .sudo()
            .search([("company_id", "=", company.id), ("state", "=", "open")])
        )
        self._check_promises(promises, today)
        plans = (
            self.env["account.dunning.plan"]
            .sudo()
            .search([("company_id", "=", company.id), ("state", "=", "active")])
        )
        self._allocate_plans(plans, today)
        if send:
            self._notify_late_disputes(company, today)
            self._remind_instalments(company, today)
