# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Aged balance and collection KPI rules as plain functions.

The models compute sums with SQL and hand them to these functions; nothing here
touches the ORM, so that every rule can be tested with many cases on its own.
"""

import calendar
from datetime import date, timedelta

DEFAULT_BUCKET_LIMITS = (30, 60, 90, 120)
MAX_BUCKET_RANGES = 10


def parse_bucket_limits(spec):
    """Upper day limits of the aging ranges from "30,60,90" or a list of numbers.

    Returns a strictly increasing tuple of positive integers; ``None`` or an empty
    value gives the default (30, 60, 90, 120). Raises ValueError on bad input.
    """
    if spec is None or spec is False or spec == "" or spec == []:
        return DEFAULT_BUCKET_LIMITS
    if isinstance(spec, str):
        parts = [part.strip() for part in spec.replace(";", ",").split(",")]
        if any(not part for part in parts):
            raise ValueError("empty limit")
        values = []
        for part in parts:
            if not part.isdigit():
                raise ValueError("not a whole number of days: %s" % part)
            values.append(int(part))
    else:
        values = []
        for value in spec:
            if isinstance(value, bool) or int(value) != value:
                raise ValueError("not a whole number of days: %s" % value)
            values.append(int(value))
    if any(value <= 0 for value in values):
        raise ValueError("limits must be positive")
    if any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise ValueError("limits must increase")
    if len(values) >= MAX_BUCKET_RANGES:
        raise ValueError("too many ranges")
    return tuple(values)


def bucket_ranges(limits):
    """(first_day, last_day) of each range after "not yet due"; None = no end."""
    ranges = []
    first = 1
    for limit in limits:
        ranges.append((first, limit))
        first = limit + 1
    ranges.append((first, None))
    return ranges


def bucket_index(days_late, limits):
    """0 for not yet due (0 days late or less), then 1 + the range of ``days_late``."""
    if days_late <= 0:
        return 0
    for index, limit in enumerate(limits, start=1):
        if days_late <= limit:
            return index
    return len(limits) + 1


def sum_rows(rows, bucket_count):
    """Totals of aging rows (dicts with buckets, unapplied, doubtful and total)."""
    buckets = [0.0] * bucket_count
    unapplied = doubtful = total = 0.0
    for row in rows:
        buckets = [a + b for a, b in zip(buckets, row["buckets"], strict=True)]
        unapplied += row["unapplied"]
        doubtful += row.get("doubtful", 0.0)
        total += row["total"]
    totals = {"buckets": buckets, "unapplied": unapplied, "total": total}
    if any("doubtful" in row for row in rows):
        totals["doubtful"] = doubtful
    return totals


# ---------------------------------------------------------------------- KPIs
def add_months(day, months):
    """``day`` moved by ``months`` months, clamped to the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def countback_periods(date_to, count):
    """``count`` calendar months ending on ``date_to``, the latest first.

    Each is (first_day, last_day); the latest runs from the 1st of its month to
    ``date_to`` (a month to date when ``date_to`` is not a month's end).
    """
    periods = []
    end = date_to
    for _index in range(count):
        start = end.replace(day=1)
        periods.append((start, end))
        end = start - timedelta(days=1)
    return periods


def dso_countback(receivable, sales_by_period, period_days):
    """Days sales outstanding, countback method.

    The receivable balance is matched against the sales of the latest period, then
    the one before, and so on; each period wholly covered adds its days, the last
    one the covered fraction of its days. ``sales_by_period`` and ``period_days``
    are the latest period first. None when there were no sales at all.
    """
    if not any(sales > 0 for sales in sales_by_period):
        return None
    remaining = receivable
    days = 0.0
    for sales, length in zip(sales_by_period, period_days, strict=True):
        if remaining <= 0:
            break
        if sales <= 0:
            days += length
            continue
        if remaining >= sales:
            days += length
            remaining -= sales
        else:
            days += remaining / sales * length
            remaining = 0
    return days


def dso_simple(receivable, sales, days):
    """Receivable / sales of the period x days of the period (None without sales)."""
    if sales <= 0:
        return None
    return receivable / sales * days


def weighted_days(sum_amount_days, sum_amount):
    """An amount-weighted average of days, or None when nothing was weighed."""
    if not sum_amount:
        return None
    return sum_amount_days / sum_amount


def share(part, whole):
    """``part`` / ``whole`` in percent, or None when ``whole`` is zero."""
    if not whole:
        return None
    return part * 100.0 / whole


def cei(receivable_begin, sales, receivable_end, current_end):
    """Collection effectiveness index in percent.

    (begin + sales - end) / (begin + sales - current end) x 100, where "current"
    is the part of the ending receivable that is not yet due. None when the
    collectible amount (the denominator) is zero or negative.
    """
    collectible = receivable_begin + sales - current_end
    if collectible <= 0:
        return None
    return (receivable_begin + sales - receivable_end) * 100.0 / collectible


def trend_points(date_to, count=12):
    """The dates of a monthly trend: the ends of the ``count - 1`` previous months,
    then ``date_to`` itself, oldest first."""
    points = []
    for months_back in range(count - 1, 0, -1):
        day = add_months(date_to, -months_back)
        last = calendar.monthrange(day.year, day.month)[1]
        points.append(date(day.year, day.month, last))
    points.append(date_to)
    return points


def cumulate(deltas_by_index, count):
    """Running sums: the value at point i is the sum of the deltas of 0..i."""
    values = []
    running = 0.0
    for index in range(count):
        running += deltas_by_index.get(index, 0.0)
        values.append(running)
    return values


# A cell a spreadsheet would read as a formula (CSV injection): =, +, -, @, and the
# tab and carriage return that some programs skip before reading one.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    """Text of an exported cell, never read as a formula: a leading apostrophe
    marks it as text (OWASP's advice for CSV files)."""
    text = "" if value is None or value is False else str(value)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_PREFIXES) else text
