# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import timedelta
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools.pdf import PdfReadError

from .common import TODAY, DunningCommon

DUE = TODAY - timedelta(days=10)


@tagged("post_install", "-at_install")
class TestDunningLetters(DunningCommon):
    """Letters rendered in one pass for the batch, split per customer."""

    def setUp(self):
        super().setUp()
        self.level_1.sudo().write({"channel_email": False, "channel_letter": True})
        self.customers = self.customer | self._customer("Martin SA")
        for customer in self.customers:
            self._invoice(customer, 100.0, DUE)
        self.Report = type(self.env["ir.actions.report"])
        self.run = self._run(TODAY, execute=False)

    def _execute(self):
        # As outside tests: wkhtmltopdf, here replaced by the patches.
        self.run.with_context(force_report_rendering=True).action_execute()
        return self.run.sudo().action_ids.sorted("id")

    def test_one_pass_for_the_batch(self):
        calls = []

        def batch(report, report_ref, data, res_ids=None):
            calls.append(list(res_ids))
            return {
                res_id: {"stream": io.BytesIO(b"%PDF letter " + str(res_id).encode())}
                for res_id in res_ids
            }

        with patch.object(self.Report, "_render_qweb_pdf_prepare_streams", batch):
            actions = self._execute()
        self.assertEqual(calls, [actions.ids], "one rendering for the two letters")
        for action in actions:
            self.assertEqual(action.state, "sent")
            self.assertEqual(
                action.letter_attachment_id.raw,
                b"%PDF letter " + str(action.id).encode(),
            )
            self.assertEqual(
                action.message_id.attachment_ids, action.letter_attachment_id
            )
            self.assertEqual(action.message_id.res_id, action.partner_id.id)

    def test_one_by_one_when_the_batch_gives_nothing(self):
        def batch(report, report_ref, data, res_ids=None):
            raise PdfReadError("Cannot read an empty file")

        def single(report, report_ref, res_ids=None, data=None):
            return b"%PDF alone " + str(res_ids[0]).encode(), "pdf"

        with (
            patch.object(self.Report, "_render_qweb_pdf_prepare_streams", batch),
            patch.object(self.Report, "_render_qweb_pdf", single),
        ):
            actions = self._execute()
        self.assertEqual(actions.mapped("state"), ["sent", "sent"])
        self.assertEqual(
            [action.letter_attachment_id.raw for action in actions],
            [b"%PDF alone " + str(action.id).encode() for action in actions],
        )
