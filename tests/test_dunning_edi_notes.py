from lxml import etree

from odoo.tests import tagged

from .common import make_invoice
from .test_dunning_legal_mentions import DUE, LegalMentionsCommon

CII = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:"
    "ReusableAggregateBusinessInformationEntity:100",
}
UBL = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
OWN_NOTE = "Thank you for your order."


@tagged("post_install", "-at_install")
class TestDunningEdiNotes(LegalMentionsCommon):
    """The mentions as invoice notes (BG-1) of Factur-X / CII and UBL, with the
    subject codes of the French rules (BR-FR-05): PMD, PMT, AAB."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {
                "country_id": cls.env.ref("base.fr").id,
                "street": "2 avenue Foch",
                "zip": "69006",
                "city": "Lyon",
            }
        )
        cls.invoice = cls._noted_invoice(cls.customer)

    @classmethod
    def _noted_invoice(cls, partner, move_type="out_invoice"):
        invoice = make_invoice(
            cls.env,
            cls.company,
            partner,
            1000.0,
            DUE,
            move_type=move_type,
            post=False,
        )
        invoice.narration = f"<p>{OWN_NOTE}</p>"
        invoice.action_post()
        return invoice

    def _cii_notes(self, invoice):
        xml, _errors = self.env["account.edi.xml.cii"]._export_invoice(invoice)
        tree = etree.fromstring(xml, PARSER)
        return [
            (
                note.findtext("ram:SubjectCode", namespaces=CII) or "",
                note.findtext("ram:Content", namespaces=CII),
            )
            for note in tree.findall("rsm:ExchangedDocument/ram:IncludedNote", CII)
        ]

    def _ubl_notes(self, invoice, builder):
        xml, _errors = self.env[builder]._export_invoice(invoice)
        tree = etree.fromstring(xml, PARSER)
        # The document's notes, not its lines' nor its payment terms'.
        return [note.text for note in tree.findall("cbc:Note", UBL)]

    def test_facturx_notes_with_subject_codes(self):
        notes = self._cii_notes(self.invoice)
        self.assertEqual([code for code, _text in notes], ["", "PMD", "PMT", "AAB"])
        texts = dict(notes)
        self.assertEqual(texts[""], OWN_NOTE, "the invoice's own note comes first")
        self.assertIn("(14.50% per year on the day after the due date)", texts["PMD"])
        self.assertIn("article L441-10 of the French Commercial Code", texts["PMD"])
        self.assertIn("A fixed indemnity of 40.00", texts["PMT"])
        self.assertIn("D441-5", texts["PMT"])
        self.assertEqual(texts["AAB"], "No discount for early payment.")

    def test_ubl_notes_with_code_prefixes(self):
        notes = self._ubl_notes(self.invoice, "account.edi.xml.ubl_21")
        self.assertEqual(len(notes), 4)
        self.assertEqual(notes[0], OWN_NOTE)
        self.assertTrue(notes[1].startswith("#PMD#Late payment penalties: "))
        self.assertTrue(notes[2].startswith("#PMT#A fixed indemnity of 40.00"))
        self.assertEqual(notes[3], "#AAB#No discount for early payment.")

    def test_peppol_keeps_one_note(self):
        """Peppol BIS 3 allows one document note (PEPPOL-EN16931-R002): the mentions
        follow the invoice's own note in it, one per line."""
        (note,) = self._ubl_notes(self.invoice, "account.edi.xml.ubl_bis3")
        lines = note.split("\n")
        self.assertEqual(lines[0], OWN_NOTE)
        self.assertEqual([line[:5] for line in lines[1:]], ["#PMD#", "#PMT#", "#AAB#"])

    def test_consumer_gets_no_b2b_note(self):
        consumer = self.env["res.partner"].create(
            {
                "name": "Jeanne Martin",
                "is_company": False,
                "country_id": self.env.ref("base.fr").id,
                "city": "Lyon",
            }
        )
        notes = self._cii_notes(self._noted_invoice(consumer))
        self.assertEqual([code for code, _text in notes], ["", "AAB"])
        self.assertNotIn("L441", str(notes))

    def test_credit_note_and_bill_without_mentions(self):
        refund = self._noted_invoice(self.customer, move_type="out_refund")
        self.assertEqual(self._cii_notes(refund), [("", OWN_NOTE)])
        self.assertEqual(self._ubl_notes(refund, "account.edi.xml.ubl_21"), [OWN_NOTE])
        bill = self._noted_invoice(self.customer, move_type="in_invoice")
        self.assertEqual(bill._dunning_edi_notes(), [])
