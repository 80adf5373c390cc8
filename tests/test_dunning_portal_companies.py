# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer page of a customer of two of our companies; the page's settings."""

from datetime import date

from lxml import html
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY, company_user, make_invoice, register_payment
from .portal_common import PortalCommon
from .test_dunning_portal import page_moves


@tagged("post_install", "-at_install")
class TestDunningPortalCompanies(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Company B is set up with all the user's companies allowed, as at login.
        env_a = cls.env
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=None))
        cls.company_b = cls.setup_other_company(name="Dunning Portal B")["company"]
        cls.env = env_a
        cls.invoice_b = make_invoice(
            cls.env, cls.company_b, cls.customer, 300.0, date(2024, 6, 1)
        )
        cls.company_a = cls.company
        cls.company_a.name = "Dunning Portal A"

    def _page(self, url, status=200):
        response = self._get(url)
        self.assertEqual(response.status_code, status, response.text[:1000])
        return response.text

    def _tabs(self, text):
        tree = html.fromstring(text)
        return [
            (" ".join(link.text_content().split()), link.get("href"))
            for link in tree.xpath("//ul[hasclass('o_dunning_companies')]//a")
        ]

    def _reminder(self, company, partner=None):
        """A reminder email sent by ``company``."""
        message = (
            self.env["mail.message"]
            .sudo()
            .create(
                {
                    "model": "res.partner",
                    "res_id": self.customer.id,
                    "body": f"Reminder from {company.name}",
                    "message_type": "email_outgoing",
                }
            )
        )
        return (
            self.env["account.dunning.action"]
            .sudo()
            .create(
                {
                    "company_id": company.id,
                    "partner_id": (partner or self.customer).id,
                    "channel": "email",
                    "state": "sent",
                    "date": TODAY,
                    "message_id": message.id,
                }
            )
        )

    def test_each_company_dues_apart(self):
        self.authenticate("dubois_portal", "dubois_portal")
        ours_a = set((self.late | self.recent | self.future).ids)
        text = self._page("/my/dues")
        # One company at a time, with a tab per company, by name.
        self.assertEqual(
            self._tabs(text),
            [
                ("Dunning Portal A", f"/my/dues?company_id={self.company_a.id}"),
                ("Dunning Portal B", f"/my/dues?company_id={self.company_b.id}"),
            ],
        )
        self.assertEqual(page_moves(text), ours_a)
        self.assertIn("Your account with Dunning Portal A", text)
        text = self._page(f"/my/dues?company_id={self.company_b.id}")
        self.assertEqual(page_moves(text), set(self.invoice_b.ids))
        self.assertIn("Your account with Dunning Portal B", text)
        self.assertIn(f'name="company_id" value="{self.company_b.id}"', text)
        # The card counts both.
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["dunning_due_count"]}
        )
        self.assertEqual(counters["dunning_due_count"], 4)

    def test_signed_link_of_one_company_only(self):
        token_a = self._token(company=self.company_a)
        for url in (
            f"/my/dues?access_token={token_a}",
            f"/my/dues?access_token={token_a}&company_id={self.company_b.id}",
        ):
            with self.subTest(url=url):
                text = self._page(url)
                self.assertEqual(
                    page_moves(text), set((self.late | self.recent | self.future).ids)
                )
                self.assertNotIn(f"/my/invoices/{self.invoice_b.id}?", text)
                self.assertNotIn("Dunning Portal B", text)
                self.assertFalse(self._tabs(text))
        token_b = self._token(company=self.company_b)
        text = self._page(f"/my/dues?access_token={token_b}")
        self.assertEqual(page_moves(text), set(self.invoice_b.ids))
        self.assertNotIn("Dunning Portal A", text)

    def test_reminders_of_the_company_asked_only(self):
        reminder_a = self._reminder(self.company_a)
        reminder_b = self._reminder(self.company_b)
        token_a = self._token(company=self.company_a)
        text = self._page(f"/my/dues/reminder/{reminder_a.id}?access_token={token_a}")
        self.assertIn("Reminder from Dunning Portal A", text)
        text = self._page(
            f"/my/dues/reminder/{reminder_b.id}?access_token={token_a}", 404
        )
        self.assertNotIn("Reminder from Dunning Portal B", text)
        self.authenticate("dubois_portal", "dubois_portal")
        for company, reminder, status in (
            (self.company_b, reminder_b, 200),
            (self.company_a, reminder_b, 404),
            (self.company_b, reminder_a, 404),
        ):
            with self.subTest(company=company.name, reminder=reminder.id):
                self._page(
                    f"/my/dues/reminder/{reminder.id}?company_id={company.id}", status
                )
        # The page lists each company's own.
        text = self._page(f"/my/dues?company_id={self.company_b.id}")
        self.assertIn(f"/my/dues/reminder/{reminder_b.id}?", text)
        self.assertNotIn(f"/my/dues/reminder/{reminder_a.id}?", text)

    def test_company_where_the_customer_has_nothing(self):
        self.authenticate("martin_portal", "martin_portal")
        for company_id in (self.company_b.id, 2**31 - 1, 2**40, "abc", "-1", "1.0"):
            with self.subTest(company_id=company_id):
                text = self._page(f"/my/dues?company_id={company_id}", 404)
                self.assertNotIn(f"/my/invoices/{self.invoice_b.id}?", text)
        # No tab for it either.
        self.assertFalse(self._tabs(self._page("/my/dues")))
        # All paid in company B: its page still opens, with nothing due.
        env_b = self.env(
            context=dict(self.env.context, allowed_company_ids=self.company_b.ids)
        )
        register_payment(env_b, self.invoice_b, 300.0, date(2024, 6, 20))
        self.authenticate("dubois_portal", "dubois_portal")
        text = self._page(f"/my/dues?company_id={self.company_b.id}")
        self.assertIn("Nothing is due", text)
        self.assertFalse(page_moves(text))


