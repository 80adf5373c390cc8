from odoo import api, models

from . import dunning_access


class AccountDunningHistoryMixin(models.AbstractModel):
    """A history the engine keeps: the trace, the penalty claims, the block history.

    Its records are created, changed and deleted by the engine alone (superuser
    mode, after the checks of the action that writes them); every group reads them.
    """

    _name = "account.dunning.history.mixin"
    _description = "Dunning History Kept By The Engine"

    @api.model_create_multi
    def create(self, vals_list):
        dunning_access.check_append_only(self)
        return super().create(vals_list)

    def write(self, vals):
        dunning_access.check_append_only(self)
        return super().write(vals)

    def unlink(self):
        dunning_access.check_append_only(self)
        return super().unlink()
