from odoo import fields, models


class AccountDunningPenalty(models.Model):
    """What was claimed, or waived, of an invoice's late-payment penalties.

    One line per claimed invoice and penalty invoice (or waiver): the days of interest
    it covers, whether it took the recovery indemnity, and the fees. Billing again
    starts after the last day covered; cancelling the penalty invoice frees its days.
    """

    _name = "account.dunning.penalty"
    _inherit = ["account.dunning.history.mixin"]
    _description = "Dunning Penalty Claim"
    _order = "move_id, interest_until desc, id desc"

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade", index=True
    )
    penalty_move_id = fields.Many2one(
        "account.move",
        string="Penalty Invoice",
        ondelete="cascade",
        index="btree_not_null",
    )
    kind = fields.Selection(
        [("bill", "Billed"), ("waiver", "Waived")], required=True, default="bill"
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", store=True)
    currency_id = fields.Many2one(related="move_id.currency_id", store=True)
    interest_from = fields.Date()
    interest_until = fields.Date(help="The last day of interest covered.")
    interest_amount = fields.Monetary()
    indemnity = fields.Boolean(help="This claim took the invoice's recovery indemnity.")
    indemnity_amount = fields.Monetary()
    fee_amount = fields.Monetary()
    detail = fields.Text(help="The interest detail lines, as billed.")
    reason = fields.Char(help="Why the penalties were waived.")
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    in_force = fields.Boolean(
        compute="_compute_in_force",
        help="False once its penalty invoice is cancelled: its days can be billed "
        "again.",
    )

    def _compute_in_force(self):
        for claim in self:
            claim.in_force = (
                claim.kind == "waiver" or claim.penalty_move_id.state != "cancel"
            )
