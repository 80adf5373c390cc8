# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A doubtful debt still blocks its customer.

Once doubtful, an invoice's 411 item is matched with the transfer to 416 and leaves
the items the dunning reminds; its debt is still owed and overdue: the blocking rules
(overdue amount, days late) count the open 416 items as overdue from the invoice's
due date, which the 416 item keeps.
"""

from odoo import api, fields, models


class AccountDunningBlockEngine(models.AbstractModel):
    _inherit = "account.dunning.block.engine"

    @api.model
    def _doubtful_items(self, company, partners=None, on_date=None):
        """The open 416 items of the company past due on ``on_date``."""
        account = company._dunning_doubtful_account(
            "dunning_doubtful_account_id", raise_if_missing=False
        )
        if not account:
            return self.env["account.move.line"]
        domain = [
            ("company_id", "=", company.id),
            ("account_id", "=", account.id),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
            ("amount_residual", ">", 0),
            ("date_maturity", "<", on_date or fields.Date.context_today(self)),
        ]
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        # sudo: the engine reads the customers' items to apply the rules.
        return (
            self.env["account.move.line"]
            .sudo()
            .search_fetch(
                domain,
                ["move_name", "partner_id", "date_maturity", "amount_residual"],
                order="date_maturity, id",
            )
        )

    @api.model
    def _snapshot(self, partners, company):
        snapshot = super()._snapshot(partners, company)
        today = fields.Date.context_today(self)
        for item in self._doubtful_items(company, partners, today):
            days = (today - item.date_maturity).days
            data = snapshot.setdefault(
                item.partner_id.commercial_partner_id.id,
                {
                    "overdue": 0.0,
                    "oldest_invoice": item.move_name,
                    "oldest_due": item.date_maturity,
                    "oldest_days": days,
                    "max_delay": None,
                },
            )
            data["overdue"] += item.amount_residual
            if not data.get("oldest_due") or item.date_maturity < data["oldest_due"]:
                data.update(
                    oldest_invoice=item.move_name,
                    oldest_due=item.date_maturity,
                    oldest_days=days,
                )
        return snapshot

    @api.model
    def _check_all(self, company):
        result = super()._check_all(company)
        # The customers whose only overdue debts are doubtful.
        partners = self._doubtful_items(company).partner_id.commercial_partner_id
        if partners:
            self._check(partners.with_company(company).sudo(), company)
        return result
