# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class AccountDunningAgingLine(models.Model):
    """The journal items behind the aged balance, as of the date in the context.

    A read-only SQL view computed on each read (``aging_date`` and
    ``aging_buckets`` in the context; today and 30,60,90,120 otherwise), so that
    the list, pivot and graph views and their drill-downs all show the open
    receivables as of that date. The id of a line is its journal item's id.
    """

    _name = "account.dunning.aging.line"
    _description = "Aged Receivable Journal Item"
    _auto = False
    _order = "partner_id, date_maturity, id"
    _rec_name = "move_name"

    move_line_id = fields.Many2one("account.move.line", string="Journal Item")
    move_id = fields.Many2one("account.move", string="Journal Entry")
    move_name = fields.Char(string="Number")
    partner_id = fields.Many2one("res.partner", string="Customer")
    company_id = fields.Many2one("res.company")
    currency_id = fields.Many2one("res.currency", string="Company Currency")
    invoice_currency_id = fields.Many2one("res.currency", string="Currency")
    user_id = fields.Many2one("res.users", string="Salesperson")
    category_id = fields.Many2one("res.partner.category", string="Customer Tag")
    country_id = fields.Many2one("res.country")
    level_id = fields.Many2one("account.dunning.level", string="Dunning Level")
    blocked = fields.Boolean(string="Blocked Customer")
    excluded = fields.Boolean(string="Excluded From Dunning")
    doubtful = fields.Boolean(help="An item of the doubtful receivables account (416).")
    date = fields.Date()
    date_maturity = fields.Date(string="Due Date")
    days_late = fields.Integer(aggregator="max")
    bucket = fields.Selection(selection="_selection_bucket", string="Aging")
    amount = fields.Monetary(string="Open Amount", currency_field="currency_id")
    amount_currency = fields.Monetary(
        string="Open Amount in Currency", currency_field="invoice_currency_id"
    )

    @api.model
    def _selection_bucket(self):
        aging = self.env["account.dunning.aging"]
        limits = aging._aging_limits(self.env.context.get("aging_buckets"))
        labels = aging._aging_bucket_labels(limits)
        selection = [
            (self._bucket_code(index), label) for index, label in enumerate(labels)
        ]
        selection.append(("u", self.env._("Unapplied")))
        selection.append(("d", self.env._("Doubtful")))
        return selection

    @api.model
    def _bucket_code(self, index):
        # two digits, so that grouping by the code keeps the ranges in order
        return "b%02d" % index

    @property
    def _table_query(self):
        aging = self.env["account.dunning.aging"]
        as_of = aging._aging_date(self.env.context.get("aging_date"))
        limits = aging._aging_limits(self.env.context.get("aging_buckets"))
        aging._aging_flush()
        return SQL(
            """
            SELECT item.id, item.id AS move_line_id, item.move_id,
                   move.name AS move_name, item.partner_id, item.company_id,
                   item.company_currency_id AS currency_id,
                   item.currency_id AS invoice_currency_id,
                   %(user)s AS user_id, %(category)s AS category_id,
                   customer.country_id, move.dunning_level_id AS level_id,
                   COALESCE((customer.dunning_blocked ->> item.company_id::text)
                            ::boolean, false) AS blocked,
                   COALESCE(move.dunning_excluded, false) AS excluded,
                   item.doubtful,
                   item.date, item.date_maturity,
                   %(as_of)s::date - item.date_maturity AS days_late,
                   CASE WHEN item.doubtful THEN 'd' WHEN %(bucket)s < 0 THEN 'u'
                        ELSE 'b' || lpad((%(bucket)s)::text, 2, '0') END AS bucket,
                   item.residual AS amount,
                   item.residual_currency AS amount_currency
              FROM (%(items)s) AS item
              JOIN account_move move ON move.id = item.move_id
              LEFT JOIN res_partner customer ON customer.id = item.partner_id
            """,
            user=SQL("COALESCE(customer.user_id, move.invoice_user_id)"),
            category=aging._aging_key_sql("category"),
            as_of=as_of,
            bucket=aging._aging_bucket_sql(as_of, limits),
            items=aging._aging_items_sql(as_of, self.env.companies),
        )

    def action_open_journal_entry(self):
        self.ensure_one()
        return self.move_id.get_formview_action()
