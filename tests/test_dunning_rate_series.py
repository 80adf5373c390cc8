"""Rates that cannot go stale (issue 12): until when each series is known, when the
ECB refresh downloads, and the warnings shown when a half-year's rate is missing."""

from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, TransactionCase, freeze_time, new_test_user, tagged
from odoo.tools.misc import format_date

from ..models.account_dunning_rate_series import refresh_due
from .common import EurCompanyCommon, company_user

ECB_NAME = "ECB main refinancing operations rate"
LEGAL_NAME = "French legal interest rate (other cases)"


def shipped_warnings(env):
    """The two warnings of 2026 H2 with the shipped data (known until 30 April and
    30 June 2026), in the language of ``env``."""
    return [
        f"The {ECB_NAME} for 2026 H2 is not yet refreshed (known until "
        f"{format_date(env, date(2026, 4, 30))}): interest for later days is "
        "provisional.",
        f"The {LEGAL_NAME} for 2026 H2 is not yet entered (known until "
        f"{format_date(env, date(2026, 6, 30))}): interest for later days is "
        "provisional.",
    ]


@tagged("post_install", "-at_install")
class TestRateRefreshDue(BaseCase):
    """The daily cron's decision, as a plain function."""

    def test_refresh_due(self):
        cases = [
            # (today, known until, last success, downloads, why)
            (date(2026, 7, 2), date(2026, 6, 20), date(2026, 6, 20), True, "no H2"),
            (date(2026, 7, 1), date(2026, 6, 30), date(2026, 6, 30), True, "1 July"),
            (date(2026, 7, 7), date(2026, 6, 20), date(2026, 6, 20), True, "7th day"),
            (date(2026, 7, 8), date(2026, 6, 20), date(2026, 6, 20), False, "8th day"),
            (date(2026, 7, 2), date(2026, 7, 1), date(2026, 7, 1), False, "H2 known"),
            (date(2026, 7, 20), date(2026, 7, 2), date(2026, 7, 2), False, "18 days"),
            (date(2026, 7, 31), date(2026, 7, 2), date(2026, 7, 2), False, "29 days"),
            (date(2026, 8, 1), date(2026, 7, 2), date(2026, 7, 2), True, "30 days"),
            (date(2026, 8, 5), date(2026, 7, 2), date(2026, 7, 2), True, "34 days"),
            (date(2027, 1, 3), date(2026, 12, 20), date(2026, 12, 20), True, "H1"),
            (date(2026, 5, 15), date(2026, 4, 30), None, True, "never refreshed"),
            (date(2026, 7, 3), None, date(2026, 7, 1), True, "nothing known"),
            (date(2026, 9, 3), None, date(2026, 9, 1), False, "recent success"),
            # Known ahead (entered by hand): the window has nothing to learn.
            (date(2026, 7, 2), date(2026, 12, 31), date(2026, 6, 20), False, "ahead"),
        ]
        for today, known_until, last_success, expected, why in cases:
            with self.subTest(why, today=today):
                self.assertEqual(
                    refresh_due(today, known_until, last_success), expected
                )


