# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Insolvency proceedings' rules as plain functions (no ORM)."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

# The claim is declared within two months of the BODACC publication, four for a
# creditor domiciled outside metropolitan France (R622-24 C. com.).
CLAIM_MONTHS = 2
CLAIM_MONTHS_ABROAD = 4
# The credit manager's activity falls due this many days before the claim deadline.
DEADLINE_NOTICE_DAYS = 7


def claim_deadline(publication_date, abroad=False):
    """The last day to declare a claim, or None before the publication.

    A calendar month later keeps the day, or takes the month's last day when it has
    none: 31 December + 2 months = 28 (29) February.
    """
    if not publication_date:
        return None
    months = CLAIM_MONTHS_ABROAD if abroad else CLAIM_MONTHS
    return publication_date + relativedelta(months=months)


def reminder_date(deadline, after_date):
    """When the credit manager is reminded of the deadline: 7 days before it, never
    before the day after ``after_date`` (None without a deadline)."""
    if not deadline:
        return None
    return max(
        deadline - timedelta(days=DEADLINE_NOTICE_DAYS),
        after_date + timedelta(days=1),
    )


def siren(*values):
    """The French company number (9 digits) found in a SIRET, a company registry
    (9 or 14 digits) or a French VAT number (FR + 2 key digits + SIREN), in that
    order; None if none holds one."""
    for value in values:
        text = (value or "").replace(" ", "").upper()
        if text.startswith("FR") and len(text) == 13 and text[4:].isdigit():
            return text[4:]
        digits = "".join(char for char in text if char.isdigit())
        if text.isdigit() and len(digits) in (9, 14):
            return digits[:9]
    return None
