from datetime import timedelta

from odoo import sql_db
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import TODAY, DunningCommon

DUE = TODAY - timedelta(days=10)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningCron(DunningCommon):
    def test_cron_in_batches(self):
        customers = [self._customer(f"Batch {index}") for index in range(5)]
        for customer in customers:
            self._invoice(customer, 100.0, DUE)
        Run = self.env["account.dunning.run"]
        cron = self.env.ref("account_dunning.ir_cron_dunning")
        self.assertEqual(cron.code.strip(), "model._cron_dunning()")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        Run = Run.with_context(ir_cron_progress_id=progress.id)

        def sent_customers():
            actions = self.env["account.dunning.action"].search(
                [
                    ("partner_id", "in", [c.id for c in customers]),
                    ("state", "=", "sent"),
                ]
            )
            return actions.partner_id

        self.assertEqual(Run._cron_dunning(batch_size=2), 2)
        self.assertEqual((progress.done, progress.remaining), (2, 3))
        run = Run.search(
            [("scheduled", "=", True), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(run), 1)
        self.assertEqual(run.date, TODAY)
        self.assertEqual(run.state, "computed")
        self.assertEqual(len(sent_customers()), 2)
        self.assertEqual(Run._cron_dunning(batch_size=2), 2)
        self.assertEqual(Run._cron_dunning(batch_size=2), 1)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(run.state, "done")
        self.assertEqual(len(sent_customers()), 5)
        # Called again (a restart, or tomorrow's cron the same day): nothing twice.
        self.assertEqual(Run._cron_dunning(batch_size=2), 0)
        actions = self.env["account.dunning.action"].search(
            [("partner_id", "in", [c.id for c in customers])]
        )
        self.assertEqual(len(actions), 5)

    def test_cron_crash_loses_only_the_batch(self):
        customers = [self._customer(f"Crash {index}") for index in range(3)]
        for customer in customers:
            self._invoice(customer, 100.0, DUE)
        Run = self.env["account.dunning.run"]
        Run._cron_dunning(batch_size=1)
        # A crash in the middle of the next batch rolls it back whole.
        with mute_logger("odoo.sql_db"), self.assertRaises(ZeroDivisionError):
            with self.env.cr.savepoint():
                Run._cron_dunning(batch_size=1)
                raise ZeroDivisionError
        self.env.invalidate_all()
        self.assertEqual(Run._cron_dunning(batch_size=5), 2)
        actions = self.env["account.dunning.action"].search(
            [("partner_id", "in", [c.id for c in customers])]
        )
        self.assertEqual(len(actions), 3)
        self.assertEqual(len(set(actions.partner_id.ids)), 3)

    def test_cron_skips_customers_locked_by_another_run(self):
        """A customer another transaction is reminding is skipped, with a message."""
        # A committed row that this test's transaction has not touched, locked from a
        # connection of its own as a concurrent run would.
        partner = self.env.ref("base.main_partner")
        self.env.cr.execute("SET LOCAL lock_timeout = '5s'")
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other_cr:
            other_cr.execute("SET lock_timeout = '5s'")
            other_cr.execute(
                "SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE",
                [partner.id],
            )
            invoice = self._invoice(partner, 100.0, DUE)
            self.env["account.dunning.run"]._cron_dunning(batch_size=100)
            other_cr.rollback()
        action = self.env["account.dunning.action"].search(
            [("partner_id", "=", partner.id)]
        )
        self.assertEqual(action.state, "skipped")
        self.assertIn("another dunning run", action.reason)
        self.assertFalse(invoice.dunning_level_id)
