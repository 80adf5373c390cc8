"""The formal notice's rules as plain functions: tracking numbers, dates, deadline.

Nothing here touches the ORM: the notice model, its wizard and the CSV import feed
these functions plain values, and each rule is tested on its own.

Registered letters (La Poste):
- domestic "lettre recommandée avec avis de réception": ``1A`` then 11 digits, printed
  in groups (``1A 012 345 6789 0``);
- international (and La Poste's registered items in the UPU format): the UPU S10
  identifier, two letters (service, ``R`` for registered), 8 digits of serial number,
  a check digit, the ISO country code of the issuing post (``RR123456785FR``). The
  check digit (UPU standard S10, section 5.1): the serial digits weighted 8, 6, 4, 2,
  3, 5, 9, 7 and summed; 11 minus the sum modulo 11; 10 gives 0 and 11 gives 5.
"""

import re
from datetime import date, datetime, timedelta

DOMESTIC_RE = re.compile(r"^1A\d{11}$")
S10_RE = re.compile(r"^(R[A-Z])(\d{8})(\d)([A-Z]{2})$")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)

BAD_SHAPE = "shape"
BAD_CHECK = "check"


def normalize_tracking(number):
    """The number as stored: upper case, without spaces, dots or dashes."""
    return re.sub(r"[\s.\-]", "", number or "").upper()


def s10_check_digit(serial):
    """The UPU S10 check digit of an 8-digit serial number."""
    total = sum(
        int(digit) * weight for digit, weight in zip(serial, S10_WEIGHTS, strict=False)
    )
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


def tracking_error(number):
    """None when ``number`` (normalised) is a registered-letter number, else why not:
    ``BAD_SHAPE`` or ``BAD_CHECK`` (an S10 number whose check digit is wrong)."""
    if DOMESTIC_RE.match(number):
        return None
    match = S10_RE.match(number)
    if not match:
        return BAD_SHAPE
    if s10_check_digit(match.group(2)) != int(match.group(3)):
        return BAD_CHECK
    return None


def deadline(date_presented, date_received, notice_days):
    """The last day to pay: the first presentation (else the receipt) + the days."""
    start = date_presented or date_received
    if not start:
        return None
    return start + timedelta(days=notice_days or 0)


DATE_FUTURE = "future"
DATE_BEFORE_SENT = "before_sent"
DATE_BEFORE_LETTER = "before_letter"
DATE_NOT_SENT = "not_sent"
DATE_RECEIVED_BEFORE_PRESENTED = "received_before_presented"


def date_errors(letter_date, date_sent, date_presented, date_received, today):
    """[(field, error)] of the notice's dates: none in the future, none before the
    sending date (itself not before the letter), a receipt not before the first
    presentation, and no presentation or receipt without a sending date."""
    errors = []
    for name, value in (
        ("date_sent", date_sent),
        ("date_presented", date_presented),
        ("date_received", date_received),
    ):
        if value and value > today:
            errors.append((name, DATE_FUTURE))
    if date_sent and letter_date and date_sent < letter_date:
        errors.append(("date_sent", DATE_BEFORE_LETTER))
    for name, value in (
        ("date_presented", date_presented),
        ("date_received", date_received),
    ):
        if value and not date_sent:
            errors.append((name, DATE_NOT_SENT))
        elif value and value < date_sent:
            errors.append((name, DATE_BEFORE_SENT))
    if date_presented and date_received and date_received < date_presented:
        errors.append(("date_received", DATE_RECEIVED_BEFORE_PRESENTED))
    return errors


def parse_date(text):
    """A date of a CSV cell, ISO (2024-07-01) or French (01/07/2024); None when
    empty; ValueError when it is neither."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def sniff_delimiter(header_line):
    """``;`` or ``,``: the one the header row uses."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def state(date_sent, tracking_number, date_received, returned, date_expired):
    """The notice's state from its facts."""
    if date_expired:
        return "expired"
    if returned:
        return "returned"
    if date_received:
        return "received"
    if date_sent and tracking_number:
        return "sent"
    return "to_send"


def is_expired(notice_deadline, today, open_invoices):
    """Expired: the deadline passed (strictly before today) and invoices still due."""
    return bool(notice_deadline and notice_deadline < today and open_invoices)


def wait_until(notice_deadline):
    """The first day the next level may be due after a notice: the day after its
    deadline; ``date.max`` while the deadline is not known (not presented yet)."""
    if not notice_deadline:
        return date.max
    return notice_deadline + timedelta(days=1)
