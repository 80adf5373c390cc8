# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A doubtful invoice paid: what a payment (or the write-off's credit note) settles
comes back from 416 to 411 by an automatic transfer, and the write-down is reversed
in proportion, the settlement that clears 416 taking the remainder."""

from odoo import Command, api, models


class AccountDunningDoubtfulEngine(models.AbstractModel):
    _inherit = "account.dunning.doubtful.engine"

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
        # in the counterparts' currency when it is the item's, else in company
        # currency (a foreign-currency invoice paid in company currency)
        available = -sum(counterparts.mapped("amount_residual_currency"))
        available_balance = -sum(counterparts.mapped("amount_residual"))
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
            if counterparts.currency_id == item_currency:
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
            else:
                if currency.compare_amounts(available_balance, 0) <= 0:
                    break
                balance = min(item.amount_residual, available_balance)
                if currency.compare_amounts(balance, item.amount_residual):
                    amount_currency = item_currency.round(
                        item.amount_residual_currency * balance / item.amount_residual
                    )
                else:
                    amount_currency = item.amount_residual_currency
            available -= amount_currency
            available_balance -= balance
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
        # linked first: the matching below is the engine's own (see the hook on
        # account.partial.reconcile)
        self._set(move, {"dunning_doubtful_move_ids": [Command.link(transfer.id)]})
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
        reversal, reversal_entry = self._reverse_writedown(move, transferred, ref)
        if trace:
            self._trace(
                move,
                self.env._(
                    "%(amount)s of the doubtful %(invoice)s settled by %(by)s and "
                    "brought back from 416 (%(transfer)s); write-down reversed: "
                    "%(reversal)s.",
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
    def _reverse_writedown(self, move, settled, ref):
        """Reverse the write-down of ``move`` for ``settled`` (company currency) of
        its doubtful amount: write-down x settled / doubtful amount, to the cent; the
        settlement that clears 416 takes the remainder. Returns (amount, entry)."""
        company = move.company_id
        currency = company.currency_id
        accounts = company._dunning_doubtful_accounts()
        partner = move.commercial_partner_id
        left = move.dunning_writedown_amount - move.dunning_writedown_reversed
        still_open = any(not line.reconciled for line in self._doubtful_lines(move))
        if still_open and move.dunning_doubtful_amount:
            reversal = currency.round(
                move.dunning_writedown_amount * settled / move.dunning_doubtful_amount
            )
            reversal = min(reversal, left)
        else:
            reversal = left
        if currency.compare_amounts(reversal, 0) <= 0:
            return 0.0, self.env["account.move"]
        name = self.env._("%(invoice)s: write-down reversed", invoice=move.name)
        entry = self._post_entry(
            company,
            self.env._("Write-down reversed: %(invoice)s", invoice=move.name),
            ref,
            [
                {
                    "name": name,
                    "account_id": accounts["dunning_writedown_allowance_account_id"].id,
                    "partner_id": partner.id,
                    "balance": reversal,
                },
                {
                    "name": name,
                    "account_id": accounts["dunning_writedown_reversal_account_id"].id,
                    "partner_id": partner.id,
                    "balance": -reversal,
                },
            ],
        )
        self._set(
            move,
            {
                "dunning_writedown_reversed": move.dunning_writedown_reversed
                + reversal,
                "dunning_doubtful_move_ids": [Command.link(entry.id)],
            },
        )
        return reversal, entry

    @api.model
    def _on_doubtful_matched(self, partials):
        """416 items matched by hand with something else than the engine's entries
        (a payment on 416, a bank statement line): the write-down follows."""
        # only the items of a doubtful receivables account: no search for the
        # other reconciliations
        items = partials.debit_move_id.filtered(
            lambda line: line.balance > 0
            and line.account_id == line.company_id.dunning_doubtful_account_id
        )
        if not items:
            return
        # sudo: which invoices the 416 items were booked for, whatever the user reads.
        invoices = (
            self.env["account.move"]
            .sudo()
            .search([("dunning_doubtful_entry_id", "in", items.move_id.ids)])
        )
        for invoice in invoices:
            own = invoice.dunning_doubtful_move_ids | invoice.dunning_writeoff_move_ids
            doubtful_items = self._doubtful_lines(invoice)
            settled = 0.0
            by = self.env["account.move"]
            for partial in partials:
                if partial.debit_move_id not in doubtful_items:
                    continue
                counterpart = partial.credit_move_id.move_id
                if counterpart in own or counterpart.reversed_entry_id in own:
                    continue
                settled += partial.amount
                by |= counterpart
            if settled:
                ref = self.env._(
                    "Doubtful %(invoice)s settled by %(by)s",
                    invoice=invoice.name,
                    by=", ".join(by.mapped("name")),
                )
                reversal, _entry = self._reverse_writedown(invoice, settled, ref)
                currency = invoice.company_id.currency_id
                self._trace(
                    invoice,
                    self.env._(
                        "%(amount)s of the doubtful %(invoice)s matched on 416 with "
                        "%(by)s; write-down reversed: %(reversal)s.",
                        amount=currency.format(settled),
                        invoice=invoice.name,
                        by=", ".join(by.mapped("name")),
                        reversal=currency.format(reversal),
                    ),
                    settled,
                )

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
