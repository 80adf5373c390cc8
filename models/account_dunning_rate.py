import csv
import http.client
import io
import logging
import time
from datetime import date as date_type
from datetime import timedelta

import psycopg2
import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

_logger = logging.getLogger(__name__)

ECB_SOURCE = "ecb_mro"
ECB_DEFAULT_URL = (
    "https://data-api.ecb.europa.eu/service/data/FM/D.U2.EUR.4F.KR.MRR_FR.LEV"
    "?format=csvdata"
)
ECB_DEFAULT_TIMEOUT = 10.0
# The whole answer must arrive within this many timeouts (a server sending a byte
# now and then never trips the read timeout), and weigh at most this much: the
# series has one observation per change, a few kB.
ECB_DEADLINE_TIMEOUTS = 4
ECB_MAX_BYTES = 5 * 1024 * 1024
# Bounds of a plausible ECB policy rate, in percent: anything outside is a broken
# answer (wrong series, unit change, garbage), never a rate to charge customers.
ECB_MIN_RATE = -1.0
ECB_MAX_RATE = 25.0
# A plausible change: the ECB never moved its rate by more than 0.75 point at once
# (1999-2026), and announces a change a week or so before it applies.
ECB_MAX_STEP = 1.0
ECB_MAX_LEAD_DAYS = 31
ECB_DATE_COLUMN = "TIME_PERIOD"
ECB_VALUE_COLUMN = "OBS_VALUE"
RATE_DIGITS = 4


