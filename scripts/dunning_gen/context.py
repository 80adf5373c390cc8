# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The settings of a generator run and the state its steps share."""

import os
import random
import time

from odoo import fields

# Creating thousands of partners and invoices: no chatter, no followers, no emails.
QUIET_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
    "no_reset_password": True,
    "lang": "en_US",
}


class Settings:
    """What to generate, read from the ``DUNNING_GEN_*`` environment variables."""

    def __init__(self, environ):
        self.customers = int(environ.get("DUNNING_GEN_CUSTOMERS", "40"))
        self.invoices = int(environ.get("DUNNING_GEN_INVOICES", "300"))
        self.mode = environ.get("DUNNING_GEN_MODE", "demo").strip().lower()
        if self.mode not in ("demo", "fast"):
            raise SystemExit("DUNNING_GEN_MODE must be demo or fast")
        self.seed = int(environ.get("DUNNING_GEN_SEED", "42"))
        default_ratio = 0.6 if self.mode == "fast" else 0.25
        self.open_ratio = float(environ.get("DUNNING_GEN_OPEN_RATIO") or default_ratio)
        self.check = int(environ.get("DUNNING_GEN_CHECK", "300"))
        self.strict = environ.get("DUNNING_GEN_STRICT", "0") == "1"
        self.progress_fd = environ.get("DUNNING_GEN_PROGRESS_FD", "")
        # fast mode: the share of the invoices put on hold (fast_holds)
        self.holds = float(environ.get("DUNNING_GEN_HOLDS") or 0)


class Progress:
    """A compact progress report on a file descriptor of the caller.

    ``DUNNING_GEN_PROGRESS_FD`` names the descriptor (scripts/demo.sh passes its
    terminal as descriptor 3 while Odoo's log goes to a file). On a terminal the
    figure is redrawn after the cursor position the caller saved (ESC 7); elsewhere
    one `` 10%`` token is appended per tenth, so the caller's line ends up as
    ``... 10% 20% ... 100%``. Without the variable, nothing is written.
    """

    def __init__(self, fd):
        self.fd = None
        self.tty = False
        if fd.isdigit():
            try:
                self.tty = os.isatty(int(fd))
                self.fd = int(fd)
            except OSError:
                self.fd = None
        self.start, self.end = 0.0, 100.0
        self.shown = -1  # last figure written
        self.drawn_at = 0.0

    def span(self, start, end):
        """The next step() calls move the figure from start to end (percent)."""
        self.start, self.end = start, end
        self.step(0, 1)

    def step(self, done, total, label=""):
        share = min(max(done / total, 0.0), 1.0) if total else 1.0
        self._show(int(self.start + (self.end - self.start) * share), label)

    def _show(self, percent, label):
        if self.fd is None or percent <= self.shown:
            return
        now = time.time()
        if self.tty:
            if percent < 100 and now - self.drawn_at < 0.2:
                return
            text = "\x1b8\x1b[K %d%% %s" % (percent, label)
        else:
            tenths = range(self.shown // 10 + 1, percent // 10 + 1)
            text = "".join(" %d%%" % (10 * tenth) for tenth in tenths if tenth)
        self.shown, self.drawn_at = percent, now
        if text:
            try:
                os.write(self.fd, text.encode())
            except OSError:
                self.fd = None


class Gen:
    """One generator run: settings, environment, random source and what the setup
    steps found or created (company, journals, taxes, terms, products, people)."""

    def __init__(self, env, settings):
        self.settings = settings
        self.t_start = time.time()
        self.rnd = random.Random(settings.seed)
        self.progress = Progress(settings.progress_fd)
        self.set_env(env(context=dict(env.context, **QUIET_CONTEXT)))
        self.today = fields.Date.context_today(self.env.user)
        # filled by company.setup()
        self.company = None
        self.currencies = {}  # "EUR" / "USD" -> res.currency
        self.rates_by_month = {}  # first day of month -> USD per EUR
        self.sale_journal = self.bank_journal = None
        self.tax20 = None
        self.terms = {}  # key of terms.TERM_LINES -> account.payment.term
        self.products = None
        self.prices = {}  # product id -> list price
        self.product_names = {}  # product id -> display name
        self.salespeople = None
        self.team_by_user = {}

    def set_env(self, env):
        """Use env from now on (a new registry after a module install)."""
        self.env = env
        self.cr = env.cr

    @property
    def fast(self):
        return self.settings.mode == "fast"

    def log(self, msg):
        print(
            "[generate_data %7.1fs] %s" % (time.time() - self.t_start, msg),
            flush=True,
        )

    def usd_rate(self, date):
        """The month's USD rate (units of USD for 1 EUR)."""
        return self.rates_by_month[date.replace(day=1)]

    def company_round(self, amount):
        return self.company.currency_id.round(amount)
