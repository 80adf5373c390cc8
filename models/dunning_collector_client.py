# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The HTTP client of the collectors' APIs: one JSON POST, retried on 429 and 5xx.

``post_json`` is a plain function (tested against a local server); the service
model ``account.dunning.collector.client`` wraps it for the engine, so that a module
can swap the transport. Neither logs the token nor the body.
"""

import json
import logging
import time
from collections import namedtuple

import requests

from odoo import api, models

_logger = logging.getLogger(__name__)

Result = namedtuple("Result", ["ok", "status", "error", "reference", "attempts"])

TIMEOUT = 30
RETRIES = 3
BACKOFF = 0.5
MAX_RETRY_AFTER = 10
# The whole call, retries included, within this many seconds: no retry is started
# that could end later (a worker is killed at limit_time_real, 120 s by default,
# before the hand-off could be marked failed).
MAX_TOTAL = 90
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))


def _retry_after(response, default, cap):
    """Seconds to wait: the server's Retry-After (seconds) within ``cap``."""
    value = response.headers.get("Retry-After")
    try:
        seconds = float(value) if value is not None else default
    except ValueError:
        seconds = default
    return max(0.0, min(seconds, cap))


def _message(response):
    """The collector's message, from a JSON body ``{"error"|"message": ...}``."""
    try:
        body = response.json()
    except ValueError:
        return (response.text or "").strip()[:300]
    if isinstance(body, dict):
        for key in ("error", "message", "detail"):
            if body.get(key):
                return str(body[key])[:300]
    return ""


def post_json(
    url,
    token,
    idempotency_key,
    payload,
    timeout=TIMEOUT,
    retries=RETRIES,
    backoff=BACKOFF,
    max_retry_after=MAX_RETRY_AFTER,
    max_total=MAX_TOTAL,
    sleep=time.sleep,
    clock=time.monotonic,
):
    """POST ``payload`` as JSON; the same Idempotency-Key on every attempt.

    :return: Result(ok, status, error, reference, attempts); ``error`` a pair
        (kind, detail): ``timeout`` (seconds), ``unreachable`` (the exception's
        name), ``retries`` or ``refused`` (the collector's message);
        ``reference`` the collector's reference if it gave one.
    """
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Authorization": f"Bearer {token or ''}",
        "Idempotency-Key": idempotency_key,
    }
    data = json.dumps(payload)
    status, attempt = None, 0
    started = clock()
    while True:
        attempt += 1
        try:
            response = requests.post(url, data=data, headers=headers, timeout=timeout)
        except requests.Timeout:
            return Result(False, None, ("timeout", timeout), None, attempt)
        except requests.RequestException as error:
            _logger.info("Dunning collector: %s", type(error).__name__)
            return Result(
                False, None, ("unreachable", type(error).__name__), None, attempt
            )
        status = response.status_code
        if 200 <= status < 300:
            reference = None
            try:
                body = response.json()
                if isinstance(body, dict) and body.get("reference"):
                    reference = str(body["reference"])[:100]
            except ValueError:
                _logger.debug("Dunning collector: the answer is not JSON")
            return Result(True, status, None, reference, attempt)
        if status in RETRY_STATUSES and attempt <= retries:
            wait = _retry_after(response, backoff * 2 ** (attempt - 1), max_retry_after)
            # The wait and the next attempt's whole timeout within the budget.
            if clock() - started + wait + timeout <= max_total:
                sleep(wait)
                continue
        kind = "retries" if status in RETRY_STATUSES else "refused"
        detail = _message(response)
        if token:
            # A collector may echo the token in its message: the reason is kept on
            # the hand-off and in its chatter, never the secret.
            detail = detail.replace(token, "***")
        return Result(False, status, (kind, detail), None, attempt)


class AccountDunningCollectorClient(models.AbstractModel):
    _name = "account.dunning.collector.client"
    _description = "Dunning: Collector API Client"

    @api.model
    def _post(self, url, token, idempotency_key, payload, **options):
        """``post_json``, with the error as a sentence in the user's language."""
        result = post_json(url, token, idempotency_key, payload, **options)
        if result.ok:
            return result
        kind, detail = result.error
        if kind == "timeout":
            error = self.env._(
                "the collector did not answer within %s seconds.", detail
            )
        elif kind == "unreachable":
            error = self.env._("the collector could not be reached (%s).", detail)
        elif kind == "retries":
            error = self.env._(
                "the collector answered HTTP %(status)s after %(attempts)s attempts.",
                status=result.status,
                attempts=result.attempts,
            )
        else:
            error = self.env._(
                "the collector refused the file (HTTP %s).", result.status
            )
        if detail and kind in ("retries", "refused"):
            error = f"{error} {detail}"
        return result._replace(error=error)
