from odoo import api, fields, models


class AccountDunningInvoiceWizard(models.AbstractModel):
    """What the dunning wizards share: the invoices selected where they were opened."""

    _name = "account.dunning.invoice.wizard"
    _description = "Dunning Wizard On Invoices"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if (
            self.env.context.get("active_model") == "account.move"
            and "move_ids" in fields_list
        ):
            values["move_ids"] = [
                fields.Command.set(self.env.context.get("active_ids", []))
            ]
        return values
