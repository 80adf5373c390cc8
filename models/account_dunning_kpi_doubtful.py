# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class AccountDunningKpi(models.AbstractModel):
    """The KPIs of doubtful receivables, one query.

    - Doubtful: the balance of the companies' doubtful receivables accounts (416) on
      ``date_to``, in company currency (part of the receivable, as in the books).
    - Written off: the amounts written off (taxes included) within the period.
    """

    _inherit = "account.dunning.kpi"

    @api.model
    def _kpi_holds(self, context, stats):
        result = super()._kpi_holds(context, stats)
        self._kpi_doubtful(context, stats)
        return result

    @api.model
    def _kpi_doubtful(self, context, stats):
        rows = self._kpi_query(
            context,
            SQL(
                """
                SELECT %(key)s, item.company_currency_id,
                       SUM(item.balance) FILTER (WHERE item.account_id IN (
                           SELECT company.dunning_doubtful_account_id
                             FROM res_company company
                            WHERE company.dunning_doubtful_account_id IS NOT NULL)),
                       SUM(-item.balance) FILTER (WHERE item.date >= %(date_from)s
                           AND item.move_id IN (
                               SELECT invoice.dunning_writeoff_refund_id
                                 FROM account_move invoice
                                WHERE invoice.dunning_writeoff_refund_id IS NOT NULL
                                  AND invoice.company_id = ANY(%(company_ids)s)))
                %(lines)s
                 GROUP BY 1, 2
                """,
                key=context["key"],
                date_from=context["date_from"],
                company_ids=context["companies"].ids,
                lines=self._kpi_lines_sql(context),
            ),
        )
        for key, currency_id, doubtful, written_off in rows:
            values = stats[key or False, currency_id]
            values["doubtful"] += float(doubtful or 0)
            values["written_off"] += float(written_off or 0)

    @api.model
    def _kpi_row(self, key, currency_id, values, series, context):
        row = super()._kpi_row(key, currency_id, values, series, context)
        currency = self.env["res.currency"].browse(currency_id)
        row.update(
            {
                "doubtful": currency.round(values["doubtful"]),
                "written_off": currency.round(values["written_off"]),
            }
        )
        return row
