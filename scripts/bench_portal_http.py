"""Time GET /my/dues as a portal user against a running server (scripts/bench.sh).

Usage: bench_portal_http.py URL LOG_FILE LOGIN [LOGIN...]
Logs in as each portal user (password = login), warms the page up, then requests it
BENCH_PORTAL_REPEAT times (default 20) and prints the median and the worst wall time
seen by the client, with the number of SQL queries of each request as the server's
log line for it reports (werkzeug: "GET /my/dues ..." 200 - <queries> <sql s> ...).
"""

import os
import re
import statistics
import sys
import time

import requests

LINE_RE = re.compile(r'"GET /my/dues HTTP/1\.1" 200 - (\d+) ([\d.]+) ([\d.-]+)')


def queries_logged(log_file, after):
    with open(log_file, encoding="utf-8", errors="replace") as handle:
        handle.seek(after)
        return [int(match.group(1)) for match in LINE_RE.finditer(handle.read())]


def main():
    url, log_file, *logins = sys.argv[1:]
    repeat = int(os.environ.get("BENCH_PORTAL_REPEAT", "20"))
    results = {}
    for login in logins:
        session = requests.Session()
        response = session.post(
            f"{url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "db": os.environ["BENCH_PORTAL_DB"],
                    "login": login,
                    "password": login,
                },
            },
            timeout=60,
        )
        response.raise_for_status()
        assert response.json().get("result", {}).get("uid"), f"login {login} failed"
        for _warm in range(3):
            session.get(f"{url}/my/dues", timeout=60).raise_for_status()
        time.sleep(0.5)
        start = os.path.getsize(log_file)
        times = []
        for _n in range(repeat):
            began = time.perf_counter()
            response = session.get(f"{url}/my/dues", timeout=60)
            times.append((time.perf_counter() - began) * 1000)
            response.raise_for_status()
        time.sleep(0.5)
        queries = queries_logged(log_file, start)
        rows = response.text.count('class="o_dunning_item')
        results[login] = (rows, statistics.median(times), max(times), queries)
        print(
            f"{login}: {rows} items listed, median {statistics.median(times):.0f} ms, "
            f"worst {max(times):.0f} ms over {repeat} requests, SQL queries per "
            f"request {min(queries) if queries else '?'}-"
            f"{max(queries) if queries else '?'}"
        )
    counts = {max(result[3]) if result[3] else None for result in results.values()}
    print(
        "query count independent of the number of items: "
        + ("yes" if len(counts) == 1 else f"NO {counts}")
    )


if __name__ == "__main__":
    main()
