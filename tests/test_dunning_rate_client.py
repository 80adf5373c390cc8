import logging
import socket
import threading
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, freeze_time, new_test_user, tagged
from odoo.tests.common import _super_send

from ..models import account_dunning_rate

_logger = logging.getLogger(__name__)

LOGGER = "odoo.addons.account_dunning.models.account_dunning_rate"
TIMEOUT = 0.5  # seconds, what the client is configured with in these tests
SLOW_ANSWER = 3.0  # seconds the "/timeout" answer waits: well over TIMEOUT

ECB_HEADER = (
    "KEY,FREQ,REF_AREA,CURRENCY,PROVIDER_FM,INSTRUMENT_FM,PROVIDER_FM_ID,"
    "DATA_TYPE_FM,TIME_PERIOD,OBS_VALUE,OBS_STATUS,OBS_CONF,OBS_PRE_BREAK,OBS_COM,"
    "TIME_FORMAT,BREAKS,COLLECTION,COMPILING_ORG,DISS_ORG,DOM_SER_IDS,PUBL_ECB,"
    "PUBL_MU,PUBL_PUBLIC,UNIT_INDEX_BASE,COMPILATION,COVERAGE,DECIMALS,NAT_TITLE,"
    "SOURCE_AGENCY,SOURCE_PUB,TITLE,TITLE_COMPL,UNIT,UNIT_MULT\r\n"
)
ECB_TITLE = (
    '"Main refinancing operations - fixed rate tenders (fixed rate) (date of '
    'changes) - Level","Euro area (changing composition) - Key interest rate - '
    "ECB Main refinancing operations - fixed rate tenders (fixed rate) (date of "
    'changes) - Level"'
)


def ecb_row(day, value):
    """One csvdata row of the MRO series, as the ECB Data Portal writes it."""
    return (
        f"FM.D.U2.EUR.4F.KR.MRR_FR.LEV,D,U2,EUR,4F,KR,MRR_FR,LEV,{day},{value},A,F,,,"
        f"P1D,,E,,,,,,,,,,4,,4F,,{ECB_TITLE},PCPA,0\r\n"
    )


# Recorded answer: known changes, the value repeated on later days (forward fill),
# and one change (2026-09-16) that is not in the shipped data.
ECB_GOOD = ECB_HEADER + "".join(
    ecb_row(day, value)
    for day, value in [
        ("2024-06-12", "4.25"),
        ("2025-06-11", "2.15"),
        ("2025-06-12", "2.15"),
        ("2025-07-01", "2.15"),
        ("2026-09-16", "2.4"),
        ("2026-09-17", "2.4"),
        ("2026-09-18", "2.4"),
    ]
)
# What the ECB answers in July 2026: no change since 11 June 2025.
ECB_CURRENT = ECB_HEADER + ecb_row("2025-06-11", "2.15") + ecb_row("2026-07-01", "2.15")
ECB_OUT_OF_RANGE = (
    ECB_HEADER + ecb_row("2025-06-11", "2.15") + ecb_row("2026-09-16", "250")
)
# Each change plausible on its own, the last one below zero.
ECB_NEGATIVE = ECB_HEADER + "".join(
    ecb_row(day, value)
    for day, value in [
        ("2026-07-16", "1.5"),
        ("2026-08-16", "0.6"),
        ("2026-09-16", "-0.3"),
    ]
)
# A unit change (basis points) or another series: a jump no decision makes.
ECB_IMPLAUSIBLE = (
    ECB_HEADER + ecb_row("2025-06-11", "2.15") + ecb_row("2026-09-16", "9.0")
)
ECB_FAR_AHEAD = ECB_HEADER + ecb_row(
    (fields.Date.today() + timedelta(days=200)).isoformat(), "2.4"
)
# A carriage return inside an unquoted field: the csv module gives up.
ECB_CSV_ERROR = ECB_HEADER + ecb_row("2025-06-11", "2.15\rjunk")
ECB_BAD_DATE = ECB_HEADER + ecb_row("16/09/2026", "2.4")
ECB_MISSING_COLUMN = "KEY,TIME_PERIOD\r\nFM.D.U2.EUR.4F.KR.MRR_FR.LEV,2026-09-16\r\n"
HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>Service Unavailable</title></head>"
    "<body><h1>Maintenance</h1><p>Please try again later.</p></body></html>"
)

