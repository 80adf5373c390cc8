from odoo import models


class AccountDunningAction(models.Model):
    _inherit = "account.dunning.action"

    def _portal_url(self):
        """The "See and settle your account" link of a reminder: the customer page,
        signed for a recipient without a portal account."""
        self.ensure_one()
        return self.env["account.dunning.portal"]._url(
            self.partner_id, self.company_id, self.recipient_id or self.partner_id
        )
