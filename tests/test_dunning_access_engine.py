"""The engine's state, the trace and the penalty billing hold for users who must not
pass them (issue "Close the access holes")."""

from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon, company_user

DUE = TODAY - timedelta(days=10)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningAccessEngine(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = company_user(
            cls.env,
            "engine_salesman",
            "sales_team.group_sale_salesman_all_leads",
            cls.company,
        )
        # Runs the dunning, may not create invoices.
        cls.dunning_user = company_user(
            cls.env,
            "engine_dunning_only",
            "account_dunning.group_dunning_user",
            cls.company,
        )
        cls.Action = cls.env["account.dunning.action"]

    def _late_invoice(self, amount=1000.0, days=60):
        return self._invoice(self.customer, amount, TODAY - timedelta(days=days))

    def _penalty_invoices(self):
        return self.env["account.dunning.penalty"].search([]).penalty_move_id

    # ------------------------------------------------------- review bypass

    def test_review_cannot_be_skipped_by_context(self):
        self.level_1.sudo().manual_review = True
        invoice = self._invoice(self.customer, 100.0, DUE)
        with freeze_time(TODAY):
            run = (
                self.env["account.dunning.run"]
                .with_user(self.invoice_user)
                .create({"company_id": self.company.id, "date": TODAY})
            )
            run.action_compute()
            run.with_context(dunning_reviewed=True).action_execute()
        action = run.sudo().action_ids
        self.assertEqual(action.state, "to_review")
        self.assertFalse(action.mail_id)
        self.assertFalse(action.reviewed_by_id)
        self.assertFalse(invoice.dunning_level_id)

    def test_review_completes_the_waiting_trace_line(self):
        self.level_1.sudo().manual_review = True
        invoice = self._invoice(self.customer, 100.0, DUE)
        run = self._run(TODAY)
        waiting = run.sudo().action_ids
        waiting.with_user(self.invoice_user).action_send_reviewed()
        self.assertEqual(run.sudo().action_ids, waiting, "the same line, not deleted")
        self.assertEqual(waiting.state, "sent")
        self.assertEqual(waiting.reviewed_by_id, self.invoice_user)
        self.assertTrue(waiting.mail_id)
        self.assertEqual(invoice.dunning_level_id, self.level_1)
        for method in ("action_send_reviewed", "action_reject_review"):
            with self.subTest(method=method), self.assertRaises(UserError):
                getattr(waiting.with_user(self.invoice_user), method)()
        # A salesman reviews nothing.
        with self.assertRaises(AccessError):
            waiting.with_user(self.salesman).action_reject_review()

    # ----------------------------------------------------------- the trace

    def test_trace_is_append_only(self):
        self._invoice(self.customer, 100.0, DUE)
        run = self._run(TODAY)
        sent = run.sudo().action_ids
        self.assertEqual(sent.state, "sent")
        for user in (self.invoice_user, self.dunning_manager):
            action = sent.with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    action.write({"state": "to_review"})
                with self.assertRaises(AccessError):
                    action.unlink()
                # A waiting line would stop every reminder to the customer.
                with self.assertRaises(AccessError):
                    self.Action.with_user(user).create(
                        {
                            "company_id": self.company.id,
                            "partner_id": self.customer.id,
                            "channel": "email",
                            "state": "to_review",
                            "date": TODAY,
                        }
                    )
                with self.assertRaisesRegex(UserError, "waiting for a review"):
                    action.action_send_reviewed()
        self.assertEqual(sent.exists().state, "sent")
        self.assertEqual(self.Action.search_count([("state", "=", "to_review")]), 0)
        # The run that left this trace keeps it.
        with self.assertRaises(UserError):
            run.with_user(self.dunning_manager).unlink()
        self.assertTrue(run.exists())

    def test_run_state_is_the_engines(self):
        self._invoice(self.customer, 100.0, DUE)
        run = self._run(TODAY, execute=False).with_user(self.invoice_user)
        line = run.line_ids
        for vals in (
            {"state": "done"},
            {"scheduled": True},
            {"user_id": self.dunning_manager.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                run.write(vals)
        with self.assertRaises(UserError):
            run.write({"date": TODAY - timedelta(days=1)})
        with self.assertRaises(AccessError):
            self.env["account.dunning.run"].with_user(self.invoice_user).create(
                {"company_id": self.company.id, "scheduled": True}
            )
        # A proposal cannot be pointed at another level or invoice, nor made up.
        for vals in ({"level_id": self.notice.id}, {"state": "done"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                line.write(vals)
        with self.assertRaises(AccessError):
            run.write(
                {"line_ids": [Command.update(line.id, {"level_id": self.notice.id})]}
            )
        with self.assertRaises(AccessError):
            self.env["account.dunning.run.line"].with_user(self.invoice_user).create(
                {
                    "run_id": run.id,
                    "company_id": self.company.id,
                    "partner_id": self.customer.id,
                    "move_id": line.move_id.id,
                    "level_id": self.notice.id,
                    "currency_id": self.company.currency_id.id,
                }
            )
        self.assertEqual(
            (run.state, line.level_id, len(run.line_ids)),
            ("computed", self.level_1, 1),
        )
        # Unticking a proposal still to send is what a person does.
        run.write({"line_ids": [Command.update(line.id, {"selected": False})]})
        run.action_execute()
        self.assertEqual((line.state, run.state), ("skipped", "done"))
        with self.assertRaises(UserError):
            line.selected = True

    def test_context_defaults_decide_nothing_at_creation(self):
        Run = self.env["account.dunning.run"].with_user(self.invoice_user)
        for context in (
            {"default_state": "done"},
            {"default_scheduled": True},
            {"default_user_id": self.dunning_manager.id},
        ):
            with self.subTest(context=context), self.assertRaises(AccessError):
                Run.with_context(**context).create({"company_id": self.company.id})
        Move = self.env["account.move"].with_user(self.invoice_user)
        base = {
            "move_type": "out_invoice",
            "partner_id": self.customer.id,
            "invoice_line_ids": [Command.create({"name": "x", "price_unit": 1.0})],
        }
        for context in (
            {"default_dunning_excluded": True, "default_dunning_exclusion_reason": "x"},
            {"default_dunning_level_id": self.notice.id},
            {"default_dunning_last_date": TODAY},
        ):
            with self.subTest(context=context), self.assertRaises(AccessError):
                Move.with_context(**context).create(base)
        self.assertFalse(
            self.env["account.dunning.run"].search([("scheduled", "=", True)])
        )

    def test_cancelled_run_sends_no_waiting_reminder(self):
        self.level_1.sudo().manual_review = True
        self._invoice(self.customer, 100.0, DUE)
        other = self._customer("Later SA")
        self._invoice(other, 100.0, DUE)
        run = self._run(TODAY, execute=False)
        # The customer's reminder waits for a review; the other is still to send.
        run.sudo()._execute_customers(self.customer.ids)
        waiting = run.sudo().action_ids
        self.assertEqual((waiting.state, run.state), ("to_review", "computed"))
        run.with_user(self.invoice_user).action_cancel()
        self.assertEqual(waiting.state, "skipped")
        self.assertEqual(set(run.sudo().line_ids.mapped("state")), {"skipped"})
        with self.assertRaises(UserError):
            waiting.with_user(self.invoice_user).action_send_reviewed()
        self.assertFalse(waiting.mail_id)

    def test_level_billing_takes_invoicing_rights(self):
        """A run of a policy that bills penalties at a level is executed by users
        who may create invoices, or by the scheduled action."""
        self.policy.sudo().penalty_bill_level_id = self.level_1
        invoice = self._late_invoice(days=10)
        reader = company_user(
            self.env,
            "engine_reader",
            "account.group_account_readonly,account_dunning.group_dunning_user",
            self.company,
        )
        run = self._run(TODAY, user=reader, execute=False)
        with self.assertRaises(AccessError):
            run.with_user(reader).action_execute()
        self.assertFalse(run.sudo().action_ids)
        self.assertFalse(invoice.dunning_level_id)
        run.with_user(self.invoice_user).action_execute()
        penalty = self._penalty_invoices()
        self.assertEqual(penalty.create_uid, self.invoice_user)
        self.assertEqual(penalty.invoice_date, TODAY)

    def test_sms_template_of_another_model_refused(self):
        template = self.env["sms.template"].create(
            {
                "name": "Users",
                "model_id": self.env["ir.model"]._get_id("res.users"),
                "body": "{{ object.login }}",
            }
        )
        with self.assertRaises(ValidationError):
            self.level_1.sudo().sms_template_id = template

    # ---------------------------------------------------------- the invoice

    def test_invoice_level_and_exclusion(self):
        invoice = self._late_invoice()
        as_invoicing = invoice.with_user(self.invoice_user)
        for vals in (
            {"dunning_level_id": self.notice.id},
            {"dunning_level_id": False, "dunning_last_date": TODAY},
            {"dunning_excluded": True, "dunning_exclusion_reason": "Friend"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_invoicing.write(vals)
        Move = self.env["account.move"].with_user(self.invoice_user)
        base = {
            "move_type": "out_invoice",
            "partner_id": self.customer.id,
            "invoice_line_ids": [Command.create({"name": "x", "price_unit": 1.0})],
        }
        for extra in (
            {"dunning_excluded": True, "dunning_exclusion_reason": "Friend"},
            {"dunning_level_id": self.notice.id},
        ):
            with self.subTest(create=extra), self.assertRaises(AccessError):
                Move.create({**base, **extra})
        self.assertFalse(invoice.dunning_excluded)
        self.assertFalse(invoice.dunning_level_id)
        # Invoices without the dunning fields are created as usual.
        self.assertTrue(Move.create(base))
        # The manager excludes, with a reason.
        self.env["account.dunning.exclusion.wizard"].with_user(
            self.dunning_manager
        ).create(
            {"move_ids": [Command.set(invoice.ids)], "reason": "Disputed price"}
        ).action_apply()
        self.assertEqual(
            (invoice.dunning_excluded, invoice.dunning_exclusion_reason),
            (True, "Disputed price"),
        )

    # ---------------------------------------------------- penalty billing

    def test_penalties_billed_by_invoicing_users_only(self):
        invoice = self._late_invoice()
        for user in (self.salesman, self.dunning_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    invoice.with_user(user).action_dunning_bill_penalties()
                with self.assertRaises(AccessError):
                    self.customer.with_user(user).action_dunning_bill_penalties()
        self.assertFalse(self._penalty_invoices())
        self.assertFalse(invoice.sudo().dunning_penalty_ids)
        self.customer.with_user(self.invoice_user).action_dunning_bill_penalties()
        penalty = self._penalty_invoices()
        self.assertEqual(len(penalty), 1)
        self.assertEqual(penalty.state, "posted")
        self.assertEqual(penalty.create_uid, self.invoice_user, "made as the user")

    def test_claims_and_block_history_are_append_only(self):
        invoice = self._late_invoice()
        invoice.with_user(self.invoice_user).action_dunning_bill_penalties()
        claim = invoice.sudo().dunning_penalty_ids
        self.customer.with_user(self.invoice_user).action_dunning_block("Late")
        block = self.customer.sudo().dunning_block_ids
        for record in (claim, block):
            as_manager = record.with_user(self.dunning_manager)
            with self.subTest(model=record._name):
                with self.assertRaises(AccessError):
                    as_manager.write({"reason": "Forgotten"})
                with self.assertRaises(AccessError):
                    as_manager.unlink()
                with self.assertRaises(AccessError):
                    record.with_user(self.dunning_manager).copy()
        with self.assertRaises(AccessError):
            invoice.with_user(self.dunning_manager).write(
                {"dunning_penalty_ids": [Command.delete(claim.id)]}
            )
        self.assertTrue(claim.exists())
        self.assertTrue(block.exists())
