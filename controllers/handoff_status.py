# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The collector's status calls: ``POST /account_dunning/handoff/<id>/status``.

Authenticated by the hand-off's own secret (``Authorization: Bearer <token>``),
compared in constant time. An unknown hand-off and a wrong token get the same 403,
so that the route tells nothing about which hand-offs exist.
"""

import hmac
import json
import math

from odoo import http
from odoo.http import request

REPORTED_STATES = ("acknowledged", "recovered", "partly_recovered", "returned")
# The hand-offs a collector may still report on.
OPEN_STATES = ("sent", "acknowledged", "recovered", "partly_recovered")
# What an unknown hand-off's token is compared with: as long as a real one.
UNKNOWN_TOKEN = "-" * 43


def lookup(env, handoff_id):
    """The hand-off and its secret, found alike whether it exists or not."""
    # sudo: the hand-off is found by id, then authenticated by its own secret;
    # nothing is read or written before the token matched.
    if not 0 < handoff_id < 2**31:
        # No such id in an integer column (PostgreSQL would refuse the value):
        # looked up as 0, the same query that finds nothing.
        handoff_id = 0
    # One query either way (an exists() then a read was two for a known one).
    handoff = (
        env["account.dunning.handoff"]
        .sudo()
        .search_fetch(
            [("id", "=", handoff_id)], ["status_token", "state"], order="id", limit=1
        )
    )
    return handoff, handoff.status_token or ""


def _answer(status, body):
    return request.make_json_response(body, status=status)


class DunningHandoffStatus(http.Controller):
    @http.route(
        "/account_dunning/handoff/<int:handoff_id>/status",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def handoff_status(self, handoff_id, **kwargs):
        header = request.httprequest.headers.get("Authorization") or ""
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        handoff, expected = lookup(request.env, handoff_id)
        # Compared even for an unknown hand-off, so that the time taken does not
        # tell which ones exist.
        matched = hmac.compare_digest(
            token.encode(), (expected or UNKNOWN_TOKEN).encode()
        )
        if not (token and expected and matched):
            # the same answer for an unknown hand-off and a wrong token
            return _answer(403, {"error": "forbidden"})
        try:
            body = json.loads(request.httprequest.get_data() or b"")
        except (ValueError, UnicodeDecodeError):
            return _answer(400, {"error": "the body is not JSON"})
        if not isinstance(body, dict):
            return _answer(400, {"error": "the body must be a JSON object"})
        state = body.get("state")
        if state not in REPORTED_STATES:
            return _answer(
                400,
                {"error": "state must be one of " + ", ".join(REPORTED_STATES)},
            )
        amount = body.get("amount_recovered")
        if amount is not None:
            try:
                # A bool is an int in Python, and an int too large for a float
                # (10**400 is valid JSON) raises OverflowError: both are a 400.
                if isinstance(amount, bool) or not isinstance(amount, int | float):
                    raise ValueError(amount)
                amount = float(amount)
            except (ValueError, OverflowError):
                amount = -1.0
            if not math.isfinite(amount) or amount < 0:
                return _answer(
                    400, {"error": "amount_recovered must be a number, zero or more"}
                )
        if state in ("recovered", "partly_recovered") and amount is None:
            return _answer(400, {"error": "amount_recovered is required"})
        if handoff.state not in OPEN_STATES:
            return _answer(409, {"error": "this hand-off is not open"})
        currency = handoff.currency_id
        if (
            amount is not None
            and currency.compare_amounts(amount, handoff.amount_claimed) > 0
        ):
            return _answer(
                400, {"error": "amount_recovered is above the amount claimed"}
            )
        env = request.env(su=True)
        refusal = env["account.dunning.handoff.engine"]._status_refusal(
            handoff.with_env(env), state, amount
        )
        if refusal:
            return _answer(409, {"error": refusal})
        env["account.dunning.handoff.engine"]._record_status(
            handoff.with_env(env), state, amount
        )
        return _answer(
            200,
            {
                "id": handoff.id,
                "state": handoff.state,
                "amount_recovered": handoff.amount_recovered,
                "commission_amount": handoff.commission_amount,
                "currency": currency.name,
            },
        )
