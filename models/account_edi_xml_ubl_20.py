from odoo import models


class AccountEdiXmlUbl20(models.AbstractModel):
    """UBL: the late-payment mentions as invoice notes (cbc:Note, BT-22), the subject
    code (BT-21) written as a ``#CODE#`` prefix of the text (EN 16931-3-2)."""

    _inherit = "account.edi.xml.ubl_20"

    def _dunning_single_note(self, invoice):
        """Whether the format allows one document note only: then the invoice's own
        note and the mentions share it, each on a line of its own."""
        return False

    def _dunning_notes(self, invoice, own_notes):
        """The texts of the document notes: the invoice's own, then the mentions."""
        mentions = [f"#{code}#{text}" for code, text in invoice._dunning_edi_notes()]
        if not mentions:
            return own_notes
        notes = own_notes + mentions
        if self._dunning_single_note(invoice):
            return ["\n".join(notes)]
        return notes

    def _get_note_vals_list(self, invoice):
        # The export by templates (UBL 2.0 / 2.1 and the formats built on them).
        own = super()._get_note_vals_list(invoice)
        own_texts = [vals["note"] for vals in own]
        texts = self._dunning_notes(invoice, own_texts)
        return own if texts == own_texts else [{"note": text} for text in texts]

    def _add_invoice_header_nodes(self, document_node, vals):
        # The export by dicts (Peppol BIS 3).
        res = super()._add_invoice_header_nodes(document_node, vals)
        own = document_node.get("cbc:Note")
        texts = self._dunning_notes(vals["invoice"], [own["_text"]] if own else [])
        if texts:
            document_node["cbc:Note"] = [{"_text": text} for text in texts]
        return res
