# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer page over HTTP: who sees what."""

from datetime import date, timedelta

from lxml import html

from odoo import Command
from odoo.tests import freeze_time, tagged

from .common import TODAY, instalment_invoice, make_invoice, two_instalment_term
from .portal_common import PortalCommon


def page_rows(text):
    """{first cell (invoice name): [cell texts]} of the page's open items."""
    tree = html.fromstring(text)
    rows = {}
    for row in tree.xpath(
        "//tr[contains(concat(' ', @class, ' '), ' o_dunning_item ')]"
    ):
        cells = [" ".join(cell.text_content().split()) for cell in row.xpath("./td")]
        rows[cells[0]] = cells
    return rows


def page_moves(text):
    """The ids of the invoices the page lists."""
    tree = html.fromstring(text)
    return {
        int(move_id)
        for move_id in tree.xpath(
            "//tr[contains(concat(' ', @class, ' '), ' o_dunning_item ')]/@data-move-id"
        )
    }


def page_totals(text):
    """{currency name: text of its total card}."""
    tree = html.fromstring(text)
    totals = {}
    for card in tree.xpath(
        "//div[hasclass('o_dunning_totals')]//div[hasclass('card')]"
    ):
        body = " ".join(card.text_content().split())
        currency = body.split("(", 1)[1].split(")", 1)[0]
        totals[currency] = body
    return totals


NBSP = "\N{NO-BREAK SPACE}"


def usd(amount):
    return f"$ {amount:,.2f}"


