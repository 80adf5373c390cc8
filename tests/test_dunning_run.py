from datetime import timedelta

from odoo import Command
from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon

DUE = TODAY - timedelta(days=60)


def days_after(due, days):
    return due + timedelta(days=days)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningRun(DunningCommon):
    def test_level_on_each_boundary(self):
        """The day before a level's delay, the day itself, the day after."""
        cases = [(6, False), (7, True), (8, True)]
        for days, reminded in cases:
            with self.subTest(days=days):
                customer = self._customer(f"Boundary {days}")
                invoice = self._invoice(customer, 100.0, DUE)
                run = self._run(days_after(DUE, days))
                self.assertEqual(bool(self._sent(run, customer)), reminded)
                self.assertEqual(
                    invoice.dunning_level_id,
                    self.level_1 if reminded else self.env["account.dunning.level"],
                )
                self.assertEqual(
                    invoice.dunning_last_date,
                    days_after(DUE, days) if reminded else False,
                )

    def test_no_level_skipped_and_min_days(self):
        invoice = self._invoice(self.customer, 500.0, DUE)
        run = self._run(days_after(DUE, 60))
        self.assertEqual(
            invoice.dunning_level_id,
            self.level_1,
            "60 days late gets the first reminder first",
        )
        self.assertEqual(self._sent(run).level_id, self.level_1)
        # Second reminder needs 8 days since the first (15 - 7).
        self.assertFalse(self._run(days_after(DUE, 67)).action_ids)
        self._run(days_after(DUE, 68))
        self.assertEqual(invoice.dunning_level_id, self.level_2)
        self.assertFalse(self._run(days_after(DUE, 82)).action_ids)
        self._run(days_after(DUE, 83))
        self.assertEqual(invoice.dunning_level_id, self.level_3)
        self._run(days_after(DUE, 98))
        self.assertEqual(invoice.dunning_level_id, self.notice)
        self.assertFalse(
            self._run(days_after(DUE, 120)).action_ids, "no level after the last"
        )

    def test_min_days_setting(self):
        self.level_2.sudo().min_days_since_previous = 20
        invoice = self._invoice(self.customer, 500.0, DUE)
        self._run(days_after(DUE, 7))
        self.assertFalse(self._run(days_after(DUE, 26)).action_ids)
        self._run(days_after(DUE, 27))
        self.assertEqual(invoice.dunning_level_id, self.level_2)

    def test_courtesy_reminder_and_overdue_passes_over_it(self):
        not_due = self._invoice(self.customer, 300.0, TODAY + timedelta(days=5))
        overdue_customer = self._customer("Already Late")
        overdue = self._invoice(overdue_customer, 300.0, TODAY - timedelta(days=3))
        self.assertFalse(
            self._run(TODAY - timedelta(days=1)).action_ids.filtered(
                lambda a: a.partner_id == self.customer
            ),
            "six days before the due date: nothing",
        )
        run = self._run(TODAY)
        self.assertEqual(self._sent(run, self.customer).level_id, self.courtesy)
        self.assertEqual(not_due.dunning_level_id, self.courtesy)
        self.assertFalse(
            self._sent(run, overdue_customer),
            "3 days late: not courtesy, not yet first",
        )
        self.assertFalse(overdue.dunning_level_id)
        # Courtesy sent 5 days before due: the first reminder 12 days later.
        self.assertFalse(
            self._run(TODAY + timedelta(days=11)).action_ids.filtered(
                lambda a: a.partner_id == self.customer
            )
        )
        self._run(TODAY + timedelta(days=12))
        self.assertEqual(not_due.dunning_level_id, self.level_1)

    def test_one_communication_per_customer_at_highest_level(self):
        old = self._invoice(self.customer, 1000.0, DUE)
        recent = self._invoice(self.customer, 200.0, TODAY - timedelta(days=2))
        self._run(days_after(DUE, 7))
        self._run(days_after(DUE, 15))
        self.assertEqual(old.dunning_level_id, self.level_2)
        newer = self._invoice(self.customer, 50.0, TODAY - timedelta(days=10))
        run = self._run(TODAY)  # old: third reminder due; newer: first reminder due
        emails = self._sent(run, self.customer)
        self.assertEqual(len(emails), 1, "one communication per customer")
        self.assertEqual(emails.level_id, self.level_3, "at the highest level reached")
        self.assertEqual(
            emails.move_ids, old | recent | newer, "lists every open overdue invoice"
        )
        self.assertEqual(emails.advanced_move_ids, old | newer)
        self.assertEqual(old.dunning_level_id, self.level_3)
        self.assertEqual(
            newer.dunning_level_id,
            self.level_1,
            "each invoice moves to its own next level",
        )
        self.assertFalse(recent.dunning_level_id, "2 days late: listed, not moved")
        self.assertEqual(emails.amount, 1250.0)
        body = emails.mail_id.body_html
        for invoice in old | recent | newer:
            self.assertIn(invoice.name, body)
        self.assertIn("/my/invoices/%s" % old.id, body, "a payment link per invoice")
        self.assertIn("access_token=%s" % old.access_token, body)
        self.assertEqual(
            self.customer.with_company(self.company).dunning_level_id, self.level_3
        )

    def test_contacts_grouped_under_their_company(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Jeanne Martin",
                "parent_id": self.customer.id,
                "email": "jeanne@example.com",
            }
        )
        accounting = self.env["res.partner"].create(
            {
                "name": "Compta",
                "parent_id": self.customer.id,
                "type": "invoice",
                "email": "compta@example.com",
            }
        )
        first = self._invoice(self.customer, 100.0, DUE)
        second = self._invoice(contact, 200.0, DUE)
        run = self._run(TODAY)
        emails = self._sent(run)
        self.assertEqual(len(emails), 1)
        self.assertEqual(emails.partner_id, self.customer)
        self.assertEqual(emails.recipient_id, accounting, "sent to the invoice contact")
        self.assertEqual(emails.mail_id.recipient_ids, accounting)
        self.assertEqual(emails.move_ids, first | second)

    def test_customer_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning"], ["fr_FR"], overwrite=True
        )
        self.customer.lang = "fr_FR"
        self._invoice(self.customer, 100.0, DUE)
        english = self._customer("English Ltd", lang="en_US")
        self._invoice(english, 100.0, DUE)
        run = self._run(TODAY)
        self.assertIn("Relance", self._sent(run, self.customer).mail_id.subject)
        self.assertIn("reminder", self._sent(run, english).mail_id.subject)
        self.assertIn(
            "Payer en ligne", self._sent(run, self.customer).mail_id.body_html
        )
        self.assertIn("Pay online", self._sent(run, english).mail_id.body_html)
        # French installed after the policy was created: the shipped policy follows.
        self.assertEqual(
            self.policy.with_context(lang="fr_FR").name, "Relance standard"
        )
        # A company created once French is active gets its policy named in French too.
        policy = self.env["res.company"].create({"name": "Nouvelle"}).dunning_policy_id
        self.assertEqual(policy.name, "Standard dunning")
        self.assertNotEqual(policy.with_context(lang="fr_FR").name, "Standard dunning")
        self.assertNotEqual(
            policy.level_ids[0].with_context(lang="fr_FR").name, "Courtesy reminder"
        )

    def test_exclusions_credit_notes_drafts_and_payments(self):
        excluded = self._invoice(self.customer, 100.0, DUE)
        excluded.with_user(self.dunning_manager).write(
            {"dunning_excluded": True, "dunning_exclusion_reason": "Disputed delivery"}
        )
        draft = self._invoice(self.customer, 100.0, DUE, post=False)
        paid = self._invoice(self.customer, 100.0, DUE)
        self._pay(paid, 100.0, DUE)
        partly = self._invoice(self.customer, 1000.0, DUE)
        self._pay(partly, 400.0, DUE)
        refund = self._invoice(self.customer, 80.0, DUE, move_type="out_refund")
        run = self._run(TODAY)
        self.assertEqual(run.line_ids.move_id, partly)
        email = self._sent(run)
        self.assertEqual(email.move_ids, partly)
        self.assertEqual(
            email.amount, 600.0, "partial payment: the residual is claimed"
        )
        self.assertIn("600.00", email.mail_id.body_html)
        for move in excluded | draft | paid | refund:
            self.assertFalse(move.dunning_level_id)

    def test_invoice_paid_after_compute_stops(self):
        invoice = self._invoice(self.customer, 100.0, DUE)
        run = self._run(TODAY, execute=False)
        self._pay(invoice, 100.0, TODAY)
        run.action_execute()
        self.assertFalse(self._sent(run))
        self.assertEqual(run.line_ids.state, "skipped")
        self.assertEqual(run.action_ids.state, "skipped")
        self.assertFalse(invoice.dunning_level_id)

    def test_two_currencies(self):
        usd = self.setup_other_currency("CHF", rates=[("2000-01-01", 1.25)])
        eur_invoice = self._invoice(self.customer, 1000.0, DUE)
        usd_invoice = self._invoice(self.customer, 500.0, DUE, currency=usd)
        run = self._run(TODAY)
        email = self._sent(run)
        self.assertEqual(email.move_ids, eur_invoice | usd_invoice)
        self.assertEqual(
            email.amount, 1400.0, "company currency: 1000 + 500 CHF / 1.25"
        )
        totals = {
            total["currency"]: total["amount"]
            for total in email._get_totals_by_currency()
        }
        self.assertEqual(set(totals), {self.company.currency_id, usd})
        self.assertIn(totals[usd], email.mail_id.body_html)
        self.assertIn(totals[self.company.currency_id], email.mail_id.body_html)

    def test_second_run_same_day_sends_nothing(self):
        self._invoice(self.customer, 100.0, DUE)
        first = self._run(TODAY)
        self.assertTrue(self._sent(first))
        second = self._run(TODAY)
        self.assertFalse(second.line_ids)
        self.assertFalse(second.action_ids)
        self.assertEqual(second.state, "done")

    def test_two_runs_computed_at_once(self):
        """A person's run and the cron's: the second to execute skips with a message."""
        self._invoice(self.customer, 100.0, DUE)
        first = self._run(TODAY, execute=False)
        second = self._run(TODAY, execute=False)
        first.action_execute()
        second.action_execute()
        self.assertEqual(len(self._sent(first)), 1)
        self.assertFalse(self._sent(second))
        self.assertEqual(second.action_ids.state, "skipped")
        self.assertIn("already reminded", second.action_ids.reason)
        self.assertEqual(
            len(
                self.env["mail.mail"].search(
                    [("res_id", "=", self.customer.id), ("model", "=", "res.partner")]
                )
            ),
            1,
        )

    def test_customer_without_email_fails_alone(self):
        silent = self._customer("No Mail", email=False)
        self._invoice(silent, 100.0, DUE)
        self._invoice(self.customer, 100.0, DUE)
        run = self._run(TODAY)
        silent_actions = run.action_ids.filtered(
            lambda action: action.partner_id == silent
        )
        failed = silent_actions.filtered(lambda action: action.channel == "email")
        self.assertEqual(failed.state, "failed")
        self.assertIn("No email address", failed.reason)
        self.assertFalse(failed.mail_id)
        # The level's fallback channel reaches it instead: a letter.
        letter = silent_actions - failed
        self.assertEqual(
            (letter.channel, letter.state, letter.is_fallback), ("letter", "sent", True)
        )
        self.assertIn("No email address", letter.reason)
        self.assertTrue(letter.letter_attachment_id)
        self.assertEqual(self._sent(run, self.customer).mail_id.state, "outgoing")
        self.assertEqual(run.state, "done")

    def test_review_sends_all_channels_of_the_customer(self):
        self.level_1.sudo().write({"manual_review": True, "channel_letter": True})
        invoice = self._invoice(self.customer, 100.0, DUE)
        run = self._run(TODAY)
        waiting = run.sudo().action_ids
        self.assertEqual(sorted(waiting.mapped("channel")), ["email", "letter"])
        # Only the email ticked: the letter of the same reminder goes with it.
        email = waiting.filtered(lambda action: action.channel == "email")
        email.with_user(self.invoice_user).action_send_reviewed()
        self.assertEqual(waiting.mapped("state"), ["sent", "sent"])
        self.assertEqual(invoice.dunning_level_id, self.level_1)
        self.assertFalse(
            self.env["account.dunning.eligibility"]._hold_reasons(
                self.company, self.customer.ids, TODAY
            ),
            "nothing left waiting holds the customer",
        )

    def test_manual_review_waits(self):
        self.level_1.sudo().manual_review = True
        invoice = self._invoice(self.customer, 100.0, DUE)
        run = self._run(TODAY)
        action = run.action_ids
        self.assertEqual(action.state, "to_review")
        self.assertFalse(action.mail_id)
        self.assertFalse(invoice.dunning_level_id, "nothing moves before the review")
        self.assertEqual(
            self.customer.with_company(self.company).dunning_next_action_date, TODAY
        )
        self.assertFalse(
            self._run(TODAY).line_ids, "a waiting customer is not proposed again"
        )
        action.with_user(self.invoice_user).action_send_reviewed()
        sent = self._sent(run)
        self.assertEqual(sent.reviewed_by_id, self.invoice_user)
        self.assertTrue(sent.mail_id)
        self.assertEqual(invoice.dunning_level_id, self.level_1)

    def test_manual_review_rejected(self):
        self.level_1.sudo().manual_review = True
        invoice = self._invoice(self.customer, 100.0, DUE)
        run = self._run(TODAY)
        run.action_ids.with_user(self.invoice_user).action_reject_review()
        self.assertEqual(run.action_ids.state, "skipped")
        self.assertFalse(invoice.dunning_level_id)

    def test_unticked_proposal_is_left_out(self):
        kept = self._invoice(self.customer, 100.0, DUE)
        other = self._customer("Untick Me")
        left = self._invoice(other, 100.0, DUE)
        run = self._run(TODAY, execute=False)
        self.assertEqual(set(run.line_ids.mapped("days_late")), {60})
        run.line_ids.filtered(lambda line: line.move_id == left).selected = False
        run.action_execute()
        self.assertEqual(kept.dunning_level_id, self.level_1)
        self.assertFalse(left.dunning_level_id)
        self.assertFalse(
            run.action_ids.filtered(lambda action: action.partner_id == other)
        )

    def test_min_amount(self):
        self.level_1.sudo().min_amount = 150.0
        small = self._customer("Small")
        self._invoice(small, 149.99, DUE)
        big = self._customer("Big")
        self._invoice(big, 100.0, DUE)
        self._invoice(big, 50.0, DUE)
        run = self._run(TODAY)
        self.assertFalse(
            run.action_ids.filtered(lambda action: action.partner_id == small)
        )
        self.assertTrue(self._sent(run, big))

    def test_trace_on_invoice_partner_and_next_action_date(self):
        invoice = self._invoice(self.customer, 100.0, DUE)
        run = self._run(TODAY)
        action = self._sent(run)
        self.assertEqual(invoice.dunning_action_ids, action)
        self.assertEqual(invoice.dunning_action_count, 1)
        self.assertEqual(self.customer.dunning_action_count, 1)
        self.assertEqual(action.message_id.model, "res.partner")
        self.assertEqual(
            action.message_id.res_id, self.customer.id, "in the customer's chatter"
        )
        self.assertEqual(
            self.customer.with_company(self.company).dunning_next_action_date,
            TODAY + timedelta(days=8),
            "the second reminder, 8 days after the first",
        )

    def test_run_dated_in_the_past_catches_up(self):
        invoice = self._invoice(self.customer, 100.0, DUE)
        past = days_after(DUE, 10)
        run = self._run(past)
        self.assertEqual(self._sent(run).date, past)
        self.assertEqual(invoice.dunning_last_date, past)

    def test_partner_policy(self):
        strict = (
            self.env["account.dunning.policy"]
            .sudo()
            .create(
                {
                    "name": "Key accounts",
                    "company_id": self.company.id,
                    "level_ids": [
                        Command.create(
                            {
                                "name": "Call first",
                                "delay": 70,
                                "channel_email": True,
                                "mail_template_id": self.level_1.mail_template_id.id,
                            }
                        )
                    ],
                }
            )
        )
        key_account = self._customer("Key Account")
        key_account.with_company(self.company).dunning_policy_id = strict
        key_invoice = self._invoice(key_account, 100.0, DUE)
        self.assertFalse(
            self._run(TODAY).action_ids.filtered(lambda a: a.partner_id == key_account)
        )
        self._run(TODAY + timedelta(days=10))
        self.assertEqual(key_invoice.dunning_level_id, strict.level_ids)
