# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The payment terms of the generated invoices, as plain data and plain rules.

The plan and the fast SQL copy compute due dates and instalment amounts here;
company.setup_terms() checks once per run that Odoo's own computation on the
account.payment.term records gives the same dates and amounts.
"""

import datetime

from odoo.tools import date_utils

# key -> lines (percent, Odoo delay_type, nb_days); the last line takes the balance
TERM_LINES = {
    "immediate": ((100.0, "days_after", 0),),
    "30": ((100.0, "days_after", 30),),
    "45eom": ((100.0, "days_end_of_month_on_the", 45),),
    "30now70at60": ((30.0, "days_after", 0), (70.0, "days_after", 60)),
    "3x30-60-90": (
        (33.33, "days_after", 30),
        (33.33, "days_after", 60),
        (33.34, "days_after", 90),
    ),
}
SINGLE_TERMS = ("30", "45eom", "immediate")  # the customers' own terms
INSTALMENT_TERMS = ("30now70at60", "3x30-60-90")  # chosen per invoice


def line_due(delay_type, nb_days, date):
    """account.payment.term.line._get_due_date for the delays used here."""
    if delay_type == "days_after":
        return date + datetime.timedelta(days=nb_days)
    if delay_type == "days_end_of_month_on_the":  # days_next_month "0"
        return date_utils.end_of(date + datetime.timedelta(days=nb_days), "month")
    raise ValueError("unsupported delay type %s" % delay_type)


def due_dates(term, date):
    """The due date of each instalment of an invoice dated ``date``."""
    return [line_due(delay, days, date) for _pct, delay, days in TERM_LINES[term]]


def due_date_for(term, date):
    """The invoice's due date: its last instalment's (Odoo's invoice_date_due)."""
    return max(due_dates(term, date))


def instalment_count(term):
    return len(TERM_LINES[term])


def last_delay(term):
    """Days from the invoice date to the last due date, roughly (for the plan)."""
    return {"45eom": 60}.get(term, TERM_LINES[term][-1][2])


def split(term, untaxed, tax, round_amount):
    """account.payment.term._compute_terms for percent lines, in one currency.

    Each line but the last gets its rounded share of the total; the last gets
    what is left, as Odoo does (company and invoice currency separately).
    """
    total = tax + untaxed
    rest = total
    amounts = []
    lines = TERM_LINES[term]
    for index, (percent, _delay, _days) in enumerate(lines):
        if index == len(lines) - 1:
            amount = rest
        else:
            amount = round_amount(total * (percent / 100.0))
        rest -= amount
        amounts.append(round_amount(amount))
    return amounts
