# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Ids and names of the documents the fast mode inserts: reserved from Odoo's
sequences, and given in date order as Odoo would (invoices by invoice date,
payments by payment date, credit notes by their date)."""

from odoo.tools import SQL

INV_LINES = 2  # product and tax lines, before the receivable lines
REF_LINES = 3  # product, tax and receivable line of a credit note


class IdBlock:
    """A block of ids taken from a PostgreSQL sequence at once."""

    def __init__(self, cr, sequence, count):
        self.cr, self.sequence = cr, sequence
        cr.execute(SQL("SELECT nextval(%s)", sequence))
        self.first = self.next_id = cr.fetchone()[0]
        self.last = self.first + max(count, 1) - 1
        if self.last > self.first:
            cr.execute(SQL("SELECT setval(%s, %s)", sequence, self.last))

    def __next__(self):
        if self.next_id > self.last:
            raise RuntimeError("%s: more ids used than reserved" % self.sequence)
        self.next_id += 1
        return self.next_id - 1

    def release(self):
        """Give the unused tail back (when nothing else took ids meanwhile)."""
        used_last = self.next_id - 1
        if used_last < self.last:
            self.cr.execute(
                SQL(
                    "SELECT setval(%s, %s, %s) FROM pg_sequences"
                    " WHERE schemaname = current_schema() AND sequencename = %s"
                    " AND last_value = %s",
                    self.sequence,
                    max(used_last, 1),
                    used_last >= 1,
                    self.sequence,
                    self.last,
                )
            )


def sequence_namer(cr, journal_id, template_name, template_prefix, year):
    """f(date) -> (name, prefix, number) in the template's numbering format."""
    digits = len(template_name) - len(template_prefix)
    if str(year) not in template_prefix:
        raise SystemExit(
            "generate_data: unsupported sequence format %s" % template_prefix
        )
    counters = {}

    def namer(date):
        prefix = template_prefix.replace(str(year), str(date.year))
        if prefix not in counters:
            cr.execute(
                SQL(
                    "SELECT COALESCE(MAX(sequence_number), 0) FROM account_move"
                    " WHERE journal_id = %s AND sequence_prefix = %s",
                    journal_id,
                    prefix,
                )
            )
            counters[prefix] = cr.fetchone()[0]
        counters[prefix] += 1
        number = counters[prefix]
        return "%s%0*d" % (prefix, digits, number), prefix, number

    return namer


def assign_documents(gen, entries, docs):
    """Names and ids of each invoice, payment and credit note, and of their lines.

    :param docs: {"inv" | "pay" | "ref": (journal id, name, sequence prefix)} of
        the templates (no "pay" / "ref" when nothing is paid / credited)
    Sets on each entry inv_move, inv_name, inv_prefix, inv_seq, l_inv (product,
    tax, then one receivable line per instalment), the same for the credit note
    (ref_*, l_ref) and, on each of its payments, move, id, name, prefix, seq,
    l_liq, l_rec.
    """
    cr, year = gen.cr, gen.today.year
    payments = [p for e in entries for p in e["payments"]]
    refunds = [e for e in entries if e["refund_date"]]
    n_lines = sum(INV_LINES + e["instalments"] for e in entries)
    move_ids = IdBlock(
        cr, "account_move_id_seq", len(entries) + len(payments) + len(refunds)
    )
    line_ids = IdBlock(
        cr,
        "account_move_line_id_seq",
        n_lines + 2 * len(payments) + REF_LINES * len(refunds),
    )
    pay_ids = IdBlock(cr, "account_payment_id_seq", len(payments))
    inv_namer = sequence_namer(cr, *docs["inv"], year)
    for e in sorted(entries, key=lambda e: e["inv_date"]):
        e["inv_name"], e["inv_prefix"], e["inv_seq"] = inv_namer(e["inv_date"])
        e["inv_move"] = next(move_ids)
        e["l_inv"] = [next(line_ids) for _i in range(INV_LINES + e["instalments"])]
    if payments:
        pay_namer = sequence_namer(cr, *docs["pay"], year)
    for p in sorted(payments, key=lambda p: p["date"]):
        p["name"], p["prefix"], p["seq"] = pay_namer(p["date"])
        p["move"], p["id"] = next(move_ids), next(pay_ids)
        p["l_liq"], p["l_rec"] = next(line_ids), next(line_ids)
    if refunds:
        ref_namer = sequence_namer(cr, *docs["ref"], year)
    for e in sorted(refunds, key=lambda e: e["refund_date"]):
        e["ref_name"], e["ref_prefix"], e["ref_seq"] = ref_namer(e["refund_date"])
        e["ref_move"] = next(move_ids)
        e["l_ref"] = [next(line_ids) for _i in range(REF_LINES)]