class AccountDunningRate(models.Model):
    """A dated reference rate (ECB MRO, French legal rate, or any other series)."""

    _name = "account.dunning.rate"
    _description = "Dunning Reference Rate"
    _order = "source, date desc"
    _rec_name = "date"

    source = fields.Char(
        required=True,
        index=True,
        default="ecb_mro",
        help="Code of the rate series: ecb_mro (ECB main refinancing operations), "
        "fr_legal (French legal interest rate, professional creditors), or any other.",
    )
    date = fields.Date(required=True, help="Date from which the rate is in force.")
    rate = fields.Float(required=True, digits=(16, 4), help="Annual rate, in percent.")
    known_until = fields.Date(
        compute="_compute_known_until",
        help="The last day whose rate in force its series knows: a half-year "
        "starting after it is computed with the last known rate, as provisional.",
    )

    _sql_constraints = [
        (
            "source_date_unique",
            "UNIQUE(source, date)",
            "A series has one rate per date.",
        ),
    ]

    @api.constrains("rate")
    def _check_rate(self):
        for record in self:
            if record.rate < 0:
                raise ValidationError(_("A reference rate cannot be negative."))

    @api.depends("source")
    def _compute_known_until(self):
        known = self.env["account.dunning.rate.series"]._known_until(
            set(self.mapped("source"))
        )
        for record in self:
            record.known_until = known.get(record.source) or False

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._extend_series()
        return records

    def write(self, vals):
        result = super().write(vals)
        if "date" in vals or "source" in vals:
            self._extend_series()
        return result

    def _extend_series(self):
        Series = self.env["account.dunning.rate.series"]
        for source, records in self.grouped("source").items():
            Series._extend_known(source, records.mapped("date"))

    @api.model
    def _known_until(self, sources):
        """{source: the last day whose rate is known, None if not tracked}."""
        return self.env["account.dunning.rate.series"]._known_until(sources)

    @api.model
    def _rates_by_source(self, sources):
        """{source: [(date, rate), ...] sorted by date}: what the computations read."""
        result = {source: [] for source in sources}
        records = self.search_fetch(
            [("source", "in", list(sources))],
            ["source", "date", "rate"],
            order="date",
        )
        for record in records:
            result[record.source].append((record.date, record.rate))
        return result

    # ------------------------------------------------------------------
    # ECB Data Portal client
    # ------------------------------------------------------------------

    @api.model
    def _ecb_settings(self):
        """(url, timeout in seconds) of the ECB download, from the system parameters."""
        params = self.env["ir.config_parameter"].sudo()
        url = params.get_param("account_dunning.ecb_rate_url") or ECB_DEFAULT_URL
        raw_timeout = params.get_param("account_dunning.ecb_rate_timeout")
        try:
            timeout = float(raw_timeout) if raw_timeout else ECB_DEFAULT_TIMEOUT
        except ValueError:
            timeout = 0.0
        if timeout <= 0:
            # A missing or zero timeout would let the cron hang on a dead server.
            _logger.warning(
                "Dunning: invalid account_dunning.ecb_rate_timeout %r, using %ss",
                raw_timeout,
                ECB_DEFAULT_TIMEOUT,
            )
            timeout = ECB_DEFAULT_TIMEOUT
        return url, timeout

    @api.model
    def _ecb_session(self):
        """A requests session that retries transient server errors a few times.

        A ``Retry-After`` header is not obeyed: a 503 could otherwise put the cron
        to sleep for as long as the server says.
        """
        retry = Retry(
            total=2,
            backoff_factor=0.5,
            status_forcelist=(500, 502, 503, 504),
            allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=False,
        )
        session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    @api.model
    def _ecb_fetch(self, url, timeout):
        """Body of the ECB answer; raises requests.RequestException on any failure.

        No redirect is followed, and the body is read within a size and a total
        time limit.
        """
        deadline = time.monotonic() + timeout * ECB_DEADLINE_TIMEOUTS
        with self._ecb_session() as session:
            with session.get(
                url,
                timeout=timeout,
                stream=True,
                allow_redirects=False,
                headers={"Accept-Encoding": "identity"},
            ) as response:
                if response.is_redirect or 300 <= response.status_code < 400:
                    raise requests.RequestException(
                        "redirect to %s refused"
                        % (response.headers.get("Location") or "?")
                    )
                response.raise_for_status()
                body = self._ecb_read_body(response, deadline, timeout)
                return body.decode(response.encoding or "utf-8", errors="replace")

    @api.model
    def _ecb_read_body(self, response, deadline, timeout):
        """The body, at most ECB_MAX_BYTES, read before the deadline.

        A read timeout fires only when nothing comes for ``timeout`` seconds: a
        server sending a byte now and then would hold the cron for ever. The body
        is read with ``read1`` (what has arrived, after at most one wait on the
        socket), so the deadline is checked between reads.
        """
        encoding = response.headers.get("Content-Encoding", "identity").lower()
        if encoding != "identity":
            raise requests.RequestException(f"{encoding}-encoded answer refused")
        raw = response.raw
        # urllib3 2 reads with read1 itself; urllib3 1.26 through its http.client
        # response.
        read1 = getattr(raw, "read1", None) or raw._fp.read1
        body = bytearray()
        while True:
            try:
                chunk = read1(64 * 1024)
            except (
                OSError,
                http.client.HTTPException,
                urllib3.exceptions.HTTPError,
            ) as error:
                raise requests.RequestException(f"answer cut short: {error}") from None
            if not chunk:
                return bytes(body)
            body += chunk
            if len(body) > ECB_MAX_BYTES:
                raise requests.RequestException(
                    f"answer larger than {ECB_MAX_BYTES} bytes"
                )
            if time.monotonic() > deadline:
                raise requests.RequestException(
                    f"answer not complete within {timeout * ECB_DEADLINE_TIMEOUTS}s"
                )

    @api.model
    def _ecb_parse(self, text):
        """[(date, rate), ...] sorted by date, one pair per change of value.

        The series is forward-filled (one observation per change, possibly repeated
        on later days): only the observations that change the value are kept.
        Raises ValueError with a readable message on anything unexpected.
        """
        if not text or not text.strip():
            raise ValueError("empty answer")
        reader = csv.DictReader(io.StringIO(text.strip()))
        observations = {}
        try:
            columns = set(reader.fieldnames or ())
            missing = {ECB_DATE_COLUMN, ECB_VALUE_COLUMN} - columns
            if missing:
                raise ValueError(
                    "not an ECB csvdata answer, missing column(s) %s"
                    % ", ".join(sorted(missing))
                )
            for line_number, row in enumerate(reader, start=2):
                day, rate = self._ecb_parse_row(row, line_number)
                observations[day] = rate
        except csv.Error as error:
            raise ValueError(f"not a CSV answer: {error}") from None
        if not observations:
            raise ValueError("no observation in the answer")
        pairs = []
        for day in sorted(observations):
            rate = observations[day]
            if not pairs or float_compare(rate, pairs[-1][1], RATE_DIGITS):
                pairs.append((day, rate))
        return pairs

    @api.model
    def _ecb_parse_row(self, row, line_number):
        """(date, rate) of one csvdata row; raises ValueError if it is malformed."""
        raw_date = (row.get(ECB_DATE_COLUMN) or "").strip()
        raw_value = (row.get(ECB_VALUE_COLUMN) or "").strip()
        try:
            day = date_type.fromisoformat(raw_date)
        except ValueError:
            raise ValueError(
                f"line {line_number}: {ECB_DATE_COLUMN} {raw_date!r} is not a "
                "YYYY-MM-DD date"
            ) from None
        # fromisoformat also accepts 20250611 or 2025-W24-3 in Python 3.11: be strict.
        if raw_date != day.isoformat():
            raise ValueError(
                f"line {line_number}: {ECB_DATE_COLUMN} {raw_date!r} is not a "
                "YYYY-MM-DD date"
            )
        try:
            rate = float(raw_value)
        except ValueError:
            raise ValueError(
                f"line {line_number}: {ECB_VALUE_COLUMN} {raw_value!r} is not a number"
            ) from None
        # "nan" <= 25 is False as well, so NaN and infinities are rejected here.
        if not ECB_MIN_RATE <= rate <= ECB_MAX_RATE:
            raise ValueError(
                f"line {line_number}: rate {raw_value} outside "
                f"[{ECB_MIN_RATE}, {ECB_MAX_RATE}]"
            )
        return day, rate

    @api.model
    def _ecb_store(self, pairs):
        """Create the ECB rates not known yet; return how many were created.

        Rates already stored win (a manager may have corrected one by hand), and a
        pair repeating the value already in force is not stored: the series only
        records changes.
        """
        known = dict(self._rates_by_source([ECB_SOURCE])[ECB_SOURCE])
        timeline = dict(pairs)
        timeline.update(known)
        latest_day = fields.Date.context_today(self) + timedelta(days=ECB_MAX_LEAD_DAYS)
        vals_list = []
        in_force = None
        for day in sorted(timeline):
            rate = timeline[day]
            is_change = in_force is None or float_compare(rate, in_force, RATE_DIGITS)
            if day not in known and is_change:
                self._ecb_check_plausible(day, rate, in_force, latest_day)
                vals_list.append({"source": ECB_SOURCE, "date": day, "rate": rate})
            in_force = rate
        self.create(vals_list)
        return len(vals_list)

    @api.model
    def _ecb_check_plausible(self, day, rate, in_force, latest_day):
        """Refuse a new rate that no ECB decision could have produced."""
        if day > latest_day:
            raise ValueError(
                f"a rate dated {day.isoformat()}, more than {ECB_MAX_LEAD_DAYS} "
                "days ahead, is not plausible"
            )
        if in_force is not None and abs(rate - in_force) > ECB_MAX_STEP:
            raise ValueError(
                f"a change from {in_force} to {rate} on {day.isoformat()} is more "
                f"than {ECB_MAX_STEP} point at once: not plausible"
            )

    @api.model
    def _ecb_failure_reason(self, error, timeout):
        """Short explanation of a failed download, for the log and the series."""
        # Once the retries are exhausted, requests wraps the last urllib3 error
        # (read timeout, 5xx answers) in a MaxRetryError: report its cause.
        cause = getattr(error.args[0], "reason", None) if error.args else None
        # urllib3 makes a refused connection or an unknown host a connect timeout.
        if isinstance(cause, urllib3.exceptions.NewConnectionError):
            return "cannot connect: " + str(cause).split(": ", 1)[-1]
        if isinstance(error, requests.Timeout) or isinstance(
            cause, urllib3.exceptions.TimeoutError
        ):
            return f"no answer within {timeout}s"
        if isinstance(error, requests.exceptions.RetryError):
            return f"server error, retries exhausted: {cause or error}"
        return f"{type(error).__name__}: {error}"

    @api.model
    def _cron_refresh_ecb_rates(self):
        """Daily: download the ECB rates when useful (rate_series.refresh_due).

        Returns the number of rates added.
        """
        series = self.env["account.dunning.rate.series"].sudo()._series(ECB_SOURCE)
        if not series._refresh_due(fields.Date.context_today(self)):
            _logger.debug("Dunning: ECB rate refresh not due")
            return 0
        return self._ecb_refresh() or 0

    @api.model
    def _ecb_refresh(self):
        """Add the ECB MRO rate changes published since the last refresh, and record
        the outcome on the series.

        Never raises: a failed download must not lose the rates already known nor
        stop the cron; the next run tries again. Returns the number of rates added,
        None when another refresh is running.
        """
        series = self.env["account.dunning.rate.series"].sudo()._series(ECB_SOURCE)
        if not series._refresh_lock():
            _logger.info("Dunning: ECB rate refresh already running, skipped")
            return None
        url, timeout = self._ecb_settings()
        try:
            pairs = self._ecb_parse(self._ecb_fetch(url, timeout))
            # Savepoint: a refused rate must not poison the cron's transaction.
            with self.env.cr.savepoint():
                added = self._ecb_store(pairs)
        except requests.RequestException as error:
            reason = self._ecb_failure_reason(error, timeout)
        except (ValueError, ValidationError, psycopg2.IntegrityError) as error:
            reason = f"invalid answer: {error}"
        else:
            series._record_refresh()
            _logger.info(
                "Dunning: ECB rate refresh from %s added %s rate(s)", url, added
            )
            return added
        series._record_refresh(reason)
        count = self.search_count([("source", "=", ECB_SOURCE)])
        _logger.warning(
            "Dunning: ECB rate refresh from %s failed (%s); keeping the %s rates "
            "already known",
            url,
            reason.replace("\n", " "),
            count,
        )
        return 0
