# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Insolvency proceedings (procédures collectives): from the opening judgment no
reminder, no penalty billed, interest stopped, the customer blocked; the claim
declared to the mandataire within two months of the BODACC publication."""

from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase, Form, freeze_time, tagged
from odoo.tools import mute_logger

from ..models import dunning_rules, insolvency_rules
from .common import (
    TODAY,
    DunningCommon,
    company_user,
    make_invoice,
    offline_report_assets,
)

JUDGMENT = date(2024, 6, 1)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningInsolvency(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = company_user(
            cls.env,
            "insolvency_salesman",
            "sales_team.group_sale_salesman",
            cls.company,
        )
        cls.administrator = cls.env["res.partner"].create(
            {
                "name": "Maître Lefèvre, mandataire judiciaire",
                "email": "lefevre@mj.example.com",
                "street": "5 quai Saint-Antoine",
                "city": "Lyon",
            }
        )
        cls.company.write({"vat": "FR23334175221", "company_registry": "334175221"})
        cls.customer.write({"vat": "FR40303265045"})
        # The credit manager of the policy hears of the claim deadline.
        cls.policy.sudo().dispute_manager_id = cls.dunning_manager
        # Writing a customer's insolvency date by hand takes a manager who may edit
        # contacts.
        cls.partner_manager = company_user(
            cls.env,
            "insolvency_partner_manager",
            "account.group_account_invoice,account_dunning.group_dunning_manager,"
            "base.group_partner_manager",
            cls.company,
        )
        cls.Insolvency = cls.env["account.dunning.insolvency"]

    def _open(self, partner=None, user=None, **values):
        return self.Insolvency.with_user(user or self.dunning_manager).create(
            {
                "partner_id": (partner or self.customer).id,
                "company_id": self.company.id,
                "kind": "receivership",
                "judgment_date": JUDGMENT,
                "court": "Tribunal de commerce de Lyon",
                "administrator_id": self.administrator.id,
                **values,
            }
        )

    def _quotation(self, partner=None):
        return (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "company_id": self.company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product_a.id, "product_uom_qty": 1}
                        )
                    ],
                }
            )
        )

    # ------------------------------------------------------------ the deadline

    def test_claim_deadline_two_months_after_publication(self):
        proceedings = self._open(judgment_date=date(2024, 3, 1))
        self.assertFalse(proceedings.claim_deadline, "empty until published")
        cases = (
            (date(2024, 3, 15), date(2024, 5, 15)),
            (date(2024, 4, 30), date(2024, 6, 30)),
        )
        for published, deadline in cases:
            with self.subTest(published=published):
                proceedings.with_user(self.dunning_manager).publication_date = published
                self.assertEqual(proceedings.claim_deadline, deadline)
        # 31 December + 2 months: the last day of February, leap year or not.
        leap = self._open(
            partner=self._customer("Hiver SAS"), judgment_date=date(2023, 12, 20)
        )
        leap.with_user(self.dunning_manager).publication_date = date(2023, 12, 31)
        self.assertEqual(leap.claim_deadline, date(2024, 2, 29))
        common = self._open(
            partner=self._customer("Givre SARL"), judgment_date=date(2022, 12, 20)
        )
        common.with_user(self.dunning_manager).publication_date = date(2022, 12, 31)
        self.assertEqual(common.claim_deadline, date(2023, 2, 28))

    def test_activity_before_the_deadline_once(self):
        self._invoice(self.customer, 1000.0, TODAY - timedelta(days=20))
        self.env["account.dunning.run.engine"]._refresh_next_action_dates(
            self.company, self.customer, TODAY
        )
        customer = self.customer.with_company(self.company)
        self.assertTrue(customer.dunning_next_action_date)
        proceedings = self._open()
        self.assertFalse(proceedings.activity_ids, "no deadline, no activity")
        # No reminder to plan any more.
        self.assertFalse(customer.dunning_next_action_date)
        proceedings.with_user(self.dunning_manager).publication_date = date(2024, 6, 12)
        activity = proceedings.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(proceedings.claim_deadline, date(2024, 8, 12))
        # 7 days before the deadline, for the policy's credit manager.
        self.assertEqual(activity.date_deadline, date(2024, 8, 5))
        self.assertEqual(activity.user_id, self.dunning_manager)
        # The customer's next action: the claim to declare.
        self.assertEqual(customer.dunning_next_action_date, date(2024, 8, 5))
        self.assertIn("08/12/2024", activity.summary)
        # A corrected publication moves it; nothing else written adds one.
        proceedings.with_user(self.dunning_manager).write(
            {"publication_date": date(2024, 6, 14), "court": "TC Lyon"}
        )
        proceedings.with_user(self.dunning_manager).court = "Tribunal de commerce"
        self.assertEqual(proceedings.activity_ids, activity)
        self.assertEqual(activity.date_deadline, date(2024, 8, 7))
        # Published at creation: scheduled at once.
        other = self._open(
            partner=self._customer("Martin SA"), publication_date=date(2024, 6, 12)
        )
        self.assertEqual(other.activity_ids.date_deadline, date(2024, 8, 5))

    # ------------------------------------------------------------ the customer

    def test_partner_date_follows_the_proceedings(self):
        # Without proceedings, the date written by hand works as in issue 4.
        self.customer.with_user(self.partner_manager).dunning_insolvency_date = date(
            2024, 5, 1
        )
        self.assertEqual(self.customer.dunning_insolvency_date, date(2024, 5, 1))
        self.customer.with_user(self.partner_manager).dunning_insolvency_date = False
        contact = self.env["res.partner"].create(
            {"name": "Compta", "parent_id": self.customer.id, "type": "invoice"}
        )
        # Recorded for a contact: the proceedings are its customer's.
        proceedings = self._open(partner=contact)
        self.assertEqual(proceedings.partner_id, self.customer)
        self.assertEqual(self.customer.dunning_insolvency_date, JUDGMENT)
        # The proceedings win: the date is no more written by hand.
        with self.assertRaises(UserError) as err:
            self.customer.with_user(
                self.dunning_manager
            ).dunning_insolvency_date = date(2024, 1, 1)
        self.assertIn("comes from its insolvency proceedings", str(err.exception))
        self.assertEqual(self.customer.dunning_insolvency_date, JUDGMENT)
        # Writing back what was read is no change.
        self.customer.with_user(self.partner_manager).write(
            {"dunning_insolvency_date": JUDGMENT, "comment": "En RJ"}
        )
        self.assertIn("En RJ", self.customer.comment)
        # A corrected judgment date follows.
        proceedings.with_user(self.dunning_manager).judgment_date = date(2024, 5, 28)
        self.assertEqual(self.customer.dunning_insolvency_date, date(2024, 5, 28))
        # Closed: no more proceedings open, no more date.
        proceedings.with_user(self.dunning_manager).write(
            {"closing_date": date(2024, 6, 28), "closing_reason": "plan"}
        )
        proceedings.with_user(self.dunning_manager).action_close()
        self.assertEqual(proceedings.state, "closed")
        self.assertFalse(self.customer.dunning_insolvency_date)
        trace = self.env["account.dunning.action"].search(
            [("insolvency_id", "=", proceedings.id)], order="id"
        )
        self.assertEqual(trace.mapped("channel"), ["insolvency", "insolvency"])
        self.assertIn("Receivership opened by the judgment of", trace[0].reason)
        self.assertIn("closed on 06/28/2024", trace[1].reason)

    # ------------------------------------------------------------ the effects

    def test_no_reminder_from_the_judgment(self):
        invoice = self._invoice(self.customer, 1000.0, TODAY - timedelta(days=20))
        other = self._customer("Martin SA")
        self._invoice(other, 500.0, TODAY - timedelta(days=20))
        run = self._run(TODAY, execute=False)
        self.assertEqual(run.line_ids.partner_id, self.customer | other)
        # The judgment is recorded after the run was computed: skipped, traced.
        self._open()
        with freeze_time(TODAY):
            run.with_user(self.invoice_user).action_execute()
        line = run.line_ids.filtered(lambda line: line.partner_id == self.customer)
        reason = "In insolvency proceedings since 06/01/2024 (L622-21 C. com.)."
        self.assertEqual((line.state, line.reason), ("skipped", reason))
        trace = run.sudo().action_ids.filtered(
            lambda action: action.partner_id == self.customer
        )
        self.assertEqual(trace.state, "skipped")
        self.assertEqual(trace.reason, f"Skipped, on hold: {reason}")
        self.assertFalse(invoice.dunning_level_id)
        self.assertEqual(self._sent(run).partner_id, other)
        # The next runs propose nothing to it.
        later = self._run(TODAY + timedelta(days=30))
        self.assertNotIn(self.customer, later.line_ids.partner_id)

    def test_no_penalty_billed(self):
        invoice = self._invoice(self.customer, 1000.0, date(2024, 3, 1))
        self._open()
        with self.assertRaises(UserError) as err:
            invoice.with_user(self.invoice_user).action_dunning_bill_penalties()
        self.assertIn("insolvency proceedings since 06/01/2024", str(err.exception))
        with self.assertRaises(UserError):
            self.customer.with_user(self.invoice_user).action_dunning_bill_penalties()
        # Every billing path of the engine leaves it out (a level that bills, the
        # scheduled run, a payment plan).
        engine = self.env["account.dunning.penalty.engine"]
        self.assertFalse(engine._bill(invoice, TODAY))
        self.assertFalse(
            self.env["account.move"].search(
                [
                    ("partner_id", "=", self.customer.id),
                    ("id", "!=", invoice.id),
                    ("move_type", "=", "out_invoice"),
                ]
            )
        )
        self.assertFalse(invoice.sudo().dunning_penalty_ids)

    def test_interest_stops_at_the_judgment(self):
        invoice = self._invoice(self.customer, 1000.0, date(2024, 3, 1))
        before = sum(
            line["amount"] for line in invoice.dunning_interest_detail("2024-07-01")
        )
        self._open()
        lines = invoice.dunning_interest_detail("2024-07-01")
        self.assertEqual(max(line["date_to"] for line in lines), JUDGMENT)
        # 2 March - 1 June 2024: 92 days x 1,000 x 14.50 % (ECB 4.50 + 10) / 365
        # = 36.548 -> 36.55, instead of up to 1 July.
        self.assertAlmostEqual(sum(line["amount"] for line in lines), 36.55, 2)
        self.assertGreater(before, 48.0)
        self.assertEqual(
            invoice.with_company(self.company).dunning_interest_amount, 36.55
        )

    def test_blocked_with_its_own_reason(self):
        self._invoice(self.customer, 100.0, TODAY + timedelta(days=20))
        self.assertFalse(self.customer.with_company(self.company).dunning_blocked)
        proceedings = self._open()
        customer = self.customer.with_company(self.company)
        self.assertTrue(customer.dunning_blocked)
        self.assertEqual(
            customer.dunning_block_reason, "in insolvency proceedings since 06/01/2024"
        )
        order = self._quotation()
        with self.assertRaises(UserError) as err:
            order.with_user(self.salesman).action_confirm()
        self.assertIn("in insolvency proceedings since 06/01/2024", str(err.exception))
        self.assertEqual(order.state, "draft")
        # The daily check keeps it blocked.
        self.env["account.dunning.block.engine"]._check_all(self.company)
        self.assertTrue(customer.dunning_blocked)
        # Closed, nothing else to block it: lifted.
        proceedings.with_user(self.dunning_manager).write(
            {"closing_date": TODAY, "closing_reason": "debts_paid"}
        )
        proceedings.with_user(self.dunning_manager).action_close()
        customer.invalidate_recordset()
        self.assertFalse(customer.dunning_blocked)
        self.assertEqual(
            customer.sudo().dunning_block_ids.mapped("action"), ["unblock", "block"]
        )

    def test_already_blocked_takes_the_proceedings_reason(self):
        self.policy.sudo().block_days_late = 30
        self._invoice(self.customer, 1000.0, TODAY - timedelta(days=45))
        self.customer._dunning_check_block(self.company)
        customer = self.customer.with_company(self.company)
        self.assertEqual(
            customer.dunning_block_reason, "an invoice more than 30 days late"
        )
        self._open()
        customer.invalidate_recordset()
        self.assertEqual(
            customer.dunning_block_reason,
            "an invoice more than 30 days late; in insolvency proceedings since "
            "06/01/2024",
        )

    # ------------------------------------------------------------ the claim

    def _claim_invoices(self):
        # Invoiced 31 January, due 1 March: 1,000.00, 200.00 paid after the judgment.
        first = self._invoice(self.customer, 1000.0, date(2024, 3, 1))
        # Invoiced 1 April, due 1 May: 500.00, 100.00 paid before the judgment.
        second = self._invoice(self.customer, 500.0, date(2024, 5, 1))
        # Invoiced after the judgment: not declared (L622-17).
        later = self._invoice(self.customer, 300.0, date(2024, 7, 10))
        # Paid before the judgment: nothing to declare.
        paid = self._invoice(self.customer, 50.0, date(2024, 2, 1))
        self._pay(second, 100.0, date(2024, 5, 10))
        self._pay(paid, 50.0, date(2024, 1, 20))
        self._pay(first, 200.0, date(2024, 6, 15))
        return first, second, later, paid

    def test_claim_declaration_by_email(self):
        first, second, later, paid = self._claim_invoices()
        proceedings = self._open(publication_date=date(2024, 6, 12))
        self.assertEqual(proceedings.move_ids, first | second)
        claim = self.env["account.dunning.insolvency.engine"]._claim(proceedings)
        lines = {line["move"]: line for line in claim["lines"]}
        # Due at the judgment: 800.00 left + 200.00 paid after it; 500 - 100.
        self.assertEqual(lines[first]["due"], 1000.0)
        self.assertEqual(lines[second]["due"], 400.0)
        # Interest to the judgment, not after the payment of 15 June: 2 March -
        # 1 June, 92 days x 1,000 x 14.50 % / 365 = 36.548 -> 36.55; the second:
        # 2-10 May, 9 days x 500 x 14.50 % / 365 = 1.788 -> 1.79, and 11 May -
        # 1 June, 22 days x 400 x 14.50 % / 365 = 3.496 -> 3.50: 5.29. The 40.00
        # indemnity each.
        self.assertEqual(lines[first]["interest"], 36.55)
        self.assertEqual(lines[second]["interest"], 5.29)
        self.assertEqual(lines[first]["indemnity"], 40.0)
        self.assertEqual(lines[second]["indemnity"], 40.0)
        # 1,000 + 36.55 + 40 = 1,076.55; 400 + 5.29 + 40 = 445.29; 1,521.84.
        self.assertEqual(lines[first]["total"], 1076.55)
        self.assertEqual(lines[second]["total"], 445.29)
        self.assertEqual(claim["total"], 1521.84)
        self.assertEqual(proceedings.claim_amount, 1521.84)

        report = "account_dunning.action_report_dunning_claim"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(report, proceedings.ids)[0]
            .decode()
        )
        for text in (
            "Declaration of Claim",
            self.company.name,
            "SIREN: 334175221",
            "FR23334175221",
            "Dubois SARL",
            "SIREN: 303265045",
            "Receivership",
            "Tribunal de commerce de Lyon",
            "06/01/2024",
            "06/12/2024",
            "08/12/2024",
            "Maître Lefèvre",
            first.name,
            second.name,
            "1,000.00",
            "400.00",
            "36.55",
            "5.29",
            "1,076.55",
            "445.29",
            "1,400.00",
            "41.84",
            "80.00",
            "1,521.84",
            "Supporting documents",
            "certifies that the claim declared above is sincere and genuine",
            "Done at Paris",
        ):
            with self.subTest(text=text):
                self.assertIn(text, html)
        self.assertNotIn(later.name, html)
        self.assertNotIn(paid.name, html)
        # The PDF builds (wkhtmltopdf without patched Qt warns of the header
        # switches it ignores: the letterhead is in the page body).
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            with offline_report_assets(self.env):
                pdf, _kind = (
                    self.env["ir.actions.report"]
                    .with_context(force_report_rendering=True)
                    ._render_qweb_pdf(report, proceedings.ids)
                )
        self.assertTrue(pdf.startswith(b"%PDF"))

        result = proceedings.with_user(self.dunning_manager).action_claim_declaration()
        self.assertTrue(result)
        self.assertEqual(proceedings.state, "declared")
        self.assertEqual(proceedings.declaration_date, TODAY)
        self.assertEqual(proceedings.declared_amount, 1521.84)
        trace = proceedings.declaration_action_id.sudo()
        self.assertEqual((trace.channel, trace.state), ("insolvency", "sent"))
        self.assertEqual(trace.move_ids, first | second)
        self.assertEqual(trace.amount, 1521.84)
        self.assertEqual(trace.recipient_id, self.administrator)
        self.assertIn("declared to Maître Lefèvre", trace.reason)
        mail = trace.mail_id
        self.assertEqual(mail.recipient_ids, self.administrator)
        self.assertIn("declaration of claim", mail.subject)
        self.assertIn("Dubois SARL", mail.subject)
        self.assertEqual(mail.attachment_ids, proceedings.declaration_attachment_id)
        self.assertEqual(mail.attachment_ids.mimetype, "application/pdf")
        self.assertIn("1,521.84", mail.body_html)
        # The deadline's activity is done with the declaration.
        self.assertFalse(proceedings.activity_ids)

    def test_claim_declaration_by_letter(self):
        first, _second, _later, _paid = self._claim_invoices()
        # The formal notice sent before the judgment is a supporting document.
        self.assertEqual(self.notice.level_type, "formal_notice")
        self.env["account.dunning.action"].sudo().create(
            {
                "company_id": self.company.id,
                "partner_id": self.customer.id,
                "level_id": self.notice.id,
                "channel": "letter",
                "state": "sent",
                "date": date(2024, 5, 15),
                "move_ids": [Command.set(first.ids)],
            }
        )
        proceedings = self._open(publication_date=date(2024, 6, 12))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "account_dunning.action_report_dunning_claim", proceedings.ids
            )[0]
            .decode()
        )
        self.assertIn("Formal notice of 05/15/2024", html)
        result = proceedings.with_user(self.dunning_manager).action_claim_declaration(
            "letter"
        )
        attachment = proceedings.declaration_attachment_id
        self.assertEqual(result["type"], "ir.actions.act_url")
        self.assertIn(f"/web/content/{attachment.id}", result["url"])
        trace = proceedings.declaration_action_id.sudo()
        self.assertFalse(trace.mail_id)
        self.assertEqual(trace.letter_attachment_id, attachment)
        self.assertIn("by letter", trace.reason)
        self.assertEqual(proceedings.state, "declared")
        # Declared: nothing left for the dunning to do for this customer.
        self.assertFalse(
            self.customer.with_company(self.company).dunning_next_action_date
        )

    def test_claim_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning"], ["fr_FR"], overwrite=True
        )
        self._claim_invoices()
        proceedings = self._open()
        # A French creditor declares in French, whatever the mandataire's language.
        self.assertEqual(proceedings.claim_lang, "fr_FR")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "account_dunning.action_report_dunning_claim", proceedings.ids
            )[0]
            .decode()
        )
        self.assertIn("Déclaration de créance", html)
        self.assertIn("certifie sincère et véritable", html)
        self.assertIn("Redressement judiciaire", html)
        self.assertIn("1 521,84", html.replace("\xa0", " ").replace("\u202f", " "))
        proceedings.with_user(self.dunning_manager).action_claim_declaration("email")
        mail = proceedings.declaration_action_id.sudo().mail_id
        self.assertIn("déclaration de créance contre Dubois SARL", mail.subject)
        self.assertIn("Dans la procédure collective de", mail.body_html)
        self.assertIn("ouverte par le jugement du", mail.body_html)

    # ------------------------------------------------------------ bad input

    def test_duplicate_refused_under_a_company_default(self):
        """A manager of two companies whose context defaults the company to the
        other one gets the clear message, not the database's unique index."""
        other = self.setup_other_company(name="Dunning Insolvency B")["company"]
        manager = company_user(
            self.env,
            "insolvency_two_companies",
            "account.group_account_invoice,account_dunning.group_dunning_manager",
            self.company,
        )
        manager.company_ids = [Command.link(other.id)]
        Insolvency = self.Insolvency.with_user(manager).with_context(
            allowed_company_ids=[self.company.id, other.id],
            default_company_id=other.id,
        )
        values = {
            "partner_id": self.customer.id,
            "kind": "receivership",
            "judgment_date": JUDGMENT,
        }
        first = Insolvency.create(values)
        self.assertEqual(first.company_id, other)
        with self.assertRaises(ValidationError) as err:
            Insolvency.create(values)
        self.assertIn("already in insolvency proceedings", str(err.exception))

    def test_bad_input_refused(self):
        existing = self._open()
        other = self._customer("Martin SA")
        cases = (
            (
                {"partner_id": other.id, "judgment_date": TODAY + timedelta(days=1)},
                "is in the future",
                ValidationError,
            ),
            (
                {
                    "partner_id": other.id,
                    "publication_date": JUDGMENT - timedelta(days=1),
                },
                "cannot be before the judgment",
                ValidationError,
            ),
            ({}, "is already in insolvency proceedings", ValidationError),
            (
                {"partner_id": self.administrator.id, "kind": "liquidation"},
                "cannot be the debtor itself",
                ValidationError,
            ),
            (
                {"partner_id": other.id, "state": "declared"},
                "The dunning engine alone",
                AccessError,
            ),
        )
        for values, message, error in cases:
            with self.subTest(message=message):
                with self.assertRaises(error) as err:
                    self._open(**values)
                self.assertIn(message, str(err.exception))
        self.assertEqual(self.Insolvency.search([]), existing)
        as_manager = existing.with_user(self.dunning_manager)
        with self.assertRaises(UserError) as err:
            as_manager.action_close()
        self.assertIn("closing date and reason", str(err.exception))
        with self.assertRaises(ValidationError) as err:
            as_manager.write(
                {"closing_date": JUDGMENT - timedelta(days=3), "closing_reason": "plan"}
            )
        self.assertIn("close between their judgment", str(err.exception))
        with self.assertRaises(AccessError) as err:
            as_manager.write({"state": "closed"})
        self.assertIn("dunning engine alone", str(err.exception))
        with self.assertRaises(UserError) as err:
            as_manager.write({"partner_id": other.id})
        self.assertIn("stay on their customer", str(err.exception))
        with self.assertRaises(UserError) as err:
            existing.with_user(self.dunning_manager).write({"administrator_id": False})
            existing.with_user(self.dunning_manager).action_claim_declaration()
        self.assertIn("Enter the mandataire", str(err.exception))
        self.assertEqual(existing.state, "open")
        self.assertEqual(existing.partner_id, self.customer)
        self.assertFalse(existing.declaration_attachment_id)
        # Closed: nothing more changes.
        as_manager.write({"closing_date": TODAY, "closing_reason": "converted"})
        as_manager.action_close()
        with self.assertRaises(UserError) as err:
            as_manager.court = "Autre"
        self.assertIn("Closed proceedings cannot be changed", str(err.exception))
        # Converted: the liquidation opens after the receivership closed.
        liquidation = self._open(kind="liquidation", judgment_date=TODAY)
        # One collective procedure: the date stays the first opening judgment.
        self.assertEqual(self.customer.dunning_insolvency_date, JUDGMENT)
        self.assertEqual(liquidation.state, "open")
        self.assertFalse(existing.receivable_lost)
        # Closed for lack of assets: the receivable is lost.
        liquidation.with_user(self.dunning_manager).write(
            {"closing_date": TODAY, "closing_reason": "lack_of_assets"}
        )
        liquidation.with_user(self.dunning_manager).action_close()
        self.assertTrue(liquidation.receivable_lost)

    # ------------------------------------------------------------ access

    def test_access(self):
        proceedings = self._open()
        # A dunning user reads, and only reads.
        as_user = proceedings.with_user(self.invoice_user)
        self.assertEqual(as_user.kind, "receivership")
        with self.assertRaises(AccessError) as err:
            self._open(partner=self._customer("Martin SA"), user=self.invoice_user)
        self.assertIn("Only dunning managers", str(err.exception))
        for call in (
            lambda: as_user.write({"court": "TC Paris"}),
            lambda: as_user.action_claim_declaration(),
            lambda: as_user.action_close(),
            lambda: as_user.unlink(),
        ):
            with self.assertRaises(AccessError):
                call()
        # A salesman reads nothing of it.
        with self.assertRaises(AccessError):
            proceedings.with_user(self.salesman).read(["kind"])
        with self.assertRaises(AccessError):
            self._open(partner=self._customer("Petit SA"), user=self.salesman)
        # A manager of another company does not see it.
        company_b = self.setup_other_company(name="Company B")["company"]
        manager_b = company_user(
            self.env,
            "insolvency_manager_b",
            "account.group_account_invoice,account_dunning.group_dunning_manager",
            company_b,
        )
        self.assertFalse(
            self.Insolvency.with_user(manager_b).search([("id", "=", proceedings.id)])
        )
        with self.assertRaises(AccessError):
            proceedings.with_user(manager_b).write({"court": "TC B"})
        with self.assertRaises(AccessError):
            proceedings.with_user(manager_b).action_claim_declaration()
        self.assertEqual(proceedings.court, "Tribunal de commerce de Lyon")
        self.assertEqual(proceedings.state, "open")
        # The trace of proceedings is the engine's.
        with self.assertRaises(AccessError):
            self.env["account.dunning.action"].with_user(self.dunning_manager).create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.customer.id,
                    "channel": "insolvency",
                    "state": "sent",
                    "date": TODAY,
                }
            )

    # ------------------------------------------------------------ more paths

    def test_scheduled_run_neither_reminds_nor_bills(self):
        # The level that bills the penalties is reached by the other customer only.
        self.policy.sudo().penalty_bill_level_id = self.level_1
        invoice = self._invoice(self.customer, 1000.0, TODAY - timedelta(days=20))
        other = self._customer("Martin SA")
        other_invoice = self._invoice(other, 1000.0, TODAY - timedelta(days=20))
        self._open()
        with freeze_time(TODAY):
            self.env["account.dunning.run"]._cron_dunning()
        self.assertFalse(invoice.dunning_level_id)
        self.assertTrue(other_invoice.dunning_level_id)
        penalty_partners = (
            self.env["account.dunning.penalty"].sudo().search([]).move_id.partner_id
        )
        self.assertNotIn(self.customer, penalty_partners)
        self.assertFalse(invoice.sudo().dunning_penalty_ids)

    def test_interest_stays_stopped_once_closed(self):
        """Closing the proceedings (a plan adopted) lifts the hold and the block, but
        the interest stopped by the judgment does not run again (L622-28); a
        judgment overturned never stopped it."""
        invoice = self._invoice(self.customer, 1000.0, date(2024, 3, 1))
        proceedings = self._open()
        as_manager = proceedings.with_user(self.dunning_manager)
        as_manager.write({"closing_date": TODAY, "closing_reason": "plan"})
        as_manager.action_close()
        self.assertFalse(self.customer.dunning_insolvency_date)
        # 2 March - 1 June: 92 days x 1,000 x 14.50 % / 365 = 36.548 -> 36.55.
        invoice.invalidate_recordset()
        self.assertEqual(
            invoice.with_company(self.company).dunning_interest_amount, 36.55
        )
        lines = invoice.dunning_interest_detail("2024-07-01")
        self.assertEqual(max(line["date_to"] for line in lines), JUDGMENT)
        # An invoice issued after the judgment bears its interest in full.
        later = self._invoice(self.customer, 500.0, date(2024, 7, 5))
        lines = later.dunning_interest_detail("2024-08-01")
        self.assertEqual(max(line["date_to"] for line in lines), date(2024, 8, 1))
        # Overturned: as if never opened.
        other = self._customer("Martin SA")
        other_invoice = self._invoice(other, 1000.0, date(2024, 3, 1))
        overturned = self._open(partner=other)
        overturned.with_user(self.dunning_manager).write(
            {"closing_date": TODAY, "closing_reason": "overturned"}
        )
        overturned.with_user(self.dunning_manager).action_close()
        lines = other_invoice.dunning_interest_detail("2024-07-01")
        self.assertEqual(max(line["date_to"] for line in lines), TODAY)

    def test_penalties_billed_after_the_judgment_are_declared(self):
        """Penalties billed between the judgment and its recording (a penalty invoice
        dated after the judgment, not declared): the claim still holds the interest
        to the judgment and the indemnity."""
        invoice = self._invoice(self.customer, 1000.0, date(2024, 3, 1))
        with freeze_time(date(2024, 6, 15)):
            invoice.with_user(self.invoice_user).action_dunning_bill_penalties()
        billed = invoice.sudo().dunning_penalty_ids.penalty_move_id
        self.assertEqual(billed.invoice_date, date(2024, 6, 15))
        proceedings = self._open()
        claim = self.env["account.dunning.insolvency.engine"]._claim(proceedings)
        lines = {line["move"]: line for line in claim["lines"]}
        self.assertNotIn(billed, lines)
        # 2 March - 1 June: 92 days x 1,000 x 14.50 % / 365 = 36.548 -> 36.55; the
        # 40.00 indemnity: 1,076.55.
        self.assertEqual(lines[invoice]["interest"], 36.55)
        self.assertEqual(lines[invoice]["indemnity"], 40.0)
        self.assertEqual(claim["total"], 1076.55)

    def test_reviewed_reminder_not_sent_after_the_judgment(self):
        """A reminder waiting for its review when the judgment is recorded: sending
        it after the review skips it, with the reason."""
        self.level_1.sudo().manual_review = True
        invoice = self._invoice(self.customer, 1000.0, TODAY - timedelta(days=20))
        run = self._run(TODAY)
        waiting = run.sudo().action_ids
        self.assertEqual(waiting.state, "to_review")
        self._open()
        with freeze_time(TODAY):
            waiting.with_user(self.invoice_user).action_send_reviewed()
        self.assertEqual(waiting.state, "skipped")
        self.assertIn("In insolvency proceedings since 06/01/2024", waiting.reason)
        self.assertFalse(waiting.mail_id)
        self.assertFalse(invoice.dunning_level_id)

    def test_chatter_of_the_customer_tells_nothing(self):
        """The customer is shared by every company and read by salesmen: the notes of
        the proceedings (opened, declared with its amount, closed) are kept on the
        proceedings, which only the creditor's dunning users read."""
        self._claim_invoices()
        proceedings = self._open()
        as_manager = proceedings.with_user(self.dunning_manager)
        as_manager.action_claim_declaration("letter")
        as_manager.write({"closing_date": TODAY, "closing_reason": "plan"})
        as_manager.action_close()
        company_b = self.setup_other_company(name="Company B")["company"]
        user_b = company_user(
            self.env, "insolvency_user_b", "account.group_account_invoice", company_b
        )
        for user in (self.salesman, user_b):
            with self.subTest(user=user.login):
                bodies = " ".join(
                    self.customer.with_user(user).message_ids.mapped("body")
                )
                for text in ("Receivership", "Claim of", "1,521.84", "closed on"):
                    self.assertNotIn(text, bodies)
        notes = " ".join(as_manager.message_ids.mapped("body"))
        for text in ("Receivership opened", "Claim of", "1,521.84", "closed on"):
            self.assertIn(text, notes)

    def test_conversion_keeps_the_first_judgment(self):
        """A receivership converted into a liquidation is one collective procedure:
        the interest stays stopped at the first opening judgment (L622-28, L641-3)."""
        invoice = self._invoice(self.customer, 1000.0, date(2024, 3, 1))
        receivership = self._open(publication_date=date(2024, 6, 12))
        as_manager = receivership.with_user(self.dunning_manager)
        as_manager.write(
            {"closing_date": date(2024, 6, 20), "closing_reason": "converted"}
        )
        as_manager.action_close()
        liquidation = self._open(kind="liquidation", judgment_date=date(2024, 6, 20))
        self.assertEqual(self.customer.dunning_insolvency_date, JUDGMENT)
        # 2 March - 1 June: 92 days x 1,000 x 14.50 % / 365 = 36.548 -> 36.55, not
        # up to 20 June.
        self.assertEqual(
            invoice.with_company(self.company).dunning_interest_amount, 36.55
        )
        claim = self.env["account.dunning.insolvency.engine"]._claim(liquidation)
        self.assertEqual(claim["lines"][0]["interest"], 36.55)
        # Unrelated proceedings closed long before do not move the date back.
        other = self._customer("Martin SA")
        old = self._open(partner=other, judgment_date=date(2020, 1, 6))
        old.with_user(self.dunning_manager).write(
            {"closing_date": date(2021, 3, 1), "closing_reason": "converted"}
        )
        old.with_user(self.dunning_manager).action_close()
        self._open(partner=other, judgment_date=date(2024, 5, 2))
        self.assertEqual(other.dunning_insolvency_date, date(2024, 5, 2))
        # The liquidation closed: no date any more.
        liquidation.with_user(self.dunning_manager).write(
            {"closing_date": TODAY, "closing_reason": "lack_of_assets"}
        )
        liquidation.with_user(self.dunning_manager).action_close()
        self.assertFalse(self.customer.dunning_insolvency_date)

    def test_run_dated_before_the_judgment_sends_nothing(self):
        """A run dated before the judgment but sent after it (today) reminds nor
        bills nobody in proceedings: what is sent today is what L622-21 forbids."""
        self.policy.sudo().penalty_bill_level_id = self.level_1
        invoice = self._invoice(self.customer, 1000.0, date(2024, 5, 1))
        self._open()
        run = self._run(date(2024, 5, 31), user=self.invoice_user)
        self.assertNotIn(self.customer, self._sent(run).partner_id)
        self.assertFalse(invoice.dunning_level_id)
        self.assertFalse(invoice.sudo().dunning_penalty_ids)
        engine = self.env["account.dunning.penalty.engine"]
        self.assertFalse(engine._bill(invoice, date(2024, 5, 31)))
        self.assertFalse(invoice.sudo().dunning_penalty_ids)

    def test_no_instalment_reminder_of_a_payment_plan(self):
        """A payment plan agreed before the judgment: its late instalments are not
        reminded by the daily step either (L622-21: no action to be paid)."""
        self._invoice(self.customer, 1000.0, TODAY - timedelta(days=10))
        plan = (
            self.env["account.dunning.plan"]
            .with_user(self.invoice_user)
            .create({"partner_id": self.customer.id})
        )
        plan.action_fill_instalments(3, date(2024, 7, 10))
        plan.action_activate()
        self._open(judgment_date=TODAY)
        with freeze_time(date(2024, 7, 13)):
            self.env["account.dunning.run"]._cron_check_holds()
        reminders = self.env["account.dunning.action"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("channel", "=", "plan"),
                ("mail_id", "!=", False),
            ]
        )
        self.assertFalse(reminders)
        self.assertFalse(plan.line_ids[0].reminder_action_id)
        # Another customer's plan is reminded as before.
        other = self._customer("Martin SA")
        self._invoice(other, 600.0, TODAY - timedelta(days=10))
        other_plan = (
            self.env["account.dunning.plan"]
            .with_user(self.invoice_user)
            .create({"partner_id": other.id})
        )
        other_plan.action_fill_instalments(2, date(2024, 7, 10))
        other_plan.action_activate()
        with freeze_time(date(2024, 7, 13)):
            self.env["account.dunning.run"]._cron_check_holds()
        self.assertTrue(other_plan.line_ids[0].reminder_action_id)
        self.assertFalse(plan.line_ids[0].reminder_action_id)

    def test_correcting_credit_note_after_the_judgment_not_claimed(self):
        """A credit note correcting an invoice (nothing was owed) is not added back,
        even when issued after the judgment; a commercial one is, as a payment."""
        # Invoiced 31 January, due 1 March: cancelled by a correcting credit note
        # on 15 June.
        corrected = self._invoice(self.customer, 1000.0, date(2024, 3, 1))
        corrected._reverse_moves(
            [{"invoice_date": date(2024, 6, 15), "date": date(2024, 6, 15)}],
            cancel=True,
        )
        # Invoiced 1 April, due 1 May: 500.00, a gesture of 100.00 on 15 June.
        gesture = self._invoice(self.customer, 500.0, date(2024, 5, 1))
        refund = make_invoice(
            self.env,
            self.company,
            self.customer,
            100.0,
            date(2024, 6, 15),
            move_type="out_refund",
            invoice_date=date(2024, 6, 15),
        )
        (gesture | refund).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(refund.dunning_credit_note_kind, "commercial")
        proceedings = self._open()
        claim = self.env["account.dunning.insolvency.engine"]._claim(proceedings)
        lines = {line["move"]: line for line in claim["lines"]}
        self.assertNotIn(corrected, lines)
        # 400 left + the 100 gesture after the judgment: 500.00 due at it; 2 May -
        # 1 June, 31 days x 500 x 14.50 % / 365 = 6.157 -> 6.16; 40.00 indemnity:
        # 546.16.
        self.assertEqual(lines[gesture]["due"], 500.0)
        self.assertEqual(lines[gesture]["interest"], 6.16)
        self.assertEqual(claim["total"], 546.16)
        self.assertEqual(proceedings.move_ids, gesture)

    def test_recorded_by_mistake_deleted(self):
        proceedings = self._open()
        self.assertEqual(self.customer.dunning_insolvency_date, JUDGMENT)
        proceedings.with_user(self.dunning_manager).unlink()
        self.assertFalse(self.customer.dunning_insolvency_date)
        self.assertFalse(self.customer.with_company(self.company).dunning_blocked)
        declared = self._open()
        declared.with_user(self.dunning_manager).action_claim_declaration("letter")
        with self.assertRaises(UserError) as err:
            declared.with_user(self.dunning_manager).unlink()
        self.assertIn("recorded by mistake", str(err.exception))
        self.assertTrue(declared.exists())

    def test_creditor_abroad_has_four_months(self):
        company_b = self.setup_other_company(name="Creditor GmbH")["company"]
        company_b.country_id = self.env.ref("base.de")
        proceedings = self.Insolvency.with_company(company_b).create(
            {
                "partner_id": self.customer.id,
                "company_id": company_b.id,
                "kind": "safeguard",
                "judgment_date": JUDGMENT,
                "publication_date": date(2024, 6, 12),
            }
        )
        # R622-24: two more months outside metropolitan France.
        self.assertEqual(proceedings.claim_deadline, date(2024, 10, 12))

    def test_block_rule_alone(self):
        self.assertEqual(
            dunning_rules.block_reasons(0.0, 0, None, 0.0, insolvent=True),
            [dunning_rules.BLOCK_INSOLVENCY],
        )
        self.assertEqual(
            dunning_rules.block_reasons(500.0, 40, None, 0.0, max_days=30),
            [dunning_rules.BLOCK_DAYS],
        )

    def test_screens(self):
        with Form(self.Insolvency.with_user(self.dunning_manager)) as form:
            form.partner_id = self.customer
            form.kind = "safeguard"
            form.judgment_date = JUDGMENT
            form.court = "Tribunal de commerce de Lyon"
            form.publication_date = date(2024, 6, 12)
            form.administrator_id = self.administrator
        proceedings = form.record
        self.assertEqual(proceedings.claim_deadline, date(2024, 8, 12))
        self.assertEqual(proceedings.state, "open")
        # The customer's Dunning tab and smart button, for a dunning user.
        partner_form = Form(self.customer.with_user(self.invoice_user))
        self.assertEqual(partner_form.dunning_insolvency_count, 1)
        self.assertEqual(str(partner_form.dunning_insolvency_date), "2024-06-01")
        customer = self.customer.with_user(self.invoice_user)
        action = customer.action_dunning_view_insolvency()
        self.assertEqual(
            self.Insolvency.with_user(self.invoice_user).search(action["domain"]),
            proceedings,
        )
        with self.assertRaises(AccessError):
            proceedings.with_user(self.invoice_user).action_print_claim()
        # A manager's form shows the date kept by the proceedings read-only.
        manager_form = Form(self.customer.with_user(self.partner_manager))
        with self.assertRaises(AssertionError):
            manager_form.dunning_insolvency_date = date(2024, 1, 1)

    def _queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def test_hot_paths_flat(self):
        """The hold and the block of customers in proceedings cost as many queries
        for 1 customer as for 20."""

        def insolvent(count, tag):
            customers = self.env["res.partner"].create(
                [
                    {"name": f"{tag} {index}", "is_company": True}
                    for index in range(count)
                ]
            )
            for customer in customers:
                self._invoice(customer, 100.0, TODAY - timedelta(days=20))
            self.Insolvency.create(
                [
                    {
                        "partner_id": customer.id,
                        "company_id": self.company.id,
                        "kind": "liquidation",
                        "judgment_date": JUDGMENT,
                    }
                    for customer in customers
                ]
            )
            return customers

        eligibility = self.env["account.dunning.eligibility"]
        blocks = self.env["account.dunning.block.engine"]
        paths = {
            "hold": lambda partners: eligibility._hold_reasons(
                self.company, set(partners.ids), TODAY
            ),
            "block": lambda partners: blocks._check(partners, self.company),
        }
        one, twenty = insolvent(1, "one"), insolvent(20, "twenty")
        for name, measured in paths.items():
            with self.subTest(path=name):
                # Warmed once (the caches of the first call), then measured.
                measured(one)
                count = self._queries(lambda: measured(one))  # noqa: B023
                measured(twenty)
                self.assertEqual(
                    self._queries(lambda: measured(twenty)),  # noqa: B023
                    count,
                )
        reasons = eligibility._hold_reasons(self.company, set(twenty.ids), TODAY)
        self.assertEqual(set(reasons), set(twenty.ids))


