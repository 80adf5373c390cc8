"""Penalties by debtor type, credit notes, revisions and provisional rates.

Rates used (shipped data): ECB MRO in force on 1 January 2025: 3.15 % (since
2024-12-18), on 1 July 2025: 2.15 % (since 2025-06-11), on 1 January 2024: 4.50 %;
French legal rate ("autres cas"): 2024 H1 5.07 %, 2025 H1 3.71 %.
"""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import EurCompanyCommon, company_user, make_invoice, register_payment


@tagged("post_install", "-at_install")
class TestDunningDebtorPenalties(EurCompanyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing_user = company_user(
            cls.env, "debtor_billing", "account.group_account_invoice", cls.company
        )
        cls.manager = company_user(
            cls.env,
            "debtor_manager",
            "account.group_account_invoice,account_dunning.group_dunning_manager,"
            "base.group_partner_manager",
            cls.company,
        )
        cls.dunning_user = company_user(
            cls.env,
            "debtor_user",
            "account.group_account_invoice,account_dunning.group_dunning_user,"
            "base.group_partner_manager",
            cls.company,
        )
        Partner = cls.env["res.partner"]
        cls.business = Partner.create({"name": "Société Cliente", "is_company": True})
        cls.consumer = Partner.create({"name": "Jeanne Martin"})
        cls.public_body = Partner.create(
            {
                "name": "Mairie de Lyon",
                "is_company": True,
                "category_id": [
                    Command.link(
                        cls.env.ref("account_dunning.partner_category_public_body").id
                    )
                ],
            }
        )
        cls.notice_level = cls.policy.level_ids.filtered(
            lambda level: level.level_type == "formal_notice"
        )

    def _invoice(self, partner, amount, due, **kwargs):
        return make_invoice(self.env, self.company, partner, amount, due, **kwargs)

    def _penalties(self, invoice, on_date):
        """(interest, indemnity) of the invoice on that date."""
        with freeze_time(on_date):
            invoice.invalidate_recordset()
            return invoice.dunning_interest_amount, invoice.dunning_indemnity_amount

    def _notice(self, partner, invoices, on_date):
        return (
            self.env["account.dunning.action"]
            .sudo()
            .create(
                {
                    "company_id": self.company.id,
                    "partner_id": partner.id,
                    "level_id": self.notice_level.id,
                    "channel": "letter",
                    "state": "sent",
                    "date": on_date,
                    "move_ids": [Command.set(invoices.ids)],
                }
            )
        )

    def _bill(self, invoice, on_date, user=None):
        with freeze_time(on_date):
            action = invoice.with_user(
                user or self.billing_user
            ).action_dunning_bill_penalties()
        return self.env["account.move"].browse(action["res_id"])

    # ------------------------------------------------------------ debtor types

    def test_debtor_type_computed_and_set_by_managers(self):
        self.assertEqual(self.business.dunning_debtor_type, "business")
        self.assertEqual(self.consumer.dunning_debtor_type, "consumer")
        self.assertEqual(self.public_body.dunning_debtor_type, "public_body")
        # A sole trader: an individual with a VAT number or a company registry.
        trader = self.env["res.partner"].create({"name": "Paul Artisan"})
        self.assertEqual(trader.dunning_debtor_type, "consumer")
        trader.company_registry = "12345678900011"
        self.assertEqual(trader.dunning_debtor_type, "business")
        # A contact is its customer's type.
        contact = self.env["res.partner"].create(
            {"name": "Accueil", "parent_id": self.public_body.id, "type": "invoice"}
        )
        self.assertEqual(contact.dunning_debtor_type, "public_body")
        # Dunning managers set it; it sticks when the customer changes.
        self.business.with_user(self.manager).dunning_debtor_type = "public_body"
        self.business.vat = "FR23334175221"
        self.assertEqual(self.business.dunning_debtor_type, "public_body")
        # Nobody else may, by any path.
        for vals in (
            {"dunning_debtor_type": "consumer"},
            {"dunning_debtor_type_set": "consumer"},
            {"dunning_insolvency_date": "2025-01-01"},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(AccessError, "debtor type"),
            ):
                self.business.with_user(self.dunning_user).write(vals)
        with self.assertRaisesRegex(AccessError, "debtor type"):
            self.env["res.partner"].with_user(self.dunning_user).create(
                {"name": "X", "dunning_debtor_type": "consumer"}
            )
        self.assertEqual(self.business.dunning_debtor_type, "public_body")
        # Nor from the tag's side.
        tag = self.env.ref("account_dunning.partner_category_public_body")
        with self.assertRaisesRegex(AccessError, "public bodies"):
            tag.with_user(self.dunning_user).write(
                {"partner_ids": [Command.link(trader.id)]}
            )
        self.assertEqual(trader.dunning_debtor_type, "business")

    # -------------------------------------------------------- the three types

    def test_business(self):
        invoice = self._invoice(self.business, 10000.0, date(2025, 6, 20))
        register_payment(self.env, invoice, 10000.0, date(2025, 7, 10))
        # Each half-year at its own rate, from the day after the due date:
        # 21-30 June: 10,000 x (3.15 + 10) % x 10 / 365 = 36.027 -> 36.03;
        # 1-10 July: 10,000 x (2.15 + 10) % x 10 / 365 = 33.287 -> 33.29; 69.32.
        detail = invoice.dunning_interest_detail(date(2025, 7, 31))
        self.assertEqual(
            [(line["days"], line["rate"], line["amount"]) for line in detail],
            [(10, 13.15, 36.03), (10, 12.15, 33.29)],
        )
        self.assertEqual(self._penalties(invoice, "2025-07-31"), (69.32, 40.0))

    def test_public_body(self):
        invoice = self._invoice(self.public_body, 10000.0, date(2025, 6, 20))
        register_payment(self.env, invoice, 10000.0, date(2025, 7, 10))
        # The ECB rate in force on the first day of the half-year in which the
        # interest started (1 January 2025: 3.15 %) + 8 points, for the whole
        # delay: 10,000 x 11.15 % x 20 / 365 = 61.095 -> 61.10; and 40.00.
        detail = invoice.dunning_interest_detail(date(2025, 7, 31))
        self.assertEqual(
            [(line["days"], line["rate"], line["amount"]) for line in detail],
            [(20, 11.15, 61.10)],
        )
        self.assertEqual(self._penalties(invoice, "2025-07-31"), (61.10, 40.0))

    def test_consumer_without_and_with_notice(self):
        self.policy.interest_consumer = True
        invoice = self._invoice(self.consumer, 1200.0, date(2025, 5, 15))
        register_payment(self.env, invoice, 1200.0, date(2025, 6, 14))
        # No formal notice: no interest, and never the indemnity.
        self.assertEqual(self._penalties(invoice, "2025-06-30"), (0.0, 0.0))
        # A formal notice on 30 May: the legal rate (2025 H1: 3.71 %) from the
        # notice, not from the due date: 1,200 x 3.71 % x 15 / 365 = 1.829 -> 1.83.
        self._notice(self.consumer, invoice, date(2025, 5, 30))
        detail = invoice.dunning_interest_detail(date(2025, 6, 30))
        self.assertEqual(
            [(line["date_from"], line["days"], line["rate"]) for line in detail],
            [(date(2025, 5, 31), 15, 3.71)],
        )
        self.assertEqual(self._penalties(invoice, "2025-06-30"), (1.83, 0.0))
        # A notice sent before the due date puts nobody on notice.
        early = self._invoice(self.consumer, 1200.0, date(2025, 5, 15))
        self._notice(self.consumer, early, date(2025, 5, 10))
        self.assertEqual(self._penalties(early, "2025-06-30"), (0.0, 0.0))
        # A policy that does not claim interest from consumers claims none.
        self.policy.interest_consumer = False
        self.assertEqual(self._penalties(invoice, "2025-06-30"), (0.0, 0.0))

    def test_consumer_owes_no_fee_nor_indemnity(self):
        self.policy.interest_consumer = True
        level = self.policy.level_ids.sorted("sequence")[1]
        level.fee_amount = 15.0
        consumer_invoice = self._invoice(self.consumer, 1000.0, date(2025, 3, 1))
        business_invoice = self._invoice(self.business, 1000.0, date(2025, 3, 1))
        for invoice in consumer_invoice | business_invoice:
            self.env["account.dunning.action"].sudo().create(
                {
                    "company_id": self.company.id,
                    "partner_id": invoice.partner_id.id,
                    "level_id": level.id,
                    "channel": "email",
                    "state": "sent",
                    "date": date(2025, 3, 10),
                    "move_ids": [Command.set(invoice.ids)],
                    "advanced_move_ids": [Command.set(invoice.ids)],
                }
            )
        unbilled = self.env["account.dunning.penalty.engine"]._unbilled(
            consumer_invoice | business_invoice, date(2025, 3, 31)
        )
        self.assertEqual(unbilled[business_invoice]["fee"], 15.0)
        self.assertEqual(unbilled[business_invoice]["indemnity"], 40.0)
        self.assertEqual(unbilled[consumer_invoice]["fee"], 0.0)
        self.assertEqual(unbilled[consumer_invoice]["indemnity"], 0.0)
        self.assertEqual(unbilled[consumer_invoice]["lines"], [])

    # ------------------------------------------------------------ credit notes

    def test_correcting_credit_note_cancels_everything(self):
        invoice = self._invoice(self.business, 1000.0, date(2025, 3, 1))
        # Reversed in full on 20 March, after its due date: nothing was ever owed.
        refund = invoice._reverse_moves(
            [{"invoice_date": date(2025, 3, 20), "date": date(2025, 3, 20)}],
            cancel=True,
        )
        self.assertEqual(refund.dunning_credit_note_kind, "correction")
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(self._penalties(invoice, "2025-04-30"), (0.0, 0.0))
        self.assertEqual(invoice.dunning_interest_detail(date(2025, 4, 30)), [])

    def test_commercial_credit_note_counts_from_its_date(self):
        invoice = self._invoice(self.business, 1000.0, date(2025, 3, 1))
        refund = self._invoice(
            self.business,
            400.0,
            date(2025, 3, 11),
            move_type="out_refund",
            invoice_date=date(2025, 3, 11),
        )
        (invoice | refund).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(refund.dunning_credit_note_kind, "commercial")
        # 2-11 March: 1,000 x 13.15 % x 10 / 365 = 3.602 -> 3.60; 12-31 March:
        # 600 x 13.15 % x 20 / 365 = 4.323 -> 4.32; 7.92.
        self.assertEqual(self._penalties(invoice, "2025-03-31"), (7.92, 40.0))
        # Marked as a correction: the 400 was never owed, 600 from the due date:
        # 600 x 13.15 % x 30 / 365 = 6.484 -> 6.48.
        refund.dunning_credit_note_kind = "correction"
        self.assertEqual(self._penalties(invoice, "2025-03-31"), (6.48, 40.0))

    def test_instalment_invoice(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "Half now, half at 30 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 0}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 30}
                    ),
                ],
            }
        )
        invoice = (
            self.env["account.move"]
            .with_company(self.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.business.id,
                    "invoice_date": date(2025, 3, 2),
                    "invoice_payment_term_id": term.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Works", "price_unit": 10000.0, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        # 5,000 due 2 March: 5,000 x 13.15 % x 59 / 365 = 106.280 -> 106.28;
        # 5,000 due 1 April: 5,000 x 13.15 % x 29 / 365 = 52.239 -> 52.24; 158.52.
        detail = invoice.dunning_interest_detail(date(2025, 4, 30))
        self.assertEqual(
            [(line["base"], line["days"], line["amount"]) for line in detail],
            [(5000.0, 59, 106.28), (5000.0, 29, 52.24)],
        )
        self.assertEqual(self._penalties(invoice, "2025-04-30"), (158.52, 40.0))

    # ---------------------------------------------------------------- revision

    def test_backdated_payment_revises_billed_interest(self):
        invoice = self._invoice(self.business, 10000.0, date(2025, 3, 2))
        # Billed on 30 April: 10,000 x 13.15 % x 59 / 365 = 212.561 -> 212.56, + 40.
        penalty = self._bill(invoice, "2025-04-30")
        self.assertEqual(penalty.amount_total, 252.56)
        # A payment registered later, dated 30 March: only 28 days were due,
        # 10,000 x 13.15 % x 28 / 365 = 100.876 -> 100.88; 111.68 billed too much.
        register_payment(self.env, invoice, 10000.0, date(2025, 3, 30))
        with freeze_time("2025-05-05"):
            action = invoice.with_user(
                self.billing_user
            ).action_dunning_revise_penalties()
        refund = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.amount_total, 111.68)
        self.assertIn(penalty.name, refund.invoice_origin)
        claim = invoice.dunning_penalty_ids.filtered(lambda c: c.kind == "bill")
        revision = claim.revision_ids
        self.assertEqual(revision.kind, "revision")
        self.assertEqual(revision.penalty_move_id, refund)
        self.assertEqual(
            (revision.interest_from, revision.interest_until),
            (date(2025, 3, 3), date(2025, 4, 30)),
        )
        self.assertEqual(revision.interest_amount, -111.68)
        self.assertIn("28 days", revision.detail)
        # The indemnity stays: the invoice was paid late. The credit note settles
        # part of the penalty invoice: 252.56 - 111.68 = 140.88 left.
        self.assertEqual(revision.indemnity_amount, 0.0)
        self.assertEqual(penalty.amount_residual, 140.88)
        # Revising again finds nothing; billing again neither.
        with freeze_time("2025-05-06"):
            again = invoice.with_user(
                self.billing_user
            ).action_dunning_revise_penalties()
        self.assertEqual(again["tag"], "display_notification")
        # Only invoicing users may revise.
        reader = company_user(
            self.env,
            "debtor_reader",
            "account_dunning.group_dunning_user",
            self.company,
        )
        with self.assertRaises(AccessError):
            invoice.with_user(reader).action_dunning_revise_penalties()

    def test_later_changes_revise_nothing_billed(self):
        """Only payments registered after billing revise it: not a change of the
        policy, of the debtor's data, nor an invoicing user's edits."""
        invoice = self._invoice(self.business, 10000.0, date(2025, 3, 2))
        self._bill(invoice, "2025-04-30")
        self.policy.interest_margin = 5.0
        with freeze_time("2025-05-05"):
            action = invoice.with_user(
                self.billing_user
            ).action_dunning_revise_penalties()
        self.assertEqual(action["tag"], "display_notification")
        # An invoicing user changing what the type is computed from keeps the type.
        self.business.with_user(self.dunning_user).write(
            {"is_company": False, "vat": False}
        )
        self.assertEqual(self.business.dunning_debtor_type, "business")
        self.business.with_user(self.manager).write({"dunning_debtor_type": "consumer"})
        self.assertEqual(self.business.dunning_debtor_type, "consumer")
        # The nature of a credit note is the managers' call.
        refund = self._invoice(
            self.business,
            100.0,
            date(2025, 4, 10),
            move_type="out_refund",
            invoice_date=date(2025, 4, 10),
        )
        with self.assertRaisesRegex(AccessError, "nature of a credit note"):
            refund.with_user(self.billing_user).dunning_credit_note_kind = "correction"
        refund.with_user(self.manager).dunning_credit_note_kind = "correction"

    def test_reversed_penalty_invoice_frees_its_days(self):
        invoice = self._invoice(self.business, 1000.0, date(2025, 3, 1))
        penalty = self._bill(invoice, "2025-03-31")
        claim = invoice.dunning_penalty_ids
        self.assertTrue(claim.in_force)
        # Reversed by Odoo's own credit note: the claim no longer stands.
        penalty._reverse_moves(
            [{"invoice_date": date(2025, 4, 2), "date": date(2025, 4, 2)}],
            cancel=True,
        )
        claim.invalidate_recordset()
        self.assertFalse(claim.in_force)
        # The same days can be billed again (a second invoice for the 50.81).
        again = self._bill(invoice, "2025-03-31")
        self.assertEqual(again.amount_total, 50.81)

    def test_next_billing_revises_first(self):
        invoice = self._invoice(self.business, 10000.0, date(2025, 3, 2))
        self._bill(invoice, "2025-04-30")
        register_payment(self.env, invoice, 4000.0, date(2025, 3, 30))
        # Billing on 31 May first revises the claim of 3 March - 30 April (212.56
        # billed): 3-30 March, 10,000 x 13.15 % x 28 / 365 = 100.876 -> 100.88;
        # 31 March - 30 April, 6,000 x 13.15 % x 31 / 365 = 67.010 -> 67.01; due
        # 167.89, so 44.67 credited. Then it bills May on 6,000: 67.01.
        with freeze_time("2025-05-31"):
            invoice.with_user(self.billing_user).action_dunning_bill_penalties()
        claims = invoice.dunning_penalty_ids
        revision = claims.filtered(lambda c: c.kind == "revision")
        self.assertEqual(revision.interest_amount, -44.67)
        self.assertEqual(revision.penalty_move_id.amount_total, 44.67)
        may = claims.filtered(
            lambda c: c.kind == "bill" and c.interest_from == date(2025, 5, 1)
        )
        self.assertEqual(may.interest_amount, 67.01)

    def test_cancelled_after_billing_revises_the_indemnity(self):
        invoice = self._invoice(self.business, 1000.0, date(2025, 3, 1))
        penalty = self._bill(invoice, "2025-03-31")
        # 1,000 x 13.15 % x 30 / 365 = 10.808 -> 10.81, + 40.00.
        self.assertEqual(penalty.amount_total, 50.81)
        invoice._reverse_moves(
            [{"invoice_date": date(2025, 4, 5), "date": date(2025, 4, 5)}],
            cancel=True,
        )
        with freeze_time("2025-04-06"):
            action = invoice.with_user(
                self.billing_user
            ).action_dunning_revise_penalties()
        refund = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(refund.amount_total, 50.81)
        self.assertIn(penalty.payment_state, ("reversed", "paid"))
        self.assertFalse(penalty.amount_residual)

    def test_justified_recovery_costs(self):
        invoice = self._invoice(self.business, 1000.0, date(2025, 3, 1))
        wizard = (
            self.env["account.dunning.recovery.cost.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "move_id": invoice.id,
                    "amount": 180.0,
                    "reason": "Commissaire de justice, note 2025-118",
                }
            )
        )
        # Costs of 180.00: only what exceeds the 40.00 indemnity is claimed
        # (L441-10 II): 140.00.
        with freeze_time("2025-04-15"):
            action = wizard.action_apply()
        penalty = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(penalty.amount_total, 140.0)
        self.assertIn("note 2025-118", penalty.invoice_line_ids.name)
        claim = invoice.dunning_penalty_ids
        self.assertEqual(
            (claim.recovery_cost_amount, claim.reason),
            (140.0, "Commissaire de justice, note 2025-118"),
        )
        # Interest and indemnity are still billed apart, later.
        with freeze_time("2025-04-15"):
            invoice.invalidate_recordset()
            self.assertEqual(invoice.dunning_indemnity_amount, 40.0)
        # Refused: not a manager; no reason; a zero amount; a consumer.
        with freeze_time("2025-04-15"):
            with self.assertRaises(AccessError):
                invoice.with_user(self.dunning_user).action_dunning_bill_recovery_costs(
                    50.0, "Huissier"
                )
            # 30.00 of costs are covered by the 40.00 indemnity.
            for amount, reason in (
                (50.0, "  "),
                (0.0, "Huissier"),
                (-5.0, "X"),
                (30.0, "Courrier"),
            ):
                with self.subTest(amount=amount), self.assertRaises(UserError):
                    invoice.with_user(self.manager).action_dunning_bill_recovery_costs(
                        amount, reason
                    )
            consumer_invoice = self._invoice(self.consumer, 500.0, date(2025, 3, 1))
            with self.assertRaisesRegex(UserError, "L111-8"):
                consumer_invoice.with_user(
                    self.manager
                ).action_dunning_bill_recovery_costs(50.0, "Huissier")
        self.assertEqual(len(invoice.dunning_penalty_ids), 1)

    def test_indemnity_is_the_laws(self):
        for amount in (50.0, 39.99):
            with (
                self.subTest(amount=amount),
                self.assertRaisesRegex(ValidationError, "40.00 EUR"),
            ):
                self.policy.indemnity_amount = amount
        self.policy.indemnity_amount = 0.0
        self.policy.indemnity_amount = 40.0
        # Outside the EU the company sets what its law allows.
        self.company.account_fiscal_country_id = self.env.ref("base.us")
        self.policy.indemnity_amount = 25.0
        self.assertEqual(self.policy.indemnity_amount, 25.0)

    # ------------------------------------------------------------ rates, floor

    def test_fixed_rate_raised_to_the_legal_floor(self):
        self.policy.write({"interest_mode": "fixed", "interest_fixed_rate": 12.0})
        invoice = self._invoice(self.business, 1000.0, date(2024, 1, 10))
        register_payment(self.env, invoice, 1000.0, date(2024, 2, 9))
        # 12 % is below 3 x the legal rate of 2024 H1 (3 x 5.07 = 15.21 %):
        # 1,000 x 15.21 % x 30 / 365 = 12.501 -> 12.50.
        detail = invoice.dunning_interest_detail(date(2024, 3, 1))
        self.assertEqual(
            [(line["days"], line["rate"], line["amount"]) for line in detail],
            [(30, 15.21, 12.50)],
        )
        # The policy form says so, with the minimum of the current half-year.
        with freeze_time("2024-03-01"):
            self.policy.invalidate_recordset()
            warning = self.policy.interest_floor_warning
        self.assertIn("15.21", warning)
        self.assertIn("2024 H1", warning)
        self.policy.interest_fixed_rate = 16.0
        with freeze_time("2024-03-01"):
            self.policy.invalidate_recordset()
            self.assertFalse(self.policy.interest_floor_warning)

    def test_provisional_half_year_is_not_billed(self):
        # The shipped ECB series is known until 30 April 2026: the rate of
        # 2026 H2 (read on 1 July) is not known; the last known one is used.
        invoice = self._invoice(self.business, 10000.0, date(2026, 6, 20))
        detail = invoice.dunning_interest_detail(date(2026, 7, 20))
        # 21-30 June: 10,000 x 12.15 % x 10 / 365 = 33.287 -> 33.29 (known);
        # 1-20 July: 10,000 x 12.15 % x 20 / 365 = 66.575 -> 66.58 (provisional).
        self.assertEqual(
            [(line["days"], line["amount"], line["provisional"]) for line in detail],
            [(10, 33.29, False), (20, 66.58, True)],
        )
        with freeze_time("2026-07-20"):
            invoice.invalidate_recordset()
            self.assertTrue(invoice.dunning_penalty_provisional)
            self.assertIn("provisional", invoice.dunning_interest_detail_html)
        # A reminder showing the penalties says so too.
        notice = self._notice(self.business, invoice, date(2026, 7, 20))
        notice.move_line_ids = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        (line,) = notice._get_report_lines()
        # 33.29 + 66.58 = 99.87, of which the July days are provisional.
        self.assertIn("99.87", line["interest"])
        self.assertTrue(line["interest"].endswith(" (provisional)"))
        # Billing takes the known days only, then refuses the provisional ones.
        penalty = self._bill(invoice, "2026-07-20")
        self.assertEqual(penalty.amount_total, 73.29)
        with (
            freeze_time("2026-07-20"),
            self.assertRaisesRegex(UserError, "provisional.*2026 H2"),
        ):
            invoice.with_user(self.billing_user).action_dunning_bill_penalties()
        # Once the half-year is known, its days are billed.
        self.env.ref("account_dunning.rate_series_ecb_mro").with_user(
            self.manager
        ).known_until = date(2026, 7, 15)
        penalty = self._bill(invoice, "2026-07-20")
        self.assertEqual(penalty.amount_total, 66.58)

    # -------------------------------------------------------------- insolvency

    def test_insolvency_stops_interest_and_indemnity(self):
        before = self._invoice(self.business, 10000.0, date(2025, 3, 2))
        # Invoiced 23 February, due 25 March.
        after = self._invoice(self.business, 1000.0, date(2025, 3, 25))
        # Invoiced after the judgment: a claim arising after the opening, paid at
        # its due date (L622-17), with its penalties in full.
        later = self._invoice(
            self.business, 1000.0, date(2025, 4, 15), invoice_date=date(2025, 4, 1)
        )
        self.business.with_user(self.manager).dunning_insolvency_date = date(
            2025, 3, 22
        )
        # No interest after the opening judgment (L622-28): 3-22 March, 20 days,
        # 10,000 x 13.15 % x 20 / 365 = 72.054 -> 72.05; the indemnity stays.
        self.assertEqual(self._penalties(before, "2025-04-30"), (72.05, 40.0))
        # Arisen before, due after the judgment: payment forbidden, no indemnity,
        # no interest.
        self.assertEqual(self._penalties(after, "2025-04-30"), (0.0, 0.0))
        # 1,000 x 13.15 % x 15 / 365 = 5.404 -> 5.40, and 40.00.
        self.assertEqual(self._penalties(later, "2025-04-30"), (5.40, 40.0))
        with (
            freeze_time("2025-04-30"),
            self.assertRaisesRegex(UserError, "insolvency"),
        ):
            before.with_user(self.manager).action_dunning_bill_recovery_costs(
                500.0, "Avocat"
            )

    # --------------------------------------------------------------- accounts

    def test_income_accounts_of_the_french_chart(self):
        accounts = {
            code: self.env["account.account"].create(
                {
                    "name": name,
                    "code": code,
                    "account_type": "income_other",
                    "company_ids": [Command.link(self.company.id)],
                }
            )
            for code, name in (
                ("763100", "Revenus des créances commerciales"),
                ("758100", "Pénalités sur ventes"),
            )
        }
        invoice = self._invoice(self.business, 1000.0, date(2025, 3, 1))
        penalty = self._bill(invoice, "2025-03-31")
        by_label = {
            "interest": penalty.invoice_line_ids.filtered(
                lambda line: line.name.startswith("Late interest")
            ),
            "indemnity": penalty.invoice_line_ids.filtered(
                lambda line: line.name.startswith("Fixed indemnity")
            ),
        }
        self.assertEqual(by_label["interest"].account_id, accounts["763100"])
        self.assertEqual(by_label["indemnity"].account_id, accounts["758100"])
        self.assertFalse(
            penalty.invoice_line_ids.account_id.filtered(
                lambda account: account.code.startswith("70")
            )
        )
