# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import (
    TODAY,
    DunningCommon,
    company_user,
    offline_report_assets,
    register_payment,
)

DUE = date(2024, 5, 31)
INVOICE_DATE = date(2024, 5, 1)


@tagged("post_install", "-at_install")
class TestDunningDoubtful(DunningCommon):
    """Invoice 1,200.00 TTC = 1,000.00 HT + 200.00 VAT 20 %, all to the cent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = company_user(
            cls.env, "doubtful_salesman", "sales_team.group_sale_salesman", cls.company
        )
        Account = cls.env["account.account"].with_company(cls.company)
        cls.accounts = {}
        # The CI has no French chart: the accounts by their PCG codes.
        for code, name, account_type in (
            ("416000", "Clients douteux ou litigieux", "asset_receivable"),
            ("681740", "Dotations dépréciations créances", "expense"),
            ("491000", "Dépréciations des comptes clients", "asset_current"),
            ("781740", "Reprises sur dépréciations", "income_other"),
            ("654100", "Pertes créances de l'exercice", "expense"),
            ("654400", "Pertes créances exercices antérieurs", "expense"),
        ):
            cls.accounts[code] = Account.create(
                {
                    "code": code,
                    "name": name,
                    "account_type": account_type,
                    "reconcile": account_type == "asset_receivable",
                    "company_ids": [Command.set(cls.company.ids)],
                }
            )
        cls.vat = cls.company_data["default_tax_sale"].copy(
            {"name": "TVA 20 %", "amount": 20.0}
        )
        cls.receivable = cls.company_data["default_account_receivable"]

    # ------------------------------------------------------------ helpers
    @classmethod
    def _taxed_invoice(
        cls, partner, untaxed=1000.0, due=DUE, invoice_date=INVOICE_DATE, currency=None
    ):
        move = (
            cls.env["account.move"]
            .with_company(cls.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": due,
                    "currency_id": (currency or cls.company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "quantity": 1,
                                "price_unit": untaxed,
                                "tax_ids": [Command.set(cls.vat.ids)],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _lines(self, entry, code):
        account = self.accounts.get(code) or self.receivable
        return entry.line_ids.filtered(lambda line: line.account_id == account)

    def _balance(self, entries, code):
        return round(sum(self._lines(entries, code).mapped("balance")), 2)

    def _assert_balanced(self, entries):
        for entry in entries:
            self.assertEqual(entry.state, "posted")
            self.assertAlmostEqual(sum(entry.line_ids.mapped("balance")), 0.0, 2)

    def _mark(
        self, invoice, rate=50, user=None, reason="Repeated reminders unanswered"
    ):
        with freeze_time(TODAY):
            invoice.with_user(user or self.dunning_manager).action_mark_doubtful(
                rate, reason
            )

    def _pay_as_user(self, invoice, amount):
        with freeze_time(TODAY):
            return register_payment(
                self.env(user=self.invoice_user), invoice, amount, TODAY
            )

    def _open_416(self, invoice):
        return round(
            sum(
                self._lines(invoice.dunning_doubtful_entry_id, "416000").mapped(
                    "amount_residual"
                )
            ),
            2,
        )

    # ------------------------------------------------------------ doubtful
    def test_french_chart_416_current_asset(self):
        """Odoo's French chart makes 416000 a current asset: payments of the other
        invoices go through (nothing checks it then), and the first invoice marked
        doubtful makes it a reconcilable receivable account."""
        account = self.accounts["416000"]
        account.write({"account_type": "asset_current", "reconcile": True})
        other = self._taxed_invoice(self.customer)
        with freeze_time(TODAY):
            register_payment(self.env, other, other.amount_total, TODAY)
        self.assertIn(other.payment_state, ("paid", "in_payment"))
        invoice = self._taxed_invoice(self.customer)
        self._mark(invoice, 50)
        self.assertEqual(account.account_type, "asset_receivable")
        self.assertTrue(account.reconcile)
        transfer = invoice.dunning_doubtful_entry_id
        self.assertEqual(self._balance(transfer, "416000"), 1200.0)
        self.assertEqual(self._lines(transfer, "416000").partner_id, self.customer)

    def test_mark_doubtful_moves_to_416_and_writes_down(self):
        invoice = self._taxed_invoice(self.customer)
        self.assertEqual(invoice.amount_total, 1200.0)
        self._mark(invoice, 50)
        self.assertTrue(invoice.dunning_doubtful)
        transfer = invoice.dunning_doubtful_entry_id
        writedown = invoice.dunning_writedown_entry_id
        self._assert_balanced(transfer | writedown)
        self.assertEqual(transfer.journal_id.type, "general")
        self.assertIn("Repeated reminders unanswered", str(transfer.narration))
        # 416 debit 1,200.00 / 411 credit 1,200.00, reconciled with the invoice
        self.assertEqual(self._balance(transfer, "416000"), 1200.0)
        self.assertEqual(self._balance(transfer, "411"), -1200.0)
        self.assertEqual(self._lines(transfer, "416000").partner_id, self.customer)
        self.assertEqual(self._lines(transfer, "416000").date_maturity, DUE)
        self.assertTrue(self._lines(transfer, "411").reconciled)
        self.assertEqual(invoice.amount_residual, 0.0)
        # write-down: 1,200.00 x 1,000.00 / 1,200.00 = 1,000.00 HT x 50 % = 500.00
        self.assertEqual(invoice.dunning_writedown_amount, 500.0)
        self.assertEqual(self._balance(writedown, "681740"), 500.0)
        self.assertEqual(self._balance(writedown, "491000"), -500.0)
        self.assertEqual(invoice.dunning_doubtful_rate, 50.0)
        self.assertEqual(invoice.dunning_doubtful_amount, 1200.0)
        self.assertEqual(invoice.dunning_doubtful_move_ids, transfer | writedown)
        # traced, and in the invoice's chatter
        action = self.env["account.dunning.action"].search(
            [("channel", "=", "doubtful"), ("move_ids", "in", invoice.ids)]
        )
        self.assertEqual(len(action), 1)
        self.assertEqual(action.amount, 1200.0)
        self.assertIn("made doubtful", invoice.message_ids[0].body)
        # the account found by code became the company's setting
        self.assertEqual(
            self.company.dunning_doubtful_account_id, self.accounts["416000"]
        )

    def test_partial_then_full_payment_brings_back_from_416(self):
        invoice = self._taxed_invoice(self.customer)
        self._mark(invoice, 50)
        payment = self._pay_as_user(invoice, 600.0)
        # the payment sits on 411, matched by the transfer back from 416
        pay_line = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == self.receivable
        )
        self.assertTrue(pay_line.reconciled)
        entries = invoice.dunning_doubtful_move_ids - (
            invoice.dunning_doubtful_entry_id | invoice.dunning_writedown_entry_id
        )
        self.assertEqual(len(entries), 2)
        self._assert_balanced(entries)
        # transfer 600.00: debit 411 / credit 416;
        # reversal 500.00 x 600.00 / 1,200.00 = 250.00
        self.assertEqual(self._balance(entries, "411"), 600.0)
        self.assertEqual(self._balance(entries, "416000"), -600.0)
        self.assertEqual(self._balance(entries, "491000"), 250.0)
        self.assertEqual(self._balance(entries, "781740"), -250.0)
        self.assertEqual(self._open_416(invoice), 600.0)
        self.assertEqual(invoice.dunning_writedown_reversed, 250.0)
        # the rest: 600.00 back, the remainder of the write-down 250.00
        self._pay_as_user(invoice, 600.0)
        self.assertEqual(self._open_416(invoice), 0.0)
        self.assertEqual(invoice.dunning_writedown_reversed, 500.0)
        all_entries = invoice.dunning_doubtful_move_ids
        self._assert_balanced(all_entries)
        self.assertEqual(self._balance(all_entries, "416000"), 0.0)
        self.assertEqual(self._balance(all_entries, "491000"), 0.0)
        self.assertEqual(self._balance(all_entries, "781740"), -500.0)

    def test_rate_by_rpc_applies_to_every_invoice(self):
        first = self._taxed_invoice(self.customer)
        second = self._taxed_invoice(self.customer, 250.0)
        self._mark(first | second, 100)
        # 1,000.00 x 100 % and 250.00 x 100 %; 1,200.00 and 300.00 on 416
        self.assertEqual(first.dunning_writedown_amount, 1000.0)
        self.assertEqual(second.dunning_writedown_amount, 250.0)
        self.assertEqual(self._open_416(second), 300.0)
        self.assertNotEqual(
            first.dunning_doubtful_entry_id, second.dunning_doubtful_entry_id
        )
        # one payment of both: the oldest due first (same due date: by id)
        with freeze_time(TODAY):
            register_payment(
                self.env(user=self.invoice_user), first | second, 1500.0, TODAY
            )
        self.assertEqual(self._open_416(first), 0.0)
        self.assertEqual(self._open_416(second), 0.0)
        self.assertEqual(first.dunning_writedown_reversed, 1000.0)
        self.assertEqual(second.dunning_writedown_reversed, 250.0)

    def test_matched_by_hand_on_416_follows_the_write_down(self):
        invoice = self._taxed_invoice(self.customer)
        self._mark(invoice, 50)
        bank = self.company_data["default_journal_bank"].default_account_id
        with freeze_time(TODAY):
            receipt = self.env["account.move"].create(
                {
                    "move_type": "entry",
                    "journal_id": self.company_data["default_journal_misc"].id,
                    "date": TODAY,
                    "line_ids": [
                        Command.create(
                            {"account_id": bank.id, "balance": 300.0, "name": "Bank"}
                        ),
                        Command.create(
                            {
                                "account_id": self.accounts["416000"].id,
                                "partner_id": self.customer.id,
                                "balance": -300.0,
                                "name": "Dubois",
                            }
                        ),
                    ],
                }
            )
            receipt.action_post()
            (
                self._lines(invoice.dunning_doubtful_entry_id, "416000")
                | self._lines(receipt, "416000")
            ).with_user(self.invoice_user).reconcile()
        # 500.00 x 300.00 / 1,200.00 = 125.00
        self.assertEqual(invoice.dunning_writedown_reversed, 125.0)
        self.assertEqual(self._open_416(invoice), 900.0)
        # the rest registered on the invoice: the remainder, 375.00
        self._pay_as_user(invoice, 900.0)
        self.assertEqual(invoice.dunning_writedown_reversed, 500.0)
        self.assertEqual(
            self._balance(invoice.dunning_doubtful_move_ids, "491000"), 0.0
        )

    def test_invoice_in_another_currency(self):
        # 1 USD = 2 EUR: 1,200.00 EUR = 600.00 USD (500.00 HT + 100.00 VAT)
        eur = self.setup_other_currency("EUR")
        invoice = self._taxed_invoice(self.customer, currency=eur)
        self.assertEqual(invoice.amount_total_signed, 600.0)
        self._mark(invoice, 50)
        items = self._lines(invoice.dunning_doubtful_entry_id, "416000")
        self.assertEqual((items.balance, items.amount_currency), (600.0, 1200.0))
        self.assertEqual(items.currency_id, eur)
        # 600.00 x 500.00 / 600.00 = 500.00 USD HT x 50 % = 250.00 USD
        self.assertEqual(invoice.dunning_writedown_amount, 250.0)
        with freeze_time(TODAY):
            register_payment(self.env(user=self.invoice_user), invoice, 600.0, TODAY)
        # 600.00 EUR = 300.00 USD back; 250.00 x 300.00 / 600.00 = 125.00
        self.assertEqual(round(sum(items.mapped("amount_residual")), 2), 300.0)
        self.assertEqual(invoice.dunning_writedown_reversed, 125.0)
        with freeze_time(TODAY):
            invoice.with_user(self.dunning_manager).action_write_off("Lost")
        refund = invoice.dunning_writeoff_refund_id
        self.assertEqual(refund.currency_id, eur)
        self.assertEqual(refund.amount_total, 600.0)  # EUR
        self.assertEqual(invoice.dunning_writedown_reversed, 250.0)
        self.assertTrue(all(items.mapped("reconciled")))

    def test_foreign_invoice_paid_in_company_currency(self):
        # 1 USD = 2 EUR: 1,200.00 EUR = 600.00 USD; paid in USD, the company currency
        eur = self.setup_other_currency("EUR")
        invoice = self._taxed_invoice(self.customer, currency=eur)
        self._mark(invoice, 50)
        items = self._lines(invoice.dunning_doubtful_entry_id, "416000")
        usd = self.company.currency_id
        for amount in (300.0, 300.0):
            with freeze_time(TODAY):
                self.env["account.payment.register"].with_user(
                    self.invoice_user
                ).with_context(
                    active_model="account.move", active_ids=invoice.ids
                ).create(
                    {"amount": amount, "currency_id": usd.id, "payment_date": TODAY}
                )._create_payments()
            if amount == 300.0 and not items.reconciled:
                # 300.00 USD of 600.00 USD back: 600.00 EUR; 250.00 x 300 / 600 = 125.00
                self.assertEqual(round(sum(items.mapped("amount_residual")), 2), 300.0)
                self.assertEqual(
                    round(sum(items.mapped("amount_residual_currency")), 2), 600.0
                )
                self.assertEqual(invoice.dunning_writedown_reversed, 125.0)
        self.assertTrue(all(items.mapped("reconciled")))
        self.assertEqual(invoice.dunning_writedown_reversed, 250.0)
        self._assert_balanced(invoice.dunning_doubtful_move_ids)

    def test_credit_note_of_a_doubtful_invoice_comes_back_from_416(self):
        invoice = self._taxed_invoice(self.customer)
        self._mark(invoice, 50)
        transfer_411 = self._lines(invoice.dunning_doubtful_entry_id, "411")
        # a credit note of 120.00 TTC (100.00 HT + 20.00 VAT), posted by the user
        with freeze_time(TODAY):
            wizard = (
                self.env["account.move.reversal"]
                .with_user(self.invoice_user)
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"reason": "Discount", "journal_id": invoice.journal_id.id})
            )
            refund = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
            refund = refund.with_user(self.invoice_user)
            refund.invoice_line_ids.price_unit = 100.0
            refund.action_post()
        self.assertFalse(self._open_receivable_lines_of(refund))
        # 120.00 back from 416; write-down reversed 500.00 x 120 / 1,200 = 50.00
        self.assertEqual(self._open_416(invoice), 1080.0)
        self.assertEqual(invoice.dunning_writedown_reversed, 50.0)
        # "Modify" (Odoo's cancel) of the rest: the invoice stays matched with 416
        with freeze_time(TODAY):
            self.env["account.move.reversal"].with_user(self.invoice_user).with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create(
                {"reason": "Wrong customer", "journal_id": invoice.journal_id.id}
            ).modify_moves()
        self.assertTrue(all(transfer_411.mapped("reconciled")))
        self.assertEqual(self._open_416(invoice), 0.0)
        self.assertEqual(invoice.dunning_writedown_reversed, 500.0)
        self._assert_balanced(invoice.dunning_doubtful_move_ids)
        self.assertEqual(
            self._balance(invoice.dunning_doubtful_move_ids, "491000"), 0.0
        )

    def _open_receivable_lines_of(self, move):
        return move.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and not line.reconciled
        )

    def test_one_payment_of_a_doubtful_and_an_ordinary_invoice(self):
        doubtful = self._taxed_invoice(self.customer)
        ordinary = self._taxed_invoice(self.customer, 100.0)
        self._mark(doubtful, 50)
        with freeze_time(TODAY):
            payments = (
                self.env["account.payment.register"]
                .with_user(self.invoice_user)
                .with_context(
                    active_model="account.move", active_ids=(doubtful | ordinary).ids
                )
                .create({"payment_date": TODAY, "group_payment": True})
                ._create_payments()
            )
        # 1,200.00 back from 416 and 120.00 on 411: nothing left open
        self.assertEqual(round(sum(payments.mapped("amount")), 2), 1320.0)
        self.assertEqual(self._open_416(doubtful), 0.0)
        self.assertIn(ordinary.payment_state, ("paid", "in_payment"))
        self.assertEqual(doubtful.dunning_writedown_reversed, 500.0)
        open_411 = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("account_id", "=", self.receivable.id),
                ("reconciled", "=", False),
                ("parent_state", "=", "posted"),
            ]
        )
        self.assertFalse(open_411)

    def test_uneven_payments_last_takes_the_remainder(self):
        invoice = self._taxed_invoice(self.customer)
        self._mark(invoice, 50)
        self._pay_as_user(invoice, 333.33)
        # 500.00 x 333.33 / 1,200.00 = 138.8875 -> 138.89
        self.assertEqual(invoice.dunning_writedown_reversed, 138.89)
        self._pay_as_user(invoice, 866.67)
        # 500.00 - 138.89 = 361.11: the sum is the write-down exactly
        self.assertEqual(invoice.dunning_writedown_reversed, 500.0)
        self.assertEqual(self._open_416(invoice), 0.0)

    def test_write_off_after_partial_payment(self):
        invoice = self._taxed_invoice(self.customer)
        self._mark(invoice, 50)
        self._pay_as_user(invoice, 600.0)
        with freeze_time(TODAY):
            invoice.with_user(self.dunning_manager).action_write_off(
                "Liquidation closed for lack of assets"
            )
        self.assertTrue(invoice.dunning_written_off)
        refund = invoice.dunning_writeoff_refund_id
        # credit note 600.00 TTC = 500.00 on 654100 + 100.00 VAT
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.amount_total, 600.0)
        self.assertEqual(refund.amount_untaxed, 500.0)
        self.assertEqual(refund.amount_tax, 100.0)
        self.assertEqual(self._balance(refund, "654100"), 500.0)
        self.assertEqual(refund.invoice_line_ids.tax_ids, self.vat)
        self.assertIn(refund.payment_state, ("paid", "reversed"))
        entries = invoice.dunning_writeoff_move_ids - refund
        self._assert_balanced(entries | refund)
        # the remaining write-down reversed: 500.00 - 250.00 = 250.00
        self.assertEqual(self._balance(entries, "491000"), 250.0)
        self.assertEqual(self._balance(entries, "781740"), -250.0)
        self.assertEqual(invoice.dunning_writedown_reversed, 500.0)
        self.assertEqual(self._open_416(invoice), 0.0)
        self.assertEqual(invoice.dunning_writeoff_amount, 600.0)
        self.assertEqual(invoice.amount_residual, 0.0)
        # nothing left on 411 for the customer
        open_411 = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("account_id", "=", self.receivable.id),
                ("reconciled", "=", False),
                ("parent_state", "=", "posted"),
            ]
        )
        self.assertFalse(open_411)

    def test_write_off_of_an_odd_remainder(self):
        # 333.33 TTC left: no HT with 20 % VAT comes to it (277.77 -> 333.32,
        # 277.78 -> 333.34); the credit note still settles it to the cent
        invoice = self._taxed_invoice(self.customer)
        self._mark(invoice, 50)
        self._pay_as_user(invoice, 866.67)
        with freeze_time(TODAY):
            invoice.with_user(self.dunning_manager).action_write_off("Lost")
        refund = invoice.dunning_writeoff_refund_id
        self.assertEqual(refund.amount_total, 333.33)
        # VAT on 277.78 = 55.556 -> 55.56; 333.33 - 55.56 = 277.77 to 654100
        self.assertEqual(refund.amount_tax, 55.56)
        self.assertEqual(self._balance(refund, "654100"), 277.77)
        self.assertEqual(self._open_416(invoice), 0.0)
        self.assertEqual(invoice.dunning_writedown_reversed, 500.0)
        self._assert_balanced(invoice.dunning_writeoff_move_ids)

    def test_write_off_of_an_earlier_year_not_doubtful(self):
        invoice = self._taxed_invoice(
            self.customer, 1000.0, date(2023, 6, 30), date(2023, 5, 31)
        )
        with freeze_time(TODAY):
            invoice.with_user(self.dunning_manager).action_write_off("Settlement")
        refund = invoice.dunning_writeoff_refund_id
        # the whole 1,200.00: 1,000.00 to 654400 (2023 invoice), 200.00 VAT
        self.assertEqual(self._balance(refund, "654400"), 1000.0)
        self.assertEqual(refund.amount_tax, 200.0)
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(invoice.payment_state, "reversed")
        # undone: the invoice is due again
        with freeze_time(TODAY):
            invoice.with_user(self.dunning_manager).action_undo_write_off()
        self.assertEqual(invoice.amount_residual, 1200.0)
        self.assertFalse(invoice.dunning_written_off)

    # ------------------------------------------------------------ undo
    def test_undo_doubtful_and_write_off(self):
        invoice = self._taxed_invoice(self.customer)
        self._mark(invoice, 100)
        self.assertEqual(invoice.dunning_writedown_amount, 1000.0)
        with freeze_time(TODAY):
            invoice.with_user(self.dunning_manager).action_write_off("Lost")
        self.assertEqual(invoice.dunning_writeoff_refund_id.amount_total, 1200.0)
        manager_invoice = invoice.with_user(self.dunning_manager)
        with self.assertRaises(ValidationError) as err:
            manager_invoice.action_undo_doubtful()
        self.assertIn("undo the write-off first", str(err.exception))
        with freeze_time(TODAY):
            manager_invoice.action_undo_write_off()
        self.assertFalse(invoice.dunning_written_off)
        self.assertEqual(self._open_416(invoice), 1200.0)
        self.assertEqual(invoice.dunning_writedown_reversed, 0.0)
        with freeze_time(TODAY):
            manager_invoice.action_undo_doubtful()
        self.assertFalse(invoice.dunning_doubtful)
        self.assertEqual(invoice.amount_residual, 1200.0)
        self.assertEqual(invoice.payment_state, "not_paid")
        entries = invoice.dunning_doubtful_move_ids
        self._assert_balanced(entries)
        for code in ("416000", "491000", "681740", "781740", "654100"):
            lines = entries.line_ids.filtered(
                lambda line, c=code: line.account_id == self.accounts[c]
            )
            self.assertAlmostEqual(sum(lines.mapped("balance")), 0.0, 2, code)
        actions = self.env["account.dunning.action"].search(
            [("channel", "=", "doubtful"), ("move_ids", "in", invoice.ids)]
        )
        self.assertEqual(len(actions), 4)
        # marked again later, as any open invoice
        self._mark(invoice, 50)
        self.assertTrue(invoice.dunning_doubtful)

    def test_reset_to_draft_refused_while_doubtful(self):
        # Odoo's reset to draft would unmatch the invoice from its transfer to 416
        invoice = self._taxed_invoice(self.customer)
        self._mark(invoice, 50)
        transfer = invoice.dunning_doubtful_entry_id
        for move in (invoice, transfer, invoice.dunning_writedown_entry_id):
            for user in (self.invoice_user, self.dunning_manager):
                with self.assertRaises(UserError) as err:
                    move.with_user(user).button_draft()
                self.assertIn("undo it from the invoice", str(err.exception))
        with self.assertRaises(UserError):
            invoice.with_user(self.invoice_user).button_cancel()
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(all(self._lines(transfer, "411").mapped("reconciled")))
        self.assertEqual(self._open_416(invoice), 1200.0)

    def test_undo_refused_after_a_payment(self):
        invoice = self._taxed_invoice(self.customer)
        self._mark(invoice, 50)
        self._pay_as_user(invoice, 100.0)
        with self.assertRaises(ValidationError) as err:
            invoice.with_user(self.dunning_manager).action_undo_doubtful()
        self.assertIn("already brought back", str(err.exception))
        self.assertTrue(invoice.dunning_doubtful)

    # ------------------------------------------------------------ bad input
    def test_bad_input_changes_nothing(self):
        invoice = self._taxed_invoice(self.customer)
        manager_invoice = invoice.with_user(self.dunning_manager)
        for rate in (-1, 101, "50"):
            with self.assertRaises(ValidationError) as err:
                manager_invoice.action_mark_doubtful(rate)
            self.assertIn("from 0 to 100", str(err.exception))
        with self.assertRaises(UserError) as err:
            manager_invoice.action_write_off("  ")
        self.assertIn("Say why", str(err.exception))
        self.assertFalse(invoice.dunning_doubtful)
        self.assertEqual(invoice.amount_residual, 1200.0)
        # a paid invoice
        paid = self._taxed_invoice(self.customer)
        self._pay_as_user(paid, 1200.0)
        with self.assertRaises(ValidationError) as err:
            paid.with_user(self.dunning_manager).action_write_off("Lost")
        self.assertIn("nothing left to pay", str(err.exception))
        with self.assertRaises(ValidationError) as err:
            paid.with_user(self.dunning_manager).action_mark_doubtful(50)
        self.assertIn("nothing left to pay", str(err.exception))
        # draft, vendor bill, already doubtful
        draft = self._invoice(self.customer, 100.0, DUE, post=False)
        with self.assertRaises(ValidationError) as err:
            draft.with_user(self.dunning_manager).action_mark_doubtful(50)
        self.assertIn("is not posted", str(err.exception))
        bill = self._invoice(self.customer, 100.0, DUE, move_type="in_invoice")
        with self.assertRaises(ValidationError) as err:
            bill.with_user(self.dunning_manager).action_mark_doubtful(50)
        self.assertIn("Only customer invoices", str(err.exception))
        promised = self._taxed_invoice(self.customer)
        with freeze_time(TODAY):
            self.env["account.dunning.promise"].with_user(self.invoice_user).create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(promised.ids)],
                    "date": date(2024, 7, 15),
                    "source": "phone",
                }
            )
        with self.assertRaises(ValidationError) as err:
            promised.with_user(self.dunning_manager).action_mark_doubtful(50)
        self.assertIn("open promise to pay", str(err.exception))
        self.assertFalse(promised.dunning_doubtful)
        self._mark(invoice, 50)
        with self.assertRaises(ValidationError) as err:
            manager_invoice.action_mark_doubtful(50)
        self.assertIn("already doubtful", str(err.exception))

    def test_disputed_invoice_can_become_doubtful(self):
        # 416 is for "douteux ou litigieux": a disputed invoice may go there too,
        # its dispute staying open.
        invoice = self._taxed_invoice(self.customer)
        with freeze_time(TODAY):
            dispute = (
                self.env["account.dunning.dispute"]
                .with_user(self.invoice_user)
                .create({"move_id": invoice.id, "reason": "quality"})
            )
        self._mark(invoice, 50)
        self.assertTrue(invoice.dunning_doubtful)
        self.assertEqual(dispute.state, "open")

    def test_aged_balance_reads_the_doubtful_invoice(self):
        # the disputed filter reads the invoice, not its transfer to 416
        invoice = self._taxed_invoice(self.customer)
        with freeze_time(TODAY):
            self.env["account.dunning.dispute"].with_user(self.invoice_user).create(
                {"move_id": invoice.id, "reason": "quality"}
            )
        self._mark(invoice, 50)
        aging = self.env["account.dunning.aging"].with_user(self.invoice_user)
        with freeze_time(TODAY):
            [disputed] = aging.get_aging(
                TODAY, self.company.ids, filters={"disputed": True}
            )
            self.assertEqual(disputed["doubtful"], 1200.0)
            self.assertFalse(
                aging.get_aging(TODAY, self.company.ids, filters={"disputed": False})
            )
            line = (
                self.env["account.dunning.aging.line"]
                .with_user(self.invoice_user)
                .with_context(aging_date="2024-07-01")
                .search([("doubtful", "=", True)])
            )
            self.assertEqual(line.move_id, invoice)

    def test_missing_account_is_named(self):
        self.accounts["681740"].code = "681999"
        invoice = self._taxed_invoice(self.customer)
        with self.assertRaises(UserError) as err:
            invoice.with_user(self.dunning_manager).action_mark_doubtful(50)
        self.assertIn("681740", str(err.exception))
        self.assertIn("Write-Down Expense Account", str(err.exception))
        self.assertFalse(invoice.dunning_doubtful)
        self.assertEqual(invoice.amount_residual, 1200.0)

    def test_doubtful_account_must_be_a_reconcilable_receivable(self):
        with self.assertRaises(ValidationError) as err:
            self.company.dunning_doubtful_account_id = self.accounts["491000"]
        self.assertIn("reconcilable receivable account", str(err.exception))

    # ------------------------------------------------------------ access
    def test_access(self):
        invoice = self._taxed_invoice(self.customer)
        for user in (self.invoice_user, self.salesperson):
            with self.assertRaises(AccessError) as err:
                invoice.with_user(user).action_mark_doubtful(50)
            self.assertIn("Only dunning managers", str(err.exception))
            with self.assertRaises(AccessError):
                invoice.with_user(user).action_write_off("Lost")
        company_b = self.setup_other_company(name="Company B")["company"]
        manager_b = company_user(
            self.env,
            "doubtful_manager_b",
            "account.group_account_invoice,account_dunning.group_dunning_manager",
            company_b,
        )
        with self.assertRaises(AccessError):
            invoice.with_user(manager_b).action_mark_doubtful(50)
        # the engine's columns are not written over RPC, even by managers
        with self.assertRaises(AccessError) as err:
            invoice.with_user(self.dunning_manager).write({"dunning_doubtful": True})
        self.assertIn("dunning engine alone", str(err.exception))
        self.assertFalse(invoice.dunning_doubtful)
        self.assertEqual(invoice.amount_residual, 1200.0)

    def test_views_load_for_each_role(self):
        for user in (self.invoice_user, self.dunning_manager, self.salesperson):
            arch = (
                self.env["account.move"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            self.assertEqual(
                "action_open_doubtful_wizard" in arch, user == self.dunning_manager
            )
        Wizard = self.env["account.dunning.doubtful.wizard"].with_user(
            self.dunning_manager
        )
        self.assertIn(
            "rate", Wizard.get_views([(False, "form")])["views"]["form"]["arch"]
        )
        arch = (
            self.env["account.dunning.dashboard"]
            .with_user(self.invoice_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("writeoff_year_amount", arch)

    # ------------------------------------------------------------ wizard
    def test_wizard_rates_by_customer(self):
        invoice = self._taxed_invoice(self.customer)
        bankrupt = self._customer("Faillite SA")
        other = self._taxed_invoice(bankrupt, 500.0)
        self.env["account.dunning.insolvency"].create(
            {
                "partner_id": bankrupt.id,
                "company_id": self.company.id,
                "kind": "liquidation",
                "judgment_date": date(2024, 6, 15),
            }
        )
        Wizard = self.env["account.dunning.doubtful.wizard"].with_user(
            self.dunning_manager
        )
        with freeze_time(TODAY):
            wizard = Wizard.with_context(default_move_ids=(invoice | other).ids).create(
                {"reason": "Liquidation judgment"}
            )
            rates = {line.move_id: line.rate for line in wizard.line_ids}
            self.assertEqual(rates, {invoice: 50.0, other: 100.0})
            wizard.action_confirm()
        # 500.00 HT x 100 % = 500.00
        self.assertEqual(other.dunning_writedown_amount, 500.0)
        self.assertEqual(invoice.dunning_writedown_amount, 500.0)
        self.assertEqual(other.dunning_doubtful_reason, "Liquidation judgment")

    # ------------------------------------------------------------ dunning
    def test_doubtful_invoice_is_not_reminded_but_still_blocks(self):
        self.policy.write({"block_overdue_amount": 1000.0})
        invoice = self._taxed_invoice(self.customer)
        self._mark(invoice, 50)
        # its 411 item is matched: the run leaves it alone
        run = self._run(TODAY)
        self.assertFalse(self._sent(run, self.customer))
        self.assertNotIn(self.customer, run.line_ids.partner_id)
        # its 1,200.00 on 416, overdue since 31 May, is above the 1,000.00 limit
        with freeze_time(TODAY):
            self.env["account.dunning.block.engine"]._check(self.customer, self.company)
        self.assertTrue(self.customer.with_company(self.company).dunning_blocked)

    # ------------------------------------------------------------ reports
    def test_aged_balance_doubtful_column_and_filter(self):
        invoice = self._taxed_invoice(self.customer)
        self._taxed_invoice(self.customer, 100.0)
        self._mark(invoice, 50)
        aging = self.env["account.dunning.aging"].with_user(self.invoice_user)
        with freeze_time(TODAY):
            [row] = aging.get_aging(TODAY, self.company.ids)
            # 120.00 in 1-30 days; 1,200.00 doubtful, in no range
            # due 31 May: 31 days late
            self.assertEqual(row["buckets"], [0.0, 0.0, 120.0, 0.0, 0.0, 0.0])
            self.assertEqual(row["doubtful"], 1200.0)
            self.assertEqual(row["total"], 1320.0)
            [only] = aging.get_aging(
                TODAY, self.company.ids, filters={"doubtful": True}
            )
            self.assertEqual((only["doubtful"], only["total"]), (1200.0, 1200.0))
            [without] = aging.get_aging(
                TODAY, self.company.ids, filters={"doubtful": False}
            )
            self.assertEqual((without["doubtful"], without["total"]), (0.0, 120.0))
            # before it became doubtful, the invoice was in its range
            [before] = aging.get_aging(date(2024, 6, 30), self.company.ids)
            self.assertEqual(before["doubtful"], 0.0)
            self.assertEqual(before["buckets"][1], 1320.0)  # 30 days late
            lines = (
                self.env["account.dunning.aging.line"]
                .with_user(self.invoice_user)
                .with_context(aging_date="2024-07-01")
                .search([("doubtful", "=", True)])
            )
            self.assertEqual(lines.mapped("amount"), [1200.0])
            self.assertEqual(lines.bucket, "d")
            wizard = (
                self.env["account.dunning.aging.wizard"]
                .with_user(self.invoice_user)
                .create(
                    {
                        "date": TODAY,
                        "company_ids": [Command.set(self.company.ids)],
                        "doubtful": "yes",
                    }
                )
            )
            header, table = wizard._aging_table()
            self.assertIn("Doubtful", header)
            self.assertEqual(table[0][header.index("Doubtful")], 1200.0)
            report = self.env["ir.actions.report"]
            html = report._render_qweb_html(
                "account_dunning.action_report_dunning_aging", wizard.ids
            )[0].decode()
            self.assertIn("Doubtful", html)
            self.assertIn("1,200.00", html)
            with offline_report_assets(self.env):
                pdf = report.with_context(force_report_rendering=True)._render_qweb_pdf(
                    "account_dunning.action_report_dunning_aging", wizard.ids
                )[0]
            self.assertTrue(pdf.startswith(b"%PDF"))
            kpis = self.env["account.dunning.kpi"].get_kpis(
                date(2024, 1, 1), TODAY, self.company.ids
            )
            self.assertEqual(kpis[0]["doubtful"], 1200.0)

    def test_dashboard_doubtful_and_written_off_this_year(self):
        invoice = self._taxed_invoice(self.customer)
        other = self._taxed_invoice(self.customer, 500.0)
        self._mark(invoice, 50)
        with freeze_time(TODAY):
            other.with_user(self.dunning_manager).action_write_off("Settlement")
            dashboard = (
                self.env["account.dunning.dashboard"]
                .with_user(self.dunning_manager)
                .create({})
            )
            self.assertEqual(dashboard.doubtful_year_amount, 1200.0)
            # 500.00 HT + 100.00 VAT
            self.assertEqual(dashboard.writeoff_year_amount, 600.0)
            self.assertEqual(dashboard.doubtful_open_count, 1)
