# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, mute_logger, tagged

from .common import TODAY, DunningCommon

DUE = TODAY - timedelta(days=10)


@tagged("post_install", "-at_install")
class TestDunningBackground(DunningCommon):
    """A run too big for one request is sent by the scheduled action, in batches."""

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param(
            "account_dunning.execute_sync_limit", "2"
        )
        self.customers = (
            self.customer | self._customer("Martin SA") | self._customer("Petit SAS")
        )
        for customer in self.customers:
            self._invoice(customer, 100.0, DUE)
        self.run = self._run(TODAY, execute=False)
        self.cron = self.env.ref("account_dunning.ir_cron_dunning_send")

    def _send_batch(self, size):
        with freeze_time(TODAY):
            return self.env["account.dunning.run"]._cron_send_runs(batch_size=size)

    def test_big_run_is_sent_in_the_background(self):
        with freeze_time(TODAY):
            self.run.with_user(self.invoice_user).action_execute()
        self.assertEqual(self.run.state, "sending")
        self.assertEqual((self.run.progress_done, self.run.progress_total), (0, 3))
        self.assertEqual(self.run.execute_user_id, self.invoice_user)
        self.assertFalse(self.run.action_ids, "nothing is sent in the request")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        )
        self.assertEqual(self._send_batch(2), 2)
        self.assertEqual(self.run.state, "sending")
        self.assertEqual(self.run.progress_done, 2)
        self.assertEqual(len(self._sent(self.run)), 2)
        self.assertEqual(self._send_batch(2), 1)
        self.assertEqual(self.run.state, "done")
        self.assertEqual(self.run.progress_done, 3)
        self.assertEqual(self._sent(self.run).partner_id, self.customers)
        self.assertEqual(self._send_batch(2), 0, "nothing left: never twice")
        notice = self.run.message_ids.filtered(
            lambda message: self.invoice_user.partner_id in message.partner_ids
        )
        self.assertEqual(len(notice), 1, "who executed it is told it is done")
        self.assertIn("3 customers handled", notice.body)

    def test_small_run_is_sent_in_the_request(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "account_dunning.execute_sync_limit", "3"
        )
        with freeze_time(TODAY):
            self.run.with_user(self.invoice_user).action_execute()
        self.assertEqual(self.run.state, "done")
        self.assertEqual((self.run.progress_done, self.run.progress_total), (3, 3))
        self.assertFalse(self.run.message_ids.partner_ids, "no notice for a small run")

    def test_cancelled_while_sending(self):
        with freeze_time(TODAY):
            self.run.with_user(self.invoice_user).action_execute()
        self._send_batch(1)
        self.run.with_user(self.invoice_user).action_cancel()
        self.assertEqual(self.run.state, "cancel")
        self.assertEqual(self._send_batch(2), 0)
        self.assertEqual(len(self._sent(self.run)), 1)
        self.assertEqual(set(self.run.line_ids.mapped("state")), {"done", "skipped"})

    def test_progress_is_the_engines(self):
        for vals in (
            {"progress_done": 3},
            {"progress_total": 5},
            {"state": "sending"},
            {"execute_user_id": self.dunning_manager.id},
        ):
            for user in (self.invoice_user, self.dunning_manager):
                with (
                    self.subTest(vals=vals, user=user.login),
                    self.assertRaises(AccessError),
                ):
                    self.run.with_user(user).write(vals)
        self.assertEqual(self.run.state, "computed")

    def test_a_failing_run_stops_alone(self):
        with freeze_time(TODAY):
            self.run.with_user(self.invoice_user).action_execute()
        Engine = type(self.env["account.dunning.run.engine"])

        def broken(engine, run, partner_ids, reviewed=None):
            raise ValueError("No sale journal")

        with (
            patch.object(Engine, "_execute", broken),
            mute_logger("odoo.addons.account_dunning.models.account_dunning_run"),
        ):
            self._send_batch(2)
        self.assertEqual(self.run.state, "computed", "back to To Execute")
        self.assertFalse(self.run.action_ids, "nothing half sent")
        notice = self.run.message_ids.filtered(
            lambda message: self.invoice_user.partner_id in message.partner_ids
        )
        self.assertIn("No sale journal", notice.body)
        self.assertEqual(self._send_batch(2), 0, "no run left in the background")
