# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fast mode's disputes, promises to pay and payment plans: set-based SQL.

``DUNNING_GEN_HOLDS`` (a share of the invoices generated, default 0: none) puts that
share of the run's invoices on hold, among its open and overdue ones, drawn with
the run's seed: 40 % disputed (every other one for a part of its amount due), 40 %
under an open promise to pay (one promise per customer and currency, due in 1 to
30 days), 20 % in an active payment plan (one per customer and currency, three
monthly instalments from 5 to 24 days ahead, nothing paid yet). The rows are what
the models would have written (states, relation tables, instalments, the amounts
due when promised or planned, the deadlines and grace days of the company's
policy, the last reconciliation when promised); the invoices' hold columns are
then written by the engine itself (``account.dunning.hold.engine._sync_moves``).
Left out, as they matter to no run: the chatter notes, the owners' activities and
the trace lines of the openings.
"""

import json
import time

from odoo.tools import SQL

from .fast_sql import NOW

SHARES = (("dispute", 0.4), ("promise", 0.4), ("plan", 0.2))
REASONS = ("quality", "delivery", "price", "quantity", "missing_document", "other")
PLAN_INSTALMENTS = 3


def fast_holds(gen, first_move_id, n_invoices):
    """Put ``gen.settings.holds`` of the ``n_invoices`` invoices with an id above
    ``first_move_id`` on hold; returns {kind: invoices}."""
    share = gen.settings.holds
    if share <= 0 or not n_invoices:
        return {}
    started = time.time()
    cr, company = gen.cr, gen.company
    policy = company.dunning_policy_id
    cr.execute(
        """
        CREATE TEMP TABLE gen_hold_pick ON COMMIT DROP AS
        SELECT move.id AS move_id, move.commercial_partner_id AS partner_id,
               move.currency_id, move.amount_residual AS residual,
               COALESCE(move.invoice_user_id, %(uid)s) AS user_id,
               row_number() OVER (ORDER BY md5(move.id::text || %(seed)s)) AS rank,
               NULL::varchar AS kind
          FROM account_move move
         WHERE move.id > %(first)s AND move.company_id = %(company)s
           AND move.move_type = 'out_invoice' AND move.state = 'posted'
           AND move.amount_residual > 0 AND move.invoice_date_due < %(today)s
           AND move.dunning_hold IS NULL AND NOT COALESCE(move.dunning_disputed, FALSE)
        """,
        {
            "uid": gen.env.uid,
            "seed": str(gen.settings.seed),
            "first": first_move_id,
            "company": company.id,
            "today": gen.today,
        },
    )
    upper = 0
    for kind, part in SHARES:
        lower, upper = upper, upper + round(n_invoices * share * part)
        cr.execute(
            "UPDATE gen_hold_pick SET kind = %s WHERE rank > %s AND rank <= %s",
            (kind, lower, upper),
        )
    params = {
        "company": company.id,
        "uid": gen.env.uid,
        "today": gen.today,
        "now": SQL(NOW),
    }
    _insert_disputes(gen, policy, params)
    _insert_promises(gen, policy, params)
    _insert_plans(gen, policy, params)
    cr.execute("SELECT kind, array_agg(move_id) FROM gen_hold_pick GROUP BY kind")
    moves = {kind: ids for kind, ids in cr.fetchall() if kind}
    Move = gen.env["account.move"]
    gen.env.invalidate_all(flush=False)
    gen.env["account.dunning.hold.engine"]._sync_moves(
        Move.browse(sorted(id_ for ids in moves.values() for id_ in ids))
    )
    for table in (
        "account_dunning_dispute",
        "account_dunning_promise",
        "account_dunning_promise_move_rel",
        "account_dunning_plan",
        "account_dunning_plan_move_rel",
        "account_dunning_plan_line",
    ):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    gen.log(
        "fast: on hold: %s (%.1fs)"
        % (
            ", ".join(
                "%d invoices %s" % (len(ids), kind) for kind, ids in moves.items()
            ),
            time.time() - started,
        )
    )
    return moves


def _execute(gen, query, params):
    gen.cr.execute(SQL(query, **params))
    return gen.cr.rowcount


def _insert_disputes(gen, policy, params):
    """Open disputes opened 0 to 9 days ago, their deadline from the policy."""
    days = {reason: policy._dispute_days(reason) for reason in REASONS}
    _execute(
        gen,
        """
        INSERT INTO account_dunning_dispute (
            move_id, partner_id, company_id, reason, amount, user_id, date, deadline,
            description, state, state_sequence, resolution_days, deadline_notified,
            create_uid, create_date, write_uid, write_date)
        SELECT pick.move_id, pick.partner_id, %(company)s, reason.name,
               CASE WHEN mod(pick.rank, 2) = 0 OR pick.residual < 1 THEN pick.residual
                    ELSE round(pick.residual * 0.4, 2) END,
               pick.user_id, %(today)s::date - mod(pick.rank, 10)::int,
               %(today)s::date - mod(pick.rank, 10)::int
                   + (%(days)s::jsonb ->> reason.name)::int,
               'Contestation générée pour le banc d''essai.', 'open', 0, 0, FALSE,
               %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM gen_hold_pick pick
          JOIN LATERAL (
               SELECT (%(reasons)s::varchar[])[1 + mod(pick.rank, %(n)s)] AS name
               ) reason ON TRUE
         WHERE pick.kind = 'dispute'
        """,
        dict(params, days=json.dumps(days), reasons=list(REASONS), n=len(REASONS)),
    )


def _insert_promises(gen, policy, params):
    """One open promise per customer and currency, for the whole amount due."""
    _execute(
        gen,
        """
        WITH grouped AS (
            SELECT partner_id, currency_id, MIN(user_id) AS user_id,
                   SUM(residual) AS amount, MIN(rank) AS rank
              FROM gen_hold_pick WHERE kind = 'promise'
          GROUP BY partner_id, currency_id
        ), promise AS (
            INSERT INTO account_dunning_promise (
                partner_id, company_id, currency_id, amount, date, grace_until, source,
                user_id, state, paid_amount, residual_start, reconcile_mark,
                create_uid, create_date, write_uid, write_date)
            SELECT partner_id, %(company)s, currency_id, amount,
                   %(today)s::date + 1 + mod(rank, 30)::int,
                   %(today)s::date + 1 + mod(rank, 30)::int + %(grace)s,
                   (ARRAY['phone', 'email', 'phone', 'letter'])[1 + mod(rank, 4)],
                   user_id, 'open', 0, amount, %(mark)s,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM grouped
         RETURNING id, partner_id, currency_id
        )
        INSERT INTO account_dunning_promise_move_rel (promise_id, move_id)
        SELECT promise.id, pick.move_id
          FROM promise
          JOIN gen_hold_pick pick ON pick.kind = 'promise'
               AND pick.partner_id = promise.partner_id
               AND pick.currency_id = promise.currency_id
        """,
        dict(
            params,
            grace=policy.promise_grace_days,
            # the payments reconciled after it count for the promise
            mark=gen.env["account.dunning.penalty.engine"]._reconcile_mark(),
        ),
    )


def _insert_plans(gen, policy, params):
    """One active plan per customer and currency: three monthly instalments of the
    amount due (the last one takes the rounding), the first 5 to 24 days ahead."""
    cr = gen.cr
    cr.execute(
        SQL(
            """
            WITH grouped AS (
                SELECT partner_id, currency_id, MIN(user_id) AS user_id,
                       SUM(residual) AS amount, MIN(rank) AS rank
                  FROM gen_hold_pick WHERE kind = 'plan'
              GROUP BY partner_id, currency_id
            ), plan AS (
                INSERT INTO account_dunning_plan (
                    name, partner_id, company_id, currency_id, include_penalties,
                    amount_total, state, tolerance_days, user_id,
                    create_uid, create_date, write_uid, write_date)
                SELECT 'New', partner_id, %(company)s, currency_id, FALSE, amount,
                       'active', %(tolerance)s, user_id,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM grouped
             RETURNING id, partner_id, currency_id, amount_total
            ), rel AS (
                INSERT INTO account_dunning_plan_move_rel (plan_id, move_id)
                SELECT plan.id, pick.move_id
                  FROM plan
                  JOIN gen_hold_pick pick ON pick.kind = 'plan'
                       AND pick.partner_id = plan.partner_id
                       AND pick.currency_id = plan.currency_id
            )
            INSERT INTO account_dunning_plan_line (
                plan_id, company_id, partner_id, date, amount, paid_amount, state,
                create_uid, create_date, write_uid, write_date)
            SELECT plan.id, %(company)s, plan.partner_id,
                   (%(today)s::date + 5 + mod(plan.id, 20)::int
                       + rank.n * interval '1 month')::date,
                   CASE WHEN rank.n < %(count)s - 1
                        THEN floor(plan.amount_total * 100 / %(count)s) / 100
                        ELSE plan.amount_total - (%(count)s - 1)
                             * floor(plan.amount_total * 100 / %(count)s) / 100
                   END,
                   0, 'open', %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM plan CROSS JOIN generate_series(0, %(count)s - 1) AS rank(n)
         RETURNING plan_id
            """,
            tolerance=policy.plan_tolerance_days,
            count=PLAN_INSTALMENTS,
            **params,
        )
    )
    plan_ids = sorted({row[0] for row in cr.fetchall()})
    # The references from the plans' sequence, as the model numbers them.
    Sequence = gen.env["ir.sequence"].sudo()
    names = [Sequence.next_by_code("account.dunning.plan") for _id in plan_ids]
    cr.execute(
        "UPDATE account_dunning_plan plan SET name = data.name"
        " FROM unnest(%s::int[], %s::varchar[]) AS data(id, name)"
        " WHERE plan.id = data.id",
        (plan_ids, names),
    )
