# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the aged balance and the KPIs, run inside ``odoo shell``::

    BENCH_AGING_DATES="2026-11-23 2026-05-31" odoo shell -d DB --no-http \
        < scripts/bench_aging.py

For the main company, it times (wall clock, each call once after one warm-up call
as of today, the ORM cache emptied before each):

- ``account.dunning.aging.get_aging`` grouped by customer, as of each date in
  ``BENCH_AGING_DATES`` (default: today and the end of the month six months ago);
- ``account.dunning.kpi.get_kpis`` over the 12 months up to today, globally and
  per salesperson;
- a pivot-like ``_read_group`` of the journal item view by customer and range;
- opening the collection dashboard (its aged balance and KPIs computed).

Each line gives the peak memory of the process during that call (the peak is reset
before each call through /proc/self/clear_refs) and the grand total found, to be
compared with the OCA report's::

    BENCH_AGING what=... date=... seconds=... peak_rss_mb=... groups=... total=...
"""

import gc
import os
import resource
import time

from dateutil.relativedelta import relativedelta

from odoo import fields

env = env  # noqa: F821,PLW0127 - provided by odoo shell
cr = env.cr
company = env.ref("base.main_company")
TODAY = fields.Date.context_today(env.user)


def default_dates():
    past = (TODAY - relativedelta(months=6)) + relativedelta(day=31)
    return [TODAY, past]


DATES = [
    fields.Date.to_date(value)
    for value in os.environ.get("BENCH_AGING_DATES", "").split()
] or default_dates()


def reset_peak():
    # Writing 5 resets the kernel's peak RSS of this process (Linux >= 4.0).
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def peak_rss_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def measure(what, on_date, call):
    env.invalidate_all()
    gc.collect()
    reset_peak()
    started = time.perf_counter()
    groups, total = call()
    seconds = time.perf_counter() - started
    print(
        "BENCH_AGING what=%s date=%s seconds=%.3f peak_rss_mb=%.0f groups=%d total=%.2f"
        % (what, on_date, seconds, peak_rss_mb(), groups, total),
        flush=True,
    )


def count_items():
    cr.execute(
        """
        SELECT COUNT(*), COUNT(DISTINCT aml.partner_id)
          FROM account_move_line aml
          JOIN account_account account ON account.id = aml.account_id
         WHERE account.account_type = 'asset_receivable'
           AND aml.parent_state = 'posted' AND NOT aml.reconciled
           AND aml.company_id = %s
        """,
        (company.id,),
    )
    return cr.fetchone()


aging = env["account.dunning.aging"]
kpi = env["account.dunning.kpi"]
items, partners = count_items()
print(
    "BENCH_AGING_DATA open_items=%d customers=%d company=%s"
    % (items, partners, company.name),
    flush=True,
)
aging.get_aging(TODAY, company.ids)  # warm-up: caches, query plans


def aging_call(on_date):
    def call():
        rows = aging.get_aging(on_date, company.ids)
        return len(rows), sum(row["total"] for row in rows)

    return call


for on_date in DATES:
    measure("aging", on_date, aging_call(on_date))

date_from = TODAY - relativedelta(years=1, days=-1)


def kpi_call(group_by):
    def call():
        rows = kpi.get_kpis(date_from, TODAY, company.ids, group_by)
        return len(rows), sum(row["overdue_end"] for row in rows)

    return call


measure("kpis_12_months", TODAY, kpi_call(None))
measure("kpis_12_months_by_salesperson", TODAY, kpi_call("user"))


def pivot_call():
    lines = env["account.dunning.aging.line"].with_context(
        aging_date=fields.Date.to_string(TODAY)
    )
    groups = lines._read_group([], ["partner_id", "bucket"], ["amount:sum"])
    return len(groups), sum(amount for _partner, _bucket, amount in groups)


measure("pivot_partner_bucket", TODAY, pivot_call)


def dashboard_call():
    # what opening the collection dashboard computes (aged balance and KPIs)
    dashboard = env["account.dunning.dashboard"].create({})
    return 1, dashboard.overdue_total


measure("dashboard_open", TODAY, dashboard_call)
cr.rollback()
