# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon, register_payment

DUE = TODAY - timedelta(days=40)


@tagged("post_install", "-at_install")
class TestDunningQueryCounts(DunningCommon):
    """Set-based hot paths: the same number of queries for 1 and for 20 records.

    Each path runs once on other records first, so that caches (templates, views,
    parameters) are warm for both measures.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.sudo().write(
            {
                "interest_mode": "fixed",
                "interest_fixed_rate": 12.0,
                "interest_floor_multiple": 0.0,
                "block_days_late": 30,
            }
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_dunning.execute_sync_limit", "100"
        )

    def _customers(self, count, tag):
        # The records of an earlier measure are left out of the next one.
        self.env["account.move"].sudo().search(
            [("move_type", "=", "out_invoice"), ("dunning_excluded", "!=", True)]
        ).write({"dunning_excluded": True, "dunning_exclusion_reason": "measured"})
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"{tag} {index}",
                    "is_company": True,
                    "email": f"{tag}.{index}@example.com",
                    "street": "3 rue Neuve",
                    "city": "Nantes",
                }
                for index in range(count)
            ]
        )
        invoices = self.env["account.move"]
        for customer in customers:
            invoices |= self._invoice(customer, 100.0, DUE)
        return customers, invoices

    def _count(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def _assert_flat(self, prepare, measured, margin=0):
        """``measured(records)`` costs as many queries for 1 as for 20 records.

        ``margin``: queries the ORM adds once for a batch of several records (not
        per record: 40 records then cost exactly what 20 cost).
        """
        self._count(lambda: measured(prepare(3, "warm")))
        one = prepare(1, "one")
        count_one = self._count(lambda: measured(one))
        twenty = prepare(20, "twenty")
        self.env.flush_all()
        with self.assertQueryCount(count_one + margin):
            self.env.invalidate_all()
            measured(twenty)
            self.env.flush_all()
        if margin:
            count_twenty = self._count(lambda: measured(prepare(20, "again")))
            forty = prepare(40, "forty")
            with self.assertQueryCount(count_twenty):
                self.env.invalidate_all()
                measured(forty)
                self.env.flush_all()

    def _late_invoices(self, count, tag):
        """``count`` late invoices of one new customer, read by an invoicing user."""
        customer = self._customers(1, tag)[0]
        invoices = self.env["account.move"]
        for _index in range(count):
            invoices |= self._invoice(customer, 100.0, DUE)
        return invoices.with_user(self.invoice_user)

    def _new_run(self):
        return (
            self.env["account.dunning.run"]
            .with_user(self.invoice_user)
            .create({"company_id": self.company.id, "date": TODAY})
        )

    @freeze_time(TODAY)
    def test_compute(self):
        def prepare(count, tag):
            self._customers(count, tag)
            return self._new_run()

        def measured(run):
            run.action_compute()

        self._assert_flat(prepare, measured)

    @freeze_time(TODAY)
    def test_execute(self):
        def prepare(count, tag):
            self._customers(count, tag)
            run = self._new_run()
            run.action_compute()
            return run

        def measured(run):
            run.action_execute()
            self.assertEqual(run.state, "done")

        # Creating the trace and the block history for several customers reads the
        # company of one new record for its currency: two queries a batch.
        self._assert_flat(prepare, measured, margin=2)

    @freeze_time(TODAY)
    def test_penalties_rendered(self):
        def measured(invoices):
            self.assertTrue(all(invoices.mapped("dunning_interest_amount")))

        self._assert_flat(self._late_invoices, measured)

    @freeze_time(TODAY)
    def test_penalties_billed(self):
        def measured(invoices):
            invoices.action_dunning_bill_penalties()

        self._assert_flat(self._late_invoices, measured)

    @freeze_time(TODAY)
    def test_penalties_revised(self):
        def prepare(count, tag):
            invoices = self._late_invoices(count, tag)
            invoices.action_dunning_bill_penalties()
            # Paid afterwards, on different days before the billing.
            for index, invoice in enumerate(invoices):
                register_payment(
                    self.env, invoice, 100.0, DUE + timedelta(days=1 + index % 7)
                )
            return invoices

        def measured(invoices):
            invoices.action_dunning_revise_penalties()
            self.assertTrue(
                all(
                    invoice.sudo().dunning_penalty_ids.filtered(
                        lambda claim: claim.kind == "revision"
                    )
                    for invoice in invoices
                )
            )

        self._assert_flat(prepare, measured)

    @freeze_time(TODAY)
    def test_block_check(self):
        def prepare(count, tag):
            return self._customers(count, tag)[0]

        def measured(customers):
            # 40 days late, past the 30-day rule: every customer is blocked.
            customers._dunning_check_block(self.company)

        self._assert_flat(prepare, measured)

    @freeze_time(TODAY)
    def test_daily_block_check(self):
        def prepare(count, tag):
            customers = self._customers(count, tag)[0]
            customers._dunning_check_block(self.company)
            return customers

        def measured(customers):
            # Nothing changed since: the check reads, it writes nothing.
            customers._dunning_check_block(self.company)

        self._assert_flat(prepare, measured)

    def _disputed_customers(self, count, tag):
        """Customers each with an invoice disputed in part and one promised."""
        customers, invoices = self._customers(count, tag)
        Dispute = self.env["account.dunning.dispute"].with_user(self.invoice_user)
        Dispute.create(
            [
                {"move_id": move.id, "reason": "price", "amount": 30.0}
                for move in invoices
            ]
        )
        promised = self.env["account.move"]
        for customer in customers:
            promised |= self._invoice(customer, 50.0, DUE)
        self.env["account.dunning.promise"].with_user(self.invoice_user).create(
            [
                {
                    "partner_id": move.partner_id.id,
                    "move_ids": [(6, 0, move.ids)],
                    "date": TODAY + timedelta(days=5),
                }
                for move in promised
            ]
        )
        return customers, invoices

    @freeze_time(TODAY)
    def test_compute_and_execute_with_holds(self):
        def prepare(count, tag):
            self._disputed_customers(count, tag)
            run = self._new_run()
            run.action_compute()
            return run

        def measured(run):
            run.action_execute()
            self.assertEqual(run.state, "done")
            # 100.00 due, 30.00 disputed: 70.00 claimed; the promised one left out.
            self.assertEqual(set(self._sent(run).mapped("amount")), {70.0})

        self._assert_flat(prepare, measured, margin=2)

    @freeze_time(TODAY)
    def test_payments_on_held_invoices(self):
        def prepare(count, tag):
            _customers, invoices = self._disputed_customers(count, tag)
            return invoices

        def measured(invoices):
            # sudo: as the reconciliation hook calls it.
            self.env["account.dunning.hold.engine"].sudo()._on_payments(invoices.sudo())

        self._assert_flat(prepare, measured)

    def test_instalment_reminders(self):
        def prepare(count, tag):
            # The plans of an earlier measure are left out of the next one.
            self.env["account.dunning.plan"].sudo().search(
                [("state", "=", "active")]
            ).write({"state": "cancelled"})
            customers, _invoices = self._customers(count, tag)
            Plan = self.env["account.dunning.plan"].with_user(self.invoice_user)
            with freeze_time(TODAY):
                plans = Plan.create([{"partner_id": c.id} for c in customers])
                for plan in plans:
                    plan.action_fill_instalments(2, TODAY + timedelta(days=1))
                plans.action_activate()
            return plans

        def measured(plans):
            day = TODAY + timedelta(days=4)
            with freeze_time(day):
                self.env["account.dunning.hold.engine"].sudo()._daily(self.company, day)
            self.assertTrue(all(plan.line_ids[0].reminder_action_id for plan in plans))

        self._assert_flat(prepare, measured, margin=2)
