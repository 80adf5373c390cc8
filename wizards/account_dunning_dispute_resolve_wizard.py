from odoo import fields, models


class AccountDunningDisputeResolveWizard(models.TransientModel):
    _name = "account.dunning.dispute.resolve.wizard"
    _description = "Dunning: Resolve a Dispute"

    dispute_id = fields.Many2one("account.dunning.dispute", required=True)
    decision = fields.Selection(
        [("accept", "Accept"), ("reject", "Reject")], required=True, default="accept"
    )
    credit_note = fields.Boolean(
        string="Draft a Credit Note",
        default=True,
        help="A draft credit note of the disputed amount, the invoice lines pro rata.",
    )
    note = fields.Text(string="Resolution Note")

    def action_confirm(self):
        self.ensure_one()
        dispute = self.dispute_id
        if self.decision == "accept":
            if self.note:
                dispute.resolution_note = self.note
            dispute.action_accept(credit_note=self.credit_note)
            if dispute.credit_note_id:
                return dispute.action_open_credit_note()
        else:
            dispute.action_reject(self.note)
        return {"type": "ir.actions.act_window_close"}
