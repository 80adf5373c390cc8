# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's payment register for the money a collector recovered: the collector's
commission, when it keeps it, is booked with the payment, in the same
transaction; a register discarded books nothing."""

from odoo import fields, models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    dunning_handoff_id = fields.Many2one(
        "account.dunning.handoff",
        string="Hand-off",
        readonly=True,
        help="The hand-off whose recovered money this payment registers: the "
        "collector's commission is booked with it.",
    )

    def _create_payments(self):
        handoff = self.dunning_handoff_id
        if not handoff:
            return super()._create_payments()
        engine = self.env["account.dunning.handoff.engine"]
        # The button's checks again (the field can be set over RPC), and the
        # commission still to book with this payment.
        commission = engine._commission_to_book(handoff, self)
        payments = super()._create_payments()
        if commission:
            engine._book_commission(
                handoff, handoff.move_ids, commission, self.payment_date
            )
        engine._registered(handoff, self, commission)
        return payments
