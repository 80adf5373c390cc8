# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What to generate: one planned invoice per entry, the same for both modes.

An entry says who is invoiced, when, for what, on which payment terms, and what
happened to it since: left open, paid (at once or instalment by instalment),
partly paid (an amount, or the first instalments), fully reversed by a credit
note, or partly credited. All draws come from the run's seeded random source.
"""

import datetime

from odoo.tools import date_utils

from . import terms

OPEN_SCENARIOS = ("open", "partial", "partial_cn")
CLOSED_SCENARIOS = ("paid", "reversed")
# Instalments are agreed per invoice, mostly on the larger ones (furniture made
# to measure, shop fittings): about 12 % of the invoices.
INSTALMENT_LARGE_UNTAXED = 1500.0
INSTALMENT_SHARE_LARGE = 0.25
INSTALMENT_SHARE_SMALL = 0.05
# Paying instalments: each one around its due date, or all at the first.
PAID_BY_INSTALMENT = 0.6


def round05(x):
    return round(round(x / 0.05) * 0.05, 2)


def make_plan(gen, customers):
    """The planned invoices: every customer at least once, the rest drawn with
    Pareto weights (a few customers have many invoices)."""
    rnd = gen.rnd
    count = gen.settings.invoices
    weights = [rnd.paretovariate(1.3) for _c in customers]
    assigned = list(range(len(customers)))[:count]
    if count > len(assigned):
        assigned += rnd.choices(range(len(customers)), weights, k=count - len(assigned))
    rnd.shuffle(assigned)
    plan = [
        plan_invoice(gen, customers[c], 1 if gen.fast else rnd.choice([1, 1, 2, 3]))
        for c in assigned
    ]
    share = sum(1 for e in plan if e["instalments"] > 1) / max(len(plan), 1)
    gen.log("planned %d invoices (%.1f %% in instalments)" % (len(plan), 100 * share))
    return plan


def plan_invoice(gen, cust, n_lines):
    rnd, today = gen.rnd, gen.today
    if rnd.random() < gen.settings.open_ratio:
        scen = rnd.choices(OPEN_SCENARIOS, [0.80, 0.12, 0.08])[0]
    else:
        scen = rnd.choices(CLOSED_SCENARIOS, [0.92, 0.08])[0]
    usd = (cust["usd"] and rnd.random() < 0.7) or rnd.random() < 0.02
    currency = "USD" if usd else "EUR"
    lines = _plan_lines(gen, n_lines, currency)
    untaxed = round(sum(q * p for _prod, q, p in lines), 2)
    total = round(untaxed * 1.2, 2)
    term = _plan_term(rnd, cust, untaxed)
    inv_date = _plan_date(gen, scen, term)
    dues = terms.due_dates(term, inv_date)
    entry = {
        "scen": scen,
        "currency": currency,
        "term": term,
        "instalments": len(dues),
        "partner": cust["invoice_address"],
        "commercial": cust["commercial"],
        "user": cust["user"] or rnd.choice(gen.salespeople.ids),
        "inv_date": inv_date,
        "dues": dues,
        "due": max(dues),
        "lines": lines,
        "untaxed": untaxed,
        "total": total,
        # each payment: {"date", "part": rest | next | amount, "amount"}
        "payments": _plan_payments(rnd, scen, inv_date, dues, total, today),
        "refund_date": None,
        "refund_price": None,
        "refund_term": None,  # None: no terms, due on its date (Odoo's reversal)
    }
    if scen in ("reversed", "partial_cn"):
        refund_date = min(inv_date + datetime.timedelta(days=rnd.randint(1, 30)), today)
        if currency == "USD":
            # keep foreign-currency credit notes at the invoice's (monthly) rate
            refund_date = min(refund_date, date_utils.end_of(inv_date, "month"))
        entry["refund_date"] = refund_date
    if scen == "partial_cn":
        entry["refund_price"] = max(round05(untaxed * rnd.uniform(0.1, 0.5)), 0.05)
        # a credit note made by hand takes the customer's terms, as in Odoo
        entry["refund_term"] = cust["term"]
    return entry


def _plan_lines(gen, n_lines, currency):
    """(product id, quantity, unit price) of each invoice line."""
    rnd = gen.rnd
    lines = []
    for _i in range(n_lines):
        prod = rnd.choice(gen.products.ids)
        if gen.prices[prod] < 500:
            qty = rnd.choice([1, 1, 1, 2, 2, 3, 4, 5, 10])
        else:
            qty = rnd.choice([1, 1, 2])
        factor = rnd.uniform(0.8, 1.25) * (1.1 if currency == "USD" else 1.0)
        lines.append((prod, qty, round05(gen.prices[prod] * factor)))
    return lines


def _plan_term(rnd, cust, untaxed):
    """The customer's terms mostly; instalments for some invoices, large ones first."""
    if rnd.random() < 0.9:
        term = cust["term"]
    else:
        term = rnd.choice(terms.SINGLE_TERMS)
    large = untaxed >= INSTALMENT_LARGE_UNTAXED
    share = INSTALMENT_SHARE_LARGE if large else INSTALMENT_SHARE_SMALL
    if rnd.random() < share:
        term = rnd.choices(terms.INSTALMENT_TERMS, [0.65, 0.35])[0]
    return term


