# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: E501 - long SQL statements and result formats
"""Benchmark of a dunning run, executed inside ``odoo shell`` (``env`` is provided)::

    BENCH_INVOICES=10000 BENCH_CUSTOMERS=2000 odoo shell -d DB --no-http < scripts/bench.py
    BENCH_SIZES="10000 100000" odoo shell -d DB --no-http < scripts/bench.py

For each size, the database is first brought to that many posted customer invoices
(unless it already has them) by running ``scripts/generate_data.py`` in fast mode in a
separate ``odoo shell`` process, so that the generator's memory does not count in the
measured peak; sizes are processed in increasing order and the data of a size is
generated on top of the previous one (10,000 then 90,000 more for 100,000).

Then a dunning run dated today is created, computed (``action_compute``) and executed
(``action_execute``). Emails are only queued (``mail.mail`` in the outgoing state): the
mail queue cron is not called, and the SMTP / SMS sending entry points are replaced by
counters for the duration of the script, so that nothing can leave the machine. The run
is rolled back at the end (``BENCH_COMMIT=1`` keeps it), so the benchmark can be repeated.

Environment:

``BENCH_INVOICES`` / ``BENCH_CUSTOMERS``  one size (customers default to invoices / 5)
``BENCH_SIZES``        several sizes, e.g. "10000 100000" (used when BENCH_INVOICES is unset)
``BENCH_GENERATE``     0 to never generate data (default 1: generate what is missing)
``BENCH_OPEN_RATIO``   share of open invoices for the generator (default 0.6)
``BENCH_HOLDS``        share of the generated invoices put on hold (default 0.05: 2 %
                       disputed in full or in part, 2 % under an open promise to pay,
                       1 % in an active payment plan; scripts/dunning_gen/fast_holds.py)
``BENCH_GEN_SECONDS``  data generation time measured by the caller, reported as is
``BENCH_COMMIT``       1 to commit the dunning run instead of rolling it back
``BENCH_CONFIRM_N``    quotations confirmed by the confirmation benchmark (default 100, 0 to skip)
``BENCH_CONFIRM_WARMUP``  confirmations done first and not counted (default 4)
``BENCH_CONFIRM_BLOCKED`` customers blocked before the confirmations (default 200)
``BENCH_RUN``          0 to skip the dunning run (the confirmation benchmark only)

One parseable line per size is printed::

    BENCH invoices=... customers=... open=... overdue=... proposals=... proposed_customers=...
          compute_s=... execute_s=... communications=... emails=... mails_queued=...
          ms_per_comm=... peak_rss_mb=... rss_before_mb=... sent_attempts=0
          held=... held_pct=... held_dispute=... partial_disputed=... held_promise=...
          held_plan=... held_proposed=0 partial_proposed=... held_advanced=0

The holds are checked: no invoice on hold (disputed in full, promised, planned) may be
proposed by the compute nor moved to a level by the execution, and the partly disputed
invoices must be proposed (for their undisputed part); the script ends with exit code 1
when they are not (``HOLD CHECK FAILED`` lines).

After the run of each size, the cost of the sale order confirmation rule (a customer
blocked for unpaid invoices cannot be confirmed) is measured: one draft quotation (one
line of a service product made for the purpose) is created for each of BENCH_CONFIRM_N
customers that have overdue invoices and are not blocked, and the quotations are
confirmed one by one (``action_confirm``, flush included, cache emptied before each),
half of them normally and half with this addon's confirmation overrides stepped over
(the same confirmation without the rule: Odoo's own), interleaved in pairs whose order
alternates, after a few warm-up confirmations. ``BENCH_CONFIRM_BLOCKED`` customers
(default 200) are blocked first, so that the company has blocked customers as it
would with a blocking rule on. Everything is rolled back afterwards, after the run's
numbers are taken::

    BENCH_CONFIRM invoices=... n=... with_rule_ms=... without_rule_ms=... overhead_pct=...
"""

import os
import re
import resource
import subprocess
import sys
import time
from contextlib import contextmanager, nullcontext
from unittest.mock import patch

from odoo import fields

T0 = time.time()
env = env  # noqa: F821,PLW0127 - provided by odoo shell
cr = env.cr
company = env.ref("base.main_company")
TODAY = fields.Date.context_today(env.user)
GENERATE = os.environ.get("BENCH_GENERATE", "1") != "0"
COMMIT = os.environ.get("BENCH_COMMIT", "0") == "1"
OPEN_RATIO = os.environ.get("BENCH_OPEN_RATIO", "0.6")
HOLDS = os.environ.get("BENCH_HOLDS", "0.05")
HOLD_FAILURES = []
CONFIRM_N = int(os.environ.get("BENCH_CONFIRM_N", "100"))
CONFIRM_WARMUP = int(os.environ.get("BENCH_CONFIRM_WARMUP", "4"))
CONFIRM_BLOCKED = int(os.environ.get("BENCH_CONFIRM_BLOCKED", "200"))
RUN = os.environ.get("BENCH_RUN", "1") != "0"


