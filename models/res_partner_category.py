from odoo import _, models
from odoo.exceptions import AccessError

from .res_partner_debtor import PUBLIC_BODY_TAG


class ResPartnerCategory(models.Model):
    """The Public Body tag decides a debtor's type: its partners are the managers'."""

    _inherit = "res.partner.category"

    def write(self, vals):
        if "partner_ids" in vals and not self.env.su:
            tag = self.env.ref(PUBLIC_BODY_TAG, raise_if_not_found=False)
            if (
                tag
                and tag in self
                and not self.env.user.has_group("account_dunning.group_dunning_manager")
            ):
                raise AccessError(
                    _(
                        "Only dunning managers can tag or untag public bodies: the "
                        "tag decides the late-payment penalties a customer owes."
                    )
                )
        return super().write(vals)
