import logging
from collections import defaultdict

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, split_every

from . import dunning_access

_logger = logging.getLogger(__name__)

# Customers handled per transaction chunk: bounds memory on big runs.
EXECUTE_CHUNK_SIZE = 500
# Moved by the engine only: the buttons and the scheduled action (see dunning_access).
ENGINE_FIELDS = (
    "name",
    "state",
    "scheduled",
    "user_id",
    "action_ids",
    "progress_done",
    "progress_total",
    "execute_user_id",
)
# Runs of more customers than this execute in the background (system parameter).
SYNC_LIMIT_PARAM = "account_dunning.execute_sync_limit"
SYNC_LIMIT_DEFAULT = 200


class AccountDunningRun(models.Model):
    _name = "account.dunning.run"
    _inherit = ["mail.thread"]
    _description = "Dunning Run"
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("computed", "To Execute"),
            ("sending", "Sending"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
    )
    scheduled = fields.Boolean(
        readonly=True, help="Created by the daily scheduled action."
    )
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    execute_user_id = fields.Many2one(
        "res.users",
        string="Executed By",
        readonly=True,
        help="Who executed the run; told when a run sent in the background is done.",
    )
    progress_total = fields.Integer(
        readonly=True, help="Customers to remind when the run was executed."
    )
    progress_done = fields.Integer(
        readonly=True, help="Customers the background execution has handled so far."
    )
    progress_percent = fields.Float(compute="_compute_progress_percent")
    line_ids = fields.One2many("account.dunning.run.line", "run_id", string="Proposals")
    action_ids = fields.One2many("account.dunning.action", "run_id", string="Actions")
    line_count = fields.Integer(compute="_compute_counts")
    customer_count = fields.Integer(compute="_compute_counts")
    action_count = fields.Integer(compute="_compute_counts")

    @api.depends("date", "company_id")
    def _compute_name(self):
        for run in self:
            run.name = _("Dunning %(date)s", date=run.date or "")

    @api.depends("progress_done", "progress_total")
    def _compute_progress_percent(self):
        for run in self:
            run.progress_percent = (
                100.0 * run.progress_done / run.progress_total
                if run.progress_total
                else 0.0
            )

    def _compute_counts(self):
        lines = dict(
            self.env["account.dunning.run.line"]._read_group(
                [("run_id", "in", self.ids)], ["run_id"], ["__count"]
            )
        )
        customers = dict(
            self.env["account.dunning.run.line"]._read_group(
                [("run_id", "in", self.ids)], ["run_id"], ["partner_id:count_distinct"]
            )
        )
        actions = dict(
            self.env["account.dunning.action"]._read_group(
                [("run_id", "in", self.ids)], ["run_id"], ["__count"]
            )
        )
        for run in self:
            run.line_count = lines.get(run, 0)
            run.customer_count = customers.get(run, 0)
            run.action_count = actions.get(run, 0)

    @api.constrains("date")
    def _check_date(self):
        for run in self:
            today = fields.Date.context_today(run)
            if run.date > today:
                raise ValidationError(
                    _(
                        "A dunning run cannot be dated in the future (%(date)s is "
                        "after today, "
                        "%(today)s).",
                        date=run.date,
                        today=today,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        if {"date", "company_id"} & set(vals) and any(
            run.state != "draft" for run in self
        ):
            raise UserError(
                _("The date and company of a run are set before it is computed.")
            )
        return super().write(vals)

    def unlink(self):
        if (
            self.env["account.dunning.action"]
            .sudo()
            .search_count([("run_id", "in", self.ids)], limit=1)
        ):
            raise UserError(
                _("A run that left a trace is kept with it: it cannot be deleted.")
            )
        return super().unlink()

    # ------------------------------------------------------------------ actions

    def action_compute(self):
        """Propose, per customer, the invoices due for their next level."""
        # The proposals are written in SQL: check the rights the ORM would have.
        self.check_access("write")
        for run in self:
            if run.state not in ("draft", "computed"):
                raise UserError(
                    _("An executed or cancelled run cannot be computed again.")
                )
            run._check_date()
            run.env.execute_query(
                SQL(
                    "DELETE FROM account_dunning_run_line"
                    " WHERE run_id = %s AND state = 'pending'",
                    run.id,
                )
            )
            engine = self.env["account.dunning.run.engine"]
            engine._insert_proposals(run, engine._plan(run))
            # sudo: after the write check above; the state moves with the proposals.
            run.sudo().state = "computed"
        self.env["account.dunning.run.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])
        return True

    def action_execute(self):
        """Send the proposed communications, one per customer."""
        self.check_access("write")
        if not self.env.su and self.env["account.dunning.policy"].search_count(
            [
                ("company_id", "in", self.company_id.ids),
                ("penalty_bill_level_id", "!=", False),
            ],
            limit=1,
        ):
            # Checked before anything is sent: the run may bill penalties.
            self.env["account.move"]._dunning_check_may_bill()
        for run in self:
            if run.state != "computed":
                raise UserError(_("Compute the run before executing it."))
            run._check_date()
            partner_ids = run._pending_partner_ids()
            # sudo: after the write check above; the progress is the engine's.
            run.sudo().write(
                {
                    "execute_user_id": self.env.uid,
                    "progress_total": len(partner_ids),
                    "progress_done": 0,
                }
            )
            if len(partner_ids) > run._execute_sync_limit():
                # Too big for one request: the scheduled action sends it in batches.
                run.sudo().state = "sending"
                self.env.ref("account_dunning.ir_cron_dunning_send").sudo()._trigger()
                continue
            for chunk in split_every(EXECUTE_CHUNK_SIZE, partner_ids, list):
                run._execute_customers(chunk)
                # Keep memory flat on big runs: flush what was done, empty the cache.
                self.env.flush_all()
                self.env.invalidate_all()
            run.sudo().progress_done = len(partner_ids)
            run._update_state()
        return True

    @api.model
    def _execute_sync_limit(self):
        # sudo: a system parameter, read by whoever executes a run.
        value = self.env["ir.config_parameter"].sudo().get_param(SYNC_LIMIT_PARAM, "")
        try:
            return max(int(value), 0)
        except ValueError:
            return SYNC_LIMIT_DEFAULT

    def action_cancel(self):
        self.check_access("write")
        if any(run.state == "done" for run in self):
            raise UserError(_("An executed run cannot be cancelled."))
        # sudo: after the write check above; proposals, trace and state are the
        # engine's. What waited for a review is not sent either.
        runs = self.sudo()
        skipped = {"state": "skipped", "reason": _("The run was cancelled.")}
        runs.line_ids.filtered(
            lambda line: line.state in ("pending", "to_review")
        ).write(skipped)
        runs.action_ids.filtered(lambda action: action.state == "to_review").write(
            skipped
        )
        runs.state = "cancel"
        return True

    def action_open_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_run_line_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {"group_by": ["partner_id", "level_id"]}
        return action

    def action_open_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_action_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------ engine steps

    def _pending_partner_ids(self):
        self.ensure_one()
        groups = self.env["account.dunning.run.line"]._read_group(
            [("run_id", "=", self.id), ("state", "=", "pending")], ["partner_id"]
        )
        return sorted(partner.id for (partner,) in groups)

    def _execute_customers(self, partner_ids, reviewed=None):
        """Remind the given customers of this run: one communication each.

        ``reviewed``: trace lines that waited for a review and that a person sends
        now (``account.dunning.action.action_send_reviewed``); they are completed in
        place. Only that action passes them: no context or RPC argument does.
        """
        self.ensure_one()
        return self.env["account.dunning.run.engine"]._execute(
            self, partner_ids, reviewed=reviewed
        )

    def _update_state(self):
        for run in self:
            if run.state not in ("computed", "sending"):
                continue
            pending = self.env["account.dunning.run.line"].search_count(
                [("run_id", "=", run.id), ("state", "=", "pending")], limit=1
            )
            if not pending:
                # sudo: the engine closes the run once nothing is left to send.
                in_background = run.state == "sending"
                run.sudo().state = "done"
                if in_background:
                    run._notify_done()

    def _stop_background(self, error):
        """A batch failed: the run goes back to To Execute, who executed it is told."""
        self.ensure_one()
        self.state = "computed"
        self.message_post(
            body=_(
                "The background sending stopped after %(done)s of %(total)s customers: "
                "%(error)s. Execute the run again once the cause is fixed; what was "
                "sent stays sent.",
                done=self.progress_done,
                total=self.progress_total,
                error=str(error)[:300],
            ),
            partner_ids=self.execute_user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    def _notify_done(self):
        """Tell who executed a run sent in the background that it is done."""
        self.ensure_one()
        if not self.execute_user_id:
            return
        sent = self.env["account.dunning.action"].search_count(
            [("run_id", "=", self.id), ("state", "=", "sent")]
        )
        # sudo: the engine posts on the run it closed, to the user who executed it.
        self.sudo().message_post(
            body=_(
                "The run is done: %(customers)s customers handled, %(sent)s "
                "communications sent.",
                customers=self.progress_done,
                sent=sent,
            ),
            partner_ids=self.execute_user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    # -------------------------------------------------------------------- cron

    @api.model
    def _cron_dunning(self, batch_size=200):
        """Compute and execute today's run of every company, a batch a call.

        The cron framework commits after each call and calls again while work remains:
        a crash loses at most the batch in progress; sent customers are never sent twice
        because their lines are done and their invoices moved in the same transaction.
        """
        # The cron acts for every company: rights and company rules are not its concern.
        self = self.sudo()  # noqa: PLW0642
        runs = self.browse()
        for company in self.env["res.company"].search([]):
            run = self.with_company(company)._scheduled_run_of_today(company)
            if run:
                runs |= run.with_env(self.env)
        groups = self.env["account.dunning.run.line"]._read_group(
            [("run_id", "in", runs.ids), ("state", "=", "pending")],
            ["run_id", "partner_id"],
            order="run_id, partner_id",
        )
        batch, remaining = groups[:batch_size], groups[batch_size:]
        partners_by_run = defaultdict(list)
        for run, partner in batch:
            partners_by_run[run].append(partner.id)
        for run, partner_ids in partners_by_run.items():
            run.with_company(run.company_id)._execute_customers(partner_ids)
        runs._update_state()
        if not remaining:
            self._cron_check_holds()
            self._cron_check_blocks()
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(remaining))
        return len(batch)

    @api.model
    def _cron_send_runs(self, batch_size=200):
        """Send the runs executed in the background, a batch of customers a call.

        The cron framework commits after each call and calls again while work remains:
        the customers' rows are locked for one batch only, and a crash loses at most
        the batch in progress (its lines are still pending).
        """
        self = self.sudo()  # noqa: PLW0642 - the runs of every company
        runs = self.search([("state", "=", "sending")], order="id")
        if not runs:
            return 0
        run = runs[0].with_company(runs[0].company_id)
        partner_ids = run._pending_partner_ids()
        batch = partner_ids[:batch_size]
        try:
            with self.env.cr.savepoint():
                run._execute_customers(batch)
        except psycopg2.OperationalError:
            raise  # a concurrent update: the cron framework calls again
        except Exception as error:  # noqa: BLE001 - one run must not stop the others
            _logger.exception("Dunning: background sending of %s failed", run.name)
            run._stop_background(error)
            return len(batch)
        run.progress_done = run.progress_total - len(run._pending_partner_ids())
        run._update_state()
        remaining = (
            len(partner_ids)
            - len(batch)
            + sum(other.progress_total - other.progress_done for other in runs[1:])
        )
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
        return len(batch)

    @api.model
    def _cron_check_holds(self):
        """Promises and plans past their days, late disputes, instalment reminders."""
        self = self.sudo()  # noqa: PLW0642 - every company, as the cron does
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            try:
                with self.env.cr.savepoint():
                    self.env["account.dunning.hold.engine"].with_company(
                        company
                    )._daily(company, today)
            except psycopg2.OperationalError:
                raise  # a concurrent update: the cron framework calls again
            except Exception:  # noqa: BLE001 - one company must not stop the others
                _logger.exception(
                    "Dunning: the daily step of the holds of %s failed", company.name
                )

    @api.model
    def _cron_check_blocks(self):
        """Apply the blocking rules to every customer with overdue items or a block.

        The amount and days rules move with time alone, not only when a level is sent.
        """
        self = self.sudo()  # noqa: PLW0642 - every company, as the cron does
        for company in self.env["res.company"].search(
            [("dunning_policy_id", "!=", False)]
        ):
            self.env["account.dunning.block.engine"]._check_all(company)

    def _scheduled_run_of_today(self, company):
        """The scheduled run of today for the company, created and computed once."""
        today = fields.Date.context_today(self)
        run = self.search(
            [
                ("company_id", "=", company.id),
                ("date", "=", today),
                ("scheduled", "=", True),
            ],
            limit=1,
        )
        if not run:
            if not company.dunning_policy_id:
                return run
            run = self.create(
                {"company_id": company.id, "date": today, "scheduled": True}
            )
        if run.state == "draft":
            run.action_compute()
        return run if run.state == "computed" else self.browse()
