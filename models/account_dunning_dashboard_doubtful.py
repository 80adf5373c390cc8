# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountDunningDashboard(models.TransientModel):
    """The dashboard's doubtful and lost receivables: amounts made doubtful and
    written off in the fiscal year of the period's last day, and the doubtful debt
    still open, each one a button to its invoices."""

    _inherit = "account.dunning.dashboard"

    doubtful_year_amount = fields.Monetary(
        string="Made Doubtful This Year",
        compute="_compute_dashboard",
        help="Amounts due moved to 416 in the current fiscal year.",
    )
    writeoff_year_amount = fields.Monetary(
        string="Written Off This Year",
        compute="_compute_dashboard",
        help="Amounts written off (taxes included) in the current fiscal year.",
    )
    doubtful_open_count = fields.Integer(
        string="Doubtful Invoices", compute="_compute_dashboard"
    )

    def _dashboard_values(self):
        return {**super()._dashboard_values(), **self._dashboard_doubtful_values()}

    def _doubtful_year(self):
        date_to = self.date_to or fields.Date.context_today(self)
        dates = self.env.company.compute_fiscalyear_dates(date_to)
        return dates["date_from"], date_to

    def _doubtful_companies(self):
        # one currency on screen: the current company's
        currency = self.env.company.currency_id
        return self.env.companies.filtered(lambda c: c.currency_id == currency)

    def _doubtful_year_domain(self, field_name):
        year_start, year_end = self._doubtful_year()
        return [
            ("company_id", "in", self._doubtful_companies().ids),
            (field_name, ">=", year_start),
            (field_name, "<=", year_end),
        ]

    def _doubtful_open_domain(self):
        return [
            ("company_id", "in", self._doubtful_companies().ids),
            ("dunning_doubtful", "=", True),
            ("dunning_written_off", "=", False),
        ]

    def _dashboard_doubtful_values(self):
        Move = self.env["account.move"]
        [[doubtful]] = Move._read_group(
            self._doubtful_year_domain("dunning_doubtful_date"),
            [],
            ["dunning_doubtful_amount:sum"],
        )
        [[written_off]] = Move._read_group(
            self._doubtful_year_domain("dunning_writeoff_date"),
            [],
            ["dunning_writeoff_amount:sum"],
        )
        return {
            "doubtful_year_amount": doubtful,
            "writeoff_year_amount": written_off,
            "doubtful_open_count": Move.search_count(self._doubtful_open_domain()),
        }

    def _doubtful_action(self, name, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "account.move",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("account.view_out_invoice_tree").id, "list"),
                (False, "form"),
            ],
            "domain": domain,
            "context": {"create": False},
        }

    def action_open_doubtful(self):
        return self._doubtful_action(
            self.env._("Doubtful Invoices"), self._doubtful_open_domain()
        )

    def action_open_doubtful_year(self):
        return self._doubtful_action(
            self.env._("Made Doubtful This Year"),
            self._doubtful_year_domain("dunning_doubtful_date"),
        )

    def action_open_writeoff_year(self):
        return self._doubtful_action(
            self.env._("Written Off This Year"),
            self._doubtful_year_domain("dunning_writeoff_date"),
        )