@tagged("post_install", "-at_install")
class TestDunningPortalSettings(PortalCommon):
    def test_settings_shown_to_dunning_managers(self):
        fields = ("dunning_portal_link_days", "dunning_portal_upload_mb")
        fields += ("dunning_portal_show_owner",)
        view = self.env.ref("base.view_company_form")
        manager = self.env["res.company"].with_user(self.dunning_manager)
        arch = manager.get_view(view.id, "form")["arch"]
        for name in fields:
            self.assertIn(f'name="{name}"', arch)
        arch = (
            self.env["res.company"]
            .with_user(self.invoice_user)
            .get_view(view.id, "form")["arch"]
        )
        for name in fields:
            self.assertNotIn(f'name="{name}"', arch)
        self.assertEqual(self.company.dunning_portal_link_days, 30)
        self.assertEqual(self.company.dunning_portal_upload_mb, 10)
        self.assertFalse(self.company.dunning_portal_show_owner)

    def test_only_administrators_write_them(self):
        # The company model is written by administrators (ERP managers) only.
        for user in (self.dunning_manager, self.invoice_user, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.company.with_user(user).write({"dunning_portal_show_owner": True})
        self.assertFalse(self.company.dunning_portal_show_owner)
        admin = company_user(
            self.env,
            "portal_settings_admin",
            "base.group_erp_manager,account_dunning.group_dunning_manager",
            self.company,
        )
        self.company.with_user(admin).write(
            {"dunning_portal_show_owner": True, "dunning_portal_link_days": 15}
        )
        self.assertTrue(self.company.dunning_portal_show_owner)
        for name in ("dunning_portal_link_days", "dunning_portal_upload_mb"):
            with (
                self.subTest(field=name),
                mute_logger("odoo.sql_db"),
                self.assertRaises(IntegrityError),
                self.cr.savepoint(),
            ):
                self.company.write({name: 0})
