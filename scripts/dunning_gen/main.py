# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The generator's run: setup, customers, plan, invoices, checks, summary."""

import os
import time

from odoo.tools import SQL

from . import company
from .checks_orm import orm_checks
from .checks_sql import sql_checks
from .context import Gen, Settings
from .customers import create_customers
from .fast_copy import fast_create
from .fast_holds import fast_holds
from .orm_mode import orm_create
from .plan import make_plan

# progress (percent) at the start of each step, per mode
SPANS = {
    "demo": {"setup": 0, "customers": 8, "invoices": 10, "checks": 95},
    "fast": {"setup": 0, "customers": 3, "invoices": 20, "checks": 90},
}
ANALYZED = (
    "account_move",
    "account_move_line",
    "account_partial_reconcile",
    "account_full_reconcile",
    "account_payment",
    "account_move__account_payment",
    "account_move_line_account_tax_rel",
    "res_partner",
)


def run(env):
    """Generate, commit, check and print the GENERATE summary line."""
    gen = Gen(env, Settings(os.environ))
    spans = SPANS[gen.settings.mode]
    gen.progress.span(spans["setup"], spans["customers"])
    company.setup(gen)
    gen.progress.span(spans["customers"], spans["invoices"])
    customers = create_customers(gen)
    entries = make_plan(gen, customers)
    gen.progress.span(spans["invoices"], spans["checks"])
    started = time.time()
    if gen.fast:
        gen.cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move")
        first_move_id = gen.cr.fetchone()[0]
        fast_create(gen, entries)
        gen.log(
            "fast: %d invoices replicated (%.1fs)"
            % (len(entries), time.time() - started)
        )
        fast_holds(gen, first_move_id, len(entries))
    else:
        orm_create(gen, entries)
        gen.log(
            "demo: %d invoices created through the ORM (%.1fs)"
            % (len(entries), time.time() - started)
        )
    gen.env.flush_all()
    gen.cr.commit()
    gen_seconds = time.time() - gen.t_start
    for table in ANALYZED:
        gen.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    gen.cr.commit()
    gen.log("committed and analyzed (generation %.1fs)" % gen_seconds)
    gen.progress.span(spans["checks"], 100)
    failures = run_checks(gen)
    print_summary(gen, len(customers), failures, gen_seconds)
    gen.progress.span(100, 100)
    if gen.settings.strict and failures:
        raise SystemExit("generate_data: %d consistency check failures" % failures)


def run_checks(gen):
    """SQL invariants and the ORM recomputation; returns the number of failures."""
    started = time.time()
    checks = sql_checks(gen.cr)
    n_moves, n_lines, n_partners, orm_errors = orm_checks(gen, gen.settings.check)
    gen.cr.rollback()  # discard whatever the recomputations wrote
    gen.env.invalidate_all(flush=False)
    gen.log("SQL checks: %s" % ", ".join("%s=%s" % kv for kv in checks.items()))
    gen.log(
        "ORM recompute check on %d moves / %d lines / %d partners: %d mismatches"
        % (n_moves, n_lines, n_partners, len(orm_errors))
    )
    for error in orm_errors[:20]:
        gen.log("  MISMATCH %s" % error)
    gen.log("checks took %.1fs" % (time.time() - started))
    return sum(checks.values()) + len(orm_errors)


SUMMARY_QUERY = """
    SELECT COUNT(*) FILTER (WHERE move_type = 'out_invoice'),
           COUNT(*) FILTER (WHERE move_type = 'out_invoice' AND amount_residual > 0),
           COUNT(*) FILTER (WHERE move_type = 'out_invoice' AND amount_residual > 0
                              AND invoice_date_due < %(today)s),
           COUNT(*) FILTER (WHERE move_type = 'out_invoice' AND amount_residual > 0
                              AND invoice_date_due >= %(today)s),
           COUNT(*) FILTER (WHERE move_type = 'out_invoice'
                              AND payment_state = 'partial'),
           COUNT(*) FILTER (WHERE move_type = 'out_refund'),
           COUNT(*) FILTER (WHERE move_type = 'out_invoice' AND currency_id = %(usd)s),
           COALESCE(SUM(amount_residual_signed)
                    FILTER (WHERE move_type IN ('out_invoice', 'out_refund')), 0),
           MAX(%(today)s - invoice_date_due)
               FILTER (WHERE move_type = 'out_invoice' AND amount_residual > 0),
           MIN(invoice_date) FILTER (WHERE move_type = 'out_invoice'),
           COUNT(*) FILTER (WHERE move_type = 'out_invoice' AND EXISTS (
                 SELECT 1 FROM account_move_line l WHERE l.move_id = account_move.id
                    AND l.display_type = 'payment_term' HAVING COUNT(*) > 1))
      FROM account_move WHERE state = 'posted' AND company_id = %(company)s
"""


def print_summary(gen, n_customers, failures, gen_seconds):
    """The one GENERATE line callers parse (scripts/bench.py, bench.sh, demo.sh)."""
    cr = gen.cr
    cr.execute(
        SUMMARY_QUERY,
        {
            "today": gen.today,
            "usd": gen.currencies["USD"].id,
            "company": gen.company.id,
        },
    )
    row = cr.fetchone()
    cr.execute(
        "SELECT COUNT(*) FROM account_payment WHERE company_id = %s", (gen.company.id,)
    )
    n_payments = cr.fetchone()[0]
    cr.execute(
        "SELECT COUNT(*) FROM account_move WHERE company_id = %s"
        " AND move_type = 'out_invoice'"
        " AND (dunning_hold IS NOT NULL OR dunning_disputed)",
        (gen.company.id,),
    )
    n_held = cr.fetchone()[0]
    orm_open = gen.env["account.move"].search_count(
        [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("amount_residual", ">", 0),
        ]
    )
    print(
        "GENERATE mode=%s customers=%d invoices=%d open=%d overdue=%d not_due=%d "
        "partial=%d credit_notes=%d usd_invoices=%d payments=%d open_amount_eur=%.2f "
        "max_overdue_days=%s first_invoice=%s instalment_invoices=%d orm_open_count=%d "
        "held=%d check_errors=%d seconds=%.1f"
        % (
            (gen.settings.mode, n_customers)
            + row[:7]
            + (n_payments,)
            + row[7:]
            + (orm_open, n_held, failures, gen_seconds)
        ),
        flush=True,
    )
