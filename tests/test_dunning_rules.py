from datetime import date, timedelta

from odoo.tests import BaseCase, tagged

from ..models.dunning_rules import (
    LevelRule,
    apply_min_amount,
    block_reasons,
    customer_level,
    default_min_days_since_previous,
    level_due,
    next_action_date,
    next_level,
)

COURTESY = LevelRule(1, -5, 0, 0.0)
FIRST = LevelRule(2, 7, 12, 0.0)
SECOND = LevelRule(3, 15, 8, 0.0)
THIRD = LevelRule(4, 30, 15, 100.0)
NOTICE = LevelRule(5, 45, 15, 500.0)
LEVELS = [NOTICE, FIRST, COURTESY, THIRD, SECOND]  # any order: the rules sort them
DUE = date(2024, 5, 1)


def day(offset):
    return DUE + timedelta(days=offset)


@tagged("post_install", "-at_install")
class TestDunningRules(BaseCase):
    def test_default_min_days(self):
        self.assertEqual(default_min_days_since_previous(None, 7), 0)
        self.assertEqual(default_min_days_since_previous(-5, 7), 12)
        self.assertEqual(default_min_days_since_previous(7, 15), 8)
        self.assertEqual(default_min_days_since_previous(30, 45), 15)

    def test_next_level_order_and_courtesy(self):
        self.assertEqual(next_level(LEVELS, None, -10), COURTESY)
        self.assertEqual(
            next_level(LEVELS, None, 0), COURTESY, "due today is not past due"
        )
        self.assertEqual(
            next_level(LEVELS, None, 1), FIRST, "past due passes over courtesy"
        )
        self.assertEqual(next_level(LEVELS, -5, 3), FIRST)
        self.assertEqual(next_level(LEVELS, 7, 100), SECOND, "one level at a time")
        self.assertIsNone(next_level(LEVELS, 45, 300))
        self.assertIsNone(next_level([], None, 10))

    def test_level_boundaries(self):
        cases = [
            # (days after due, expected level) for a never-reminded invoice
            (-6, None),
            (-5, COURTESY),
            (-4, COURTESY),
            (0, COURTESY),
            (1, None),
            (6, None),
            (7, FIRST),
            (8, FIRST),
            (60, FIRST),
            (300, FIRST),
        ]
        for offset, expected in cases:
            with self.subTest(days=offset):
                self.assertEqual(
                    level_due(LEVELS, None, None, DUE, day(offset)), expected
                )

    def test_level_after_first(self):
        sent = day(7)
        cases = [(14, None), (15, SECOND), (16, SECOND)]
        for offset, expected in cases:
            with self.subTest(days=offset):
                self.assertEqual(
                    level_due(LEVELS, FIRST.delay, sent, DUE, day(offset)), expected
                )

    def test_min_days_since_previous_holds_back(self):
        late_sent = day(10)  # the first reminder went out three days late
        self.assertIsNone(level_due(LEVELS, FIRST.delay, late_sent, DUE, day(15)))
        self.assertIsNone(level_due(LEVELS, FIRST.delay, late_sent, DUE, day(17)))
        self.assertEqual(
            level_due(LEVELS, FIRST.delay, late_sent, DUE, day(18)), SECOND
        )

    def test_courtesy_then_first(self):
        courtesy_sent = day(-5)
        self.assertIsNone(level_due(LEVELS, COURTESY.delay, courtesy_sent, DUE, day(6)))
        self.assertEqual(
            level_due(LEVELS, COURTESY.delay, courtesy_sent, DUE, day(7)), FIRST
        )
        late_courtesy = day(-2)
        self.assertIsNone(level_due(LEVELS, COURTESY.delay, late_courtesy, DUE, day(9)))
        self.assertEqual(
            level_due(LEVELS, COURTESY.delay, late_courtesy, DUE, day(10)), FIRST
        )

    def test_never_twice_a_day(self):
        levels = [LevelRule(1, 0, 0, 0.0), LevelRule(2, 1, 0, 0.0)]
        self.assertIsNone(level_due(levels, 0, day(5), DUE, day(5)))
        self.assertEqual(level_due(levels, 0, day(5), DUE, day(6)), levels[1])

    def test_last_level_reached(self):
        self.assertIsNone(level_due(LEVELS, NOTICE.delay, day(45), DUE, day(200)))

    def test_next_action_date(self):
        self.assertEqual(next_action_date(LEVELS, None, None, DUE, day(-20)), day(-5))
        self.assertEqual(next_action_date(LEVELS, -5, day(-5), DUE, day(-5)), day(7))
        self.assertEqual(next_action_date(LEVELS, 7, day(7), DUE, day(7)), day(15))
        self.assertEqual(next_action_date(LEVELS, 7, day(10), DUE, day(10)), day(18))
        self.assertEqual(next_action_date(LEVELS, None, None, DUE, day(3)), day(7))
        self.assertEqual(next_action_date(LEVELS, None, None, DUE, day(50)), day(51))
        self.assertIsNone(next_action_date(LEVELS, 45, day(45), DUE, day(45)))

    def test_customer_level_and_min_amount(self):
        self.assertEqual(customer_level([FIRST, THIRD, SECOND]), THIRD)
        self.assertIsNone(customer_level([]))
        due = {10: FIRST, 11: THIRD, 12: NOTICE}
        self.assertEqual(apply_min_amount(due, 99.99), {10: FIRST})
        self.assertEqual(apply_min_amount(due, 100.0), {10: FIRST, 11: THIRD})
        self.assertEqual(apply_min_amount(due, 500.0), due)

    def test_block_reasons(self):
        rules = {
            "level_delay": 15,
            "max_overdue": 1000.0,
            "max_days": 30,
            "credit_limit": 5000.0,
        }
        cases = [
            # (overdue, oldest days late, highest level delay, credit) -> reasons
            ((0.0, 0, None, 0.0), []),
            ((999.99, 29, 7, 4999.0), []),
            ((1000.0, 30, 7, 5000.0), []),
            ((1000.01, 30, 7, 5000.0), ["amount"]),
            ((1000.0, 31, 7, 5000.0), ["days"]),
            ((1000.0, 30, 15, 5000.0), ["level"]),
            ((1000.0, 30, 45, 5000.0), ["level"]),
            ((1000.0, 30, 7, 5000.01), ["credit"]),
            ((2000.0, 90, 45, 9000.0), ["level", "amount", "days", "credit"]),
        ]
        for args, expected in cases:
            with self.subTest(args=args):
                self.assertEqual(block_reasons(*args, **rules), expected)
        # A threshold of 0 (or no level) switches its rule off.
        self.assertEqual(block_reasons(10**6, 999, 45, 10**6), [])
