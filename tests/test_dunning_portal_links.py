# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer page's links: signed links, fresh links, the reminders' links and
documents."""

import re
import xmlrpc.client
from datetime import datetime, time, timedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from ..models import portal_rules
from .common import TODAY, company_user
from .portal_common import PortalCommon
from .test_dunning_portal import page_rows

LINK_RE = re.compile(r'href="([^"]*/my/dues\?[^"]*)"')
TOKEN_RE = re.compile(r"access_token=([0-9a-f-]+)")
LETTER_REPORT = "account_dunning.action_report_dunning_letter"


@tagged("post_install", "-at_install")
class TestDunningPortalLinks(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dunning_user = company_user(
            cls.env,
            "portal_dunning_user",
            "account.group_account_invoice,account_dunning.group_dunning_user",
            cls.company,
        )
        cls.salesperson = company_user(
            cls.env, "portal_salesperson", "sales_team.group_sale_salesman", cls.company
        )
        cls.Portal = cls.env["account.dunning.portal"]

    def _read(self, token):
        return self.Portal._read_token(token)

    def _link_mails(self):
        """The emails of the template ``mail_template_dunning_portal_link``."""
        subject = f"{self.company.name}: the link to your account"
        return self.env["mail.mail"].sudo().search([("subject", "=", subject)])

    # ------------------------------------------------------------ signed links

    def test_signed_link_opens_that_customers_page_only(self):
        response = self._get(f"/my/dues?access_token={self._token()}")
        self.assertEqual(response.status_code, 200)
        rows = page_rows(response.text)
        self.assertEqual(
            set(rows), {self.late.name, self.recent.name, self.future.name}
        )
        # The link is not passed on as the referrer, nor the page kept in caches.
        self.assertEqual(response.headers["Referrer-Policy"], "same-origin")
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        # Its forms carry the link, not a company to choose.
        self.assertIn(f'name="access_token" value="{self._token()}"', response.text)
        self.assertNotIn('name="company_id"', response.text)
        rival = self._get(f"/my/dues?access_token={self._token(self.rival)}")
        self.assertEqual(set(page_rows(rival.text)), {self.rival_invoice.name})

    def test_signed_link_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        page = self._get(f"/my/dues?access_token={self._token()}").text
        # The French date format: 2024-07-01 is 01/07/2024, 2024-05-01 is 01/05/2024.
        self.assertIn("01/07/2024", page)
        self.assertIn("01/05/2024", page)
        self.assertNotIn("07/01/2024", page)
        # The rival, in English, reads its page in English.
        rival = self._get(f"/my/dues?access_token={self._token(self.rival)}").text
        self.assertIn("07/01/2024", rival)

    def test_signed_link_valid_until_its_day_then_expired(self):
        today = self._token(expiry=TODAY)
        self.assertEqual(self._get(f"/my/dues?access_token={today}").status_code, 200)
        yesterday = self._token(expiry=TODAY - timedelta(days=1))
        response = self._get(f"/my/dues?access_token={yesterday}")
        self.assertEqual(response.status_code, 403)
        self.assertIn("This link has expired", response.text)
        self.assertEqual(response.headers["Referrer-Policy"], "same-origin")
        self.assertIn("expired on 06/30/2024", response.text)
        # It offers a fresh link, and shows nothing of the account.
        self.assertIn('action="/my/dues/link"', response.text)
        self.assertNotIn(self.late.name, response.text)
        # The default validity: 30 days, the company's.
        self.assertEqual(
            portal_rules.parse_token(self._token())[2], TODAY + timedelta(days=30)
        )
        self.company.dunning_portal_link_days = 7
        self.assertEqual(
            portal_rules.parse_token(self._token())[2], TODAY + timedelta(days=7)
        )

    def test_tampered_links_are_refused(self):
        partner, company, day, signature = self._token().split("-")
        contact_token = portal_rules.make_token(
            self.Portal._sign, self.contact.id, self.company.id, TODAY
        )
        gone = self.env["res.partner"].create({"name": "Gone", "is_company": True})
        gone_token = self._token(gone)
        gone.unlink()
        for token in (
            f"{self.rival.id}-{company}-{day}-{signature}",
            f"{partner}-{company}-20991231-{signature}",
            f"{partner}-{company}-{day}-{'0' * len(signature)}",
            f"{partner}-{2**31}-{day}-{signature}",
            "not-a-token",
            # Signed, but for a contact rather than its commercial entity.
            contact_token,
            # Signed, for a customer deleted since.
            gone_token,
        ):
            with self.subTest(token=token):
                self.assertEqual(self._read(token)[0], portal_rules.TAMPERED)
                response = self._get(f"/my/dues?access_token={token}")
                self.assertEqual(response.status_code, 403)
                self.assertIn("This link is not valid", response.text)
                self.assertNotIn(self.late.name, response.text)
                self.assertNotIn(self.rival_invoice.name, response.text)

    # ------------------------------------------------------------ fresh links

    def test_fresh_link_sent_once_an_hour_to_the_invoice_address(self):
        accounting = self.env["res.partner"].create(
            {
                "name": "Compta Dubois",
                "parent_id": self.customer.id,
                "type": "invoice",
                "email": "compta@dubois.example.com",
            }
        )
        expired = self._token(expiry=TODAY - timedelta(days=1))
        page = f"/my/dues?access_token={expired}"
        response = self._post("/my/dues/link", {"access_token": expired}, page=page)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Check your mailbox", response.text)
        mail = self._link_mails()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, accounting)
        self.assertIn("See and settle your account", mail.body_html)
        # A fresh, valid link of the same customer and company.
        fresh = TOKEN_RE.search(LINK_RE.search(mail.body_html).group(1)).group(1)
        self.assertEqual(
            self._read(fresh)[:3], (portal_rules.VALID, self.customer, self.company)
        )
        self.assertEqual(self._get(f"/my/dues?access_token={fresh}").status_code, 200)
        # Asked again within the hour: the same answer, nothing sent.
        response = self._post("/my/dues/link", {"access_token": expired}, page=page)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Check your mailbox", response.text)
        self.assertEqual(len(self._link_mails()), 1)
        with freeze_time(datetime.combine(TODAY, time(1, 1))):
            self._post("/my/dues/link", {"access_token": expired}, page=page)
        self.assertEqual(len(self._link_mails()), 2)

    def test_fresh_link_to_the_customer_without_invoice_contact(self):
        expired = self._token(expiry=TODAY - timedelta(days=1))
        page = f"/my/dues?access_token={expired}"
        self._post("/my/dues/link", {"access_token": expired}, page=page)
        self.assertEqual(self._link_mails().recipient_ids, self.customer)

    def test_fresh_link_same_answer_for_an_unknown_customer(self):
        expired = self._token(expiry=TODAY - timedelta(days=1))
        page = f"/my/dues?access_token={expired}"
        nobody = portal_rules.make_token(
            self.Portal._sign, 2**31 - 1, self.company.id, TODAY - timedelta(days=1)
        )
        # Not one of our customers (a user's own partner): nothing either.
        internal = self._token(self.invoice_user.partner_id, expiry=TODAY)
        for token in (nobody, "garbage", "", internal):
            with self.subTest(token=token):
                response = self._post(
                    "/my/dues/link", {"access_token": token}, page=page
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("Check your mailbox", response.text)
        self.assertFalse(self._link_mails())
        self.assertFalse(self.invoice_user.partner_id.sudo().dunning_portal_link_sent)

    def test_fresh_link_without_csrf_is_refused(self):
        expired = self._token(expiry=TODAY - timedelta(days=1))
        with mute_logger("odoo.http"):
            response = self._post(
                "/my/dues/link", {"access_token": expired}, csrf=False
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._link_mails())
        self.assertFalse(self.customer.sudo().dunning_portal_link_sent)

    # ------------------------------------------------------------ links made by us

    def test_link_made_by_a_dunning_user(self):
        url = self.contact.with_user(self.dunning_user).get_dunning_portal_url()
        self.assertTrue(url.startswith(f"{self.company.get_base_url()}/my/dues?"))
        token = TOKEN_RE.search(url).group(1)
        # The commercial entity's page, whoever of its contacts it was made for.
        self.assertEqual(
            self._read(token)[:3], (portal_rules.VALID, self.customer, self.company)
        )
        response = self._get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.late.name, page_rows(response.text))
        # Not for employees outside the dunning (invoicing users are dunning
        # users), nor for the customers themselves.
        for user in (self.salesperson, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).get_dunning_portal_url()

    def test_link_over_rpc_for_dunning_users_only(self):
        def call(user):
            return self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                user.id,
                user.login,
                "res.partner",
                "get_dunning_portal_url",
                [self.customer.ids],
                # A context of the caller's choosing decides nothing.
                {"context": {"active_test": False, "su": True}},
            )

        url = call(self.dunning_user)
        self.assertIn("/my/dues?access_token=", url)
        for user in (self.salesperson, self.portal_user):
            with (
                self.subTest(user=user.login),
                mute_logger("odoo.http"),
                self.assertRaises(xmlrpc.client.Fault) as fault,
            ):
                call(user)
            self.assertIn("Only dunning users", fault.exception.faultString)

    def test_reminder_email_and_letter_link_to_the_page(self):
        # The rival's reminders go to its contact who has a portal account.
        self.rival_contact.type = "invoice"
        self.level_1.sudo().channel_letter = True
        run = self._run(TODAY)
        emails = self._sent(run).filtered(lambda action: action.channel == "email")
        by_partner = {action.partner_id: action for action in emails}
        body = by_partner[self.customer].mail_id.body_html
        self.assertIn("See and settle your account", body)
        link = LINK_RE.search(body).group(1)
        token = TOKEN_RE.search(link).group(1)
        self.assertEqual(
            self._read(token)[:3], (portal_rules.VALID, self.customer, self.company)
        )
        self.assertIn(self.late.name, page_rows(self._get(link).text))
        body = by_partner[self.rival].mail_id.body_html
        self.assertEqual(by_partner[self.rival].recipient_id, self.rival_contact)
        self.assertIn("See and settle your account", body)
        self.assertIn(
            f"{self.company.get_base_url()}/my/dues?company_id={self.company.id}",
            LINK_RE.search(body).group(1),
        )
        self.assertNotIn("/my/dues?access_token=", body)
        # The letter prints the link.
        letter = self._sent(run, self.customer).filtered(
            lambda action: action.channel == "letter"
        )
        html = self.env["ir.actions.report"]._render_qweb_html(
            LETTER_REPORT, letter.ids
        )[0]
        self.assertIn(b"See and settle your account online:", html)
        self.assertIn(
            f"{self.company.get_base_url()}/my/dues?access_token=".encode(), html
        )

    # ------------------------------------------------------------ reminders

    def test_reminder_documents_of_the_customer_only(self):
        self.level_1.sudo().write({"channel_letter": True, "channel_sms": True})
        self.customer.mobile = "+33 6 12 34 56 78"
        self.rival.mobile = "+33 6 98 76 54 32"
        run = self._run(TODAY)
        actions = {
            (action.partner_id, action.channel): action for action in self._sent(run)
        }
        email = actions[self.customer, "email"]
        letter = actions[self.customer, "letter"]
        self.authenticate("dubois_portal", "dubois_portal")
        params = f"company_id={self.company.id}"
        response = self._get(f"/my/dues/reminder/{email.id}?{params}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.late.name, response.text)
        response = self._get(f"/my/dues/reminder/{letter.id}?{params}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, letter.letter_attachment_id.raw)
        self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
        # The same with a signed link, not logged in.
        self.authenticate(None, None)
        response = self._get(
            f"/my/dues/reminder/{email.id}?access_token={self._token()}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.late.name, response.text)
        # Not sent, an SMS (no document), another customer's: not found.
        failed = email.sudo().copy({"state": "failed"})
        for action in (
            failed,
            actions[self.customer, "sms"],
            actions[self.rival, "email"],
            actions[self.rival, "letter"],
        ):
            with self.subTest(action=action.id):
                response = self._get(
                    f"/my/dues/reminder/{action.id}?access_token={self._token()}"
                )
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(self.rival_invoice.name, response.text)
        self.authenticate("dubois_portal", "dubois_portal")
        for action_id in (actions[self.rival, "email"].id, failed.id, 2**31 - 1, 2**40):
            with self.subTest(action_id=action_id):
                response = self._get(f"/my/dues/reminder/{action_id}?{params}")
                self.assertEqual(response.status_code, 404)
        # Not logged in, no link: the login page.
        self.authenticate(None, None)
        response = self._get(f"/my/dues/reminder/{email.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
