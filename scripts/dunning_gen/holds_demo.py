# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's disputes, promises to pay and payment plans, through the models.

Each one is a short story of dated events (opened, paid, resolved) that the people
of the company play on their day, the clock set to it (freezegun), so that every
rule of the engine holds as it would have: a promise is recorded before its date,
the first instalment of a plan is not in the past, a dispute's deadline follows
from its opening. scripts/demo_run.py plans the stories once, then, before each of
its catch-up runs, plays the events due and the day's hold check (the daily
scheduled action: promises broken, instalments reminded, late disputes notified).

Dates are counted back from the demo's today (T): the oldest story starts at
T-100, the catch-up runs go from T-56 to T.
"""

import datetime

try:
    from freezegun import freeze_time
except ImportError as error:  # Odoo's own requirements include it (tests)
    raise SystemExit(
        "scripts/demo_run.py needs freezegun (pip install freezegun)"
    ) from error


def _clock(day):
    """The clock set to ``day``, mid-morning (the same date in any European zone)."""
    return freeze_time(datetime.datetime.combine(day, datetime.time(9, 30)))


class HoldDays:
    """The days of one company's stories: planned at once, played day by day;
    the stories themselves are in holds_demo_stories."""

    def __init__(self, env, company, today):
        self.env = env
        self.company = company
        self.today = today
        self.admin = env.ref("base.user_admin")
        self.bank = env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
        )
        self.events = []  # (date, rank, label, function)
        self.played = 0
        self.used = set()  # customers already in a story
        self.skipped = []
        self.stories = {}  # key -> the record a later event acts on
        self.invoices = self._candidates()

    # ------------------------------------------------------------ planning

    def day(self, days_ago):
        return self.today - datetime.timedelta(days=days_ago)

    def at(self, days_ago, label, function):
        self.events.append((self.day(days_ago), len(self.events), label, function))

    def _candidates(self):
        """Open invoices in euros never paid nor credited, of customers reachable by
        email, the most recently due first: what they were on any day of the
        stories."""
        return self.env["account.move"].search(
            [
                ("company_id", "=", self.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "=", "not_paid"),
                ("currency_id", "=", self.company.currency_id.id),
                ("commercial_partner_id.email", "!=", False),
                ("invoice_date_due", "<", self.day(2)),
            ],
            order="invoice_date_due desc, id",
        )

    def pick(self, story, overdue_on, count=1):
        """``count`` invoices of one customer not yet in a story, fallen due 5 to
        120 days before the story starts (``overdue_on`` days ago; else any time
        before), the most recently due first; fewer when no customer has that
        many; None (the story is skipped) when there is none."""
        start = self.day(overdue_on)
        for wanted in range(count, 0, -1):
            for low, high in ((5, 120), (1, 100000)):
                by_customer = {}
                for move in self.invoices:
                    customer = move.commercial_partner_id.id
                    late = (start - move.invoice_date_due).days
                    if customer in self.used or not low <= late <= high:
                        continue
                    moves = by_customer.get(customer, move.browse()) | move
                    by_customer[customer] = moves
                    if len(moves) == wanted:
                        self.used.add(customer)
                        return moves
        self.skipped.append(story)
        return None

    def plan(self):
        """Every story of the demo, as events."""
        self._stories()
        self.events.sort()
        return self

    def _stories(self):
        """Plan the stories' events (``at``)."""
        raise NotImplementedError

    # ------------------------------------------------------------ playing

    def play_until(self, day, daily=True):
        """The events up to ``day``, each on its own day, then the day's hold check
        as the scheduled action makes it. Returns the labels played."""
        labels = []
        while self.played < len(self.events) and self.events[self.played][0] <= day:
            event_day, _rank, label, function = self.events[self.played]
            with _clock(event_day):
                function()
            self.env.flush_all()
            self.env.cr.commit()  # `odoo shell` rolls back at exit
            labels.append("%s: %s" % (event_day, label))
            self.played += 1
        if daily:
            with _clock(day):
                # sudo: the daily scheduled action's work, as the cron does it.
                self.env["account.dunning.hold.engine"].sudo().with_company(
                    self.company
                )._daily(self.company, day)
            self.env.flush_all()
            self.env.cr.commit()
        return labels

    def as_user(self, records, user=None):
        return records.with_user(user or self.admin).with_company(self.company)

    def owner(self, moves):
        """Who handles the customer: its invoices' salesperson, else the admin."""
        return moves[:1].invoice_user_id or self.admin

    def pay(self, moves, amount, memo):
        """The customer's transfer of ``amount``, matched with its invoices oldest
        first, through Odoo's payment wizard (on the clock's day)."""
        left = self.company.currency_id.round(amount)
        day = datetime.date.today()  # frozen
        for move in moves.sorted(lambda move: (move.invoice_date_due, move.id)):
            part = min(left, move.amount_residual)
            if part <= 0:
                break
            wizard = (
                self.as_user(self.env["account.payment.register"])
                .with_context(active_model="account.move", active_ids=move.ids)
                .create(
                    {
                        "payment_date": day,
                        "journal_id": self.bank.id,
                        "amount": part,
                        "payment_difference_handling": "open",
                        "communication": "%s %s" % (memo, move.name),
                    }
                )
            )
            wizard._create_payments()
            left = self.company.currency_id.round(left - part)

    # ------------------------------------------------------------ summary

    def summary(self):
        """One line: what the demo holds now."""
        domain = [("company_id", "=", self.company.id)]

        def counts(model):
            groups = self.env[model]._read_group(domain, ["state"], ["__count"])
            return ", ".join("%d %s" % (count, state) for state, count in groups)

        late = self.env["account.dunning.dispute"].search_count(
            [*domain, ("is_late", "=", True)]
        )
        reminded = self.env["account.dunning.plan.line"].search_count(
            [*domain, ("reminder_action_id", "!=", False)]
        )
        return (
            "HOLDS disputes: %s (%d past deadline); promises: %s; plans: %s "
            "(late instalments reminded: %d)%s"
            % (
                counts("account.dunning.dispute"),
                late,
                counts("account.dunning.promise"),
                counts("account.dunning.plan"),
                reminded,
                "; skipped: %s" % ", ".join(self.skipped) if self.skipped else "",
            )
        )
