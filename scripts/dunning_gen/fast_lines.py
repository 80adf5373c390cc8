# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fast copy's journal items (one receivable line per instalment), partial
reconciles and the items' taxes and tags."""

from odoo.tools import SQL

from .fast_sql import PARTIALS, PAYS, RECS, ROWS, STAMPS, insert_from_template, renamed

AML = "account_move_line"
REFUNDED = "g.ref_move IS NOT NULL"


def _line_common(pay):
    return dict(
        STAMPS,
        partner_id="g.commercial",
        currency_id="g.cur_id",
        name=renamed("t.name", pay),
        ref=renamed("t.ref", pay),
    )


def _spec(role, source, base, balance, currency, where="TRUE", **extra):
    """(role, source, where, overrides) of one kind of journal item: base columns,
    balance and amount_currency (SQL expressions; a leading - for a credit), and
    the other columns the copy sets."""
    credit = balance.startswith("-")
    overrides = dict(
        base,
        balance=balance,
        debit="0" if credit else balance,
        credit=balance[1:] if credit else "0",
        amount_currency=currency,
        **extra,
    )
    return role, source, where, overrides


def _invoice_specs():
    inv = dict(
        _line_common("g.pay1_name"),
        move_id="g.inv_move",
        move_name="g.inv_name",
        date="g.inv_date",
        invoice_date="g.inv_date",
    )
    return [
        _spec(
            "inv_product", ROWS, inv, "-g.s_bal", "-g.s_cur",
            id="g.l_inv_product", product_id="g.product_id", name="g.prod_name",
            quantity="g.qty", price_unit="g.price", price_subtotal="g.s_cur",
            price_total="g.tot_cur",
        ),
        _spec(
            "inv_tax", ROWS, inv, "-g.t_bal", "-g.t_cur",
            id="g.l_inv_tax", tax_base_amount="g.s_bal",
        ),
        # one per instalment, from the template line of the same instalment
        _spec(
            "inv_rec", RECS, inv, "r.bal", "r.cur",
            id="r.line_id", amount_residual="r.res_bal",
            amount_residual_currency="r.res_cur", date_maturity="r.due",
            reconciled="r.reconciled", matching_number="r.matching",
            full_reconcile_id="r.full_id",
        ),
    ]  # fmt: skip


def _payment_specs():
    pay = dict(
        _line_common("p.name"),
        move_id="p.pay_move",
        move_name="p.name",
        date="p.date",
        date_maturity="p.date",
        payment_id="p.pay_id",
    )
    return [
        _spec(
            "pay_liq", PAYS, pay, "p.p_bal", "p.p_cur",
            id="p.l_liq", amount_residual="p.p_bal", amount_residual_currency="p.p_cur",
            price_subtotal="p.p_cur", price_total="p.p_cur", reconciled="FALSE",
        ),
        _spec(
            "pay_rec", PAYS, pay, "-p.p_bal", "-p.p_cur",
            id="p.l_rec", amount_residual="0", amount_residual_currency="0",
            price_subtotal="-p.p_cur", price_total="-p.p_cur", reconciled="TRUE",
            matching_number="p.matching", full_reconcile_id="p.full_id",
        ),
    ]  # fmt: skip


def _refund_specs():
    ref = dict(
        _line_common("g.pay1_name"),
        move_id="g.ref_move",
        move_name="g.ref_name",
        date="g.ref_date",
        invoice_date="g.ref_date",
    )
    return [
        _spec(
            "ref_product", ROWS, ref, "g.sr_bal", "g.sr_cur", where=REFUNDED,
            id="g.l_ref_product", product_id="g.product_id", name="g.ref_line_name",
            quantity="g.ref_qty", price_unit="g.ref_price", price_subtotal="g.sr_cur",
            price_total="g.totr_cur",
        ),
        _spec(
            "ref_tax", ROWS, ref, "g.tr_bal", "g.tr_cur", where=REFUNDED,
            id="g.l_ref_tax", tax_base_amount="g.sr_bal",
        ),
        _spec(
            "ref_rec", ROWS, ref, "-g.totr_bal", "-g.totr_cur", where=REFUNDED,
            id="g.l_ref_rec", amount_residual="0", amount_residual_currency="0",
            date_maturity="g.ref_due", reconciled="TRUE",
            matching_number="g.ref_matching", full_reconcile_id="g.ref_full",
        ),
    ]  # fmt: skip


# role -> (source, line id, template index) for the taxes and tags of the lines
LINE_IDS = {
    "inv_product": (ROWS, "g.l_inv_product", "0"),
    "inv_tax": (ROWS, "g.l_inv_tax", "0"),
    "inv_rec": (RECS, "r.line_id", "r.idx"),
    "pay_liq": (PAYS, "p.l_liq", "0"),
    "pay_rec": (PAYS, "p.l_rec", "0"),
    "ref_product": (ROWS, "g.l_ref_product", "0"),
    "ref_tax": (ROWS, "g.l_ref_tax", "0"),
    "ref_rec": (ROWS, "g.l_ref_rec", "0"),
}


def insert_lines(cr):
    """All journal items; a copy's receivable lines take the template's line of
    the same instalment (gen_recs.idx)."""
    count = 0
    for role, source, where, overrides in (
        _invoice_specs() + _payment_specs() + _refund_specs()
    ):
        idx = "r.idx" if source == RECS else "0"
        count += insert_from_template(
            cr, AML, role, overrides, source=source, idx=idx, where=where
        )
    return count


def insert_partials(cr):
    return insert_from_template(
        cr,
        "account_partial_reconcile",
        "partial",
        dict(
            STAMPS,
            id="x.id",
            debit_move_id="x.debit_line",
            credit_move_id="x.credit_line",
            full_reconcile_id="x.full_id",
            exchange_move_id="NULL",
            debit_currency_id="g.cur_id",
            credit_currency_id="g.cur_id",
            max_date="x.max_date",
            amount="x.amount",
            debit_amount_currency="x.amount_cur",
            credit_amount_currency="x.amount_cur",
        ),
        source=PARTIALS,
        idx=None,
    )


def insert_relations(cr):
    """Taxes and tags of each copied line, as on its template line."""
    for rel, column in (
        ("account_move_line_account_tax_rel", "account_tax_id"),
        ("account_account_tag_account_move_line_rel", "account_account_tag_id"),
    ):
        for role, (source, line_id, idx) in LINE_IDS.items():
            cr.execute(
                SQL(
                    "INSERT INTO %s (account_move_line_id, %s)"
                    " SELECT %s, x.other_id FROM %s JOIN gen_tmpl_rel x"
                    " ON x.rel = %s AND x.combo = g.combo AND x.role = %s"
                    " AND x.idx = %s"
                    " WHERE %s IS NOT NULL",
                    SQL.identifier(rel),
                    SQL.identifier(column),
                    SQL(line_id),
                    SQL(source),
                    rel,
                    role,
                    SQL(idx),
                    SQL(line_id),
                )
            )
