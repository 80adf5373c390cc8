"""A crash in the middle of a batch, and two runs at once, on committed data.

Everything here goes through database connections of its own that commit, as the
scheduled action and two users' requests would: the test transaction sees none of
it. The data made for a test is deleted by its cleanup.
"""

import threading
from datetime import timedelta
from functools import partial
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, fields, sql_db
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

CUSTOMERS = 5
WAIT = 30  # seconds a thread waits for the other before giving up


class WorkerKilled(BaseException):
    """The process dies: not an error any code catches, the transaction is lost."""


@tagged("post_install", "-at_install")
class TestDunningConcurrency(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = cls.env.cr.dbname

    def setUp(self):
        super().setUp()
        with self._env() as env:
            company = env.ref("base.main_company")
            if not env["account.journal"].search_count(
                [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
            ):
                env["account.chart.template"].try_loading("generic_coa", company)
            today = fields.Date.context_today(env.user)
            customers = env["res.partner"].create(
                [
                    {
                        "name": f"Concurrent customer {index}",
                        "is_company": True,
                        "email": f"concurrent{index}@example.com",
                    }
                    for index in range(CUSTOMERS)
                ]
            )
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "company_id": company.id,
                        "partner_id": customer.id,
                        "invoice_date": today - timedelta(days=40),
                        "invoice_date_due": today - timedelta(days=10),
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Service", "price_unit": 100.0, "tax_ids": []}
                            )
                        ],
                    }
                    for customer in customers
                ]
            )
            invoices.action_post()
            self.company_id = company.id
            self.customer_ids = customers.ids
            self.invoice_ids = invoices.ids
            self.level_1_id = company.dunning_policy_id.level_ids.sorted("sequence")[
                1
            ].id
        self.addCleanup(self._delete_test_data)

    def _env(self):
        """A context manager: an environment on a connection of its own, committed
        when the block ends without error, rolled back otherwise."""
        test = self

        class Committed:
            def __enter__(self):
                self.cr = sql_db.db_connect(test.dbname).cursor()
                # The registry as is: looking it up by name waits for the lock the
                # test runner holds, in any thread but the runner's.
                self.cr.transaction = api.Transaction(test.registry)
                return api.Environment(self.cr, SUPERUSER_ID, {})

            def __exit__(self, exc_type, exc, tb):
                try:
                    if exc_type is None:
                        # Committed on purpose: other connections must see it.
                        self.cr.commit()  # pylint: disable=invalid-commit
                finally:
                    self.cr.close()

        return Committed()

    def _delete_test_data(self):
        with self._env() as env:
            actions = env["account.dunning.action"].search(
                [("partner_id", "in", self.customer_ids)]
            )
            # Only this test commits runs: the others' are rolled back.
            runs = env["account.dunning.run"].search(
                [("company_id", "=", self.company_id)]
            )
            messages = env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "in", self.customer_ids)]
            )
            env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
            messages.unlink()
            actions.unlink()
            runs.unlink()
            invoices = env["account.move"].browse(self.invoice_ids)
            invoices.button_draft()
            invoices.with_context(force_delete=True).unlink()
            env["res.partner"].browse(self.customer_ids).unlink()

    def _results(self):
        """Per customer: (sent actions, emails queued, invoice level), committed."""
        with self._env() as env:
            result = {}
            for customer_id in self.customer_ids:
                sent = env["account.dunning.action"].search(
                    [("partner_id", "=", customer_id), ("state", "=", "sent")]
                )
                mails = env["mail.mail"].search(
                    [("model", "=", "res.partner"), ("res_id", "=", customer_id)]
                )
                invoice = env["account.move"].search(
                    [("partner_id", "=", customer_id), ("id", "in", self.invoice_ids)]
                )
                result[customer_id] = (
                    len(sent),
                    len(mails),
                    invoice.dunning_level_id.id,
                )
            return result

    def _cron(self, batch_size):
        with self._env() as env:
            return env["account.dunning.run"]._cron_dunning(batch_size=batch_size)

    # ------------------------------------------------------------------ crash

    def test_crash_in_the_dispatch_rolls_the_batch_back(self):
        self.assertEqual(self._cron(batch_size=2), 2)
        done_first = {
            customer_id
            for customer_id, (sent, _mails, _level) in self._results().items()
            if sent
        }
        self.assertEqual(len(done_first), 2)

        Mail = type(self.env["mail.mail"])
        create = Mail.create

        def create_then_die(mails, vals_list):
            # The first customer's email of the batch is written, then the worker dies.
            create(mails, vals_list[:1])
            mails.env.flush_all()
            raise WorkerKilled

        with patch.object(Mail, "create", create_then_die), mute_logger("odoo.sql_db"):
            with self.assertRaises(WorkerKilled):
                self._cron(batch_size=2)
        outcome = self._results()
        self.assertEqual(
            {customer for customer, (sent, mails, _lvl) in outcome.items() if sent},
            done_first,
            "nothing of the crashed batch remains",
        )
        self.assertEqual(sum(mails for _sent, mails, _lvl in outcome.values()), 2)
        # The next calls send exactly the missing customers, none twice.
        calls = []
        while (count := self._cron(batch_size=2)) and len(calls) < 10:
            calls.append(count)
        self.assertEqual(calls, [2, 1])
        self.assertEqual(
            self._results(),
            dict.fromkeys(self.customer_ids, (1, 1, self.level_1_id)),
        )

    # ------------------------------------------------------------- two runs

    def _two_computed_runs(self):
        with self._env() as env:
            Run = env["account.dunning.run"]
            runs = Run.create(
                [{"company_id": self.company_id}, {"company_id": self.company_id}]
            )
            runs.action_compute()
            for run in runs:
                self.assertEqual(len(run.line_ids), CUSTOMERS)
            return runs.ids

    @staticmethod
    def _retrying(env, func, tries=5):
        """Call ``func`` as Odoo's RPC layer does (``odoo.service.model.retrying``):
        on a concurrency error, roll back and call it again. Its registry reset is
        left out: it waits for the lock the test runner holds."""
        for tryno in range(1, tries + 1):
            try:
                result = func()
                env.flush_all()
                return result
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                if tryno == tries:
                    raise
                env.cr.rollback()

    def _execute_in_thread(self, run_id, errors, before=None):
        def target():
            try:
                with self._env() as env:
                    if before:
                        before(env)
                    run = env["account.dunning.run"].browse(run_id)
                    self._retrying(env, partial(run.action_execute))
            except Exception as error:  # noqa: BLE001 - reported to the test
                errors.append(error)

        return threading.Thread(target=target, name=f"dunning-run-{run_id}")

    def _actions_by_run(self, run_ids):
        with self._env() as env:
            actions = env["account.dunning.action"].search([("run_id", "in", run_ids)])
            return {
                run_id: sorted(
                    actions.filtered(lambda a, r=run_id: a.run_id.id == r).mapped(
                        "state"
                    )
                )
                for run_id in run_ids
            }

    def test_two_runs_at_once_send_once(self):
        """Run B locks while run A holds the customers: B skips them all."""
        run_a, run_b = self._two_computed_runs()
        a_locked, b_tried = threading.Event(), threading.Event()
        Engine = type(self.env["account.dunning.run.engine"])
        lock = Engine._lock_partners

        def lock_in_turn(engine, run, partner_ids):
            if run.id == run_b:
                a_locked.wait(WAIT)
                busy = lock(engine, run, partner_ids)
                b_tried.set()
                return busy
            busy = lock(engine, run, partner_ids)
            a_locked.set()
            b_tried.wait(WAIT)
            return busy

        errors = []
        with patch.object(Engine, "_lock_partners", lock_in_turn):
            threads = [
                self._execute_in_thread(run_a, errors),
                self._execute_in_thread(run_b, errors),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(2 * WAIT)
        self.assertEqual(errors, [])
        self.assertTrue(a_locked.is_set() and b_tried.is_set())
        self.assertEqual(
            self._results(), dict.fromkeys(self.customer_ids, (1, 1, self.level_1_id))
        )
        self.assertEqual(
            self._actions_by_run([run_a, run_b]),
            {run_a: ["sent"] * CUSTOMERS, run_b: ["skipped"] * CUSTOMERS},
        )

    def test_run_started_before_the_other_committed_sends_nothing_twice(self):
        """Run B read the database before run A committed: its locks fail, the
        call is retried as Odoo retries any RPC call, and B finds nothing due."""
        run_a, run_b = self._two_computed_runs()
        b_started, a_done = threading.Event(), threading.Event()
        Engine = type(self.env["account.dunning.run.engine"])
        lock = Engine._lock_partners
        tries = []

        def lock_counted(engine, run, partner_ids):
            if run.id == run_b:
                tries.append(len(partner_ids))
            return lock(engine, run, partner_ids)

        def b_reads_first(env):
            env["account.dunning.run"].browse(run_b).state  # noqa: B018 - the snapshot
            b_started.set()
            a_done.wait(WAIT)

        errors = []
        with (
            patch.object(Engine, "_lock_partners", lock_counted),
            mute_logger("odoo.service.model", "odoo.sql_db"),
        ):
            thread_b = self._execute_in_thread(run_b, errors, before=b_reads_first)
            thread_b.start()
            b_started.wait(WAIT)
            thread_a = self._execute_in_thread(run_a, errors)
            thread_a.start()
            thread_a.join(2 * WAIT)
            a_done.set()
            thread_b.join(2 * WAIT)
        self.assertEqual(errors, [])
        self.assertGreaterEqual(len(tries), 2, "B's first try failed and was retried")
        self.assertEqual(
            self._results(), dict.fromkeys(self.customer_ids, (1, 1, self.level_1_id))
        )
        self.assertEqual(
            self._actions_by_run([run_a, run_b]),
            {run_a: ["sent"] * CUSTOMERS, run_b: ["skipped"] * CUSTOMERS},
        )
