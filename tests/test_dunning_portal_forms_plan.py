# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A payment plan asked for on the customer page, its approval and its refusal; the
forms' reading rules as plain functions."""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, tagged

from ..models import portal_form_rules as rules
from .common import company_user
from .test_dunning_portal_forms import PortalFormsCommon


@tagged("post_install", "-at_install")
class TestDunningPortalFormsPlan(PortalFormsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The customer's invoices go to its accounting department.
        cls.billing = cls.env["res.partner"].create(
            {
                "name": "Dubois Comptabilité",
                "type": "invoice",
                "parent_id": cls.customer.id,
                "email": "compta@dubois.example.com",
            }
        )
        # The customer's salesperson handles its requests.
        cls.customer.user_id = cls.invoice_user
        cls.plain_user = company_user(
            cls.env, "plain_internal", "base.group_user", cls.company
        )

    def _ask(self, count="4", first="2024-07-15", token=None, csrf=True):
        return self._send(
            "/my/dues/plan",
            [("instalments", count), ("first_date", first)],
            token=token,
            csrf=csrf,
        )

    def _request(self):
        self._login()
        self.assertDone(self._ask(), "plan")
        return self.Plan.search([("partner_id", "=", self.customer.id)])

    def _answer(self, plan):
        """The email of the answer: a message to the invoice address."""
        return plan.message_ids.filtered(
            lambda message: self.billing in message.partner_ids
        )

    def test_plan_request_as_portal_user(self):
        self._login()
        page = self._get(self._page()).text
        self.assertIn("o_dunning_plan_form", page)
        self.assertIn("o_dunning_plan_toggle", page)
        before = self._counts()
        response = self._ask()
        self.assertDone(response, "plan")
        self.assertEqual(self._counts()[2], before[2] + 1)
        plan = self.Plan.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            (plan.state, plan.source, plan.company_id),
            ("draft", "portal", self.company),
        )
        self.assertEqual(plan.move_ids, self.late | self.recent, "the overdue ones")
        self.assertEqual(plan.amount_total, 1600.00)
        self.assertEqual(
            [(line.date, line.amount) for line in plan.line_ids.sorted("date")],
            [
                (date(2024, 7, 15), 400.00),
                (date(2024, 8, 15), 400.00),
                (date(2024, 9, 15), 400.00),
                (date(2024, 10, 15), 400.00),
            ],
        )
        self.assertEqual(plan.user_id, self.invoice_user, "the salesperson")
        self.assertEqual(
            plan.activity_ids.user_id, self.invoice_user, "to approve or refuse"
        )
        self.assertFalse(self.late.dunning_hold, "a request holds nothing yet")
        page = self._get(response.headers["Location"]).text
        self.assertIn("Your request for a payment plan is recorded", page)
        self.assertIn("Requested", page)
        self.assertNotIn("o_dunning_plan_toggle", page, "one request at a time")
        # Asked again meanwhile: refused.
        self.assertRefused(self._ask(), 400, "We are reviewing your last request")
        self.assertEqual(self._counts()[2], before[2] + 1)

    def test_plan_request_with_a_signed_link(self):
        response = self._ask("3", "2024-08-01", token=self._token())
        self.assertDone(response, "plan")
        plan = self.Plan.search([("partner_id", "=", self.customer.id)])
        self.assertEqual((plan.state, plan.source), ("draft", "portal"))
        self.assertEqual(
            [line.amount for line in plan.line_ids.sorted("date")],
            [533.33, 533.33, 533.34],
        )
        self.assertFalse(plan.user_id.share)

    def test_plan_refusals_create_nothing(self):
        self._login()
        before = self._counts()
        cases = [
            (("1", "2024-07-15"), "at least 2 instalments"),
            (("13", "2024-07-15"), "at most 12"),
            (("x", "2024-07-15"), "is not a number of instalments."),
            (("3", "2024-06-30"), "The first instalment cannot be in the past."),
            (("3", "2024-09-15"), "cannot be more than 60 days away."),
            (("3", "15/07/2024"), "is not a date."),
        ]
        for (count, first), message in cases:
            with self.subTest(count=count, first=first):
                self.assertRefused(self._ask(count, first), 400, message)
        self.assertRefused(self._ask(csrf=False), 400)
        for bad in (self._token()[:-2] + "zz", self._token(expiry=date(2024, 6, 30))):
            with self.subTest(token=bad):
                self.assertRefused(self._ask(token=bad), 403)
        self.assertEqual(self._counts(), before)

    def test_approval_emails_the_schedule(self):
        plan = self._request()
        plan.with_user(self.invoice_user).action_activate()
        self.assertEqual(plan.state, "active")
        self.assertEqual(self.late.dunning_hold, "plan", "the dunning reacts")
        self.assertFalse(plan.activity_ids, "the to-do is done")
        answer = self._answer(plan)
        self.assertEqual(len(answer), 1)
        self.assertIn("is approved", answer.subject)
        for text in ("07/15/2024", "10/15/2024", "400.00", self.late.name):
            self.assertIn(text, answer.body)
        self.assertIn("billing@company-a.test", answer.email_from, "from the company")

    def test_refusal_emails_the_reason(self):
        plan = self._request()
        wizard = (
            self.env["account.dunning.plan.refuse.wizard"]
            .with_user(self.invoice_user)
            .create(
                {"plan_id": plan.id, "reason": "Two months at most for this amount."}
            )
        )
        wizard.action_confirm()
        self.assertEqual(plan.state, "cancelled")
        self.assertEqual(plan.refusal_reason, "Two months at most for this amount.")
        self.assertFalse(plan.activity_ids)
        self.assertFalse(self.late.dunning_hold)
        answer = self._answer(plan)
        self.assertEqual(len(answer), 1)
        self.assertIn("Two months at most for this amount.", answer.body)
        # Answered: the customer may ask again.
        self.assertDone(self._ask("2", "2024-07-31"), "plan")

    def test_refusal_rights_and_rules(self):
        plan = self._request()
        for user in (self.plain_user, self.portal_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    plan.with_user(user).action_refuse("No.")
        with self.assertRaises(UserError) as err:
            plan.with_user(self.invoice_user).action_refuse("  ")
        self.assertIn("Say why", str(err.exception))
        internal = self.Plan.with_user(self.invoice_user).create(
            {"partner_id": self.rival.id}
        )
        with self.assertRaises(UserError) as err:
            internal.with_user(self.invoice_user).action_refuse("No.")
        self.assertIn("asked for by the customer", str(err.exception))
        # Who asked is the page's to say, not a user's.
        with self.assertRaises(AccessError):
            internal.with_user(self.invoice_user).write({"source": "portal"})
        with self.assertRaises(AccessError):
            plan.with_user(self.invoice_user).write({"refusal_reason": "x"})
        dispute = self.Dispute.with_user(self.invoice_user).create(
            {"move_id": self.rival_invoice.id, "reason": "price"}
        )
        self.assertEqual(dispute.source, "internal")
        with self.assertRaises(AccessError):
            dispute.with_user(self.invoice_user).write({"source": "portal"})
        self.assertEqual((plan.state, internal.state), ("draft", "draft"))

    def test_another_companys_users_and_the_link_time(self):
        """A dunning user of another company cannot refuse our customer's request;
        no user writes when a customer last asked for a fresh link."""
        plan = self._request()
        other = self.setup_other_company(name="Refuse Elsewhere SAS")["company"]
        stranger = company_user(
            self.env,
            "dunning_elsewhere",
            "account.group_account_invoice,account_dunning.group_dunning_manager",
            other,
        )
        with self.assertRaises(AccessError):
            plan.with_user(stranger).action_refuse("Not ours.")
        self.assertEqual((plan.state, plan.refusal_reason), ("draft", False))
        for user in (self.invoice_user, self.dunning_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).write(
                    {"dunning_portal_link_sent": "2024-07-01 10:00:00"}
                )
        self.assertFalse(self.customer.sudo().dunning_portal_link_sent)


@tagged("post_install", "-at_install")
class TestDunningPortalFormsRules(BaseCase):
    def test_ids(self):
        self.assertEqual(rules.parse_ids("3, 5,3"), [3, 5])
        self.assertEqual(rules.parse_ids(["7", "8,9", ""]), [7, 8, 9])
        self.assertEqual(rules.parse_ids(""), [])
        for crafted in ("1;2", "-1", "0", "1e3", "99999999999", ["abc"]):
            with self.subTest(crafted=crafted), self.assertRaises(ValueError):
                rules.parse_ids(crafted)

    def test_amounts_and_dates(self):
        self.assertEqual(rules.parse_amount("1 234,56"), 1234.56)
        self.assertEqual(rules.parse_amount("1234.5"), 1234.5)
        for bad in ("abc", "nan", "inf", "1,234.5.6"):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                rules.parse_amount(bad)
        self.assertEqual(rules.parse_date("2024-07-15"), date(2024, 7, 15))
        with self.assertRaises(ValueError):
            rules.parse_date("15/07/2024")

    def test_plan_bounds(self):
        today = date(2024, 7, 1)
        self.assertIsNone(rules.plan_bounds_error(2, today, today, 60))
        self.assertEqual(rules.plan_bounds_error(1, today, today, 60), "few")
        self.assertEqual(rules.plan_bounds_error(13, today, today, 60), "many")
        self.assertEqual(
            rules.plan_bounds_error(3, date(2024, 6, 30), today, 60), "past"
        )
        self.assertEqual(
            rules.plan_bounds_error(3, date(2024, 8, 31), today, 60), "far"
        )
        self.assertIsNone(rules.plan_bounds_error(3, date(2024, 8, 30), today, 60))
        self.assertIsNone(rules.plan_bounds_error(12, date(2024, 8, 30), today, 0))

    def test_upload_types(self):
        self.assertEqual(
            rules.upload_type("a.PDF", "application/pdf"), "application/pdf"
        )
        self.assertEqual(rules.upload_type("C:\\x\\b.csv", "text/plain"), "text/csv")
        self.assertEqual(rules.upload_name("C:\\x\\b.csv"), "b.csv")
        self.assertEqual(
            rules.upload_type("old.xls", "application/msword"),
            "application/vnd.ms-excel",
        )
        for name, sniffed in (
            ("a.pdf", "text/html"),
            ("a.svg", "image/svg+xml"),
            ("a.html", "text/html"),
            ("a.js", "text/plain"),
            ("a.exe", "application/octet-stream"),
            ("a.png", "image/svg+xml"),
            ("noextension", "application/pdf"),
        ):
            with self.subTest(name=name):
                self.assertIsNone(rules.upload_type(name, sniffed))
