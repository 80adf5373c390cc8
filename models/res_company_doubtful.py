# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The accounts of doubtful and lost receivables (PCG), one setting per company.

Each setting left empty is found by its code in the company's chart (the French
chart's accounts): the exact code first, else the first account of its prefix.
"""

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# setting: (code, prefix, label of the account)
DOUBTFUL_ACCOUNTS = {
    "dunning_doubtful_account_id": ("416000", "416", "Clients douteux ou litigieux"),
    "dunning_writedown_expense_account_id": (
        "681740",
        "6817",
        "Dotations aux dépréciations des actifs circulants - créances",
    ),
    "dunning_writedown_allowance_account_id": (
        "491000",
        "491",
        "Dépréciations des comptes clients",
    ),
    "dunning_writedown_reversal_account_id": (
        "781740",
        "7817",
        "Reprises sur dépréciations des actifs circulants",
    ),
    "dunning_loss_account_id": (
        "654100",
        "6541",
        "Pertes sur créances irrécouvrables de l'exercice",
    ),
    "dunning_loss_prior_account_id": (
        "654400",
        "6544",
        "Pertes sur créances irrécouvrables des exercices antérieurs",
    ),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_doubtful_account_id = fields.Many2one(
        "account.account",
        string="Doubtful Receivables Account",
        check_company=True,
        domain="[('account_type', '=', 'asset_receivable')]",
        help="Where doubtful invoices' amounts due are moved (PCG 416 “Clients "
        "douteux ou litigieux”): a reconcilable receivable account. Empty: the "
        "account 416000 of the chart, else the first 416 account.",
    )
    dunning_writedown_expense_account_id = fields.Many2one(
        "account.account",
        string="Write-Down Expense Account",
        check_company=True,
        help="Expense of the write-downs of doubtful receivables (PCG 681740). "
        "Empty: found by its code in the chart.",
    )
    dunning_writedown_allowance_account_id = fields.Many2one(
        "account.account",
        string="Write-Down Allowance Account",
        check_company=True,
        help="Allowance for doubtful receivables (PCG 491000). Empty: found by its "
        "code in the chart.",
    )
    dunning_writedown_reversal_account_id = fields.Many2one(
        "account.account",
        string="Write-Down Reversal Account",
        check_company=True,
        help="Income of the write-downs reversed (PCG 781740). Empty: found by its "
        "code in the chart.",
    )
    dunning_loss_account_id = fields.Many2one(
        "account.account",
        string="Bad Debt Account (Current Year)",
        check_company=True,
        help="Losses on receivables of the current fiscal year (PCG 654100). Empty: "
        "found by its code in the chart.",
    )
    dunning_loss_prior_account_id = fields.Many2one(
        "account.account",
        string="Bad Debt Account (Earlier Years)",
        check_company=True,
        help="Losses on receivables of earlier fiscal years (PCG 654400). Empty: "
        "found by its code in the chart.",
    )

    @api.constrains("dunning_doubtful_account_id")
    def _check_dunning_doubtful_account(self):
        for company in self:
            account = company.dunning_doubtful_account_id
            if account:
                company._dunning_check_doubtful_account(account)

    def _dunning_check_doubtful_account(self, account):
        """416 holds customers' debts: a reconcilable receivable account, whose items
        carry the customer (Odoo tracks partners on receivable accounts)."""
        if account.account_type != "asset_receivable" or not account.reconcile:
            raise ValidationError(
                _(
                    "The doubtful receivables account %(account)s must be a "
                    "reconcilable receivable account (type “Receivable”, "
                    "“Allow Reconciliation” set), so that each customer's doubtful "
                    "debt is tracked and matched with its payments.",
                    account=account.display_name,
                )
            )

    def _dunning_doubtful_account(self, field_name, raise_if_missing=True):
        """The account of a setting: the company's, else found by its code."""
        self.ensure_one()
        account = self[field_name]
        if account:
            return account
        code, prefix, label = DOUBTFUL_ACCOUNTS[field_name]
        Account = self.env["account.account"].with_company(self)
        domain = Account._check_company_domain(self)
        # sudo: which account of the chart has the code, whatever the user reads.
        account = Account.sudo().search(
            [*domain, ("code", "=", code)], limit=1
        ) or Account.sudo().search(
            [*domain, ("code", "=like", prefix + "%")], order="code", limit=1
        )
        if not account and raise_if_missing:
            raise UserError(
                _(
                    "No account %(code)s “%(label)s” in the chart of %(company)s: "
                    "create it, or choose the account in the setting “%(setting)s” "
                    "of the company.",
                    code=code,
                    label=label,
                    company=self.name,
                    setting=self._fields[field_name].get_description(self.env)[
                        "string"
                    ],
                )
            )
        if account and field_name == "dunning_doubtful_account_id" and raise_if_missing:
            if account.account_type != "asset_receivable":
                # Odoo's French chart makes 416000 a current asset: the doubtful
                # debts must stay on the customers' items, matched with their
                # payments, so it becomes a reconcilable receivable account the
                # first time a manager marks an invoice doubtful (found by its code,
                # not chosen on the company).
                # sudo: the chart's account, changed for the engine's entries.
                account.sudo().write(
                    {"account_type": "asset_receivable", "reconcile": True}
                )
            self._dunning_check_doubtful_account(account)
        return account.sudo(False)

    def _dunning_doubtful_accounts(self):
        """{setting: account} of every account the doubtful entries use."""
        self.ensure_one()
        return {
            name: self._dunning_doubtful_account(name) for name in DOUBTFUL_ACCOUNTS
        }