@tagged("post_install", "-at_install")
class TestDunningRateSeries(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Series = cls.env["account.dunning.rate.series"]
        cls.ecb = cls.env.ref("account_dunning.rate_series_ecb_mro")
        cls.legal = cls.env.ref("account_dunning.rate_series_fr_legal")
        cls.dunning_user = new_test_user(
            cls.env, login="series_dunning", groups="account_dunning.group_dunning_user"
        )
        cls.invoice_user = new_test_user(
            cls.env, login="series_invoicing", groups="account.group_account_invoice"
        )
        cls.manager = new_test_user(
            cls.env,
            login="series_manager",
            groups="account_dunning.group_dunning_manager",
        )
        cls.users = cls.dunning_user | cls.invoice_user

    def _state(self, series):
        return series.read(
            [
                "code",
                "name",
                "periodicity",
                "known_until",
                "refresh_date",
                "refresh_error",
            ]
        )

    # ----------------------------------------------------------- warnings

    def test_warnings_with_the_shipped_data(self):
        Series = self.Series.with_user(self.dunning_user)
        self.assertEqual(
            Series._stale_warnings(date(2026, 12, 1)), shipped_warnings(Series.env)
        )
        # 2026 H1: both series know 1 January.
        self.assertEqual(Series._stale_warnings(date(2026, 5, 15)), [])
        self.assertEqual(Series._stale_warnings(date(2026, 6, 30)), [])

    def test_warning_points_to_the_refresh_error(self):
        self.ecb.write(
            {
                "refresh_date": datetime(2026, 11, 30, 4, 0),
                "refresh_error": "no answer within 10.0s",
            }
        )
        (ecb_warning, _legal) = self.Series._stale_warnings(date(2026, 12, 1))
        self.assertTrue(
            ecb_warning.endswith(
                "provisional. The last refresh failed: no answer within 10.0s."
            ),
            ecb_warning,
        )

    def test_stale_fields_for_the_list(self):
        with freeze_time("2026-12-01"):
            ecb, legal = (self.ecb | self.legal).with_user(self.dunning_user)
            self.assertEqual((ecb.stale, legal.stale), (True, True))
            self.assertEqual(
                [ecb.stale_warning, legal.stale_warning],
                shipped_warnings(ecb.env),
            )
        # A new request, a new day: nothing computed is kept.
        self.env.invalidate_all()
        with freeze_time("2026-05-15"):
            ecb, legal = (self.ecb | self.legal).with_user(self.dunning_user)
            self.assertEqual((ecb.stale, legal.stale), (False, False))
            self.assertFalse(ecb.stale_warning)

    def test_entering_the_half_year_rate_clears_its_warning(self):
        with self.assertRaises(AccessError):
            self.env["account.dunning.rate"].with_user(self.dunning_user).create(
                {"source": "fr_legal", "date": date(2026, 7, 1), "rate": 2.5}
            )
        self.assertEqual(self.legal.known_until, date(2026, 6, 30))
        self.env["account.dunning.rate"].with_user(self.manager).create(
            {"source": "fr_legal", "date": date(2026, 7, 1), "rate": 2.5}
        )
        self.assertEqual(self.legal.known_until, date(2026, 12, 31))
        warnings = self.Series.with_user(self.dunning_user)._stale_warnings(
            date(2026, 12, 1)
        )
        self.assertEqual(warnings, shipped_warnings(self.env)[:1], "the ECB's only")
        # 2027 H1 is not entered yet.
        (warning,) = [
            warning
            for warning in self.Series._stale_warnings(date(2027, 1, 2))
            if LEGAL_NAME in warning
        ]
        self.assertIn("for 2027 H1 is not yet entered", warning)

    # --------------------------------------------------------------- rights

    def test_engine_fields_refused_to_every_user(self):
        before = self._state(self.ecb)
        for user in self.users | self.manager:
            for vals in (
                {"refresh_date": datetime(2026, 12, 1, 4, 0)},
                {"refresh_error": False, "refresh_date": datetime(2026, 12, 1)},
                {"refresh_error": "made up"},
            ):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(AccessError):
                        self.ecb.with_user(user).write(vals)
        Series = self.Series.with_user(self.manager)
        base = {"code": "other", "name": "Other rate"}
        for vals, context in (
            ({"refresh_error": "made up"}, {}),
            ({"refresh_date": datetime(2026, 12, 1)}, {}),
            ({}, {"default_refresh_error": "made up"}),
            ({}, {"default_refresh_date": "2026-12-01 04:00:00"}),
        ):
            with self.subTest(vals=vals, context=context):
                with self.assertRaises(AccessError):
                    Series.with_context(**context).create({**base, **vals})
        self.assertEqual(self._state(self.ecb), before)
        self.assertFalse(self.Series.search([("code", "=", "other")]))
        # A client writing back what it read changes nothing and passes.
        self.ecb.with_user(self.manager).write({"refresh_error": False})
        # A manager adds a series of his own.
        other = Series.create({**base, "known_until": date(2026, 6, 30)})
        self.assertFalse(other.refresh_date)

    def test_known_until_and_name_for_managers_only(self):
        before = self._state(self.legal)
        for user in self.users:
            for vals in ({"known_until": date(2026, 12, 31)}, {"name": "Renamed"}):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(AccessError):
                        self.legal.with_user(user).write(vals)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Series.with_user(user).create({"code": "x", "name": "X"})
        self.assertEqual(self._state(self.legal), before)
        for vals in ({"code": "fr_legal_2"}, {"periodicity": "change"}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.legal.with_user(self.manager).write(vals)
        self.assertEqual(self._state(self.legal), before)
        legal = self.legal.with_user(self.manager)
        legal.write({"known_until": date(2026, 12, 31), "name": "Taux légal"})
        self.assertEqual(
            (legal.known_until, legal.name), (date(2026, 12, 31), "Taux légal")
        )

    def test_refresh_now_for_managers_only(self):
        before = self._state(self.ecb)
        for user in self.users:
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.ecb.with_user(user).action_refresh_now()
        with self.assertRaisesRegex(UserError, "no automatic refresh"):
            self.legal.with_user(self.manager).action_refresh_now()
        self.assertEqual(self._state(self.ecb), before)

    # ---------------------------------------------------------- list, form

    def test_series_rates(self):
        ecb, legal = (self.ecb | self.legal).with_user(self.dunning_user)
        self.assertEqual(ecb.rate_count, 20)
        self.assertEqual(ecb.rate_ids[:1].date, date(2025, 6, 11))
        self.assertEqual(set(ecb.rate_ids.mapped("source")), {"ecb_mro"})
        self.assertEqual(
            (ecb.latest_rate, ecb.latest_rate_date), (2.15, date(2025, 6, 11))
        )
        self.assertEqual(
            (legal.rate_count, legal.latest_rate, legal.latest_rate_date),
            (23, 2.62, date(2026, 1, 1)),
        )
        action = legal.action_open_rates()
        self.assertEqual(action["res_model"], "account.dunning.rate")
        self.assertEqual(action["domain"], [("source", "=", "fr_legal")])
        self.assertEqual(action["context"], {"default_source": "fr_legal"})
        views = self.Series.with_user(self.manager).get_views(
            [(False, "list"), (False, "form")]
        )["views"]
        self.assertIn('decoration-danger="refresh_error"', views["list"]["arch"])
        self.assertIn("action_refresh_now", views["form"]["arch"])
        # The refresh button is a manager's: not even shown to a dunning user.
        views = self.Series.with_user(self.dunning_user).get_views([(False, "form")])
        self.assertNotIn("action_refresh_now", views["views"]["form"]["arch"])


@tagged("post_install", "-at_install")
class TestDunningRateDashboard(EurCompanyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dunning_user = company_user(
            cls.env,
            "rate_dashboard_user",
            "account_dunning.group_dunning_user",
            cls.company,
        )

    def _dashboard(self):
        return (
            self.env["account.dunning.dashboard"]
            .with_user(self.dunning_user)
            .create({})
        )

    def test_dashboard_banner(self):
        with freeze_time("2026-12-01"):
            dashboard = self._dashboard()
            self.assertEqual(
                dashboard.rate_warning.split("\n"), shipped_warnings(dashboard.env)
            )
        with freeze_time("2026-05-15"):
            self.assertFalse(self._dashboard().rate_warning)
        arch = (
            self.env["account.dunning.dashboard"]
            .with_user(self.dunning_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('class="alert alert-warning mb-0" role="alert"', arch)
        self.assertIn('invisible="not rate_warning"', arch)