@tagged("post_install", "-at_install")
class TestInsolvencyRules(BaseCase):
    def test_claim_deadline(self):
        cases = (
            (None, False, None),
            (date(2024, 3, 15), False, date(2024, 5, 15)),
            (date(2023, 12, 31), False, date(2024, 2, 29)),
            (date(2022, 12, 31), False, date(2023, 2, 28)),
            (date(2024, 8, 31), False, date(2024, 10, 31)),
            (date(2024, 7, 31), False, date(2024, 9, 30)),
            (date(2024, 3, 15), True, date(2024, 7, 15)),
            (date(2023, 10, 31), True, date(2024, 2, 29)),
        )
        for published, abroad, deadline in cases:
            with self.subTest(published=published, abroad=abroad):
                self.assertEqual(
                    insolvency_rules.claim_deadline(published, abroad), deadline
                )

    def test_reminder_date(self):
        self.assertIsNone(insolvency_rules.reminder_date(None, date(2024, 7, 1)))
        self.assertEqual(
            insolvency_rules.reminder_date(date(2024, 8, 12), date(2024, 7, 1)),
            date(2024, 8, 5),
        )
        # Too late for 7 days' notice: the next day.
        self.assertEqual(
            insolvency_rules.reminder_date(date(2024, 7, 3), date(2024, 7, 1)),
            date(2024, 7, 2),
        )

    def test_siren(self):
        cases = (
            (("73282932000074",), "732829320"),
            (("732 829 320",), "732829320"),
            ((False, "FR40303265045"), "303265045"),
            (("FR40303265045",), "303265045"),
            (("DE123456789",), None),
            (("12345",), None),
            ((None, False), None),
        )
        for values, expected in cases:
            with self.subTest(values=values):
                self.assertEqual(insolvency_rules.siren(*values), expected)
