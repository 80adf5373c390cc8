from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, split_every

from . import dunning_access, dunning_rules

# Customers handled per transaction chunk: bounds memory on big runs.
EXECUTE_CHUNK_SIZE = 500
# Moved by the engine only: the buttons and the scheduled action (see dunning_access).
ENGINE_FIELDS = ("name", "state", "scheduled", "user_id", "action_ids")


class AccountDunningRun(models.Model):
    _name = "account.dunning.run"
    _description = "Dunning Run"
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("computed", "To Execute"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
    )
    scheduled = fields.Boolean(
        readonly=True, help="Created by the daily scheduled action."
    )
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    line_ids = fields.One2many("account.dunning.run.line", "run_id", string="Proposals")
    action_ids = fields.One2many("account.dunning.action", "run_id", string="Actions")
    line_count = fields.Integer(compute="_compute_counts")
    customer_count = fields.Integer(compute="_compute_counts")
    action_count = fields.Integer(compute="_compute_counts")

    @api.depends("date", "company_id")
    def _compute_name(self):
        for run in self:
            run.name = _("Dunning %(date)s", date=run.date or "")

    def _compute_counts(self):
        lines = dict(
            self.env["account.dunning.run.line"]._read_group(
                [("run_id", "in", self.ids)], ["run_id"], ["__count"]
            )
        )
        customers = dict(
            self.env["account.dunning.run.line"]._read_group(
                [("run_id", "in", self.ids)], ["run_id"], ["partner_id:count_distinct"]
            )
        )
        actions = dict(
            self.env["account.dunning.action"]._read_group(
                [("run_id", "in", self.ids)], ["run_id"], ["__count"]
            )
        )
        for run in self:
            run.line_count = lines.get(run, 0)
            run.customer_count = customers.get(run, 0)
            run.action_count = actions.get(run, 0)

    @api.constrains("date")
    def _check_date(self):
        for run in self:
            today = fields.Date.context_today(run)
            if run.date > today:
                raise ValidationError(
                    _(
                        "A dunning run cannot be dated in the future (%(date)s is "
                        "after today, "
                        "%(today)s).",
                        date=run.date,
                        today=today,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        if {"date", "company_id"} & set(vals) and any(
            run.state != "draft" for run in self
        ):
            raise UserError(
                _("The date and company of a run are set before it is computed.")
            )
        return super().write(vals)

    def unlink(self):
        if (
            self.env["account.dunning.action"]
            .sudo()
            .search_count([("run_id", "in", self.ids)], limit=1)
        ):
            raise UserError(
                _("A run that left a trace is kept with it: it cannot be deleted.")
            )
        return super().unlink()

    # ------------------------------------------------------------------ actions

    def action_compute(self):
        """Propose, per customer, the invoices due for their next level."""
        # The proposals are written in SQL: check the rights the ORM would have.
        self.check_access("write")
        for run in self:
            if run.state not in ("draft", "computed"):
                raise UserError(
                    _("An executed or cancelled run cannot be computed again.")
                )
            run._check_date()
            run.env.execute_query(
                SQL(
                    "DELETE FROM account_dunning_run_line"
                    " WHERE run_id = %s AND state = 'pending'",
                    run.id,
                )
            )
            run._insert_proposals(run._plan_proposals())
            # sudo: after the write check above; the state moves with the proposals.
            run.sudo().state = "computed"
        self.env["account.dunning.run.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])
        return True

    def action_execute(self):
        """Send the proposed communications, one per customer."""
        self.check_access("write")
        if not self.env.su and self.env["account.dunning.policy"].search_count(
            [
                ("company_id", "in", self.company_id.ids),
                ("penalty_bill_level_id", "!=", False),
            ],
            limit=1,
        ):
            # Checked before anything is sent: the run may bill penalties.
            self.env["account.move"]._dunning_check_may_bill()
        for run in self:
            if run.state != "computed":
                raise UserError(_("Compute the run before executing it."))
            run._check_date()
            partner_ids = run._pending_partner_ids()
            for chunk in split_every(EXECUTE_CHUNK_SIZE, partner_ids, list):
                run._execute_customers(chunk)
                # Keep memory flat on big runs: flush what was done, empty the cache.
                self.env.flush_all()
                self.env.invalidate_all()
            run._update_state()
        return True

    def action_cancel(self):
        self.check_access("write")
        if any(run.state == "done" for run in self):
            raise UserError(_("An executed run cannot be cancelled."))
        # sudo: after the write check above; proposals, trace and state are the
        # engine's. What waited for a review is not sent either.
        runs = self.sudo()
        skipped = {"state": "skipped", "reason": _("The run was cancelled.")}
        runs.line_ids.filtered(
            lambda line: line.state in ("pending", "to_review")
        ).write(skipped)
        runs.action_ids.filtered(lambda action: action.state == "to_review").write(
            skipped
        )
        runs.state = "cancel"
        return True

    def action_open_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_run_line_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {"group_by": ["partner_id", "level_id"]}
        return action

    def action_open_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_action_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action

    # ---------------------------------------------------------------- computing

    def _candidate_rows(self):
        """Open invoices of the company that may be due for a level, in one query."""
        self.ensure_one()
        levels = self.env["account.dunning.level"].search_fetch(
            [("company_id", "=", self.company_id.id), ("policy_id.active", "=", True)],
            ["delay"],
        )
        # Courtesy levels reach invoices not yet due: look that far ahead.
        lead_days = max([-level.delay for level in levels] + [0])
        partner_model = self.env["res.partner"].with_company(self.company_id)
        policy_sql = partner_model._field_to_sql("partner", "dunning_policy_id")
        return self.env.execute_query(
            SQL(
                """
                SELECT move.id, move.commercial_partner_id, move.invoice_date_due,
                       move.dunning_level_id, current_level.delay,
                       move.dunning_last_date, move.amount_residual,
                       move.amount_residual_signed, move.currency_id,
                       %(policy)s
                  FROM account_move move
                  JOIN res_partner partner ON partner.id = move.commercial_partner_id
             LEFT JOIN account_dunning_level current_level
                       ON current_level.id = move.dunning_level_id
                 WHERE move.company_id = %(company)s
                   AND move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.amount_residual > 0
                   AND move.dunning_excluded IS NOT TRUE
                   AND move.invoice_date_due <= %(horizon)s::date
                   AND move.invoice_date <= %(date)s::date
                   AND NOT EXISTS (
                       SELECT 1 FROM account_dunning_action waiting
                        WHERE waiting.partner_id = move.commercial_partner_id
                          AND waiting.company_id = %(company)s
                          AND waiting.state = 'to_review')
                """,
                policy=policy_sql,
                company=self.company_id.id,
                horizon=fields.Date.add(self.date, days=lead_days),
                date=self.date,
            )
        )

    def _plan_proposals(self):
        """Apply the level rules to the candidate invoices; return the proposals."""
        self.ensure_one()
        policies = self.env["account.dunning.policy"].search(
            [("company_id", "=", self.company_id.id)]
        )
        rules = {policy.id: policy._level_rules() for policy in policies}
        default_policy_id = self.company_id.dunning_policy_id.id
        due_by_partner = defaultdict(dict)
        overdue_by_partner = defaultdict(float)
        rows_by_move = {}
        for row in self._candidate_rows():
            move_id, partner_id, date_due, _level_id, current_delay, last_date = row[:6]
            residual_company, policy_id = row[7], row[9]
            levels = rules.get(policy_id or default_policy_id)
            level = (
                dunning_rules.level_due(
                    levels, current_delay, last_date, date_due, self.date
                )
                if levels
                else None
            )
            if level:
                due_by_partner[partner_id][move_id] = level
                rows_by_move[move_id] = row
            if level or date_due < self.date:
                overdue_by_partner[partner_id] += residual_company
        proposals = []
        for partner_id, due_by_move in due_by_partner.items():
            kept = dunning_rules.apply_min_amount(
                due_by_move, overdue_by_partner[partner_id]
            )
            for move_id, level in kept.items():
                row = rows_by_move[move_id]
                proposals.append(
                    {
                        "partner_id": partner_id,
                        "move_id": move_id,
                        "level_id": level.id,
                        "level_delay": level.delay,
                        "previous_level_id": row[3],
                        "invoice_date_due": row[2],
                        "days_late": (self.date - row[2]).days,
                        "amount_residual": row[6],
                        "amount_residual_company": row[7],
                        "currency_id": row[8],
                    }
                )
        return proposals

    def _insert_proposals(self, proposals):
        """Insert the proposals in one statement: a run may propose 100,000 invoices."""
        self.ensure_one()
        if not proposals:
            return

        def column(name):
            return [proposal[name] for proposal in proposals]

        self.env.execute_query(
            SQL(
                """
                INSERT INTO account_dunning_run_line (
                    run_id, company_id, partner_id, move_id, level_id, level_delay,
                    previous_level_id, invoice_date_due, days_late, amount_residual,
                    amount_residual_company, currency_id, selected, state,
                    create_uid, create_date, write_uid, write_date)
                SELECT %(run)s, %(company)s, data.*, TRUE, 'pending',
                       %(uid)s, NOW() AT TIME ZONE 'UTC',
                       %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(partner)s::int[], %(move)s::int[], %(level)s::int[],
                              %(delay)s::int[], %(previous)s::int[], %(due)s::date[],
                              %(late)s::int[], %(residual)s::numeric[],
                              %(residual_company)s::numeric[],
                              %(currency)s::int[]) AS data
                """,
                run=self.id,
                company=self.company_id.id,
                uid=self.env.uid,
                partner=column("partner_id"),
                move=column("move_id"),
                level=column("level_id"),
                delay=column("level_delay"),
                previous=column("previous_level_id"),
                due=column("invoice_date_due"),
                late=column("days_late"),
                residual=column("amount_residual"),
                residual_company=column("amount_residual_company"),
                currency=column("currency_id"),
            )
        )

    # ---------------------------------------------------------------- executing

    def _pending_partner_ids(self):
        self.ensure_one()
        groups = self.env["account.dunning.run.line"]._read_group(
            [("run_id", "=", self.id), ("state", "=", "pending")], ["partner_id"]
        )
        return sorted(partner.id for (partner,) in groups)

    def _lock_partners(self, partner_ids):
        """Lock the customers' rows; return those another transaction holds.

        A row lock (not a flag) keeps two runs, the cron's and a person's, from
        reminding the same customer at once; NO KEY UPDATE leaves invoices free to
        reference them.
        """
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM res_partner WHERE id IN %s"
                " FOR NO KEY UPDATE SKIP LOCKED",
                tuple(partner_ids),
            )
        )
        return set(partner_ids) - {row[0] for row in rows}

    def _execute_customers(self, partner_ids, reviewed=None):
        """Remind the given customers of this run: one communication each.

        ``reviewed``: trace lines that waited for a review and that a person sends
        now (``account.dunning.action.action_send_reviewed``); they are completed in
        place. Only that action passes them: no context or RPC argument does.
        """
        self.ensure_one()
        if not partner_ids:
            return
        # sudo: this run's proposals, which the engine moves through their states.
        Line = self.env["account.dunning.run.line"].sudo()
        busy_ids = self._lock_partners(partner_ids)
        lines = Line.search_fetch(
            [
                ("run_id", "=", self.id),
                ("partner_id", "in", list(partner_ids)),
                ("state", "=", "pending"),
            ],
            ["partner_id", "move_id", "level_id", "previous_level_id", "selected"],
        )
        busy_lines = lines.filtered(lambda line: line.partner_id.id in busy_ids)
        busy_lines.write(
            {
                "state": "skipped",
                "reason": _("Another dunning run was reminding this customer."),
            }
        )
        lines -= busy_lines
        unselected = lines.filtered(lambda line: not line.selected)
        unselected.write({"state": "skipped", "reason": _("Left out by the user.")})
        lines -= unselected
        stale = lines.filtered(lambda line: not line._is_still_due(self.date))
        stale.write(
            {
                "state": "skipped",
                "reason": _("Paid, excluded or reminded since the run was computed."),
            }
        )
        lines -= stale
        still_due = set(lines.partner_id.ids)
        skipped_vals = self._skipped_action_vals(
            busy_lines,
            stale.filtered(lambda line: line.partner_id.id not in still_due),
        )
        self._record_actions(skipped_vals, reviewed)
        self._send(lines, reviewed=reviewed)

    def _skipped_action_vals(self, busy_lines, stale_lines):
        """One skipped trace line per customer that this run leaves to another."""
        reasons = (
            (
                busy_lines,
                _("Skipped: another dunning run is reminding this customer right now."),
            ),
            (
                stale_lines,
                _(
                    "Skipped: the invoices were paid, excluded or already "
                    "reminded since the run "
                    "was computed."
                ),
            ),
        )
        vals_list = []
        for lines, reason in reasons:
            for partner_lines in lines.grouped("partner_id").values():
                level = partner_lines.level_id.sorted(lambda lvl: (lvl.delay, lvl.id))[
                    -1:
                ]
                vals_list.append(
                    {
                        "run_id": self.id,
                        "company_id": self.company_id.id,
                        "partner_id": partner_lines.partner_id.id,
                        "level_id": level.id,
                        "channel": level._channels()[0],
                        "state": "skipped",
                        "reason": reason,
                        "date": self.date,
                        "move_ids": [fields.Command.set(partner_lines.move_id.ids)],
                        "amount": sum(partner_lines.mapped("amount_residual_company")),
                    }
                )
        return vals_list

    def _record_actions(self, vals_list, reviewed=None):
        """Write the trace: new lines, and the lines of reviewed customers in place.

        A reviewed customer's lines that waited become what the execution made of
        them (sent, failed, skipped); a waiting line of a channel the execution no
        longer uses (the level changed since) is skipped, with the reason.
        """
        # sudo: the trace is append-only, written by the engine alone.
        Action = self.env["account.dunning.action"].sudo()
        partner_ids = {vals["partner_id"] for vals in vals_list}
        waiting = {
            (action.partner_id.id, action.channel): action
            for action in (reviewed or Action).sudo()
            if action.partner_id.id in partner_ids
        }
        to_create, recorded, outcome = [], Action, {}
        for vals in vals_list:
            outcome.setdefault(vals["partner_id"], vals)
            action = waiting.pop((vals["partner_id"], vals["channel"]), None)
            if action:
                action.write(vals)
                recorded |= action
            else:
                to_create.append(vals)
        recorded |= Action.create(to_create)
        for (partner_id, _channel), action in waiting.items():
            vals = outcome[partner_id]
            action.write(
                {
                    "state": "skipped",
                    "reason": vals.get("reason")
                    or _("This channel was taken off the level before the review."),
                    "reviewed_by_id": self.env.uid,
                }
            )
        return recorded

    def _send(self, lines, reviewed=None):
        """Create the trace and the communications for the lines still due."""
        Action = self.env["account.dunning.action"].sudo()
        if not lines:
            return Action
        reviewed_ids = set(reviewed.partner_id.ids) if reviewed else set()
        lines_by_partner = defaultdict(lambda: self.env["account.dunning.run.line"])
        for line in lines:
            lines_by_partner[line.partner_id] |= line
        listed_by_partner = self._listed_invoices(lines)
        recipients = lines.partner_id._dunning_recipients()
        vals_list, review_lines, send_lines = [], lines.browse(), lines.browse()
        for partner, partner_lines in lines_by_partner.items():
            level = dunning_rules.customer_level(
                [line.level_id for line in partner_lines]
            )
            is_reviewed = partner.id in reviewed_ids
            state = "to_review" if level.manual_review and not is_reviewed else "sent"
            if state == "to_review":
                review_lines |= partner_lines
            else:
                send_lines |= partner_lines
            listed = (
                listed_by_partner.get(partner.id, self.env["account.move"])
                | partner_lines.move_id
            )
            recipient = recipients[partner.id]
            for channel in level._channels():
                vals_list.append(
                    {
                        "run_id": self.id,
                        "company_id": self.company_id.id,
                        "partner_id": partner.id,
                        "recipient_id": recipient.id,
                        "level_id": level.id,
                        "channel": channel,
                        "state": state,
                        "date": self.date,
                        "move_ids": [fields.Command.set(listed.ids)],
                        "advanced_move_ids": [
                            fields.Command.set(partner_lines.move_id.ids)
                        ],
                        "amount": sum(listed.mapped("amount_residual_signed")),
                        "reviewed_by_id": is_reviewed and self.env.uid,
                    }
                )
        actions = self._record_actions(vals_list, reviewed)
        review_lines.write({"state": "to_review"})
        to_send = actions.filtered(lambda action: action.state == "sent")
        to_send._check_channel_requirements()
        delivered = to_send.filtered(lambda action: action.state == "sent")
        reached = set(delivered.partner_id.ids)
        moved_lines = send_lines.filtered(lambda line: line.partner_id.id in reached)
        self._move_invoices(moved_lines)
        (send_lines - moved_lines).write(
            {"state": "skipped", "reason": _("No channel could reach the customer.")}
        )
        moved_lines.write({"state": "done"})
        delivered._dispatch()
        self._bill_penalties_at_level(delivered)
        delivered.partner_id._dunning_check_block(self.company_id)
        self._update_next_action_dates(delivered.partner_id)
        # Waiting for a person is today's action to take.
        if review_lines:
            self._store_next_action_dates(
                dict.fromkeys(review_lines.partner_id.ids, self.date)
            )
        return actions

    def _bill_penalties_at_level(self, actions):
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
        late = to_bill.filtered(lambda move: move._dunning_is_late(self.date))
        if late:
            if not self.env.su:
                late._dunning_check_may_bill()
            late._dunning_bill_penalties(self.date)

    def _listed_invoices(self, lines):
        """All open overdue invoices of the customers: each communication lists them."""
        moves = self.env["account.move"].search_fetch(
            self.env["account.move"]._dunning_open_domain(
                lines.partner_id, self.company_id
            )
            + [("invoice_date_due", "<", self.date)],
            ["commercial_partner_id", "amount_residual_signed"],
        )
        by_partner = defaultdict(lambda: self.env["account.move"])
        for move in moves:
            by_partner[move.commercial_partner_id.id] |= move
        return by_partner

    def _move_invoices(self, lines):
        """Record the level reached by each invoice, in one statement per run."""
        if not lines:
            return
        self.env["account.move"].flush_model(["dunning_level_id", "dunning_last_date"])
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move move
                   SET dunning_level_id = data.level_id, dunning_last_date = %(date)s
                  FROM unnest(%(moves)s::int[], %(levels)s::int[])
                       AS data(move_id, level_id)
                 WHERE move.id = data.move_id
                """,
                date=self.date,
                moves=lines.move_id.ids,
                levels=[line.level_id.id for line in lines],
            )
        )
        lines.move_id.invalidate_recordset(["dunning_level_id", "dunning_last_date"])

    def _update_next_action_dates(self, partners):
        """Set each customer's next action date from its open invoices."""
        if not partners:
            return
        company = self.company_id
        moves = self.env["account.move"].search_fetch(
            self.env["account.move"]._dunning_open_domain(partners, company),
            [
                "commercial_partner_id",
                "invoice_date_due",
                "dunning_level_id",
                "dunning_last_date",
            ],
        )
        policy_by_partner = {
            partner.id: partner.dunning_policy_id.id
            for partner in partners.with_company(company)
        }
        rules = {}
        next_dates = dict.fromkeys(partners.ids)
        for move in moves:
            partner_id = move.commercial_partner_id.id
            policy_id = (
                policy_by_partner.get(partner_id) or company.dunning_policy_id.id
            )
            if policy_id not in rules:
                policy = self.env["account.dunning.policy"].browse(policy_id)
                rules[policy_id] = policy._level_rules()
            next_date = dunning_rules.next_action_date(
                rules[policy_id],
                move.dunning_level_id.delay if move.dunning_level_id else None,
                move.dunning_last_date,
                move.invoice_date_due,
                self.date,
            )
            if next_date and (
                not next_dates[partner_id] or next_date < next_dates[partner_id]
            ):
                next_dates[partner_id] = next_date
        self._store_next_action_dates(next_dates)

    def _store_next_action_dates(self, next_dates):
        """Write the company-dependent dates in one statement.

        The ORM would write partner by partner (res.partner.write looks at each one's
        users), which costs two queries per customer on big runs.
        """
        Partner = self.env["res.partner"]
        Partner.flush_model(["dunning_next_action_date"])
        self.env.execute_query(
            SQL(
                """
                UPDATE res_partner partner
                   SET dunning_next_action_date =
                       (COALESCE(partner.dunning_next_action_date, '{}'::jsonb)
                        - %(company)s)
                       || CASE WHEN data.next_date IS NULL THEN '{}'::jsonb
                          ELSE jsonb_build_object(%(company)s, data.next_date) END
                  FROM unnest(%(partners)s::int[], %(dates)s::date[])
                       AS data(partner_id, next_date)
                 WHERE partner.id = data.partner_id
                """,
                company=str(self.company_id.id),
                partners=list(next_dates),
                dates=list(next_dates.values()),
            )
        )
        Partner.browse(list(next_dates)).invalidate_recordset(
            ["dunning_next_action_date"]
        )

    def _update_state(self):
        for run in self:
            if run.state != "computed":
                continue
            pending = self.env["account.dunning.run.line"].search_count(
                [("run_id", "=", run.id), ("state", "=", "pending")], limit=1
            )
            if not pending:
                # sudo: the engine closes the run once nothing is left to send.
                run.sudo().state = "done"

    # -------------------------------------------------------------------- cron

    @api.model
    def _cron_dunning(self, batch_size=200):
        """Compute and execute today's run of every company, a batch a call.

        The cron framework commits after each call and calls again while work remains:
        a crash loses at most the batch in progress; sent customers are never sent twice
        because their lines are done and their invoices moved in the same transaction.
        """
        # The cron acts for every company: rights and company rules are not its concern.
        self = self.sudo()  # noqa: PLW0642
        runs = self.browse()
        for company in self.env["res.company"].search([]):
            run = self.with_company(company)._scheduled_run_of_today(company)
            if run:
                runs |= run.with_env(self.env)
        groups = self.env["account.dunning.run.line"]._read_group(
            [("run_id", "in", runs.ids), ("state", "=", "pending")],
            ["run_id", "partner_id"],
            order="run_id, partner_id",
        )
        batch, remaining = groups[:batch_size], groups[batch_size:]
        partners_by_run = defaultdict(list)
        for run, partner in batch:
            partners_by_run[run].append(partner.id)
        for run, partner_ids in partners_by_run.items():
            run.with_company(run.company_id)._execute_customers(partner_ids)
        runs._update_state()
        if not remaining:
            self._cron_check_blocks()
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(remaining))
        return len(batch)

    @api.model
    def _cron_check_blocks(self):
        """Apply the blocking rules to every customer with overdue invoices or a block.

        The amount and days rules move with time alone, not only when a level is sent.
        """
        self = self.sudo()  # noqa: PLW0642 - every company, as the cron does
        Move = self.env["account.move"]
        for company in self.env["res.company"].search(
            [("dunning_policy_id", "!=", False)]
        ):
            Partner = self.env["res.partner"].with_company(company)
            overdue = Move._read_group(
                Move._dunning_open_domain(None, company)
                + [("invoice_date_due", "<", fields.Date.context_today(self))],
                ["commercial_partner_id"],
            )
            partners = Partner.browse([partner.id for (partner,) in overdue])
            partners |= Partner.search([("dunning_blocked", "=", True)])
            partners.commercial_partner_id._dunning_check_block(company)

    def _scheduled_run_of_today(self, company):
        """The scheduled run of today for the company, created and computed once."""
        today = fields.Date.context_today(self)
        run = self.search(
            [
                ("company_id", "=", company.id),
                ("date", "=", today),
                ("scheduled", "=", True),
            ],
            limit=1,
        )
        if not run:
            if not company.dunning_policy_id:
                return run
            run = self.create(
                {"company_id": company.id, "date": today, "scheduled": True}
            )
        if run.state == "draft":
            run.action_compute()
        return run if run.state == "computed" else self.browse()
