# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Lost receivables and the undo of the doubtful entries: the write-off (a credit
note of the amount still due with the invoice's taxes, on 654100 or 654400, CGI art.
272), and Odoo's reversal of the entries booked."""

from odoo import Command, api, models
from odoo.exceptions import UserError, ValidationError


class AccountDunningDoubtfulEngine(models.AbstractModel):
    _inherit = "account.dunning.doubtful.engine"

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
        # Rounding pro rata may leave a cent, and some amounts have no HT that
        # comes to them with the VAT (333.33 at 20 %: 277.78 -> 333.34): the gap
        # goes to the loss account without tax, the VAT staying the one of the HT.
        gap = amount - refund.amount_total
        if not move.currency_id.is_zero(gap):
            refund.write(
                {
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": self.env._("Rounding: %s", move.name),
                                "quantity": 1.0,
                                "price_unit": move.currency_id.round(gap),
                                "tax_ids": [Command.clear()],
                                "account_id": loss_account.id,
                            }
                        )
                    ]
                }
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
        # set before posting: the credit-note hook of _post leaves it to the write-off
        self._set(move, {"dunning_writeoff_refund_id": refund.id})
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
