# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0 -> 18.0.2.0.0: the receivable items become the unit of dunning.

Set-based SQL only, each step idempotent (it fills what is still empty), so that a
failed upgrade can be run again. The invoices' own ``dunning_level_id`` and
``dunning_last_date`` columns are kept as they are: they are stored computed fields
now, and their columns already existed, so the ORM does not recompute them at the
upgrade; the items get the same values, which is what the compute gives from them.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger("odoo.addons.account_dunning.migrations.18.0.2.0.0")

RECEIVABLE = "asset_receivable"


def _execute(cr, query):
    cr.execute(query)
    return cr.rowcount


def _items_from_invoices(cr):
    """Each receivable item of a reminded customer invoice gets the invoice's level.

    The 1.x engine reminded an invoice once its last instalment was due: every
    instalment of such an invoice had reached the invoice's level, on its date.
    """
    return _execute(
        cr,
        SQL(
            """
            UPDATE account_move_line item
               SET dunning_level_id = move.dunning_level_id,
                   dunning_last_date = COALESCE(item.dunning_last_date,
                                                move.dunning_last_date)
              FROM account_move move, account_account account
             WHERE item.move_id = move.id
               AND move.move_type = 'out_invoice'
               AND move.dunning_level_id IS NOT NULL
               AND account.id = item.account_id
               AND account.account_type = %s
               AND item.dunning_level_id IS NULL
            """,
            RECEIVABLE,
        ),
    )


def _run_line_items(cr):
    """A proposal of 1.x moved a whole invoice: its item is the last one due."""
    return _execute(
        cr,
        SQL(
            """
            UPDATE account_dunning_run_line line
               SET move_line_id = last_item.id
              FROM (SELECT DISTINCT ON (item.move_id) item.move_id, item.id
                      FROM account_move_line item
                      JOIN account_account account ON account.id = item.account_id
                     WHERE account.account_type = %s
                       AND item.move_id IN (SELECT move_id
                                              FROM account_dunning_run_line
                                             WHERE move_line_id IS NULL)
                  ORDER BY item.move_id, item.date_maturity DESC NULLS LAST,
                           item.id DESC) last_item
             WHERE line.move_id = last_item.move_id
               AND line.move_line_id IS NULL
            """,
            RECEIVABLE,
        ),
    )


def _action_items(cr, move_table, item_table):
    """The trace lists the receivable items of the invoices it listed."""
    return _execute(
        cr,
        SQL(
            """
            INSERT INTO %s (action_id, move_line_id)
            SELECT rel.action_id, item.id
              FROM %s rel
              JOIN account_move_line item ON item.move_id = rel.move_id
              JOIN account_account account ON account.id = item.account_id
             WHERE account.account_type = %s
            ON CONFLICT DO NOTHING
            """,
            SQL.identifier(item_table),
            SQL.identifier(move_table),
            RECEIVABLE,
        ),
    )


def _fallback_letters(cr):
    """Email levels without a letter fall back to a letter, as new installs do.

    The levels of the shipped policy cannot be told from the users' own (no xml id,
    and users may have renamed them): every such level gets it. Returns the ids.
    """
    cr.execute(
        SQL(
            """
            UPDATE account_dunning_level
               SET fallback_channel = 'letter'
             WHERE channel_email IS TRUE
               AND channel_letter IS NOT TRUE
               AND fallback_channel IS NULL
         RETURNING id
            """
        )
    )
    return sorted(row[0] for row in cr.fetchall())


def _moves_not_matching_items(cr):
    """Invoices whose stored level/date differ from what their items give.

    The same rule as ``account.move._compute_dunning_state``: the highest level by
    delay (then id), the latest date. Read only: such invoices keep their values
    (invoices that are not customer invoices, or without a receivable item).
    """
    cr.execute(
        SQL(
            """
            SELECT move.id
              FROM account_move move
         LEFT JOIN LATERAL (
                   SELECT (array_agg(item.dunning_level_id
                                     ORDER BY level.delay DESC, level.id DESC))[1]
                              AS level_id,
                          MAX(item.dunning_last_date) AS last_date
                     FROM account_move_line item
                     JOIN account_dunning_level level
                          ON level.id = item.dunning_level_id
                    WHERE item.move_id = move.id) items ON TRUE
             WHERE (move.dunning_level_id IS NOT NULL
                    OR move.dunning_last_date IS NOT NULL)
               AND (items.level_id IS DISTINCT FROM move.dunning_level_id
                    OR items.last_date IS DISTINCT FROM move.dunning_last_date)
          ORDER BY move.id
            """
        )
    )
    return [row[0] for row in cr.fetchall()]


def migrate(cr, version):
    if not version:
        return
    count = _items_from_invoices(cr)
    _logger.info(
        "%s receivable items of reminded customer invoices took their invoice's "
        "dunning level and last reminder date",
        count,
    )
    count = _run_line_items(cr)
    _logger.info(
        "%s dunning run proposals linked to their invoice's last receivable item",
        count,
    )
    count = _action_items(
        cr, "account_dunning_action_move_rel", "account_dunning_action_move_line_rel"
    )
    _logger.info("%s receivable items added to the invoices listed by the trace", count)
    count = _action_items(
        cr,
        "account_dunning_action_advanced_move_rel",
        "account_dunning_action_advanced_move_line_rel",
    )
    _logger.info(
        "%s receivable items added to the invoices moved to a level by the trace",
        count,
    )
    level_ids = _fallback_letters(cr)
    _logger.info(
        "%s dunning levels that send an email and no letter now fall back to a "
        "letter when the customer has no email address; this applies to every such "
        "level, the shipped policy's and the users' own alike (they cannot be told "
        "apart); clear the level's Fallback Channel to undo it. Level ids: %s",
        len(level_ids),
        level_ids,
    )
    move_ids = _moves_not_matching_items(cr)
    if move_ids:
        _logger.warning(
            "%s invoices keep a dunning level or date that their receivable items do "
            "not give (not customer invoices, or without a receivable item); they keep "
            "them until one of their items changes. Ids (first 50): %s",
            len(move_ids),
            move_ids[:50],
        )
    else:
        _logger.info(
            "every reminded invoice's dunning level and date match its receivable items"
        )
