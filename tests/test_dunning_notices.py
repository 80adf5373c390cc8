# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Formal notices: made at execution, their proof, the deadline the next level waits
for, the CSV import, the letter in French and English, and who may do what."""

import base64
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase, Form, freeze_time, tagged
from odoo.tools import mute_logger

from ..models import notice_rules
from .common import (
    TODAY,
    DunningCommon,
    company_user,
    make_invoice,
    offline_report_assets,
)
from .test_dunning_legal_mentions import _text
from .test_dunning_penalties import EurCompanyCommon

DOMESTIC = "1A 012 345 6789 0"
DOMESTIC_STORED = "1A01234567890"
S10 = "RR123456785FR"


def days(count):
    return TODAY + timedelta(days=count)


@tagged("post_install", "-at_install")
class TestNoticeRules(BaseCase):
    def test_tracking_numbers(self):
        self.assertEqual(notice_rules.normalize_tracking(DOMESTIC), DOMESTIC_STORED)
        self.assertEqual(notice_rules.normalize_tracking(" rr 123 456 785 fr"), S10)
        for number, error in (
            (DOMESTIC_STORED, None),
            (S10, None),
            # 1x8 + 2x6 + 3x4 + 4x2 + 5x3 + 6x5 + 7x9 + 8x7 = 204; 204 % 11 = 6;
            # 11 - 6 = 5: RR12345678 5 FR.
            ("RR123456784FR", notice_rules.BAD_CHECK),
            ("1A0123456789", notice_rules.BAD_SHAPE),  # 10 digits
            ("2C01234567890", notice_rules.BAD_SHAPE),
            ("CP123456785FR", notice_rules.BAD_SHAPE),  # a parcel, not registered
            ("RR12345678FR", notice_rules.BAD_SHAPE),
            ("", notice_rules.BAD_SHAPE),
        ):
            with self.subTest(number=number):
                self.assertEqual(notice_rules.tracking_error(number), error)
        # Check digits 10 -> 0 and 11 -> 5: serials 00000008 (8 x 7 = 56, 56 % 11
        # = 1, 11 - 1 = 10 -> 0) and 00000000 (sum 0, 11 - 0 = 11 -> 5).
        self.assertEqual(notice_rules.s10_check_digit("00000008"), 0)
        self.assertEqual(notice_rules.s10_check_digit("00000000"), 5)

    def test_deadline_and_dates(self):
        d = date(2024, 7, 1)
        self.assertIsNone(notice_rules.deadline(None, None, 8))
        self.assertEqual(notice_rules.deadline(None, d, 8), date(2024, 7, 9))
        self.assertEqual(
            notice_rules.deadline(date(2024, 6, 28), d, 8), date(2024, 7, 6)
        )
        self.assertEqual(notice_rules.wait_until(None), date.max)
        self.assertEqual(notice_rules.wait_until(d), date(2024, 7, 2))
        errors = notice_rules.date_errors(
            d, date(2024, 7, 3), date(2024, 7, 2), date(2024, 7, 9), date(2024, 7, 8)
        )
        self.assertEqual(
            errors,
            [
                ("date_received", notice_rules.DATE_FUTURE),
                ("date_presented", notice_rules.DATE_BEFORE_SENT),
            ],
        )
        self.assertEqual(
            notice_rules.date_errors(d, None, None, d, d),
            [("date_received", notice_rules.DATE_NOT_SENT)],
        )
        self.assertEqual(notice_rules.parse_date("01/07/2024"), d)
        self.assertEqual(notice_rules.parse_date("2024-07-01"), d)
        self.assertIsNone(notice_rules.parse_date(" "))
        with self.assertRaises(ValueError):
            notice_rules.parse_date("2024-13-01")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningNotices(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The formal notice sends its registered letter (and its email).
        cls.notice.sudo().write({"channel_letter": True, "notice_days": 8})
        # A level after it: 54 days after the notice by its delays (99 - 45).
        cls.after = cls.env["account.dunning.level"].create(
            {
                "policy_id": cls.policy.id,
                "sequence": 60,
                "name": "Hand-off warning",
                "delay": 99,
                "channel_email": True,
                "mail_template_id": cls.env.ref(
                    "account_dunning.mail_template_dunning_reminder_3"
                ).id,
            }
        )
        cls.salesman = company_user(
            cls.env, "notice_salesman", "sales_team.group_sale_salesman", cls.company
        )
        cls.company_b = cls.setup_other_company(name="Notice B")["company"]
        cls.user_b = company_user(
            cls.env, "notice_user_b", "account.group_account_invoice", cls.company_b
        )

    def _at_level(self, invoice, level, last_date):
        items = invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        items.sudo().write(
            {"dunning_level_id": level.id, "dunning_last_date": last_date}
        )
        self.env["account.dunning.run.engine"]._sync_moves(invoice.ids)
        invoice.invalidate_recordset()

    def _notice_run(self, customer=None, amount=1000.0):
        """An invoice 98 days late at the last reminder (20 days ago): today's run
        sends the formal notice."""
        customer = customer or self.customer
        invoice = self._invoice(customer, amount, days(-98))
        self._at_level(invoice, self.level_3, days(-20))
        run = self._run(TODAY)
        notice = self.env["account.dunning.notice"].search(
            [("partner_id", "=", customer.id)]
        )
        return invoice, notice, run

    def _proposed(self, on_date, invoice):
        run = self._run(on_date, execute=False)
        return run.sudo().line_ids.filtered(lambda line: line.move_id == invoice)

    def _record(self, notice, on_date, user=None, **vals):
        with freeze_time(on_date):
            notice.with_user(user or self.invoice_user).write(vals)

    # ------------------------------------------------------------ execution

    def test_notice_made_at_execution(self):
        invoice, notice, run = self._notice_run()
        self.assertEqual(len(notice), 1)
        self.assertEqual(invoice.dunning_level_id, self.notice)
        self.assertEqual(notice.move_ids, invoice)
        self.assertEqual(notice.level_id, self.notice)
        self.assertEqual(notice.notice_days, 8)
        self.assertEqual(notice.date, TODAY)
        self.assertEqual(notice.state, "to_send")
        self.assertFalse(notice.deadline)
        # The trace line is the letter's, whose PDF the notice gives.
        self.assertEqual(notice.action_id.channel, "letter")
        self.assertIn(notice.action_id, run.sudo().action_ids)
        letter = notice.with_user(self.invoice_user)._letter_attachment()
        self.assertEqual(letter, notice.action_id.letter_attachment_id)
        self.assertIn("Formal notice to pay", _text(letter.raw))
        self.assertEqual(
            self.customer.with_user(self.invoice_user).dunning_notice_count, 1
        )
        self.assertEqual(invoice.with_user(self.invoice_user).dunning_notice_count, 1)
        # A level of another type makes none.
        other = self._customer("Plain Reminder")
        self._at_level(self._invoice(other, 100.0, days(-40)), self.level_2, days(-20))
        self._run(TODAY)
        self.assertFalse(
            self.env["account.dunning.notice"].search([("partner_id", "=", other.id)])
        )

    def test_notice_made_when_a_reviewed_notice_is_sent(self):
        """The shipped formal notice waits for a review: its notice is made when the
        reviewer sends it, not before."""
        self.notice.sudo().manual_review = True
        invoice, notice, run = self._notice_run()
        self.assertFalse(notice)
        waiting = run.sudo().action_ids.filtered(
            lambda action: action.state == "to_review"
        )
        self.assertEqual(set(waiting.mapped("channel")), {"email", "letter"})
        waiting.with_user(self.invoice_user).action_send_reviewed()
        notice = self.env["account.dunning.notice"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(
            notice.action_id, waiting.filtered(lambda a: a.channel == "letter")
        )
        self.assertEqual(notice.move_ids, invoice)

    def test_letter_returned_never_presented_holds_nothing(self):
        invoice, notice, _run = self._notice_run()
        self._record(
            notice,
            days(4),
            date_sent=TODAY,
            tracking_number=DOMESTIC,
            returned="wrong_address",
        )
        self.assertEqual(notice.state, "returned")
        self.assertFalse(notice.deadline)
        # Back to the level's own days: 54 after the notice (its delay 99 reached
        # on day 1 already).
        self.assertFalse(self._proposed(days(53), invoice))
        self.assertEqual(self._proposed(days(54), invoice).level_id, self.after)

    def test_notice_creation_query_count_is_flat(self):
        engine = self.env["account.dunning.notice.engine"]
        Action = self.env["account.dunning.action"].sudo()

        def actions(count, tag):
            vals_list = []
            for index in range(count):
                customer = self._customer(f"Flat {tag} {index}")
                invoice = self._invoice(customer, 100.0, days(-60))
                vals_list.append(
                    {
                        "company_id": self.company.id,
                        "partner_id": customer.id,
                        "level_id": self.notice.id,
                        "channel": "letter",
                        "state": "sent",
                        "date": TODAY,
                        "move_ids": [Command.set(invoice.ids)],
                    }
                )
            return Action.create(vals_list)

        def measure(batch):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            engine._create_notices(None, batch)
            self.env.flush_all()
            return self.cr.sql_log_count - start

        one, twenty = actions(1, "one"), actions(20, "twenty")
        # The first call reads the user and the company once for the transaction.
        measure(actions(1, "warm"))
        count_one = measure(one)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(count_one):
            engine._create_notices(None, twenty)
            self.env.flush_all()
        self.assertEqual(
            self.env["account.dunning.notice"].search_count(
                [("action_id", "in", twenty.ids)]
            ),
            20,
        )

    # ------------------------------------------------------------ deadline

    def test_deadline_from_presentation_or_receipt(self):
        _invoice, notice, _run = self._notice_run()
        self._record(notice, TODAY, date_sent=TODAY, tracking_number=DOMESTIC)
        self.assertEqual(notice.tracking_number, DOMESTIC_STORED)
        self.assertEqual(notice.state, "sent")
        self.assertFalse(notice.deadline)
        # The receipt alone: 3 + 8 days.
        self._record(notice, days(3), date_received=days(3))
        self.assertEqual(notice.state, "received")
        self.assertEqual(notice.deadline, days(11))
        # A first presentation before it counts instead: 1 + 8 days.
        self._record(notice, days(3), date_presented=days(1))
        self.assertEqual(notice.deadline, days(9))
        self.assertEqual(
            self.customer.with_company(self.company).dunning_next_action_date,
            days(10),
            "the next level is due the day after the deadline",
        )

    def test_next_level_waits_for_the_deadline(self):
        invoice, notice, _run = self._notice_run()
        # Not presented yet: no deadline, no next level (its delay is reached).
        self.assertFalse(self._proposed(days(6), invoice))
        self._record(
            notice,
            days(2),
            date_sent=TODAY,
            tracking_number=S10,
            date_presented=days(2),
        )
        self.assertEqual(notice.deadline, days(10))
        self.assertFalse(self._proposed(days(9), invoice), "the day before")
        self.assertFalse(self._proposed(days(10), invoice), "the last day to pay")
        # The day after: at once, not 54 days after the notice.
        proposed = self._proposed(days(11), invoice)
        self.assertEqual(proposed.level_id, self.after)
        self.assertEqual(notice.state, "expired", "the run's daily step expired it")
        self.assertEqual(notice.date_expired, days(11))

    def test_expiry_is_daily_and_spares_paid_notices(self):
        invoice, notice, _run = self._notice_run()
        paid_invoice, paid_notice, _run = self._notice_run(self._customer("Payer"))
        for record, number in ((notice, DOMESTIC), (paid_notice, S10)):
            self._record(
                record,
                days(1),
                date_sent=TODAY,
                tracking_number=number,
                date_received=days(1),
            )
        self._pay(paid_invoice, 1000.0, days(5))
        engine = self.env["account.dunning.hold.engine"]
        engine._daily(self.company, days(9), send=False)
        self.assertEqual(notice.state, "received", "deadline day 9 not passed")
        engine._daily(self.company, days(10), send=False)
        engine._daily(self.company, days(11), send=False)
        self.assertEqual(notice.state, "expired")
        self.assertEqual(notice.date_expired, days(10), "kept from the first day")
        self.assertEqual(paid_notice.state, "received")
        self.assertTrue(invoice)

    # ------------------------------------------------------------ wizard and CSV

    def _wizard(self, csv_text, user=None):
        return (
            self.env["account.dunning.notice.wizard"]
            .with_user(user or self.invoice_user)
            .create(
                {
                    "import_mode": "csv",
                    "csv_file": base64.b64encode(csv_text.encode()),
                    "csv_filename": "tracking.csv",
                }
            )
        )

    def test_wizard_one_by_one(self):
        _invoice, notice, _run = self._notice_run()
        wizard = (
            self.env["account.dunning.notice.wizard"]
            .with_user(self.invoice_user)
            .with_context(active_model=notice._name, active_ids=notice.ids)
            .create({})
        )
        self.assertEqual(wizard.line_ids.notice_id, notice)
        wizard.line_ids.write(
            {
                "tracking_number": "rr 123 456 785 fr",
                "date_sent": TODAY,
                "date_received": TODAY,
                "receipt_file": base64.b64encode(b"%PDF-1.4 receipt"),
                "receipt_filename": "ar.pdf",
            }
        )
        wizard.action_apply()
        self.assertEqual(notice.tracking_number, S10)
        self.assertEqual(notice.state, "received")
        self.assertEqual(notice.receipt_attachment_id.name, "ar.pdf")
        self.assertEqual(notice.deadline, days(8))

    def test_letter_and_wizard_from_the_notice(self):
        _invoice, notice, _run = self._notice_run()
        as_user = notice.with_user(self.invoice_user)
        action = as_user.action_open_letter()
        self.assertEqual(
            action["url"],
            f"/web/content/{notice.action_id.letter_attachment_id.id}?download=true",
        )
        self.assertEqual(
            as_user.action_record_proof()["context"]["active_ids"], notice.ids
        )
        # Another company's user cannot record the proof of this notice.
        with self.assertRaises(AccessError):
            self.env["account.dunning.notice.wizard"].with_user(self.user_b).create(
                {
                    "line_ids": [
                        Command.create({"notice_id": notice.id, "date_sent": TODAY})
                    ]
                }
            ).action_apply()
        self.assertFalse(notice.date_sent)
        # Nor a salesman, by the wizard.
        with self.assertRaises(AccessError):
            self.env["account.dunning.notice.wizard"].with_user(self.salesman).create(
                {"import_mode": "csv"}
            )

    def test_screens(self):
        """The notice's form and the wizard's dialog, as the invoicing user."""
        _invoice, notice, _run = self._notice_run()
        with Form(notice.with_user(self.invoice_user)) as form:
            form.tracking_number = DOMESTIC
            form.date_sent = TODAY
        self.assertEqual(notice.state, "sent")
        wizard_model = (
            self.env["account.dunning.notice.wizard"]
            .with_user(self.invoice_user)
            .with_context(active_model=notice._name, active_ids=notice.ids)
        )
        with freeze_time(days(2)):
            with Form(wizard_model) as form:
                with form.line_ids.edit(0) as line:
                    line.date_received = days(2)
            form.record.action_apply()
        self.assertEqual(notice.state, "received")
        self.assertEqual(notice.deadline, days(10))
        self.assertEqual(
            self.env["account.dunning.notice"]
            .with_user(self.invoice_user)
            .search([("deadline", "<", str(days(11)))]),
            notice,
        )

    def test_csv_import(self):
        _i1, first, _r = self._notice_run()
        _i2, second, _r = self._notice_run(self._customer("Second Customer"))
        self._record(first, TODAY, date_sent=TODAY, tracking_number=DOMESTIC)
        self._record(second, TODAY, date_sent=TODAY, tracking_number=S10)
        good = (
            "tracking_number;date_sent;date_presented;date_received;returned\n"
            f"{DOMESTIC};{TODAY};02/07/2024;2024-07-03;\n"
            f"{S10};01/07/2024;2024-07-02;;unclaimed\n"
        )
        with freeze_time(days(3)):
            self._wizard(good).action_apply()
        self.assertEqual(first.date_presented, days(1))
        self.assertEqual(first.date_received, days(2))
        self.assertEqual(first.state, "received")
        self.assertEqual(first.deadline, days(9))
        self.assertEqual(second.returned, "unclaimed")
        self.assertEqual(second.state, "returned")
        # A bad number, an unknown one, a bad date, a receipt before the sending:
        # every row listed, nothing changed (not even the good row).
        bad = (
            "tracking_number,date_sent,date_presented,date_received,returned\n"
            f"{S10},2024-07-01,,2024-07-03,\n"
            "1A0123,2024-07-01,,,\n"
            "RR987654326FR,2024-07-01,,,\n"
            f"{DOMESTIC},2024-07-01,,31/06/2024,\n"
            f"{DOMESTIC},2024-07-01,,,lost\n"
        )
        with freeze_time(days(3)), self.assertRaises(UserError) as err:
            self._wizard(bad).action_apply()
        message = str(err.exception)
        self.assertIn("Nothing was imported: 4 rows of the file are wrong.", message)
        self.assertIn("Row 3: 1A0123 is not a registered letter's number.", message)
        self.assertIn(
            "Row 4: no formal notice has the tracking number RR987654326FR.", message
        )
        self.assertIn("Row 5: date_received: 31/06/2024 is not a date", message)
        self.assertIn("Row 6: the number 1A01234567890 is on row 5 already", message)
        self.assertIn("returned: lost is none of refused", message)
        self.assertFalse(second.date_received, "the good row was not imported")
        # A receipt before the sending date, by CSV.
        with freeze_time(days(3)), self.assertRaises(UserError) as err:
            self._wizard(
                "tracking_number;date_sent;date_presented;date_received;returned\n"
                f"{S10};2024-07-02;;2024-07-01;\n"
            ).action_apply()
        self.assertIn(
            "Row 2: The receipt date cannot be before the sending date",
            str(err.exception),
        )
        self.assertEqual(second.date_sent, TODAY)
        # Another company's notices are unknown to its users.
        with freeze_time(days(3)), self.assertRaises(UserError) as err:
            self._wizard(good, user=self.user_b).action_apply()
        self.assertIn("no formal notice has the tracking number", str(err.exception))

    # ------------------------------------------------------------ bad input

    def test_bad_input_refused(self):
        _invoice, notice, _run = self._notice_run()
        _i2, other, _r = self._notice_run(self._customer("Other Customer"))
        self._record(other, TODAY, date_sent=TODAY, tracking_number=S10)
        cases = [
            (
                {"date_sent": days(2), "date_received": days(1)},
                "The receipt date cannot be before the sending date.",
            ),
            (
                {"date_sent": TODAY, "date_presented": days(-1)},
                "The first presentation date cannot be before the sending date.",
            ),
            ({"date_sent": days(5)}, "The sending date cannot be in the future."),
            (
                {"date_sent": days(-1)},
                "The sending date cannot be before the letter's date",
            ),
            ({"date_received": days(1)}, "Record the sending date before the"),
            ({"tracking_number": "12345"}, "is not a registered letter's number"),
            ({"tracking_number": "RR123456784FR"}, "has a wrong check digit"),
            (
                {
                    "date_sent": TODAY,
                    "date_presented": days(2),
                    "date_received": days(1),
                },
                "The receipt date cannot be before the first presentation.",
            ),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals), self.assertRaises(ValidationError) as err:
                self._record(notice, days(3), **vals)
            self.assertIn(message, str(err.exception))
        self.assertFalse(notice.date_sent or notice.tracking_number)
        with self.assertRaises(ValidationError) as err:
            self._record(notice, days(3), date_sent=TODAY, tracking_number=S10)
        self.assertIn(
            "The tracking number RR123456785FR is already recorded on another formal "
            "notice.",
            str(err.exception),
        )
        # The receipt is a file of the notice, not any attachment.
        elsewhere = self.env["ir.attachment"].create(
            {
                "name": "other.pdf",
                "res_model": "res.partner",
                "res_id": self.customer.id,
            }
        )
        with self.assertRaises(ValidationError) as err:
            self._record(notice, days(3), receipt_attachment_id=elsewhere.id)
        self.assertIn(
            "must be a file attached to this formal notice", str(err.exception)
        )
        self.assertFalse(notice.receipt_attachment_id)
        with self.assertRaises(ValidationError) as err:
            self.notice.sudo().notice_days = 0
        self.assertIn("must be at least 1", str(err.exception))

    # ------------------------------------------------------------ access

    def test_access(self):
        _invoice, notice, _run = self._notice_run()
        # The invoicing user records the proof.
        self._record(notice, TODAY, date_sent=TODAY, tracking_number=DOMESTIC)
        # Not the state, the deadline, the trace line, nor the invoices.
        for vals, message in (
            ({"state": "received"}, "The dunning engine alone sets"),
            ({"deadline": days(30)}, "The dunning engine alone sets"),
            ({"date_expired": TODAY}, "The dunning engine alone sets"),
            ({"action_id": False}, "The dunning engine alone sets"),
            ({"move_ids": [Command.clear()]}, "cannot be changed"),
        ):
            error = UserError if "move_ids" in vals else AccessError
            with self.subTest(vals=vals), self.assertRaises(error) as err:
                notice.with_user(self.invoice_user).write(vals)
            self.assertIn(message, str(err.exception))
        with self.assertRaises(AccessError) as err:
            self.env["account.dunning.notice"].with_user(self.invoice_user).create(
                {
                    "partner_id": self.customer.id,
                    "state": "expired",
                }
            )
        self.assertIn("The dunning engine alone sets", str(err.exception))
        self.assertEqual(notice.state, "sent")
        self.assertFalse(notice.deadline)
        # A salesman reads none; company B's user sees none.
        with self.assertRaises(AccessError):
            notice.with_user(self.salesman).read(["tracking_number"])
        with self.assertRaises(AccessError):
            notice.with_user(self.salesman).write({"date_received": TODAY})
        self.assertFalse(
            self.env["account.dunning.notice"].with_user(self.user_b).search([])
        )
        with self.assertRaises(AccessError):
            notice.with_user(self.user_b).write({"date_received": TODAY})
        with self.assertRaises(AccessError):
            notice.with_user(self.user_b)._letter_attachment()
        with self.assertRaises(AccessError):
            notice.with_user(self.invoice_user).unlink()
        self.assertFalse(notice.date_received)

    def test_no_notice_made_by_hand(self):
        """A notice is the run's record of a letter sent: a dunning user cannot make
        one over RPC (a forged proof, and invoices held from their next level)."""
        invoice = self._invoice(self.customer, 1000.0, days(-98))
        Notice = self.env["account.dunning.notice"].with_user(self.invoice_user)
        with self.assertRaises(AccessError) as err:
            Notice.create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "date_sent": TODAY,
                    "tracking_number": DOMESTIC,
                    "date_received": TODAY,
                }
            )
        self.assertIn("made by the dunning run", str(err.exception))
        self.assertFalse(
            self.env["account.dunning.notice"].search(
                [("partner_id", "=", self.customer.id)]
            )
        )


@tagged("post_install", "-at_install")
@freeze_time("2024-03-31")
class TestDunningNoticeLetter(EurCompanyCommon):
    """The formal notice letter of a French company in EUR, shipped rates: ECB rate
    in force on 1 January 2024 4.50 % + 10 points = 14.50 % a year, on 365 days."""

    company_name = "Atelier SAS"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "dunning_legal_form": "SAS au capital de 10 000 €",
                "company_registry": "12345678900011",
                "vat": "FR23334175221",
                "street": "1 rue de la Paix",
                "city": "Paris",
                "zip": "75002",
            }
        )
        cls.notice_level = cls.policy.level_ids.filtered(
            lambda level: level.level_type == "formal_notice"
        )
        cls.business = cls.env["res.partner"].create(
            {
                "name": "Société Cliente",
                "is_company": True,
                "street": "2 avenue Foch",
                "city": "Lyon",
                "zip": "69006",
                "company_registry": "98765432100017",
                "lang": "en_US",
            }
        )
        cls.consumer = cls.env["res.partner"].create(
            {
                "name": "Jeanne Martin",
                "street": "3 rue Neuve",
                "city": "Lyon",
                "lang": "en_US",
            }
        )
        cls.user = company_user(
            cls.env, "notice_letter_user", "account.group_account_invoice", cls.company
        )

    def _letter(self, partner):
        """A formal notice on 31 March 2024 listing two invoices: 1,000.00 due on
        1 February and 500.00 due on 1 March."""
        invoices = make_invoice(
            self.env, self.company, partner, 1000.0, date(2024, 2, 1)
        ) | make_invoice(self.env, self.company, partner, 500.0, date(2024, 3, 1))
        action = (
            self.env["account.dunning.action"]
            .sudo()
            .create(
                {
                    "company_id": self.company.id,
                    "partner_id": partner.id,
                    "recipient_id": partner.id,
                    "level_id": self.notice_level.id,
                    "channel": "letter",
                    "state": "sent",
                    "date": date(2024, 3, 31),
                    "move_ids": [Command.set(invoices.ids)],
                    "move_line_ids": [
                        Command.set(
                            invoices.line_ids.filtered(
                                lambda line: line.display_type == "payment_term"
                            ).ids
                        )
                    ],
                }
            )
        )
        return invoices, action

    def _render(self, action):
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.user)
            ._render_qweb_html(
                "account_dunning.action_report_dunning_letter", action.ids
            )
        )
        return _text(html).replace("\u202f", " ")

    def test_letter_in_english(self):
        invoices, action = self._letter(self.business)
        text = self._render(action)
        for expected in (
            # The creditor and the debtor.
            "Creditor Atelier SAS",
            "SAS au capital de 10 000 €",
            "SIREN/SIRET: 12345678900011",
            "VAT number: FR23334175221",
            "1 rue de la Paix",
            "Debtor Société Cliente",
            "2 avenue Foch",
            "SIREN/SIRET: 98765432100017",
            "Paris, 03/31/2024",
            "Registered letter with acknowledgement of receipt",
            "Formal notice to pay",
            "Subject: Formal notice",
            # The legal basis.
            "Legal basis: article 1344 of the French Civil Code; articles L441-10 "
            "and D441-5 of the French Commercial Code.",
            # Each invoice: number, date, due date, amount, amount due, interest
            # (1,000.00 x 14.50 % x 59 / 365 = 23.4384 -> 23.44; 500.00 x 14.50 %
            # x 30 / 365 = 5.9589 -> 5.96) and the 40.00 indemnity.
            f"{invoices[0].name} 01/02/2024 02/01/2024 1,000.00 € 1,000.00 € "
            "23.44 € 40.00 €",
            f"{invoices[1].name} 01/31/2024 03/01/2024 500.00 € 500.00 € 5.96 € "
            "40.00 €",
            # Principal 1,500.00; interest 23.44 + 5.96 = 29.40; indemnities 2 x
            # 40.00 = 80.00; total 1,500.00 + 29.40 + 80.00 = 1,609.40.
            "Principal 1,500.00 €",
            "Late-payment interest accrued to 03/31/2024 29.40 €",
            "Fixed indemnity for recovery costs 80.00 €",
            "Total claimed 1,609.40 €",
            "Late-payment penalties have run since the day after each due date; they "
            "are stated accrued to 03/31/2024 and keep running until payment. A fixed "
            "indemnity for recovery costs is due for each invoice paid late.",
            "We require payment of the total claimed within 8 days of your receipt "
            "of this letter.",
            "collection agency or a commissaire de justice, or apply to the court "
            "for an order to pay (injonction de payer)",
            "the costs of the proceedings will be at your charge.",
        ):
            with self.subTest(expected=expected):
                self.assertIn(expected, text)

    def test_letter_of_a_consumer(self):
        _invoices, action = self._letter(self.consumer)
        text = self._render(action)
        self.assertIn("Debtor Jeanne Martin", text)
        self.assertIn(
            "Legal basis: articles 1344, 1344-1 and 1231-6 of the French Civil Code.",
            text,
        )
        self.assertIn(
            "No indemnity for recovery costs is claimed from you. Late-payment "
            "interest at the legal rate runs on the sums due from the date of this "
            "formal notice.",
            text,
        )
        # Principal only: 1,000.00 + 500.00.
        self.assertIn("Total claimed 1,500.00 €", text)
        for b2b in ("40.00", "L441-10", "Fixed indemnity for recovery costs 80.00"):
            self.assertNotIn(b2b, text)

    def test_letter_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning"], ["fr_FR"], overwrite=True
        )
        self.business.lang = "fr_FR"
        invoices, action = self._letter(self.business)
        text = self._render(action)
        for expected in (
            "Créancier Atelier SAS",
            "SIREN/SIRET : 12345678900011",
            "N° de TVA : FR23334175221",
            "Débiteur Société Cliente",
            "Paris, 31/03/2024",
            "Lettre recommandée avec accusé de réception",
            "Mise en demeure de payer",
            "Objet : Mise en demeure",
            "Fondement : article 1344 du Code civil ; articles L441-10 et D441-5 du "
            "Code de commerce.",
            # As in English: 23.44 and 5.96 of interest, 40.00 per invoice.
            f"{invoices[0].name} 02/01/2024 01/02/2024 1 000,00 € 1 000,00 € "
            "23,44 € 40,00 €",
            f"{invoices[1].name} 31/01/2024 01/03/2024 500,00 € 500,00 € 5,96 € "
            "40,00 €",
            "Principal 1 500,00 €",
            "Intérêts de retard arrêtés au 31/03/2024 29,40 €",
            "Indemnité forfaitaire pour frais de recouvrement 80,00 €",
            "Total réclamé 1 609,40 €",
            "Des pénalités de retard courent depuis le lendemain de chaque échéance ; "
            "elles sont arrêtées au 31/03/2024 et continuent de courir jusqu'au "
            "paiement. Une indemnité forfaitaire pour frais de recouvrement est due "
            "pour chaque facture payée en retard.",
            "dans un délai de 8 jours à compter de la réception de la présente.",
            "requête en injonction de payer",
            "les frais de procédure seront à votre charge.",
        ):
            with self.subTest(expected=expected):
                self.assertIn(expected, text)
        self.assertNotIn("Formal notice", text)

    # wkhtmltopdf without patched Qt warns of the header switches it ignores.
    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_letter_pdf_builds(self):
        _invoices, action = self._letter(self.business)
        with offline_report_assets(self.env):
            pdf, report_type = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(
                    "account_dunning.action_report_dunning_letter", action.ids
                )
            )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
