# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The formal notices' engine: made at execution, expired by the day, waited for.

A service model, as the other engines: the run's execution creates a notice for each
customer reached at a ``formal_notice`` level (``_create_notices``), the daily step
expires those whose deadline passed with invoices still due (``_expire_due``), and
the run asks ``_waits`` which items wait for a notice's deadline before their next
level.
"""

from odoo import Command, api, models
from odoo.tools import SQL

from . import notice_rules

PAID_STATES = ("paid", "in_payment", "reversed")


class AccountDunningNoticeEngine(models.AbstractModel):
    _name = "account.dunning.notice.engine"
    _description = "Dunning: Formal Notices"

    @api.model
    def _create_notices(self, run, delivered):
        """One notice per customer reached at a formal-notice level, in one batch.

        ``delivered``: the trace lines sent. The notice points at the letter's line
        when the level sends a letter (the registered letter is the proof), else at
        the first line sent; it lists the invoices of that reminder.
        """
        notices = delivered.filtered(
            lambda action: action.level_id.level_type == "formal_notice"
        )
        # One read of the invoices listed, for the batch.
        notices.fetch(["partner_id", "channel", "company_id", "date", "move_ids"])
        vals_list = []
        for partner, actions in notices.grouped("partner_id").items():
            action = (
                actions.filtered(lambda act: act.channel == "letter")[:1]
                or (actions[:1])
            )
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": action.company_id.id,
                    "move_ids": [Command.set(action.move_ids.ids)],
                    "action_id": action.id,
                    "level_id": action.level_id.id,
                    "notice_days": action.level_id.notice_days or 8,
                    "date": action.date,
                }
            )
        # sudo: the engine records what the execution sent; no tracking message per
        # notice (a batch of customers), the trace line is the record of the send.
        return (
            self.env["account.dunning.notice"]
            .sudo()
            .with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                mail_notrack=True,
            )
            .create(vals_list)
        )

    @api.model
    def _update_expiry(self, notices, today):
        """Expire the notices whose deadline passed (before ``today``) with invoices
        still due; give back their state to those whose deadline moved since.
        Safe to run again: a notice expired stays so, with the day it was found."""
        notices = notices.sudo()
        expire = notices.browse()
        revive = notices.browse()
        for notice in notices:
            open_moves = notice.move_ids.filtered(
                lambda move: move.payment_state not in PAID_STATES
            )
            expired = notice_rules.is_expired(notice.deadline, today, open_moves)
            if expired and not notice.date_expired:
                expire |= notice
            elif (
                notice.date_expired
                and not expired
                and (not notice.deadline or notice.deadline >= today)
            ):
                revive |= notice
        # sudo: the expiry is the engine's, after the facts were read.
        expire.write({"date_expired": today})
        revive.write({"date_expired": False})
        return expire

    @api.model
    def _expire_due(self, company, today):
        """The daily step: the company's notices past their deadline."""
        # sudo: the engine looks at every notice of the company.
        notices = (
            self.env["account.dunning.notice"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("sent", "received", "returned")),
                    ("deadline", "<", today),
                ]
            )
        )
        expired = self._update_expiry(notices, today)
        if expired:
            self.env["account.dunning.hold.engine"]._refresh_next_dates(expired)
        return expired

    @api.model
    def _waits(self, company, item_ids):
        """{item id: first date its next level may be due} of the items listed in a
        formal notice and not reminded since: the day after the notice's deadline,
        ``date.max`` while it is not known (the letter not presented yet). A letter
        returned without ever being presented (wrong address) holds nothing. The
        latest notice of an item decides; one query for the batch."""
        if not item_ids:
            return {}
        self.env["account.dunning.notice"].flush_model(
            ["company_id", "move_ids", "deadline", "returned", "date"]
        )
        self.env["account.move.line"].flush_model(["dunning_last_date", "move_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (item.id) item.id, notice.deadline
                  FROM account_move_line item
                  JOIN account_dunning_notice_move_rel rel
                       ON rel.move_id = item.move_id
                  JOIN account_dunning_notice notice ON notice.id = rel.notice_id
                 WHERE item.id = ANY(%(items)s)
                   AND notice.company_id = %(company)s
                   AND (item.dunning_last_date IS NULL
                        OR item.dunning_last_date <= notice.date)
                   AND NOT (notice.returned IS NOT NULL AND notice.deadline IS NULL)
              ORDER BY item.id, notice.date DESC, notice.id DESC
                """,
                items=list(item_ids),
                company=company.id,
            )
        )
        return {
            item_id: notice_rules.wait_until(deadline) for item_id, deadline in rows
        }
