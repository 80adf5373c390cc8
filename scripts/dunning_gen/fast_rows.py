# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The values of the fast SQL copy, computed in Python and loaded with COPY into
temporary tables: gen_rows (one row per invoice, with its credit note), gen_recs
(its receivable lines, one per instalment), gen_pays (its payments), gen_partials
and gen_fulls (how they are matched)."""

import io

from odoo.tools import SQL

from . import terms
from .fast_ids import IdBlock
from .matching import FIXED, cents, match_invoice

ROWS_COLUMNS = (
    ("k", "int"),
    ("combo", "varchar"),
    *((c, "int") for c in ("partner", "commercial")),
    *((c, "varchar") for c in ("pdisp", "cdisp")),
    *((c, "int") for c in ("user_id", "team_id", "term_id", "ref_term_id", "cur_id")),
    ("rate", "numeric"),
    ("product_id", "int"),
    ("prod_name", "varchar"),
    *((c, "numeric") for c in ("qty", "price")),
    *((c, "date") for c in ("inv_date", "due")),
    *((c, "varchar") for c in ("inv_name", "inv_prefix")),
    ("inv_seq", "int"),
    *((c, "numeric") for c in ("s_cur", "t_cur", "tot_cur", "s_bal", "t_bal")),
    *((c, "numeric") for c in ("tot_bal", "res_cur", "res_bal")),
    ("pay1_name", "varchar"),
    *((c, "date") for c in ("ref_date", "ref_due")),
    *((c, "numeric") for c in ("ref_qty", "ref_price")),
    ("ref_line_name", "varchar"),
    *((c, "numeric") for c in ("sr_cur", "tr_cur", "totr_cur", "sr_bal", "tr_bal")),
    ("totr_bal", "numeric"),
    *((c, "varchar") for c in ("ref_name", "ref_prefix")),
    ("ref_seq", "int"),
    ("ref_matching", "varchar"),
    *((c, "int") for c in ("ref_full", "inv_move", "ref_move")),
    *((c, "int") for c in ("l_inv_product", "l_inv_tax")),
    *((c, "int") for c in ("l_ref_product", "l_ref_tax", "l_ref_rec")),
)
RECS_COLUMNS = (
    *((c, "int") for c in ("k", "idx", "line_id")),
    *((c, "numeric") for c in ("bal", "cur", "res_bal", "res_cur")),
    ("due", "date"),
    ("reconciled", "bool"),
    ("matching", "varchar"),
    ("full_id", "int"),
)
PAYS_COLUMNS = (
    *((c, "int") for c in ("k", "idx", "pay_id", "pay_move")),
    *((c, "varchar") for c in ("name", "prefix")),
    ("seq", "int"),
    ("date", "date"),
    *((c, "numeric") for c in ("p_cur", "p_bal")),
    *((c, "int") for c in ("l_liq", "l_rec")),
    ("matching", "varchar"),
    ("full_id", "int"),
)
PARTIALS_COLUMNS = (
    *((c, "int") for c in ("k", "id", "debit_line", "credit_line")),
    *((c, "numeric") for c in ("amount", "amount_cur")),
    ("max_date", "date"),
    ("full_id", "int"),
)
FULLS_COLUMNS = (("k", "int"), ("id", "int"))


def combo(e):
    """Entries copied from the same template: scenario, currency, instalments
    and number of payments."""
    return "%s|%s|%d|%d" % (
        e["scen"],
        e["currency"],
        e["instalments"],
        len(e["payments"]),
    )


def entry_values(gen, e):
    """Amounts of an invoice (one line, 20 % tax), its instalments, payments and
    credit note, and how they match (matching.match_invoice, in cents)."""
    cur = gen.currencies[e["currency"]]
    rate = gen.usd_rate(e["inv_date"]) if e["currency"] == "USD" else 1.0
    eur_round = gen.company_round
    prod, qty, price = e["lines"][0]
    s_cur = cur.round(qty * price)
    t_cur = cur.round(s_cur * 0.2)
    s_bal, t_bal = eur_round(s_cur / rate), eur_round(t_cur / rate)
    # untaxed, tax and total in the invoice's currency, then in the company's
    doc = (
        s_cur,
        t_cur,
        cur.round(s_cur + t_cur),
        s_bal,
        t_bal,
        eur_round(s_bal + t_bal),
    )
    debits = list(
        zip(
            map(cents, terms.split(e["term"], s_bal, t_bal, eur_round)),
            map(cents, terms.split(e["term"], s_cur, t_cur, cur.round)),
            strict=True,
        )
    )
    credits = []
    for payment in e["payments"]:
        if payment["part"] == "amount":
            amount = payment["amount"]
            credits.append((FIXED, (cents(eur_round(amount / rate)), cents(amount))))
        else:
            credits.append((payment["part"], None))
    refund = None  # quantity, unit price, label, then amounts as doc
    if e["scen"] == "reversed":
        refund = (qty, price, gen.product_names[prod], *doc)
    elif e["scen"] == "partial_cn":
        sr_cur = cur.round(e["refund_price"])
        tr_cur = cur.round(sr_cur * 0.2)
        sr_bal, tr_bal = eur_round(sr_cur / rate), eur_round(tr_cur / rate)
        refund = (1, e["refund_price"], "Remise commerciale", sr_cur, tr_cur)
        refund += (
            cur.round(sr_cur + tr_cur),
            sr_bal,
            tr_bal,
            eur_round(sr_bal + tr_bal),
        )
    if refund:  # matched with what is left once the payments are
        credits.append((FIXED, (cents(refund[8]), cents(refund[5]))))
    return {
        "rate": rate,
        "doc": doc,
        "debits": debits,
        "refund": refund,
        "match": match_invoice(debits, credits),
    }


def money(amount_cents):
    return "%.2f" % (amount_cents / 100.0)


class CopyTable:
    """A temporary table filled by COPY, in chunks."""

    def __init__(self, cr, table, columns, chunk=20000):
        self.cr, self.table, self.chunk = cr, table, chunk
        self.width = len(columns)
        self.count = 0
        self.buf = io.StringIO()
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
        cr.execute(
            SQL(
                "CREATE TEMP TABLE %s (%s)",
                SQL.identifier(table),
                SQL(", ").join(
                    SQL("%s %s", SQL.identifier(name), SQL(sqltype))
                    for name, sqltype in columns
                ),
            )
        )

    def add(self, values):
        if len(values) != self.width:
            raise ValueError(
                "%s: %d values for %d columns" % (self.table, len(values), self.width)
            )
        self.buf.write("\t".join(map(_copy_text, values)))
        self.buf.write("\n")
        self.count += 1
        if self.count % self.chunk == 0:
            self._flush()

    def _flush(self):
        self.buf.seek(0)
        # COPY takes no parameters; the table name is one of ours
        self.cr._obj.copy_expert("COPY %s FROM STDIN" % self.table, self.buf)
        self.buf = io.StringIO()

    def close(self):
        self._flush()
        self.cr.execute(SQL("CREATE INDEX ON %s (k)", SQL.identifier(self.table)))
        self.cr.execute(SQL("ANALYZE %s", SQL.identifier(self.table)))
        return self.count


def _copy_text(value):
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def write_rows(gen, entries, partner_names):
    """Compute every entry's values and load the five temporary tables.

    Entries must have their documents assigned (fast_ids.assign_documents).
    Partial and full reconcile ids are taken here, in invoice date order.
    Returns {table: rows} and the number of rounding edges (expected 0).
    """
    cr = gen.cr
    n_partials = sum(e["instalments"] * _credit_count(e) for e in entries)
    n_fulls = sum(_credit_count(e) for e in entries)
    ids = {
        "partial": IdBlock(cr, "account_partial_reconcile_id_seq", n_partials),
        "full": IdBlock(cr, "account_full_reconcile_id_seq", n_fulls),
    }
    tables = {
        "gen_rows": CopyTable(cr, "gen_rows", ROWS_COLUMNS),
        "gen_recs": CopyTable(cr, "gen_recs", RECS_COLUMNS),
        "gen_pays": CopyTable(cr, "gen_pays", PAYS_COLUMNS),
        "gen_partials": CopyTable(cr, "gen_partials", PARTIALS_COLUMNS),
        "gen_fulls": CopyTable(cr, "gen_fulls", FULLS_COLUMNS),
    }
    edges = 0
    order = sorted(range(len(entries)), key=lambda k: entries[k]["inv_date"])
    for done, k in enumerate(order):
        e = entries[k]
        values = entry_values(gen, e)
        edges += values["match"]["edges"]
        _write_entry(gen, k, e, values, ids, tables, partner_names)
        if done % 5000 == 4999:
            gen.progress.step(done, len(order), "fast copy: rows")
    for block in ids.values():
        block.release()
    return {name: table.close() for name, table in tables.items()}, edges


def _credit_count(e):
    return len(e["payments"]) + (1 if e["refund_date"] else 0)


def _write_entry(gen, k, e, values, ids, tables, partner_names):
    match = values["match"]
    debit_lines = e["l_inv"][2:]
    credit_lines = [p["l_rec"] for p in e["payments"]]
    credit_dates = [p["date"] for p in e["payments"]]
    if e["refund_date"]:
        credit_lines.append(e["l_ref"][2])
        credit_dates.append(e["refund_date"])
    partial_ids = [next(ids["partial"]) for _p in match["partials"]]
    groups = []  # (matching number, full id) of each group
    for full, first in zip(
        match["group_full"], match["group_first_partial"], strict=True
    ):
        full_id = next(ids["full"]) if full else None
        groups.append((str(full_id) if full else "P%d" % partial_ids[first], full_id))
        if full:
            tables["gen_fulls"].add((k, full_id))

    def matched(group):
        return groups[group] if group is not None else (None, None)

    for index, (i, j, bal, cur) in enumerate(match["partials"]):
        max_date = max(e["inv_date"], credit_dates[j])
        full_id = matched(match["debit_group"][i])[1]
        row = (k, partial_ids[index], debit_lines[i], credit_lines[j])
        tables["gen_partials"].add(row + (money(bal), money(cur), max_date, full_id))
    for i, ((bal, cur), (res_bal, res_cur)) in enumerate(
        zip(values["debits"], match["debit_residuals"], strict=True)
    ):
        row = (k, i, debit_lines[i], money(bal), money(cur), money(res_bal))
        row += (money(res_cur), e["dues"][i], not (res_bal or res_cur))
        tables["gen_recs"].add(row + matched(match["debit_group"][i]))
    for j, p in enumerate(e["payments"]):
        bal, cur = match["credit_amounts"][j]
        row = (k, j, p["id"], p["move"], p["name"], p["prefix"], p["seq"], p["date"])
        row += (money(cur), money(bal), p["l_liq"], p["l_rec"])
        tables["gen_pays"].add(row + matched(match["credit_group"][j]))
    tables["gen_rows"].add(_entry_row(gen, k, e, values, matched, partner_names))


def _entry_row(gen, k, e, values, matched, partner_names):
    """The gen_rows row of an entry, in ROWS_COLUMNS order."""
    s_cur, t_cur, tot_cur, s_bal, t_bal, tot_bal = values["doc"]
    res_bal = sum(res[0] for res in values["match"]["debit_residuals"])
    res_cur = sum(res[1] for res in values["match"]["debit_residuals"])
    prod, qty, price = e["lines"][0]
    refund = values["refund"] or (None,) * 9
    ref_due = ref_matching = ref_full = None
    if e["refund_date"]:
        if e["refund_term"]:
            ref_due = terms.due_date_for(e["refund_term"], e["refund_date"])
        else:
            ref_due = e["refund_date"]
        group = values["match"]["credit_group"][len(e["payments"])]
        ref_matching, ref_full = matched(group)
    l_ref = e.get("l_ref") or (None, None, None)
    return (
        k,
        combo(e),
        e["partner"],
        e["commercial"],
        partner_names.get(e["partner"]),
        partner_names.get(e["commercial"]),
        e["user"],
        gen.team_by_user.get(e["user"]) or None,
        gen.terms[e["term"]].id,
        gen.terms[e["refund_term"]].id if e["refund_term"] else None,
        gen.currencies[e["currency"]].id,
        values["rate"],
        prod,
        gen.product_names[prod],
        qty,
        price,
        e["inv_date"],
        e["due"],
        e["inv_name"],
        e["inv_prefix"],
        e["inv_seq"],
        s_cur,
        t_cur,
        tot_cur,
        s_bal,
        t_bal,
        tot_bal,
        money(res_cur),
        money(res_bal),
        e["payments"][0]["name"] if e["payments"] else None,
        e["refund_date"],
        ref_due,
        *refund,
        e.get("ref_name"),
        e.get("ref_prefix"),
        e.get("ref_seq"),
        ref_matching,
        ref_full,
        e["inv_move"],
        e.get("ref_move"),
        e["l_inv"][0],
        e["l_inv"][1],
        *l_ref,
    )
