# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""OCA side of the aged receivable benchmark, run inside ``odoo shell`` (``env`` is
provided) on a database where the OCA module ``account_financial_report`` is
installed (scripts/oca_aging.sh makes such a copy of the benchmark database)::

    BENCH_AGING_DATES="2026-01-31 2026-06-30" odoo shell -d DB --no-http \\
        --addons-path=...,OCA_DIR < scripts/bench_oca_aging.py

For the main company and each as-of date, the "Aged Partner Balance" is computed the
way the OCA wizard does when the user prints it: an ``aged.partner.balance.report.
wizard`` with the date, the company, "receivable accounts only" ticked (its onchange
selects the accounts), all partners and posted entries only; then the data the wizard
sends to the report (``_prepare_report_data``, i.e. ``_prepare_report_aged_partner_
balance`` plus the wizard name the abstract report needs) is given to
``report.account_financial_report.aged_partner_balance._get_report_values``. Only that
computation is timed: no QWeb HTML/PDF rendering.

Each date is run once, without warm-up, the ORM cache emptied before it. Peak RSS is
that of this process during the date (the kernel's peak is reset before each date when
/proc/self/clear_refs allows it, otherwise it is the peak since the start). Everything
is rolled back at the end. One parseable line per date on stdout::

    BENCH_OCA_AGING date=YYYY-MM-DD seconds=... peak_rss_mb=... partners=... total=...

``partners`` counts the partner rows of the report (one per account and partner, the
"no partner" row included) and ``total`` is the grand total of the residual it found
on the receivable accounts, in company currency.
"""

import datetime
import gc
import json
import os
import resource
import sys
import time

from odoo.tools import json_default

env = env  # noqa: F821,PLW0127 - provided by odoo shell
cr = env.cr
T0 = time.perf_counter()
WIZARD = "aged.partner.balance.report.wizard"
REPORT = "report.account_financial_report.aged_partner_balance"


def progress(msg):
    print(
        f"[oca-aging {time.perf_counter() - T0:7.1f}s] {msg}",
        file=sys.stderr,
        flush=True,
    )


def rss_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KB on Linux


def reset_peak_rss():
    # Linux >= 4.0: "5" resets the peak RSS (VmHWM, which ru_maxrss reports), so
    # that each date has its own peak instead of the largest one so far.
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


dates = [
    datetime.date.fromisoformat(d)
    for d in os.environ.get("BENCH_AGING_DATES", "").replace(",", " ").split()
]
if not dates:
    raise SystemExit("BENCH_AGING_DATES is empty: give as-of dates (YYYY-MM-DD)")
if WIZARD not in env or REPORT not in env:
    raise SystemExit("account_financial_report is not installed in this database")

company = env.ref("base.main_company")
afr = env["ir.module.module"].search([("name", "=", "account_financial_report")])
print(
    f"# OCA account_financial_report {afr.installed_version}: {REPORT}"
    f"._get_report_values(data={WIZARD}._prepare_report_data()), "
    "computation only (no HTML/PDF rendering)",
    flush=True,
)

for as_of in dates:
    cr.rollback()
    env.invalidate_all()  # no ORM cache from the previous date
    gc.collect()
    rss_before = rss_mb()
    per_date_peak = reset_peak_rss()
    progress(
        f"{as_of}: computing (company {company.name}, RSS before {rss_before:.0f} MB"
        f"{'' if per_date_peak else ', peak RSS not resettable: peak since start'})"
    )
    start = time.perf_counter()
    wizard = env[WIZARD].create(
        {
            "date_at": as_of,
            "company_id": company.id,
            "target_move": "posted",
            "receivable_accounts_only": True,
        }
    )
    wizard.onchange_type_accounts_only()  # selects the accounts, as in the form
    data = wizard._prepare_report_data()
    # What the report receives went through JSON (the client sends it back): dates
    # become strings, which _get_report_values expects (it strptime()s date_at).
    data = json.loads(json.dumps(data, default=json_default))
    values = env[REPORT]._get_report_values(wizard.ids, data)
    seconds = time.perf_counter() - start
    peak = peak_rss_mb()

    accounts = values["aged_partner_balance"]
    partners = sum(len(account["partners"]) for account in accounts)
    total = sum(account["residual"] for account in accounts)
    progress(
        f"{as_of}: {seconds:.2f}s, {len(wizard.account_ids)} receivable account(s) "
        f"selected, {len(accounts)} with a balance, {partners} partner rows, "
        f"total {total:.2f} {company.currency_id.name}"
    )
    print(
        f"BENCH_OCA_AGING date={as_of.isoformat()} seconds={seconds:.3f} "
        f"peak_rss_mb={peak:.1f} partners={partners} total={total:.2f}",
        flush=True,
    )

cr.rollback()
env.invalidate_all()
progress("done (rolled back)")
