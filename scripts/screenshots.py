"""Take the README's screenshots from a running demo server with headless Chromium.

    python3 scripts/screenshots.py --url http://localhost:8069 --db dunning_demo \
        --out static/description/screenshots

Logs in as admin through JSON-RPC, hands the session cookie to Chromium over the
DevTools protocol and captures each page once Odoo has rendered it. Needs `requests` and
`websocket-client` (both in Odoo's own environment) and Debian's chromium.
"""

import argparse
import base64
import json
import os
import subprocess
import tempfile
import time
from urllib.parse import urlparse

import requests
import websocket

PAGES = [
    # (file name, path, CSS selector that tells the page is ready)
    ("runs", "/odoo/action-account_dunning.account_dunning_run_action", ".o_list_view"),
    (
        "run",
        "/odoo/action-account_dunning.account_dunning_run_action/{run_id}",
        ".o_form_view",
    ),
    (
        "trace",
        "/odoo/action-account_dunning.account_dunning_action_action",
        ".o_list_view",
    ),
    (
        "policy",
        "/odoo/action-account_dunning.account_dunning_policy_action/{policy_id}",
        ".o_form_view",
    ),
    (
        "customer",
        "/odoo/action-account.res_partner_action_customer/{partner_id}",
        ".o_form_view",
    ),
    (
        "invoice",
        "/odoo/action-account.action_move_out_invoice_type/{move_id}",
        ".o_form_view",
    ),
    ("email", "/odoo/action-mail.action_view_mail_mail/{mail_id}", ".o_form_view"),
    (
        "penalties",
        "/odoo/action-account.action_move_out_invoice_type/{move_id}",
        ".o_form_view",
    ),
    ("blocked", "/odoo/sales/{order_id}", ".o_dunning_block_banner"),
    (
        "dashboard",
        "/odoo/action-account_dunning.account_dunning_dashboard_server_action",
        ".o_field_widget[name='debtors_html'] table",
    ),
    (
        "aging",
        "/odoo/action-account_dunning.account_dunning_aging_line_action",
        ".o_pivot table",
    ),
]

# The customer page, taken as the demo's portal user (--portal): (file name, path,
# ready selector, script run before the capture).
PORTAL_PAGES = [
    ("portal_dues", "/my/dues", "#o_dunning_dues", None),
    (
        "portal_promise",
        "/my/dues",
        "#o_dunning_dues",
        "document.querySelector('.o_dunning_promise_toggle')?.click()",
    ),
    ("portal_dues_fr", "/my/dues", "#o_dunning_dues", None),
]

# Which notebook tab to open before the capture.
TABS = {"customer": "Dunning", "invoice": "Dunning", "penalties": "Late Penalties"}


def rpc(session, url, model, method, *args, **kwargs):
    response = session.post(
        f"{url}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": kwargs,
            },
        },
        timeout=60,
    ).json()
    if "error" in response:
        raise RuntimeError(response["error"]["data"]["message"])
    return response["result"]


def record_ids(session, url):
    run = rpc(
        session,
        url,
        "account.dunning.run",
        "search_read",
        [("state", "=", "done")],
        fields=["id"],
        limit=1,
        order="id desc",
    )
    action = rpc(
        session,
        url,
        "account.dunning.action",
        "search_read",
        [("state", "=", "sent"), ("channel", "=", "email")],
        fields=["partner_id", "move_ids", "mail_id"],
        limit=1,
        order="amount desc",
    )
    policy = rpc(
        session,
        url,
        "res.company",
        "search_read",
        [],
        fields=["dunning_policy_id"],
        limit=1,
    )
    orders = rpc(
        session, url, "sale.order", "search", [("state", "=", "draft")], limit=1
    )
    return {
        "run_id": run[0]["id"],
        "partner_id": action[0]["partner_id"][0],
        "move_id": action[0]["move_ids"][0],
        "mail_id": action[0]["mail_id"][0],
        "policy_id": policy[0]["dunning_policy_id"][0],
        "order_id": orders[0] if orders else 0,
    }


