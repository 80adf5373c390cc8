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
from odoo.tools import SQL


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
            # A promise or a plan would read the transfer as a payment: kept.
            if move.dunning_hold in ("promise", "plan"):
                raise ValidationError(
                    self.env._(
                        "The invoice %s is under an open promise to pay or an active "
                        "payment plan: cancel it before making the invoice doubtful.",
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
