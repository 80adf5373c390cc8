# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer page's promise and dispute forms over HTTP: what works, and every
crafted id, bad input and bad link that must create nothing."""

from datetime import date
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import make_invoice
from .portal_common import PortalCommon

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00" + b"\x00" * 64
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


class PortalFormsCommon(PortalCommon):
    """The helpers of the forms' tests: posts as the form does, and counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.env.user.company_ids |= cls.company_b
        cls.invoice_b = make_invoice(
            cls.env, cls.company_b, cls.customer, 300.0, date(2024, 5, 20)
        )
        cls.Promise = cls.env["account.dunning.promise"]
        cls.Dispute = cls.env["account.dunning.dispute"]
        cls.Plan = cls.env["account.dunning.plan"]
        cls.Attachment = cls.env["ir.attachment"]

    def _login(self):
        self.authenticate("dubois_portal", "dubois_portal")

    def _page(self):
        """The page of the company of the tests (the customer has two)."""
        return f"/my/dues?company_id={self.company.id}"

    def _send(self, url, fields, token=None, csrf=True, files=None):
        """POST ``fields`` (a list of pairs: a name may repeat) as the page's form
        would, with the access parameters of a signed link ``token`` or the
        portal user's company, and the CSRF token of the session."""
        fields = list(fields)
        page = "/my/dues"
        if token:
            page = f"/my/dues?access_token={self._token()}"
            fields.append(("access_token", token))
        else:
            fields.append(("company_id", str(self.company.id)))
        if csrf:
            fields.append(("csrf_token", self._csrf(page)))
        if csrf:
            response = self.url_open(
                url, data=fields, files=files, allow_redirects=False
            )
        else:
            # Odoo refuses the post and says so in the log.
            with self.assertLogs("odoo.http", "WARNING"):
                response = self.url_open(
                    url, data=fields, files=files, allow_redirects=False
                )
        # The server wrote in the test's transaction: read it afresh.
        self.env.invalidate_all()
        return response

    def _counts(self):
        return (
            self.Promise.search_count([]),
            self.Dispute.search_count([]),
            self.Plan.search_count([]),
            self.Attachment.search_count([("res_model", "=", self.Dispute._name)]),
        )

    def assertDone(self, response, done):
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertIn(f"done={done}", response.headers["Location"])

    def assertRefused(self, response, status, message=None):
        self.assertEqual(response.status_code, status)
        if message:
            self.assertIn(message, response.text)


