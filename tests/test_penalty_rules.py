from datetime import date

from odoo.tests import BaseCase, tagged

from ..models.penalty_rules import (
    BASIS_ACTUAL,
    RATE_OF_START,
    half_year_rate,
    half_year_start,
    interest_detail,
    last_payment_date,
    penalty_rate,
    rate_in_force,
    round_half_up,
)

# Excerpts of the shipped series (data/account_dunning_rate_data.xml).
ECB = [
    (date(2023, 9, 20), 4.50),
    (date(2024, 6, 12), 4.25),
    (date(2024, 12, 18), 3.15),
    (date(2025, 6, 11), 2.15),
]
FR_LEGAL = [
    (date(2024, 1, 1), 5.07),
    (date(2024, 7, 1), 4.92),
    (date(2025, 1, 1), 3.71),
]


def fixed(rate):
    return lambda _day: rate


def statutory(day):
    """The French default: the ECB rate of the half-year + 10 points."""
    return penalty_rate(day, "reference", margin=10.0, reference=ECB)


def total(lines):
    return round(sum(line.amount for line in lines), 2)


@tagged("post_install", "-at_install")
class TestPenaltyRules(BaseCase):
    def test_half_year_rates(self):
        self.assertEqual(half_year_start(date(2024, 6, 30)), date(2024, 1, 1))
        self.assertEqual(half_year_start(date(2024, 7, 1)), date(2024, 7, 1))
        self.assertEqual(rate_in_force(ECB, date(2024, 6, 12)), 4.25)
        # The rate of 1 January rules the whole first half-year, changes or not.
        self.assertEqual(half_year_rate(ECB, date(2024, 6, 30)), 4.50)
        self.assertEqual(half_year_rate(ECB, date(2024, 7, 1)), 4.25)
        self.assertEqual(half_year_rate(ECB, date(2025, 7, 1)), 2.15)
        self.assertIsNone(half_year_rate(ECB, date(2023, 1, 1)))

    def test_simple_case(self):
        # 5,000.00 x 10 % x 30 / 365 = 41.0958... -> 41.10
        lines = interest_detail(
            5000.0, date(2024, 3, 1), date(2024, 3, 31), fixed(10.0)
        )
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines[0].days, 30)
        self.assertEqual(lines[0].date_from, date(2024, 3, 2))
        self.assertEqual(lines[0].amount, 41.10)

    def test_default_rate_h1_2024(self):
        # ECB in force on 1 Jan 2024: 4.50; + 10 points = 14.50 %.
        # 1,000.00 x 14.50 % x 30 / 365 = 11.9178... -> 11.92
        self.assertEqual(statutory(date(2024, 2, 2)), 14.50)
        lines = interest_detail(1000.0, date(2024, 2, 1), date(2024, 3, 2), statutory)
        self.assertEqual(
            [(line.days, line.rate, line.amount) for line in lines], [(30, 14.5, 11.92)]
        )

    def test_across_the_july_2025_change(self):
        due, end = date(2025, 6, 15), date(2025, 7, 15)
        # Each half-year at its own rate (the default):
        #   16-30 June, 15 days at 3.15 + 10 = 13.15 %:
        #     10,000 x 13.15 % x 15 / 365 = 54.0411 -> 54.04
        #   1-15 July, 15 days at 2.15 + 10 = 12.15 %:
        #     10,000 x 12.15 % x 15 / 365 = 49.9315 -> 49.93
        split = interest_detail(10000.0, due, end, statutory)
        self.assertEqual(
            [
                (line.date_from, line.date_to, line.days, line.rate, line.amount)
                for line in split
            ],
            [
                (date(2025, 6, 16), date(2025, 6, 30), 15, 13.15, 54.04),
                (date(2025, 7, 1), date(2025, 7, 15), 15, 12.15, 49.93),
            ],
        )
        self.assertEqual(total(split), 103.97)
        # The whole delay at the rate of the half-year it started in:
        #   30 days at 13.15 %: 10,000 x 13.15 % x 30 / 365 = 108.0822 -> 108.08
        whole = interest_detail(10000.0, due, end, statutory, half_years=RATE_OF_START)
        self.assertEqual(
            [(line.days, line.rate, line.amount) for line in whole],
            [(30, 13.15, 108.08)],
        )

    def test_cut_at_half_year_even_without_rate_change(self):
        # Fixed 10 %: the cut on 1 July still happens, 15 + 15 days.
        # 1,000 x 10 % x 15 / 365 = 4.1096 -> 4.11, twice.
        lines = interest_detail(
            1000.0, date(2024, 6, 15), date(2024, 7, 15), fixed(10.0)
        )
        self.assertEqual([line.amount for line in lines], [4.11, 4.11])

    def test_leap_year_both_bases(self):
        due, end = date(2024, 1, 31), date(2024, 3, 1)  # 30 days of 2024, a leap year
        # 365 days: 1,000 x 10 % x 30 / 365 = 8.2192 -> 8.22
        self.assertEqual(total(interest_detail(1000.0, due, end, fixed(10.0))), 8.22)
        # actual days: 1,000 x 10 % x 30 / 366 = 8.1967 -> 8.20
        actual = interest_detail(1000.0, due, end, fixed(10.0), basis=BASIS_ACTUAL)
        self.assertEqual(total(actual), 8.20)
        # Across 31 December 2023 under the actual basis, each year with its own days:
        #   15 days of 2023: 1,000 x 10 % x 15 / 365 = 4.1096 -> 4.11
        #   15 days of 2024: 1,000 x 10 % x 15 / 366 = 4.0984 -> 4.10
        across = interest_detail(
            1000.0,
            date(2023, 12, 16),
            date(2024, 1, 15),
            fixed(10.0),
            half_years=RATE_OF_START,
            basis=BASIS_ACTUAL,
        )
        self.assertEqual([line.amount for line in across], [4.11, 4.10])

    def test_partial_payments_and_credit_note(self):
        reductions = [
            (date(2024, 3, 11), 300.0),  # payment
            (date(2024, 3, 21), 200.0),  # credit note
            (date(2024, 3, 31), 700.0),  # payment of the rest
        ]
        lines = interest_detail(
            1200.0,
            date(2024, 3, 1),
            date(2024, 4, 30),
            fixed(12.0),
            reductions=reductions,
        )
        # 1,200 x 12 % x 10 / 365 = 3.9452 -> 3.95
        #   900 x 12 % x 10 / 365 = 2.9589 -> 2.96
        #   700 x 12 % x 10 / 365 = 2.3014 -> 2.30; nothing after the last payment.
        self.assertEqual(
            [(line.base, line.days, line.amount) for line in lines],
            [(1200.0, 10, 3.95), (900.0, 10, 2.96), (700.0, 10, 2.30)],
        )
        self.assertEqual(total(lines), 9.21)
        self.assertEqual(last_payment_date(1200.0, reductions), date(2024, 3, 31))
        self.assertIsNone(last_payment_date(1200.0, reductions[:2]))

    def test_contractual_rate_floor(self):
        # H1 2024: 3 x 5.07 (legal rate) = 15.21 % > 14.50 %: the floor applies.
        day = date(2024, 3, 1)
        self.assertEqual(
            penalty_rate(
                day, "fixed", fixed_rate=14.5, floor_multiple=3, floor_series=FR_LEGAL
            ),
            15.21,
        )
        self.assertEqual(
            penalty_rate(
                day,
                "reference",
                margin=10,
                reference=ECB,
                floor_multiple=3,
                floor_series=FR_LEGAL,
            ),
            15.21,
        )
        # Above the floor, the rate stands: 20 % > 15.21 %.
        self.assertEqual(
            penalty_rate(
                day, "fixed", fixed_rate=20, floor_multiple=3, floor_series=FR_LEGAL
            ),
            20,
        )

        # 1,000 x 15.21 % x 30 / 365 = 12.5013... -> 12.50
        def floor(day):
            return penalty_rate(
                day, "fixed", fixed_rate=14.5, floor_multiple=3, floor_series=FR_LEGAL
            )

        self.assertEqual(
            total(interest_detail(1000.0, date(2024, 2, 1), date(2024, 3, 2), floor)),
            12.50,
        )

    def test_days_already_billed(self):
        due = date(2024, 3, 1)
        first = interest_detail(5000.0, due, date(2024, 3, 31), fixed(10.0))
        rest = interest_detail(
            5000.0, due, date(2024, 4, 30), fixed(10.0), start_after=date(2024, 3, 31)
        )
        full = interest_detail(5000.0, due, date(2024, 4, 30), fixed(10.0))
        # The second billing starts the day after the first one ended: no day twice.
        self.assertEqual(rest[0].date_from, date(2024, 4, 1))
        self.assertEqual(
            sum(line.days for line in first + rest), sum(line.days for line in full)
        )
        self.assertEqual(total(rest), 41.10)

    def test_nothing_before_due_or_without_rate(self):
        self.assertEqual(
            interest_detail(100.0, date(2024, 3, 1), date(2024, 3, 1), fixed(10.0)), []
        )
        self.assertEqual(
            interest_detail(100.0, date(2024, 3, 1), date(2024, 3, 31), lambda d: None),
            [],
        )

    def test_round_half_up(self):
        self.assertEqual(round_half_up(0.125), 0.13)
        self.assertEqual(round_half_up(2.675), 2.68)
        self.assertEqual(round_half_up(41.0958), 41.10)
