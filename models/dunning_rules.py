"""Dunning business rules as plain functions.

Nothing here touches the ORM or the database: the models feed these functions plain
values (levels as ``LevelRule`` tuples, dates, amounts) so that every rule can be tested
on its own with many cases.
"""

from collections import namedtuple
from datetime import timedelta

LevelRule = namedtuple("LevelRule", "id delay min_days_since_previous min_amount")


def sort_levels(levels):
    """Levels in the order an invoice climbs them (by strictly increasing delay)."""
    return sorted(levels, key=lambda level: (level.delay, level.id))


def default_min_days_since_previous(previous_delay, delay):
    """Default wait between two levels: the difference of their delays."""
    if previous_delay is None:
        return 0
    return max(delay - previous_delay, 0)


def next_level(levels, current_delay, days_late):
    """The level that follows the current one, or None when the last one was reached.

    ``current_delay`` is the delay of the last level executed (None when never
    reminded). A courtesy level (negative delay) is only for invoices not yet due: an
    invoice already past due (``days_late > 0``) passes over it.
    """
    for level in sort_levels(levels):
        if current_delay is not None and level.delay <= current_delay:
            continue
        if level.delay < 0 and days_late > 0:
            continue
        return level
    return None


def level_due(
    levels,
    current_delay,
    last_date,
    due_date,
    on_date,
    not_before=None,
    escalate=False,
):
    """The level an open invoice is due for on ``on_date``, or None.

    The invoice climbs at most one level per run: the next level is due when its
    delay is reached and, once a level was sent, when its minimum days since that one
    have passed (``escalate``: after a broken promise or plan, the next level is due
    at once, neither its delay nor its minimum days waited).
    Nothing is due twice on the same day, nor before ``not_before`` (the grace days
    after a dispute).
    """
    if not_before and on_date < not_before:
        return None
    days_late = (on_date - due_date).days
    level = next_level(levels, current_delay, days_late)
    if level is None:
        return None
    # A broken arrangement: the next level at once, once the invoice is past due.
    if level.delay > days_late and not (escalate and days_late > 0):
        return None
    if last_date:
        if last_date >= on_date:
            return None
        if (
            not escalate
            and current_delay is not None
            and (on_date - last_date).days < level.min_days_since_previous
        ):
            return None
    return level


def next_action_date(
    levels,
    current_delay,
    last_date,
    due_date,
    after_date,
    not_before=None,
    escalate=False,
):
    """The first date after ``after_date`` on which the invoice becomes due for a level.

    Returns None when the invoice has reached its last level. The next level only
    depends on the date through the courtesy rule, so two cases suffice: up to the due
    date (courtesy levels allowed) and after it. ``not_before`` and ``escalate`` as
    in ``level_due``.
    """
    first_day = after_date + timedelta(days=1)
    if not_before:
        first_day = max(first_day, not_before)
    for not_yet_due in (True, False):
        level = next_level(levels, current_delay, 0 if not_yet_due else 1)
        if level is None:
            if not_yet_due:
                continue
            return None
        earliest = max(
            first_day,
            due_date + timedelta(days=1 if escalate else level.delay),
        )
        if last_date and current_delay is not None and not escalate:
            earliest = max(
                earliest, last_date + timedelta(days=level.min_days_since_previous)
            )
        if not_yet_due:
            if earliest <= due_date:
                return earliest
            continue
        return max(earliest, due_date + timedelta(days=1))
    return None


def customer_level(invoice_levels):
    """The level of one communication: the highest any invoice reaches."""
    return max(invoice_levels, key=lambda level: (level.delay, level.id), default=None)


def apply_min_amount(due_by_invoice, overdue_amount):
    """Drop the invoices whose level asks for more than the customer's overdue amount.

    ``due_by_invoice`` maps invoice ids to their due ``LevelRule``;
    ``overdue_amount`` is the customer's total overdue amount in company currency.
    """
    return {
        invoice_id: level
        for invoice_id, level in due_by_invoice.items()
        if overdue_amount >= level.min_amount
    }


BLOCK_LEVEL = "level"
BLOCK_AMOUNT = "amount"
BLOCK_DAYS = "days"
BLOCK_CREDIT = "credit"
BLOCK_BROKEN = "broken"
BLOCK_INSOLVENCY = "insolvency"


def block_reasons(
    overdue_amount,
    oldest_days_late,
    reached_delay,
    credit,
    level_delay=None,
    max_overdue=0.0,
    max_days=0,
    credit_limit=0.0,
    broken=False,
    insolvent=False,
):
    """Which blocking rules a customer breaks (an empty list: none).

    - level: one of its open invoices reached the blocking level (delay >= its delay);
    - amount: its overdue amount passes the threshold (strictly above it);
    - days: its oldest overdue invoice is more than ``max_days`` days late;
    - credit: its receivable passes Odoo's credit limit;
    - broken: it broke a promise to pay or a payment plan whose invoices are unpaid
      (``broken`` is True only when the policy's rule is on);
    - insolvency: it is in insolvency proceedings (from the opening judgment),
      whatever the policy.
    A threshold of 0 switches its rule off.
    """
    reasons = []
    if (
        level_delay is not None
        and reached_delay is not None
        and reached_delay >= level_delay
    ):
        reasons.append(BLOCK_LEVEL)
    if max_overdue and overdue_amount > max_overdue:
        reasons.append(BLOCK_AMOUNT)
    if max_days and oldest_days_late > max_days:
        reasons.append(BLOCK_DAYS)
    if credit_limit and credit > credit_limit:
        reasons.append(BLOCK_CREDIT)
    if broken:
        reasons.append(BLOCK_BROKEN)
    if insolvent:
        reasons.append(BLOCK_INSOLVENCY)
    return reasons
