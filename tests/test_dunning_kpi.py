# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import EurCompanyCommon, company_user, make_invoice, register_payment

DATE_FROM = date(2024, 1, 1)
DATE_TO = date(2024, 6, 30)


@tagged("post_install", "-at_install")
class TestDunningKpi(EurCompanyCommon):
    """KPIs on a small data set computed by hand.

    Period 1 Jan - 30 Jun 2024 (182 days). Customer K1:
      I1 1,000 dated 10 Jan due 9 Feb, paid 19 Feb (40 days after the invoice
         date, 10 days late)
      I2 2,000 dated 1 Mar due 31 Mar, paid 21 Mar (20 days, 10 days early)
      I3 3,000 dated 15 May due 14 Jun, open
      I4   600 dated 20 Jun due 20 Jul, open (not due on 30 Jun)
    Customer K2:
      I5 1,500 dated 1 Dec 2023 due 31 Dec 2023, paid 30 Apr (151 days, 121 late)
      I6 1,000 dated 20 May due 19 Jun, 400 paid 25 Jun (36 days, 6 late)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, company = cls.env, cls.company
        cls.k1 = env["res.partner"].create({"name": "K1 Boulangerie"})
        cls.k2 = env["res.partner"].create({"name": "K2 Epicerie"})

        def invoice(partner, amount, invoice_date, due):
            return make_invoice(
                env, company, partner, amount, due, invoice_date=invoice_date
            )

        i1 = invoice(cls.k1, 1000.0, date(2024, 1, 10), date(2024, 2, 9))
        register_payment(env, i1, 1000.0, date(2024, 2, 19))
        i2 = invoice(cls.k1, 2000.0, date(2024, 3, 1), date(2024, 3, 31))
        register_payment(env, i2, 2000.0, date(2024, 3, 21))
        invoice(cls.k1, 3000.0, date(2024, 5, 15), date(2024, 6, 14))
        invoice(cls.k1, 600.0, date(2024, 6, 20), date(2024, 7, 20))
        i5 = invoice(cls.k2, 1500.0, date(2023, 12, 1), date(2023, 12, 31))
        register_payment(env, i5, 1500.0, date(2024, 4, 30))
        i6 = invoice(cls.k2, 1000.0, date(2024, 5, 20), date(2024, 6, 19))
        register_payment(env, i6, 400.0, date(2024, 6, 25))
        cls.user = company_user(
            env, "kpi_invoicing", "account.group_account_invoice", company
        )
        cls.kpi = env["account.dunning.kpi"].with_user(cls.user)

    def test_global_kpis(self):
        (row,) = self.kpi.get_kpis(DATE_FROM, DATE_TO, self.company.ids)
        self.assertEqual(row["name"], "Total")
        # Receivable before 1 Jan: I5 1,500. Sales in the period: I1 + I2 + I3 + I4
        # + I6 = 1,000 + 2,000 + 3,000 + 600 + 1,000 = 7,600.
        self.assertEqual(row["receivable_begin"], 1500.0)
        self.assertEqual(row["sales"], 7600.0)
        # Open on 30 Jun: I3 3,000 + I4 600 + I6 600 = 4,200; I4 not due, the rest
        # overdue.
        self.assertEqual(row["receivable_end"], 4200.0)
        self.assertEqual(row["not_due_end"], 600.0)
        self.assertEqual(row["overdue_end"], 3600.0)
        self.assertEqual(row["paid"], 4900.0)
        # DMP = (1,000x40 + 2,000x20 + 1,500x151 + 400x36) / 4,900 = 320,900 / 4,900
        self.assertAlmostEqual(row["dmp"], 320900 / 4900, places=6)
        self.assertAlmostEqual(row["dmp"], 65.49, places=2)
        # Days late = (1,000x10 - 2,000x10 + 1,500x121 + 400x6) / 4,900 = 35.49
        self.assertAlmostEqual(row["days_late"], 173900 / 4900, places=6)
        # Fully paid in the period: I1 (late), I2 (early), I5 (late): 2 of 3.
        self.assertEqual((row["paid_count"], row["paid_late_count"]), (3, 2))
        self.assertAlmostEqual(row["late_share"], 66.666667, places=5)
        # CEI = (1,500 + 7,600 - 4,200) / (1,500 + 7,600 - 600) = 4,900 / 8,500
        self.assertAlmostEqual(row["cei"], 4900 * 100 / 8500, places=6)
        # DSO simple = 4,200 / 7,600 x 182 days = 100.58
        self.assertAlmostEqual(row["dso_simple"], 4200 / 7600 * 182, places=6)
        # Countback: June sales 600 (30 days), 3,600 left; May sales 4,000 cover
        # 3,600 / 4,000 of 31 days = 27.9; DSO = 57.9.
        self.assertAlmostEqual(row["dso"], 57.9, places=6)

    def test_trend(self):
        (row,) = self.kpi.get_kpis(DATE_FROM, DATE_TO, self.company.ids)
        trend = row["trend"]
        self.assertEqual(len(trend), 12)
        self.assertEqual(trend[0]["date"], date(2023, 7, 31))
        self.assertEqual(trend[-1]["date"], DATE_TO)
        overdue = {point["date"]: point["overdue"] for point in trend}
        # I5 is due on 31 Dec: not overdue that day, overdue from January until its
        # payment on 30 Apr; I1 was paid before the end of February.
        self.assertEqual(overdue[date(2023, 12, 31)], 0.0)
        self.assertEqual(overdue[date(2024, 1, 31)], 1500.0)
        self.assertEqual(overdue[date(2024, 2, 29)], 1500.0)
        self.assertEqual(overdue[date(2024, 3, 31)], 1500.0)
        self.assertEqual(overdue[date(2024, 4, 30)], 0.0)
        self.assertEqual(overdue[date(2024, 5, 31)], 0.0)
        self.assertEqual(overdue[DATE_TO], 3600.0)
        self.assertEqual(overdue[date(2023, 7, 31)], 0.0)
        receivable = {point["date"]: point["receivable"] for point in trend}
        # End of January: I5 1,500 + I1 1,000.
        self.assertEqual(receivable[date(2024, 1, 31)], 2500.0)
        self.assertEqual(receivable[DATE_TO], 4200.0)
        dmp = {point["date"]: point["dmp"] for point in trend}
        self.assertEqual(dmp[date(2024, 2, 29)], 40.0)
        self.assertEqual(dmp[date(2024, 3, 31)], 20.0)
        self.assertEqual(dmp[date(2024, 4, 30)], 151.0)
        self.assertEqual(dmp[DATE_TO], 36.0)
        self.assertIs(dmp[date(2024, 5, 31)], False)  # no payment in May
        # At the end of January the receivable 2,500 against January sales 1,000
        # (31 days) then December 1,500 (31 days): DSO 62.
        dso = {point["date"]: point["dso"] for point in trend}
        self.assertAlmostEqual(dso[date(2024, 1, 31)], 62.0, places=6)
        self.assertAlmostEqual(dso[DATE_TO], row["dso"], places=6)

    def test_per_customer(self):
        rows = {
            row["key"]: row
            for row in self.kpi.get_kpis(
                DATE_FROM, DATE_TO, self.company.ids, group_by="partner"
            )
        }
        k1, k2 = rows[self.k1.id], rows[self.k2.id]
        # K1: DMP (1,000x40 + 2,000x20) / 3,000 = 26.67; K2 (1,500x151 + 400x36) /
        # 1,900 = 126.79
        self.assertAlmostEqual(k1["dmp"], 80000 / 3000, places=6)
        self.assertAlmostEqual(k2["dmp"], 240900 / 1900, places=6)
        self.assertEqual(k1["overdue_end"], 3000.0)
        self.assertEqual(k2["overdue_end"], 600.0)
        self.assertEqual(k1["late_share"], 50.0)
        self.assertEqual(k2["late_share"], 100.0)
        # K2 CEI = (1,500 + 1,000 - 600) / (1,500 + 1,000 - 0) = 76 %
        self.assertAlmostEqual(k2["cei"], 76.0, places=6)

    def test_per_salesperson_and_tag(self):
        # The customer's salesperson carries its invoices and its payments alike.
        seller = company_user(
            self.env, "kpi_seller", "sales_team.group_sale_salesman", self.company
        )
        (self.k1 | self.k2).user_id = seller
        (total,) = self.kpi.get_kpis(DATE_FROM, DATE_TO, self.company.ids)
        (by_user,) = self.kpi.get_kpis(
            DATE_FROM, DATE_TO, self.company.ids, group_by="user"
        )
        self.assertEqual(by_user["key"], seller.id)
        for name in ("overdue_end", "receivable_end", "sales", "paid", "dmp", "cei"):
            self.assertAlmostEqual(by_user[name], total[name], places=6, msg=name)
        self.assertEqual(
            [point["overdue"] for point in by_user["trend"]],
            [point["overdue"] for point in total["trend"]],
        )
        self.k2.user_id = False
        rows = {
            row["key"]: row
            for row in self.kpi.get_kpis(
                DATE_FROM, DATE_TO, self.company.ids, group_by="user"
            )
        }
        # K2 has no salesperson: its invoices count for the user who made them;
        # its payments for nobody.
        self.assertEqual(rows[seller.id]["overdue_end"], 3000.0)
        self.assertEqual(rows[self.env.user.id]["overdue_end"], 600.0)
        self.assertEqual(rows[self.env.user.id]["sales"], 1000.0)
        self.assertEqual(rows[False]["receivable_end"], -1900.0)
        tag = self.env["res.partner.category"].create({"name": "Retail"})
        self.k2.category_id = tag
        rows = {
            row["name"]: row
            for row in self.kpi.get_kpis(
                DATE_FROM, DATE_TO, self.company.ids, group_by="category"
            )
        }
        self.assertEqual(set(rows), {"Retail", "No Category"})
        self.assertEqual(rows["Retail"]["overdue_end"], 600.0)
        self.assertEqual(rows["No Category"]["overdue_end"], 3000.0)
        self.assertAlmostEqual(rows["Retail"]["dmp"], 240900 / 1900, places=6)

    def test_other_company_and_bad_input(self):
        user_b = company_user(
            self.env(context=dict(self.env.context, allowed_company_ids=None)),
            "kpi_b",
            "account.group_account_invoice",
            self.env.ref("base.main_company"),
        )
        with self.assertRaises(AccessError):
            self.env["account.dunning.kpi"].with_user(user_b).get_kpis(
                DATE_FROM, DATE_TO, self.company.ids
            )
        with self.assertRaisesRegex(UserError, "after its end"):
            self.kpi.get_kpis(DATE_TO, DATE_FROM, self.company.ids)
        with self.assertRaisesRegex(UserError, "Cannot group"):
            self.kpi.get_kpis(DATE_FROM, DATE_TO, self.company.ids, "country")

    def test_dashboard(self):
        dashboard = (
            self.env["account.dunning.dashboard"]
            .with_user(self.user)
            .create({"date_from": DATE_FROM, "date_to": DATE_TO})
        )
        self.assertIn("Choose how to group", dashboard.kpi_html)
        dashboard.kpi_group_by = "partner"
        self.assertIn("K2 Epicerie", dashboard.kpi_html)
        self.assertEqual(dashboard.overdue_total, 3600.0)
        self.assertEqual(dashboard.receivable_total, 4200.0)
        self.assertAlmostEqual(dashboard.dso, 57.9, places=6)
        self.assertAlmostEqual(dashboard.dmp, 320900 / 4900, places=6)
        self.assertIn("K1 Boulangerie", dashboard.debtors_html)
        # K1 owes the most overdue: first of the top debtors.
        self.assertLess(
            dashboard.debtors_html.index("K1 Boulangerie"),
            dashboard.debtors_html.index("K2 Epicerie"),
        )
        self.assertIn("Over 120", dashboard.buckets_html)
        action = dashboard.action_open_aging()
        self.assertEqual(action["context"]["aging_date"], "2024-06-30")
