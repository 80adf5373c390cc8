"""Late-payment penalty rules as plain functions (French L441-10 / EU 2011/7).

Simple interest on the amount due including VAT, from the day after the due date:
a period ``(start, stop]`` counts ``stop - start`` days. The delay is cut at each
payment or credit-note date (the period up to that date is counted on the earlier
base) and, under the default setting, at each 1 January and 1 July, each half-year at
its own rate. Each period is one detail line ``base x rate x days / basis`` rounded
half-up to the cent; the interest is the sum of the rounded lines, so the detail
always adds up.
"""

import calendar
from collections import namedtuple
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# provisional: the rate of the period's half-year is not published yet; the line
# uses the last known rate.
DetailLine = namedtuple(
    "DetailLine",
    "date_from date_to days base rate amount provisional",
    defaults=(False,),
)

SPLIT_HALF_YEARS = "split"
RATE_OF_START = "start"
BASIS_365 = "365"
BASIS_ACTUAL = "actual"


def half_year_start(day):
    """1 January or 1 July of the half-year containing ``day``."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def rate_in_force(series, on_date):
    """The rate of a dated series in force on a date (latest dated on or before it)."""
    rate = None
    for rate_date, value in series:
        if rate_date > on_date:
            break
        rate = value
    return rate


def half_year_rate(series, day):
    """The rate of the half-year of ``day``: the one of 1 January or 1 July."""
    return rate_in_force(series, half_year_start(day))


def penalty_rate(
    day,
    mode,
    fixed_rate=0.0,
    margin=0.0,
    reference=(),
    floor_multiple=0.0,
    floor_series=(),
):
    """The annual penalty rate, in percent, for the half-year of ``day``.

    ``mode`` is 'fixed' (a contractual rate) or 'reference' (the reference rate of the
    half-year plus ``margin`` points). The law may impose a floor: ``floor_multiple``
    times the floor series' rate of the half-year (France: 3 x the legal rate).
    Returns None when the reference series has no rate for that half-year.
    """
    if mode == "fixed":
        rate = fixed_rate
    else:
        reference_rate = half_year_rate(reference, day)
        if reference_rate is None:
            return None
        rate = reference_rate + margin
    if floor_multiple:
        floor_rate = half_year_rate(floor_series, day)
        if floor_rate is not None:
            rate = max(rate, round(floor_multiple * floor_rate, 4))
    return round(rate, 4)


def round_half_up(amount, digits=2):
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(amount)).quantize(quantum, rounding=ROUND_HALF_UP))


def _cut_dates(due_date, end_date, reductions, half_years, basis):
    """The dates closing each period, in order, ending with ``end_date``."""
    cuts = {day for day, _amount in reductions if due_date < day < end_date}
    year_ends = basis == BASIS_ACTUAL
    boundary = half_year_start(due_date + timedelta(days=1))
    while True:
        boundary = date(
            boundary.year + (boundary.month == 7), 7 if boundary.month == 1 else 1, 1
        )
        if boundary > end_date:
            break
        if half_years == SPLIT_HALF_YEARS or (year_ends and boundary.month == 1):
            cuts.add(boundary - timedelta(days=1))
    cuts.discard(end_date)
    return sorted(day for day in cuts if day > due_date) + [end_date]


def interest_detail(
    amount,
    due_date,
    end_date,
    rate_for,
    reductions=(),
    half_years=SPLIT_HALF_YEARS,
    basis=BASIS_365,
    start_after=None,
    digits=2,
    provisional_for=None,
):
    """The interest detail lines of an invoice from its due date to ``end_date``.

    :param amount: the amount due at the due date, taxes included
    :param rate_for: function(day) -> annual rate in percent for the half-year of day
        (None when unknown: such periods yield no line)
    :param reductions: (date, amount) of each payment or credit note applied
    :param half_years: 'split' (each half-year at its own rate) or 'start' (the whole
        delay at the rate of the half-year in which it started)
    :param basis: '365' or 'actual' (the days of the year, 366 in leap years)
    :param start_after: only the periods after this date (days already billed)
    :param provisional_for: function(day) -> True when the rate of the half-year of
        day is not published yet (the line is then marked provisional)
    :return: list of DetailLine
    """
    if end_date <= due_date:
        return []
    start_rate_day = due_date + timedelta(days=1)
    cuts = _cut_dates(due_date, end_date, reductions, half_years, basis)
    if start_after and due_date < start_after < end_date and start_after not in cuts:
        cuts = sorted(cuts + [start_after])
    lines = []
    period_start = due_date
    for period_end in cuts:
        base = amount - sum(value for day, value in reductions if day <= period_start)
        days = (period_end - period_start).days
        counted = not start_after or period_start >= start_after
        if base > 0 and days > 0 and counted:
            rate_day = period_start + timedelta(days=1)
            lookup_day = rate_day if half_years == SPLIT_HALF_YEARS else start_rate_day
            rate = rate_for(lookup_day)
            if rate is not None:
                year_days = (
                    366
                    if basis == BASIS_ACTUAL and calendar.isleap(rate_day.year)
                    else 365
                )
                value = round_half_up(base * rate / 100.0 * days / year_days, digits)
                lines.append(
                    DetailLine(
                        period_start + timedelta(days=1),
                        period_end,
                        days,
                        round_half_up(base, digits),
                        rate,
                        value,
                        bool(provisional_for and provisional_for(lookup_day)),
                    )
                )
        period_start = period_end
        if base <= 0:
            break
    return lines


def last_payment_date(amount, reductions):
    """The date the reductions paid the invoice off, or None while some is still due."""
    remaining = amount
    for day, value in sorted(reductions):
        remaining -= value
        if remaining <= 0.005:
            return day
    return None
