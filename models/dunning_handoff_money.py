# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The hand-off engine's money: the collector's recovered payments, registered
through Odoo's payment register, and its commission booked with them."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Fees of collectors, in the French chart (PCG 6226 "Honoraires").
COMMISSION_ACCOUNT_CODE = "6226"


class AccountDunningHandoffEngine(models.AbstractModel):
    _inherit = "account.dunning.handoff.engine"

    # ------------------------------------------------------------ money

    @api.model
    def _commission_account(self, handoff):
        Account = self.env["account.account"].with_company(handoff.company_id)
        account = Account.search(
            [
                *Account._check_company_domain(handoff.company_id),
                ("code", "=like", f"{COMMISSION_ACCOUNT_CODE}%"),
                ("deprecated", "=", False),
            ],
            order="code",
            limit=1,
        )
        account = (
            account or handoff.expense_account_id or handoff.level_id.handoff_account_id
        )
        if not account:
            raise UserError(
                self.env._(
                    "The company has no account %s for the collector's fees: choose "
                    "the commission account on the hand-off.",
                    COMMISSION_ACCOUNT_CODE,
                )
            )
        return account

    @api.model
    def _check_recovered_payment(self, handoff):
        """Who may register the collector's money, and the invoices still open."""
        handoff._check_user()
        handoff.check_access("write")
        if handoff.state not in ("recovered", "partly_recovered"):
            raise UserError(
                self.env._(
                    "Only what the collector reported recovered can be registered."
                )
            )
        currency = handoff.currency_id
        if currency.compare_amounts(handoff.amount_recovered, 0) <= 0:
            raise UserError(self.env._("The collector recovered nothing yet."))
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only invoicing users can register payments."))
        moves = handoff.move_ids.filtered(
            lambda move: currency.compare_amounts(move.amount_residual, 0) > 0
        )
        if not moves:
            raise UserError(self.env._("The invoices of this hand-off are paid."))
        if currency.compare_amounts(self._to_register(handoff), 0) <= 0:
            raise UserError(
                self.env._("Everything the collector reported recovered is registered.")
            )
        return moves

    @api.model
    def _commission_due(self, handoff):
        """The commission the collector kept and that is not booked yet, or 0."""
        if not handoff.commission_netted:
            return 0.0
        currency = handoff.currency_id
        # 1,000.00 x 12 % = 120.00 in all, 60.00 booked with a first payment: 60.00.
        commission = currency.round(
            handoff.commission_amount - handoff.commission_booked
        )
        if currency.compare_amounts(commission, 0) <= 0:
            return 0.0
        return commission

    @api.model
    def _to_register(self, handoff):
        """What the collector reported recovered that is not registered yet."""
        return handoff.currency_id.round(
            handoff.amount_recovered - handoff.amount_registered
        )

    @api.model
    def _recovered_payment_action(self, handoff):
        """The payment register on the invoices for what the collector paid; the
        commission is booked by the register with the payment, not here."""
        moves = self._check_recovered_payment(handoff)
        if self._commission_due(handoff):
            # Said now rather than after the register is filled in; books nothing.
            self._commission_account(handoff)
        currency = handoff.currency_id
        # Recovered 1,000.00, commission 12 % kept: 1,000.00 - 120.00 = 880.00 paid;
        # after a first 500.00 (440.00 + 60.00): 500.00 - 60.00 = 440.00.
        net = currency.round(self._to_register(handoff) - self._commission_due(handoff))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register Recovered Payment"),
            "res_model": "account.payment.register",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "account.move",
                "active_ids": moves.ids,
                "default_amount": net,
                "default_group_payment": True,
                "default_communication": self.env._(
                    "Recovered by %s", handoff.collector_id.display_name
                ),
                "default_dunning_handoff_id": handoff.id,
            },
        }

    @api.model
    def _registered(self, handoff, wizard, commission):
        """After the register's payment: what it registered, with the commission."""
        amount = wizard.currency_id._convert(
            wizard.amount, handoff.currency_id, handoff.company_id, wizard.payment_date
        )
        # sudo: the registered total is the engine's.
        handoff.sudo().amount_registered = handoff.currency_id.round(
            handoff.amount_registered + amount + commission
        )

    @api.model
    def _commission_to_book(self, handoff, wizard):
        """Called by the payment register before it creates the payment: the
        button's checks again (the register's field can be set over RPC), and the
        commission to book with the payment (0 when none)."""
        moves = self._check_recovered_payment(handoff)
        if wizard.line_ids.move_id - handoff.move_ids:
            raise UserError(
                self.env._(
                    "The payment of a hand-off registers the invoices of the "
                    "hand-off only."
                )
            )
        commission = self._commission_due(handoff)
        if not commission:
            return 0.0
        self._commission_account(handoff)
        currency = handoff.currency_id
        if wizard.currency_id != currency:
            raise UserError(
                self.env._(
                    "Register the recovered payment in %s, the hand-off's currency: "
                    "the commission is booked in it.",
                    currency.name,
                )
            )
        if wizard.payment_difference_handling == "reconcile" and not (
            currency.is_zero(wizard.payment_difference)
        ):
            raise UserError(
                self.env._(
                    "The collector's commission settles the rest of the invoice: "
                    "keep the invoice open rather than mark it fully paid."
                )
            )
        # 880.00 paid + 120.00 commission = 1,000.00: no more than the invoices owe.
        owed = sum(moves.mapped("amount_residual"))
        if currency.compare_amounts(wizard.amount + commission, owed) > 0:
            raise UserError(
                self.env._(
                    "The payment (%(payment)s) and the commission (%(commission)s) "
                    "are more than the invoices owe (%(owed)s).",
                    payment=currency.format(wizard.amount),
                    commission=currency.format(commission),
                    owed=currency.format(owed),
                )
            )
        return commission

    @api.model
    def _book_commission(self, handoff, moves, commission, on_date=None):
        """The collector's commission: debit the expense, credit the customer's
        receivable, matched with the invoices. Created as the user, who may."""
        on_date = on_date or fields.Date.context_today(self)
        account = self._commission_account(handoff)
        company = handoff.company_id
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "general"),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(self.env._("The company has no miscellaneous journal."))
        receivable = moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
            and not line.reconciled
        )
        currency = handoff.currency_id
        balance = currency._convert(commission, company.currency_id, company, on_date)
        label = self.env._(
            "Commission of %(collector)s on %(customer)s",
            collector=handoff.collector_id.display_name,
            customer=handoff.partner_id.display_name,
        )
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "company_id": company.id,
                "date": on_date,
                "ref": label,
                "line_ids": [
                    fields.Command.create(
                        {
                            "name": label,
                            "account_id": account.id,
                            "partner_id": handoff.collector_id.id,
                            "currency_id": currency.id,
                            "amount_currency": commission,
                            "balance": balance,
                        }
                    ),
                    fields.Command.create(
                        {
                            "name": label,
                            "account_id": receivable[:1].account_id.id,
                            "partner_id": handoff.partner_id.id,
                            "currency_id": currency.id,
                            "amount_currency": -commission,
                            "balance": -balance,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        credit = entry.line_ids.filtered(
            lambda line: line.account_id == receivable[:1].account_id
        )
        (
            credit
            | receivable.filtered(lambda line: line.account_id == credit.account_id)
        ).reconcile()
        # sudo: the entry's link is the engine's.
        handoff.sudo().write(
            {
                "commission_move_id": entry.id,
                "commission_booked": currency.round(
                    handoff.commission_booked + commission
                ),
            }
        )
        self._trace(
            handoff,
            {
                handoff: self.env._(
                    "Commission of %(amount)s booked (%(entry)s).",
                    amount=currency.format(commission),
                    entry=entry.name,
                )
            },
        )
        return entry
