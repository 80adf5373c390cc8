"""The amicable phase's rules as plain functions: disputes, promises, payment plans.

Nothing here touches the ORM: the models feed dates and amounts (in cents where they
are split, so that nothing is lost to rounding) and the engine applies the outcome.
"""

import calendar
from datetime import timedelta

DISPUTE = "dispute"
PROMISE = "promise"
PLAN = "plan"

MONTHLY = "monthly"
DAYS = "days"


def add_months(day, months):
    """The same day ``months`` later, the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def schedule(total_cents, count, first_date, period=MONTHLY, every_days=30):
    """Instalments [(date, cents)] of equal amounts; the last one takes the rounding.

    ``period``: ``monthly`` (same day each month) or ``days`` (every ``every_days``).
    """
    if count < 1:
        raise ValueError("count")
    if period == DAYS and every_days < 1:
        raise ValueError("every_days")
    share = total_cents // count
    instalments = []
    for rank in range(count):
        if period == MONTHLY:
            day = add_months(first_date, rank)
        else:
            day = first_date + timedelta(days=every_days * rank)
        amount = share if rank < count - 1 else total_cents - share * (count - 1)
        instalments.append((day, amount))
    return instalments


def schedule_errors(instalments, total_cents, today):
    """What makes a schedule [(date, cents)] wrong, as codes (none: it is right).

    - ``empty``: no instalment; ``amount``: an instalment of 0 or less;
    - ``total``: the instalments do not add up to the total, to the cent;
    - ``order``: the dates do not strictly increase; ``past``: the first is past.
    """
    if not instalments:
        return ["empty"]
    errors = []
    if any(cents <= 0 for _day, cents in instalments):
        errors.append("amount")
    if sum(cents for _day, cents in instalments) != total_cents:
        errors.append("total")
    dates = [day for day, _cents in instalments]
    if any(later <= earlier for earlier, later in zip(dates, dates[1:], strict=False)):
        errors.append("order")
    if dates[0] < today:
        errors.append("past")
    return errors


def allocate(instalments, paid_cents):
    """What is paid of each instalment, oldest first: [paid cents] in their order.

    ``instalments`` are [(date, cents)]; a payment above the total is kept on none.
    """
    left = max(paid_cents, 0)
    paid = []
    for _day, cents in sorted(instalments, key=lambda instalment: instalment[0]):
        part = min(cents, left)
        paid.append(part)
        left -= part
    return paid


def instalment_state(due_date, cents, paid_cents, today):
    """``paid``, ``late`` (due before today and not paid in full) or ``open``."""
    if paid_cents >= cents:
        return "paid"
    return "late" if due_date < today else "open"


def plan_broken(instalments, paid, tolerance_days, today):
    """True when an instalment is unpaid more than ``tolerance_days`` after its date.

    ``instalments`` [(date, cents)] and ``paid`` [cents] in date order (``allocate``).
    """
    return any(
        part < cents and (today - day).days > tolerance_days
        for (day, cents), part in zip(instalments, paid, strict=False)
    )


def instalments_to_remind(instalments, paid, reminded, after_days, today):
    """Ranks of the late instalments whose reminder is due today (each one once).

    An instalment is reminded ``after_days`` days after its date when not paid in
    full, and never before its date; ``reminded``: the ranks already reminded.
    """
    return [
        rank
        for rank, ((day, cents), part) in enumerate(
            zip(instalments, paid, strict=False)
        )
        if part < cents
        and rank not in reminded
        and (today - day).days >= max(after_days, 1)
    ]


def promise_outcome(promised_cents, paid_cents, promised_date, grace_days, today):
    """``kept``, ``broken`` or None (still open) for a promise on ``today``.

    Kept as soon as what was paid since reaches the amount, on or before the
    promised date plus the grace days; broken once that day has passed.
    """
    last_day = promised_date + timedelta(days=grace_days)
    if paid_cents >= promised_cents and today <= last_day:
        return "kept"
    if today > last_day:
        return "broken"
    return None


def disputed_split(residuals, disputed_cents):
    """The disputed part of each instalment of an invoice, the latest due first.

    ``residuals``: [(due date, cents)] of its open instalments; returns
    [disputed cents] in their order. What is left of each is still claimed.
    """
    order = sorted(
        range(len(residuals)), key=lambda rank: residuals[rank][0], reverse=True
    )
    left = max(disputed_cents, 0)
    split = [0] * len(residuals)
    for rank in order:
        part = min(residuals[rank][1], left)
        split[rank] = part
        left -= part
    return split


def hold_of(fully_disputed, promised, in_plan):
    """The hold an invoice is under: a plan first, then a whole dispute, a promise."""
    if in_plan:
        return PLAN
    if fully_disputed:
        return DISPUTE
    if promised:
        return PROMISE
    return False
