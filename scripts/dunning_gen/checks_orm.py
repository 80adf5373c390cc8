# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ORM's own view of a random sample of invoices: stored fields recomputed
and compared, payment terms and tax totals recomputed, customers' balances.

The caller rolls back afterwards (the recomputation writes).
"""

import random

MOVE_FIELDS = [
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "amount_untaxed_signed",
    "amount_tax_signed",
    "amount_total_signed",
    "amount_residual_signed",
    "amount_total_in_currency_signed",
    "payment_state",
    "commercial_partner_id",
    "invoice_partner_display_name",
    "invoice_currency_rate",
    "invoice_date_due",
]
LINE_FIELDS = [
    "debit",
    "credit",
    "amount_residual",
    "amount_residual_currency",
    "reconciled",
    "price_subtotal",
    "price_total",
    "partner_id",
    "matching_number",
]
PAY_FIELDS = ["is_reconciled", "is_matched", "amount_company_currency_signed"]
INSTALMENT_SAMPLE = 100  # invoices in instalments added to the sample


def sample_invoices(gen, size):
    """A random sample of the posted invoices, plus some in instalments."""
    cr = gen.cr
    cr.execute(
        "SELECT id FROM account_move"
        " WHERE move_type = 'out_invoice' AND state = 'posted'"
    )
    ids = [row[0] for row in cr.fetchall()]
    chk = random.Random(gen.settings.seed + 1)
    sample = set(chk.sample(ids, min(size, len(ids))))
    cr.execute(
        "SELECT l.move_id FROM account_move_line l"
        " JOIN account_move m ON m.id = l.move_id"
        " WHERE m.move_type = 'out_invoice' AND m.state = 'posted'"
        " AND l.display_type = 'payment_term' GROUP BY 1 HAVING COUNT(*) > 1"
    )
    split = sorted(row[0] for row in cr.fetchall())
    sample.update(chk.sample(split, min(INSTALMENT_SAMPLE, len(split))))
    return gen.env["account.move"].browse(sorted(sample))


def orm_checks(gen, size):
    """Returns (moves, lines, partners checked, [mismatch descriptions])."""
    invoices = sample_invoices(gen, size)
    moves = invoices | invoices.reversal_move_ids | invoices.matched_payment_ids.move_id
    lines, payments = moves.line_ids, invoices.matched_payment_ids
    groups = ((moves, MOVE_FIELDS), (lines, LINE_FIELDS), (payments, PAY_FIELDS))
    before = [_snapshot(records, fnames) for records, fnames in groups]
    errors = []
    for inv in invoices | invoices.reversal_move_ids:
        errors += _check_tax_totals(inv) + _check_terms(inv) + _check_rates(gen, inv)
    for records, fnames in groups:
        for fname in fnames:
            field = records._fields[fname]
            if field.compute and field.store:
                gen.env.add_to_compute(field, records)
    after = [_snapshot(records, fnames) for records, fnames in groups]
    for b, a, label in zip(before, after, ("move", "line", "payment"), strict=True):
        for key, value in b.items():
            other = a[key]
            if isinstance(value, float) and isinstance(other, float):
                same = abs(value - other) < 0.005
            else:
                same = value == other
            if not same:
                errors.append(
                    "%s %s.%s stored=%r recomputed=%r"
                    % (label, key[0], key[1], value, other)
                )
    partners = invoices.commercial_partner_id[:50]
    errors += _check_partner_balances(gen, partners)
    return len(moves), len(lines), len(partners), errors


def _snapshot(records, fnames):
    return {(r.id, f): r[f] for r in records for f in fnames}


def _check_tax_totals(inv):
    totals = inv.tax_totals or {}
    tax = totals.get("tax_amount_currency", 0.0)
    base = totals.get("base_amount_currency", 0.0)
    currency = inv.currency_id
    if currency.compare_amounts(tax, inv.amount_tax) or currency.compare_amounts(
        base, inv.amount_untaxed
    ):
        return [
            "%s: tax_totals %s/%s vs stored %s/%s"
            % (inv.name, base, tax, inv.amount_untaxed, inv.amount_tax)
        ]
    return []


def _check_terms(inv):
    """The receivable lines are the instalments the payment terms give today:
    same due dates, same amounts in both currencies."""
    needed = {}
    for key, values in (inv.needed_terms or {}).items():
        due = needed.setdefault(key["date_maturity"], [0.0, 0.0])
        due[0] += values["balance"]
        due[1] += values["amount_currency"]
    stored = {}
    for line in inv.line_ids.filtered(lambda aml: aml.display_type == "payment_term"):
        due = stored.setdefault(line.date_maturity, [0.0, 0.0])
        due[0] += line.balance
        due[1] += line.amount_currency
    company_currency = inv.company_id.currency_id
    same = sorted(needed) == sorted(stored) and all(
        not company_currency.compare_amounts(needed[d][0], stored[d][0])
        and not inv.currency_id.compare_amounts(needed[d][1], stored[d][1])
        for d in needed
    )
    if needed and not same:
        return ["%s: instalments %s vs payment terms %s" % (inv.name, stored, needed)]
    return []


def _check_rates(gen, inv):
    """Each line's balance is its amount at the invoice's rate (taxes of invoices
    with several lines are rounded globally: product lines only)."""
    errors = []
    single = len(inv.invoice_line_ids) == 1
    eur = gen.company.currency_id
    for line in inv.line_ids:
        if line.display_type == "payment_term":
            continue
        if line.display_type != "product" and not single:
            continue
        expected = eur.round(line.amount_currency / (inv.invoice_currency_rate or 1.0))
        if eur.compare_amounts(expected, line.balance):
            errors.append(
                "%s: line %s balance %s vs amount_currency/rate %s"
                % (inv.name, line.id, line.balance, expected)
            )
    return errors


def _check_partner_balances(gen, partners):
    """A customer's receivable (credit) is the residual of its open documents."""
    errors = []
    eur = gen.company.currency_id
    for partner in partners:
        docs = gen.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        expected = sum(docs.mapped("amount_residual_signed"))
        if eur.compare_amounts(expected, partner.credit):
            errors.append(
                "partner %s credit %s vs open documents %s"
                % (partner.id, partner.credit, expected)
            )
    return errors
