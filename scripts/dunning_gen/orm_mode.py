# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Creation through the ORM, as a user would: invoices posted, payments registered
with Odoo's payment wizard, credit notes reversing or reducing invoices.

Used for the demo, and for the few template invoices the fast mode copies.
"""

from odoo import Command

# progress weight of one invoice, payment and credit note (seconds, roughly)
WEIGHTS = {"invoice": 0.08, "payment": 0.2, "refund": 0.2}


def orm_create(gen, entries, batch=100, progress=True):
    """Create, post, pay and credit the planned invoices; sets entry["move"],
    entry["payment_records"] and entry["refund"]. Returns the invoices."""
    entries = sorted(entries, key=lambda e: e["inv_date"])
    payments = sorted(
        (
            (p["date"], index, rank, e, p)
            for index, e in enumerate(entries)
            for rank, p in enumerate(e["payments"])
        ),
        key=lambda item: item[:3],
    )
    refunds = sorted(
        (e for e in entries if e["refund_date"]), key=lambda e: e["refund_date"]
    )
    tracker = _Tracker(gen, progress, len(entries), len(payments), len(refunds))
    invoices = _create_invoices(gen, entries, batch, tracker)
    for _date, _index, _rank, entry, payment in payments:
        entry.setdefault("payment_records", []).append(
            register_payment(gen, entry, payment)
        )
        tracker.add("payment")
    for entry in refunds:
        if entry["scen"] == "reversed":
            entry["refund"] = _reverse(entry)
        else:
            entry["refund"] = _partial_credit_note(gen, entry)
        tracker.add("refund")
    gen.env.invalidate_all()
    return invoices


class _Tracker:
    """Progress of orm_create, by the expected cost of what is done."""

    def __init__(self, gen, enabled, n_invoices, n_payments, n_refunds):
        self.progress = gen.progress if enabled else None
        self.total = (
            n_invoices * WEIGHTS["invoice"]
            + n_payments * WEIGHTS["payment"]
            + n_refunds * WEIGHTS["refund"]
        )
        self.done = 0.0

    def add(self, what, count=1):
        self.done += WEIGHTS[what] * count
        if self.progress:
            self.progress.step(self.done, self.total, "invoices and payments")


def _create_invoices(gen, entries, batch, tracker):
    Move = gen.env["account.move"]
    invoices = Move
    tax_ids = gen.tax20.ids
    for start in range(0, len(entries), batch):
        chunk = entries[start : start + batch]
        moves = Move.create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": e["partner"],
                    "invoice_date": e["inv_date"],
                    "journal_id": gen.sale_journal.id,
                    "currency_id": gen.currencies[e["currency"]].id,
                    "invoice_payment_term_id": gen.terms[e["term"]].id,
                    "invoice_user_id": e["user"],
                    "team_id": gen.team_by_user.get(e["user"]) or False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": prod,
                                "quantity": qty,
                                "price_unit": price,
                                "tax_ids": [Command.set(tax_ids)],
                            }
                        )
                        for prod, qty, price in e["lines"]
                    ],
                }
                for e in chunk
            ]
        )
        moves.action_post()
        for e, move in zip(chunk, moves, strict=True):
            e["move"] = move
        invoices |= moves
        gen.env.invalidate_all()
        tracker.add("invoice", len(chunk))
    return invoices


def register_payment(gen, entry, payment):
    """One customer payment through Odoo's payment wizard. "amount": that amount;
    "next": the earliest instalment still open; "rest": all that is left."""
    move = entry["move"]
    vals = {"payment_date": payment["date"], "journal_id": gen.bank_journal.id}
    if payment["part"] == "amount":
        vals.update(amount=payment["amount"], payment_difference_handling="open")
    elif payment["part"] == "next":
        open_lines = move.line_ids.filtered(
            lambda aml: aml.display_type == "payment_term" and not aml.reconciled
        ).sorted("date_maturity")
        amount = abs(open_lines[0].amount_residual_currency)
        vals.update(amount=amount, payment_difference_handling="open")
    elif entry["instalments"] > 1:
        # the wizard proposes the instalments due; the customer pays them all
        vals["amount"] = move.amount_residual
    wizard = (
        gen.env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=move.ids)
        .create(vals)
    )
    return wizard._create_payments()


def _reverse(entry):
    """A full credit note cancelling the invoice, as Odoo's reversal wizard makes
    it: no payment terms, due on its date."""
    invoice, date = entry["move"], entry["refund_date"]
    return invoice._reverse_moves(
        [
            {
                "date": date,
                "invoice_date": date,
                "invoice_date_due": date,
                "invoice_payment_term_id": False,
                "ref": "Avoir sur %s : erreur de facturation" % invoice.name,
            }
        ],
        cancel=True,
    )


def _partial_credit_note(gen, entry):
    """A commercial discount credited on the invoice and matched with it."""
    invoice = entry["move"]
    refund = gen.env["account.move"].create(
        {
            "move_type": "out_refund",
            "partner_id": invoice.partner_id.id,
            "invoice_date": entry["refund_date"],
            "journal_id": gen.sale_journal.id,
            "currency_id": invoice.currency_id.id,
            "invoice_payment_term_id": gen.terms[entry["refund_term"]].id,
            "reversed_entry_id": invoice.id,
            "invoice_user_id": invoice.invoice_user_id.id,
            "team_id": invoice.team_id.id,
            "ref": "Avoir partiel sur %s : geste commercial" % invoice.name,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": entry["lines"][0][0],
                        "quantity": 1,
                        "price_unit": entry["refund_price"],
                        "name": "Remise commerciale",
                        "tax_ids": [Command.set(gen.tax20.ids)],
                    }
                )
            ],
        }
    )
    refund.action_post()
    (invoice + refund).line_ids.filtered(
        lambda aml: aml.account_id.account_type == "asset_receivable"
        and not aml.reconciled
    ).reconcile()
    return refund
