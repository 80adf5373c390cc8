# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SQL building blocks of the fast copy (fast_copy, fast_lines).

Each INSERT ... SELECT takes every column of a template row (gen_tmpl_<table>,
see fast_templates) and overrides those that differ per copy with the values of
fast_rows (gen_rows g, gen_recs r, gen_pays p, gen_partials x, gen_fulls f).
The override expressions are code, never data: values travel in the temporary
tables.
"""

from odoo.tools import SQL

ROWS = "gen_rows g"
RECS = "gen_recs r JOIN gen_rows g ON g.k = r.k"
PAYS = "gen_pays p JOIN gen_rows g ON g.k = p.k"
PARTIALS = "gen_partials x JOIN gen_rows g ON g.k = x.k"
FULLS = "gen_fulls f JOIN gen_rows g ON g.k = f.k"
NOW = "now() at time zone 'UTC'"
STAMPS = {"create_date": NOW, "write_date": NOW}


def _code(expr):
    return expr if isinstance(expr, SQL) else SQL(expr)


def insert_from_template(
    cr, table, role, overrides, source=ROWS, idx="0", where="TRUE"
):
    """INSERT INTO table SELECT <template columns, overridden> FROM source JOIN the
    template row of the copy's combination, role and index. idx=None: any row of
    that role (the columns kept from it are the same for every combination)."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
        " AND table_schema = current_schema() ORDER BY ordinal_position",
        (table,),
    )
    columns = [row[0] for row in cr.fetchall()]
    missing = set(overrides) - set(columns)
    if missing:
        raise SystemExit("generate_data: no column %s on %s" % (missing, table))
    template = SQL.identifier("gen_tmpl_%s" % table)
    if idx is None:
        join = SQL(
            "JOIN (SELECT * FROM %s WHERE gen_role = %s ORDER BY gen_combo, gen_idx"
            " LIMIT 1) t ON TRUE",
            template,
            role,
        )
    else:
        join = SQL(
            "JOIN %s t ON t.gen_combo = g.combo AND t.gen_role = %s AND t.gen_idx = %s",
            template,
            role,
            SQL(idx),
        )
    query = SQL(
        "INSERT INTO %s (%s) SELECT %s FROM %s"
        " JOIN gen_tmpl_names tn ON tn.combo = g.combo %s WHERE %s",
        SQL.identifier(table),
        SQL(", ").join(map(SQL.identifier, columns)),
        SQL(", ").join(
            _code(overrides[c]) if c in overrides else SQL.identifier("t", c)
            for c in columns
        ),
        SQL(source),
        join,
        SQL(where),
    )
    cr.execute(query)
    return cr.rowcount


def renamed(expr, pay="g.pay1_name"):
    """expr with the template's document names replaced by the copy's."""
    return SQL(
        "replace(replace(replace(replace(replace(replace(%s,"
        " COALESCE(tn.ref_name, '#no-ref#'), '#@R@#'), tn.inv_name, '#@I@#'),"
        " COALESCE(tn.pay_name, '#no-pay#'), '#@P@#'),"
        " '#@R@#', COALESCE(g.ref_name, '')), '#@I@#', g.inv_name),"
        " '#@P@#', COALESCE(%s, ''))",
        SQL(expr),
        SQL(pay),
    )
