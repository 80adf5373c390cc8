"""Which receivable journal items the dunning looks at, written once.

The run, the penalties, the blocking, the customer's status and the dashboard read the
items through this service: one domain, and the SQL the ORM makes of that same domain.
Holds are added in two places alone: ``_hold_reasons`` for a whole customer (a
review waiting today; hand-offs and insolvencies in later versions) and
``_held_item_domain`` for items (an invoice disputed in full, under a promise to pay or
in a payment plan: stored columns of the invoice, so that the run's query stays one).
"""

from odoo import api, fields, models
from odoo.tools import SQL


class AccountDunningEligibility(models.AbstractModel):
    _name = "account.dunning.eligibility"
    _description = "Dunning: Items Dunned"

    @api.model
    def _item_domain(
        self,
        company,
        partners=None,
        overdue_on=None,
        due_until=None,
        invoiced_until=None,
        unheld=False,
    ):
        """The open receivable items of customer invoices that dunning handles.

        :param partners: customers (commercial entities), all when None
        :param overdue_on: only the items past due on that date
        :param due_until: only the items due on or before that date
        :param invoiced_until: only the items of invoices dated on or before that date
        :param unheld: leave out the items on hold (``_held_item_domain``)
        """
        domain = [
            ("company_id", "=", company.id),
            ("parent_state", "=", "posted"),
            ("account_type", "=", "asset_receivable"),
            ("move_id.move_type", "=", "out_invoice"),
            ("reconciled", "=", False),
            ("amount_residual_currency", ">", 0),
            ("move_id.dunning_excluded", "!=", True),
        ]
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        if overdue_on:
            domain += self._overdue_domain(overdue_on)
        if due_until:
            domain.append(("date_maturity", "<=", due_until))
        if invoiced_until:
            domain.append(("invoice_date", "<=", invoiced_until))
        if unheld:
            domain += ["!", *self._held_item_domain(company)]
        return domain

    @api.model
    def _held_item_domain(self, company):
        """The items the reminders leave alone whatever the date: the extension point
        of the holds on items. Override, call super and OR yours."""
        return [("move_id.dunning_hold", "!=", False)]

    @api.model
    def _overdue_domain(self, on_date):
        """Past due on ``on_date``: the day after the due date."""
        return [("date_maturity", "<", on_date)]

    @api.model
    def _item_query(self, company, **kwargs):
        """The same rule as an SQL query on ``account_move_line``, to select from.

        Built by the ORM from ``_item_domain``; without record rules, for the engine.
        """
        # sudo: the engine reads every item of the company; callers check their rights.
        return (
            self.env["account.move.line"]
            .sudo()
            ._search(self._item_domain(company, **kwargs))
        )

    @api.model
    def _item_sql(self, alias, company, **kwargs):
        """An SQL condition: the item ``alias.id`` is one the dunning handles."""
        return SQL(
            "%s IN %s",
            SQL.identifier(alias, "id"),
            self._item_query(company, **kwargs).subselect(),
        )

    @api.model
    def _hold_reasons(self, company, partner_ids, on_date, reviewed=None):
        """{customer id: reason} of the customers the dunning leaves alone on a date.

        The extension point of every hold: override, call super and add yours. The run
        proposes nothing to a held customer, and skips it at execution when the hold
        came after the run was computed. ``reviewed``: the reminders a person is
        sending after their review, which do not hold their customer any more.
        """
        waiting = (
            self.env["account.dunning.action"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", list(partner_ids)),
                    ("state", "=", "to_review"),
                    ("id", "not in", reviewed.ids if reviewed else []),
                ],
                ["partner_id"],
            )
        )
        return {
            partner.id: self.env._("A reminder of this customer waits for a review.")
            for (partner,) in waiting
        }

    @api.model
    def _overdue_by_partner(self, company, partners=None, on_date=None):
        """{customer id: overdue amount in company currency}, in one query."""
        on_date = on_date or fields.Date.context_today(self)
        # sudo: amounts of the items the dunning handles, read by the engine.
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                self._item_domain(company, partners=partners, overdue_on=on_date),
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        return {partner.id: amount for partner, amount in groups}
