from odoo import api, fields, models


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
        [("bill", "Billed"), ("waiver", "Waived"), ("revision", "Revised")],
        required=True,
        default="bill",
        help="Billed: a penalty invoice; waived: given up by a manager; revised: a "
        "penalty credit note for interest a later payment or credit note made "
        "undue (its amounts are negative).",
    )
    revised_claim_id = fields.Many2one(
        "account.dunning.penalty",
        string="Revised Claim",
        ondelete="cascade",
        index="btree_not_null",
        help="The billed claim whose days this revision computed again.",
    )
    revision_ids = fields.One2many(
        "account.dunning.penalty", "revised_claim_id", string="Revisions"
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
    recovery_cost_amount = fields.Monetary(
        string="Justified Recovery Costs",
        help="Recovery costs above the flat indemnity, claimed on justification "
        "(L441-10 II C. com.) by a manager, with the reason.",
    )
    detail = fields.Text(help="The interest detail lines, as billed.")
    reason = fields.Char(help="Why the penalties were waived.")
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    in_force = fields.Boolean(
        compute="_compute_in_force",
        help="False once its penalty invoice is cancelled: its days can be billed "
        "again.",
    )

    @api.depends("move_id", "kind", "interest_from", "interest_until")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for claim in self:
            days = (
                f" ({claim.interest_from} - {claim.interest_until})"
                if claim.interest_from and claim.interest_until
                else ""
            )
            claim.display_name = f"{claim.move_id.name}: {kinds[claim.kind]}{days}"

    def _compute_in_force(self):
        for claim in self:
            claim.in_force = (
                claim.kind == "waiver" or claim.penalty_move_id.state != "cancel"
            )
