from odoo import models


class AccountEdiXmlUblBis3(models.AbstractModel):
    _inherit = "account.edi.xml.ubl_bis3"

    def _dunning_single_note(self, invoice):
        """Peppol allows one document note unless seller and buyer are both German
        (PEPPOL-EN16931-R002)."""
        supplier = invoice.company_id.partner_id.commercial_partner_id.country_code
        customer = invoice.commercial_partner_id.country_code
        return not (supplier == customer == "DE")
