from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningConfiguration(DunningCommon):
    def _policy(self, levels):
        return (
            self.env["account.dunning.policy"]
            .with_user(self.dunning_manager)
            .create(
                {
                    "name": "Test",
                    "company_id": self.company.id,
                    "level_ids": [Command.create(vals) for vals in levels],
                }
            )
        )

    def _level(self, **values):
        return {
            "name": "Level",
            "channel_email": False,
            "channel_letter": True,
            **values,
        }

    def test_default_policy_shipped(self):
        self.assertEqual(self.levels.mapped("delay"), [-5, 7, 15, 30, 45])
        self.assertEqual(
            self.levels.mapped("min_days_since_previous"), [0, 12, 8, 15, 15]
        )
        for level in self.levels:
            self.assertTrue(level.mail_template_id, "every shipped level emails")
        new_company = self.env["res.company"].create({"name": "Brand New"})
        self.assertEqual(
            new_company.dunning_policy_id.level_ids.mapped("delay"), [-5, 7, 15, 30, 45]
        )
        self.assertEqual(new_company.dunning_policy_id.company_id, new_company)

    def test_delays_must_increase(self):
        with self.assertRaisesRegex(ValidationError, "strictly increasing delays"):
            self._policy(
                [self._level(sequence=1, delay=10), self._level(sequence=2, delay=5)]
            )
        with self.assertRaisesRegex(ValidationError, "strictly increasing delays"):
            self._policy(
                [self._level(sequence=1, delay=10), self._level(sequence=2, delay=10)]
            )
        policy = self._policy(
            [self._level(sequence=1, delay=-3), self._level(sequence=2, delay=5)]
        )
        with self.assertRaisesRegex(ValidationError, "strictly increasing delays"):
            policy.level_ids[1].delay = -4

    def test_negative_amounts_and_days(self):
        with self.assertRaisesRegex(ValidationError, "minimum overdue amount"):
            self._policy([self._level(delay=1, min_amount=-1)])
        with self.assertRaisesRegex(ValidationError, "minimum days"):
            self._policy([self._level(delay=1, min_days_since_previous=-2)])

    def test_channel_and_template_required(self):
        with self.assertRaisesRegex(ValidationError, "at least one channel"):
            self._policy([self._level(delay=1, channel_letter=False)])
        with self.assertRaisesRegex(ValidationError, "choose its email template"):
            self._policy([self._level(delay=1, channel_email=True)])

    def test_run_in_the_future(self):
        with self.assertRaisesRegex(ValidationError, "cannot be dated in the future"):
            self.env["account.dunning.run"].with_user(self.invoice_user).create(
                {"company_id": self.company.id, "date": TODAY + timedelta(days=1)}
            )

    def test_exclusion_needs_reason_and_manager(self):
        invoice = self._invoice(self.customer, 100.0, TODAY)
        with self.assertRaisesRegex(ValidationError, "Give a reason"):
            invoice.with_user(self.dunning_manager).dunning_excluded = True
        wizard = (
            self.env["account.dunning.exclusion.wizard"]
            .with_user(self.dunning_manager)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Under dispute"})
        )
        wizard.action_apply()
        self.assertTrue(invoice.dunning_excluded)
        self.assertEqual(invoice.dunning_exclusion_reason, "Under dispute")

    def test_executed_run_is_final(self):
        self._invoice(self.customer, 100.0, TODAY - timedelta(days=10))
        run = self._run(TODAY)
        with self.assertRaisesRegex(UserError, "cannot be computed again"):
            run.action_compute()
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            run.action_cancel()
        draft = (
            self.env["account.dunning.run"]
            .with_user(self.invoice_user)
            .create({"company_id": self.company.id, "date": TODAY})
        )
        with self.assertRaisesRegex(UserError, "Compute the run"):
            draft.action_execute()
        draft.action_cancel()
        self.assertEqual(draft.state, "cancel")
