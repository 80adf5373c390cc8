#!/usr/bin/env python3
"""Summarise an Odoo 18 test run log.

Prints the problems found, then as the very last line ``N passed, M failed``.
Exit status is 0 only when the module installed, at least one test ran, no
test failed, errored or was skipped, and no ERROR/CRITICAL line was logged.

Counting: Odoo logs, once per database at the end of the run,
``odoo.tests.result: F failed, E error(s) of N tests when loading database``
(the global report: at_install and post_install tests together).  Skipped
tests are logged one by one as ``skipped <test> : <reason>``.  Skipped tests
count as failed: browser tours are skipped (not failed) by Odoo when chromium
or websocket-client is missing, and they must not go unnoticed.

Checks run outside Odoo's test runner (the upgrade test) are added to the totals with
``--checks FILE``: one ``passed<TAB>name`` or ``failed<TAB>name`` line per check; the
failed ones are listed by name. ``--checks-required NAME`` makes a missing or empty
file one failure named NAME (the check did not report).
"""

import argparse
import re
import sys

RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL|TEST|\?) "
    r"(?P<db>\S+) (?P<logger>[^:\s]+): (?P<msg>.*)$"
)
SUMMARY = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)
TEST_LOGGER = re.compile(r"^odoo\.addons\.[^.]+\.tests(\.|$)")
MAX_SHOWN = 40


def parse(path):
    records = []  # [level, logger, msg, [continuation lines]]
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            m = RECORD.match(line)
            if m:
                records.append([m["level"], m["logger"], m["msg"], []])
            elif records:
                records[-1][3].append(line)
    return records


def is_test_outcome(logger, msg):
    """ERROR lines that only report test results (already counted)."""
    if logger == "odoo.tests.result" or TEST_LOGGER.match(logger):
        return True
    if logger == "odoo.modules.loading" and re.match(
        r"Module \S+: \d+ failures, \d+ errors of \d+ tests", msg
    ):
        return True
    return logger == "odoo.service.server" and "at least one error occurred" in msg


def scan(records):
    """Collect counts and notable lines from parsed log records."""
    res = {
        "summary_seen": False,
        "run": 0,
        "failures": 0,
        "errors": 0,
        "skipped": [],
        "test_errors": [],
        "other_errors": [],
    }
    for level, logger, msg, more in records:
        m = SUMMARY.search(msg) if logger == "odoo.tests.result" else None
        if m:
            res["summary_seen"] = True
            res["run"] = int(m["run"])
            res["failures"] = int(m["failed"])
            res["errors"] = int(m["errors"])
        if TEST_LOGGER.match(logger) and msg.startswith("skipped "):
            res["skipped"].append(f"SKIPPED {logger}: {msg}")
        if level in ("ERROR", "CRITICAL"):
            text = f"{level} {logger}: {msg}"
            tail = [ln.strip() for ln in more if ln.strip()]
            if tail:
                text += f"  [{tail[-1]}]"
            key = "test_errors" if is_test_outcome(logger, msg) else "other_errors"
            res[key].append(text)
    return res


def find_problems(res, args):
    problems = []
    if args.module_state != "installed":
        problems.append(
            f"module {args.module} is not installed "
            f"(state: {args.module_state or 'unknown: database/module missing'})"
        )
    if not res["summary_seen"]:
        problems.append("Odoo did not report test results (crashed or killed?)")
    elif res["run"] == 0:
        problems.append("no test ran")
    if res["skipped"]:
        problems.append(
            f"{len(res['skipped'])} test(s) skipped (tests must not be skipped)"
        )
    if res["test_errors"] and not (res["failures"] or res["errors"]):
        problems.append("tests logged ERROR lines although none is counted as failed")
    if res["other_errors"]:
        problems.append(
            f"{len(res['other_errors'])} ERROR/CRITICAL log line(s) outside tests"
        )
    if args.odoo_rc in (124, 137):
        problems.append("Odoo timed out")
    elif args.odoo_rc != 0:
        problems.append(f"Odoo exited with status {args.odoo_rc}")
    return problems


def read_checks(path, required):
    """(passed names, failed names) of the external checks in ``path``."""
    passed, failed = [], []
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        lines = []  # no file: the check did not report
    for line in lines:
        status, _sep, name = line.partition("\t")
        if status == "passed":
            passed.append(name)
        elif line.strip():
            failed.append(name or line.strip())
    if not (passed or failed) and required:
        failed.append(f"{required} (reported nothing)")
    return passed, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("log")
    ap.add_argument("--odoo-rc", type=int, default=0)
    ap.add_argument("--module-state", default="installed")
    ap.add_argument("--module", default="account_dunning")
    ap.add_argument(
        "--checks",
        metavar="FILE",
        help="external checks to count: 'passed|failed<TAB>name' lines",
    )
    ap.add_argument(
        "--checks-required",
        metavar="NAME",
        default="",
        help="count a missing or empty --checks file as the failed check NAME",
    )
    args = ap.parse_args()

    read_problem = []
    try:
        records = parse(args.log)
    except OSError as exc:
        records = []
        read_problem = [f"cannot read log {args.log}: {exc}"]
    res = scan(records)
    problems = read_problem + find_problems(res, args)

    checks_passed, checks_failed = (
        read_checks(args.checks, args.checks_required) if args.checks else ([], [])
    )
    notable = res["test_errors"] + res["other_errors"] + res["skipped"]
    failed = res["failures"] + res["errors"]
    bad = bool(failed or problems or checks_failed)
    if notable or bad:
        print("")
        print("---- test summary " + "-" * 50)
        for line in notable[:MAX_SHOWN]:
            print("  " + line[:400])
        if len(notable) > MAX_SHOWN:
            print(f"  ... {len(notable) - MAX_SHOWN} more, see {args.log}")
        for name in checks_failed:
            print("  FAILED check: " + name)
        for problem in problems:
            print("  PROBLEM: " + problem)
        print(f"  log: {args.log}")
    skipped = len(res["skipped"])
    passed = max(res["run"] - failed - skipped, 0)
    failed += skipped
    if problems and failed == 0:
        failed = 1  # a broken install/run counts as one failure
    passed += len(checks_passed)
    failed += len(checks_failed)
    print(f"{passed} passed, {failed} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
