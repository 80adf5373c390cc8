# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
import zipfile
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon, company_user

JUNE_1, JUNE_30 = date(2024, 6, 1), date(2024, 6, 30)


def day(month, number):
    return date(2024, month, number)


@tagged("post_install", "-at_install")
class TestDunningHoldReports(DunningCommon):
    """Disputes, promises to pay and payment plans in the aged balance, the
    dashboard and the KPIs, on a history made day by day up to TODAY (Monday 1 July
    2024) by the invoicing user.

    Aged balance customers (as of TODAY):
      Dubois  I1 1,000.00 due 22 May (31-60), partly disputed (price, 300.00)
              I2   500.00 due 21 Jun (1-30), promised
              I3   250.00 due 26 Jun (1-30), disputed in full (quality), promised
      Martin  IP 2,000.00 due 22 Apr (61-90), in an active plan (3 instalments
                 from 3 Jul)
              IF   800.00 due 11 Jul (not due), free
    History customers: Leroy and Petit (see setUpClass, in date order).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls._customer("Martin SA")
        cls.leroy = cls._customer("Leroy SA")
        cls.petit = cls._customer("Petit SARL")
        chf = cls.setup_other_currency("CHF", rates=[("2000-01-01", 2.0)])
        inv = cls._invoice
        cls.i1 = inv(cls.customer, 1000.0, TODAY - timedelta(days=40))
        cls.i2 = inv(cls.customer, 500.0, TODAY - timedelta(days=10))
        cls.i3 = inv(cls.customer, 250.0, TODAY - timedelta(days=5))
        cls.i_plan = inv(cls.other, 2000.0, TODAY - timedelta(days=70))
        cls.i_free = inv(cls.other, 800.0, TODAY + timedelta(days=10))
        old = day(5, 1)
        i_old_broken = inv(cls.leroy, 150.0, old)
        i_rejected = inv(cls.leroy, 600.0, old)
        i_plan_broken = inv(cls.petit, 900.0, old)
        i_kept = inv(cls.petit, 200.0, old)
        i_broken = inv(cls.petit, 300.0, old)
        i_promise_cancelled = inv(cls.leroy, 120.0, old)
        i_chf = inv(cls.leroy, 1000.0, old, currency=chf)
        i_accepted = inv(cls.petit, 400.0, old)
        i_accepted_late = inv(cls.petit, 100.0, old)
        i_dispute_cancelled = inv(cls.leroy, 90.0, old)
        i_june_30 = inv(cls.leroy, 50.0, old)
        i_july_7 = inv(cls.leroy, 60.0, old)
        i_plan_sunday = inv(cls.petit, 700.0, old)
        i_plan_paid = inv(cls.leroy, 400.0, old)

        user, manager = cls.invoice_user, cls.dunning_manager
        Dispute = cls.env["account.dunning.dispute"].with_user(user)
        Promise = cls.env["account.dunning.promise"].with_user(user)
        Plan = cls.env["account.dunning.plan"].with_user(user)
        engine = cls.env["account.dunning.hold.engine"]

        def promise(partner, moves, on_date):
            return Promise.create(
                {
                    "partner_id": partner.id,
                    "move_ids": [Command.set(moves.ids)],
                    "date": on_date,
                }
            )

        def plan(partner, moves, count, first_date):
            record = Plan.create(
                {"partner_id": partner.id, "move_ids": [Command.set(moves.ids)]}
            )
            record.action_fill_instalments(
                count=count, first_date=first_date, period="monthly"
            )
            record.action_activate()
            return record

        def dispute(move, reason, **values):
            return Dispute.create({"move_id": move.id, "reason": reason, **values})

        with freeze_time(day(5, 20)):
            cls.p_old_broken = promise(cls.leroy, i_old_broken, day(5, 22))
        with freeze_time(day(5, 26)):
            # last day 22 May + 3 grace days: broken on the 26th
            engine._daily(cls.company, day(5, 26), send=False)
        with freeze_time(day(6, 1)):
            cls.d_rejected = dispute(i_rejected, "other", amount=150.0)
        with freeze_time(day(6, 3)):
            cls.plan_broken = plan(cls.petit, i_plan_broken, 2, day(6, 5))
        with freeze_time(day(6, 5)):
            cls.p_kept = promise(cls.petit, i_kept, day(6, 10))
            cls.p_broken = promise(cls.petit, i_broken, day(6, 12))
            cls.p_cancelled = promise(cls.leroy, i_promise_cancelled, day(6, 20))
        with freeze_time(day(6, 8)):
            cls._pay(i_kept, 200.0, day(6, 8))
        with freeze_time(day(6, 10)):
            cls.p_cancelled.with_user(manager).action_cancel()
        with freeze_time(day(6, 11)):
            cls.d_price = dispute(cls.i1, "price", amount=300.0, deadline=JUNE_30)
            # CHF 200.00 of an invoice of CHF 1,000.00 booked 500.00: 100.00
            cls.d_chf = dispute(i_chf, "delivery", amount=200.0, deadline=day(7, 15))
            cls.d_accepted = dispute(i_accepted, "quantity")
            cls.d_accepted_late = dispute(i_accepted_late, "duplicate")
            cls.d_cancelled = dispute(i_dispute_cancelled, "missing_document")
        with freeze_time(day(6, 16)):
            # last day 12 Jun + 3: broken on the 16th
            engine._daily(cls.company, day(6, 16), send=False)
        with freeze_time(day(6, 20)):
            cls.d_cancelled.with_user(manager).action_cancel()
        with freeze_time(day(6, 21)):
            cls.d_rejected.action_reject("The price was agreed.")
            # the instalment of 5 Jun unpaid 16 days, tolerance 15: broken
            engine._daily(cls.company, day(6, 21), send=False)
        with freeze_time(day(6, 23)):
            cls.d_accepted.action_accept()
        with freeze_time(day(6, 28)):
            cls.p_june_30 = promise(cls.leroy, i_june_30, JUNE_30)
        with freeze_time(TODAY):
            # Promised, then disputed in full (a whole dispute cannot be promised).
            cls.promise = promise(
                cls.customer, cls.i2 | cls.i3, TODAY + timedelta(days=5)
            )
            cls.d_quality = dispute(cls.i3, "quality")
            cls.plan = plan(cls.other, cls.i_plan, 3, TODAY + timedelta(days=2))
            cls.p_july_7 = promise(cls.leroy, i_july_7, day(7, 7))
            cls.plan_sunday = plan(cls.petit, i_plan_sunday, 2, day(7, 7))
            cls.plan_paid = plan(cls.leroy, i_plan_paid, 2, day(7, 2))
            cls._pay(i_plan_paid, 200.0, TODAY)
            cls.d_accepted_late.action_accept()
        cls.env["res.lang"]._activate_lang("fr_FR")

    # ------------------------------------------------------------ aged balance
    def _aging(self, **filters):
        """{customer: buckets} of Dubois and Martin as of TODAY."""
        rows = (
            self.env["account.dunning.aging"]
            .with_user(self.invoice_user)
            .get_aging(
                TODAY,
                self.company.ids,
                filters={
                    "partner_ids": (self.customer | self.other).ids,
                    **filters,
                },
            )
        )
        return {row["name"]: (row["buckets"], row["total"]) for row in rows}

    def test_setup(self):
        self.assertEqual(
            (self.i1.dunning_disputed, self.i1.dunning_hold), (True, False)
        )
        self.assertEqual(self.i3.dunning_hold, "dispute")
        self.assertEqual(self.i2.dunning_hold, "promise")
        self.assertEqual(self.i_plan.dunning_hold, "plan")
        self.assertEqual(self.plan.line_ids.mapped("amount"), [666.66, 666.66, 666.68])
        self.assertEqual(
            (self.p_old_broken + self.p_kept + self.p_broken).mapped("state"),
            ["broken", "kept", "broken"],
        )
        self.assertEqual(
            (self.p_old_broken + self.p_kept + self.p_broken).mapped("closed_date"),
            [day(5, 26), day(6, 8), day(6, 16)],
        )
        self.assertEqual(
            (self.plan_broken.state, self.plan_broken.closed_date),
            ("broken", day(6, 21)),
        )
        self.assertEqual(
            (self.d_accepted + self.d_rejected + self.d_accepted_late).mapped(
                "resolution_days"
            ),
            [12, 20, 20],
        )
        self.assertEqual(self.plan_paid.line_ids.mapped("state"), ["paid", "open"])

    def test_aging_without_filter(self):
        dubois = "Dubois SARL"
        self.assertEqual(
            self._aging(),
            {
                # 500.00 + 250.00 in 1-30, 1,000.00 in 31-60
                dubois: ([0.0, 750.0, 1000.0, 0.0, 0.0, 0.0], 1750.0),
                # 800.00 not due, 2,000.00 in 61-90
                "Martin SA": ([800.0, 0.0, 0.0, 2000.0, 0.0, 0.0], 2800.0),
            },
        )

    def test_aging_disputed(self):
        # I1 (partly) and I3 (in full): 250.00 in 1-30, 1,000.00 in 31-60
        self.assertEqual(
            self._aging(disputed=True),
            {"Dubois SARL": ([0.0, 250.0, 1000.0, 0.0, 0.0, 0.0], 1250.0)},
        )
        # False is a filter of its own: I2, IP and IF
        self.assertEqual(
            self._aging(disputed=False),
            {
                "Dubois SARL": ([0.0, 500.0, 0.0, 0.0, 0.0, 0.0], 500.0),
                "Martin SA": ([800.0, 0.0, 0.0, 2000.0, 0.0, 0.0], 2800.0),
            },
        )

    def test_aging_promised(self):
        # I2 and I3, although I3's hold is its dispute: 500.00 + 250.00
        self.assertEqual(
            self._aging(promised=True),
            {"Dubois SARL": ([0.0, 750.0, 0.0, 0.0, 0.0, 0.0], 750.0)},
        )
        self.assertEqual(
            self._aging(promised=False),
            {
                "Dubois SARL": ([0.0, 0.0, 1000.0, 0.0, 0.0, 0.0], 1000.0),
                "Martin SA": ([800.0, 0.0, 0.0, 2000.0, 0.0, 0.0], 2800.0),
            },
        )
        # disputed and promised: I3 alone
        self.assertEqual(
            self._aging(promised=True, disputed=True),
            {"Dubois SARL": ([0.0, 250.0, 0.0, 0.0, 0.0, 0.0], 250.0)},
        )

    def test_aging_in_plan(self):
        self.assertEqual(
            self._aging(in_plan=True),
            {"Martin SA": ([0.0, 0.0, 0.0, 2000.0, 0.0, 0.0], 2000.0)},
        )
        self.assertEqual(
            self._aging(in_plan=False),
            {
                "Dubois SARL": ([0.0, 750.0, 1000.0, 0.0, 0.0, 0.0], 1750.0),
                "Martin SA": ([800.0, 0.0, 0.0, 0.0, 0.0, 0.0], 800.0),
            },
        )
        self.assertEqual(
            self._aging(in_plan=False, promised=False, disputed=False),
            {
                "Martin SA": ([800.0, 0.0, 0.0, 0.0, 0.0, 0.0], 800.0),
            },
        )
        # A plan's penalty invoices are in it too (linked here as the engine does
        # at activation): IF joins IP, 800.00 + 2,000.00.
        self.plan.sudo().penalty_move_ids = self.i_free
        self.env["account.dunning.hold.engine"]._sync_moves(self.i_free)
        self.assertEqual(
            self._aging(in_plan=True),
            {"Martin SA": ([800.0, 0.0, 0.0, 2000.0, 0.0, 0.0], 2800.0)},
        )
        self.assertEqual(self._wizard_moves(in_plan="yes"), self.i_plan | self.i_free)
        # the plan cancelled, nothing is in a plan any more
        with freeze_time(TODAY):
            self.plan.with_user(self.dunning_manager).action_cancel()
        self.assertEqual(self._aging(in_plan=True), {})

    def _wizard(self, **values):
        return (
            self.env["account.dunning.aging.wizard"]
            .with_user(self.invoice_user)
            .create(
                {
                    "date": TODAY,
                    "company_ids": [Command.set(self.company.ids)],
                    "partner_ids": [Command.set((self.customer | self.other).ids)],
                    **values,
                }
            )
        )

    def _wizard_moves(self, **values):
        """The invoices of the journal items the wizard's Open button lists."""
        action = self._wizard(**values).action_open_lines()
        lines = (
            self.env[action["res_model"]]
            .with_user(self.invoice_user)
            .with_context(**action["context"])
            .search(action["domain"])
        )
        return lines.move_id

    def test_wizard_filters(self):
        self.assertEqual(
            self._wizard(disputed="yes", promised="no")._aging_filters(),
            {
                "partner_ids": (self.customer | self.other).ids,
                "disputed": True,
                "promised": False,
            },
        )
        expected = {
            ("disputed", "yes"): self.i1 | self.i3,
            ("disputed", "no"): self.i2 | self.i_plan | self.i_free,
            ("promised", "yes"): self.i2 | self.i3,
            ("promised", "no"): self.i1 | self.i_plan | self.i_free,
            ("in_plan", "yes"): self.i_plan,
            ("in_plan", "no"): self.i1 | self.i2 | self.i3 | self.i_free,
        }
        for (name, value), moves in expected.items():
            with self.subTest(name=name, value=value):
                self.assertEqual(self._wizard_moves(**{name: value}), moves)
                # the same invoices as get_aging's totals
                total = sum(
                    row[1] for row in self._aging(**{name: value == "yes"}).values()
                )
                self.assertEqual(total, sum(moves.mapped("amount_residual")))

    def test_report_prints_the_filters(self):
        wizard = self._wizard(disputed="yes", promised="no")
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "account_dunning.report_dunning_aging", wizard.ids
        )
        self.assertIn(b"Disputed Invoices", html)
        self.assertIn(b"Promised Invoices", html)
        self.assertIn(b"Dubois SARL, Martin SA", html)
        self.assertNotIn(b"Invoices in a Plan", html)
        # I1 and I3: 1,000.00 + 250.00 disputed, of which I3 promised: 1,000.00
        self.assertIn(b"1,000.00", html)
        self.assertNotIn(b"1,250.00", html)
        wizard.action_export_xlsx()
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(wizard.export_file))) as xlsx:
            strings = xlsx.read("xl/sharedStrings.xml")
        self.assertIn(b"Disputed Invoices: Yes; Promised Invoices: No", strings)
        self.assertEqual(
            wizard._aging_filter_labels(),
            [
                ("Customers", "Dubois SARL, Martin SA"),
                ("Disputed Invoices", "Yes"),
                ("Promised Invoices", "No"),
            ],
        )

    # ------------------------------------------------------------ dashboard
    def _dashboard(self, user=None, lang="en_US"):
        """The dashboard of June, opened on TODAY (the tests freeze it)."""
        user = user or self.invoice_user
        return (
            self.env["account.dunning.dashboard"]
            .with_user(user)
            .with_context(lang=lang, allowed_company_ids=user.company_ids.ids)
            .create({"date_from": JUNE_1, "date_to": JUNE_30})
        )

    def _listed(self, dashboard, method):
        """The records of the list a dashboard button opens."""
        action = getattr(dashboard, method)()
        return (
            self.env[action["res_model"]]
            .with_user(self.invoice_user)
            .search(action["domain"])
        )

    @freeze_time(TODAY)
    def test_dashboard_disputes(self):
        dashboard = self._dashboard()
        # open on 1 Jul: price (deadline 30 Jun, late), delivery, quality
        self.assertEqual(dashboard.dispute_open_count, 3)
        self.assertEqual(dashboard.dispute_late_count, 1)
        self.assertEqual(
            self._listed(dashboard, "action_open_disputes"),
            self.d_price | self.d_chf | self.d_quality,
        )
        self.assertEqual(
            self._listed(dashboard, "action_open_late_disputes"), self.d_price
        )
        action = dashboard.action_open_disputes()
        self.assertEqual(action["context"], {"group_by": ["reason"]})
        self.assertEqual(action["res_model"], "account.dunning.dispute")
        html = dashboard.disputes_html
        for reason in ("Price", "Delivery", "Quality"):
            self.assertIn(reason, html)
        self.assertNotIn("Duplicate", html)  # accepted
        self.assertNotIn("Missing Document", html)  # cancelled

    @freeze_time(TODAY)
    def test_dashboard_promises(self):
        # The week of Monday 1 Jul: Sunday 30 Jun - Saturday 6 Jul in American
        # English, Monday 1 Jul - Sunday 7 Jul in French.
        dashboard = self._dashboard()
        self.assertEqual(dashboard.promise_due_count, 2)
        self.assertEqual(
            self._listed(dashboard, "action_open_promises_due"),
            self.p_june_30 | self.promise,
        )
        french = self._dashboard(lang="fr_FR")
        self.assertEqual(french.promise_due_count, 2)
        self.assertEqual(
            self._listed(french, "action_open_promises_due"),
            self.promise | self.p_july_7,
        )
        # broken on 16 Jun (in the last 30 days), not the one of 26 May
        self.assertEqual(dashboard.promise_broken_count, 1)
        self.assertEqual(
            self._listed(dashboard, "action_open_promises_broken"), self.p_broken
        )

    @freeze_time(TODAY)
    def test_dashboard_plans(self):
        dashboard = self._dashboard()
        self.assertEqual(dashboard.plan_active_count, 3)
        self.assertEqual(
            self._listed(dashboard, "action_open_plans_active"),
            self.plan | self.plan_sunday | self.plan_paid,
        )
        self.assertEqual(dashboard.plan_broken_count, 1)
        self.assertEqual(
            self._listed(dashboard, "action_open_plans_broken"), self.plan_broken
        )
        # 3 Jul (Martin); not 2 Jul, paid; 7 Jul in French only
        self.assertEqual(dashboard.instalment_due_count, 1)
        self.assertEqual(
            self._listed(dashboard, "action_open_instalments_due"),
            self.plan.line_ids[0],
        )
        french = self._dashboard(lang="fr_FR")
        self.assertEqual(french.instalment_due_count, 2)
        self.assertEqual(
            self._listed(french, "action_open_instalments_due"),
            self.plan.line_ids[0] | self.plan_sunday.line_ids[0],
        )
        action = dashboard.action_open_instalments_due()
        self.assertEqual(action["views"][0][1], "list")
        # the dashboard's KPIs of June (see test_kpis)
        self.assertEqual(dashboard.disputed, 500.0)
        self.assertEqual(dashboard.promises_kept_share, 50.0)
        self.assertEqual(dashboard.dispute_days, 16.0)

    @freeze_time(TODAY)
    def test_dashboard_other_company(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        user_b = company_user(
            self.env, "hold_reports_b", "account.group_account_invoice", company_b
        )
        dashboard = self._dashboard(user=user_b)
        self.assertEqual(
            [
                dashboard[name]
                for name in (
                    "dispute_open_count",
                    "dispute_late_count",
                    "promise_due_count",
                    "promise_broken_count",
                    "plan_active_count",
                    "plan_broken_count",
                    "instalment_due_count",
                )
            ],
            [0] * 7,
        )
        with self.assertRaises(AccessError):
            self.env["account.dunning.kpi"].with_user(user_b).with_context(
                allowed_company_ids=company_b.ids
            ).get_kpis(JUNE_1, JUNE_30, self.company.ids)

    # ------------------------------------------------------------ KPIs
    def _kpis(self, date_from=JUNE_1, date_to=JUNE_30, group_by=None):
        return (
            self.env["account.dunning.kpi"]
            .with_user(self.invoice_user)
            .get_kpis(date_from, date_to, self.company.ids, group_by)
        )

    def test_kpis(self):
        (row,) = self._kpis()
        # Open on 30 Jun: price 300.00 + CHF 200.00 at 2.00 = 100.00 + duplicate
        # 100.00 (accepted on 1 Jul) = 500.00; not quality (opened 1 Jul), quantity
        # (accepted 23 Jun), other (rejected 21 Jun), missing document (cancelled).
        self.assertEqual(row["disputed"], 500.0)
        # Resolved in June: quantity 11 -> 23 Jun, 12 days; other 1 -> 21 Jun, 20
        # days: (12 + 20) / 2 = 16.0
        self.assertEqual(row["disputes_resolved"], 2)
        self.assertEqual(row["dispute_days"], 16.0)
        # Closed in June: kept on 8 Jun, broken on 16 Jun (not the one broken on
        # 26 May, nor the cancelled one): 1 / 2 = 50 %
        self.assertEqual((row["promises_kept"], row["promises_broken"]), (1, 1))
        self.assertEqual(row["promises_kept_share"], 50.0)

    def test_kpis_on_one_day(self):
        (row,) = self._kpis(TODAY, TODAY)
        # Open on 1 Jul: price 300.00 + quality 250.00 + CHF 100.00 = 650.00 (the
        # duplicate was accepted that day)
        self.assertEqual(row["disputed"], 650.0)
        # resolved on 1 Jul: the duplicate, 11 Jun -> 1 Jul
        self.assertEqual(row["dispute_days"], 20.0)
        self.assertIs(row["promises_kept_share"], False)

    def test_kpis_per_customer_and_salesperson(self):
        rows = {row["key"]: row for row in self._kpis(group_by="partner")}
        values = {
            partner.name: (
                rows[partner.id]["disputed"],
                rows[partner.id]["dispute_days"],
                rows[partner.id]["promises_kept_share"],
            )
            for partner in (self.customer, self.other, self.leroy, self.petit)
        }
        self.assertEqual(
            values,
            {
                "Dubois SARL": (300.0, False, False),
                "Martin SA": (0.0, False, False),
                # CHF 100.00; rejected in 20 days; its promises closed in May or
                # cancelled
                "Leroy SA": (100.0, 20.0, False),
                # the duplicate 100.00; accepted in 12 days; kept 1 of 2
                "Petit SARL": (100.0, 12.0, 50.0),
            },
        )
        # No customer has a salesperson: the invoices' (the user who made them).
        rows = {row["key"]: row for row in self._kpis(group_by="user")}
        by_user = rows.pop(self.env.user.id)
        # the other rows (the payments') have no dispute nor promise
        self.assertEqual(
            {(row["disputed"], row["promises_kept_share"]) for row in rows.values()},
            {(0.0, False)} if rows else set(),
        )
        self.assertEqual(
            (
                by_user["disputed"],
                by_user["dispute_days"],
                by_user["promises_kept_share"],
            ),
            (500.0, 16.0, 50.0),
        )
