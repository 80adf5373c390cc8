# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import csv
import io
import zipfile
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import TODAY, DunningCommon, company_user, offline_report_assets

NOTICE_NUMBER = "RR123456785FR"


class HandoffCommon(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create(
            {
                "name": "Recouvrement Express",
                "is_company": True,
                "dunning_collector_type": "agency",
            }
        )
        cls.commissaire = cls.env["res.partner"].create(
            {
                "name": "Maître Lefèvre",
                "is_company": True,
                "dunning_collector_type": "commissaire",
            }
        )
        cls.salesman = company_user(
            cls.env, "handoff_sales", "sales_team.group_sale_salesman", cls.company
        )

    def _handoff(self, moves, user=None, **values):
        return (
            self.env["account.dunning.handoff"]
            .with_user(user or self.invoice_user)
            .create(
                {
                    "partner_id": moves.partner_id.id,
                    "collector_id": self.agency.id,
                    "date": TODAY,
                    "move_ids": [Command.set(moves.ids)],
                    **values,
                }
            )
        )


@tagged("post_install", "-at_install")
class TestDunningHandoffs(HandoffCommon):
    @freeze_time(TODAY)
    def test_handoff_stops_reminders(self):
        handed = self._invoice(self.customer, 1000.0, date(2024, 5, 1))
        other = self._invoice(self.customer, 500.0, date(2024, 5, 1))
        # A run computed before the hand-off is executed after it.
        computed = self._run(TODAY, execute=False)
        self.assertIn(handed, computed.line_ids.move_id)
        handoff = self._handoff(handed)
        self.assertEqual(handoff.state, "draft")
        self.assertFalse(handed.dunning_handed_off, "a draft leaves the invoice alone")
        # The collector has no API: the export hands the file over.
        handoff.with_user(self.invoice_user).action_send()
        self.assertEqual(handoff.state, "sent")
        self.assertTrue(handoff.export_attachment_id)
        self.assertTrue(handed.dunning_handed_off)
        self.assertFalse(other.dunning_handed_off)
        with freeze_time(TODAY):
            computed.with_user(self.invoice_user).action_execute()
        line = computed.line_ids.filtered(lambda line: line.move_id == handed)
        self.assertEqual(line.state, "skipped")
        self.assertIn("Handed off", line.reason)
        # The next run proposes nothing for it, the other invoice still.
        run = self._run(date(2024, 7, 20), execute=False)
        self.assertNotIn(handed, run.line_ids.move_id)
        self.assertIn(other, run.line_ids.move_id)
        # Blocking stays: the item is still one the dunning looks at, overdue.
        eligibility = self.env["account.dunning.eligibility"]
        self.assertIn(
            handed,
            self.env["account.move.line"]
            .search(eligibility._item_domain(self.company, partners=self.customer))
            .move_id,
        )
        self.assertEqual(
            eligibility._overdue_by_partner(self.company, self.customer, TODAY)[
                self.customer.id
            ],
            1500.0,
        )
        # The penalties keep accruing on it.
        self.assertGreater(handed.dunning_interest_amount, 0.0)
        # Traced, and in the customer's chatter.
        trace = self.env["account.dunning.action"].search(
            [("partner_id", "=", self.customer.id), ("channel", "=", "handoff")]
        )
        self.assertEqual(len(trace), 2, "prepared, then exported and sent")
        self.assertTrue(all(handed in action.move_ids for action in trace))
        self.assertTrue(
            any(
                "Recouvrement Express" in body
                for body in self.customer.message_ids.mapped("body")
            )
        )
        # The manager closes it: the invoice goes back to the reminders.
        handoff.with_user(self.dunning_manager).action_close()
        self.assertEqual(handoff.state, "closed")
        self.assertFalse(handed.dunning_handed_off)
        run = self._run(date(2024, 7, 21), execute=False)
        self.assertIn(handed, run.line_ids.move_id)

    @freeze_time(TODAY)
    def test_claim_amounts(self):
        invoice = self._invoice(self.customer, 1000.0, date(2024, 5, 1))
        handoff = self._handoff(invoice)
        interest = invoice.dunning_interest_detail(TODAY)
        expected_interest = round(sum(line["amount"] for line in interest), 2)
        self.assertEqual(handoff.amount_principal, 1000.0)
        self.assertEqual(handoff.amount_interest, expected_interest)
        self.assertGreater(handoff.amount_interest, 0.0)
        self.assertEqual(handoff.amount_indemnity, 40.0)
        # 1,000.00 + interest + 40.00
        self.assertAlmostEqual(
            handoff.amount_claimed, 1040.0 + expected_interest, places=2
        )
        # By hand: due 1 May, 61 days to 1 July 2024 at 14.50 % (ECB 4.50 % + 10
        # points): 1,000.00 x 14.50 % x 60 / 365 = 23.84 (to 30 June) and
        # 1,000.00 x 14.25 % x 1 / 365 = 0.39 (1 July, ECB 4.25 % + 10), or
        # 1,000.00 x 14.50 % x 61 / 365 = 24.23 in one line: 24.23 either way.
        self.assertEqual(handoff.amount_interest, 24.23)
        # 1,000.00 + 24.23 + 40.00 = 1,064.23
        self.assertEqual(handoff.amount_claimed, 1064.23)

    @freeze_time(TODAY)
    def test_refusals(self):
        Handoff = self.env["account.dunning.handoff"]
        disputed = self._invoice(self.customer, 800.0, date(2024, 5, 1))
        self.env["account.dunning.dispute"].with_user(self.invoice_user).create(
            {"move_id": disputed.id, "reason": "quality"}
        )
        with self.assertRaises(ValidationError) as err:
            self._handoff(disputed)
        self.assertIn("is disputed", str(err.exception))
        # Another customer's invoice.
        mine = self._invoice(self.customer, 300.0, date(2024, 5, 1))
        other = self._invoice(self._customer("Martin SA"), 300.0, date(2024, 5, 1))
        with self.assertRaises(ValidationError) as err:
            self._handoff(mine, move_ids=[Command.set((mine | other).ids)])
        self.assertIn("another customer's", str(err.exception))
        # A paid invoice.
        paid = self._invoice(self.customer, 200.0, date(2024, 5, 1))
        self._pay(paid, 200.0, date(2024, 6, 1))
        with self.assertRaises(ValidationError) as err:
            self._handoff(mine, move_ids=[Command.set(paid.ids)])
        self.assertIn("is paid", str(err.exception))
        # Over 5,000 EUR on the simplified procedure.
        big = self._invoice(self.customer, 6000.0, date(2024, 5, 1))
        with self.assertRaises(ValidationError) as err:
            self._handoff(
                big, collector_id=self.commissaire.id, route="simplified_procedure"
            )
        self.assertIn("5,000 EUR", str(err.exception))
        small = self._invoice(self.customer, 4000.0, date(2024, 5, 1))
        simple = self._handoff(
            small, collector_id=self.commissaire.id, route="simplified_procedure"
        )
        self.assertEqual(simple.route, "simplified_procedure")
        # Already in another hand-off.
        with self.assertRaises(ValidationError) as err:
            self._handoff(small)
        self.assertIn("already in another hand-off", str(err.exception))
        # Not a collector.
        with self.assertRaises(ValidationError) as err:
            self._handoff(mine, collector_id=self._customer("Nobody").id)
        self.assertIn("is not a collector", str(err.exception))
        # A customer in insolvency proceedings: no hand-off after the judgment.
        self.customer.sudo().dunning_insolvency_date = date(2024, 6, 15)
        with self.assertRaises(ValidationError) as err:
            self._handoff(mine)
        self.assertIn("insolvency proceedings", str(err.exception))
        self.assertEqual(Handoff.search_count([]), 1, "nothing but the good one")
        self.assertFalse((disputed | mine | big).dunning_handoff_ids)

    @freeze_time(TODAY)
    def test_insolvency_not_dodged_by_the_date(self):
        """No hand-off after the judgment (L622-21 C. com.): neither by dating the
        hand-off before it, nor by sending a draft made before it was known."""
        invoice = self._invoice(self.customer, 1000.0, date(2024, 5, 1))
        draft = self._handoff(invoice)
        self.customer.sudo().dunning_insolvency_date = date(2024, 6, 15)
        for action in ("action_send", "action_export"):
            with self.assertRaises(ValidationError) as err:
                getattr(draft.with_user(self.invoice_user), action)()
            self.assertIn("insolvency proceedings", str(err.exception))
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.export_attachment_id)
        self.assertFalse(invoice.dunning_handed_off)
        draft.sudo().unlink()
        self.customer.sudo().dunning_insolvency_date = False
        # Disputed after the draft was made: the file does not leave either.
        draft = self._handoff(invoice)
        self.env["account.dunning.dispute"].with_user(self.invoice_user).create(
            {"move_id": invoice.id, "reason": "quality"}
        )
        with self.assertRaises(ValidationError) as err:
            draft.with_user(self.invoice_user).action_send()
        self.assertIn("is disputed", str(err.exception))
        self.assertEqual(draft.state, "draft")
        self.assertFalse(invoice.dunning_handed_off)
        draft.sudo().unlink()
        self.customer.sudo().dunning_insolvency_date = date(2024, 6, 15)
        with self.assertRaises(ValidationError) as err:
            self._handoff(invoice, date=date(2024, 6, 1))
        self.assertIn("insolvency proceedings", str(err.exception))
        self.assertFalse(invoice.dunning_handoff_ids)

    @freeze_time(TODAY)
    def test_run_level_hands_off(self):
        handoff_level = self.env["account.dunning.level"].create(
            {
                "policy_id": self.policy.id,
                "name": "Collection agency",
                "sequence": 100,
                "delay": 60,
                "level_type": "handoff",
                "channel_email": False,
                "handoff_collector_id": self.agency.id,
                "handoff_route": "agency",
                "handoff_commission_rate": 10.0,
            }
        )
        self.assertTrue(handoff_level.channel_handoff)
        with self.assertRaises(ValidationError) as err:
            handoff_level.handoff_collector_id = False
        self.assertIn("needs its collector", str(err.exception))
        invoice = self._invoice(self.customer, 1200.0, date(2024, 4, 15))
        invoice.sudo().line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).write(
            {"dunning_level_id": self.notice.id, "dunning_last_date": date(2024, 6, 1)}
        )
        invoice.sudo().write({"dunning_level_id": self.notice.id})
        run = self._run(TODAY)
        action = run.action_ids.filtered(
            lambda action: action.partner_id == self.customer
        )
        self.assertEqual(action.mapped("channel"), ["handoff"], "no email, no letter")
        self.assertEqual(action.state, "sent")
        handoff = self.env["account.dunning.handoff"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(handoff.state, "draft")
        self.assertEqual(handoff.collector_id, self.agency)
        self.assertEqual(handoff.level_id, handoff_level)
        self.assertEqual(handoff.commission_rate, 10.0)
        self.assertEqual(handoff.move_ids, invoice)
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)])
        )

    def _notice(self, moves):
        letter = self.env["ir.attachment"].create(
            {"name": "Mise en demeure.pdf", "raw": b"%PDF-1.4 notice letter"}
        )
        action = (
            self.env["account.dunning.action"]
            .sudo()
            .create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.customer.id,
                    "level_id": self.notice.id,
                    "channel": "letter",
                    "state": "sent",
                    "date": date(2024, 6, 10),
                    "move_ids": [Command.set(moves.ids)],
                    "letter_attachment_id": letter.id,
                }
            )
        )
        # sudo: as the run's execution makes it (notices are never made by hand).
        notice = (
            self.env["account.dunning.notice"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "move_ids": [Command.set(moves.ids)],
                    "action_id": action.id,
                    "date": date(2024, 6, 10),
                    "date_sent": date(2024, 6, 10),
                    "tracking_number": NOTICE_NUMBER,
                    "date_received": date(2024, 6, 12),
                    "state": "received",
                }
            )
        )
        receipt = self.env["ir.attachment"].create(
            {
                "name": "AR scan.pdf",
                "raw": b"%PDF-1.4 receipt",
                "res_model": "account.dunning.notice",
                "res_id": notice.id,
            }
        )
        notice.receipt_attachment_id = receipt
        return notice

    @freeze_time(TODAY)
    def test_export_zip(self):
        first = self._invoice(self.customer, 1000.0, date(2024, 5, 1))
        second = self._invoice(self.customer, 600.0, date(2024, 5, 15))
        moves = first | second
        self._pay(first, 250.0, date(2024, 6, 5))
        self.env["account.dunning.action"].sudo().create(
            {
                "company_id": self.company.id,
                "partner_id": self.customer.id,
                "level_id": self.level_1.id,
                "channel": "email",
                "state": "sent",
                "date": date(2024, 5, 20),
                "amount": 1600.0,
                "move_ids": [Command.set(moves.ids)],
            }
        )
        notice = self._notice(moves)
        handoff = self._handoff(moves, route="injunction")
        action = handoff.with_user(self.invoice_user).action_export()
        attachment = handoff.export_attachment_id
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        self.assertEqual(attachment.res_model, "account.dunning.handoff")
        self.assertEqual(attachment.res_id, handoff.id)
        archive = zipfile.ZipFile(io.BytesIO(attachment.raw))
        names = set(archive.namelist())
        self.assertEqual(
            names,
            {
                "summary.pdf",
                f"invoices/{first.name.replace('/', '_')}.pdf",
                f"invoices/{second.name.replace('/', '_')}.pdf",
                f"notices/{NOTICE_NUMBER}_notice.pdf",
                f"notices/{NOTICE_NUMBER}_receipt.pdf",
                "file.csv",
            },
        )
        self.assertEqual(
            archive.read(f"notices/{NOTICE_NUMBER}_receipt.pdf"), b"%PDF-1.4 receipt"
        )
        rows = list(
            csv.DictReader(
                io.StringIO(archive.read("file.csv").decode("utf-8-sig")),
                delimiter=";",
            )
        )
        by_type = {}
        for row in rows:
            by_type.setdefault(row["type"], []).append(row)
        self.assertEqual(
            [row["invoice"] for row in by_type["invoice"]], [first.name, second.name]
        )
        self.assertEqual(
            [row["amount_due"] for row in by_type["invoice"]], ["750.00", "600.00"]
        )
        self.assertEqual(by_type["invoice"][0]["indemnity"], "40.00")
        self.assertEqual(len(by_type["payment"]), 1)
        self.assertEqual(by_type["payment"][0]["amount"], "250.00")
        self.assertEqual(by_type["payment"][0]["date"], "2024-06-05")
        self.assertEqual(
            [(row["date"], row["channel"]) for row in by_type["reminder"]],
            [("2024-05-20", "email"), ("2024-06-10", "letter")],
        )
        # The summary: claims, reminders, the notice and its receipt, payments, the
        # status address, and the draft request of the injunction route.
        html = archive.read("summary.pdf").decode()
        for text in (
            first.name,
            second.name,
            NOTICE_NUMBER,
            "06/12/2024",
            "06/05/2024",
            "05/20/2024",
            f"/account_dunning/handoff/{handoff.id}/status",
            handoff.sudo().status_token,
            "Requête en injonction de payer",
            "Supporting documents",
        ):
            self.assertIn(text, html)
        self.assertEqual(notice.move_ids, moves)
        # The PDF builds (wkhtmltopdf's notes on unpatched Qt muted).
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            with offline_report_assets(self.env):
                pdf, kind = (
                    self.env["ir.actions.report"]
                    .with_context(force_report_rendering=True)
                    ._render_qweb_pdf(
                        "account_dunning.action_report_dunning_handoff", handoff.ids
                    )
                )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    @freeze_time(TODAY)
    def test_recovered_payment_and_commission(self):
        invoice = self._invoice(self.customer, 1000.0, date(2024, 5, 1))
        handoff = self._handoff(invoice, commission_rate=12.0)
        handoff.with_user(self.invoice_user).action_send()
        engine = self.env["account.dunning.handoff.engine"]
        engine._record_status(handoff, "recovered", 1000.0)
        self.assertEqual(handoff.state, "recovered")
        # 1,000.00 x 12 % = 120.00
        self.assertEqual(handoff.commission_amount, 120.0)
        # No account 6226 and none chosen: a clear error, nothing booked.
        with self.assertRaises(UserError) as err:
            handoff.with_user(self.invoice_user).action_register_recovered_payment()
        self.assertIn("no account 6226", str(err.exception))
        self.assertFalse(handoff.commission_move_id)
        # The account can still be chosen on the hand-off sent to the collector.
        fees_other = self.env["account.account"].create(
            {
                "code": "628100",
                "name": "Frais de recouvrement",
                "account_type": "expense",
                "company_ids": [Command.set(self.company.ids)],
            }
        )
        handoff.with_user(self.invoice_user).write(
            {"expense_account_id": fees_other.id}
        )
        self.assertEqual(handoff.expense_account_id, fees_other)
        # 6226 by code comes first.
        fees = self.env["account.account"].create(
            {
                "code": "622600",
                "name": "Honoraires",
                "account_type": "expense",
                "company_ids": [Command.set(self.company.ids)],
            }
        )
        action = handoff.with_user(
            self.invoice_user
        ).action_register_recovered_payment()
        # Opening the register books nothing: discarding it leaves no entry.
        self.assertFalse(handoff.commission_move_id)
        self.assertEqual(invoice.amount_residual, 1000.0)
        self.assertEqual(action["res_model"], "account.payment.register")
        Register = (
            self.env["account.payment.register"]
            .with_user(self.invoice_user)
            .with_context(**action["context"])
        )
        # Marking the invoice paid with a write-off would clear the commission's
        # share twice: refused, nothing booked.
        wizard = Register.create(
            {"payment_date": TODAY, "payment_difference_handling": "reconcile"}
        )
        with self.assertRaises(UserError) as err:
            wizard.action_create_payments()
        self.assertIn("keep the invoice open", str(err.exception))
        self.assertFalse(handoff.commission_move_id)
        self.assertFalse(invoice.matched_payment_ids)
        self.assertEqual(invoice.amount_residual, 1000.0)
        wizard = Register.create({"payment_date": TODAY})
        self.assertEqual(wizard.amount, 880.0)
        self.assertEqual(wizard.dunning_handoff_id, handoff)
        wizard.action_create_payments()
        payments = invoice.matched_payment_ids
        entry = handoff.commission_move_id
        # 880.00 paid + 120.00 commission = 1,000.00 cleared, in one transaction.
        self.assertEqual(payments.amount, 880.0)
        self.assertEqual(entry.state, "posted")
        expense = entry.line_ids.filtered(lambda line: line.account_id == fees)
        self.assertEqual(expense.debit, 120.0)
        self.assertEqual(sum(entry.line_ids.mapped("debit")), 120.0)
        self.assertEqual(sum(entry.line_ids.mapped("credit")), 120.0)
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        # A second registration books no second commission.
        with self.assertRaises(UserError):
            handoff.with_user(self.invoice_user).action_register_recovered_payment()
        self.assertEqual(
            self.env["account.move"].search_count(
                [("ref", "=", entry.ref), ("move_type", "=", "entry")]
            ),
            1,
        )

    @freeze_time(TODAY)
    def test_recovered_in_two_payments(self):
        """Partly recovered, registered, then recovered in full: the second
        register proposes what is left and books the rest of the commission."""
        invoice = self._invoice(self.customer, 1000.0, date(2024, 5, 1))
        handoff = self._handoff(invoice, commission_rate=12.0)
        handoff.with_user(self.invoice_user).action_send()
        engine = self.env["account.dunning.handoff.engine"]
        fees = self.env["account.account"].create(
            {
                "code": "622600",
                "name": "Honoraires",
                "account_type": "expense",
                "company_ids": [Command.set(self.company.ids)],
            }
        )

        def register():
            action = handoff.with_user(
                self.invoice_user
            ).action_register_recovered_payment()
            wizard = (
                self.env["account.payment.register"]
                .with_user(self.invoice_user)
                .with_context(**action["context"])
                .create({"payment_date": TODAY})
            )
            amount = wizard.amount
            wizard.action_create_payments()
            return amount

        engine._record_status(handoff, "partly_recovered", 500.0)
        # 500.00 x 12 % = 60.00 kept: 440.00 paid.
        self.assertEqual(register(), 440.0)
        self.assertEqual(invoice.amount_residual, 500.0)
        engine._record_status(handoff, "recovered", 1000.0)
        # 1,000.00 x 12 % = 120.00 in all, 60.00 booked: (1,000.00 - 500.00)
        # - (120.00 - 60.00) = 440.00 paid, 60.00 more booked.
        self.assertEqual(register(), 440.0)
        self.assertEqual(invoice.amount_residual, 0.0)
        expense = self.env["account.move.line"].search(
            [("account_id", "=", fees.id), ("parent_state", "=", "posted")]
        )
        self.assertEqual(expense.mapped("debit"), [60.0, 60.0])
        self.assertEqual(sum(invoice.matched_payment_ids.mapped("amount")), 880.0)
        # Everything registered: no third register.
        with self.assertRaises(UserError):
            handoff.with_user(self.invoice_user).action_register_recovered_payment()

    @freeze_time(TODAY)
    def test_commission_needs_the_handoff_rights(self):
        """The register's hand-off field is checked like the button: a salesman
        or another company's user cannot book a hand-off's commission."""
        invoice = self._invoice(self.customer, 1000.0, date(2024, 5, 1))
        other = self._invoice(self.customer, 500.0, date(2024, 5, 1))
        handoff = self._handoff(invoice, commission_rate=12.0)
        handoff.with_user(self.invoice_user).action_send()
        self.env["account.dunning.handoff.engine"]._record_status(
            handoff, "recovered", 1000.0
        )
        self.env["account.account"].create(
            {
                "code": "622600",
                "name": "Honoraires",
                "account_type": "expense",
                "company_ids": [Command.set(self.company.ids)],
            }
        )
        # The register on an invoice that is not the hand-off's: refused.
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.invoice_user)
            .with_context(active_model="account.move", active_ids=other.ids)
            .create({"payment_date": TODAY, "dunning_handoff_id": handoff.id})
        )
        with self.assertRaises(UserError) as err:
            wizard.action_create_payments()
        self.assertIn("invoices of the hand-off", str(err.exception))
        self.assertFalse(handoff.commission_move_id)
        self.assertEqual(other.amount_residual, 500.0)

    @freeze_time(TODAY)
    def test_collector_of_another_company(self):
        """A collector kept for company B (its API, its token) does not receive
        company A's files."""
        company_b = self.setup_other_company(name="Company B")["company"]
        collector_b = self.env["res.partner"].create(
            {
                "name": "Agence B",
                "is_company": True,
                "company_id": company_b.id,
                "dunning_collector_type": "agency",
            }
        )
        invoice = self._invoice(self.customer, 1000.0, date(2024, 5, 1))
        with self.assertRaises(UserError) as err:
            self._handoff(invoice, collector_id=collector_b.id)
        self.assertIn("Incompatible companies", str(err.exception))
        self.assertFalse(
            self.env["account.dunning.handoff"].search(
                [("move_ids", "in", invoice.ids)]
            )
        )

    @freeze_time(TODAY)
    def test_invoice_side_links_refused(self):
        """The invoices of a hand-off are changed through the hand-off only: the
        invoice's side of the relation is refused over RPC."""
        invoice = self._invoice(self.customer, 1000.0, date(2024, 5, 1))
        stranger = self._customer("Martin SAS")
        foreign = self._invoice(stranger, 300.0, date(2024, 5, 1))
        handoff = self._handoff(invoice)
        handoff.with_user(self.invoice_user).action_send()
        self.assertEqual(handoff.state, "sent")
        with self.assertRaises(AccessError):
            foreign.with_user(self.invoice_user).write(
                {"dunning_handoff_ids": [Command.link(handoff.id)]}
            )
        with self.assertRaises(AccessError):
            invoice.with_user(self.invoice_user).write(
                {"dunning_handoff_ids": [Command.clear()]}
            )
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(self.invoice_user).create(
                {
                    "move_type": "out_invoice",
                    "partner_id": stranger.id,
                    "dunning_handoff_ids": [Command.link(handoff.id)],
                }
            )
        handoff.invalidate_recordset()
        self.assertEqual(handoff.move_ids, invoice)
        self.assertTrue(invoice.dunning_handed_off)
        self.assertFalse(foreign.dunning_handed_off)

    @freeze_time(TODAY)
    def test_access(self):
        invoice = self._invoice(self.customer, 1000.0, date(2024, 5, 1))
        Handoff = self.env["account.dunning.handoff"]
        # A salesman cannot hand off, nor read hand-offs.
        with self.assertRaises(AccessError):
            self._handoff(invoice, user=self.salesman)
        handoff = self._handoff(invoice)
        with self.assertRaises(AccessError):
            handoff.with_user(self.salesman).read(["state"])
        # The invoicing user exports and sends, reads neither token.
        user_handoff = handoff.with_user(self.invoice_user)
        with self.assertRaises(AccessError):
            user_handoff.read(["status_token"])
        with self.assertRaises(AccessError):
            self.agency.with_user(self.invoice_user).read(["dunning_collector_token"])
        with self.assertRaises(AccessError):
            self.agency.with_user(self.invoice_user).write(
                {"dunning_collector_url": "http://127.0.0.1:1/evil"}
            )
        self.customer.invalidate_recordset()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.invoice_user).write(
                {"dunning_collector_type": "agency"}
            )
        self.assertFalse(self.customer.dunning_collector_type)
        # Engine-owned fields are refused, also at creation.
        with self.assertRaises(AccessError) as err:
            user_handoff.write({"state": "recovered"})
        self.assertIn("dunning engine alone", str(err.exception))
        with self.assertRaises(AccessError):
            user_handoff.write({"amount_recovered": 999.0})
        other = self._invoice(self.customer, 100.0, date(2024, 5, 1))
        with self.assertRaises(AccessError):
            self._handoff(other, status_token="chosen-by-me")
        self.assertEqual(handoff.state, "draft")
        self.assertFalse(handoff.amount_recovered)
        with self.assertRaises(AccessError):
            invoice.with_user(self.invoice_user).write({"dunning_handed_off": True})
        self.assertFalse(invoice.dunning_handed_off)
        # Managers only close.
        with self.assertRaises(AccessError):
            user_handoff.action_close()
        self.assertEqual(handoff.state, "draft")
        # The secret is long and random; the idempotency key is set once.
        self.assertGreaterEqual(len(handoff.sudo().status_token), 40)
        self.assertTrue(handoff.idempotency_key)
        # The manager reads it, the other company's user sees nothing.
        self.assertTrue(handoff.with_user(self.dunning_manager).status_token)
        company_b = self.setup_other_company(name="Company B")["company"]
        user_b = company_user(
            self.env, "handoff_b", "account.group_account_invoice", company_b
        )
        self.assertFalse(Handoff.with_user(user_b).search([]))
        with self.assertRaises(AccessError):
            handoff.with_user(user_b).read(["state"])
        with self.assertRaises(AccessError):
            handoff.with_user(user_b).action_export()


