from odoo import models


class AccountEdiXmlCii(models.AbstractModel):
    """Factur-X / CII: the late-payment mentions as invoice notes (BG-1), each with
    its subject code (ram:SubjectCode, BT-21), after the invoice's own note."""

    _inherit = "account.edi.xml.cii"

    def _get_exchanged_document_vals(self, invoice):
        vals = super()._get_exchanged_document_vals(invoice)
        vals["dunning_notes"] = invoice._dunning_edi_notes()
        return vals
