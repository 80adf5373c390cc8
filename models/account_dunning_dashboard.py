# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from . import aging_rules

TOP_DEBTORS = 10
KPI_ROWS = 20


class AccountDunningDashboard(models.TransientModel):
    """The collection dashboard: a form whose figures are computed on opening,
    from the aged balance and the KPIs of the selected companies."""

    _name = "account.dunning.dashboard"
    _description = "Collection Dashboard"
    _transient_max_hours = 12

    name = fields.Char(
        default=lambda self: self.env._("Collection Dashboard"), readonly=True
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self)
        - relativedelta(years=1, days=-1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    kpi_group_by = fields.Selection(
        [("partner", "Customer"), ("user", "Salesperson"), ("category", "Tag")],
        string="KPIs By",
        help="Compare the indicators per customer, salesperson or tag (a few "
        "seconds more on large databases).",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_dashboard")
    overdue_total = fields.Monetary(compute="_compute_dashboard")
    receivable_total = fields.Monetary(compute="_compute_dashboard")
    dso = fields.Float(string="DSO (countback)", compute="_compute_dashboard")
    dso_simple = fields.Float(string="DSO (simple)", compute="_compute_dashboard")
    dmp = fields.Float(string="DMP", compute="_compute_dashboard")
    days_late = fields.Float(string="Average Days Late", compute="_compute_dashboard")
    late_share = fields.Float(string="Paid Late (%)", compute="_compute_dashboard")
    cei = fields.Float(string="CEI (%)", compute="_compute_dashboard")
    disputed = fields.Monetary(
        compute="_compute_dashboard",
        help="The amount under open dispute on the last day of the period.",
    )
    promises_kept_share = fields.Float(
        string="Promises Kept (%)", compute="_compute_dashboard"
    )
    dispute_days = fields.Float(
        string="Days to Resolve a Dispute", compute="_compute_dashboard"
    )
    due_count = fields.Integer(
        string="Customers Due Today", compute="_compute_dashboard"
    )
    call_count = fields.Integer(string="Calls Due", compute="_compute_dashboard")
    review_count = fields.Integer(string="To Review", compute="_compute_dashboard")
    blocked_count = fields.Integer(
        string="Blocked Customers", compute="_compute_dashboard"
    )
    buckets_html = fields.Html(compute="_compute_dashboard", sanitize=False)
    debtors_html = fields.Html(compute="_compute_dashboard", sanitize=False)
    trend_html = fields.Html(compute="_compute_dashboard", sanitize=False)
    kpi_html = fields.Html(compute="_compute_dashboard", sanitize=False)
    rate_warning = fields.Text(
        string="Reference Rates Warning",
        compute="_compute_rate_warning",
        help="Reference rates whose current half-year is not known yet: the "
        "interest of its days is provisional.",
    )

    @api.depends("date_from", "date_to", "kpi_group_by")
    @api.depends_context("allowed_company_ids")
    def _compute_dashboard(self):
        for dashboard in self:
            dashboard.update(dashboard._dashboard_values())

    @api.depends_context("tz", "lang")
    def _compute_rate_warning(self):
        warnings = self.env["account.dunning.rate.series"]._stale_warnings(
            fields.Date.context_today(self)
        )
        self.rate_warning = "\n".join(warnings)

    def _dashboard_values(self):
        companies = self.env.companies
        currency = self.env.company.currency_id
        date_from = self.date_from or fields.Date.context_today(self)
        date_to = self.date_to or fields.Date.context_today(self)
        date_from = min(date_from, date_to)
        aging = self.env["account.dunning.aging"]
        # one currency on screen: the current company's (others are left out)
        rows = [
            row
            for row in aging.get_aging(date_to, companies.ids)
            if row["currency_id"] == currency.id
        ]
        kpi_model = self.env["account.dunning.kpi"]
        kpis = next(
            (
                row
                for row in kpi_model.get_kpis(date_from, date_to, companies.ids)
                if row["currency_id"] == currency.id
            ),
            {},
        )
        # the groups with the most overdue first, and no more than a screenful
        by_group = []
        if self.kpi_group_by:
            by_group = sorted(
                (
                    row
                    for row in kpi_model.get_kpis(
                        date_from, date_to, companies.ids, self.kpi_group_by
                    )
                    if row["currency_id"] == currency.id
                ),
                key=lambda row: row["overdue_end"],
                reverse=True,
            )[:KPI_ROWS]
        labels = aging.get_aging_labels()
        totals = aging_rules.sum_rows(rows, len(labels))

        def overdue(row):
            return sum(row["buckets"][1:])

        debtors = sorted(rows, key=overdue, reverse=True)[:TOP_DEBTORS]
        debtors = [row for row in debtors if overdue(row) > 0]
        values = {
            "currency": currency,
            "labels": labels,
            "bucket_totals": totals["buckets"],
            "unapplied": totals["unapplied"],
            "debtors": debtors,
            "kpis": kpis,
            "by_group": by_group,
            "format_amount": lambda amount: self.env[
                "ir.qweb.field.monetary"
            ].value_to_html(amount, {"display_currency": currency}),
            "format_days": lambda days: "-" if days is False else "%.1f" % days,
        }
        qweb = self.env["ir.qweb"]
        return {
            "currency_id": currency.id,
            "overdue_total": overdue(totals),
            "receivable_total": totals["total"],
            "dso": kpis.get("dso") or 0.0,
            "dso_simple": kpis.get("dso_simple") or 0.0,
            "dmp": kpis.get("dmp") or 0.0,
            "days_late": kpis.get("days_late") or 0.0,
            "late_share": kpis.get("late_share") or 0.0,
            "cei": kpis.get("cei") or 0.0,
            "disputed": kpis.get("disputed") or 0.0,
            "promises_kept_share": kpis.get("promises_kept_share") or 0.0,
            "dispute_days": kpis.get("dispute_days") or 0.0,
            **self._dashboard_counts(),
            "buckets_html": qweb._render("account_dunning.dashboard_buckets", values),
            "debtors_html": qweb._render("account_dunning.dashboard_debtors", values),
            "trend_html": qweb._render("account_dunning.dashboard_trend", values),
            "kpi_html": qweb._render("account_dunning.dashboard_kpis", values),
        }

    def _dashboard_counts(self):
        today = fields.Date.context_today(self)
        partners = self.env["res.partner"]
        return {
            "due_count": partners.search_count(self._due_domain(today)),
            "call_count": self.env["mail.activity"].search_count(
                self._call_domain(today)
            ),
            "review_count": self.env["account.dunning.action"].search_count(
                [("state", "=", "to_review")]
            ),
            "blocked_count": partners.search_count(self._blocked_domain()),
        }

    def _due_domain(self, today):
        return [
            ("parent_id", "=", False),
            ("dunning_next_action_date", "!=", False),
            ("dunning_next_action_date", "<=", today),
        ]

    def _blocked_domain(self):
        return [("dunning_blocked", "=", True), ("parent_id", "=", False)]

    def _call_domain(self, today):
        """Open phone-call activities planned by dunning actions, due by today."""
        calls = self.env["account.dunning.action"].search(
            [("activity_id", "!=", False), ("activity_id.date_deadline", "<=", today)]
        )
        return [("id", "in", calls.activity_id.ids)]

    # ------------------------------------------------------------- actions
    @api.model
    def action_open_dashboard(self):
        """A saved dashboard, so that the breadcrumb shows its name."""
        dashboard = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": dashboard.name,
            "res_model": self._name,
            "res_id": dashboard.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_open_aging(self):
        wizard = self.env["account.dunning.aging.wizard"].create(
            {"date": self.date_to, "company_ids": self.env.companies.ids}
        )
        return wizard.action_open_lines()

    def _list_action(self, name, model, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
        }

    def action_open_due(self):
        return self._list_action(
            self.env._("Customers Due For Dunning"),
            "res.partner",
            self._due_domain(fields.Date.context_today(self)),
        )

    def action_open_calls(self):
        return self._list_action(
            self.env._("Dunning Calls Due"),
            "mail.activity",
            self._call_domain(fields.Date.context_today(self)),
        )

    def action_open_review(self):
        return self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_action_review_action"
        )

    def action_open_blocked(self):
        return self._list_action(
            self.env._("Blocked Customers"), "res.partner", self._blocked_domain()
        )