@tagged("post_install", "-at_install")
class TestDunningPortalPage(PortalCommon):
    def _page(self, url="/my/dues", login="dubois_portal"):
        if login:
            self.authenticate(login, login)
        response = self._get(url)
        self.assertEqual(response.status_code, 200, response.text[:2000])
        return response.text

    def test_portal_user_sees_its_entity_open_items_only(self):
        # Invoiced to the portal user's contact, to another contact of its
        # company: the commercial entity's items; not the paid, draft or refunds.
        other_contact = self.env["res.partner"].create(
            {"name": "Jean Dubois", "parent_id": self.customer.id}
        )
        to_contact = self._invoice(self.contact, 250.0, date(2024, 6, 1))
        to_other = self._invoice(other_contact, 125.5, date(2024, 6, 20))
        paid = self._invoice(self.customer, 80.0, date(2024, 6, 1))
        self._pay(paid, 80.0, date(2024, 6, 10))
        draft = self._invoice(self.customer, 90.0, date(2024, 6, 1), post=False)
        refund = self._invoice(
            self.customer, 70.0, date(2024, 6, 1), move_type="out_refund"
        )
        rows = page_rows(self._page())
        self.assertEqual(
            set(rows),
            {
                self.late.name,
                self.recent.name,
                self.future.name,
                to_contact.name,
                to_other.name,
            },
        )
        self.assertNotIn(self.rival_invoice.name, rows)
        for absent in (paid, refund):
            self.assertNotIn(absent.name, rows)
        self.assertFalse(draft.name and draft.name in rows)
        # Invoice, date, due date, days late, amount, amount due.
        self.assertEqual(
            rows[self.late.name][:6],
            [self.late.name, "04/01/2024", "05/01/2024", "61", usd(1000), usd(1000)],
        )
        self.assertEqual(rows[self.recent.name][3:6], ["16", usd(600), usd(600)])
        self.assertEqual(rows[self.future.name][3:6], ["", usd(400), usd(400)])
        # Each row links to the invoice's own portal page (Odoo's pay button).
        self.assertIn(
            f"/my/invoices/{self.late.id}?access_token=", self._get("/my/dues").text
        )

    def test_partial_payment_and_totals_per_currency(self):
        self._pay(self.late, 333.33, date(2024, 6, 1))
        eur = self.setup_other_currency("EUR")
        in_eur = make_invoice(
            self.env, self.company, self.customer, 250.25, date(2024, 6, 1), eur
        )
        text = self._page()
        rows = page_rows(text)
        self.assertEqual(rows[self.late.name][4:6], [usd(1000), usd(666.67)])
        self.assertEqual(rows[in_eur.name][4:6], ["250.25 €", "250.25 €"])
        totals = page_totals(text)
        self.assertEqual(set(totals), {"EUR", "USD"})
        # 666.67 + 600.00 + 400.00; overdue: 666.67 + 600.00.
        self.assertIn(
            f"Total due (USD) {usd(1666.67)} Overdue: {usd(1266.67)}", totals["USD"]
        )
        self.assertIn("Total due (EUR) 250.25 € Overdue: 250.25 €", totals["EUR"])
        # The payment forms hook on each currency's card.
        tree = html.fromstring(text)
        hooks = tree.xpath(
            "//div[hasclass('o_dunning_total_actions')]/@data-currency-id"
        )
        self.assertEqual(
            sorted(hooks),
            sorted(str(currency.id) for currency in (eur, self.company.currency_id)),
        )
        self.assertEqual(len(tree.xpath("//td[hasclass('o_dunning_item_actions')]")), 4)
        self.assertEqual(len(tree.xpath("//div[@id='dunning_actions']")), 1)
        self.assertEqual(len(tree.xpath("//div[@id='dunning_forms']")), 1)

    def test_reminder_level_and_date_after_a_run(self):
        run = self._run(TODAY)
        self.assertTrue(self._sent(run, self.customer))
        item = self.late.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        level = item.sudo().dunning_level_id
        self.assertTrue(level)
        text = self._page()
        rows = page_rows(text)
        self.assertIn(f"{level.name} sent on 07/01/2024", rows[self.late.name][6])
        self.assertNotIn("sent on", rows[self.future.name][6])
        # The reminders received, with a link to the email.
        tree = html.fromstring(text)
        reminders = tree.xpath("//div[hasclass('o_dunning_reminders')]//tbody/tr")
        email = self._sent(run, self.customer).filtered(
            lambda action: action.channel == "email"
        )
        self.assertEqual(len(reminders), 1)
        cells = [" ".join(cell.text_content().split()) for cell in reminders[0]]
        self.assertEqual(cells, ["07/01/2024", "Email", level.name, "Open"])
        self.assertEqual(
            reminders[0].xpath(".//a/@href"),
            [f"/my/dues/reminder/{email.id}?company_id={self.company.id}"],
        )

    def test_penalties_accrued_and_provisional(self):
        text = self._page()
        rows = page_rows(text)
        # Business rate, ECB + 10 points: 1,000.00 x 14.50 % x 60 / 365 = 23.84
        # (2 May-30 June) + 1,000.00 x 14.25 % x 1 / 365 = 0.39 (1 July).
        self.assertEqual(rows[self.late.name][7:9], [usd(24.23), usd(40)])
        # 600.00 x 14.50 % x 15 / 365 = 3.58 + 600.00 x 14.25 % / 365 = 0.23.
        self.assertEqual(rows[self.recent.name][7:9], [usd(3.81), usd(40)])
        self.assertEqual(rows[self.future.name][7:9], ["", ""])
        # As the invoice itself and its reminders compute them.
        self.assertEqual(self.late.dunning_interest_amount, 24.23)
        totals = page_totals(text)["USD"]
        self.assertIn(f"Late interest accrued: {usd(28.04)}", totals)
        self.assertIn(f"Recovery indemnity: {usd(80)}", totals)
        self.assertNotIn("(provisional)", text)
        # The ECB rate of 2024 H2 not published yet: July's day is provisional.
        self.env.ref("account_dunning.rate_series_ecb_mro").sudo().known_until = date(
            2024, 6, 30
        )
        text = self._get("/my/dues").text
        rows = page_rows(text)
        # The same amounts, marked: 1 July's rate is not final.
        self.assertEqual(rows[self.late.name][7], f"{usd(24.23)} (provisional)")
        self.assertEqual(rows[self.recent.name][7], f"{usd(3.81)} (provisional)")
        self.assertEqual(rows[self.future.name][7], "")
        self.assertIn("the rate of the current period is not published yet", text)

    def test_penalties_billed_or_waived_are_not_shown_again(self):
        with freeze_time(TODAY):
            action = self.late.with_user(
                self.invoice_user
            ).action_dunning_bill_penalties()
            self.recent.with_user(self.dunning_manager).action_dunning_waive_penalties(
                "Goodwill"
            )
        penalty = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(penalty.amount_total, 64.23)
        text = self._page()
        rows = page_rows(text)
        # Billed: the penalty invoice is due, the late invoice claims nothing more;
        # waived: nothing to pay. No penalty is left to show.
        self.assertEqual(rows[penalty.name][5], usd(64.23))
        self.assertNotIn("Late interest", text)
        self.assertNotIn("Recovery indemnity", text)
        self.assertEqual(len(rows[self.late.name]), 8)
        # Accrued again from the next day.
        with freeze_time(TODAY + timedelta(days=1)):
            rows = page_rows(self._get("/my/dues").text)
        # 1,000.00 x 14.25 % x 1 / 365 = 0.39 and 600.00 x 14.25 % / 365 = 0.23;
        # the indemnities were billed and waived.
        self.assertEqual(rows[self.late.name][7], usd(0.39))
        self.assertEqual(rows[self.recent.name][7], usd(0.23))
        self.assertEqual(len(rows[self.late.name]), 9)
        self.assertNotIn("Goodwill", self._get("/my/dues").text)

    def test_reminders_claim_what_the_page_shows(self):
        """A reminder after a penalty invoice claims the days since, as the page."""
        with freeze_time(TODAY):
            self.late.with_user(self.invoice_user).action_dunning_bill_penalties()
        action = (
            self.env["account.dunning.action"]
            .sudo()
            .create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.customer.id,
                    "channel": "email",
                    "state": "sent",
                    "date": TODAY + timedelta(days=1),
                }
            )
        )
        items = (self.late | self.recent).line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        interest, indemnity, _provisional = action._penalties_by_item(items)
        late_item = items.filtered(lambda item: item.move_id == self.late)
        # Billed up to 2024-07-01: one day since, 1,000.00 x 14.25 % / 365 = 0.39,
        # and its indemnity billed; the recent invoice: not billed, its own 40.00.
        self.assertAlmostEqual(interest[late_item.id], 0.39, places=2)
        self.assertNotIn(self.late.id, indemnity)
        self.assertEqual(indemnity[self.recent.id], 40.0)

    def test_instalments_are_numbered(self):
        term = two_instalment_term(self.env, 50.0, 30)
        invoice = instalment_invoice(
            self.env, self.customer, 900.0, date(2024, 6, 1), term
        )
        rows = page_rows(self._page())
        first, second = f"{invoice.name} (1/2)", f"{invoice.name} (2/2)"
        # The amount of each instalment is its own part of the invoice.
        self.assertEqual(rows[first][2:6], ["06/01/2024", "30", usd(450), usd(450)])
        self.assertEqual(rows[second][2:6], ["07/01/2024", "", usd(450), usd(450)])
        self.assertNotIn(invoice.name, rows)

    def test_payments_due_card_and_counter(self):
        self.authenticate("dubois_portal", "dubois_portal")
        home = self._get("/my").text
        self.assertIn('data-placeholder_count="dunning_due_count"', home)
        self.assertIn("Payments Due", home)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["dunning_due_count"]}
        )
        self.assertEqual(counters["dunning_due_count"], 3)
        self.authenticate("martin_portal", "martin_portal")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["dunning_due_count"]}
        )
        self.assertEqual(counters["dunning_due_count"], 1)

    def test_not_logged_in_goes_to_login(self):
        response = self._get("/my/dues", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_nothing_internal_reaches_the_page(self):
        owner = self.env["res.users"].browse(self.dunning_manager.id)
        owner.name = "Wilhelmina Owner"
        self.late.sudo().write(
            {"dunning_excluded": True, "dunning_exclusion_reason": "Zanzibar deal"}
        )
        self.customer.sudo().write(
            {"dunning_blocked": True, "dunning_block_reason": "Quokka overdue rule"}
        )
        self.env["account.dunning.dispute"].with_user(self.invoice_user).create(
            {
                "move_id": self.recent.id,
                "reason": "price",
                "amount": 100.0,
                "description": "Xylophone internal remark",
                "user_id": owner.id,
            }
        )
        self.env["account.dunning.promise"].with_user(self.invoice_user).create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(self.future.ids)],
                "date": date(2024, 7, 20),
                "source": "phone",
                "note": "Marmalade internal note",
                "user_id": owner.id,
            }
        )
        text = self._page()
        # The records themselves are on the page, in the customer's words.
        self.assertIn("o_dunning_disputes", text)
        self.assertIn("o_dunning_promises", text)
        self.assertIn(self.late.name, page_rows(text))
        for internal in (
            "Zanzibar",
            "Quokka",
            "Xylophone",
            "Marmalade",
            "Wilhelmina",
            "Handled by",
        ):
            self.assertNotIn(internal, text)
        # The owner only when the company shows it.
        self.company.dunning_portal_show_owner = True
        text = self._get("/my/dues").text
        self.assertIn("Handled by Wilhelmina Owner", text)
        for internal in ("Zanzibar", "Quokka", "Xylophone", "Marmalade"):
            self.assertNotIn(internal, text)
