"""The run engine's sending steps: the trace, the channels, the items moved."""

from collections import defaultdict
from datetime import date

from odoo import _, api, fields, models
from odoo.tools import SQL

from . import dunning_rules


class AccountDunningRunEngine(models.AbstractModel):
    _inherit = "account.dunning.run.engine"

    @api.model
    def _send(self, run, lines, reviewed=None):
        """Create the trace and the communications for the lines still due."""
        Action = self.env["account.dunning.action"].sudo()
        if not lines:
            return Action
        reviewed_ids = set(reviewed.partner_id.ids) if reviewed else set()
        listed = self._listed_items(run, lines)
        disputed = self.env["account.dunning.hold.engine"]._disputed_by_item(
            lines.move_line_id.union(*listed.values())
        )
        recipients = lines.partner_id._dunning_recipients()
        vals_list, review_lines, send_lines = [], lines.browse(), lines.browse()
        for partner, partner_lines in lines.grouped("partner_id").items():
            level = dunning_rules.customer_level(partner_lines.level_id)
            is_reviewed = partner.id in reviewed_ids
            to_review = level.manual_review and not is_reviewed
            if to_review:
                review_lines |= partner_lines
            else:
                send_lines |= partner_lines
            items = listed[partner.id] | partner_lines.move_line_id
            common = {
                "run_id": run.id,
                "company_id": run.company_id.id,
                "partner_id": partner.id,
                "recipient_id": recipients[partner.id].id,
                "level_id": level.id,
                "date": run.date,
                "move_ids": [fields.Command.set(items.move_id.ids)],
                "move_line_ids": [fields.Command.set(items.ids)],
                "advanced_move_ids": [fields.Command.set(partner_lines.move_id.ids)],
                "advanced_move_line_ids": [
                    fields.Command.set(partner_lines.move_line_id.ids)
                ],
                "amount": self._claimed_amount(items, disputed),
                "reviewed_by_id": is_reviewed and self.env.uid,
            }
            vals_list += self._channel_action_vals(
                level, recipients[partner.id], partner, common, to_review
            )
        actions = self._record_actions(run, vals_list, reviewed)
        review_lines.write({"state": "to_review"})
        to_send = actions.filtered(lambda action: action.state == "sent")
        self.env["account.dunning.dispatch"]._dispatch(to_send)
        delivered = to_send.filtered(lambda action: action.state == "sent")
        reached = set(delivered.partner_id.ids)
        moved = send_lines.filtered(lambda line: line.partner_id.id in reached)
        self._advance_items(run, moved)
        (send_lines - moved).write(
            {"state": "skipped", "reason": _("No channel could reach the customer.")}
        )
        moved.write({"state": "done"})
        self._after_send(run, delivered)
        self._update_next_action_dates(run, delivered.partner_id)
        # Waiting for a person is today's action to take.
        if review_lines:
            self._store_next_action_dates(
                run, dict.fromkeys(review_lines.partner_id.ids, run.date)
            )
        return actions

    @api.model
    def _channel_action_vals(self, level, recipient, partner, common, to_review):
        """The trace lines of one customer: a line per channel of its level.

        A channel that cannot reach the customer (no email address...) is traced as
        failed, and the level's fallback channel, when it can, is used instead.
        """
        dispatch = self.env["account.dunning.dispatch"]
        channels = level._channels()
        if to_review:
            return [
                {**common, "channel": channel, "state": "to_review"}
                for channel in channels
            ]
        vals_list, fallback_reason = [], None
        for channel in channels:
            reason = dispatch._failure_reason(channel, recipient, partner, level)
            vals_list.append(
                {
                    **common,
                    "channel": channel,
                    "state": "failed" if reason else "sent",
                    "reason": reason or False,
                }
            )
            fallback_reason = fallback_reason or reason
        fallback = level.fallback_channel
        if fallback_reason and fallback and fallback not in channels:
            reason = dispatch._failure_reason(fallback, recipient, partner, level)
            vals_list.append(
                {
                    **common,
                    "channel": fallback,
                    "state": "failed" if reason else "sent",
                    "is_fallback": True,
                    "reason": reason or _("Fallback channel: %s", fallback_reason),
                }
            )
        return vals_list

    @api.model
    def _after_send(self, run, delivered):
        """Hook after the customers were reached: penalties at level, blocks."""
        self.env["account.dunning.penalty.engine"]._bill_at_level(delivered, run.date)
        self.env["account.dunning.block.engine"]._check(
            delivered.partner_id, run.company_id
        )

    @api.model
    def _claimed_amount(self, items, disputed):
        """What a reminder claims, in company currency: the disputed parts left out
        (``disputed``: ``_disputed_by_item`` of the batch)."""
        total = 0.0
        for item in items:
            part = disputed.get(item.id, 0.0)
            if part and item.amount_residual_currency:
                part *= item.amount_residual / item.amount_residual_currency
            total += item.amount_residual - part
        return item.company_id.currency_id.round(total) if items else 0.0

    @api.model
    def _listed_items(self, run, lines):
        """All open overdue items of the customers: each communication lists them."""
        items = (
            self.env["account.move.line"]
            .sudo()
            .search_fetch(
                self.env["account.dunning.eligibility"]._item_domain(
                    run.company_id,
                    partners=lines.partner_id,
                    overdue_on=run.date,
                    unheld=True,
                ),
                ["partner_id", "move_id", "amount_residual"],
            )
        )
        by_partner = defaultdict(lambda: self.env["account.move.line"].sudo())
        for item in items:
            by_partner[item.partner_id.id] |= item
        return by_partner

    @api.model
    def _advance_items(self, run, lines):
        """Record the level each item reached, and its invoice's, in two statements."""
        if not lines:
            return
        Item, Move = self.env["account.move.line"], self.env["account.move"]
        fnames = ["dunning_level_id", "dunning_last_date"]
        Item.flush_model(fnames)
        Move.flush_model(fnames)
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move_line item
                   SET dunning_level_id = data.level_id, dunning_last_date = %(date)s
                  FROM unnest(%(items)s::int[], %(levels)s::int[])
                       AS data(item_id, level_id)
                 WHERE item.id = data.item_id
                """,
                date=run.date,
                items=[line.move_line_id.id for line in lines],
                levels=[line.level_id.id for line in lines],
            )
        )
        self._sync_moves(lines.move_id.ids)
        # A broken promise or plan escalated once: the next levels wait again.
        Move.flush_model(["dunning_escalate", "dunning_resume_date"])
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move SET dunning_escalate = NULL
                 WHERE id = ANY(%s) AND dunning_escalate
                """,
                lines.move_id.ids,
            )
        )
        lines.move_line_id.invalidate_recordset(fnames)
        lines.move_id.invalidate_recordset([*fnames, "dunning_escalate"])

    @api.model
    def _sync_moves(self, move_ids):
        """An invoice's level and date: the highest and latest of its items."""
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move move
                   SET dunning_level_id = state.level_id,
                       dunning_last_date = state.last_date
                  FROM (SELECT item.move_id,
                               (array_agg(item.dunning_level_id
                                          ORDER BY level.delay DESC, level.id DESC)
                               )[1] AS level_id,
                               MAX(item.dunning_last_date) AS last_date
                          FROM account_move_line item
                          JOIN account_dunning_level level
                               ON level.id = item.dunning_level_id
                         WHERE item.move_id = ANY(%s)
                      GROUP BY item.move_id) state
                 WHERE move.id = state.move_id
                """,
                list(move_ids),
            )
        )

    @api.model
    def _update_next_action_dates(self, run, partners):
        """Set each customer's next action date from its open items."""
        self._refresh_next_action_dates(run.company_id, partners, run.date)

    @api.model
    def _refresh_next_action_dates(self, company, partners, after_date):
        """Each customer's next action date after ``after_date``, with its holds."""
        if not partners:
            return
        next_dates = self._next_action_dates(company, partners, after_date)
        next_dates = self.env["account.dunning.hold.engine"]._held_next_dates(
            company, partners, after_date, next_dates
        )
        self._store_company_next_action_dates(company, next_dates)

    @api.model
    def _next_action_dates(self, company, partners, after_date):
        """{customer id: the first day an item not on hold is due for a level}."""
        items = (
            self.env["account.move.line"]
            .sudo()
            .search_fetch(
                self.env["account.dunning.eligibility"]._item_domain(
                    company, partners=partners, unheld=True
                ),
                [
                    "partner_id",
                    "move_id",
                    "date_maturity",
                    "dunning_level_id",
                    "dunning_last_date",
                ],
            )
        )
        policy_by_partner = {
            partner.id: partner.dunning_policy_id.id
            for partner in partners.with_company(company)
        }
        rules = {}
        next_dates = dict.fromkeys(partners.ids)
        waits = self._item_waits(company, items.ids)
        for item in items:
            partner_id = item.partner_id.id
            last_date = item.dunning_last_date
            not_before = item.move_id.dunning_resume_date
            if item.id in waits:
                # The next level waits for that date instead of its minimum days.
                last_date = None
                not_before = max(not_before or waits[item.id], waits[item.id])
                if not_before == date.max:
                    continue
            policy_id = (
                policy_by_partner.get(partner_id) or company.dunning_policy_id.id
            )
            if policy_id not in rules:
                policy = self.env["account.dunning.policy"].browse(policy_id)
                rules[policy_id] = policy._level_rules()
            next_date = dunning_rules.next_action_date(
                rules[policy_id],
                item.dunning_level_id.delay if item.dunning_level_id else None,
                last_date,
                item.date_maturity,
                after_date,
                not_before=not_before,
                escalate=item.move_id.dunning_escalate,
            )
            if next_date and (
                not next_dates[partner_id] or next_date < next_dates[partner_id]
            ):
                next_dates[partner_id] = next_date
        return next_dates

    @api.model
    def _store_next_action_dates(self, run, next_dates):
        self._store_company_next_action_dates(run.company_id, next_dates)

    @api.model
    def _store_company_next_action_dates(self, company, next_dates):
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
                company=str(company.id),
                partners=list(next_dates),
                dates=list(next_dates.values()),
            )
        )
        Partner.browse(list(next_dates)).invalidate_recordset(
            ["dunning_next_action_date"]
        )
