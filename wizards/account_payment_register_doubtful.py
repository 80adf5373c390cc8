# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Register Payment on a doubtful invoice.

Its amount due sits on 416: the wizard pays the invoice's open 416 items, the
payment itself lands on the customer's receivable account (411) as any payment, and
the doubtful engine brings the amount back from 416 with an automatic transfer that
it reconciles with the payment, reversing the write-down in proportion.
"""

from odoo import api, models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    @api.model
    def default_get(self, fields_list):
        context = self.env.context
        if "line_ids" in fields_list and context.get("active_model") == "account.move":
            moves = self.env["account.move"].browse(context.get("active_ids", []))
            doubtful = moves.filtered(
                lambda move: move.dunning_doubtful and not move.dunning_written_off
            )
            if doubtful:
                engine = self.env["account.dunning.doubtful.engine"]
                items = self.env["account.move.line"]
                for move in doubtful:
                    items |= engine._doubtful_lines(move).filtered(
                        lambda line: not line.reconciled
                    )
                lines = (moves - doubtful).line_ids | items
                return super(
                    AccountPaymentRegister,
                    self.with_context(
                        active_model="account.move.line", active_ids=lines.ids
                    ),
                ).default_get(fields_list)
        return super().default_get(fields_list)

    def _dunning_doubtful_items(self, lines):
        """The 416 items of doubtful invoices among ``lines``."""
        items = self.env["account.move.line"]
        for company in lines.company_id:
            account = company._dunning_doubtful_account(
                "dunning_doubtful_account_id", raise_if_missing=False
            )
            items |= lines.filtered(
                lambda line, c=company, a=account: line.company_id == c
                and line.account_id == a
            )
        if not items:
            return items
        invoices = self.env["account.move"].search(
            [("dunning_doubtful_entry_id", "in", items.move_id.ids)]
        )
        entries = invoices.dunning_doubtful_entry_id
        return items.filtered(lambda line: line.move_id in entries)

    def _dunning_receivable_account(self, items):
        """The receivable account the doubtful items came from (411)."""
        return items.move_id.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and line.balance < 0
        )[:1].account_id

    def _create_payment_vals_from_wizard(self, batch_result):
        vals = super()._create_payment_vals_from_wizard(batch_result)
        return self._dunning_payment_destination(vals, batch_result["lines"])

    def _create_payment_vals_from_batch(self, batch_result):
        vals = super()._create_payment_vals_from_batch(batch_result)
        return self._dunning_payment_destination(vals, batch_result["lines"])

    def _dunning_payment_destination(self, vals, lines):
        items = self._dunning_doubtful_items(lines)
        if items:
            account = self._dunning_receivable_account(items)
            if account:
                vals["destination_account_id"] = account.id
        return vals

    def _reconcile_payments(self, to_process, edit_mode=False):
        settle = []
        for vals in to_process:
            items = self._dunning_doubtful_items(vals["to_reconcile"])
            if items:
                settle.append((vals["payment"], items))
                vals["to_reconcile"] = vals["to_reconcile"] - items
        result = super()._reconcile_payments(to_process, edit_mode=edit_mode)
        engine = self.env["account.dunning.doubtful.engine"]
        for payment, items in settle:
            payment_lines = payment.move_id.line_ids.filtered(
                lambda line: line.account_type == "asset_receivable"
                and not line.reconciled
            )
            engine._settle_payment(items, payment_lines)
        return result
