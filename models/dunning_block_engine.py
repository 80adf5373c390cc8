"""The blocking rules applied to a batch of customers, in a fixed number of queries.

The amounts and dates come from the receivable items the dunning handles (the
eligibility service); a block or an unblock is written on the commercial entity and
its contacts by one statement per batch, with the history and the chatter notes.
"""

from markupsafe import escape

from odoo import _, api, fields, models
from odoo.tools import SQL, format_amount, format_date

from . import dunning_rules
from .res_partner import BLOCK_COLUMNS


class AccountDunningBlockEngine(models.AbstractModel):
    _name = "account.dunning.block.engine"
    _description = "Dunning: Blocking"

    @api.model
    def _snapshot(self, partners, company):
        """Per customer: overdue amount, oldest overdue item, highest level reached."""
        today = fields.Date.context_today(self)
        # sudo: the engine reads the customers' items to apply the rules.
        items = (
            self.env["account.move.line"]
            .sudo()
            .search_fetch(
                self.env["account.dunning.eligibility"]._item_domain(
                    company, partners=partners, overdue_on=today
                ),
                [
                    "move_name",
                    "move_id",
                    "partner_id",
                    "date_maturity",
                    "amount_residual",
                    "amount_residual_currency",
                    "dunning_level_id",
                ],
                order="date_maturity, id",
            )
        )
        # The disputed part is not overdue for the blocks, nor a plan's invoices
        # (their instalments replace their due dates).
        items = items.filtered(
            lambda item: item.move_id.dunning_hold not in ("dispute", "plan")
        )
        disputed = self.env["account.dunning.hold.engine"]._disputed_by_item(items)
        broken = self._broken_arrangements(partners, company)
        insolvent = self._insolvent_partners(partners, today)
        snapshot = {}
        for partner_id in broken | set(insolvent):
            snapshot[partner_id] = {
                "overdue": 0.0,
                "oldest_invoice": False,
                "oldest_due": False,
                "oldest_days": 0,
                "max_delay": None,
                "broken": partner_id in broken,
                "insolvent": insolvent.get(partner_id, False),
            }
        for item in items:
            part = disputed.get(item.id, 0.0)
            if part and item.amount_residual_currency:
                part *= item.amount_residual / item.amount_residual_currency
            if (
                item.partner_id.id in snapshot
                and not snapshot[item.partner_id.id]["oldest_invoice"]
            ):
                snapshot[item.partner_id.id].update(
                    oldest_invoice=item.move_name,
                    oldest_due=item.date_maturity,
                    oldest_days=(today - item.date_maturity).days,
                )
            data = snapshot.setdefault(
                item.partner_id.id,
                {
                    "overdue": 0.0,
                    "oldest_invoice": item.move_name,
                    "oldest_due": item.date_maturity,
                    "oldest_days": (today - item.date_maturity).days,
                    "max_delay": None,
                },
            )
            data["overdue"] += item.amount_residual - part
            level = item.dunning_level_id
            if level and (data["max_delay"] is None or level.delay > data["max_delay"]):
                data["max_delay"] = level.delay
        return snapshot

    @api.model
    def _broken_arrangements(self, partners, company):
        """The customers whose broken promise or plan still has unpaid invoices."""
        broken = set()
        # sudo: the engine reads the policies and arrangements to apply the rules.
        if (
            not self.env["account.dunning.policy"]
            .sudo()
            .search_count(
                [
                    ("company_id", "=", company.id),
                    ("block_broken_arrangement", "=", True),
                ],
                limit=1,
            )
        ):
            return broken
        for model in ("account.dunning.promise", "account.dunning.plan"):
            groups = (
                self.env[model]
                .sudo()
                ._read_group(
                    [
                        ("company_id", "=", company.id),
                        ("partner_id", "in", partners.ids),
                        ("state", "=", "broken"),
                        ("move_ids.amount_residual", ">", 0),
                    ],
                    ["partner_id"],
                )
            )
            broken |= {partner.id for (partner,) in groups}
        return broken

    @api.model
    def _insolvent_partners(self, partners, on_date):
        """{customer id: opening judgment's date} of the customers in insolvency
        proceedings on ``on_date``."""
        return {
            partner.id: partner.dunning_insolvency_date
            for partner in partners.sudo()
            if partner.dunning_insolvency_date
            and partner.dunning_insolvency_date <= on_date
        }

    @api.model
    def _check_all(self, company):
        """The daily check: customers with overdue items, those blocked and those in
        insolvency proceedings."""
        Partner = self.env["res.partner"].with_company(company).sudo()
        overdue = self.env["account.dunning.eligibility"]._overdue_by_partner(company)
        blocked = Partner.search([("dunning_blocked", "=", True)])
        insolvent = Partner.search([("dunning_insolvency_date", "!=", False)])
        partners = (
            Partner.browse(list(overdue))
            | blocked.commercial_partner_id
            | insolvent.commercial_partner_id
        )
        self._check(partners, company)

    @api.model
    def _check(self, partners, company):
        """Apply the policy's blocking rules: block, or lift an automatic block."""
        partners = partners.commercial_partner_id.with_company(company).sudo()
        if not partners:
            return
        snapshot = self._snapshot(partners, company)
        empty = {"overdue": 0.0, "oldest_days": 0, "max_delay": None}
        changes = []
        for partner in partners:
            policy = partner.dunning_policy_id or company.dunning_policy_id
            if not policy:
                continue
            data = snapshot.get(partner.id, empty)
            reasons = self._reasons(partner, policy, company, data)
            if reasons and not partner.dunning_blocked:
                text = self._reason_text(reasons, policy, company, data)
                changes.append((partner, True, text, "automatic", data))
            elif (
                dunning_rules.BLOCK_INSOLVENCY in reasons
                and not partner.dunning_block_manual
                and partner.dunning_block_reason
                != self._reason_text(reasons, policy, company, data)
            ):
                # Blocked already by another rule: the proceedings are the reason.
                text = self._reason_text(reasons, policy, company, data)
                changes.append((partner, True, text, "automatic", data))
            elif reasons or not partner.dunning_blocked or partner.dunning_block_manual:
                continue
            else:
                text = _("Back under every blocking rule.")
                changes.append((partner, False, text, "automatic", data))
        self._set_blocks(changes, company)

    @api.model
    def _reasons(self, partner, policy, company, data):
        credit_limit = credit = 0.0
        if policy.block_credit_limit and company.account_use_credit_limit:
            credit_limit = partner.credit_limit
            credit = partner.credit if credit_limit else 0.0
        return dunning_rules.block_reasons(
            data["overdue"],
            data["oldest_days"],
            data["max_delay"],
            credit,
            level_delay=policy.block_level_id.delay if policy.block_level_id else None,
            max_overdue=policy.block_overdue_amount,
            max_days=policy.block_days_late,
            credit_limit=credit_limit,
            broken=policy.block_broken_arrangement and data.get("broken", False),
            insolvent=bool(data.get("insolvent")),
        )

    @api.model
    def _reason_text(self, reasons, policy, company, data=None):
        insolvent = (data or {}).get("insolvent")
        texts = {
            dunning_rules.BLOCK_LEVEL: _(
                "an invoice reached the level “%s”", policy.block_level_id.name
            ),
            dunning_rules.BLOCK_AMOUNT: _(
                "overdue amount above %s",
                format_amount(
                    self.env, policy.block_overdue_amount, company.currency_id
                ),
            ),
            dunning_rules.BLOCK_DAYS: _(
                "an invoice more than %s days late", policy.block_days_late
            ),
            dunning_rules.BLOCK_CREDIT: _("credit limit exceeded"),
            dunning_rules.BLOCK_BROKEN: _("a promise to pay or a payment plan broken"),
            dunning_rules.BLOCK_INSOLVENCY: _(
                "in insolvency proceedings since %s",
                format_date(self.env, insolvent) if insolvent else "",
            ),
        }
        return "; ".join(texts[reason] for reason in reasons)

    @api.model
    def _set_blocks(self, changes, company):
        """Record blocks and unblocks: ``changes`` = [(customer, blocked, reason,
        mode, data)]. The customers, their contacts and addresses in one statement,
        the history in one insert, the chatter notes in one batch."""
        if not changes:
            return
        Partner = self.env["res.partner"].sudo()
        customers = Partner.union(*(change[0] for change in changes))
        values = {change[0].id: self._block_values(*change[1:]) for change in changes}
        members = Partner.with_context(active_test=False).search_fetch(
            [("commercial_partner_id", "in", customers.ids)], ["commercial_partner_id"]
        )
        Partner.flush_model(BLOCK_COLUMNS)
        member_ids = members.ids
        rows = [values[member.commercial_partner_id.id] for member in members]
        assignments = SQL(", ").join(
            SQL(
                "%(column)s = CASE WHEN data.dunning_blocked"
                " THEN COALESCE(partner.%(column)s, '{}'::jsonb)"
                " || jsonb_build_object(%(company)s, to_jsonb(data.%(column)s))"
                " ELSE partner.%(column)s - %(company)s END",
                column=SQL.identifier(column),
                company=str(company.id),
            )
            for column in BLOCK_COLUMNS
        )
        self.env.execute_query(
            SQL(
                """
                UPDATE res_partner partner SET %(assignments)s
                  FROM unnest(%(ids)s::int[], %(blocked)s::bool[],
                              %(reason)s::varchar[],
                              %(manual)s::bool[], %(overdue)s::float8[],
                              %(oldest)s::varchar[], %(due)s::date[])
                       AS data(id, dunning_blocked, dunning_block_reason,
                               dunning_block_manual, dunning_block_overdue,
                               dunning_block_oldest_invoice, dunning_block_oldest_due)
                 WHERE partner.id = data.id
                """,
                assignments=assignments,
                ids=member_ids,
                blocked=[row["dunning_blocked"] for row in rows],
                reason=[row["dunning_block_reason"] or None for row in rows],
                manual=[row["dunning_block_manual"] for row in rows],
                overdue=[row["dunning_block_overdue"] for row in rows],
                oldest=[row["dunning_block_oldest_invoice"] or None for row in rows],
                due=[row["dunning_block_oldest_due"] or None for row in rows],
            )
        )
        members.invalidate_recordset(BLOCK_COLUMNS)
        # What depends on the block (the orders' flag) is recomputed by the ORM.
        members.modified(["dunning_blocked"])
        self._record_history(changes, company)

    @api.model
    def _block_values(self, blocked, reason, mode, data):
        data = data or {}
        return {
            "dunning_blocked": blocked,
            "dunning_block_reason": reason if blocked else False,
            "dunning_block_manual": blocked and mode == "manual",
            "dunning_block_overdue": data.get("overdue", 0.0) if blocked else 0.0,
            "dunning_block_oldest_invoice": data.get("oldest_invoice")
            if blocked
            else False,
            "dunning_block_oldest_due": data.get("oldest_due") if blocked else False,
        }

    @api.model
    def _record_history(self, changes, company):
        # sudo: the block history is append-only, written by the engine.
        self.env["account.dunning.block"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "action": "block" if blocked else "unblock",
                    "mode": mode,
                    "reason": reason,
                    "overdue_amount": (data or {}).get("overdue", 0.0),
                }
                for partner, blocked, reason, mode, data in changes
            ]
        )
        labels = dict(
            self.env["account.dunning.block"]
            ._fields["mode"]
            ._description_selection(self.env)
        )
        bodies = {
            partner.id: escape(
                self.env._(
                    "Blocked for unpaid invoices (%(mode)s): %(reason)s",
                    mode=labels[mode],
                    reason=reason,
                )
                if blocked
                else self.env._(
                    "Unblocked (%(mode)s): %(reason)s", mode=labels[mode], reason=reason
                )
            )
            for partner, blocked, reason, mode, _data in changes
        }
        customers = self.env["res.partner"].sudo().browse(list(bodies))
        customers._message_log_batch(bodies)
