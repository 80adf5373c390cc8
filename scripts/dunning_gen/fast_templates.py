# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Template invoices of the fast mode: one per combination of scenario, currency,
instalments and payments (fast_rows.combo), made through the ORM inside a
savepoint, compared with the copy's model, captured row by row into temporary
tables (gen_tmpl_<table>), then rolled back."""

from psycopg2.extras import Json, execute_values

from odoo.tools import SQL

from . import terms
from .fast_rows import combo, entry_values
from .matching import cents
from .orm_mode import orm_create

TABLES = (
    "account_move",
    "account_move_line",
    "account_payment",
    "account_partial_reconcile",
    "account_full_reconcile",
)
INV_ROLES = {"product": "inv_product", "tax": "inv_tax"}
REF_ROLES = {"product": "ref_product", "tax": "ref_tax", "payment_term": "ref_rec"}
AML = "account_move_line"


def build_templates(gen, entries):
    """Make, check and capture the templates; returns the numbering of their
    documents {"inv" | "pay" | "ref": (journal id, name, sequence prefix)}."""
    cr = gen.cr
    representatives = {}
    for e in entries:
        representatives.setdefault(combo(e), e)
    templates = [_template_entry(gen, c, e) for c, e in sorted(representatives.items())]
    cr.execute("SAVEPOINT dunning_gen_templates")
    orm_create(gen, templates, progress=False)
    gen.env.flush_all()
    roles, errors = [], []
    for t in templates:
        roles += _roles(t)
        errors += check_template(gen, t)
    captured = {table: _capture(cr, table, roles) for table in TABLES}
    rels = _capture_rels(cr, roles)
    names, docs = _names(templates)
    states = ["%s:%s" % (t["combo"], t["move"].payment_state) for t in templates]
    cr.execute("ROLLBACK TO SAVEPOINT dunning_gen_templates")
    gen.env.invalidate_all(flush=False)
    gen.log("templates: %s" % ", ".join(states))
    if errors:
        for error in errors[:20]:
            gen.log("  TEMPLATE MISMATCH %s" % error)
        raise SystemExit(
            "generate_data: the fast copy would differ from the ORM on %d points"
            % len(errors)
        )
    _load(cr, captured, rels, names)
    return docs


def _template_entry(gen, key, e):
    """The entry as of today: invoice, payments and credit note dated today."""
    today = gen.today
    t = dict(e, combo=key, inv_date=today, dues=terms.due_dates(e["term"], today))
    t["due"] = max(t["dues"])
    t["payments"] = [dict(p, date=today) for p in e["payments"]]
    if t["refund_date"]:
        t["refund_date"] = today
    return t


def _receivables(move):
    return move.line_ids.filtered(
        lambda aml: aml.display_type == "payment_term"
    ).sorted(lambda aml: (aml.date_maturity, aml.id))


def _roles(t):
    """(combo, role, index, table, id) of every row a copy is made from."""
    key, inv = t["combo"], t["move"]
    recs = _receivables(inv)
    roles = [(key, "inv", 0, "account_move", inv.id)]
    for line in inv.line_ids - recs:
        if line.display_type not in INV_ROLES:
            raise SystemExit("generate_data: unexpected %s line" % line.display_type)
        roles.append((key, INV_ROLES[line.display_type], 0, AML, line.id))
    roles += [(key, "inv_rec", i, AML, line.id) for i, line in enumerate(recs)]
    for j, payment in enumerate(t.get("payment_records", [])):
        roles.append((key, "pay", j, "account_move", payment.move_id.id))
        roles.append((key, "payment", j, "account_payment", payment.id))
        if len(payment.move_id.line_ids) != 2:
            raise SystemExit("generate_data: a template payment has a write-off")
        for line in payment.move_id.line_ids:
            liquidity = line.account_id == payment.outstanding_account_id
            roles.append((key, "pay_liq" if liquidity else "pay_rec", j, AML, line.id))
    if t.get("refund"):
        roles.append((key, "ref", 0, "account_move", t["refund"].id))
        for line in t["refund"].line_ids:
            roles.append((key, REF_ROLES[line.display_type], 0, AML, line.id))
    partials = (recs.matched_debit_ids | recs.matched_credit_ids).sorted("id")
    roles += [
        (key, "partial", j, "account_partial_reconcile", partial.id)
        for j, partial in enumerate(partials)
    ]
    roles += [
        (key, "full", j, "account_full_reconcile", full.id)
        for j, full in enumerate(partials.full_reconcile_id.sorted("id"))
    ]
    return roles


def check_template(gen, t):
    """What the SQL copy would write for this entry (fast_rows.entry_values) is
    what the ORM made: amounts, instalments, payments, partials and full
    reconciles. Company-currency amounts may differ by a few cents in USD: the
    ORM converts each payment at the day's rate, the copy takes the instalments'
    own amounts."""
    values, errors = entry_values(gen, t), []
    match, inv = values["match"], t["move"]
    # cents: the ORM rounds each USD payment, the copy each instalment it pays
    tolerance = len(values["debits"]) + 1 if t["currency"] == "USD" else 0

    def compare(what, got, expected, slack=0):
        if abs(got - expected) > slack:
            errors.append("%s %s: ORM %s, copy %s" % (t["combo"], what, got, expected))

    doc = [cents(amount) for amount in values["doc"]]
    for index, fname in enumerate(("amount_untaxed", "amount_tax", "amount_total")):
        compare(fname, cents(inv[fname]), doc[index])
    compare("amount_total_signed", cents(inv.amount_total_signed), doc[5])
    recs = _receivables(inv)
    compare("receivable lines", len(recs), len(values["debits"]))
    compare("payments", len(t.get("payment_records", [])), len(t["payments"]))
    if errors:
        return errors
    keys = {line.id: ("d", i) for i, line in enumerate(recs)}
    for i, line in enumerate(recs):
        bal, cur = values["debits"][i]
        res_bal, res_cur = match["debit_residuals"][i]
        compare("instalment %d balance" % i, cents(line.balance), bal)
        compare("instalment %d amount" % i, cents(line.amount_currency), cur)
        compare(
            "instalment %d residual" % i,
            cents(line.amount_residual),
            res_bal,
            tolerance,
        )
        compare(
            "instalment %d due" % i,
            line.date_maturity.toordinal(),
            t["dues"][i].toordinal(),
        )
        compare("instalment %d open" % i, cents(line.amount_residual_currency), res_cur)
    for j, payment in enumerate(t.get("payment_records", [])):
        bal, cur = match["credit_amounts"][j]
        compare("payment %d amount" % j, cents(payment.amount), cur)
        signed = cents(payment.amount_company_currency_signed)
        compare("payment %d in EUR" % j, signed, bal, tolerance)
        counterpart = payment.move_id.line_ids - payment.move_id.line_ids.filtered(
            lambda aml, p=payment: aml.account_id == p.outstanding_account_id
        )
        keys[counterpart.id] = ("c", j)
    if t.get("refund"):
        ref_rec = _receivables(t["refund"])
        compare(
            "credit note", cents(-ref_rec.amount_currency), cents(values["refund"][5])
        )
        keys[ref_rec.id] = ("c", len(t["payments"]))
    errors += _check_matching(t, match, recs, keys, tolerance)
    return errors


def _check_matching(t, match, recs, keys, tolerance):
    """Same partials and the same lines matched together, fully or not.

    Exchange difference entries are left aside: the ORM converts a USD payment at
    the day's rate and may settle a cent by such an entry, whose reconciliation
    then makes a full reconcile of that group; the copy values payments at the
    invoice's rate, needs none, and makes none. Their groups are compared without
    the full flag.
    """
    lines = recs.browse(list(keys))
    all_partials = lines.matched_debit_ids | lines.matched_credit_ids
    partials = all_partials.filtered(
        lambda p: p.debit_move_id.id in keys and p.credit_move_id.id in keys
    )
    orm = sorted(
        (
            keys[p.debit_move_id.id],
            keys[p.credit_move_id.id],
            cents(p.debit_amount_currency),
            cents(p.amount),
        )
        for p in partials
    )
    model = sorted(
        (("d", i), ("c", j), cur, bal) for i, j, bal, cur in match["partials"]
    )
    same = len(orm) == len(model) and all(
        a[:3] == b[:3] and abs(a[3] - b[3]) <= tolerance
        for a, b in zip(orm, model, strict=True)
    )
    errors = [] if same else ["%s partials: ORM %s, copy %s" % (t["combo"], orm, model)]
    exchanged = {
        keys[line.id]
        for p in all_partials - partials
        for line in p.debit_move_id | p.credit_move_id
        if line.id in keys
    }
    orm_groups = {}
    for line in lines.filtered("matching_number"):
        orm_groups.setdefault(line.matching_number, set()).add(keys[line.id])
    model_groups = {}
    for kind, groups in (("d", match["debit_group"]), ("c", match["credit_group"])):
        for index, group in enumerate(groups):
            if group is not None:
                model_groups.setdefault(group, set()).add((kind, index))

    def compared(members, full):
        return frozenset(members), None if members & exchanged else full

    orm_set = {compared(v, n.isdigit()) for n, v in orm_groups.items()}
    model_set = {compared(v, match["group_full"][g]) for g, v in model_groups.items()}
    if orm_set != model_set:
        errors.append("%s matching: ORM %s, copy %s" % (t["combo"], orm_set, model_set))
    return errors


def _names(templates):
    names, docs = [], {}
    for t in templates:
        pays = t.get("payment_records") or []
        pay_move = pays[0].move_id if pays else None
        ref = t.get("refund")
        names.append(
            (t["combo"], t["move"].name, pay_move and pay_move.name, ref and ref.name)
        )
        for key, move in (("inv", t["move"]), ("pay", pay_move), ("ref", ref)):
            if move and key not in docs:
                docs[key] = (move.journal_id.id, move.name, move.sequence_prefix)
    return names, docs


def _capture(cr, table, roles):
    ids = {rid: (key, role, idx) for key, role, idx, tbl, rid in roles if tbl == table}
    cr.execute(
        SQL("SELECT * FROM %s WHERE id = ANY(%s)", SQL.identifier(table), list(ids))
    )
    cols = [d[0] for d in cr.description]
    rows = [ids[row[cols.index("id")]] + (row,) for row in cr.fetchall()]
    return {"cols": cols, "rows": rows}


def _capture_rels(cr, roles):
    line_roles = {
        rid: (key, role, idx) for key, role, idx, table, rid in roles if table == AML
    }
    rels = {}
    for rel, column in (
        ("account_move_line_account_tax_rel", "account_tax_id"),
        ("account_account_tag_account_move_line_rel", "account_account_tag_id"),
    ):
        cr.execute(
            SQL(
                "SELECT account_move_line_id, %s FROM %s"
                " WHERE account_move_line_id = ANY(%s)",
                SQL.identifier(column),
                SQL.identifier(rel),
                list(line_roles),
            )
        )
        rels[rel] = [line_roles[line_id] + (other,) for line_id, other in cr.fetchall()]
    return rels


def _load(cr, captured, rels, names):
    """The captured rows into gen_tmpl_<table> (with gen_combo, gen_role and
    gen_idx), the names into gen_tmpl_names, the relations into gen_tmpl_rel."""
    for table, data in captured.items():
        tmp = SQL.identifier("gen_tmpl_%s" % table)
        cr.execute(SQL("DROP TABLE IF EXISTS %s", tmp))
        cr.execute(SQL("CREATE TEMP TABLE %s (LIKE %s)", tmp, SQL.identifier(table)))
        cr.execute(
            SQL(
                "ALTER TABLE %s ADD COLUMN gen_combo varchar,"
                " ADD COLUMN gen_role varchar, ADD COLUMN gen_idx int",
                tmp,
            )
        )
        columns = SQL(", ").join(
            map(SQL.identifier, data["cols"] + ["gen_combo", "gen_role", "gen_idx"])
        )
        values = [
            tuple(Json(v) if isinstance(v, dict | list) else v for v in row)
            + (key, role, idx)
            for key, role, idx, row in data["rows"]
        ]
        if values:
            query = cr.mogrify(
                SQL("INSERT INTO %s (%s) VALUES ", tmp, columns).code
            ).decode()
            execute_values(cr._obj, query + "%s", values)
    cr.execute("DROP TABLE IF EXISTS gen_tmpl_names, gen_tmpl_rel")
    cr.execute(
        "CREATE TEMP TABLE gen_tmpl_names (combo varchar, inv_name varchar,"
        " pay_name varchar, ref_name varchar)"
    )
    cr.executemany("INSERT INTO gen_tmpl_names VALUES (%s, %s, %s, %s)", names)
    cr.execute(
        "CREATE TEMP TABLE gen_tmpl_rel (rel varchar, combo varchar, role varchar,"
        " idx int, other_id int)"
    )
    for rel, rows in rels.items():
        if rows:
            cr.executemany(
                "INSERT INTO gen_tmpl_rel VALUES (%s, %s, %s, %s, %s)",
                [(rel,) + row for row in rows],
            )
