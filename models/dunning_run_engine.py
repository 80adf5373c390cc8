"""The dunning run's engine: plan, lock, send, advance the items, next dates.

A service model, as Odoo's ``account.move.send``: the run model keeps its fields and
buttons and calls these steps; another module (disputes, promises, payment plans,
hand-offs) overrides the hook between two steps instead of copying the run.
"""

from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools import SQL

from . import dunning_rules


class AccountDunningRunEngine(models.AbstractModel):
    _name = "account.dunning.run.engine"
    _description = "Dunning: Run Engine"

    # ------------------------------------------------------------------ planning

    @api.model
    def _candidate_rows(self, run):
        """Receivable items of the company that may be due for a level, one query."""
        levels = self.env["account.dunning.level"].search_fetch(
            [("company_id", "=", run.company_id.id), ("policy_id.active", "=", True)],
            ["delay"],
        )
        # Courtesy levels reach items not yet due: look that far ahead.
        lead_days = max([-level.delay for level in levels] + [0])
        partner_model = self.env["res.partner"].with_company(run.company_id)
        self.env["account.move"].flush_model(
            ["dunning_resume_date", "dunning_escalate"]
        )
        items = self.env["account.dunning.eligibility"]._item_sql(
            "item",
            run.company_id,
            due_until=fields.Date.add(run.date, days=lead_days),
            invoiced_until=run.date,
            unheld=True,
        )
        return self.env.execute_query(
            SQL(
                """
                SELECT item.id, item.partner_id, item.move_id, item.date_maturity,
                       item.dunning_level_id, current_level.delay,
                       item.dunning_last_date, item.amount_residual_currency,
                       item.amount_residual, item.currency_id, %(policy)s,
                       move.dunning_resume_date, move.dunning_escalate
                  FROM account_move_line item
                  JOIN account_move move ON move.id = item.move_id
                  JOIN res_partner partner ON partner.id = item.partner_id
             LEFT JOIN account_dunning_level current_level
                       ON current_level.id = item.dunning_level_id
                 WHERE %(items)s
                """,
                policy=partner_model._field_to_sql("partner", "dunning_policy_id"),
                items=items,
            )
        )

    @api.model
    def _item_waits(self, company, item_ids):
        """{item id: the first date its next level may be due}, for the items whose
        next level waits for a date instead of its minimum days since the previous
        one (``datetime.date.max``: until further notice). The formal notice's
        deadline is one; override, call super and merge yours."""
        return {}

    @api.model
    def _plan(self, run):
        """Apply the level rules to the candidate items; return the proposals."""
        policies = self.env["account.dunning.policy"].search(
            [("company_id", "=", run.company_id.id)]
        )
        rules = {policy.id: policy._level_rules() for policy in policies}
        default_policy_id = run.company_id.dunning_policy_id.id
        # Promises and plans past their days are settled before the day's proposals.
        self.env["account.dunning.hold.engine"]._daily(
            run.company_id, run.date, send=False
        )
        rows = self._candidate_rows(run)
        held = self.env["account.dunning.eligibility"]._hold_reasons(
            run.company_id, {row[1] for row in rows}, run.date
        )
        due_by_partner = defaultdict(dict)
        overdue_by_partner = defaultdict(float)
        rows_by_item = {}
        for row in rows:
            item_id, partner_id, _move, date_due, _level, current_delay = row[:6]
            if partner_id in held:
                continue
            levels = rules.get(row[10] or default_policy_id)
            level = levels and dunning_rules.level_due(
                levels,
                current_delay,
                row[6],
                date_due,
                run.date,
                not_before=row[11],
                escalate=row[12],
            )
            if level:
                due_by_partner[partner_id][item_id] = level
                rows_by_item[item_id] = row
            if level or date_due < run.date:
                overdue_by_partner[partner_id] += row[8]
        proposals = []
        for partner_id, due_by_item in due_by_partner.items():
            kept = dunning_rules.apply_min_amount(
                due_by_item, overdue_by_partner[partner_id]
            )
            for item_id, level in kept.items():
                row = rows_by_item[item_id]
                proposals.append(
                    {
                        "partner_id": partner_id,
                        "move_line_id": item_id,
                        "move_id": row[2],
                        "level_id": level.id,
                        "level_delay": level.delay,
                        "previous_level_id": row[4],
                        "invoice_date_due": row[3],
                        "days_late": (run.date - row[3]).days,
                        "amount_residual": row[7],
                        "amount_residual_company": row[8],
                        "currency_id": row[9],
                    }
                )
        return proposals

    @api.model
    def _insert_proposals(self, run, proposals):
        """Insert the proposals in one statement: a run may propose 100,000 items."""
        if not proposals:
            return

        def column(name):
            return [proposal[name] for proposal in proposals]

        self.env.execute_query(
            SQL(
                """
                INSERT INTO account_dunning_run_line (
                    run_id, company_id, partner_id, move_line_id, move_id, level_id,
                    level_delay, previous_level_id, invoice_date_due, days_late,
                    amount_residual, amount_residual_company, currency_id, selected,
                    state, create_uid, create_date, write_uid, write_date)
                SELECT %(run)s, %(company)s, data.*, TRUE, 'pending',
                       %(uid)s, NOW() AT TIME ZONE 'UTC',
                       %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(partner)s::int[], %(item)s::int[], %(move)s::int[],
                              %(level)s::int[], %(delay)s::int[], %(previous)s::int[],
                              %(due)s::date[], %(late)s::int[], %(residual)s::numeric[],
                              %(residual_company)s::numeric[],
                              %(currency)s::int[]) AS data
                """,
                run=run.id,
                company=run.company_id.id,
                uid=self.env.uid,
                partner=column("partner_id"),
                item=column("move_line_id"),
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

    # ----------------------------------------------------------------- executing

    @api.model
    def _lock_partners(self, run, partner_ids):
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

    @api.model
    def _execute(self, run, partner_ids, reviewed=None):
        """Remind the given customers of a run: one communication each.

        Steps: lock the customers, set aside what is no longer due, record the
        trace, dispatch it, advance the items of the customers reached, then
        ``_after_send`` (penalties, blocks) and the next action dates.
        """
        if not partner_ids:
            return self.env["account.dunning.action"]
        # sudo: the run's proposals, which the engine moves through their states.
        Line = self.env["account.dunning.run.line"].sudo()
        busy_ids = self._lock_partners(run, partner_ids)
        lines = Line.search_fetch(
            [
                ("run_id", "=", run.id),
                ("partner_id", "in", list(partner_ids)),
                ("state", "=", "pending"),
            ],
            [
                "partner_id",
                "move_line_id",
                "move_id",
                "level_id",
                "previous_level_id",
                "selected",
            ],
        )
        busy = lines.filtered(lambda line: line.partner_id.id in busy_ids)
        busy.write(
            {
                "state": "skipped",
                "reason": _("Another dunning run was reminding this customer."),
            }
        )
        lines -= busy
        unselected = lines.filtered(lambda line: not line.selected)
        unselected.write({"state": "skipped", "reason": _("Left out by the user.")})
        lines -= unselected
        stale = lines - lines._filter_still_due(run.date)
        stale.write(
            {
                "state": "skipped",
                "reason": _("Paid, excluded or reminded since the run was computed."),
            }
        )
        lines -= stale
        stale |= self._skip_held_items(run, lines)
        lines -= stale
        held_lines, held = self._skip_held(run, lines, reviewed)
        lines -= held_lines
        still_due = set(lines.partner_id.ids)
        skipped = self._skipped_action_vals(
            run, busy, stale.filtered(lambda line: line.partner_id.id not in still_due)
        )
        skipped += self._held_action_vals(run, held_lines, held)
        self._record_actions(run, skipped, reviewed)
        return self._send(run, lines, reviewed)

    @api.model
    def _skipped_action_vals(self, run, busy_lines, stale_lines):
        """One skipped trace line per customer that this run leaves to another."""
        reasons = (
            (
                busy_lines,
                _("Skipped: another dunning run is reminding this customer right now."),
            ),
            (
                stale_lines,
                _(
                    "Skipped: the invoices were paid, excluded or already reminded "
                    "since the run was computed."
                ),
            ),
        )
        vals_list = []
        for lines, reason in reasons:
            for partner_lines in lines.grouped("partner_id").values():
                level = dunning_rules.customer_level(partner_lines.level_id)
                vals_list.append(
                    {
                        "run_id": run.id,
                        "company_id": run.company_id.id,
                        "partner_id": partner_lines.partner_id.id,
                        "level_id": level.id,
                        "channel": level._channels()[0],
                        "state": "skipped",
                        "reason": reason,
                        "date": run.date,
                        "move_ids": [fields.Command.set(partner_lines.move_id.ids)],
                        "move_line_ids": [
                            fields.Command.set(partner_lines.move_line_id.ids)
                        ],
                        "amount": sum(partner_lines.mapped("amount_residual_company")),
                    }
                )
        return vals_list

    @api.model
    def _skip_held_items(self, run, lines):
        """Set aside the items disputed, promised or planned since the compute."""
        held = lines.filtered(
            lambda line: line.move_id.dunning_hold
            or (
                line.move_id.dunning_resume_date
                and line.move_id.dunning_resume_date > run.date
            )
        )
        labels = dict(
            self.env["account.move"]
            ._fields["dunning_hold"]
            ._description_selection(self.env)
        )
        for move_lines in held.grouped("move_id").values():
            move = move_lines.move_id
            move_lines.write(
                {
                    "state": "skipped",
                    "reason": _(
                        "On hold since the run was computed: %s",
                        labels.get(move.dunning_hold) or _("dispute resolved lately"),
                    ),
                }
            )
        return held

    @api.model
    def _skip_held(self, run, lines, reviewed=None):
        """Set aside the lines of customers put on hold since the run was computed."""
        held = self.env["account.dunning.eligibility"]._hold_reasons(
            run.company_id, set(lines.partner_id.ids), run.date, reviewed=reviewed
        )
        held_lines = lines.filtered(lambda line: line.partner_id.id in held)
        for partner_lines in held_lines.grouped("partner_id").values():
            partner_lines.write(
                {"state": "skipped", "reason": held[partner_lines.partner_id.id]}
            )
        return held_lines, held

    @api.model
    def _held_action_vals(self, run, held_lines, held):
        """One skipped trace line per customer on hold, with the hold's reason."""
        vals_list = self._skipped_action_vals(run, held_lines, held_lines.browse())
        for vals in vals_list:
            vals["reason"] = _("Skipped, on hold: %s", held[vals["partner_id"]])
        return vals_list

    @api.model
    def _record_actions(self, run, vals_list, reviewed=None):
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
            action.write(
                {
                    "state": "skipped",
                    "reason": outcome[partner_id].get("reason")
                    or _("This channel was taken off the level before the review."),
                    "reviewed_by_id": self.env.uid,
                }
            )
        return recorded
