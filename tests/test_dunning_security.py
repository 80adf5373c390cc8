from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import TODAY, DunningCommon, company_user


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningSecurity(DunningCommon):
    def test_invoicing_user_runs_but_cannot_configure(self):
        self._invoice(self.customer, 100.0, TODAY - timedelta(days=10))
        run = self._run(TODAY, user=self.invoice_user)
        self.assertEqual(run.state, "done")
        self.assertTrue(run.with_user(self.invoice_user).action_ids)
        policy = self.policy.with_user(self.invoice_user)
        self.assertTrue(policy.level_ids, "can read the policy")
        with self.assertRaises(AccessError):
            policy.name = "Changed"
        with self.assertRaises(AccessError):
            self.level_1.with_user(self.invoice_user).delay = 8
        with self.assertRaises(AccessError):
            self.level_1.with_user(self.invoice_user).fallback_channel = "sms"
        self.assertEqual(self.level_1.fallback_channel, "letter")
        with self.assertRaises(AccessError):
            self.env["account.dunning.policy"].with_user(self.invoice_user).create(
                {"name": "Mine"}
            )
        invoice = self._invoice(self.customer, 100.0, TODAY)
        with self.assertRaises(AccessError):
            invoice.with_user(self.invoice_user).write(
                {"dunning_excluded": True, "dunning_exclusion_reason": "No"}
            )
        self.policy.with_user(self.dunning_manager).name = "Changed by the manager"

    def test_user_without_accounting_rights_cannot_run(self):
        portal_like = new_test_user(
            self.env, login="dunning_nobody", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.env["account.dunning.run"].with_user(portal_like).create(
                {"company_id": self.company.id}
            )

    def test_company_b_sees_nothing_of_company_a(self):
        self._invoice(self.customer, 100.0, TODAY - timedelta(days=10))
        self._run(TODAY)
        company_b = self.setup_other_company(name="Company B")["company"]
        user_b = company_user(
            self.env, "dunning_user_b", "account.group_account_invoice", company_b
        )
        for model in (
            "account.dunning.policy",
            "account.dunning.level",
            "account.dunning.run",
            "account.dunning.run.line",
            "account.dunning.action",
        ):
            records = self.env[model].with_user(user_b).search([])
            self.assertFalse(
                records.filtered(lambda r: r.company_id == self.company), model
            )
        self.assertEqual(
            self.env["account.dunning.policy"].with_user(user_b).search([]),
            company_b.dunning_policy_id,
        )
        run_a = self.env["account.dunning.run"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        with self.assertRaises(AccessError):
            run_a.with_user(user_b).read(["state"])
