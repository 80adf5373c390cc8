"""The customer page's forms, as plain functions: what the customer typed, read.

Nothing here touches the ORM nor trusts its input: each function returns the value
read, or raises ``ValueError`` with a code the service turns into a message for the
form (``NOT_A_DATE``, ``NOT_A_NUMBER``, ``BAD_ID``...).
"""

import math
import os
from datetime import date

NOT_A_DATE = "not_a_date"
NOT_A_NUMBER = "not_a_number"
BAD_ID = "bad_id"

# A payment plan the customer asks for on its page: the bounds of the request (the
# finance team may agree to any other schedule when it makes a plan itself).
PLAN_MIN_INSTALMENTS = 2
PLAN_MAX_INSTALMENTS = 12
# How far the first instalment may be when the policy sets no limit to promises.
PLAN_MAX_FIRST_DAYS = 60


def plan_max_first_days(promise_max_days):
    """How many days away the first instalment may be: the policy's bound on
    promises, else ``PLAN_MAX_FIRST_DAYS``."""
    return promise_max_days or PLAN_MAX_FIRST_DAYS


# What a customer may attach to a dispute: by its name's extension, and what its first
# bytes say it is (Odoo's ``guess_mimetype``, or libmagic when installed). Anything
# else (web pages, SVG, scripts, programs, archives) is refused.
UPLOAD_TYPES = {
    ".pdf": {"application/pdf"},
    ".png": {"image/png"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".gif": {"image/gif"},
    ".webp": {"image/webp"},
    ".txt": {"text/plain"},
    ".csv": {"text/plain", "text/csv", "application/csv"},
    # Office files before 2007 are OLE compound files, Word's and Excel's alike.
    ".doc": {"application/msword", "application/x-ole-storage", "application/CDFV2"},
    ".xls": {
        "application/vnd.ms-excel",
        "application/msword",
        "application/x-ole-storage",
        "application/CDFV2",
    },
    ".docx": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    },
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    ".odt": {"application/vnd.oasis.opendocument.text"},
    ".ods": {"application/vnd.oasis.opendocument.spreadsheet"},
}
# The type a file is stored under when its content may say several.
STORED_TYPES = {
    ".csv": "text/csv",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
}


def parse_date(value):
    """A ``YYYY-MM-DD`` date."""
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise ValueError(NOT_A_DATE) from None


def parse_amount(value):
    """A positive or zero number as typed: ``1234.56``, ``1234,56`` or ``1 234.56``."""
    text = (value or "").strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        amount = float(text)
    except ValueError:
        raise ValueError(NOT_A_NUMBER) from None
    if not math.isfinite(amount):
        raise ValueError(NOT_A_NUMBER)
    return amount


def parse_int(value):
    text = str(value or "").strip()
    if not text.isdigit():
        raise ValueError(NOT_A_NUMBER)
    return int(text)


def parse_ids(values):
    """Record ids from a comma-separated string, a list of them, or both mixed;
    in their order, without duplicates. Anything but a positive integer is crafted."""
    if isinstance(values, str):
        values = [values]
    ids = []
    for value in values or []:
        for part in str(value).split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or not 0 < int(part) < 2**31:
                raise ValueError(BAD_ID)
            if int(part) not in ids:
                ids.append(int(part))
    return ids


def plan_bounds_error(count, first_date, today, max_days):
    """What is wrong with a plan requested in ``count`` instalments from
    ``first_date``: ``few``, ``many``, ``past``, ``far`` or None."""
    if count < PLAN_MIN_INSTALMENTS:
        return "few"
    if count > PLAN_MAX_INSTALMENTS:
        return "many"
    if first_date < today:
        return "past"
    if (first_date - today).days > plan_max_first_days(max_days):
        return "far"
    return None


def upload_name(filename):
    """The file's own name, without the folders some browsers send."""
    return os.path.basename((filename or "").replace("\\", "/")).strip()


def upload_type(filename, sniffed):
    """The mimetype to store a file under, or None when it is refused: its name's
    extension must be one we take and its content (``sniffed``) must match it."""
    extension = os.path.splitext(upload_name(filename))[1].lower()
    allowed = UPLOAD_TYPES.get(extension)
    if not allowed or sniffed not in allowed:
        return None
    return STORED_TYPES.get(extension, sniffed)