@tagged("post_install", "-at_install")
class TestDunningPortalFormsPromise(PortalFormsCommon):
    def _promise_fields(self, moves=None, day="2024-07-20", amount="1600.00"):
        moves = self.late | self.recent if moves is None else moves
        return [
            ("date", day),
            ("amount", amount),
            ("move_ids", ",".join(str(move_id) for move_id in moves.ids)),
        ]

    def test_promise_as_portal_user(self):
        self._login()
        page = self._get(self._page()).text
        self.assertIn("o_dunning_promise_form", page)
        self.assertIn("o_dunning_promise_toggle", page)
        before = self._counts()
        response = self._send("/my/dues/promise", self._promise_fields())
        self.assertDone(response, "promise")
        promise = self.Promise.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(promise), 1)
        self.assertEqual(self._counts()[0], before[0] + 1)
        self.assertEqual(promise.company_id, self.company)
        self.assertEqual(promise.source, "portal")
        self.assertEqual(promise.amount, 1600.00)
        self.assertEqual(promise.date, date(2024, 7, 20))
        self.assertEqual(promise.move_ids, self.late | self.recent)
        self.assertFalse(promise.user_id.share, "an internal owner, not the customer")
        # The dunning reacts: the invoices are held, the trace says why.
        self.assertEqual(self.late.dunning_hold, "promise")
        self.assertEqual(self.recent.dunning_hold, "promise")
        self.assertTrue(
            self.env["account.dunning.action"].search(
                [("partner_id", "=", self.customer.id), ("channel", "=", "promise")]
            )
        )
        self.assertIn(
            self.contact, promise.message_ids.author_id, "said by the customer"
        )
        page = self._get(response.headers["Location"]).text
        self.assertIn("your promise to pay is recorded", page)

    def test_promise_with_checkboxes(self):
        """The page's checkboxes post ``move_ids`` once per invoice."""
        self._login()
        response = self._send(
            "/my/dues/promise",
            [
                ("date", "2024-07-10"),
                ("amount", "250,50"),
                ("move_ids", str(self.late.id)),
                ("move_ids", str(self.recent.id)),
            ],
        )
        self.assertDone(response, "promise")
        promise = self.Promise.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(promise.move_ids, self.late | self.recent)
        self.assertEqual(promise.amount, 250.50)

    def test_promise_with_a_signed_link(self):
        token = self._token()
        before = self._counts()
        response = self._send(
            "/my/dues/promise", self._promise_fields(self.late, amount="1000"), token
        )
        self.assertDone(response, "promise")
        self.assertIn(f"access_token={token}", response.headers["Location"])
        self.assertEqual(self._counts()[0], before[0] + 1)
        promise = self.Promise.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            (promise.company_id, promise.source, promise.amount, promise.move_ids),
            (self.company, "portal", 1000.00, self.late),
        )
        self.assertFalse(promise.user_id.share)
        self.assertEqual(self.late.dunning_hold, "promise")

    def test_crafted_invoices_are_not_found(self):
        self._login()
        before = self._counts()
        for moves in (
            self.rival_invoice,
            self.late | self.rival_invoice,
            self.invoice_b,
        ):
            with self.subTest(moves=moves.mapped("name")):
                response = self._send("/my/dues/promise", self._promise_fields(moves))
                self.assertRefused(response, 404)
        for raw in ("999999999", f"{self.late.id},abc", "-3"):
            with self.subTest(raw=raw):
                response = self._send(
                    "/my/dues/promise",
                    [("date", "2024-07-20"), ("amount", "100"), ("move_ids", raw)],
                )
                self.assertRefused(response, 404)
        self.assertEqual(self._counts(), before)
        self.assertFalse(self.rival_invoice.dunning_hold)

    def test_refusals_show_the_message_and_create_nothing(self):
        self._login()
        before = self._counts()
        cases = [
            ({"day": "2024-06-30"}, "The promised date cannot be in the past."),
            ({"day": "2024-12-31"}, "cannot be more than 60 days away"),
            ({"amount": "1600.01"}, "cannot be above the amount due"),
            ({"amount": "0"}, "The promised amount must be above zero."),
            ({"amount": "-5"}, "The promised amount must be above zero."),
            ({"amount": "abc"}, "is not a number."),
            ({"amount": ""}, "Enter the amount."),
            ({"day": "2024-13-45"}, "is not a date."),
            ({"day": ""}, "Choose a date."),
            ({"moves": self.late.browse()}, "Choose the invoices you promise to pay."),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                response = self._send(
                    "/my/dues/promise", self._promise_fields(**values)
                )
                self.assertRefused(response, 400, message)
                # The form comes back open, with what was typed.
                self.assertIn("o_dunning_form_error", response.text)
        self.assertEqual(self._counts(), before)
        self.assertFalse(self.late.dunning_hold)

    def test_no_csrf_token(self):
        self._login()
        before = self._counts()
        response = self._send("/my/dues/promise", self._promise_fields(), csrf=False)
        self.assertRefused(response, 400)
        token = self._token()
        response = self._send(
            "/my/dues/promise", self._promise_fields(), token, csrf=False
        )
        self.assertRefused(response, 400)
        self.assertEqual(self._counts(), before)

    def test_bad_links(self):
        before = self._counts()
        token = self._token()
        expired = self._token(expiry=date(2024, 6, 30))
        rival = self._token(partner=self.rival)
        for bad in (token[:-1] + ("0" if token[-1] != "0" else "1"), expired):
            with self.subTest(token=bad):
                response = self._send("/my/dues/promise", self._promise_fields(), bad)
                self.assertRefused(response, 403)
        # A valid link of another customer does not reach this one's invoices.
        response = self._send("/my/dues/promise", self._promise_fields(), rival)
        self.assertRefused(response, 404)
        self.assertEqual(self._counts(), before)

    def test_not_logged_in_without_a_link(self):
        before = self._counts()
        self.authenticate(None, None)
        response = self.url_open(
            "/my/dues/promise",
            data={
                **dict(self._promise_fields()),
                "csrf_token": self._csrf("/web/login"),
            },
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        self.assertEqual(self._counts(), before)


@tagged("post_install", "-at_install")
class TestDunningPortalFormsDispute(PortalFormsCommon):
    def _dispute(self, move, reason="quality", description="Two parts broken.", **kw):
        return self._send(
            f"/my/dues/dispute/{move.id}",
            [("reason", reason), ("description", description)],
            **kw,
        )

    def test_dispute_as_portal_user_with_a_pdf(self):
        self._login()
        page = self._get(self._page()).text
        self.assertIn(f'data-move-id="{self.late.id}"', page)
        self.assertIn("o_dunning_dispute_toggle", page)
        form = self._get(
            f"/my/dues/dispute/{self.late.id}?company_id={self.company.id}"
        )
        self.assertIn('enctype="multipart/form-data"', form.text)
        before = self._counts()
        response = self._dispute(
            self.late,
            description="Two parts broken.\nSee the photo.",
            files={"attachment": ("delivery note.pdf", PDF, "application/pdf")},
        )
        self.assertDone(response, "dispute")
        self.assertEqual(self._counts()[1], before[1] + 1)
        dispute = self.Dispute.search([("move_id", "=", self.late.id)])
        self.assertEqual(
            (dispute.partner_id, dispute.company_id, dispute.source, dispute.reason),
            (self.customer, self.company, "portal", "quality"),
        )
        self.assertEqual(dispute.amount, 1000.00)
        self.assertEqual(dispute.description, "Two parts broken.\nSee the photo.")
        owner = dispute.user_id
        self.assertTrue(owner and not owner.share, "an internal owner")
        self.assertEqual(dispute.activity_ids.user_id, owner, "the owner's to-do")
        attachment = self.Attachment.search(
            [("res_model", "=", dispute._name), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(
            (attachment.name, attachment.mimetype, attachment.raw),
            ("delivery note.pdf", "application/pdf", PDF),
        )
        message = dispute.message_ids.filtered(
            lambda message: message.author_id == self.contact
        )
        self.assertEqual(len(message), 1, "the customer's words, by its contact")
        self.assertIn("See the photo.", message.body)
        self.assertEqual(message.attachment_ids, attachment)
        self.assertEqual(self.late.dunning_hold, "dispute", "the dunning reacts")
        page = self._get(response.headers["Location"]).text
        self.assertIn("Your dispute is recorded", page)
        self.assertNotIn(
            f"/my/dues/dispute/{self.late.id}?",
            page,
            "disputed in full: no second dispute",
        )

    def test_dispute_with_a_signed_link(self):
        token = self._token()
        response = self._dispute(
            self.future, reason="price", description="", token=token
        )
        self.assertDone(response, "dispute")
        dispute = self.Dispute.search([("move_id", "=", self.future.id)])
        self.assertEqual(
            (dispute.partner_id, dispute.source, dispute.amount),
            (self.customer, "portal", 400.00),
        )
        self.assertFalse(dispute.user_id.share)
        self.assertIn(self.customer, dispute.message_ids.author_id)

    def test_two_disputes_at_once(self):
        """Two disputes of the invoice at the same moment: the unique index stops the
        second, which gets the message, not an error page."""
        self._login()
        self.Dispute.create({"move_id": self.late.id, "reason": "price"})
        before = self._counts()
        Dispute = type(self.env["account.dunning.dispute"])
        # As if the other dispute were not committed yet when this one is checked.
        with (
            patch.object(Dispute, "_check_no_open_dispute", lambda self, moves: None),
            mute_logger("odoo.sql_db"),
        ):
            response = self._dispute(self.late)
        self.assertRefused(response, 400, "is already under an open dispute.")
        self.assertEqual(self._counts(), before)

    def test_crafted_invoices_are_not_found(self):
        self._login()
        before = self._counts()
        for move_id in (self.rival_invoice.id, self.invoice_b.id, 999999999, 2**40):
            with self.subTest(move_id=move_id):
                response = self._send(
                    f"/my/dues/dispute/{move_id}", [("reason", "quality")]
                )
                self.assertRefused(response, 404)
                # Nor its form.
                form = self._get(
                    f"/my/dues/dispute/{move_id}?company_id={self.company.id}"
                )
                self.assertEqual(form.status_code, 404)
        # The dispute page of its own invoice opens (the user's company by default).
        page = self._get(f"/my/dues/dispute/{self.late.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_dunning_dispute_form", page.text)
        # The rival's own link does not open the customer's invoices either.
        response = self._dispute(self.late, token=self._token(partner=self.rival))
        self.assertRefused(response, 404)
        self.assertEqual(self._counts(), before)

    def test_refusals_show_the_message_and_create_nothing(self):
        self._login()
        before = self._counts()
        self.assertRefused(
            self._dispute(self.late, reason="because"),
            400,
            "Choose the reason of your dispute.",
        )
        self.assertRefused(self._dispute(self.late, csrf=False), 400)
        self.assertEqual(self._counts(), before)
        # Disputed already: the model's own check, its message on the page.
        self.assertDone(self._dispute(self.recent), "dispute")
        before = self._counts()
        self.assertRefused(
            self._dispute(self.recent), 400, "is already under an open dispute."
        )
        self.assertEqual(self._counts(), before)

    def test_attachments_refused(self):
        self._login()
        self.company.dunning_portal_upload_mb = 1
        before = self._counts()
        cases = [
            (("big.pdf", PDF + b"0" * (1024 * 1024), "application/pdf"), "over 1 MB"),
            (("page.html", HTML, "text/html"), "cannot be attached"),
            (("logo.svg", SVG, "image/svg+xml"), "cannot be attached"),
            (("page.pdf", HTML, "application/pdf"), "cannot be attached"),
            (("logo.png", SVG, "image/png"), "cannot be attached"),
            (("tool.exe", EXE, "application/x-msdownload"), "cannot be attached"),
            (("tool.pdf", EXE, "application/pdf"), "cannot be attached"),
            (("script.js", b"alert(1);\n", "text/javascript"), "cannot be attached"),
        ]
        for upload, message in cases:
            with self.subTest(name=upload[0]):
                response = self._dispute(self.late, files={"attachment": upload})
                self.assertRefused(response, 400, message)
        self.assertEqual(self._counts(), before)
        self.assertFalse(self.late.dunning_hold)
        # Right at the limit, a text file: taken.
        response = self._dispute(
            self.late,
            files={"attachment": ("notes.txt", b"a" * 1024 * 1024, "text/plain")},
        )
        self.assertDone(response, "dispute")
        attachment = self.Attachment.search([("res_model", "=", self.Dispute._name)])
        self.assertEqual(attachment.mimetype, "text/plain")

    def test_bad_links(self):
        before = self._counts()
        token = self._token()
        tampered = token.replace(f"{self.customer.id}-", f"{self.rival.id}-", 1)
        expired = self._token(expiry=date(2024, 6, 1))
        for bad in (tampered, expired):
            with self.subTest(token=bad):
                response = self._dispute(
                    self.late,
                    token=bad,
                    files={"attachment": ("note.pdf", PDF, "application/pdf")},
                )
                self.assertRefused(response, 403)
        self.assertEqual(self._counts(), before)