@tagged("post_install", "-at_install")
class TestDunningHandoffScreens(HandoffCommon):
    """The buttons that open a hand-off, the rules on a hand-off once sent, the
    dashboard's figures."""

    @freeze_time(TODAY)
    def test_buttons_and_defaults(self):
        first = self._invoice(self.customer, 300.0, date(2024, 5, 1))
        disputed = self._invoice(self.customer, 200.0, date(2024, 5, 1))
        self.env["account.dunning.dispute"].with_user(self.invoice_user).create(
            {"move_id": disputed.id, "reason": "price"}
        )
        action = self.customer.with_user(self.invoice_user).action_dunning_new_handoff()
        self.assertEqual(action["res_model"], "account.dunning.handoff")
        handoff = (
            self.env["account.dunning.handoff"]
            .with_user(self.invoice_user)
            .with_context(**action["context"])
            .create({"collector_id": self.agency.id, "date": TODAY})
        )
        self.assertEqual(handoff.move_ids, first, "the disputed invoice is left out")
        self.assertEqual(self.customer.dunning_handoff_count, 1)
        # From the invoice list: the selected invoices of one customer.
        other = self._invoice(self._customer("Martin SA"), 100.0, date(2024, 5, 1))
        with self.assertRaises(UserError) as err:
            (first | other).with_user(self.invoice_user).action_dunning_handoff()
        self.assertIn("one customer", str(err.exception))
        handoff.with_user(self.dunning_manager).action_close()
        action = disputed.with_user(self.invoice_user).action_dunning_handoff()
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        with self.assertRaises(ValidationError) as err:
            self.env["account.dunning.handoff"].with_user(
                self.invoice_user
            ).with_context(**action["context"]).create({"collector_id": self.agency.id})
        self.assertIn("is disputed", str(err.exception))
        action = first.with_user(self.invoice_user).action_dunning_handoff()
        chosen = (
            self.env["account.dunning.handoff"]
            .with_user(self.invoice_user)
            .with_context(**action["context"])
            .create({"collector_id": self.agency.id, "date": TODAY})
        )
        self.assertEqual(chosen.move_ids, first)

    @freeze_time(TODAY)
    def test_sent_handoff_is_frozen(self):
        invoice = self._invoice(self.customer, 300.0, date(2024, 5, 1))
        handoff = self._handoff(invoice).with_user(self.invoice_user)
        handoff.action_send()
        with self.assertRaises(UserError) as err:
            handoff.write({"commission_rate": 50.0})
        self.assertIn("left the draft", str(err.exception))
        handoff.write({"note": "Called the agency."})
        with self.assertRaises(UserError):
            handoff.unlink()
        with self.assertRaises(UserError) as err:
            handoff.action_send()
        self.assertIn("Only draft or failed", str(err.exception))
        with self.assertRaises(UserError) as err:
            handoff.action_register_recovered_payment()
        self.assertIn("reported recovered", str(err.exception))
        self.assertEqual(handoff.commission_rate, 0.0)

    @freeze_time(TODAY)
    def test_dashboard(self):
        first = self._invoice(self.customer, 1000.0, date(2024, 5, 1))
        second = self._invoice(self._customer("Martin SA"), 500.0, date(2024, 5, 1))
        sent = self._handoff(first, commission_rate=10.0)
        sent.action_send()
        self.env["account.dunning.handoff.engine"]._record_status(
            sent, "partly_recovered", 400.0
        )
        self._handoff(second)  # a draft: not counted
        dashboard = (
            self.env["account.dunning.dashboard"]
            .with_user(self.invoice_user)
            .create({})
        )
        self.assertEqual(dashboard.handoff_amount, sent.amount_claimed)
        self.assertEqual(dashboard.handoff_recovered_amount, 400.0)
        self.assertEqual(dashboard.handoff_open_count, 1)
        self.assertEqual(sent.commission_amount, 40.0)  # 400.00 x 10 % = 40.00
        action = dashboard.action_open_handoffs()
        self.assertEqual(
            self.env["account.dunning.handoff"].search(action["domain"]), sent
        )
