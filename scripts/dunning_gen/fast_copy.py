# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fast mode: ORM-made template rows copied with set-based SQL, for the
benchmark volumes (100,000 to 590,000 invoices): templates (fast_templates),
values (fast_ids, fast_rows), then moves and payments here, lines and
reconciles in fast_lines."""

import time

from .fast_ids import assign_documents
from .fast_lines import insert_lines, insert_partials, insert_relations
from .fast_rows import write_rows
from .fast_sql import FULLS, PAYS, STAMPS, insert_from_template, renamed
from .fast_templates import build_templates


def fast_create(gen, entries):
    """Insert the planned invoices, payments and credit notes by SQL."""
    started = time.time()
    progress = gen.progress
    start, end = progress.start, progress.end

    def at(share):
        progress.span(start + (end - start) * share, end)

    docs = build_templates(gen, entries)
    gen.log("fast: templates built and checked (%.1fs)" % (time.time() - started))
    at(0.1)
    gen.cr.execute("SELECT id, COALESCE(complete_name, name) FROM res_partner")
    partner_names = dict(gen.cr.fetchall())
    assign_documents(gen, entries, docs)
    progress.span(progress.start, start + (end - start) * 0.4)
    counts, edges = write_rows(gen, entries, partner_names)
    gen.log(
        "fast: %s planned (%.1fs)%s"
        % (
            ", ".join("%d %s" % (n, table) for table, n in counts.items()),
            time.time() - started,
            ", %d rounding edges" % edges if edges else "",
        )
    )
    at(0.4)
    n_moves = insert_moves(gen.cr)
    gen.log("fast: %d account_move rows (%.1fs)" % (n_moves, time.time() - started))
    at(0.55)
    n_payments = insert_payments(gen.cr)
    n_lines = insert_lines(gen.cr)
    gen.log(
        "fast: %d account_move_line rows (%.1fs)" % (n_lines, time.time() - started)
    )
    at(0.9)
    insert_partials(gen.cr)
    insert_relations(gen.cr)
    gen.env.invalidate_all(flush=False)
    gen.log(
        "fast: SQL replication done: %d moves, %d lines, %d payments (%.1fs)"
        % (n_moves, n_lines, n_payments, time.time() - started)
    )


def insert_moves(cr):
    common = dict(
        STAMPS,
        access_token="NULL",
        currency_id="g.cur_id",
        message_main_attachment_id="NULL",
    )
    document = dict(
        common,
        partner_id="g.partner",
        commercial_partner_id="g.commercial",
        partner_shipping_id="g.partner",
        invoice_user_id="g.user_id",
        team_id="g.team_id",
        invoice_currency_rate="g.rate",
        invoice_partner_display_name="g.pdisp",
        ref=renamed("t.ref"),
        payment_reference=renamed("t.payment_reference"),
    )
    count = insert_from_template(
        cr, "account_move", "inv", dict(document, **_invoice_move())
    )
    count += insert_from_template(
        cr,
        "account_move",
        "ref",
        dict(document, **_refund_move()),
        where="g.ref_move IS NOT NULL",
    )
    return count + insert_from_template(
        cr,
        "account_move",
        "pay",
        dict(
            common,
            id="p.pay_move",
            name="p.name",
            sequence_prefix="p.prefix",
            sequence_number="p.seq",
            date="p.date",
            partner_id="g.commercial",
            commercial_partner_id="g.commercial",
            origin_payment_id="NULL",  # set by insert_payments (circular)
            invoice_partner_display_name="g.cdisp",
            ref=renamed("t.ref", "p.name"),
            payment_reference=renamed("t.payment_reference", "p.name"),
            amount_total="p.p_cur",
            amount_total_signed="p.p_bal",
            amount_total_in_currency_signed="p.p_cur",
        ),
        source=PAYS,
    )


def _invoice_move():
    return {
        "id": "g.inv_move",
        "name": "g.inv_name",
        "sequence_prefix": "g.inv_prefix",
        "sequence_number": "g.inv_seq",
        "date": "g.inv_date",
        "invoice_date": "g.inv_date",
        "invoice_date_due": "g.due",  # the last instalment's
        "invoice_payment_term_id": "g.term_id",
        "amount_untaxed": "g.s_cur",
        "amount_tax": "g.t_cur",
        "amount_total": "g.tot_cur",
        "amount_residual": "g.res_cur",
        "amount_untaxed_signed": "g.s_bal",
        "amount_untaxed_in_currency_signed": "g.s_cur",
        "amount_tax_signed": "g.t_bal",
        "amount_total_signed": "g.tot_bal",
        "amount_total_in_currency_signed": "g.tot_cur",
        "amount_residual_signed": "g.res_bal",
    }


def _refund_move():
    return {
        "id": "g.ref_move",
        "name": "g.ref_name",
        "sequence_prefix": "g.ref_prefix",
        "sequence_number": "g.ref_seq",
        "date": "g.ref_date",
        "invoice_date": "g.ref_date",
        "invoice_date_due": "g.ref_due",
        "invoice_payment_term_id": "g.ref_term_id",
        "reversed_entry_id": "g.inv_move",
        "amount_untaxed": "g.sr_cur",
        "amount_tax": "g.tr_cur",
        "amount_total": "g.totr_cur",
        "amount_untaxed_signed": "-g.sr_bal",
        "amount_untaxed_in_currency_signed": "-g.sr_cur",
        "amount_tax_signed": "-g.tr_bal",
        "amount_total_signed": "-g.totr_bal",
        "amount_total_in_currency_signed": "-g.totr_cur",
    }


def insert_payments(cr):
    """The payments, their link to the invoice, and the full reconciles."""
    count = insert_from_template(
        cr,
        "account_payment",
        "payment",
        dict(
            STAMPS,
            id="p.pay_id",
            move_id="p.pay_move",
            partner_id="g.commercial",
            currency_id="g.cur_id",
            name="p.name",
            memo=renamed("t.memo", "p.name"),
            payment_reference=renamed("t.payment_reference", "p.name"),
            date="p.date",
            amount="p.p_cur",
            amount_company_currency_signed="p.p_bal",
            message_main_attachment_id="NULL",
        ),
        source=PAYS,
    )
    cr.execute(
        "INSERT INTO account_move__account_payment (invoice_id, payment_id)"
        " SELECT g.inv_move, p.pay_id FROM gen_pays p JOIN gen_rows g ON g.k = p.k"
    )
    cr.execute(
        "UPDATE account_move m SET origin_payment_id = p.pay_id"
        " FROM gen_pays p WHERE m.id = p.pay_move"
    )
    insert_from_template(
        cr,
        "account_full_reconcile",
        "full",
        dict(STAMPS, id="f.id", exchange_move_id="NULL"),
        source=FULLS,
        idx=None,
    )
    return count
