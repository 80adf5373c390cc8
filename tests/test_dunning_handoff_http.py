# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The collector's API client against a local server, and the status route over
real HTTP. No network access but 127.0.0.1."""

import base64
import io
import json
import threading
import time
import zipfile
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo import Command
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tests.common import _super_send

from odoo.addons.account_dunning.controllers.handoff_status import lookup
from odoo.addons.account_dunning.models.dunning_collector_client import post_json

from .common import TODAY
from .test_dunning_handoffs import HandoffCommon

COLLECTOR_TOKEN = "collector-secret-7f3a"


class CollectorServer:
    """A collector's API on 127.0.0.1: answers a script of (status, headers, body,
    delay) and records what it received."""

    def __init__(self, script):
        self.script = list(script)
        self.received = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                server.received.append((dict(self.headers), body))
                status, headers, answer, delay = (
                    server.script.pop(0) if server.script else (201, {}, {}, 0)
                )
                if delay:
                    time.sleep(delay)
                payload = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    # the client gave up (timeout)
                    self.close_connection = True

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/files"

    def __enter__(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@tagged("post_install", "-at_install")
class TestDunningCollectorClient(HandoffCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.customer, 1000.0, date(2024, 5, 1))
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_dunning.collector_timeout", "5"
        )

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's test mode raises any timeout below 10 s to 10 s; the test's own
        # server on 127.0.0.1 is queried with the configured timeout to test it.
        if r.url.startswith("http://127.0.0.1:") and r.url.endswith("/files"):
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def _api_handoff(self, url):
        self.agency.sudo().write(
            {"dunning_collector_url": url, "dunning_collector_token": COLLECTOR_TOKEN}
        )
        return self._handoff(self.invoice)

    def test_post_json_retries(self):
        sleeps = []
        script = [
            (429, {"Retry-After": "3600"}, {}, 0),
            (503, {}, {}, 0),
            (201, {}, {"reference": "AG-1"}, 0),
        ]
        with CollectorServer(script) as server:
            result = post_json(
                server.url,
                "t0k",
                "key-1",
                {"a": 1},
                timeout=5,
                max_retry_after=0.05,
                backoff=0.01,
                sleep=sleeps.append,
            )
        self.assertTrue(result.ok)
        self.assertEqual(
            (result.status, result.reference, result.attempts), (201, "AG-1", 3)
        )
        # Retry-After honoured within its cap, then the backoff.
        self.assertEqual(sleeps, [0.05, 0.02])
        keys = {headers["Idempotency-Key"] for headers, _body in server.received}
        self.assertEqual(keys, {"key-1"})
        self.assertEqual(json.loads(server.received[0][1]), {"a": 1})

    def test_post_json_time_budget(self):
        """The retries stop before the whole call could outlast the budget (a
        worker is killed at limit_time_real, 120 s by default, before the
        hand-off is marked failed)."""
        sleeps = []
        script = [(503, {"Retry-After": "1"}, {}, 0), (201, {}, {}, 0)]
        with CollectorServer(script) as server:
            result = post_json(
                server.url,
                "t0k",
                "key-1",
                {"a": 1},
                timeout=5,
                max_total=2,
                sleep=sleeps.append,
            )
        # 1 s to wait + up to 5 s for the next answer > 2 s: no retry.
        self.assertFalse(result.ok)
        self.assertEqual((result.status, result.attempts), (503, 1))
        self.assertEqual(result.error[0], "retries")
        self.assertEqual(sleeps, [])

    @freeze_time(TODAY)
    def test_send_201(self):
        with CollectorServer([(201, {}, {"reference": "AG-42"}, 0)]) as server:
            handoff = self._api_handoff(server.url)
            handoff.with_user(self.invoice_user).action_send()
        self.assertEqual(handoff.state, "sent")
        self.assertEqual(handoff.collector_reference, "AG-42")
        self.assertTrue(self.invoice.dunning_handed_off)
        headers, body = server.received[0]
        self.assertEqual(headers["Authorization"], f"Bearer {COLLECTOR_TOKEN}")
        self.assertEqual(headers["Idempotency-Key"], handoff.idempotency_key)
        payload = json.loads(body)
        self.assertEqual(payload["schema"], "account_dunning.handoff/1")
        self.assertEqual(payload["creditor"]["name"], self.company.name)
        self.assertEqual(payload["debtor"]["name"], "Dubois SARL")
        self.assertEqual(
            [
                (claim["invoice"], claim["amount_due"], claim["indemnity"])
                for claim in payload["claims"]
            ],
            [(self.invoice.name, 1000.0, 40.0)],
        )
        self.assertEqual(
            payload["handoff"]["status_token"], handoff.sudo().status_token
        )
        self.assertTrue(
            payload["handoff"]["status_url"].endswith(
                f"/account_dunning/handoff/{handoff.id}/status"
            )
        )
        archive = zipfile.ZipFile(
            io.BytesIO(base64.b64decode(payload["file"]["content_base64"]))
        )
        self.assertIn("file.csv", archive.namelist())
        # Neither secret in the chatter nor the trace.
        texts = (
            handoff.message_ids.mapped("body")
            + self.customer.message_ids.mapped("body")
            + self.env["account.dunning.action"]
            .sudo()
            .search([("partner_id", "=", self.customer.id)])
            .mapped("reason")
        )
        for text in texts:
            self.assertNotIn(COLLECTOR_TOKEN, text or "")
            self.assertNotIn(handoff.sudo().status_token, text or "")

    @freeze_time(TODAY)
    def test_send_503_then_201_same_key(self):
        script = [(503, {"Retry-After": "0"}, {"error": "busy"}, 0), (201, {}, {}, 0)]
        with CollectorServer(script) as server:
            handoff = self._api_handoff(server.url)
            handoff.with_user(self.invoice_user).action_send()
        self.assertEqual(handoff.state, "sent")
        self.assertEqual(len(server.received), 2)
        keys = [headers["Idempotency-Key"] for headers, _body in server.received]
        self.assertEqual(keys, [handoff.idempotency_key] * 2)

    @freeze_time(TODAY)
    def test_send_400_fails_clearly(self):
        script = [(400, {}, {"error": "SIREN of the debtor missing"}, 0)]
        with CollectorServer(script) as server:
            handoff = self._api_handoff(server.url)
            key = handoff.idempotency_key
            handoff.with_user(self.invoice_user).action_send()
        self.assertEqual(len(server.received), 1, "a 4xx is not retried")
        self.assertEqual(handoff.state, "failed")
        self.assertIn("refused the file (HTTP 400)", handoff.failure_reason)
        self.assertIn("SIREN of the debtor missing", handoff.failure_reason)
        self.assertFalse(self.invoice.dunning_handed_off)
        # The collector refused the file: it created nothing, and the file sent
        # again once corrected differs, so it goes with a new key (a server
        # following the Idempotency-Key draft answers 422 to a key reused with
        # another body).
        self.assertNotEqual(handoff.idempotency_key, key)
        with CollectorServer([(201, {}, {}, 0)]) as server:
            self.agency.sudo().dunning_collector_url = server.url
            handoff.with_user(self.invoice_user).action_send()
        self.assertEqual(handoff.state, "sent")
        self.assertEqual(
            server.received[0][0]["Idempotency-Key"], handoff.idempotency_key
        )
        self.assertNotEqual(handoff.idempotency_key, key)

    @freeze_time(TODAY)
    def test_send_401_token_not_echoed(self):
        """A collector that echoes the token in its error message: the reason kept
        on the hand-off, its chatter and the trace do not hold it."""
        script = [(401, {}, {"error": f"token {COLLECTOR_TOKEN} is not valid"}, 0)]
        with CollectorServer(script) as server:
            handoff = self._api_handoff(server.url)
            handoff.with_user(self.invoice_user).action_send()
        self.assertEqual(handoff.state, "failed")
        self.assertIn("refused the file (HTTP 401)", handoff.failure_reason)
        self.assertIn("is not valid", handoff.failure_reason)
        texts = [
            handoff.failure_reason,
            *handoff.message_ids.mapped("body"),
            *self.customer.message_ids.mapped("body"),
            *self.env["account.dunning.action"]
            .sudo()
            .search([("partner_id", "=", self.customer.id)])
            .mapped("reason"),
        ]
        for text in texts:
            self.assertNotIn(COLLECTOR_TOKEN, text or "")

    @freeze_time(TODAY)
    def test_send_timeout(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "account_dunning.collector_timeout", "0.3"
        )
        with CollectorServer([(201, {}, {}, 1.5)]) as server:
            handoff = self._api_handoff(server.url)
            handoff.with_user(self.invoice_user).action_send()
        self.assertEqual(handoff.state, "failed")
        self.assertIn("did not answer within 0.3 seconds", handoff.failure_reason)
        self.assertFalse(self.invoice.dunning_handed_off)
        # The collector may have received it: sent again by hand, the same key
        # lets it see the same file twice and keep one.
        first_key = server.received[0][0]["Idempotency-Key"]
        self.assertEqual(first_key, handoff.idempotency_key)
        with CollectorServer([(201, {}, {}, 0)]) as server:
            self.agency.sudo().dunning_collector_url = server.url
            handoff.with_user(self.invoice_user).action_send()
        self.assertEqual(handoff.state, "sent")
        self.assertEqual(server.received[0][0]["Idempotency-Key"], first_key)


@tagged("post_install", "-at_install")
class TestDunningHandoffStatus(HandoffCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.customer, 1000.0, date(2024, 5, 1))
        cls.other_invoice = cls._invoice(cls.customer, 400.0, date(2024, 5, 1))
        Handoff = cls.env["account.dunning.handoff"]
        cls.handoff, cls.other = Handoff.create(
            [
                {
                    "partner_id": cls.customer.id,
                    "collector_id": cls.agency.id,
                    "date": TODAY,
                    "commission_rate": 12.0,
                    "move_ids": [Command.set(move.ids)],
                }
                for move in (cls.invoice, cls.other_invoice)
            ]
        )
        (cls.handoff | cls.other).action_send()

    def _post(self, handoff_id, body, token):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        return self.url_open(
            f"/account_dunning/handoff/{handoff_id}/status", data=data, headers=headers
        )

    def _unchanged(self):
        self.handoff.invalidate_recordset()
        self.assertEqual(self.handoff.state, "sent")
        self.assertEqual(self.handoff.amount_recovered, 0.0)

    def test_good_token(self):
        token = self.handoff.sudo().status_token
        response = self._post(
            self.handoff.id, {"state": "recovered", "amount_recovered": 1000}, token
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            response.json(),
            {
                "id": self.handoff.id,
                "state": "recovered",
                "amount_recovered": 1000.0,
                "commission_amount": 120.0,
                "currency": self.handoff.currency_id.name,
            },
        )
        self.handoff.invalidate_recordset()
        self.assertEqual(self.handoff.state, "recovered")
        # 1,000.00 x 12 % = 120.00
        self.assertEqual(self.handoff.commission_amount, 120.0)
        trace = (
            self.env["account.dunning.action"]
            .sudo()
            .search([("channel", "=", "handoff"), ("move_ids", "in", self.invoice.ids)])
        )
        self.assertTrue(
            any("The collector reports" in t for t in trace.mapped("reason"))
        )
        # A later report: returned, the invoice back to the reminders.
        response = self._post(self.handoff.id, {"state": "returned"}, token)
        self.assertEqual(response.status_code, 200, response.text)
        self.invoice.invalidate_recordset()
        self.assertFalse(self.invoice.dunning_handed_off)

    def test_wrong_tokens(self):
        body = {"state": "recovered", "amount_recovered": 500}
        answers = [
            self._post(self.handoff.id, body, "not-the-token"),
            self._post(self.handoff.id, body, self.other.sudo().status_token),
            self._post(self.handoff.id, body, None),
            self._post(999999, body, self.handoff.sudo().status_token),
        ]
        self.assertEqual([answer.status_code for answer in answers], [403] * 4)
        # The same answer for an unknown hand-off and a wrong token.
        self.assertEqual(answers[0].json(), answers[3].json())
        self._unchanged()
        self.other.invalidate_recordset()
        self.assertEqual(self.other.state, "sent")

    def test_malformed_body(self):
        token = self.handoff.sudo().status_token
        for body in (
            b"not json",
            {"state": "paid"},
            {"state": "recovered", "amount_recovered": -1},
            {"state": "recovered", "amount_recovered": "1000"},
            {"state": "recovered", "amount_recovered": True},
            {"state": "recovered"},
            {"state": "recovered", "amount_recovered": 1e9},
            ["recovered"],
        ):
            response = self._post(self.handoff.id, body, token)
            self.assertEqual(response.status_code, 400, body)
        self._unchanged()

    def test_lookup_tells_nothing(self):
        """A known and an unknown hand-off are looked up with the same queries:
        the time taken does not tell which ones exist."""
        env = self.env(user=self.env.ref("base.public_user"))
        for handoff_id in (self.handoff.id, 999999):
            self.env.invalidate_all()
            with self.assertQueryCount(1):
                lookup(env, handoff_id)
        self.env.invalidate_all()
        self.assertEqual(
            lookup(env, self.handoff.id)[1], self.handoff.sudo().status_token
        )
        self.assertEqual(lookup(env, 999999)[1], "")

    def test_odd_bodies(self):
        """Odd JSON is a 400 (never a 500), an out-of-range id a 403: nothing
        changed."""
        token = self.handoff.sudo().status_token
        huge = b'{"state": "recovered", "amount_recovered": 1' + b"0" * 400 + b"}"
        for body in (
            huge,
            b'{"state": "recovered", "amount_recovered": NaN}',
            b'{"state": "recovered", "amount_recovered": Infinity}',
            b'"recovered"',
            b"null",
            b" ",
            {"state": None},
            {"state": ["recovered"], "amount_recovered": 10},
            {"state": "recovered", "amount_recovered": [10]},
            {"state": "recovered", "amount_recovered": {"value": 10}},
            {"state": "recovered", "amount_recovered": False},
        ):
            response = self._post(self.handoff.id, body, token)
            self.assertEqual(response.status_code, 400, body)
        body = {"state": "recovered", "amount_recovered": 500}
        answers = [
            self._post(2**40, body, token),
            self._post(self.handoff.id, body, f"{token}x"),
        ]
        self.assertEqual([answer.status_code for answer in answers], [403, 403])
        self.assertEqual(answers[0].json(), answers[1].json())
        self._unchanged()

    def test_no_going_back(self):
        """A collector's reports only move forward: no recovered -> acknowledged,
        no smaller recovered amount; a closed hand-off takes no report."""
        token = self.handoff.sudo().status_token
        good = self._post(
            self.handoff.id,
            {"state": "partly_recovered", "amount_recovered": 600},
            token,
        )
        self.assertEqual(good.status_code, 200, good.text)
        for body in (
            {"state": "acknowledged"},
            {"state": "partly_recovered", "amount_recovered": 500},
            {"state": "recovered", "amount_recovered": 599.99},
        ):
            response = self._post(self.handoff.id, body, token)
            self.assertEqual(response.status_code, 409, body)
        self.handoff.invalidate_recordset()
        self.assertEqual(
            (self.handoff.state, self.handoff.amount_recovered),
            ("partly_recovered", 600.0),
        )
        good = self._post(
            self.handoff.id, {"state": "recovered", "amount_recovered": 1000}, token
        )
        self.assertEqual(good.status_code, 200, good.text)
        # The same report again (the collector's retry) is accepted, unchanged.
        again = self._post(
            self.handoff.id, {"state": "recovered", "amount_recovered": 1000}, token
        )
        self.assertEqual(again.status_code, 200, again.text)
        for body in (
            {"state": "partly_recovered", "amount_recovered": 1000},
            {"state": "acknowledged"},
        ):
            response = self._post(self.handoff.id, body, token)
            self.assertEqual(response.status_code, 409, body)
        self.handoff.invalidate_recordset()
        self.assertEqual(
            (self.handoff.state, self.handoff.amount_recovered), ("recovered", 1000.0)
        )
        # 1,000.00 x 12 % = 120.00
        self.assertEqual(self.handoff.commission_amount, 120.0)
        self.handoff.with_user(self.dunning_manager).action_close()
        response = self._post(self.handoff.id, {"state": "returned"}, token)
        self.assertEqual(response.status_code, 409)
        self.handoff.invalidate_recordset()
        self.assertEqual(self.handoff.state, "closed")
