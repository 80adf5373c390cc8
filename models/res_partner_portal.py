from odoo import _, fields, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_portal_link_sent = fields.Datetime(
        string="Customer Page Link Sent",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="When the customer last asked for a fresh link to its page (one an hour).",
    )

    def get_dunning_portal_url(self):
        """The signed link to the customer page of this customer (its commercial
        entity) in the current company, valid the company's number of days.

        For dunning users: the link opens the page read-write for that customer.
        """
        self.ensure_one()
        if not self.env.user.has_group("account_dunning.group_dunning_user"):
            raise AccessError(
                _("Only dunning users can make links to a customer's page.")
            )
        self.check_access("read")
        company = self.env.company
        return self.env["account.dunning.portal"]._url(
            self.commercial_partner_id, company
        )
