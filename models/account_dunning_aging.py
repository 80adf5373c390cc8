# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from . import aging_rules

GROUP_BYS = ("partner", "user", "category", "country", "company")
FILTER_KEYS = (
    "partner_ids",
    "category_ids",
    "user_ids",
    "level_ids",
    "blocked",
    "excluded",
    "disputed",
    "promised",
    "in_plan",
    "doubtful",
)
# Filters whose False is a value of its own (not blocked, not disputed...).
BOOLEAN_FILTER_KEYS = (
    "blocked",
    "excluded",
    "disputed",
    "promised",
    "in_plan",
    "doubtful",
)


class AccountDunningAging(models.AbstractModel):
    """The aged balance of receivables as of a date, computed in SQL.

    A journal item's residual as of a date is its residual today plus whatever was
    matched with it after that date (partials whose later line is dated after it),
    so that only the partials after the date are read: as of today almost none.
    """

    _name = "account.dunning.aging"
    _description = "Aged Receivable Balance"

    # ------------------------------------------------------------ public API
    @api.model
    @api.readonly
    def get_aging(
        self,
        date,
        company_ids,
        group_by="partner",
        buckets=None,
        filters=None,
        by_currency=False,
    ):
        """The aged balance as of ``date``, one plain dict per group.

        ``group_by``: partner, user (the customer's salesperson, else the
        invoice's), category, country, company or
        None (one row). ``buckets``: upper day limits of the ranges, "30,60,90,120"
        or a list (default). ``filters``: partner_ids, category_ids, user_ids,
        level_ids, blocked (bool), excluded (bool), doubtful (bool: only the
        doubtful receivables, or none of them). Amounts are in company currency:
        ``buckets`` (not yet due, then each range), ``unapplied`` (payments and
        credit notes not matched yet, negative), ``doubtful`` (the open items of
        the doubtful receivables account, 416, whatever their age) and ``total``
        (all of them); with ``by_currency``
        each row also holds ``currencies``, the same amounts per invoice currency.
        """
        as_of = self._aging_date(date)
        companies = self._aging_companies(company_ids)
        limits = self._aging_limits(buckets)
        group_by = self._aging_group_by(group_by)
        self._aging_flush()
        rows = self.env.execute_query(
            self._aging_grouped_sql(
                as_of, companies, limits, group_by, filters or {}, by_currency
            )
        )
        return self._aging_rows(rows, limits, group_by, by_currency)

    @api.model
    def get_aging_labels(self, buckets=None):
        """Column titles: not yet due, each range, then unapplied."""
        limits = self._aging_limits(buckets)
        return self._aging_bucket_labels(limits)

    @api.model
    def _aging_flush(self):
        """Write pending changes of what the raw queries read."""
        for model in (
            "account.move",
            "account.move.line",
            "account.partial.reconcile",
            "res.partner",
            # the doubtful receivables accounts of the companies
            "res.company",
            "account.dunning.promise",
            "account.dunning.plan",
        ):
            self.env[model].flush_model()

    # ---------------------------------------------------------- validation
    @api.model
    def _aging_date(self, date):
        if not date:
            return fields.Date.context_today(self)
        try:
            return fields.Date.to_date(date)
        except ValueError as error:
            raise UserError(
                self.env._("The aging date %(date)s is not a date.", date=date)
            ) from error

    @api.model
    def _aging_companies(self, company_ids):
        """The requested companies, all of which the user must be allowed in."""
        if not (
            self.env.su
            or self.env.user.has_group("account_dunning.group_dunning_user")
            or self.env.user.has_group("account.group_account_readonly")
        ):
            raise AccessError(
                self.env._("Only dunning and accounting users can read aged balances.")
            )
        if isinstance(company_ids, int):
            company_ids = [company_ids]
        ids = list(company_ids or self.env.companies.ids)
        companies = self.env["res.company"].browse(ids).exists()
        if len(companies) != len(set(ids)):
            raise UserError(self.env._("Unknown company in %(ids)s.", ids=ids))
        if not self.env.su:
            forbidden = companies - self.env.user.company_ids
            if forbidden:
                raise AccessError(
                    self.env._(
                        "You are not allowed to read the receivables of %(companies)s.",
                        companies=", ".join(forbidden.mapped("name")),
                    )
                )
        return companies

    @api.model
    def _aging_limits(self, buckets):
        try:
            return aging_rules.parse_bucket_limits(buckets)
        except (ValueError, TypeError) as error:
            raise UserError(
                self.env._(
                    "Aging ranges must be increasing whole numbers of days, fewer "
                    "than %(max)s, such as 30,60,90,120 (got %(value)s).",
                    max=aging_rules.MAX_BUCKET_RANGES,
                    value=buckets,
                )
            ) from error

    @api.model
    def _aging_group_by(self, group_by):
        if group_by in (None, False, ""):
            return None
        if group_by not in GROUP_BYS:
            raise UserError(
                self.env._(
                    "Cannot group the aged balance by %(group_by)s; choose one of "
                    "%(choices)s.",
                    group_by=group_by,
                    choices=", ".join(GROUP_BYS),
                )
            )
        return group_by

    @api.model
    def _aging_bucket_labels(self, limits):
        labels = [self.env._("Not Due")]
        for first, last in aging_rules.bucket_ranges(limits):
            if last is None:
                labels.append(self.env._("Over %(days)s", days=first - 1))
            else:
                labels.append(self.env._("%(first)s-%(last)s", first=first, last=last))
        return labels

    # ------------------------------------------------------------------ SQL
    @api.model
    def _aging_receivable_account_ids(self):
        # A literal list (not a sub-query) lets PostgreSQL estimate the rows from
        # its statistics on account_id, and so choose hash joins.
        return [
            account_id
            for (account_id,) in self.env.execute_query(
                SQL(
                    "SELECT id FROM account_account"
                    " WHERE account_type = 'asset_receivable'"
                )
            )
        ] or [0]

    @api.model
    def _aging_items_sql(self, as_of, companies, commercial=True):
        """One row per receivable journal item open as of ``as_of``.

        Columns: id, move_id, partner_id (the commercial partner, or the item's own
        partner when not ``commercial``), company_id,
        company_currency_id, currency_id, date, date_maturity, doubtful (an item of
        a company's doubtful receivables account), residual (company currency)
        and residual_currency (the item's currency).
        """
        doubtful = SQL(
            "aml.account_id IN (SELECT company.dunning_doubtful_account_id"
            "   FROM res_company company"
            "  WHERE company.dunning_doubtful_account_id IS NOT NULL)"
        )
        # a doubtful item stands for its invoice (disputed, excluded, salesperson
        # filters read the invoice, not the transfer to 416)
        columns = SQL(
            "aml.id,"
            " CASE WHEN %(doubtful)s THEN COALESCE("
            "   (SELECT invoice.id FROM account_move invoice"
            "     WHERE invoice.dunning_doubtful_entry_id = aml.move_id LIMIT 1),"
            "   aml.move_id) ELSE aml.move_id END AS move_id,"
            " aml.partner_id, aml.company_id,"
            " aml.company_currency_id, aml.currency_id, aml.date,"
            " COALESCE(aml.date_maturity, aml.date) AS date_maturity,"
            " %(doubtful)s AS doubtful",
            doubtful=doubtful,
        )
        conditions = SQL(
            "aml.account_id = ANY(%s) AND aml.parent_state = 'posted'"
            " AND aml.company_id = ANY(%s) AND aml.date <= %s",
            self._aging_receivable_account_ids(),
            companies.ids,
            as_of,
        )
        # The first branch reads the unreconciled items (Odoo's partial index on
        # them has this very condition); the second only the items matched after
        # the date, which are none as of today.
        return SQL(
            """
            WITH later AS (
                SELECT line_id, SUM(amount) AS amount,
                       SUM(amount_currency) AS amount_currency
                  FROM (SELECT debit_move_id AS line_id, amount,
                               debit_amount_currency AS amount_currency
                          FROM account_partial_reconcile
                         WHERE max_date > %(as_of)s
                        UNION ALL
                        SELECT credit_move_id, -amount, -credit_amount_currency
                          FROM account_partial_reconcile
                         WHERE max_date > %(as_of)s) AS matched
                 GROUP BY line_id
            ),
            items AS (
                SELECT %(columns)s,
                       aml.amount_residual + COALESCE(later.amount, 0) AS residual,
                       aml.amount_residual_currency
                           + COALESCE(later.amount_currency, 0) AS residual_currency
                  FROM account_move_line aml
                  LEFT JOIN later ON later.line_id = aml.id
                 WHERE (aml.reconciled IS NULL OR aml.reconciled = false
                        OR aml.reconciled IS NOT true)
                   AND %(conditions)s
                UNION ALL
                SELECT %(columns)s,
                       aml.amount_residual + later.amount,
                       aml.amount_residual_currency + later.amount_currency
                  FROM later
                  JOIN account_move_line aml ON aml.id = later.line_id
                 WHERE aml.reconciled IS true AND %(conditions)s
            )
            SELECT items.id, items.move_id, %(partner)s AS partner_id,
                   items.company_id, items.company_currency_id, items.currency_id,
                   items.date, items.date_maturity, items.doubtful,
                   items.residual, items.residual_currency
              FROM items
              %(partner_join)s
             WHERE items.residual != 0
            """,
            partner=SQL("COALESCE(partner.commercial_partner_id, items.partner_id)")
            if commercial
            else SQL("items.partner_id"),
            partner_join=SQL(
                "LEFT JOIN res_partner partner ON partner.id = items.partner_id"
            )
            if commercial
            else SQL(""),
            as_of=as_of,
            columns=columns,
            conditions=conditions,
        )

    @api.model
    def _aging_bucket_sql(self, as_of, limits, item="item"):
        """The bucket number of an item: -2 doubtful, -1 unapplied, 0 not due, then
        ranges."""
        days = SQL("(%s::date - %s.date_maturity)", as_of, SQL.identifier(item))
        whens = [
            SQL("WHEN %s <= %s THEN %s", days, limit, index)
            for index, limit in enumerate(limits, start=1)
        ]
        return SQL(
            "CASE WHEN %(item)s.doubtful THEN -2"
            " WHEN %(item)s.residual < 0 THEN -1 WHEN %(days)s <= 0 THEN 0 "
            "%(whens)s ELSE %(last)s END",
            item=SQL.identifier(item),
            days=days,
            whens=SQL(" ").join(whens),
            last=len(limits) + 1,
        )

    @api.model
    def _aging_key_sql(self, group_by):
        """The group key (aliases: ``item`` with the commercial partner_id, the
        company_id and the invoice's invoice_user_id; ``customer``)."""
        return {
            None: SQL("NULL::integer"),
            "partner": SQL("item.partner_id"),
            "user": SQL("COALESCE(customer.user_id, item.invoice_user_id)"),
            "category": SQL(
                "(SELECT MIN(rel.category_id)"
                "   FROM res_partner_res_partner_category_rel rel"
                "  WHERE rel.partner_id = item.partner_id)"
            ),
            "country": SQL("customer.country_id"),
            "company": SQL("item.company_id"),
        }[group_by]

    @api.model
    def _aging_check_filters(self, filters):
        unknown = set(filters) - set(FILTER_KEYS)
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown aged balance filter %(names)s; use %(choices)s.",
                    names=", ".join(sorted(unknown)),
                    choices=", ".join(FILTER_KEYS),
                )
            )
        return {
            name: value
            for name, value in filters.items()
            if value not in (None, [], ())
            and (value is not False or name in BOOLEAN_FILTER_KEYS)
        }

    @api.model
    def _aging_move_filter_sql(self, filters):
        """Conditions on the journal entry (alias ``move``)."""
        conditions = [SQL("TRUE")]
        if filters.get("level_ids"):
            conditions.append(
                # The level of the item itself: instalments are dunned one by one.
                SQL(
                    "item.id IN (SELECT id FROM account_move_line"
                    " WHERE dunning_level_id = ANY(%s))",
                    list(filters["level_ids"]),
                )
            )
        if "excluded" in filters:
            conditions.append(
                SQL(
                    "COALESCE(move.dunning_excluded, false) = %s",
                    bool(filters["excluded"]),
                )
            )
        if "doubtful" in filters:
            conditions.append(SQL("item.doubtful = %s", bool(filters["doubtful"])))
        if "disputed" in filters:
            conditions.append(
                SQL(
                    "COALESCE(move.dunning_disputed, false) = %s",
                    bool(filters["disputed"]),
                )
            )
        # An IN / NOT IN on the few held invoices: a semi-join or a hashed
        # sub-plan, not a sub-query per item. Read from the arrangements themselves,
        # not from dunning_hold, which shows one hold only (a plan wins over a
        # promise, a full dispute too).
        for name, held in (
            ("promised", self._aging_promised_moves_sql()),
            ("in_plan", self._aging_planned_moves_sql()),
        ):
            if name in filters:
                conditions.append(
                    SQL(
                        "item.move_id %s (%s)",
                        SQL("IN") if filters[name] else SQL("NOT IN"),
                        held,
                    )
                )
        return SQL(" AND ").join(conditions)

    @api.model
    def _aging_promised_moves_sql(self):
        """The invoices under an open promise to pay."""
        return SQL(
            "SELECT rel.move_id FROM account_dunning_promise_move_rel rel"
            "  JOIN account_dunning_promise promise ON promise.id = rel.promise_id"
            " WHERE promise.state = 'open'"
        )

    @api.model
    def _aging_planned_moves_sql(self):
        """The invoices and penalty invoices of the active payment plans."""
        return SQL(
            "SELECT rel.move_id FROM account_dunning_plan_move_rel rel"
            "  JOIN account_dunning_plan plan ON plan.id = rel.plan_id"
            " WHERE plan.state = 'active'"
            " UNION ALL"
            " SELECT rel.move_id FROM account_dunning_plan_penalty_move_rel rel"
            "  JOIN account_dunning_plan plan ON plan.id = rel.plan_id"
            " WHERE plan.state = 'active'"
        )

    @api.model
    def _aging_customer_filter_sql(self, filters):
        """Conditions on the customer (aliases as in ``_aging_key_sql``)."""
        conditions = [SQL("TRUE")]
        if filters.get("partner_ids"):
            conditions.append(
                SQL("item.partner_id = ANY(%s)", list(filters["partner_ids"]))
            )
        if filters.get("user_ids"):
            conditions.append(
                SQL(
                    "%s = ANY(%s)",
                    self._aging_key_sql("user"),
                    list(filters["user_ids"]),
                )
            )
        if filters.get("category_ids"):
            conditions.append(
                SQL(
                    "EXISTS (SELECT 1 FROM res_partner_res_partner_category_rel rel"
                    " WHERE rel.partner_id = item.partner_id"
                    " AND rel.category_id = ANY(%s))",
                    list(filters["category_ids"]),
                )
            )
        if "blocked" in filters:
            conditions.append(
                SQL(
                    "COALESCE((customer.dunning_blocked ->> item.company_id::text)"
                    "::boolean, false) = %s",
                    bool(filters["blocked"]),
                )
            )
        return SQL(" AND ").join(conditions)

    @api.model
    def _aging_grouped_sql(self, as_of, companies, limits, group_by, filters, by_cur):
        """Items summed by their own partner and range first, so that partners
        and customers are joined to a few rows per customer, not to each item."""
        filters = self._aging_check_filters(filters)
        with_user = group_by == "user" or bool(filters.get("user_ids"))
        needs_move = with_user or any(
            name in filters for name in ("level_ids", "excluded", "disputed")
        )
        needs_customer = group_by in ("user", "country") or any(
            name in filters for name in ("user_ids", "blocked")
        )
        needs_partner = (
            needs_customer
            or group_by in ("partner", "category")
            or any(name in filters for name in ("partner_ids", "category_ids"))
        )
        width = len(limits) + 2

        def sums(column):
            # one column per range, then unapplied (bucket -1), doubtful (-2),
            # then the total
            return SQL(", ").join(
                [
                    SQL(
                        "COALESCE(SUM(%s) FILTER (WHERE item.bucket = %s), 0)",
                        column,
                        index,
                    )
                    for index in [*range(width), -1, -2]
                ]
                + [SQL("SUM(%s)", column)]
            )

        return SQL(
            """
            WITH grouped AS (
                SELECT %(line_partner)s AS line_partner_id, item.company_id,
                       item.company_currency_id, %(currency)s AS currency_id,
                       %(invoice_user)s AS invoice_user_id, %(bucket)s AS bucket,
                       SUM(item.residual) AS amount,
                       SUM(item.residual_currency) AS amount_currency
                  FROM (%(items)s) AS item
                  %(move_join)s
                 WHERE %(move_filters)s
                 GROUP BY 1, 2, 3, 4, 5, 6
            )
            SELECT %(key)s AS key, item.company_currency_id, item.currency_id,
                   %(amounts)s, %(amounts_currency)s
              FROM (SELECT grouped.*, %(partner)s AS partner_id
                      FROM grouped
                      %(partner_join)s) AS item
              %(customer_join)s
             WHERE %(customer_filters)s
             GROUP BY 1, 2, 3
            """,
            line_partner=SQL("item.partner_id") if needs_partner else SQL("NULL"),
            partner=SQL(
                "COALESCE(partner.commercial_partner_id, grouped.line_partner_id)"
            )
            if needs_partner
            else SQL("NULL::integer"),
            partner_join=SQL(
                "LEFT JOIN res_partner partner"
                "       ON partner.id = grouped.line_partner_id"
            )
            if needs_partner
            else SQL(""),
            currency=SQL("item.currency_id") if by_cur else SQL("NULL::integer"),
            invoice_user=SQL("move.invoice_user_id")
            if with_user
            else SQL("NULL::integer"),
            bucket=self._aging_bucket_sql(as_of, limits),
            items=self._aging_items_sql(as_of, companies, commercial=False),
            move_join=SQL("JOIN account_move move ON move.id = item.move_id")
            if needs_move
            else SQL(""),
            move_filters=self._aging_move_filter_sql(filters),
            key=self._aging_key_sql(group_by),
            amounts=sums(SQL("item.amount")),
            amounts_currency=sums(SQL("item.amount_currency"))
            if by_cur
            else SQL("NULL"),
            customer_join=SQL(
                "LEFT JOIN res_partner customer ON customer.id = item.partner_id"
            )
            if needs_customer
            else SQL(""),
            customer_filters=self._aging_customer_filter_sql(filters),
        )

    # ------------------------------------------------------------- results
    @api.model
    def _aging_rows(self, sql_rows, limits, group_by, by_currency):
        """Plain dicts from the SQL rows (one per group and company currency, or
        per group, company currency and invoice currency with ``by_currency``)."""
        width = len(limits) + 2

        def amounts(values):
            values = [float(value) for value in values]
            return {
                "buckets": values[:width],
                "unapplied": values[width],
                "doubtful": values[width + 1],
                "total": values[width + 2],
            }

        # one SQL row per invoice currency with by_currency: their company
        # amounts add up to the group's
        parts = defaultdict(list)
        per_currency = defaultdict(list)
        for key, company_currency_id, currency_id, *values in sql_rows:
            group = (key or False, company_currency_id)
            parts[group].append(amounts(values[: width + 3]))
            if by_currency:
                per_currency[group].append(
                    {"currency_id": currency_id, **amounts(values[width + 3 :])}
                )
        groups = {
            group: dict(
                aging_rules.sum_rows(rows, width), currencies=per_currency[group]
            )
            for group, rows in parts.items()
        }
        names = self._aging_key_names(group_by, {key for key, _cur in groups})
        currencies = self.env["res.currency"].browse(
            {cur for _key, cur in groups}
            | {
                sub["currency_id"]
                for row in groups.values()
                for sub in row["currencies"]
            }
        )
        by_id = {currency.id: currency for currency in currencies}
        result = []
        for (key, currency_id), values in groups.items():
            row = {"key": key, "name": names.get(key, ""), "currency_id": currency_id}
            row.update(self._aging_rounded(values, by_id[currency_id]))
            if by_currency:
                row["currencies"] = sorted(
                    (
                        {
                            "currency_id": sub["currency_id"],
                            "currency": by_id[sub["currency_id"]].name,
                            **self._aging_rounded(sub, by_id[sub["currency_id"]]),
                        }
                        for sub in values["currencies"]
                    ),
                    key=lambda sub: sub["currency"],
                )
            result.append(row)
        result.sort(key=lambda row: (row["key"] is False, row["name"].lower()))
        return result

    @api.model
    def _aging_rounded(self, values, currency):
        # The SQL sums are exact (numeric); rounding removes the float noise of
        # adding up several rows of a group.
        digits = currency.decimal_places
        return {
            "buckets": [round(value, digits) for value in values["buckets"]],
            "unapplied": round(values["unapplied"], digits),
            "doubtful": round(values.get("doubtful", 0.0), digits),
            "total": round(values["total"], digits),
        }

    @api.model
    def _aging_key_names(self, group_by, keys):
        ids = [key for key in keys if key]
        names = {False: self._aging_no_key_name(group_by)}
        if not ids:
            return names
        if group_by == "partner":
            # complete_name is stored: no display_name compute for 20,000 customers
            rows = self.env.execute_query(
                SQL("SELECT id, complete_name FROM res_partner WHERE id = ANY(%s)", ids)
            )
            names.update(dict(rows))
            return names
        model = {
            "user": "res.users",
            "category": "res.partner.category",
            "country": "res.country",
            "company": "res.company",
        }[group_by]
        records = self.env[model].sudo().browse(ids).with_prefetch(ids)
        names.update({record.id: record.display_name for record in records})
        return names

    @api.model
    def _aging_no_key_name(self, group_by):
        return {
            None: self.env._("Total"),
            "partner": self.env._("No Customer"),
            "user": self.env._("No Salesperson"),
            "category": self.env._("No Category"),
            "country": self.env._("No Country"),
            "company": "",
        }[group_by]
