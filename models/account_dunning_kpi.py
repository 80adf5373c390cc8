# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from . import aging_rules

KPI_GROUP_BYS = ("partner", "user", "category")
# Sales months read back from each trend point for the countback DSO
COUNTBACK_MONTHS = 24
TREND_POINTS = 12


def _or_false(value):
    """KPIs that cannot be computed (no sales, no payment) are False, as Odoo
    returns empty values, so that XML-RPC can carry them."""
    return False if value is None else value


class AccountDunningKpi(models.AbstractModel):
    """Collection KPIs over a period, computed with a few set-based queries.

    - DSO, countback: the receivable balance at the end is matched against the
      credit sales (invoices less credit notes) of the latest calendar month, then
      the month before, and so on (the latest month runs up to ``date_to``).
    - DSO, simple: receivable at the end / sales of the period x days of the period.
    - DMP: days from invoice date to payment date, weighted by the amount paid, for
      payments dated within the period (bank, cash and card journals).
    - Days late: payment date minus due date, weighted the same way (negative when
      paid early).
    - Paid late: share of the invoices fully paid within the period whose last
      payment came after their due date.
    - CEI: (receivable at the start + sales - receivable at the end) / (receivable
      at the start + sales - receivable not yet due at the end) x 100.
    - A KPI that cannot be computed (no sales, no payment...) is False.
    - Disputed amount, share of promises kept, days to resolve a dispute: see
      account_dunning_kpi_hold.py.
    - Trend: at the end of each of the last 12 months (the last point being
      ``date_to``), the overdue total, the receivable, the countback DSO and the
      DMP of that month's payments.
    """

    _name = "account.dunning.kpi"
    _description = "Collection KPIs"

    @api.model
    @api.readonly
    def get_kpis(self, date_from, date_to, company_ids, group_by=None):
        """One plain dict per group (one when ``group_by`` is None)."""
        aging = self.env["account.dunning.aging"]
        date_from = aging._aging_date(date_from)
        date_to = aging._aging_date(date_to)
        if date_from > date_to:
            raise UserError(
                self.env._(
                    "The KPI period starts on %(start)s, after its end %(end)s.",
                    start=date_from,
                    end=date_to,
                )
            )
        if group_by not in (None, False, "") and group_by not in KPI_GROUP_BYS:
            raise UserError(
                self.env._(
                    "Cannot group the KPIs by %(group_by)s; choose one of %(choices)s.",
                    group_by=group_by,
                    choices=", ".join(KPI_GROUP_BYS),
                )
            )
        group_by = group_by or None
        companies = aging._aging_companies(company_ids)
        aging._aging_flush()
        points = aging_rules.trend_points(date_to, TREND_POINTS)
        stats = defaultdict(lambda: defaultdict(float))
        series = defaultdict(lambda: defaultdict(lambda: defaultdict(float)))
        context = {
            "companies": companies,
            "date_from": date_from,
            "date_to": date_to,
            "points": points,
            "group_by": group_by,
            "key": self._kpi_key_sql(group_by),
            "accounts": aging._aging_receivable_account_ids(),
            "sale_journals": self._kpi_sale_journal_ids(companies),
        }
        self._kpi_balances(context, stats, series)
        self._kpi_monthly_sales(context, series)
        self._kpi_open_at_end(context, stats)
        self._kpi_payments(context, stats, series)
        self._kpi_paid_late(context, stats)
        self._kpi_overdue_trend(context, series)
        self._kpi_holds(context, stats)
        names = aging._aging_key_names(group_by, {key for key, _cur in stats})
        result = [
            self._kpi_row(key, currency_id, values, series[key, currency_id], context)
            for (key, currency_id), values in stats.items()
        ]
        for row in result:
            row["name"] = names.get(row["key"], "")
        result.sort(key=lambda row: (row["key"] is False, row["name"].lower()))
        return result

    # ------------------------------------------------------------------ SQL
    @api.model
    def _kpi_sale_journal_ids(self, companies):
        # Credit sales are the receivable items of sales journals (invoices and
        # credit notes): no join with account_move on every item.
        journals = (
            self.env["account.journal"]
            .sudo()
            .search([("type", "=", "sale"), ("company_id", "in", companies.ids)])
        )
        return journals.ids or [0]

    @api.model
    def _kpi_keys_sql(self, group_by):
        """Each partner's group key, as a small table joined to the journal
        items by hash, instead of grouping items per partner first."""
        return {
            "partner": SQL(
                "SELECT partner.id AS partner_id,"
                "       partner.commercial_partner_id AS key"
                "  FROM res_partner partner"
            ),
            "user": SQL(
                "SELECT partner.id AS partner_id, customer.user_id AS key"
                "  FROM res_partner partner"
                "  JOIN res_partner customer"
                "    ON customer.id = partner.commercial_partner_id"
            ),
            "category": SQL(
                "SELECT partner.id AS partner_id, tag.category_id AS key"
                "  FROM res_partner partner"
                "  LEFT JOIN (SELECT partner_id, MIN(category_id) AS category_id"
                "               FROM res_partner_res_partner_category_rel"
                "              GROUP BY partner_id) AS tag"
                "         ON tag.partner_id = partner.commercial_partner_id"
            ),
        }[group_by]

    @api.model
    def _kpi_key_sql(self, group_by):
        """The group key of a journal item ``item`` (``keys`` joined)."""
        if not group_by:
            return SQL("NULL::integer")
        if group_by == "user":
            # the customer's salesperson, else the entry's
            return SQL("COALESCE(keys.key, entry.invoice_user_id)")
        return SQL("keys.key")

    @api.model
    def _kpi_query(self, context, body):
        """Run ``body`` (which reads ``keys`` through ``_kpi_lines_sql``)."""
        if context["group_by"]:
            body = SQL(
                "WITH keys AS (%s) %s", self._kpi_keys_sql(context["group_by"]), body
            )
        return self.env.execute_query(body)

    @api.model
    def _kpi_lines_sql(self, context, extra=None, joins=None):
        """Posted receivable journal items up to ``date_to`` (alias ``item``),
        with their group key's table ``keys`` when grouping."""
        return SQL(
            """
                  FROM account_move_line item
                  %(keys_join)s
                  %(entry_join)s
                  %(joins)s
                 WHERE item.account_id = ANY(%(accounts)s)
                   AND item.parent_state = 'posted'
                   AND item.company_id = ANY(%(company_ids)s)
                   AND item.date <= %(date_to)s
                   AND %(extra)s
            """,
            keys_join=SQL("LEFT JOIN keys ON keys.partner_id = item.partner_id")
            if context["group_by"]
            else SQL(""),
            entry_join=SQL("JOIN account_move entry ON entry.id = item.move_id")
            if context["group_by"] == "user"
            else SQL(""),
            accounts=context["accounts"],
            company_ids=context["companies"].ids,
            date_to=context["date_to"],
            extra=extra or SQL("TRUE"),
            joins=joins or SQL(""),
        )

    @api.model
    def _kpi_maturity_sql(self):
        return SQL("COALESCE(item.date_maturity, item.date)")

    @api.model
    def _kpi_point_index(self, day_sql, context):
        """How many trend points fall strictly before the date: the first point
        whose date is on or after it."""
        return SQL(
            "width_bucket((%s - 1)::date, %s::date[])", day_sql, context["points"]
        )

    @api.model
    def _kpi_balances(self, context, stats, series):
        """Receivable at the start, at the end and at each trend point; sales."""
        rows = self._kpi_query(
            context,
            SQL(
                """
                SELECT %(key)s, item.company_currency_id, %(point)s,
                       SUM(item.balance),
                       SUM(item.balance) FILTER (WHERE item.date < %(date_from)s),
                       SUM(item.balance) FILTER (WHERE item.date >= %(date_from)s
                                        AND item.journal_id = ANY(%(sales)s))
                %(lines)s
                 GROUP BY 1, 2, 3
                """,
                key=context["key"],
                point=self._kpi_point_index(SQL("item.date"), context),
                date_from=context["date_from"],
                sales=context["sale_journals"],
                lines=self._kpi_lines_sql(context),
            ),
        )
        for key, currency_id, point, balance, before, sales in rows:
            values = stats[key or False, currency_id]
            values["receivable_end"] += float(balance or 0)
            values["receivable_begin"] += float(before or 0)
            values["sales"] += float(sales or 0)
            series[key or False, currency_id]["receivable_delta"][point] += float(
                balance or 0
            )

    @api.model
    def _kpi_monthly_sales(self, context, series):
        first_month = aging_rules.add_months(
            context["points"][0], -COUNTBACK_MONTHS
        ).replace(day=1)
        rows = self._kpi_query(
            context,
            SQL(
                """
                SELECT %(key)s, item.company_currency_id,
                       date_trunc('month', item.date)::date, SUM(item.balance)
                %(lines)s
                 GROUP BY 1, 2, 3
                """,
                key=context["key"],
                lines=self._kpi_lines_sql(
                    context,
                    SQL(
                        "item.date >= %s AND item.journal_id = ANY(%s)",
                        first_month,
                        context["sale_journals"],
                    ),
                ),
            ),
        )
        for key, currency_id, month, sales in rows:
            series[key or False, currency_id]["sales"][month] += float(sales or 0)

    @api.model
    def _kpi_open_at_end(self, context, stats):
        """Receivable not yet due and overdue at ``date_to``: the aged balance."""
        aging = self.env["account.dunning.aging"]
        limits = aging_rules.DEFAULT_BUCKET_LIMITS
        rows = self.env.execute_query(
            aging._aging_grouped_sql(
                context["date_to"],
                context["companies"],
                limits,
                context["group_by"],
                {},
                False,
            )
        )
        width = len(limits) + 2
        for key, currency_id, _currency, *amounts in rows:
            values = stats[key or False, currency_id]
            values["not_due_end"] += float(amounts[0])
            values["overdue_end"] += float(sum(amounts[1:width]))

    @api.model
    def _kpi_payments(self, context, stats, series):
        """Payments matched with invoices: amounts and amount x days, for the
        period and for each trend month."""
        points = context["points"]
        window_start = min(context["date_from"], points[0].replace(day=1))
        rows = self._kpi_query(
            context,
            SQL(
                """
                SELECT %(key)s, item.company_currency_id, %(point)s,
                       partial.max_date >= %(date_from)s,
                       SUM(partial.amount),
                       SUM(partial.amount * (partial.max_date
                           - COALESCE(item.invoice_date, item.date))),
                       SUM(partial.amount * (partial.max_date - %(maturity)s))
                %(lines)s
                 GROUP BY 1, 2, 3, 4
                """,
                key=context["key"],
                point=self._kpi_point_index(SQL("partial.max_date"), context),
                date_from=context["date_from"],
                maturity=self._kpi_maturity_sql(),
                lines=self._kpi_lines_sql(
                    context,
                    SQL(
                        "item.journal_id = ANY(%s) AND item.balance > 0"
                        " AND journal.type IN ('bank', 'cash', 'credit')"
                        " AND partial.max_date BETWEEN %s AND %s",
                        context["sale_journals"],
                        window_start,
                        context["date_to"],
                    ),
                    SQL(
                        "JOIN account_partial_reconcile partial"
                        "  ON partial.debit_move_id = item.id"
                        " JOIN account_move_line paid_by"
                        "  ON paid_by.id = partial.credit_move_id"
                        " JOIN account_journal journal"
                        "  ON journal.id = paid_by.journal_id"
                    ),
                ),
            ),
        )
        for (
            key,
            currency_id,
            point,
            in_period,
            amount,
            amount_days,
            amount_late,
        ) in rows:
            group = (key or False, currency_id)
            if in_period:
                values = stats[group]
                values["paid"] += float(amount)
                values["paid_days"] += float(amount_days)
                values["paid_late_days"] += float(amount_late)
            if point < len(points):
                series[group]["paid"][point] += float(amount)
                series[group]["paid_days"][point] += float(amount_days)

    @api.model
    def _kpi_paid_late(self, context, stats):
        """Invoices fully paid within the period, and how many of them late."""
        rows = self._kpi_query(
            context,
            SQL(
                """
                SELECT key, currency_id, COUNT(*),
                       COUNT(*) FILTER (WHERE paid_on > date_maturity)
                  FROM (SELECT item.id, %(key)s AS key,
                               item.company_currency_id AS currency_id,
                               %(maturity)s AS date_maturity,
                               MAX(partial.max_date) AS paid_on
                        %(lines)s
                         GROUP BY 1, 2, 3, 4) AS paid
                 WHERE paid_on BETWEEN %(date_from)s AND %(date_to)s
                 GROUP BY 1, 2
                """,
                key=context["key"],
                maturity=self._kpi_maturity_sql(),
                date_from=context["date_from"],
                date_to=context["date_to"],
                lines=self._kpi_lines_sql(
                    context,
                    SQL(
                        "item.journal_id = ANY(%s) AND item.reconciled"
                        " AND item.balance > 0",
                        context["sale_journals"],
                    ),
                    SQL(
                        "JOIN account_partial_reconcile partial"
                        "  ON partial.debit_move_id = item.id"
                    ),
                ),
            ),
        )
        for key, currency_id, paid_count, late_count in rows:
            values = stats[key or False, currency_id]
            values["paid_count"] += paid_count
            values["paid_late_count"] += late_count

    @api.model
    def _kpi_overdue_trend(self, context, series):
        """Overdue total at each trend point without reading each point apart.

        An invoice item counts from the first point after its due date (and not
        before its own date) with its amount; each payment or credit note matched
        with it counts negatively from the first point on or after its date.
        Running sums over the points then give the overdue residual at each one.
        """
        starts = self._kpi_point_index(
            SQL("GREATEST(item.date, %s + 1)", self._kpi_maturity_sql()), context
        )
        rows = self._kpi_query(
            context,
            SQL(
                """
                SELECT key, currency_id, point, SUM(amount) FROM (
                    SELECT %(key)s AS key, item.company_currency_id AS currency_id,
                           %(starts)s AS point, item.balance AS amount
                    %(lines)s
                    UNION ALL
                    SELECT %(key)s, item.company_currency_id,
                           GREATEST(%(starts)s, %(matched)s), -partial.amount
                    %(matched_lines)s
                ) AS moves
                 WHERE point < %(count)s
                 GROUP BY 1, 2, 3
                """,
                key=context["key"],
                starts=starts,
                matched=self._kpi_point_index(SQL("partial.max_date"), context),
                count=len(context["points"]),
                lines=self._kpi_lines_sql(context, SQL("item.balance > 0")),
                matched_lines=self._kpi_lines_sql(
                    context,
                    SQL("item.balance > 0"),
                    SQL(
                        "JOIN account_partial_reconcile partial"
                        "  ON partial.debit_move_id = item.id"
                    ),
                ),
            ),
        )
        for key, currency_id, point, amount in rows:
            series[key or False, currency_id]["overdue_delta"][point] += float(amount)

    # ------------------------------------------------------------- results
    @api.model
    def _kpi_row(self, key, currency_id, values, series, context):
        currency = self.env["res.currency"].browse(currency_id)
        date_from, date_to, points = (
            context["date_from"],
            context["date_to"],
            context["points"],
        )
        period_days = (date_to - date_from).days + 1
        receivable = aging_rules.cumulate(series["receivable_delta"], len(points))
        overdue = aging_rules.cumulate(series["overdue_delta"], len(points))
        trend = []
        for index, point in enumerate(points):
            trend.append(
                {
                    "date": point,
                    "overdue": currency.round(overdue[index]),
                    "receivable": currency.round(receivable[index]),
                    "dso": self._kpi_countback(
                        receivable[index], series["sales"], point
                    ),
                    "dmp": _or_false(
                        aging_rules.weighted_days(
                            series["paid_days"].get(index, 0.0),
                            series["paid"].get(index, 0.0),
                        )
                    ),
                }
            )
        paid_count = int(values["paid_count"])
        return {
            "key": key,
            "currency_id": currency_id,
            "date_from": date_from,
            "date_to": date_to,
            "receivable_begin": currency.round(values["receivable_begin"]),
            "receivable_end": currency.round(values["receivable_end"]),
            "sales": currency.round(values["sales"]),
            "not_due_end": currency.round(values["not_due_end"]),
            "overdue_end": currency.round(values["overdue_end"]),
            "paid": currency.round(values["paid"]),
            "dso": self._kpi_countback(
                values["receivable_end"], series["sales"], date_to
            ),
            "dso_simple": _or_false(
                aging_rules.dso_simple(
                    values["receivable_end"], values["sales"], period_days
                )
            ),
            "dmp": _or_false(
                aging_rules.weighted_days(values["paid_days"], values["paid"])
            ),
            "days_late": _or_false(
                aging_rules.weighted_days(values["paid_late_days"], values["paid"])
            ),
            "paid_count": paid_count,
            "paid_late_count": int(values["paid_late_count"]),
            "late_share": _or_false(
                aging_rules.share(values["paid_late_count"], paid_count)
            ),
            "cei": _or_false(
                aging_rules.cei(
                    values["receivable_begin"],
                    values["sales"],
                    values["receivable_end"],
                    values["not_due_end"],
                )
            ),
            "trend": trend,
        }

    @api.model
    def _kpi_countback(self, receivable, monthly_sales, on_date):
        periods = aging_rules.countback_periods(on_date, COUNTBACK_MONTHS)
        return _or_false(
            aging_rules.dso_countback(
                receivable,
                [monthly_sales.get(start, 0.0) for start, _end in periods],
                [(end - start).days + 1 for start, end in periods],
            )
        )
