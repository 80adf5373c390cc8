from datetime import date

from odoo.tests import BaseCase, tagged

from ..models import hold_rules
from ..models.dunning_rules import LevelRule, level_due, next_action_date

FIRST = LevelRule(2, 7, 0, 0.0)
SECOND = LevelRule(3, 15, 8, 0.0)
THIRD = LevelRule(4, 30, 15, 0.0)
LEVELS = [FIRST, SECOND, THIRD]
DUE = date(2024, 5, 1)


@tagged("post_install", "-at_install")
class TestHoldRules(BaseCase):
    def test_schedule_monthly_last_takes_the_rounding(self):
        # 1,000.00 in 3: 333.33 + 333.33 + 333.34 (100,000 cents // 3 = 33,333).
        self.assertEqual(
            hold_rules.schedule(100000, 3, date(2024, 1, 31)),
            [
                (date(2024, 1, 31), 33333),
                (date(2024, 2, 29), 33333),  # leap year, month's last day
                (date(2024, 3, 31), 33334),
            ],
        )

    def test_schedule_every_n_days(self):
        self.assertEqual(
            hold_rules.schedule(1000, 2, date(2024, 7, 10), hold_rules.DAYS, 14),
            [(date(2024, 7, 10), 500), (date(2024, 7, 24), 500)],
        )
        with self.assertRaises(ValueError):
            hold_rules.schedule(1000, 0, date(2024, 7, 10))

    def test_schedule_errors(self):
        today = date(2024, 7, 1)
        good = [(date(2024, 7, 1), 500), (date(2024, 8, 1), 500)]
        self.assertEqual(hold_rules.schedule_errors(good, 1000, today), [])
        self.assertEqual(hold_rules.schedule_errors([], 1000, today), ["empty"])
        self.assertEqual(hold_rules.schedule_errors(good, 1001, today), ["total"])
        self.assertEqual(
            hold_rules.schedule_errors(list(reversed(good)), 1000, today), ["order"]
        )
        self.assertEqual(
            hold_rules.schedule_errors(
                [(date(2024, 6, 30), 500), (date(2024, 8, 1), 500)], 1000, today
            ),
            ["past"],
        )
        self.assertEqual(
            hold_rules.schedule_errors(
                [(date(2024, 7, 1), 1000), (date(2024, 8, 1), 0)], 1000, today
            ),
            ["amount"],
        )

    def test_allocate_oldest_first(self):
        instalments = [(date(2024, 8, 1), 300), (date(2024, 7, 1), 300)]
        # Sorted by date: the July instalment is paid first.
        self.assertEqual(hold_rules.allocate(instalments, 450), [300, 150])
        self.assertEqual(hold_rules.allocate(instalments, 0), [0, 0])
        self.assertEqual(hold_rules.allocate(instalments, 900), [300, 300])

    def test_instalment_state_and_plan_broken(self):
        today = date(2024, 7, 20)
        self.assertEqual(
            hold_rules.instalment_state(date(2024, 7, 1), 300, 300, today), "paid"
        )
        self.assertEqual(
            hold_rules.instalment_state(date(2024, 7, 1), 300, 299, today), "late"
        )
        self.assertEqual(
            hold_rules.instalment_state(date(2024, 7, 20), 300, 0, today), "open"
        )
        instalments = [(date(2024, 7, 5), 300)]
        # 15 days late is within a 15-day tolerance; 16 is not.
        self.assertFalse(hold_rules.plan_broken(instalments, [0], 15, today))
        self.assertTrue(hold_rules.plan_broken(instalments, [0], 15, date(2024, 7, 21)))
        self.assertFalse(
            hold_rules.plan_broken(instalments, [300], 15, date(2024, 9, 1))
        )

    def test_instalments_to_remind_once_and_not_before_due(self):
        instalments = [(date(2024, 7, 1), 300), (date(2024, 8, 1), 300)]
        self.assertEqual(
            hold_rules.instalments_to_remind(
                instalments, [0, 0], set(), 3, date(2024, 7, 3)
            ),
            [],
        )
        self.assertEqual(
            hold_rules.instalments_to_remind(
                instalments, [0, 0], set(), 3, date(2024, 7, 4)
            ),
            [0],
        )
        self.assertEqual(
            hold_rules.instalments_to_remind(
                instalments, [0, 0], {0}, 3, date(2024, 7, 5)
            ),
            [],
        )
        # Even with 0 days, never on the instalment's own date.
        self.assertEqual(
            hold_rules.instalments_to_remind(
                instalments, [0, 0], set(), 0, date(2024, 7, 1)
            ),
            [],
        )

    def test_promise_outcome(self):
        promised = date(2024, 7, 10)
        self.assertIsNone(hold_rules.promise_outcome(1000, 999, promised, 3, promised))
        self.assertEqual(
            hold_rules.promise_outcome(1000, 1000, promised, 3, date(2024, 7, 13)),
            "kept",
        )
        self.assertIsNone(
            hold_rules.promise_outcome(1000, 500, promised, 3, date(2024, 7, 13))
        )
        self.assertEqual(
            hold_rules.promise_outcome(1000, 500, promised, 3, date(2024, 7, 14)),
            "broken",
        )
        # Paid in full, but only after the grace days: too late.
        self.assertEqual(
            hold_rules.promise_outcome(1000, 1000, promised, 3, date(2024, 7, 14)),
            "broken",
        )

    def test_disputed_split_latest_first(self):
        residuals = [(date(2024, 6, 1), 500), (date(2024, 7, 1), 500)]
        self.assertEqual(hold_rules.disputed_split(residuals, 300), [0, 300])
        self.assertEqual(hold_rules.disputed_split(residuals, 700), [200, 500])
        self.assertEqual(hold_rules.disputed_split(residuals, 0), [0, 0])

    def test_hold_of(self):
        self.assertEqual(hold_rules.hold_of(True, True, True), hold_rules.PLAN)
        self.assertEqual(hold_rules.hold_of(True, True, False), hold_rules.DISPUTE)
        self.assertEqual(hold_rules.hold_of(False, True, False), hold_rules.PROMISE)
        self.assertFalse(hold_rules.hold_of(False, False, False))

    def test_level_due_not_before_and_escalate(self):
        on_date = date(2024, 5, 20)  # 19 days late
        # Level 1 (7 days) sent on 15 May; level 2 (15) waits 8 days: 23 May.
        self.assertIsNone(level_due(LEVELS, 7, date(2024, 5, 15), DUE, on_date))
        self.assertEqual(
            level_due(LEVELS, 7, date(2024, 5, 15), DUE, on_date, escalate=True),
            SECOND,
        )
        # Escalated, the next level's delay is not waited either (level 3: 30 days).
        self.assertEqual(
            level_due(LEVELS, 15, date(2024, 5, 16), DUE, on_date, escalate=True),
            THIRD,
        )
        # Not reminded before the grace days after a dispute.
        self.assertIsNone(
            level_due(LEVELS, None, None, DUE, on_date, not_before=date(2024, 5, 21))
        )
        self.assertEqual(
            level_due(LEVELS, None, None, DUE, on_date, not_before=on_date), FIRST
        )
        self.assertEqual(
            next_action_date(
                LEVELS, None, None, DUE, on_date, not_before=date(2024, 5, 27)
            ),
            date(2024, 5, 27),
        )
        self.assertEqual(
            next_action_date(LEVELS, 7, date(2024, 5, 15), DUE, on_date, escalate=True),
            date(2024, 5, 21),
        )