class Browser:
    def __init__(self, port=9333):
        self.profile = tempfile.mkdtemp(prefix="dunning-shots-")
        self.process = subprocess.Popen(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "--window-size=1440,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(50):
            try:
                targets = requests.get(
                    f"http://127.0.0.1:{port}/json", timeout=1
                ).json()
                break
            except requests.RequestException:
                time.sleep(0.2)
        page = next(target for target in targets if target["type"] == "page")
        self.socket = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=60
        )
        self.counter = 0

    def send(self, method, **params):
        self.counter += 1
        self.socket.send(
            json.dumps({"id": self.counter, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.counter:
                return message.get("result", {})

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.send(
                "Runtime.evaluate",
                expression=f"!!document.querySelector({json.dumps(selector)})",
                returnByValue=True,
            )
            if found.get("result", {}).get("value"):
                time.sleep(1.5)  # let lazy widgets finish
                return True
            time.sleep(0.3)
        return False

    def close(self):
        self.socket.close()
        self.process.terminate()


def login(options):
    """A JSON-RPC session of --login, and the answer of the login."""
    session = requests.Session()
    auth = session.post(
        f"{options.url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {
                "db": options.db,
                "login": options.login,
                "password": options.password,
            },
        },
        timeout=60,
    ).json()
    if auth.get("error"):
        raise SystemExit(f"login failed: {auth['error']['data']['message']}")
    return session, auth


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="dunning_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default="static/description/screenshots")
    parser.add_argument("--lang", default="en_US")
    parser.add_argument(
        "--only", nargs="*", help="take only these pages (names as in PAGES)"
    )
    parser.add_argument(
        "--portal",
        action="store_true",
        help="the customer page, as the portal user --login (the demo's: portal)",
    )
    options = parser.parse_args()
    os.makedirs(options.out, exist_ok=True)

    session, auth = login(options)
    ids = {} if options.portal else record_ids(session, options.url)

    browser = Browser()
    try:
        browser.send("Network.enable")
        browser.send(
            "Network.setCookie",
            name="session_id",
            value=session.cookies["session_id"],
            domain=urlparse(options.url).hostname,
            path="/",
        )
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            width=1440,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        pages = (
            PORTAL_PAGES
            if options.portal
            else [(name, path, selector, None) for name, path, selector in PAGES]
        )
        for name, path, selector, script in pages:
            if options.only and name not in options.only:
                continue
            if options.portal:
                # The page in the portal user's language (English, then French): the
                # session takes the language at login.
                lang = "fr_FR" if name.endswith("_fr") else "en_US"
                uid = auth["result"]["uid"]
                rpc(session, options.url, "res.users", "write", [uid], {"lang": lang})
                session, auth = login(options)
                for cookie, value in (
                    ("session_id", session.cookies["session_id"]),
                    # The portal's pages take their language from this cookie.
                    ("frontend_lang", lang),
                ):
                    browser.send(
                        "Network.setCookie",
                        name=cookie,
                        value=value,
                        domain=urlparse(options.url).hostname,
                        path="/",
                    )
            browser.send("Page.navigate", url=options.url + path.format(**ids))
            if not browser.wait_for(selector):
                print(f"{name}: page not ready, skipped")
                continue
            if script:
                browser.send("Runtime.evaluate", expression=script)
                time.sleep(1.5)
            if name in TABS:
                tab = json.dumps(TABS[name])
                browser.send(
                    "Runtime.evaluate",
                    expression=(
                        "[...document.querySelectorAll('.o_notebook .nav-link')]"
                        f".find(a => a.textContent.trim() === {tab})?.click()"
                    ),
                )
                time.sleep(1.5)
            shot = browser.send("Page.captureScreenshot", format="png")
            path_out = os.path.join(options.out, f"{name}.png")
            with open(path_out, "wb") as image:
                image.write(base64.b64decode(shot["data"]))
            print(f"{name}: {path_out}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
