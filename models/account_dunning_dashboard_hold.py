# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields, models

# Broken promises and plans: those broken in the last days.
BROKEN_DAYS = 30


class AccountDunningDashboard(models.TransientModel):
    """The dashboard's disputes, promises to pay and payment plans: counts as of
    today, each one a button to its list."""

    _inherit = "account.dunning.dashboard"

    dispute_open_count = fields.Integer(
        string="Open Disputes", compute="_compute_dashboard"
    )
    dispute_late_count = fields.Integer(
        string="Disputes Past Deadline", compute="_compute_dashboard"
    )
    promise_due_count = fields.Integer(
        string="Promises Due This Week", compute="_compute_dashboard"
    )
    promise_broken_count = fields.Integer(
        string="Promises Broken (30 Days)", compute="_compute_dashboard"
    )
    plan_active_count = fields.Integer(
        string="Active Payment Plans", compute="_compute_dashboard"
    )
    plan_broken_count = fields.Integer(
        string="Plans Broken (30 Days)", compute="_compute_dashboard"
    )
    instalment_due_count = fields.Integer(
        string="Instalments Due This Week", compute="_compute_dashboard"
    )
    disputes_html = fields.Html(compute="_compute_dashboard", sanitize=False)

    def _dashboard_values(self):
        return {**super()._dashboard_values(), **self._dashboard_hold_values()}

    def _dashboard_hold_values(self):
        today = fields.Date.context_today(self)
        week_start, week_end = self._week(today)
        Dispute = self.env["account.dunning.dispute"]
        open_by_reason = dict(
            Dispute._read_group(self._dispute_open_domain(), ["reason"], ["__count"])
        )
        late_by_reason = dict(
            Dispute._read_group(
                self._dispute_late_domain(today), ["reason"], ["__count"]
            )
        )
        labels = dict(Dispute._fields["reason"]._description_selection(self.env))
        # the most frequent reasons first
        reasons = [
            {
                "label": labels.get(reason, reason),
                "count": count,
                "late": late_by_reason.get(reason, 0),
            }
            for reason, count in sorted(
                open_by_reason.items(), key=lambda item: (-item[1], item[0])
            )
        ]
        Promise = self.env["account.dunning.promise"]
        Plan = self.env["account.dunning.plan"]
        return {
            "dispute_open_count": sum(open_by_reason.values()),
            "dispute_late_count": sum(late_by_reason.values()),
            "promise_due_count": Promise.search_count(
                self._promise_due_domain(week_start, week_end)
            ),
            "promise_broken_count": Promise.search_count(
                self._promise_broken_domain(today)
            ),
            "plan_active_count": Plan.search_count(self._plan_active_domain()),
            "plan_broken_count": Plan.search_count(self._plan_broken_domain(today)),
            "instalment_due_count": self.env["account.dunning.plan.line"].search_count(
                self._instalment_due_domain(week_start, week_end)
            ),
            "disputes_html": self.env["ir.qweb"]._render(
                "account_dunning.dashboard_disputes", {"reasons": reasons}
            ),
        }

    def _week(self, today):
        """The first and last days of today's week, which starts on the day of the
        user's language (Monday in French, Sunday in American English)."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        first_weekday = int(lang.week_start or 1)  # 1 Monday ... 7 Sunday
        start = today - timedelta(days=(today.isoweekday() - first_weekday) % 7)
        return start, start + timedelta(days=6)

    # ------------------------------------------------------------- domains
    def _dispute_open_domain(self):
        return [("state", "=", "open")]

    def _dispute_late_domain(self, today):
        return [("state", "=", "open"), ("deadline", "<", today)]

    def _promise_due_domain(self, week_start, week_end):
        return [
            ("state", "=", "open"),
            ("date", ">=", week_start),
            ("date", "<=", week_end),
        ]

    def _promise_broken_domain(self, today):
        return [
            ("state", "=", "broken"),
            ("closed_date", ">=", today - timedelta(days=BROKEN_DAYS)),
        ]

    def _plan_active_domain(self):
        return [("state", "=", "active")]

    def _plan_broken_domain(self, today):
        return [
            ("state", "=", "broken"),
            ("closed_date", ">=", today - timedelta(days=BROKEN_DAYS)),
        ]

    def _instalment_due_domain(self, week_start, week_end):
        return [
            ("plan_id.state", "=", "active"),
            ("state", "!=", "paid"),
            ("date", ">=", week_start),
            ("date", "<=", week_end),
        ]

    # ------------------------------------------------------------- actions
    def _hold_action(self, xmlid, name, domain, context=None):
        """The records' own action (its views and help) on the dashboard's list."""
        action = self.env["ir.actions.actions"]._for_xml_id(xmlid)
        # the list first (the instalments open on their calendar otherwise)
        views = sorted(action.get("views") or [], key=lambda view: view[1] != "list")
        action.update(
            {"name": name, "domain": domain, "context": context or {}, "views": views}
        )
        return action

    def action_open_disputes(self):
        return self._hold_action(
            "account_dunning.account_dunning_dispute_action",
            self.env._("Open Disputes"),
            self._dispute_open_domain(),
            {"group_by": ["reason"]},
        )

    def action_open_late_disputes(self):
        return self._hold_action(
            "account_dunning.account_dunning_dispute_action",
            self.env._("Disputes Past Deadline"),
            self._dispute_late_domain(fields.Date.context_today(self)),
        )

    def action_open_promises_due(self):
        return self._hold_action(
            "account_dunning.account_dunning_promise_action",
            self.env._("Promises Due This Week"),
            self._promise_due_domain(*self._week(fields.Date.context_today(self))),
        )

    def action_open_promises_broken(self):
        return self._hold_action(
            "account_dunning.account_dunning_promise_action",
            self.env._("Promises Broken in the Last 30 Days"),
            self._promise_broken_domain(fields.Date.context_today(self)),
        )

    def action_open_plans_active(self):
        return self._hold_action(
            "account_dunning.account_dunning_plan_action",
            self.env._("Active Payment Plans"),
            self._plan_active_domain(),
        )

    def action_open_plans_broken(self):
        return self._hold_action(
            "account_dunning.account_dunning_plan_action",
            self.env._("Payment Plans Broken in the Last 30 Days"),
            self._plan_broken_domain(fields.Date.context_today(self)),
        )

    def action_open_instalments_due(self):
        return self._hold_action(
            "account_dunning.account_dunning_plan_line_action",
            self.env._("Instalments Due This Week"),
            self._instalment_due_domain(*self._week(fields.Date.context_today(self))),
        )
