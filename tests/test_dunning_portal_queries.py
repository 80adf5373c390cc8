# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer page's values: a query count that does not grow with the items."""

import logging
from datetime import date

from odoo import Command
from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon, two_instalment_term
from .test_dunning_portal import NBSP, usd

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestDunningPortalQueries(DunningCommon):
    """The page's values cost as many queries for 1 invoice as for 20: each invoice
    in two instalments, reminded, disputed in part, with penalties accrued."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term = two_instalment_term(cls.env, 50.0, 30)
        # All customers first, then one run and the disputes for all.
        cls.customers = {
            count: cls._customer(f"Measured {count}") for count in (3, 1, 20)
        }
        invoices = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": date(2024, 4, 1),
                    "invoice_payment_term_id": cls.term.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Works", "price_unit": 200.0, "tax_ids": []}
                        )
                    ],
                }
                for count, customer in cls.customers.items()
                for _index in range(count)
            ]
        )
        invoices.action_post()
        with freeze_time(TODAY):
            run = cls.env["account.dunning.run"].create(
                {"company_id": cls.company.id, "date": TODAY}
            )
            run.action_compute()
            run.action_execute()
            cls.env["account.dunning.dispute"].create(
                [
                    {"move_id": invoice.id, "reason": "price", "amount": 30.0}
                    for invoice in invoices
                ]
            )

    def _values(self, count):
        # As the controller calls it: for a visitor with a signed link.
        portal = self.env["account.dunning.portal"].with_user(
            self.env.ref("base.public_user")
        )
        return portal._page_values(self.customers[count], self.company)

    def _count(self, count):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        values = self._values(count)
        self.env.flush_all()
        return self.cr.sql_log_count - start, values

    @freeze_time(TODAY)
    def test_page_values_do_not_grow_with_the_items(self):
        # Warm the caches (lang, rates, access tokens) the same way for all.
        for count in self.customers:
            self._count(count)
        queries, values = self._count(1)
        self.assertEqual(len(values["rows"]), 2)
        self.assertEqual(len(values["disputes"]), 1)
        self.assertTrue(values["reminders"])
        self.assertTrue(all(row["interest"] for row in values["rows"]))
        self.assertTrue(all(row["reminder"] for row in values["rows"]))
        self.assertEqual(
            [row["name"][-5:] for row in values["rows"]], ["(1/2)", "(2/2)"]
        )
        for count in (1, 20):
            with self.subTest(count=count), self.assertQueryCount(queries):
                self.env.invalidate_all()
                values = self._values(count)
                self.env.flush_all()
            self.assertEqual(len(values["rows"]), 2 * count)
            self.assertEqual(len(values["disputes"]), count)
        # 20 invoices x 200.00, 30.00 of each disputed.
        self.assertEqual(
            values["totals"][0]["amount_due"], usd(4000).replace(" ", NBSP)
        )
        self.assertEqual(
            sum(1 for row in values["rows"] if row["disputed"] == f"${NBSP}30.00"), 20
        )
        _logger.info("customer page values: %s queries for 1 and 20 invoices", queries)
