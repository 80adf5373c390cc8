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
    reconcile_mark = fields.Integer(
        help="The last partial reconciliation of the database when the claim was "
        "billed: payments and credit notes reconciled after it are the ones that "
        "can revise it.",
    )
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
        help="False once its penalty invoice is cancelled or reversed by a credit "
        "note: its days can be billed again.",
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
            claim.in_force = claim._dunning_in_force()

    def _dunning_in_force(self):
        """A waiver stands; a billed claim until its penalty invoice is cancelled or
        reversed by a credit note (its days can then be billed again); a revision
        while its credit note and the claim it revises stand."""
        self.ensure_one()
        if self.kind == "waiver":
            return True
        move = self.penalty_move_id
        if move.state == "cancel":
            return False
        if self.kind == "revision":
            return self.revised_claim_id._dunning_in_force()
        return not move.reversal_move_ids.filtered(
            lambda reversal: reversal.state == "posted"
        )
