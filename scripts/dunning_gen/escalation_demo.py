# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's escalation, played after the catch-up runs: the formal notices sent get
their registered letter's proof, one customer's file goes to a collection agency, one
customer enters receivership, one invoice becomes doubtful. Each story in a savepoint:
one that cannot be played (no such customer) is skipped with a line saying why."""

from datetime import timedelta

from odoo import Command


class EscalationStories:
    def __init__(self, env, company, today):
        self.env = env
        self.company = company
        self.today = today
        self.lines = []
        self.used = set()

    def play(self):
        for story in (self._notices, self._handoff, self._insolvency, self._doubtful):
            try:
                with self.env.cr.savepoint():
                    story()
            except Exception as error:  # noqa: BLE001 - the demo goes on, says why
                self.lines.append(f"{story.__name__[1:]}: skipped ({error})")
        return self.lines

    def _overdue_customers(self):
        """Customers with overdue invoices on no hold, most overdue first."""
        items = self.env["account.move.line"].search(
            self.env["account.dunning.eligibility"]._item_domain(
                self.company, overdue_on=self.today, unheld=True
            ),
            order="date_maturity",
        )
        customers = []
        for item in items:
            partner = item.move_id.commercial_partner_id
            if partner.id in self.used or partner in customers:
                continue
            if item.move_id.dunning_disputed:
                continue
            customers.append(partner)
        return customers

    def _notices(self):
        # The formal notices wait for a review: the credit manager sends three.
        reviews = self.env["account.dunning.action"].search(
            [
                ("company_id", "=", self.company.id),
                ("state", "=", "to_review"),
                ("level_id.level_type", "=", "formal_notice"),
            ],
            order="date, id",
        )
        chosen = reviews.partner_id[:3]
        reviews.filtered(lambda action: action.partner_id in chosen).with_company(
            self.company
        ).action_send_reviewed()
        notices = self.env["account.dunning.notice"].search(
            [("company_id", "=", self.company.id), ("state", "=", "to_send")],
            order="date, id",
        )
        for index, notice in enumerate(notices):
            sent = notice.date + timedelta(days=1)
            values = {
                "tracking_number": "1A%011d" % (1234560000 + index),
                "date_sent": min(sent, self.today),
            }
            presented = sent + timedelta(days=2)
            if presented <= self.today:
                values["date_presented"] = presented
                values["date_received"] = presented
            notice.write(values)
            self.used.add(notice.partner_id.id)
        self.lines.append(f"{len(notices)} formal notice(s) sent by registered letter")

    def _handoff(self):
        agency = self.env["res.partner"].create(
            {
                "name": "Recouvrement Express SAS",
                "is_company": True,
                "street": "12 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "country_id": self.env.ref("base.fr").id,
                "dunning_collector_type": "agency",
            }
        )
        customer = self._overdue_customers()[0]
        moves = (
            self.env["account.move.line"]
            .search(
                self.env["account.dunning.eligibility"]._item_domain(
                    self.company, partners=customer, overdue_on=self.today, unheld=True
                )
            )
            .move_id
        )
        handoff = (
            self.env["account.dunning.handoff"]
            .with_company(self.company)
            .create(
                {
                    "partner_id": customer.id,
                    "collector_id": agency.id,
                    "date": self.today,
                    "route": "agency",
                    "commission_rate": 12.0,
                    "move_ids": [Command.set(moves.ids)],
                }
            )
        )
        handoff.action_send()
        self.used.add(customer.id)
        self.lines.append(
            f"{customer.name}: handed off to {agency.name} ({len(moves)} invoice(s), "
            f"{handoff.amount_claimed:.2f} claimed, {handoff.state})"
        )

    def _insolvency(self):
        customer = self._overdue_customers()[0]
        administrator = self.env["res.partner"].create(
            {
                "name": "SELARL Martin & Associés, mandataires judiciaires",
                "is_company": True,
                "email": "mandataire@example.com",
                "city": "Lyon",
            }
        )
        judgment = self.today - timedelta(days=20)
        self.env["account.dunning.insolvency"].with_company(self.company).create(
            {
                "partner_id": customer.id,
                "kind": "receivership",
                "judgment_date": judgment,
                "court": "Tribunal de commerce de Lyon",
                "publication_date": judgment + timedelta(days=10),
                "administrator_id": administrator.id,
            }
        )
        self.used.add(customer.id)
        self.lines.append(f"{customer.name}: in receivership since {judgment}")

    def _doubtful(self):
        customer = self._overdue_customers()[0]
        move = (
            self.env["account.move.line"]
            .search(
                self.env["account.dunning.eligibility"]._item_domain(
                    self.company, partners=customer, overdue_on=self.today, unheld=True
                ),
                limit=1,
                order="date_maturity",
            )
            .move_id
        )
        move.action_mark_doubtful(50.0)
        self.used.add(customer.id)
        self.lines.append(f"{move.name} ({customer.name}): doubtful, written down 50 %")