def _plan_date(gen, scen, term):
    """The invoice date: open invoices are due (their last instalment) from 45 days
    ahead to 300 days ago; closed ones are spread over the last 14 months."""
    rnd, today = gen.rnd, gen.today
    oldest = today - datetime.timedelta(days=425)
    if scen not in OPEN_SCENARIOS:
        return oldest + datetime.timedelta(days=rnd.randint(0, 420))
    r = rnd.random()
    if r < 0.15:
        overdue = -rnd.randint(0, 45)  # not yet due
    elif r < 0.55:
        overdue = rnd.randint(1, 30)
    elif r < 0.78:
        overdue = rnd.randint(31, 90)
    elif r < 0.92:
        overdue = rnd.randint(91, 180)
    else:
        overdue = rnd.randint(181, 300)
    target_due = today - datetime.timedelta(days=overdue)
    inv_date = target_due - datetime.timedelta(days=terms.last_delay(term))
    inv_date = min(max(inv_date, oldest), today)
    while terms.due_date_for(term, inv_date) < today - datetime.timedelta(days=300):
        inv_date += datetime.timedelta(days=1)
    not_due_yet = overdue <= 0 and term != "immediate"
    if not_due_yet and terms.due_date_for(term, inv_date) < today:
        inv_date = today - datetime.timedelta(days=rnd.randint(0, 10))
    return inv_date


def _plan_payments(rnd, scen, inv_date, dues, total, today):
    """The customer's payments, in date order (none for credit-note scenarios)."""

    def on(date):
        return min(max(date, inv_date), today)

    instalments = len(dues) > 1
    if scen == "paid" and not instalments:
        days = rnd.randint(-20, 40)
        return [{"date": on(dues[0] + datetime.timedelta(days=days)), "part": "rest"}]
    if scen == "paid" and rnd.random() >= PAID_BY_INSTALMENT:
        days = rnd.randint(-5, 30)  # all at once, around the first due date
        return [{"date": on(dues[0] + datetime.timedelta(days=days)), "part": "rest"}]
    if scen == "paid":
        return _instalment_payments(rnd, dues, len(dues), on)
    if scen == "partial" and not instalments:
        days = rnd.randint(0, 60)
        amount = round(total * rnd.uniform(0.2, 0.8), 2)
        date = on(inv_date + datetime.timedelta(days=days))
        return [{"date": date, "part": "amount", "amount": amount}]
    if scen == "partial":  # the first instalment, sometimes the first two of three
        paid = 2 if len(dues) > 2 and rnd.random() < 0.35 else 1
        return _instalment_payments(rnd, dues, paid, on)
    return []


def _instalment_payments(rnd, dues, count, on):
    """One payment per instalment, each around its due date (never before the
    previous payment)."""
    payments = []
    last = None
    for due in dues[:count]:
        date = on(due + datetime.timedelta(days=rnd.randint(-10, 25)))
        date = max(date, last) if last else date
        payments.append({"date": date, "part": "next"})
        last = date
    return payments
