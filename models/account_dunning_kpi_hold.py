# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL

from . import aging_rules
from .account_dunning_kpi import _or_false


class AccountDunningKpi(models.AbstractModel):
    """The KPIs of disputes and promises to pay, two set-based queries.

    - Disputed: the amount of the disputes open on ``date_to`` (opened on or before
      it, still open or accepted / rejected after it; cancelled ones were mistakes),
      in company currency at the invoice's own rate (its total in company currency
      over its total in its currency).
    - Promises kept: kept / (kept + broken) x 100 of the promises closed within the
      period (cancelled ones left out); False when none was.
    - Days to resolve a dispute: the average ``resolution_days`` of the disputes
      accepted or rejected within the period; False when none was.
    The group keys are the customer's, as for the other KPIs; by salesperson, the
    customer's salesperson, else the disputed invoice's (a promise's first invoice's).
    """

    _inherit = "account.dunning.kpi"

    @api.model
    def _kpi_holds(self, context, stats):
        for model in ("account.dunning.dispute", "account.dunning.promise"):
            self.env[model].flush_model()
        self._kpi_disputes(context, stats)
        self._kpi_promises(context, stats)

    @api.model
    def _kpi_hold_from_sql(self, context, table, alias, joins):
        """``table`` (alias ``alias``) of the companies, with ``company``, ``joins``
        and, when grouping, ``keys`` on its customer."""
        return SQL(
            """
              FROM %(table)s %(alias)s
              JOIN res_company company ON company.id = %(alias)s.company_id
              %(joins)s
              %(keys_join)s
             WHERE %(alias)s.company_id = ANY(%(company_ids)s)
            """,
            table=SQL.identifier(table),
            alias=SQL.identifier(alias),
            keys_join=SQL(
                "LEFT JOIN keys ON keys.partner_id = %s.partner_id",
                SQL.identifier(alias),
            )
            if context["group_by"]
            else SQL(""),
            joins=joins,
            company_ids=context["companies"].ids,
        )

    @api.model
    def _kpi_disputes(self, context, stats):
        """Disputed amount at the end; disputes resolved within the period."""
        date_from, date_to = context["date_from"], context["date_to"]
        rows = self._kpi_query(
            context,
            SQL(
                """
                SELECT %(key)s, company.currency_id,
                       SUM(dispute.amount * entry.amount_total_signed
                           / NULLIF(entry.amount_total, 0))
                           FILTER (WHERE %(open_at_end)s),
                       COUNT(*) FILTER (WHERE %(resolved)s),
                       SUM(dispute.resolution_days) FILTER (WHERE %(resolved)s)
                %(source)s
                   AND dispute.date <= %(date_to)s
                   AND (%(open_at_end)s OR %(resolved)s)
                 GROUP BY 1, 2
                """,
                key=context["key"],
                open_at_end=SQL(
                    "(dispute.state = 'open' OR (dispute.state IN"
                    " ('accepted', 'rejected') AND dispute.resolution_date > %s))",
                    date_to,
                ),
                resolved=SQL(
                    "(dispute.state IN ('accepted', 'rejected')"
                    " AND dispute.resolution_date BETWEEN %s AND %s)",
                    date_from,
                    date_to,
                ),
                date_to=date_to,
                source=self._kpi_hold_from_sql(
                    context,
                    "account_dunning_dispute",
                    "dispute",
                    SQL("JOIN account_move entry ON entry.id = dispute.move_id"),
                ),
            ),
        )
        for key, currency_id, disputed, resolved, days in rows:
            values = stats[key or False, currency_id]
            values["disputed"] += float(disputed or 0)
            values["disputes_resolved"] += resolved
            values["dispute_days_total"] += float(days or 0)

    @api.model
    def _kpi_promises(self, context, stats):
        """Promises kept and broken within the period."""
        rows = self._kpi_query(
            context,
            SQL(
                """
                SELECT %(key)s, company.currency_id,
                       COUNT(*) FILTER (WHERE promise.state = 'kept'),
                       COUNT(*) FILTER (WHERE promise.state = 'broken')
                %(source)s
                   AND promise.state IN ('kept', 'broken')
                   AND promise.closed_date BETWEEN %(date_from)s AND %(date_to)s
                 GROUP BY 1, 2
                """,
                key=context["key"],
                date_from=context["date_from"],
                date_to=context["date_to"],
                source=self._kpi_hold_from_sql(
                    context,
                    "account_dunning_promise",
                    "promise",
                    # the salesperson of the first invoice, for customers without
                    SQL(
                        "LEFT JOIN LATERAL ("
                        "SELECT move.invoice_user_id"
                        "  FROM account_dunning_promise_move_rel rel"
                        "  JOIN account_move move ON move.id = rel.move_id"
                        " WHERE rel.promise_id = promise.id"
                        " ORDER BY move.id LIMIT 1) entry ON TRUE"
                    )
                    if context["group_by"] == "user"
                    else SQL(""),
                ),
            ),
        )
        for key, currency_id, kept, broken in rows:
            values = stats[key or False, currency_id]
            values["promises_kept"] += kept
            values["promises_broken"] += broken

    @api.model
    def _kpi_row(self, key, currency_id, values, series, context):
        row = super()._kpi_row(key, currency_id, values, series, context)
        currency = self.env["res.currency"].browse(currency_id)
        kept, broken = int(values["promises_kept"]), int(values["promises_broken"])
        resolved = int(values["disputes_resolved"])
        row.update(
            {
                "disputed": currency.round(values["disputed"]),
                "promises_kept": kept,
                "promises_broken": broken,
                "promises_kept_share": _or_false(
                    aging_rules.share(kept, kept + broken)
                ),
                "disputes_resolved": resolved,
                "dispute_days": _or_false(
                    aging_rules.weighted_days(values["dispute_days_total"], resolved)
                ),
            }
        )
        return row
