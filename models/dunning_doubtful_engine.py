# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Doubtful and lost receivables, in the books (PCG art. 944-49, CGI 39-1-5°,
CGI art. 272): the entries behind ``account.move.action_mark_doubtful``,
``action_write_off`` and the payments of a doubtful invoice.

- Doubtful (one transfer and one write-down per invoice, in a miscellaneous journal):
  debit 416 / credit 411 of the amount due, the 411 line reconciled with the
  invoice's; debit 681740 / credit 491000 of (amount due x untaxed / total, to the
  cent) x rate.
- A payment of a doubtful invoice (registered on it) lands on 411 as any payment; an
  automatic transfer debit 411 (reconciled with the payment) / credit 416 (reconciled
  with the 416 item) moves it back, and the write-down is reversed in proportion
  (debit 491000 / credit 781740: write-down x paid / doubtful amount, the payment
  that settles 416 takes the remainder).
- Write-off: a credit note to the customer of the amount still due, with the
  invoice's taxes, on 654100 (invoice of the current fiscal year) or 654400 (earlier
  years), settled against the invoice (through 416 as a payment is, when doubtful);
  the rest of the write-down reversed.
- Undo: Odoo's reversal (``_reverse_moves(cancel=True)``) of those entries, after
  their matching was removed.
"""

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError


class AccountDunningAction(models.Model):
    _inherit = "account.dunning.action"

    channel = fields.Selection(
        selection_add=[("doubtful", "Doubtful Receivable")],
        ondelete={"doubtful": "cascade"},
    )


class AccountDunningDoubtfulEngine(models.AbstractModel):
    _name = "account.dunning.doubtful.engine"
    _description = "Dunning: Doubtful and Lost Receivables"

    # ------------------------------------------------------------ helpers
    @api.model
    def _today(self):
        return fields.Date.context_today(self)

    @api.model
    def _misc_journal(self, company):
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "general"),
            ],
            order="sequence, id",
            limit=1,
        )
        if not journal:
            raise UserError(
                self.env._(
                    "The company %s has no miscellaneous journal for the entries of "
                    "doubtful receivables.",
                    company.name,
                )
            )
        return journal

    @api.model
    def _post_entry(self, company, ref, narration, line_vals):
        """A posted miscellaneous entry of ``line_vals`` (``balance`` in company
        currency, ``amount_currency`` in ``currency_id``)."""
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": self._misc_journal(company).id,
                    "date": self._today(),
                    "ref": ref,
                    "narration": narration,
                    "line_ids": [Command.create(vals) for vals in line_vals],
                }
            )
        )
        move.action_post()
        return move

    @api.model
    def _set(self, move, vals):
        # sudo: the engine's columns, after the buttons' checks.
        move.sudo().write(vals)

    @api.model
    def _trace(self, move, text, amount):
        """A trace line of channel ``doubtful`` and a note in the invoice's chatter."""
        # sudo: the trace is append-only, written by the engine after the checks.
        self.env["account.dunning.action"].sudo().create(
            {
                "company_id": move.company_id.id,
                "partner_id": move.commercial_partner_id.id,
                "channel": "doubtful",
                "state": "sent",
                "reason": text,
                "date": self._today(),
                "move_ids": [Command.set(move.ids)],
                "amount": amount,
            }
        )
        # sudo: a note in the chatter, written by the engine after the checks.
        move.sudo()._message_log(body=Markup("<p>%s</p>") % escape(text))

    @api.model
    def _open_receivable_lines(self, move):
        return move.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
            and not line.reconciled
            and not line.currency_id.is_zero(line.amount_residual_currency)
        )

    @api.model
    def _doubtful_lines(self, move):
        """The 416 items of a doubtful invoice (debits of its transfer)."""
        account = move.company_id._dunning_doubtful_account(
            "dunning_doubtful_account_id"
        )
        return move.dunning_doubtful_entry_id.line_ids.filtered(
            lambda line: line.account_id == account and line.balance > 0
        )

    @api.model
    def _check_invoice(self, move):
        """A posted customer invoice with an amount due, not doubtful yet."""
        if move.move_type != "out_invoice":
            raise ValidationError(
                self.env._(
                    "Only customer invoices can become doubtful, not %s.",
                    move.display_name,
                )
            )
        if move.state != "posted":
            raise ValidationError(
                self.env._(
                    "The invoice %s is not posted: only posted invoices can become "
                    "doubtful or be written off.",
                    move.display_name,
                )
            )
        if move.dunning_written_off:
            raise ValidationError(
                self.env._("The invoice %s is already written off.", move.display_name)
            )

    @api.model
    def _lock(self, moves):
        """Two managers acting on one invoice at once: the second waits here, then
        sees what the first did."""
        if moves:
            self.env.execute_query(
                SQL(
                    "SELECT id FROM account_move WHERE id = ANY(%s) FOR UPDATE",
                    moves.ids,
                )
            )
            moves.invalidate_recordset()

    @api.model
    def _writedown_base(self, move, due):
        """The amount due excluding VAT: amount due x untaxed / total, to the cent."""
        currency = move.company_currency_id
        if not move.amount_total_signed:
            return 0.0
        return currency.round(
            due * move.amount_untaxed_signed / move.amount_total_signed
        )

    # ------------------------------------------------------------ doubtful
    @api.model
    def _mark_doubtful(self, rate_by_move, reason=None):
        """Transfer to 416 and write-down, per invoice ({invoice: rate})."""
        reason = (reason or "").strip()
        self._lock(self.env["account.move"].union(*rate_by_move))
        for move, rate in rate_by_move.items():
            self._check_invoice(move)
            if move.dunning_doubtful:
                raise ValidationError(
                    self.env._("The invoice %s is already doubtful.", move.display_name)
                )
            if isinstance(rate, bool) or not isinstance(rate, int | float):
                raise ValidationError(
                    self.env._("The write-down rate must be a number from 0 to 100.")
                )
            if not 0 <= rate <= 100:
                raise ValidationError(
                    self.env._(
                        "The write-down rate of %(invoice)s must be from 0 to 100 %% "
                        "(got %(rate)s).",
                        invoice=move.display_name,
                        rate=rate,
                    )
                )
            if not self._open_receivable_lines(move):
                raise ValidationError(
                    self.env._(
                        "The invoice %s has nothing left to pay: it cannot become "
                        "doubtful.",
                        move.display_name,
                    )
                )
            # Every account is found before anything is booked.
            move.company_id._dunning_doubtful_accounts()
        for move, rate in rate_by_move.items():
            self._mark_one(move, rate, reason)

    @api.model
    def _mark_one(self, move, rate, reason):
        company = move.company_id
        accounts = company._dunning_doubtful_accounts()
        doubtful_account = accounts["dunning_doubtful_account_id"]
        if not company.dunning_doubtful_account_id:
            # sudo: the account found by code becomes the setting, which the aged
            # balance reads in its one statement.
            company.sudo().dunning_doubtful_account_id = doubtful_account
        partner = move.commercial_partner_id
        reason = reason or self.env._("Doubtful receivable")
        ref = self.env._("Doubtful: %(invoice)s", invoice=move.name)
        lines = self._open_receivable_lines(move)
        line_vals = []
        for line in lines:
            common = {
                "partner_id": partner.id,
                "currency_id": line.currency_id.id,
            }
            line_vals += [
                {
                    **common,
                    "name": self.env._("%(invoice)s: to doubtful", invoice=move.name),
                    "account_id": line.account_id.id,
                    "balance": -line.amount_residual,
                    "amount_currency": -line.amount_residual_currency,
                },
                {
                    **common,
                    "name": self.env._("%(invoice)s: doubtful", invoice=move.name),
                    "account_id": doubtful_account.id,
                    "balance": line.amount_residual,
                    "amount_currency": line.amount_residual_currency,
                    "date_maturity": line.date_maturity,
                },
            ]
        due = sum(lines.mapped("amount_residual"))
        transfer = self._post_entry(company, ref, reason, line_vals)
        for line in lines:
            counterpart = transfer.line_ids.filtered(
                lambda item, line=line: item.account_id == line.account_id
                and not item.reconciled
                and item.currency_id.compare_amounts(
                    item.amount_residual_currency, -line.amount_residual_currency
                )
                == 0
            )[:1]
            (line | counterpart).reconcile()
        currency = company.currency_id
        base = self._writedown_base(move, due)
        writedown = currency.round(base * rate / 100.0)
        entries = transfer
        writedown_entry = self.env["account.move"]
        if not currency.is_zero(writedown):
            writedown_entry = self._post_entry(
                company,
                self.env._("Write-down: %(invoice)s", invoice=move.name),
                reason,
                [
                    {
                        "name": self.env._(
                            "%(invoice)s: write-down %(rate)s %% of %(base)s",
                            invoice=move.name,
                            rate=rate,
                            base=currency.format(base),
                        ),
                        "account_id": accounts[
                            "dunning_writedown_expense_account_id"
                        ].id,
                        "partner_id": partner.id,
                        "balance": writedown,
                    },
                    {
                        "name": self.env._(
                            "%(invoice)s: write-down", invoice=move.name
                        ),
                        "account_id": accounts[
                            "dunning_writedown_allowance_account_id"
                        ].id,
                        "partner_id": partner.id,
                        "balance": -writedown,
                    },
                ],
            )
            entries |= writedown_entry
        self._set(
            move,
            {
                "dunning_doubtful": True,
                "dunning_doubtful_date": self._today(),
                "dunning_doubtful_rate": rate,
                "dunning_doubtful_reason": reason,
                "dunning_doubtful_amount": due,
                "dunning_writedown_amount": writedown,
                "dunning_writedown_reversed": 0.0,
                "dunning_doubtful_entry_id": transfer.id,
                "dunning_writedown_entry_id": writedown_entry.id,
                "dunning_doubtful_move_ids": [Command.link(e.id) for e in entries],
            },
        )
        self._trace(
            move,
            self.env._(
                "%(invoice)s made doubtful (%(reason)s): %(due)s moved to %(account)s "
                "(%(transfer)s), written down %(writedown)s at %(rate)s %%.",
                invoice=move.name,
                reason=reason,
                due=currency.format(due),
                account=doubtful_account.code,
                transfer=transfer.name,
                writedown=currency.format(writedown),
                rate=rate,
            ),
            due,
        )
        self._refresh_blocks(move)

    @api.model
    def _refresh_blocks(self, moves):
        for company, group in moves.grouped("company_id").items():
            # sudo: the engine applies the blocking rules after the entries.
            self.env["account.dunning.block.engine"].sudo()._check(
                group.commercial_partner_id, company
            )

    # ------------------------------------------------------------ recovery
    @api.model
    def _settle(self, move, counterparts, trace=True):
        """Bring back from 416 to 411 what ``counterparts`` (open 411 credits of the
        customer: a payment, a credit note) settle of the doubtful invoice ``move``:
        a transfer debit 411 (reconciled with them) / credit 416 (reconciled with the
        416 items), and the write-down reversed in proportion. Returns the amount
        transferred, in company currency, and the entries booked."""
        company = move.company_id
        currency = company.currency_id
        accounts = company._dunning_doubtful_accounts()
        partner = move.commercial_partner_id
        open_items = (
            self._doubtful_lines(move)
            .filtered(lambda line: not line.reconciled)
            .sorted(lambda line: (line.date_maturity or line.date, line.id))
        )
        counterparts = counterparts.filtered(
            lambda line: not line.reconciled and line.amount_residual < 0
        )
        available = -sum(counterparts.mapped("amount_residual_currency"))
        if not open_items or not counterparts or available <= 0:
            return 0.0, self.env["account.move"]
        receivable = move.dunning_doubtful_entry_id.line_ids.filtered(
            lambda line: line.balance < 0
        )[:1].account_id
        line_vals = []
        transferred = 0.0
        taken = []
        for item in open_items:
            item_currency = item.currency_id
            if item_currency.is_zero(available):
                break
            amount_currency = min(item.amount_residual_currency, available)
            if item_currency.compare_amounts(
                amount_currency, item.amount_residual_currency
            ):
                balance = currency.round(
                    item.amount_residual
                    * amount_currency
                    / item.amount_residual_currency
                )
            else:
                balance = item.amount_residual
            available -= amount_currency
            transferred += balance
            taken.append(item)
            common = {"partner_id": partner.id, "currency_id": item_currency.id}
            line_vals += [
                {
                    **common,
                    "name": self.env._(
                        "%(invoice)s: back from doubtful", invoice=move.name
                    ),
                    "account_id": receivable.id or counterparts[0].account_id.id,
                    "balance": balance,
                    "amount_currency": amount_currency,
                },
                {
                    **common,
                    "name": self.env._(
                        "%(invoice)s: doubtful settled", invoice=move.name
                    ),
                    "account_id": item.account_id.id,
                    "balance": -balance,
                    "amount_currency": -amount_currency,
                },
            ]
        ref = self.env._(
            "Doubtful %(invoice)s settled by %(by)s",
            invoice=move.name,
            by=", ".join(sorted(set(counterparts.move_id.mapped("name")))),
        )
        transfer = self._post_entry(
            company, ref, move.dunning_doubtful_reason, line_vals
        )
        doubtful_account = accounts["dunning_doubtful_account_id"]
        for item in taken:
            (
                item
                | transfer.line_ids.filtered(
                    lambda line: line.account_id == doubtful_account
                    and not line.reconciled
                )
            ).reconcile()
        debit = transfer.line_ids.filtered(
            lambda line: line.account_id != doubtful_account
        )
        for account in debit.account_id:
            (
                debit.filtered(lambda line, a=account: line.account_id == a)
                | counterparts.filtered(lambda line, a=account: line.account_id == a)
            ).reconcile()
        entries = transfer
        # The write-down reversed in proportion; the last settlement the remainder.
        left = move.dunning_writedown_amount - move.dunning_writedown_reversed
        still_open = any(not line.reconciled for line in self._doubtful_lines(move))
        if still_open and move.dunning_doubtful_amount:
            reversal = currency.round(
                move.dunning_writedown_amount
                * transferred
                / move.dunning_doubtful_amount
            )
            reversal = min(reversal, left)
        else:
            reversal = left
        reversal_entry = self.env["account.move"]
        if not currency.is_zero(reversal):
            reversal_entry = self._post_entry(
                company,
                self.env._("Write-down reversed: %(invoice)s", invoice=move.name),
                ref,
                [
                    {
                        "name": self.env._(
                            "%(invoice)s: write-down reversed", invoice=move.name
                        ),
                        "account_id": accounts[
                            "dunning_writedown_allowance_account_id"
                        ].id,
                        "partner_id": partner.id,
                        "balance": reversal,
                    },
                    {
                        "name": self.env._(
                            "%(invoice)s: write-down reversed", invoice=move.name
                        ),
                        "account_id": accounts[
                            "dunning_writedown_reversal_account_id"
                        ].id,
                        "partner_id": partner.id,
                        "balance": -reversal,
                    },
                ],
            )
            entries |= reversal_entry
        else:
            reversal = 0.0
        self._set(
            move,
            {
                "dunning_writedown_reversed": move.dunning_writedown_reversed
                + reversal,
                "dunning_doubtful_move_ids": [Command.link(e.id) for e in entries],
            },
        )
        if trace:
            self._trace(
                move,
                self.env._(
                    "%(amount)s of the doubtful %(invoice)s settled by %(by)s and brought "
                    "back from 416 (%(transfer)s); write-down reversed: %(reversal)s.",
                    amount=currency.format(transferred),
                    invoice=move.name,
                    by=", ".join(sorted(set(counterparts.move_id.mapped("name")))),
                    transfer=transfer.name,
                    reversal=currency.format(reversal),
                ),
                transferred,
            )
        return transferred, transfer | reversal_entry

    @api.model
    def _settle_payment(self, doubtful_items, payment_lines):
        """A payment registered on doubtful invoices: each one in turn, the oldest
        due first, takes what the payment's open 411 credit still holds."""
        invoices = self.env["account.move"].search(
            [("dunning_doubtful_entry_id", "in", doubtful_items.move_id.ids)]
        )
        for invoice in invoices.sorted(lambda m: (m.invoice_date_due, m.id)):
            if not payment_lines.filtered(lambda line: not line.reconciled):
                break
            self._settle(invoice, payment_lines)

    # ------------------------------------------------------------ write-off
    @api.model
    def _write_off(self, moves, reason):
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(
                self.env._("Say why the receivable is lost before writing it off.")
            )
        self._lock(moves)
        for move in moves:
            self._check_invoice(move)
            if not self._open_amount(move):
                raise ValidationError(
                    self.env._(
                        "The invoice %s has nothing left to pay: there is nothing to "
                        "write off.",
                        move.display_name,
                    )
                )
            move.company_id._dunning_doubtful_accounts()
        for move in moves:
            self._write_off_one(move, reason)

    @api.model
    def _open_amount(self, move):
        """What is still due, in the invoice's currency: on 416 when doubtful."""
        lines = (
            self._doubtful_lines(move).filtered(lambda line: not line.reconciled)
            if move.dunning_doubtful
            else self._open_receivable_lines(move)
        )
        return sum(lines.mapped("amount_residual_currency"))

    @api.model
    def _loss_account(self, move, on_date):
        """654100 for an invoice of the current fiscal year, else 654400."""
        company = move.company_id
        year_start = company.compute_fiscalyear_dates(on_date)["date_from"]
        name = (
            "dunning_loss_account_id"
            if (move.invoice_date or move.date) >= year_start
            else "dunning_loss_prior_account_id"
        )
        return company._dunning_doubtful_account(name)

    @api.model
    def _write_off_refund(self, move, amount, reason):
        """A credit note of ``amount`` (taxes included, invoice currency) with the
        invoice's lines pro rata and their taxes, on the loss account."""
        today = self._today()
        loss_account = self._loss_account(move, today)
        ratio = amount / move.amount_total if move.amount_total else 0.0
        lines = move.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        refund = (
            self.env["account.move"]
            .with_company(move.company_id)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": move.partner_id.id,
                    "journal_id": move.journal_id.id,
                    "currency_id": move.currency_id.id,
                    "invoice_date": today,
                    "date": today,
                    "reversed_entry_id": move.id,
                    "invoice_origin": move.name,
                    "ref": self.env._(
                        "Irrecoverable receivable %(invoice)s: %(reason)s",
                        invoice=move.name,
                        reason=reason,
                    ),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": self.env._(
                                    "Irrecoverable: %(line)s", line=line.name or ""
                                ),
                                "quantity": line.quantity,
                                "price_unit": line.price_unit * ratio,
                                "discount": line.discount,
                                "tax_ids": [Command.set(line.tax_ids.ids)],
                                "account_id": loss_account.id,
                                "analytic_distribution": line.analytic_distribution,
                            }
                        )
                        for line in lines
                    ],
                }
            )
        )
        # Rounding pro rata may leave a cent: the first line takes it.
        gap = amount - refund.amount_total
        if refund.invoice_line_ids and not move.currency_id.is_zero(gap):
            first = refund.invoice_line_ids[0]
            taxes = first.tax_ids.compute_all(1.0, move.currency_id)
            per_unit = taxes["total_included"] or 1.0
            first.price_unit += gap / (
                per_unit * (first.quantity or 1.0) * (1 - (first.discount or 0) / 100)
            )
        if move.currency_id.compare_amounts(refund.amount_total, amount):
            raise UserError(
                self.env._(
                    "The credit note of %(invoice)s does not come to %(amount)s: "
                    "write it off by hand.",
                    invoice=move.name,
                    amount=move.currency_id.format(amount),
                )
            )
        refund.action_post()
        return refund

    @api.model
    def _write_off_one(self, move, reason):
        currency = move.company_id.currency_id
        amount = self._open_amount(move)
        refund = self._write_off_refund(move, amount, reason)
        refund_lines = self._open_receivable_lines(refund)
        entries = refund
        reversal = 0.0
        if move.dunning_doubtful:
            reversed_before = move.dunning_writedown_reversed
            _transferred, settle_entries = self._settle(move, refund_lines, trace=False)
            entries |= settle_entries
            reversal = move.dunning_writedown_reversed - reversed_before
        else:
            (self._open_receivable_lines(move) | refund_lines).reconcile()
        total = -refund.amount_total_signed
        self._set(
            move,
            {
                "dunning_written_off": True,
                "dunning_writeoff_date": self._today(),
                "dunning_writeoff_amount": total,
                "dunning_writeoff_reason": reason,
                "dunning_writeoff_refund_id": refund.id,
                "dunning_writeoff_move_ids": [Command.set(entries.ids)],
            },
        )
        self._trace(
            move,
            self.env._(
                "%(invoice)s written off (%(reason)s): %(amount)s, of which "
                "%(untaxed)s to %(account)s and %(tax)s of VAT recovered by the credit "
                "note %(refund)s; write-down reversed: %(reversal)s.",
                invoice=move.name,
                reason=reason,
                amount=currency.format(total),
                untaxed=currency.format(-refund.amount_untaxed_signed),
                account=refund.invoice_line_ids[:1].account_id.code,
                tax=currency.format(-refund.amount_tax_signed),
                refund=refund.name,
                reversal=currency.format(reversal),
            ),
            total,
        )

    # ------------------------------------------------------------ undo
    @api.model
    def _reverse(self, entries, ref):
        """Odoo's reversal of ``entries``, matched with them once their own matching
        was removed; returns the reversals."""
        entries.line_ids.filtered(
            lambda line: line.matched_debit_ids or line.matched_credit_ids
        ).remove_move_reconcile()
        reversals = self.env["account.move"]
        for entry in entries:
            reversals |= entry._reverse_moves(
                [{"date": self._today(), "ref": ref}], cancel=True
            )
        return reversals

    @api.model
    def _undo_write_off(self, moves):
        for move in moves:
            if not move.dunning_written_off:
                raise ValidationError(
                    self.env._("The invoice %s is not written off.", move.display_name)
                )
        for move in moves:
            entries = move.dunning_writeoff_move_ids
            written_off = move.dunning_writeoff_amount
            reversed_amount = sum(
                entries.line_ids.filtered(
                    lambda line, move=move: line.account_id
                    == move.company_id._dunning_doubtful_account(
                        "dunning_writedown_reversal_account_id"
                    )
                ).mapped("balance")
            )
            reversals = self._reverse(
                entries, self.env._("Write-off of %s undone", move.name)
            )
            vals = {
                "dunning_written_off": False,
                "dunning_writeoff_date": False,
                "dunning_writeoff_amount": 0.0,
                "dunning_writeoff_reason": False,
                "dunning_writeoff_refund_id": False,
                "dunning_writeoff_move_ids": [Command.clear()],
            }
            if move.dunning_doubtful:
                # reversed_amount: the 781740 credit, negative
                vals["dunning_writedown_reversed"] = (
                    move.dunning_writedown_reversed + reversed_amount
                )
                vals["dunning_doubtful_move_ids"] = [
                    Command.link(e.id) for e in entries | reversals
                ]
            self._set(move, vals)
            self._trace(
                move,
                self.env._(
                    "Write-off of %(invoice)s undone: %(entries)s reversed.",
                    invoice=move.name,
                    entries=", ".join(entries.mapped("name")),
                ),
                written_off,
            )

    @api.model
    def _undo_doubtful(self, moves):
        for move in moves:
            if not move.dunning_doubtful:
                raise ValidationError(
                    self.env._("The invoice %s is not doubtful.", move.display_name)
                )
            if move.dunning_written_off:
                raise ValidationError(
                    self.env._(
                        "The invoice %s is written off: undo the write-off first.",
                        move.display_name,
                    )
                )
            items = self._doubtful_lines(move)
            if any(line.matched_debit_ids or line.matched_credit_ids for line in items):
                raise ValidationError(
                    self.env._(
                        "Payments of %s were already brought back from the doubtful "
                        "account: reverse their transfers first.",
                        move.display_name,
                    )
                )
        for move in moves:
            entries = move.dunning_doubtful_entry_id | move.dunning_writedown_entry_id
            reversals = self._reverse(
                entries, self.env._("Doubtful %s undone", move.name)
            )
            self._set(
                move,
                {
                    "dunning_doubtful": False,
                    "dunning_doubtful_date": False,
                    "dunning_doubtful_rate": 0.0,
                    "dunning_doubtful_reason": False,
                    "dunning_doubtful_amount": 0.0,
                    "dunning_writedown_amount": 0.0,
                    "dunning_writedown_reversed": 0.0,
                    "dunning_doubtful_entry_id": False,
                    "dunning_writedown_entry_id": False,
                    "dunning_doubtful_move_ids": [
                        Command.link(e.id) for e in reversals
                    ],
                },
            )
            self._trace(
                move,
                self.env._(
                    "%(invoice)s is no longer doubtful: %(entries)s reversed.",
                    invoice=move.name,
                    entries=", ".join(entries.mapped("name")),
                ),
                move.amount_residual_signed,
            )