ANSWERS = {
    "/good": (200, ECB_GOOD),
    "/current": (200, ECB_CURRENT),
    "/error": (500, "Internal Server Error"),
    "/empty": (200, ""),
    "/garbage": (200, HTML_PAGE),
    "/header_only": (200, ECB_HEADER),
    "/missing_column": (200, ECB_MISSING_COLUMN),
    "/bad_date": (200, ECB_BAD_DATE),
    "/out_of_range": (200, ECB_OUT_OF_RANGE),
    "/negative": (200, ECB_NEGATIVE),
    "/not_found": (404, "Not Found"),
    "/implausible": (200, ECB_IMPLAUSIBLE),
    "/far_ahead": (200, ECB_FAR_AHEAD),
    "/csv_error": (200, ECB_CSV_ERROR),
    "/big": (200, ECB_GOOD + ECB_GOOD.split("\r\n", 1)[1] * 50),
}
# Answers with headers of their own: (status, headers, body).
SPECIAL = {
    "/retry_after": (503, {"Retry-After": "86400"}, "Busy"),
    "/redirect": (302, {"Location": "/good"}, ""),
}
TRICKLE_DELAY = 0.2  # seconds between two bytes of "/trickle": under the timeout


class RecordedEcbHandler(BaseHTTPRequestHandler):
    """Serves the recorded answers; "/timeout" answers too late."""

    hits = None  # {path: count}, set per server
    release = None  # threading.Event: set on cleanup to free the slow answers

    def do_GET(self):
        path = self.path.split("?")[0]
        self.hits[path] = self.hits.get(path, 0) + 1
        headers = {}
        if path == "/timeout":
            self.release.wait(SLOW_ANSWER)
            status, body = ANSWERS["/good"]
        elif path in SPECIAL:
            status, headers, body = SPECIAL[path]
        elif path == "/trickle":
            status, body = ANSWERS["/good"]
        else:
            status, body = ANSWERS.get(path, (404, "Not Found"))
        payload = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if path == "/trickle":
                # A byte now and then: never a read timeout, never the whole answer.
                for byte in payload:
                    if self.release.wait(TRICKLE_DELAY):
                        break
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                return
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (the timeout case): expected.
            _logger.debug("Recorded ECB server: client disconnected on %s", path)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass  # keep the test log clean


