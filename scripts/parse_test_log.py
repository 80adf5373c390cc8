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


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("log")
    ap.add_argument("--odoo-rc", type=int, default=0)
    ap.add_argument("--module-state", default="installed")
    ap.add_argument("--module", default="account_dunning")
    args = ap.parse_args()

    try:
        records = parse(args.log)
    except OSError as exc:
        records = []
        problems = [f"cannot read log {args.log}: {exc}"]
    else:
        problems = []

    run = failures = errors = 0
    summary_seen = False
    skipped, test_errors, other_errors = [], [], []
    for level, logger, msg, more in records:
        m = SUMMARY.search(msg) if logger == "odoo.tests.result" else None
        if m:
            summary_seen = True
            run, failures, errors = int(m["run"]), int(m["failed"]), int(m["errors"])
        if TEST_LOGGER.match(logger) and msg.startswith("skipped "):
            skipped.append(f"SKIPPED {logger}: {msg}")
        if level in ("ERROR", "CRITICAL"):
            text = f"{level} {logger}: {msg}"
            tail = [ln.strip() for ln in more if ln.strip()]
            if tail:
                text += f"  [{tail[-1]}]"
            if is_test_outcome(logger, msg):
                test_errors.append(text)
            else:
                other_errors.append(text)

    failed = failures + errors
    if args.module_state != "installed":
        problems.append(
            f"module {args.module} is not installed "
            f"(state: {args.module_state or 'unknown: database/module missing'})"
        )
    if not summary_seen:
        problems.append("Odoo did not report test results (crashed or killed?)")
    elif run == 0:
        problems.append("no test ran")
    if skipped:
        problems.append(f"{len(skipped)} test(s) skipped (tests must not be skipped)")
    if test_errors and not failed:
        problems.append("tests logged ERROR lines although none is counted as failed")
    if other_errors:
        problems.append(f"{len(other_errors)} ERROR/CRITICAL log line(s) outside tests")
    if args.odoo_rc not in (0,):
        problems.append(
            "Odoo timed out"
            if args.odoo_rc in (124, 137)
            else f"Odoo exited with status {args.odoo_rc}"
        )

    shown = (test_errors + other_errors + skipped)[:MAX_SHOWN]
    bad = bool(failed or problems)
    if shown or bad:
        print("")
        print("---- test summary " + "-" * 50)
        for line in shown:
            print("  " + line[:400])
        extra = len(test_errors) + len(other_errors) + len(skipped) - len(shown)
        if extra > 0:
            print(f"  ... {extra} more, see {args.log}")
        for problem in problems:
            print("  PROBLEM: " + problem)
        print(f"  log: {args.log}")
    failed += len(skipped)
    passed = max(run - failures - errors - len(skipped), 0)
    if bad and failed == 0:
        failed = 1  # a broken install/run counts as one failure
    print(f"{passed} passed, {failed} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