def log(msg):
    print("[bench %7.1fs] %s" % (time.time() - T0, msg), flush=True)


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


# ----------------------------------------------------------------------------- sizes
if os.environ.get("BENCH_INVOICES"):
    n_inv = int(os.environ["BENCH_INVOICES"])
    SIZES = [(n_inv, int(os.environ.get("BENCH_CUSTOMERS") or max(n_inv // 5, 1)))]
else:
    SIZES = [
        (int(s), max(int(s) // 5, 1))
        for s in os.environ.get("BENCH_SIZES", "10000").replace(",", " ").split()
    ]
SIZES.sort()

# ------------------------------------------------- nothing may leave the machine
SENT_ATTEMPTS = {"smtp": 0, "sms": 0}


def _fake_send_email(self, message, *args, **kwargs):
    SENT_ATTEMPTS["smtp"] += 1
    return message.get("Message-Id") or "bench-not-sent"


type(env["ir.mail_server"]).send_email = _fake_send_email
if "sms.sms" in env:

    def _fake_sms_send(self, *args, **kwargs):
        SENT_ATTEMPTS["sms"] += len(self)

    type(env["sms.sms"])._send = _fake_sms_send


# ----------------------------------------------------------------------- helpers
def count_invoices():
    cr.execute(
        """
        SELECT COUNT(*),
               COUNT(*) FILTER (WHERE amount_residual > 0),
               COUNT(*) FILTER (WHERE amount_residual > 0 AND invoice_date_due < %s),
               COUNT(DISTINCT commercial_partner_id)
          FROM account_move
         WHERE move_type = 'out_invoice' AND state = 'posted' AND company_id = %s
    """,
        (TODAY, company.id),
    )
    return cr.fetchone()


def count_holds():
    """Invoices on hold: disputed in full, partly disputed (still dunned for the
    rest), promised, planned; and all of them."""
    cr.execute(
        """
        SELECT COUNT(*) FILTER (WHERE dunning_hold = 'dispute'),
               COUNT(*) FILTER (WHERE dunning_disputed AND dunning_hold IS NULL),
               COUNT(*) FILTER (WHERE dunning_hold = 'promise'),
               COUNT(*) FILTER (WHERE dunning_hold = 'plan'),
               COUNT(*) FILTER (WHERE dunning_hold IS NOT NULL OR dunning_disputed)
          FROM account_move
         WHERE move_type = 'out_invoice' AND state = 'posted' AND company_id = %s
    """,
        (company.id,),
    )
    return cr.fetchone()


def check_holds(run_id):
    """(held invoices proposed, partly disputed invoices proposed, held invoices moved
    to a level by the execution) of the run."""
    cr.execute(
        """
        SELECT COUNT(DISTINCT line.move_id) FILTER (WHERE move.dunning_hold IS NOT NULL),
               COUNT(DISTINCT line.move_id)
                   FILTER (WHERE move.dunning_disputed AND move.dunning_hold IS NULL)
          FROM account_dunning_run_line line
          JOIN account_move move ON move.id = line.move_id
         WHERE line.run_id = %s
    """,
        (run_id,),
    )
    held_proposed, partial_proposed = cr.fetchone()
    return held_proposed, partial_proposed


def count_held_advanced(run_id):
    cr.execute(
        """
        SELECT COUNT(DISTINCT rel.move_id)
          FROM account_dunning_action action
          JOIN account_dunning_action_advanced_move_rel rel ON rel.action_id = action.id
          JOIN account_move move ON move.id = rel.move_id
         WHERE action.run_id = %s AND move.dunning_hold IS NOT NULL
    """,
        (run_id,),
    )
    return cr.fetchone()[0]


def count_generated_customers():
    cr.execute("""SELECT COUNT(*) FROM res_partner
                   WHERE parent_id IS NULL AND customer_rank > 0 AND ref ~ '^C[0-9]+$'""")
    return cr.fetchone()[0]


def generator_path():
    candidates = []
    if os.environ.get("BENCH_GENERATOR"):
        candidates.append(os.environ["BENCH_GENERATOR"])
    try:
        from odoo.modules.module import get_module_path

        path = get_module_path("account_dunning")
        if path:
            candidates.append(os.path.join(path, "scripts", "generate_data.py"))
    except Exception:  # noqa: BLE001
        pass
    candidates.append(os.path.join(os.getcwd(), "scripts", "generate_data.py"))
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    raise RuntimeError("scripts/generate_data.py not found (tried %s)" % candidates)


def generate(invoices, customers):
    """Run the generator in fast mode in another `odoo shell` process (same arguments)."""
    seed = int(os.environ.get("DUNNING_GEN_SEED", "42")) + count_invoices()[0]
    cr.rollback()  # hold no snapshot/lock while the other process writes
    cmd = [sys.executable] + sys.argv
    gen_env = dict(
        os.environ,
        DUNNING_GEN_MODE="fast",
        DUNNING_GEN_INVOICES=str(invoices),
        DUNNING_GEN_CUSTOMERS=str(customers),
        DUNNING_GEN_OPEN_RATIO=OPEN_RATIO,
        DUNNING_GEN_HOLDS=HOLDS,
    )
    # a different seed per growth step, so that the added data is not a replay of the first batch
    gen_env["DUNNING_GEN_SEED"] = str(seed)
    log(
        "generating %d invoices / %d customers: %s"
        % (invoices, customers, " ".join(cmd))
    )
    started = time.time()
    with open(generator_path(), "rb") as script:
        proc = subprocess.run(
            cmd, stdin=script, env=gen_env, capture_output=True, text=True, check=False
        )
    wall = time.time() - started
    output = proc.stdout + proc.stderr
    for line in output.splitlines():
        if (
            line.startswith(("[generate_data", "GENERATE"))
            or "Traceback" in line
            or "Error" in line
        ):
            print("    " + line, flush=True)
    if proc.returncode != 0 or "GENERATE " not in output:
        print(output[-5000:], flush=True)
        raise RuntimeError("data generation failed (exit %s)" % proc.returncode)
    gen_line = [line for line in output.splitlines() if line.startswith("GENERATE ")][
        -1
    ]
    fields_ = dict(re.findall(r"(\w+)=(\S+)", gen_line))
    env.invalidate_all()
    env.registry.clear_cache()
    return (
        wall,
        float(fields_.get("seconds", wall)),
        int(fields_.get("check_errors", -1)),
    )


def bench_run(n_invoices, n_customers):
    cr.rollback()
    env.invalidate_all()
    total, open_count, overdue, partners = count_invoices()
    rss_before = rss_mb()
    attempts_before = dict(SENT_ATTEMPTS)
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_mail")
    last_mail = cr.fetchone()[0]

    run = env["account.dunning.run"].create({"company_id": company.id, "date": TODAY})
    env.flush_all()
    started = time.time()
    run.action_compute()
    env.flush_all()
    compute_s = time.time() - started
    cr.execute(
        "SELECT COUNT(*), COUNT(DISTINCT partner_id) FROM account_dunning_run_line WHERE run_id = %s",
        (run.id,),
    )
    proposals, proposed_customers = cr.fetchone()
    held_proposed, partial_proposed = check_holds(run.id)

    started = time.time()
    run.action_execute()
    env.flush_all()
    background_batches = 0
    # A run of more than account_dunning.execute_sync_limit customers is sent by the
    # scheduled action, a batch per call: call it as the cron would (each call is a
    # transaction there; here the cache is emptied between calls instead).
    while run.state == "sending" and run._cron_send_runs():
        background_batches += 1
        env.flush_all()
        env.invalidate_all()
    execute_s = time.time() - started
    peak = peak_rss_mb()

    cr.execute(
        """
        SELECT COUNT(*) FILTER (WHERE state = 'sent'),
               COUNT(*) FILTER (WHERE state = 'sent' AND channel = 'email'),
               COUNT(*) FILTER (WHERE state = 'sent' AND channel = 'letter'),
               COUNT(*) FILTER (WHERE state = 'to_review'),
               COUNT(*) FILTER (WHERE state = 'failed'),
               COUNT(*) FILTER (WHERE state = 'skipped'),
               COUNT(DISTINCT partner_id) FILTER (WHERE state = 'sent')
          FROM account_dunning_action WHERE run_id = %s
    """,
        (run.id,),
    )
    sent, emails, letters, to_review, failed, skipped, reached = cr.fetchone()
    cr.execute(
        "SELECT state, COUNT(*) FROM mail_mail WHERE id > %s GROUP BY state",
        (last_mail,),
    )
    mail_states = dict(cr.fetchall())
    run_state = run.state
    held_advanced = count_held_advanced(run.id)
    smtp = SENT_ATTEMPTS["smtp"] - attempts_before["smtp"]
    sms = SENT_ATTEMPTS["sms"] - attempts_before["sms"]
    if COMMIT:
        cr.commit()
    else:
        cr.rollback()
    env.invalidate_all()
    ms_per_comm = (execute_s * 1000.0 / sent) if sent else 0.0
    held_dispute, partial_disputed, held_promise, held_plan, held = count_holds()
    print(
        "BENCH invoices=%d customers=%d open=%d overdue=%d proposals=%d proposed_customers=%d "
        "compute_s=%.2f execute_s=%.2f communications=%d emails=%d letters=%d to_review=%d failed=%d "
        "skipped=%d customers_reached=%d mails_queued=%d mails_sent=%d ms_per_comm=%.2f "
        "peak_rss_mb=%.0f rss_before_mb=%.0f sent_attempts=%d run_state=%s "
        "background_batches=%d held=%d held_pct=%.1f held_dispute=%d partial_disputed=%d "
        "held_promise=%d held_plan=%d held_proposed=%d partial_proposed=%d held_advanced=%d"
        % (
            total,
            partners,
            open_count,
            overdue,
            proposals,
            proposed_customers,
            compute_s,
            execute_s,
            sent,
            emails,
            letters,
            to_review,
            failed,
            skipped,
            reached,
            mail_states.get("outgoing", 0),
            mail_states.get("sent", 0),
            ms_per_comm,
            peak,
            rss_before,
            smtp + sms,
            run_state,
            background_batches,
            held,
            held * 100.0 / total if total else 0.0,
            held_dispute,
            partial_disputed,
            held_promise,
            held_plan,
            held_proposed,
            partial_proposed,
            held_advanced,
        ),
        flush=True,
    )
    if held_proposed or held_advanced:
        HOLD_FAILURES.append(
            "%d invoices: %d held invoices proposed, %d moved to a level"
            % (total, held_proposed, held_advanced)
        )
    if partial_disputed and not partial_proposed:
        HOLD_FAILURES.append(
            "%d invoices: none of the %d partly disputed invoices proposed"
            % (total, partial_disputed)
        )
    if n_invoices and abs(total - n_invoices) > max(n_invoices * 0.02, 10):
        log(
            "WARNING: %d posted invoices in the database, %d expected"
            % (total, n_invoices)
        )


def confirm_customers(count):
    """Up to ``count`` customers with overdue invoices, not blocked in the company."""
    cr.execute(
        """
        SELECT DISTINCT commercial_partner_id
          FROM account_move
         WHERE move_type = 'out_invoice' AND state = 'posted' AND company_id = %s
           AND amount_residual > 0 AND invoice_date_due < %s
    """,
        (company.id, TODAY),
    )
    ids = [row[0] for row in cr.fetchall()]
    return (
        env["res.partner"]
        .with_company(company)
        .search(
            [("id", "in", ids), ("dunning_blocked", "=", False)],
            order="id",
            limit=count,
        )
    )


def block_customers(count, spared):
    """Block ``count`` customers by hand (not those confirmed): rolled back later."""
    if count <= 0:
        return 0
    customers = (
        env["res.partner"]
        .with_company(company)
        .search(
            [
                ("is_company", "=", True),
                ("id", "not in", spared.ids),
                ("dunning_blocked", "=", False),
            ],
            order="id desc",
            limit=count,
        )
    )
    for customer in customers:
        customer._dunning_set_block(True, "Benchmark", "manual", {})
    env.flush_all()
    return len(customers)


@contextmanager
def without_block_rule():
    """The confirmation as Odoo does it: this addon's overrides step aside."""
    from odoo.addons.account_dunning.models.sale_order import SaleOrder

    def step_over(name):
        def method(self, *args, **kwargs):
            return getattr(super(SaleOrder, self), name)(*args, **kwargs)

        return method

    with patch.multiple(
        SaleOrder,
        **{name: step_over(name) for name in ("write", "_confirmation_error_message")},
    ):
        yield


def bench_confirm(n_invoices):
    """Time ``action_confirm`` with and without the dunning block rule; rolled back."""
    if CONFIRM_N <= 0:
        return
    cr.rollback()  # starts after the run, committed or rolled back: nothing pending
    env.invalidate_all()
    warmup = max(CONFIRM_WARMUP, 0)
    partners = confirm_customers(CONFIRM_N + warmup)
    n = min(CONFIRM_N, max(len(partners) - warmup, 0)) // 2 * 2
    if not n:
        log("BENCH_CONFIRM skipped: %d eligible customers" % len(partners))
        return
    try:
        blocked = block_customers(CONFIRM_BLOCKED, partners)
        product = env["product.product"].create(
            {
                "name": "Bench confirmation service",
                "type": "service",
                "list_price": 100.0,
            }
        )
        orders = (
            env["sale.order"]
            .with_company(company)
            .create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "order_line": [
                            fields.Command.create(
                                {"product_id": product.id, "product_uom_qty": 1.0}
                            )
                        ],
                    }
                    for partner in partners[: warmup + n]
                ]
            )
        )
        env.flush_all()
        order_ids = orders.ids
        query_counts = {True: 0, False: 0}

        def confirm(order_id, with_rule):
            env.invalidate_all()  # each confirmation as in a fresh request
            order = env["sale.order"].with_company(company).browse(order_id)
            with without_block_rule() if not with_rule else nullcontext():
                queries = cr.sql_log_count
                started = time.perf_counter()
                order.action_confirm()
                env.flush_all()
                elapsed = time.perf_counter() - started
            query_counts[with_rule] += cr.sql_log_count - queries
            return elapsed

        for i, order_id in enumerate(order_ids[:warmup]):
            confirm(order_id, with_rule=i % 2 == 0)
        timings = {True: [], False: []}
        query_counts.update({True: 0, False: 0})  # the warm-up does not count
        measured = order_ids[warmup:]
        for pair in range(n // 2):
            # pairs alternate which variant goes first, against drift within a pair
            first_with_rule = pair % 2 == 0
            for offset, with_rule in enumerate((first_with_rule, not first_with_rule)):
                order_id = measured[2 * pair + offset]
                timings[with_rule].append(confirm(order_id, with_rule))
        confirmed = env["sale.order"].search_count(
            [("id", "in", order_ids), ("state", "=", "sale")]
        )
    finally:
        cr.rollback()
        env.invalidate_all()

    def mean_ms(values):
        return sum(values) * 1000.0 / len(values)

    def median_ms(values):
        values = sorted(values)
        middle = len(values) // 2
        if len(values) % 2:
            return values[middle] * 1000.0
        return (values[middle - 1] + values[middle]) * 500.0

    with_ms, without_ms = mean_ms(timings[True]), mean_ms(timings[False])
    overhead = (with_ms - without_ms) / without_ms * 100.0 if without_ms else 0.0
    print(
        "BENCH_CONFIRM invoices=%d n=%d with_rule_ms=%.2f without_rule_ms=%.2f "
        "overhead_pct=%.1f with_rule_median_ms=%.2f without_rule_median_ms=%.2f "
        "queries_with_rule=%.1f queries_without_rule=%.1f warmup=%d confirmed=%d "
        "blocked_customers=%d"
        % (
            n_invoices,
            n,
            with_ms,
            without_ms,
            overhead,
            median_ms(timings[True]),
            median_ms(timings[False]),
            query_counts[True] / len(timings[True]),
            query_counts[False] / len(timings[False]),
            warmup,
            confirmed,
            blocked,
        ),
        flush=True,
    )


# -------------------------------------------------------------------------- main
assert "account.dunning.run" in env, "account_dunning is not installed in this database"
log(
    "database %s, sizes %s, peak RSS so far %.0f MB" % (cr.dbname, SIZES, peak_rss_mb())
)
if os.environ.get("BENCH_GEN_SECONDS"):
    n_inv, n_cust = SIZES[-1]
    print(
        "BENCH_GEN invoices=%d customers=%d gen_s=%.1f source=caller"
        % (n_inv, n_cust, float(os.environ["BENCH_GEN_SECONDS"])),
        flush=True,
    )
for n_inv, n_cust in SIZES:
    existing, _open, _overdue, _partners = count_invoices()
    missing = n_inv - existing
    if GENERATE and missing > max(n_inv * 0.01, 0):
        new_customers = max(n_cust - count_generated_customers(), 1)
        wall, gen_s, check_errors = generate(missing, new_customers)
        print(
            "BENCH_GEN invoices=%d customers=%d added_invoices=%d added_customers=%d gen_s=%.1f "
            "gen_wall_s=%.1f check_errors=%d"
            % (n_inv, n_cust, missing, new_customers, gen_s, wall, check_errors),
            flush=True,
        )
    if RUN:
        bench_run(n_inv, n_cust)
    bench_confirm(count_invoices()[0])
cr.rollback()
for failure in HOLD_FAILURES:
    print("HOLD CHECK FAILED: %s" % failure, flush=True)
log("done")
if HOLD_FAILURES:
    sys.exit(1)