@tagged("post_install", "-at_install")
class TestDunningRateClient(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        handler = type(
            "Handler",
            (RecordedEcbHandler,),
            {"hits": {}, "release": threading.Event()},
        )
        cls.hits = handler.hits
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        cls.base_url = "http://127.0.0.1:%s" % server.server_address[1]

        def stop():
            handler.release.set()
            server.shutdown()
            server.server_close()
            thread.join(SLOW_ANSWER + 1)

        cls.addClassCleanup(stop)
        cls.Rate = cls.env["account.dunning.rate"]
        cls.series = cls.env.ref("account_dunning.rate_series_ecb_mro")
        cls.env["ir.config_parameter"].set_param(
            "account_dunning.ecb_rate_timeout", str(TIMEOUT)
        )

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's test mode raises any timeout below 10 s to 10 s; our own server
        # must be queried with the configured timeout to test it (and stay fast).
        if r.url.startswith(cls.base_url + "/"):
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def _use(self, path):
        self.env["ir.config_parameter"].set_param(
            "account_dunning.ecb_rate_url", self.base_url + path
        )

    def _table(self):
        return {
            (rate.source, rate.date, rate.rate)
            for rate in self.Rate.search([], order="id")
        }

    def _in_force(self, source, day):
        """Latest rate of the series dated on or before day."""
        rates = self.Rate._rates_by_source([source])[source]
        return [rate for rate_date, rate in rates if rate_date <= day][-1]

    def _assert_refresh_fails(self, path, expected_reason):
        self._use(path)
        before = self._table()
        ecb_count = len([row for row in before if row[0] == "ecb_mro"])
        known_until = self.series.known_until
        with self.assertLogs(LOGGER, "WARNING") as logs:
            result = self.Rate._ecb_refresh()
        self.assertEqual(result, 0)
        self.assertEqual(self.series.known_until, known_until, "known days are kept")
        self.assertTrue(self.series.refresh_date)
        self.assertIn(expected_reason, self.series.refresh_error)
        self.assertEqual(self._table(), before, "the known rates are kept")
        self.assertEqual(len(logs.output), 1, "one warning line")
        message = logs.output[0]
        self.assertIn(f"ECB rate refresh from {self.base_url}{path} failed", message)
        self.assertIn(f"keeping the {ecb_count} rates already known", message)
        self.assertIn(expected_reason, message)

    def test_shipped_rates(self):
        self.assertEqual(self._in_force("ecb_mro", date(2015, 1, 1)), 0.05)
        self.assertEqual(self._in_force("ecb_mro", date(2024, 1, 1)), 4.50)
        self.assertEqual(self._in_force("ecb_mro", date(2024, 7, 1)), 4.25)
        self.assertEqual(self._in_force("ecb_mro", date(2025, 7, 1)), 2.15)
        legal = self.env.ref("account_dunning.rate_fr_legal_2024_01_01")
        self.assertEqual(
            (legal.source, legal.date, legal.rate), ("fr_legal", date(2024, 1, 1), 5.07)
        )
        half_years = self.Rate.search([("source", "=", "fr_legal")]).mapped("date")
        self.assertEqual(len(half_years), 23, "2015 H1 to 2026 H1")
        self.assertTrue(all(day.day == 1 and day.month in (1, 7) for day in half_years))

    def test_good_answer_adds_new_changes_only(self):
        self._use("/good")
        before = self._table()
        # logging.INFO, not "INFO": Odoo names its level 25 "INFO" too.
        with self.assertLogs(LOGGER, logging.INFO) as logs:
            added = self.Rate._ecb_refresh()
        self.assertEqual(added, 1)
        self.assertIn("added 1 rate(s)", logs.output[0])
        self.assertEqual(self._table() - before, {("ecb_mro", date(2026, 9, 16), 2.40)})
        self.assertEqual(before - self._table(), set())
        self.assertEqual(self._in_force("ecb_mro", date(2027, 1, 1)), 2.40)
        self.assertEqual(self.Rate._ecb_refresh(), 0, "nothing new")
        self.assertEqual(len(self._table() - before), 1)

    def test_parse_keeps_changes_only(self):
        self.assertEqual(
            self.Rate._ecb_parse(ECB_GOOD),
            [
                (date(2024, 6, 12), 4.25),
                (date(2025, 6, 11), 2.15),
                (date(2026, 9, 16), 2.40),
            ],
        )
        for body in ("", ECB_HEADER, HTML_PAGE, ECB_BAD_DATE, ECB_OUT_OF_RANGE):
            with self.subTest(body=body[:30]), self.assertRaises(ValueError):
                self.Rate._ecb_parse(body)

    def test_server_error_is_retried_then_given_up(self):
        self.hits.pop("/error", None)
        self._assert_refresh_fails("/error", "retries exhausted")
        self.assertGreater(self.hits["/error"], 1, "the 500 answers are retried")
        self.assertEqual(self.hits["/error"], 3, "one call and two retries")

    def test_timeout(self):
        self._assert_refresh_fails("/timeout", f"no answer within {TIMEOUT}s")

    def test_connection_refused(self):
        """A refused connection is not reported as a timeout."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.env["ir.config_parameter"].set_param(
            "account_dunning.ecb_rate_url", f"http://127.0.0.1:{port}/ecb"
        )
        with self.assertLogs(LOGGER, "WARNING"):
            self.assertEqual(self.Rate._ecb_refresh(), 0)
        self.assertTrue(
            self.series.refresh_error.startswith(
                "cannot connect: Failed to establish a new connection"
            ),
            self.series.refresh_error,
        )

    def test_http_error(self):
        self._assert_refresh_fails("/not_found", "HTTPError")

    def test_bad_answers(self):
        reasons = {
            "/empty": "empty answer",
            "/garbage": "missing column(s) OBS_VALUE, TIME_PERIOD",
            "/header_only": "no observation",
            "/missing_column": "missing column(s) OBS_VALUE",
            "/bad_date": "is not a YYYY-MM-DD date",
            "/out_of_range": "rate 250 outside",
            "/negative": "cannot be negative",
        }
        for path, reason in reasons.items():
            with self.subTest(path=path):
                self._assert_refresh_fails(path, reason)

    def test_cron_finishes_on_server_error(self):
        self._use("/error")
        before = self._table()
        cron = self.env.ref("account_dunning.ir_cron_dunning_rate_refresh")
        self.assertEqual(cron.code, "model._cron_refresh_ecb_rates()")
        with self.assertLogs(LOGGER, "WARNING") as logs:
            self.assertTrue(cron.method_direct_trigger())
        self.assertIn("failed", logs.output[0])
        self.assertEqual(self._table(), before)

    def test_retry_after_is_not_obeyed(self):
        """A 503 asking to come back tomorrow does not put the cron to sleep."""
        self.hits.pop("/retry_after", None)
        with patch("urllib3.util.retry.time.sleep") as sleep:
            self._assert_refresh_fails("/retry_after", "retries exhausted")
        self.assertEqual(self.hits["/retry_after"], 3)
        slept = [call.args[0] for call in sleep.call_args_list]
        self.assertTrue(slept, "the retries back off")
        self.assertLessEqual(max(slept), 2, "by the backoff, not by Retry-After")

    def test_redirect_is_not_followed(self):
        self.hits.pop("/good", None)
        self._assert_refresh_fails("/redirect", "redirect to /good refused")
        self.assertNotIn("/good", self.hits)

    def test_body_size_and_total_time_are_bounded(self):
        with patch.object(account_dunning_rate, "ECB_MAX_BYTES", 4096):
            self._assert_refresh_fails("/big", "answer larger than 4096 bytes")
        deadline = TIMEOUT * account_dunning_rate.ECB_DEADLINE_TIMEOUTS
        self._assert_refresh_fails(
            "/trickle", f"answer not complete within {deadline}s"
        )

    def test_unreadable_or_implausible_answers(self):
        reasons = {
            "/csv_error": "not a CSV answer: new-line character seen in unquoted",
            "/implausible": "a change from 2.15 to 9.0 on 2026-09-16 is more than",
            "/far_ahead": "days ahead, is not plausible",
        }
        for path, reason in reasons.items():
            with self.subTest(path=path):
                self._assert_refresh_fails(path, reason)

    # ------------------------------------------------------------------
    # The outcome on the series, the daily schedule, the manager's button
    # ------------------------------------------------------------------

    def _series_state(self):
        return (
            self.series.known_until,
            self.series.refresh_date,
            self.series.refresh_error,
        )

    def _hits(self, path):
        return self.hits.get(path, 0)

    def test_success_recorded_on_the_series(self):
        self._use("/good")
        self.series.sudo().write({"refresh_error": "no answer within 10.0s"})
        with freeze_time("2026-12-01 04:00:00"), self.assertLogs(LOGGER, logging.INFO):
            self.assertEqual(self.Rate._ecb_refresh(), 1)
        self.assertEqual(
            self._series_state(),
            (date(2026, 12, 1), datetime(2026, 12, 1, 4, 0), False),
            "known up to today, refreshed now, no error",
        )
        rate = self.Rate.search([("source", "=", "ecb_mro")], limit=1)
        self.assertEqual(rate.known_until, date(2026, 12, 1))
        warnings = self.series._stale_warnings(date(2026, 12, 1))
        self.assertEqual(len(warnings), 1, warnings)
        self.assertNotIn(self.series.name, warnings[0], "the ECB rate is known")

    def test_failure_recorded_on_the_series(self):
        # A success, then a failure: the rates and the known days are kept.
        self._use("/current")
        with freeze_time("2026-07-02 04:00:00"), self.assertLogs(LOGGER, logging.INFO):
            self.Rate._ecb_refresh()
        self.assertEqual(self.series.known_until, date(2026, 7, 2))
        with freeze_time("2026-08-05 04:00:00"):
            self._assert_refresh_fails("/not_found", "HTTPError: 404")
        self.assertEqual(self.series.known_until, date(2026, 7, 2))
        self.assertEqual(self.series.refresh_date, datetime(2026, 8, 5, 4, 0))
        self.assertTrue(self.series.refresh_error.startswith("HTTPError: 404"))
        with freeze_time("2026-08-06 04:00:00"):
            self._assert_refresh_fails("/out_of_range", "rate 250 outside")
        self.assertEqual(
            self.series.refresh_error,
            "invalid answer: line 3: rate 250 outside [-1.0, 25.0]",
        )
        # With the shipped data (known until 30 April), the warning says why.
        self.series.sudo().known_until = date(2026, 4, 30)
        (warning, _legal) = self.series._stale_warnings(date(2026, 12, 1))
        self.assertIn("is not yet refreshed", warning)
        self.assertIn(
            "The last refresh failed: invalid answer: line 3: rate 250", warning
        )

    def test_long_reason_is_cut(self):
        self.series._record_refresh("x" * 10000)
        self.assertEqual(len(self.series.refresh_error), 300)

    def test_cron_downloads_only_when_useful(self):
        """Daily, it downloads in the first days of July until 2026 H2 is known,
        then once the last success is a month old."""
        self._use("/current")
        # A success on 20 June.
        self.series.write(
            {
                "known_until": date(2026, 6, 20),
                "refresh_date": datetime(2026, 6, 20, 4, 0),
                "refresh_error": False,
            }
        )
        cron = self.env.ref("account_dunning.ir_cron_dunning_rate_refresh")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        before = self._hits("/current")
        with freeze_time("2026-07-02 04:00:00"), self.assertLogs(LOGGER, logging.INFO):
            self.assertTrue(cron.method_direct_trigger())
        self.assertEqual(self._hits("/current"), before + 1, "2026 H2 not known")
        self.assertEqual(
            self._series_state()[:2], (date(2026, 7, 2), datetime(2026, 7, 2, 4))
        )
        for day in ("2026-07-02 05:00:00", "2026-07-03", "2026-07-20", "2026-07-31"):
            with self.subTest(day=day), freeze_time(day):
                self.assertEqual(self.Rate._cron_refresh_ecb_rates(), 0)
                self.assertEqual(self._hits("/current"), before + 1, "not due")
        with freeze_time("2026-08-05 04:00:00"), self.assertLogs(LOGGER, logging.INFO):
            self.Rate._cron_refresh_ecb_rates()
        self.assertEqual(self._hits("/current"), before + 2, "34 days: due")
        with freeze_time("2026-08-05 05:00:00"):
            self.Rate._cron_refresh_ecb_rates()
        self.assertEqual(self._hits("/current"), before + 2, "re-run: nothing")
        # A failure is tried again the next day.
        self._use("/not_found")
        failures = self._hits("/not_found")
        for day in ("2026-09-10 04:00:00", "2026-09-11 04:00:00"):
            with freeze_time(day), self.assertLogs(LOGGER, "WARNING"):
                self.Rate._cron_refresh_ecb_rates()
        self.assertEqual(self._hits("/not_found"), failures + 2)
        self.assertEqual(self.series.known_until, date(2026, 8, 5))

    def test_refresh_now(self):
        manager = new_test_user(
            self.env,
            login="rate_manager",
            groups="account_dunning.group_dunning_manager",
        )
        user = new_test_user(
            self.env, login="rate_invoicing", groups="account.group_account_invoice"
        )
        self._use("/good")
        before = (self._table(), self._series_state(), self._hits("/good"))
        with self.assertRaises(AccessError):
            self.series.with_user(user).action_refresh_now()
        self.assertEqual(
            (self._table(), self._series_state(), self._hits("/good")), before
        )
        with self.assertLogs(LOGGER, logging.INFO):
            action = self.series.with_user(manager).action_refresh_now()
        self.assertEqual(self._hits("/good"), before[2] + 1)
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(action["params"]["message"], "Refreshed: 1 new rate(s).")
        self.assertEqual(len(self._table() - before[0]), 1)
        self.assertFalse(self.series.refresh_error)
        self._use("/error")
        with self.assertLogs(LOGGER, "WARNING"):
            action = self.series.with_user(manager).action_refresh_now()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("The refresh failed: server error", action["params"]["message"])
