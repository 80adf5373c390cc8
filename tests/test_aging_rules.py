# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import BaseCase, tagged

from ..models import aging_rules as rules


@tagged("post_install", "-at_install")
class TestAgingRules(BaseCase):
    """The aging and KPI rules alone, without the database."""

    def test_parse_bucket_limits(self):
        self.assertEqual(rules.parse_bucket_limits(None), (30, 60, 90, 120))
        self.assertEqual(rules.parse_bucket_limits(""), (30, 60, 90, 120))
        self.assertEqual(rules.parse_bucket_limits("15, 45;90"), (15, 45, 90))
        self.assertEqual(rules.parse_bucket_limits([7, 14]), (7, 14))
        for bad in (
            "30,20",
            "0,10",
            "-5",
            "a",
            "10,,20",
            [1.5],
            [True],
            [5, 5],
            list(range(1, 11)),
        ):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                rules.parse_bucket_limits(bad)

    def test_bucket_index(self):
        limits = (30, 60, 90, 120)
        cases = {
            -10: 0,
            0: 0,
            1: 1,
            30: 1,
            31: 2,
            60: 2,
            61: 3,
            90: 3,
            91: 4,
            120: 4,
            121: 5,
            10000: 5,
        }
        for days, index in cases.items():
            with self.subTest(days=days):
                self.assertEqual(rules.bucket_index(days, limits), index)
        self.assertEqual(rules.bucket_index(5, (7,)), 1)
        self.assertEqual(rules.bucket_index(8, (7,)), 2)

    def test_bucket_ranges(self):
        self.assertEqual(rules.bucket_ranges((30, 60)), [(1, 30), (31, 60), (61, None)])

    def test_sum_rows(self):
        rows = [
            {"buckets": [1.0, 2.0], "unapplied": -1.0, "total": 2.0},
            {"buckets": [0.5, 0.0], "unapplied": 0.0, "total": 0.5},
        ]
        self.assertEqual(
            rules.sum_rows(rows, 2),
            {"buckets": [1.5, 2.0], "unapplied": -1.0, "total": 2.5},
        )

    def test_add_months(self):
        self.assertEqual(rules.add_months(date(2024, 3, 31), -1), date(2024, 2, 29))
        self.assertEqual(rules.add_months(date(2023, 3, 31), -1), date(2023, 2, 28))
        self.assertEqual(rules.add_months(date(2024, 1, 15), -13), date(2022, 12, 15))
        self.assertEqual(rules.add_months(date(2024, 12, 1), 1), date(2025, 1, 1))

    def test_countback_periods(self):
        self.assertEqual(
            rules.countback_periods(date(2024, 3, 15), 3),
            [
                (date(2024, 3, 1), date(2024, 3, 15)),
                (date(2024, 2, 1), date(2024, 2, 29)),
                (date(2024, 1, 1), date(2024, 1, 31)),
            ],
        )

    def test_dso_countback(self):
        # 2,500 against 1,000 (31 days) then 1,500 (31 days): 62 days.
        self.assertEqual(rules.dso_countback(2500, [1000, 1500], [31, 31]), 62)
        # 1,300 against 1,000 (30 days), then the 300 left are 300 / 2,000 of the
        # 31 days before: 30 + 4.65.
        self.assertAlmostEqual(
            rules.dso_countback(1300, [1000, 2000], [30, 31]), 34.65, places=9
        )
        # A month without sales counts whole.
        self.assertEqual(rules.dso_countback(500, [0, 1000], [30, 31]), 45.5)
        # More receivable than all the sales read: every day counts.
        self.assertEqual(rules.dso_countback(9999, [100, 100], [30, 31]), 61)
        self.assertEqual(rules.dso_countback(0, [100], [30]), 0)
        self.assertIsNone(rules.dso_countback(100, [0, 0], [30, 31]))

    def test_dso_simple_and_weighted(self):
        self.assertAlmostEqual(rules.dso_simple(4200, 7600, 182), 100.5789, places=4)
        self.assertIsNone(rules.dso_simple(100, 0, 30))
        self.assertEqual(rules.weighted_days(1000 * 40 + 2000 * 20, 3000), 80 / 3)
        self.assertIsNone(rules.weighted_days(0, 0))
        self.assertEqual(rules.share(2, 3), 200 / 3)
        self.assertIsNone(rules.share(0, 0))

    def test_cei(self):
        self.assertAlmostEqual(rules.cei(1500, 7600, 4200, 600), 57.647, places=3)
        self.assertEqual(rules.cei(0, 1000, 0, 0), 100.0)
        self.assertEqual(rules.cei(1000, 0, 1000, 0), 0.0)
        self.assertIsNone(rules.cei(0, 0, 0, 0))

    def test_trend_points_and_cumulate(self):
        points = rules.trend_points(date(2024, 6, 15), 4)
        self.assertEqual(
            points,
            [
                date(2024, 3, 31),
                date(2024, 4, 30),
                date(2024, 5, 31),
                date(2024, 6, 15),
            ],
        )
        self.assertEqual(rules.cumulate({0: 5.0, 2: -5.0}, 4), [5.0, 5.0, 0.0, 0.0])
