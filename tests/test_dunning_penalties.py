from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import EurCompanyCommon, company_user, make_invoice, register_payment


@tagged("post_install", "-at_install")
class TestDunningPenalties(EurCompanyCommon):
    """Penalties on invoices of a French company in EUR, with the shipped rates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing_user = company_user(
            cls.env, "penalty_billing", "account.group_account_invoice", cls.company
        )
        cls.manager = company_user(
            cls.env,
            "penalty_manager",
            "account.group_account_invoice,account_dunning.group_dunning_manager",
            cls.company,
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Client Tardif", "email": "tardif@example.com", "is_company": True}
        )

    def _invoice(self, amount, due, currency=None, move_type="out_invoice", post=True):
        return make_invoice(
            self.env,
            self.company,
            self.customer,
            amount,
            due,
            currency,
            move_type,
            post,
        )

    def _pay(self, invoice, amount, on_date):
        return register_payment(self.env, invoice, amount, on_date)

    def _bill(self, invoice, on_date):
        with freeze_time(on_date):
            action = invoice.with_user(
                self.billing_user
            ).action_dunning_bill_penalties()
        return (
            self.env["account.move"].browse(action["res_id"])
            if action.get("res_id")
            else (self.env["account.move"].search(action["domain"]))
        )

    def test_interest_and_indemnity_of_an_open_invoice(self):
        invoice = self._invoice(1000.0, date(2024, 2, 1))
        with freeze_time("2024-03-02"):
            invoice.invalidate_recordset()
            # ECB rate in force on 1 January 2024: 4.50 %; + 10 points = 14.50 %.
            # 1,000.00 x 14.50 % x 30 / 365 = 11.9178 -> 11.92
            self.assertEqual(invoice.dunning_interest_amount, 11.92)
            self.assertEqual(invoice.dunning_indemnity_amount, 40.0)
            detail = invoice.dunning_interest_detail()
        self.assertEqual(
            detail,
            [
                {
                    "date_from": date(2024, 2, 2),
                    "date_to": date(2024, 3, 2),
                    "days": 30,
                    "base": 1000.0,
                    "rate": 14.5,
                    "provisional": False,
                    "amount": 11.92,
                }
            ],
        )
        self.assertIn("11.92", invoice.dunning_interest_detail_html)

    def test_not_late_yet(self):
        invoice = self._invoice(1000.0, date(2024, 2, 1))
        with freeze_time("2024-02-01"):
            invoice.invalidate_recordset()
            self.assertEqual(invoice.dunning_interest_amount, 0.0)
            self.assertEqual(invoice.dunning_indemnity_amount, 0.0)

    def test_usd_invoice_for_eur_company(self):
        usd = self.setup_other_currency("USD", rates=[("2000-01-01", 1.25)])
        invoice = self._invoice(1000.0, date(2024, 2, 1), currency=usd)
        with freeze_time("2024-03-02"):
            invoice.invalidate_recordset()
            # In the invoice currency: USD 1,000.00 x 14.50 % x 30 / 365 = 11.92
            self.assertEqual(invoice.dunning_interest_amount, 11.92)
            # The 40 EUR indemnity at 1.25 USD per EUR: 50.00 USD.
            self.assertEqual(invoice.dunning_indemnity_amount, 50.0)
        penalty = self._bill(invoice, "2024-03-02")
        self.assertEqual(penalty.currency_id, usd)
        self.assertEqual(penalty.amount_total, 61.92)

    def test_paid_late_keeps_interest_up_to_payment(self):
        invoice = self._invoice(1000.0, date(2024, 2, 1))
        self._pay(invoice, 1000.0, date(2024, 3, 2))
        self.assertEqual(invoice.payment_state, "paid")
        with freeze_time("2024-06-01"):
            invoice.invalidate_recordset()
            # Counted up to the payment only: 30 days, 11.92.
            self.assertEqual(invoice.dunning_interest_amount, 11.92)
            self.assertEqual(invoice.dunning_indemnity_amount, 40.0)
        penalty = self._bill(invoice, "2024-06-01")
        self.assertEqual(penalty.amount_total, 51.92)

    def test_partial_payments_and_credit_note(self):
        # 18 %: above the French floor of 2024 H1 (3 x 5.07 = 15.21 %).
        self.policy.sudo().write(
            {"interest_mode": "fixed", "interest_fixed_rate": 18.0}
        )
        invoice = self._invoice(1200.0, date(2024, 3, 1))
        self._pay(invoice, 300.0, date(2024, 3, 11))
        refund = self._invoice(
            200.0, date(2024, 3, 21), move_type="out_refund", post=False
        )
        refund.invoice_date = date(2024, 3, 21)
        refund.action_post()
        (invoice | refund).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        self._pay(invoice, 700.0, date(2024, 3, 31))
        with freeze_time("2024-05-01"):
            detail = invoice.dunning_interest_detail()
        # The credit note is a commercial one (not a reversal): it counts from its
        # date, as a payment. 1,200 x 18 % x 10 / 365 = 5.917... -> 5.92;
        # 900 x 18 % x 10 / 365 = 4.438... -> 4.44; 700 x 18 % x 10 / 365 =
        # 3.452... -> 3.45; nothing after the last payment.
        self.assertEqual(refund.dunning_credit_note_kind, "commercial")
        self.assertEqual(
            [(line["base"], line["days"], line["amount"]) for line in detail],
            [(1200.0, 10, 5.92), (900.0, 10, 4.44), (700.0, 10, 3.45)],
        )

    def test_billing_twice_never_claims_the_same_days(self):
        invoice = self._invoice(5000.0, date(2024, 3, 1))
        first = self._bill(invoice, "2024-03-31")
        # 5,000 x 14.50 % x 30 / 365 = 59.5890 -> 59.59, plus the 40.00 indemnity.
        self.assertEqual(first.amount_total, 99.59)
        self.assertFalse(first.invoice_line_ids.tax_ids, "no VAT on penalties")
        second = self._bill(invoice, "2024-04-30")
        # 1-30 April only: 59.59 again, and no second indemnity.
        self.assertEqual(second.amount_total, 59.59)
        claims = invoice.dunning_penalty_ids.sorted("interest_from")
        self.assertEqual(
            [(claim.interest_from, claim.interest_until) for claim in claims],
            [
                (date(2024, 3, 2), date(2024, 3, 31)),
                (date(2024, 4, 1), date(2024, 4, 30)),
            ],
        )
        self.assertEqual(claims.mapped("indemnity"), [True, False])
        # No interest on interest: the penalty invoice, however late, bears none.
        with freeze_time("2024-12-31"):
            first.invalidate_recordset()
            self.assertEqual(first.dunning_interest_amount, 0.0)
            self.assertEqual(first.dunning_indemnity_amount, 0.0)
        with (
            freeze_time("2024-04-30"),
            self.assertRaisesRegex(UserError, "no penalties left"),
        ):
            invoice.with_user(self.billing_user).action_dunning_bill_penalties()

    def test_indemnity_once_whatever_the_reminders(self):
        invoice = self._invoice(1000.0, date(2024, 2, 1))
        for run_date in ("2024-02-08", "2024-02-16", "2024-03-02", "2024-03-17"):
            with freeze_time(run_date):
                run = self.env["account.dunning.run"].create(
                    {"company_id": self.company.id, "date": run_date}
                )
                run.action_compute()
                run.action_execute()
        self.assertGreaterEqual(len(invoice.dunning_action_ids), 3)
        penalty = self._bill(invoice, "2024-03-17")
        indemnity_lines = penalty.invoice_line_ids.filtered(
            lambda line: "indemnity" in line.name
        )
        self.assertEqual(len(indemnity_lines), 1)
        self.assertEqual(indemnity_lines.price_unit, 40.0)

    def test_cancel_and_rebill(self):
        invoice = self._invoice(5000.0, date(2024, 3, 1))
        first = self._bill(invoice, "2024-03-31")
        first.button_draft()
        first.button_cancel()
        # The cancelled claim frees its days and its indemnity.
        again = self._bill(invoice, "2024-03-31")
        self.assertEqual(again.amount_total, 99.59)
        self.assertEqual(
            invoice.dunning_penalty_ids.filtered("in_force").penalty_move_id, again
        )

    def test_waiver(self):
        invoice = self._invoice(1000.0, date(2024, 2, 1))
        with freeze_time("2024-03-02"):
            with self.assertRaises(AccessError):
                invoice.with_user(self.billing_user).action_dunning_waive_penalties(
                    "Nice"
                )
            invoice.with_user(self.manager).action_dunning_waive_penalties(
                "Long-standing customer"
            )
            with self.assertRaisesRegex(UserError, "no penalties left"):
                invoice.with_user(self.billing_user).action_dunning_bill_penalties()
        waiver = invoice.dunning_penalty_ids
        self.assertEqual(waiver.kind, "waiver")
        self.assertEqual(waiver.interest_amount, 11.92)
        self.assertEqual(waiver.reason, "Long-standing customer")
        trace = self.env["account.dunning.action"].search(
            [("partner_id", "=", self.customer.id), ("channel", "=", "waiver")]
        )
        self.assertIn("Long-standing customer", trace.reason)
        # Days after the waiver can still be billed.
        later = self._bill(invoice, "2024-03-12")
        # 1,000 x 14.50 % x 10 / 365 = 3.9726 -> 3.97, the indemnity was waived.
        self.assertEqual(later.amount_total, 3.97)

    def test_level_fees_billed(self):
        self.policy.level_ids.sorted("sequence")[1].sudo().fee_amount = 15.0
        invoice = self._invoice(1000.0, date(2024, 2, 1))
        with freeze_time("2024-02-08"):
            run = self.env["account.dunning.run"].create(
                {"company_id": self.company.id, "date": "2024-02-08"}
            )
            run.action_compute()
            run.action_execute()
        penalty = self._bill(invoice, "2024-03-02")
        self.assertEqual(penalty.amount_total, 11.92 + 40.0 + 15.0)

    def test_bad_input(self):
        policy = self.policy.sudo()
        for values, message in (
            ({"interest_margin": -1}, "cannot be negative"),
            (
                {"interest_mode": "fixed", "interest_fixed_rate": -2},
                "cannot be negative",
            ),
            ({"indemnity_amount": -40}, "cannot be negative"),
            ({"interest_mode": "fixed", "interest_fixed_rate": 0}, "enter it"),
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                policy.write(values)
            policy.invalidate_recordset()
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env["account.dunning.rate"].create(
                {"source": "ecb_mro", "date": "2030-01-01", "rate": -1}
            )
        draft = self._invoice(100.0, date(2024, 2, 1), post=False)
        on_time = self._invoice(100.0, date(2024, 2, 1))
        self._pay(on_time, 100.0, date(2024, 1, 20))
        bill = self._invoice(
            100.0, date(2024, 2, 1), move_type="in_invoice", post=False
        )
        bill.invoice_date = date(2024, 1, 2)
        with freeze_time("2024-03-02"):
            for move, message in (
                (draft, "not posted"),
                (on_time, "not paid late"),
                (bill, "customer invoices only"),
            ):
                with (
                    self.subTest(move=move.move_type),
                    self.assertRaisesRegex(UserError, message),
                ):
                    move.with_user(self.billing_user).action_dunning_bill_penalties()

    def test_partner_bills_all_late_invoices(self):
        self._invoice(1000.0, date(2024, 2, 1))
        self._invoice(5000.0, date(2024, 3, 1))
        with freeze_time("2024-03-31"):
            action = self.customer.with_user(
                self.billing_user
            ).action_dunning_bill_penalties()
        penalty = self.env["account.move"].browse(action["res_id"])
        # 1,000 x 14.50 % x 59 / 365 = 23.4384 -> 23.44; 5,000: 59.59; two indemnities.
        self.assertEqual(penalty.amount_total, 23.44 + 59.59 + 80.0)
        self.assertEqual(len(penalty.invoice_line_ids), 4)

    def _run(self, on_date):
        with freeze_time(on_date):
            run = self.env["account.dunning.run"].create(
                {"company_id": self.company.id, "date": on_date}
            )
            run.action_compute()
            run.action_execute()
        return run

    def test_reminder_shows_penalties_from_formal_notice(self):
        first_level = self.policy.level_ids.sorted("sequence")[1]
        first_level.sudo().show_penalties = True
        self.customer.email = "tardif@example.com"
        self._invoice(1000.0, date(2024, 2, 1))
        run = self._run("2024-03-02")
        body = (
            run.sudo()
            .action_ids.filtered(lambda a: a.channel == "email")
            .mail_id.body_html
        )
        # 1,000.00 x 14.50 % x 30 / 365 = 11.92 accrued on the reminder's date; 40.00.
        self.assertIn("11.92", body)
        self.assertIn("40.00", body)
        self.assertIn("L441-10", body)
        notice = self.policy.level_ids.sorted("sequence")[-1]
        self.assertTrue(notice.show_penalties, "the shipped formal notice shows them")

    def test_penalties_billed_when_a_level_is_executed(self):
        first_level = self.policy.level_ids.sorted("sequence")[1]
        self.policy.sudo().penalty_bill_level_id = first_level
        invoice = self._invoice(1000.0, date(2024, 2, 1))
        self._run("2024-03-02")
        claim = invoice.dunning_penalty_ids
        self.assertEqual(claim.interest_until, date(2024, 3, 2))
        self.assertEqual(claim.penalty_move_id.amount_total, 51.92)
        self.assertEqual(claim.penalty_move_id.state, "posted")
        trace = self.env["account.dunning.action"].search(
            [("partner_id", "=", self.customer.id), ("channel", "=", "penalty")]
        )
        self.assertEqual(trace.penalty_move_id, claim.penalty_move_id)

    def test_minimum_amount_and_income_accounts(self):
        income = self.env["account.account"].create(
            {
                "name": "Late interest income",
                "code": "763100",
                "account_type": "income_other",
                "company_ids": [Command.link(self.company.id)],
            }
        )
        self.policy.sudo().write(
            {"penalty_min_amount": 60.0, "penalty_interest_account_id": income.id}
        )
        invoice = self._invoice(1000.0, date(2024, 2, 1))
        # 11.92 + 40.00 = 51.92 < 60.00: nothing is billed.
        with (
            freeze_time("2024-03-02"),
            self.assertRaisesRegex(UserError, "no penalties left"),
        ):
            invoice.with_user(self.billing_user).action_dunning_bill_penalties()
        self.assertFalse(invoice.dunning_penalty_ids)
        # 59 days later: 1,000 x 14.50 % x 59 / 365 = 23.44; 23.44 + 40.00 = 63.44.
        penalty = self._bill(invoice, "2024-03-31")
        self.assertEqual(penalty.amount_total, 63.44)
        interest_line = penalty.invoice_line_ids.filtered(
            lambda line: "interest" in line.name
        )
        self.assertEqual(interest_line.account_id, income)
        self.assertIn(invoice.name, penalty.invoice_origin)
