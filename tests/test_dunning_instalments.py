# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import DunningCommon, register_payment

INVOICE_DATE = date(2024, 3, 1)
SECOND_DUE = INVOICE_DATE + timedelta(days=60)  # 2024-04-30


@tagged("post_install", "-at_install")
class TestDunningInstalments(DunningCommon):
    """Invoices paid in instalments: each receivable item is dunned on its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term = cls.env["account.payment.term"].create(
            {
                "name": "30% now, 70% at 60 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 30.0, "nb_days": 0}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 70.0, "nb_days": 60}
                    ),
                ],
            }
        )

    def _instalment_invoice(self, partner=None, amount=1000.0):
        invoice = (
            self.env["account.move"]
            .with_company(self.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or self.customer).id,
                    "invoice_date": INVOICE_DATE,
                    "invoice_payment_term_id": self.term.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Works", "price_unit": amount, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice

    def _items(self, invoice):
        return invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).sorted("date_maturity")

    def test_items_of_an_instalment_invoice(self):
        invoice = self._instalment_invoice()
        first, second = self._items(invoice)
        self.assertEqual(
            (first.date_maturity, first.amount_currency), (INVOICE_DATE, 300.0)
        )
        self.assertEqual(
            (second.date_maturity, second.amount_currency), (SECOND_DUE, 700.0)
        )
        # Odoo's due date is the last instalment's: the invoice as a whole is not late.
        self.assertEqual(invoice.invoice_date_due, SECOND_DUE)

    def test_first_instalment_is_reminded_alone(self):
        invoice = self._instalment_invoice()
        first, second = self._items(invoice)
        on_date = INVOICE_DATE + timedelta(days=10)
        run = self._run(on_date)
        # The first instalment is 10 days late: level 1 (7 days); the second is not due.
        self.assertEqual(run.line_ids.move_line_id, first)
        self.assertEqual(run.line_ids.amount_residual, 300.0)
        self.assertEqual(run.line_ids.invoice_date_due, INVOICE_DATE)
        self.assertEqual(
            (first.dunning_level_id, first.dunning_last_date), (self.level_1, on_date)
        )
        self.assertFalse(second.dunning_level_id)
        self.assertEqual(invoice.dunning_level_id, self.level_1)
        self.assertEqual(invoice.dunning_last_date, on_date)
        action = self._sent(run)
        self.assertEqual(len(action), 1)
        self.assertEqual(action.move_line_ids, first)
        self.assertEqual(action.move_ids, invoice)
        lines = action._get_report_lines()
        self.assertEqual(
            [
                (line["name"], line["days_late"], line["residual_value"])
                for line in lines
            ],
            [(f"{invoice.name} (1/2)", 10, 300.0)],
        )
        self.assertIn(f"{invoice.name} (1/2)", action.mail_id.body_html)
        self.assertEqual(action.amount, 300.0)
        # The customer's status and the aged balance agree on what is overdue.
        with freeze_time(on_date):
            customer = self.customer.with_company(self.company)
            customer.invalidate_recordset(["dunning_overdue_amount"])
            self.assertEqual(customer.dunning_overdue_amount, 300.0)
            row = next(
                row
                for row in self.env["account.dunning.aging"].get_aging(
                    on_date, self.company.ids
                )
                if row["key"] == self.customer.id
            )
        self.assertEqual(row["buckets"][0], 700.0, "not yet due")
        self.assertEqual(sum(row["buckets"][1:]), 300.0, "overdue")

    def test_each_instalment_climbs_on_its_own(self):
        invoice = self._instalment_invoice()
        other = self._invoice(self.customer, 200.0, INVOICE_DATE + timedelta(days=55))
        first, second = self._items(invoice)
        self._run(INVOICE_DATE + timedelta(days=10))
        on_date = SECOND_DUE + timedelta(days=8)  # 2024-05-08
        run = self._run(on_date)
        # First: 68 days late, from level 1 to level 2 (one level a run); second: 8 days
        # late, level 1; the other invoice: 13 days late, level 1.
        self.assertEqual(first.dunning_level_id, self.level_2)
        self.assertEqual(second.dunning_level_id, self.level_1)
        self.assertEqual(other.dunning_level_id, self.level_1)
        self.assertEqual(invoice.dunning_level_id, self.level_2, "its highest item")
        action = self._sent(run)
        self.assertEqual(len(action), 1, "one communication per customer")
        self.assertEqual(action.level_id, self.level_2, "at its highest level")
        self.assertEqual(action.move_line_ids, first | second | self._items(other))
        self.assertEqual(
            [line["name"] for line in action._get_report_lines()],
            [f"{invoice.name} (1/2)", other.name, f"{invoice.name} (2/2)"],
        )

    def test_paid_first_instalment_is_not_reminded(self):
        invoice = self._instalment_invoice()
        register_payment(self.env, invoice, 300.0, INVOICE_DATE)
        first, second = self._items(invoice)
        self.assertTrue(first.reconciled)
        run = self._run(INVOICE_DATE + timedelta(days=10), execute=False)
        self.assertFalse(run.line_ids)
        run = self._run(SECOND_DUE + timedelta(days=7))
        self.assertEqual(run.line_ids.move_line_id, second)
        self.assertEqual(second.dunning_level_id, self.level_1)
        self.assertFalse(first.dunning_level_id)

    def test_interest_per_instalment(self):
        # 18 %: above the French floor of 2024 H1 (3 x 5.07 = 15.21 %).
        self.policy.sudo().write(
            {
                "interest_mode": "fixed",
                "interest_fixed_rate": 18.0,
                "interest_floor_multiple": 0.0,
                "interest_basis": "365",
            }
        )
        invoice = self._instalment_invoice()
        # 30 days after the first due date: 300 x 18 % x 30 / 365 = 4.438... -> 4.44;
        # the second instalment is not due yet.
        detail = invoice.dunning_interest_detail(INVOICE_DATE + timedelta(days=30))
        self.assertEqual(
            [(line["base"], line["days"], line["amount"]) for line in detail],
            [(300.0, 30, 4.44)],
        )
        # 30 days after the second: the first for 90 days, 300 x 18 % x 90 / 365 =
        # 13.315... -> 13.32, the second for 30 days, 700 x 18 % x 30 / 365 =
        # 10.356... -> 10.36: 23.68 (on the whole amount from the last due date:
        # 1,000 x 18 % x 30 / 365 = 14.79).
        detail = invoice.dunning_interest_detail(SECOND_DUE + timedelta(days=30))
        self.assertEqual(
            [(line["base"], line["days"], line["amount"]) for line in detail],
            [(300.0, 90, 13.32), (700.0, 30, 10.36)],
        )
        self.assertAlmostEqual(sum(line["amount"] for line in detail), 23.68)
        self.assertFalse(any(line["provisional"] for line in detail))

    def test_interest_stops_on_the_instalment_paid(self):
        self.policy.sudo().write(
            {
                "interest_mode": "fixed",
                "interest_fixed_rate": 18.0,
                "interest_floor_multiple": 0.0,
            }
        )
        invoice = self._instalment_invoice()
        # The first instalment paid 20 days late: 300 x 18 % x 20 / 365 = 2.958...
        # -> 2.96.
        register_payment(self.env, invoice, 300.0, INVOICE_DATE + timedelta(days=20))
        detail = invoice.dunning_interest_detail(INVOICE_DATE + timedelta(days=45))
        self.assertEqual(
            [(line["base"], line["days"], line["amount"]) for line in detail],
            [(300.0, 20, 2.96)],
        )

    def test_item_levels_are_the_engines(self):
        invoice = self._instalment_invoice()
        item = self._items(invoice)[0]
        for user in (self.invoice_user, self.dunning_manager):
            for vals in (
                {"dunning_level_id": self.level_3.id},
                {"dunning_last_date": date(2024, 3, 5)},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaises(AccessError),
                ):
                    item.with_user(user).write(vals)
        self.assertFalse(item.dunning_level_id)
        with self.assertRaises(AccessError):
            self.env["account.move.line"].with_user(self.dunning_manager).with_context(
                default_dunning_level_id=self.level_3.id
            ).create(
                {
                    "move_id": invoice.id,
                    "name": "x",
                    "account_id": item.account_id.id,
                    "balance": 0.0,
                }
            )
