"""The signed link of the customer page, as plain functions.

A link names a customer (its commercial entity), one of our companies and the last day
it opens the page; an HMAC of the three, keyed by the database secret, makes it
unforgeable. A link whose signature is right but whose day has passed is *expired*
(the customer may ask for a fresh one); any other mismatch is *tampered*.

``sign`` is a function ``message -> hex digest`` (``odoo.tools.misc.hmac`` with the
database secret in the product, any keyed hash in the tests).
"""

import hmac as _hmac
import re
from datetime import date

VALID = "valid"
EXPIRED = "expired"
TAMPERED = "tampered"

# Ids are PostgreSQL integers; the signature a hex digest. ASCII digits only:
# ``str.isdigit`` takes "²" or "١" too, which ``int`` refuses or reads as 1.
TOKEN_RE = re.compile(
    r"(?P<partner>[1-9][0-9]{0,9})-(?P<company>[1-9][0-9]{0,9})"
    r"-(?P<day>[0-9]{8})-(?P<signature>[0-9a-f]{1,128})"
)
MAX_ID = 2**31 - 1


def message(partner_id, company_id, expiry):
    return f"{int(partner_id)}:{int(company_id)}:{expiry.strftime('%Y%m%d')}"


def make_token(sign, partner_id, company_id, expiry):
    """The token of a link: ``<partner>-<company>-<YYYYMMDD>-<signature>``."""
    return (
        f"{int(partner_id)}-{int(company_id)}-{expiry.strftime('%Y%m%d')}-"
        f"{sign(message(partner_id, company_id, expiry))}"
    )


def parse_token(token):
    """``(partner_id, company_id, expiry)`` as written in the token, or None when it
    is not even shaped like one. Nothing here is trusted: see ``read_token``."""
    if not isinstance(token, str):
        return None
    found = TOKEN_RE.fullmatch(token)
    if not found:
        return None
    partner, company, day, _signature = found.groups()
    if int(partner) > MAX_ID or int(company) > MAX_ID:
        return None
    try:
        expiry = date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        return None
    return int(partner), int(company), expiry


def read_token(sign, token, today):
    """``(status, partner_id, company_id, expiry)``: VALID, EXPIRED or TAMPERED; the
    ids and the day are None when tampered. A link opens the page until its expiry
    day included."""
    parsed = parse_token(token)
    if not parsed:
        return TAMPERED, None, None, None
    partner_id, company_id, expiry = parsed
    expected = make_token(sign, partner_id, company_id, expiry)
    # Constant time: how much of a forged signature matches must not show.
    if not _hmac.compare_digest(expected.encode(), token.encode()):
        return TAMPERED, None, None, None
    if expiry < today:
        return EXPIRED, partner_id, company_id, expiry
    return VALID, partner_id, company_id, expiry
