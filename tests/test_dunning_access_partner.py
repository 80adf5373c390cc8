"""The customer's block and policy, and the sales order confirmation, hold for users
who must not pass them (issue "Close the access holes")."""

from contextlib import nullcontext
from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from ..models.sale_order import SaleOrder
from .common import TODAY, DunningCommon, company_user


def _step_over(name):
    """This addon's override of ``name`` on sales orders, stepped over: Odoo's."""

    def method(self, *args, **kwargs):
        return getattr(super(SaleOrder, self), name)(*args, **kwargs)

    return method


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningAccessPartner(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An employee who may edit contacts, and nothing of sales or accounting.
        cls.contact_editor = company_user(
            cls.env,
            "access_contact_editor",
            "base.group_user,base.group_partner_manager",
            cls.company,
        )
        cls.salesman = company_user(
            cls.env,
            "access_salesman",
            "sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
            cls.company,
        )
        cls.overrider = company_user(
            cls.env,
            "access_overrider",
            "sales_team.group_sale_salesman_all_leads,"
            "account_dunning.group_dunning_block_override",
            cls.company,
        )
        cls.customer.with_user(cls.dunning_manager).action_dunning_block(
            "Legal dispute"
        )
        cls.good_customer = cls._customer("Martin SA")
        # Choosing a customer's policy takes a dunning manager who may edit contacts.
        cls.policy_manager = company_user(
            cls.env,
            "access_policy_manager",
            "account.group_account_invoice,account_dunning.group_dunning_manager,"
            "base.group_partner_manager",
            cls.company,
        )

    def _block_state(self, partner=None):
        partner = (partner or self.customer).with_company(self.company)
        partner.invalidate_recordset()
        return (
            partner.dunning_blocked,
            partner.dunning_block_reason,
            partner.dunning_block_manual,
            partner.dunning_next_action_date,
            len(partner.sudo().dunning_block_ids),
        )

    def _quotation(self, partner, user, invoice_partner=None):
        values = {
            "partner_id": partner.id,
            "company_id": self.company.id,
            "order_line": [
                Command.create({"product_id": self.product_a.id, "product_uom_qty": 1})
            ],
        }
        if invoice_partner:
            values["partner_invoice_id"] = invoice_partner.id
        return self.env["sale.order"].with_user(user).create(values)

    # ------------------------------------------------------------ the block

    def test_employee_cannot_lift_or_forge_a_block(self):
        before = self._block_state()
        customer = self.customer.with_user(self.contact_editor).with_company(
            self.company
        )
        forged = {
            "dunning_blocked": False,
            "dunning_block_reason": "Paid, trust me",
            "dunning_block_manual": False,
            "dunning_block_overdue": 1.0,
            "dunning_block_oldest_invoice": "NONE",
            "dunning_block_oldest_due": TODAY,
            "dunning_next_action_date": TODAY + timedelta(days=365),
            "dunning_level_id": self.notice.id,
        }
        for name, value in forged.items():
            with self.subTest(field=name), self.assertRaises(AccessError):
                customer.write({name: value})
        self.assertEqual(self._block_state(), before, "nothing changed")
        # The web client or an integration writing back what it read is no change.
        customer.write({"dunning_blocked": True, "name": "Dubois SARL (Lyon)"})
        self.assertEqual(self.customer.name, "Dubois SARL (Lyon)")
        # A contact cannot be created blocked or unblocked by hand either.
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.contact_editor).create(
                {"name": "Forged", "dunning_blocked": True}
            )
        # Nor the history rewritten through the customer.
        with self.assertRaises(AccessError):
            customer.write({"dunning_block_ids": [Command.clear()]})
        self.assertEqual(self._block_state(), before)

    def test_context_defaults_decide_nothing_at_creation(self):
        """``default_<field>`` keys of the context are applied by create after the
        values are checked: they count as given."""
        Partner = self.env["res.partner"].with_user(self.contact_editor)
        for name, value in (
            ("dunning_blocked", True),
            ("dunning_block_reason", "Forged"),
            ("dunning_next_action_date", TODAY),
            ("dunning_policy_id", self.policy.id),
        ):
            with self.subTest(field=name), self.assertRaises(AccessError):
                Partner.with_context(**{f"default_{name}": value}).create(
                    {"name": "Forged"}
                )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Forged")]))
        # A context default equal to the field's own default is no change.
        partner = Partner.with_context(default_dunning_blocked=False).create(
            {"name": "Plain"}
        )
        self.assertFalse(partner.with_company(self.company).dunning_blocked)

    def test_salesman_and_invoicing_user_cannot_unblock(self):
        before = self._block_state()
        for user in (self.salesman, self.invoice_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).action_dunning_unblock("Please")
        self.assertEqual(self._block_state(), before)

    def test_manager_unblocks_with_a_reason(self):
        with self.assertRaises(UserError):
            self.customer.with_user(self.dunning_manager).action_dunning_unblock(" ")
        self.customer.with_user(self.dunning_manager).action_dunning_unblock(
            "Settled by phone"
        )
        blocked, reason, manual, _next, history = self._block_state()
        self.assertEqual((blocked, reason, manual), (False, False, False))
        self.assertEqual(history, 2)
        last = self.customer.sudo().dunning_block_ids[:1]
        self.assertEqual(
            (last.action, last.mode, last.reason, last.user_id),
            ("unblock", "manual", "Settled by phone", self.dunning_manager),
        )

    def test_merging_contacts_keeps_the_block_with_its_history(self):
        """Odoo's merge copies the stored values of the contacts merged away, the
        blocks included: run by an employee, it is not refused, and a block set by
        hand on a merged contact holds on the one that stays, with its history."""
        duplicate = self._customer("Dubois Lyon")
        clean = self._customer("Dubois Paris")
        survivor = self._customer("Dubois")
        (duplicate | clean | survivor).email = "dubois.sarl@example.com"
        quotation = self._quotation(clean, self.salesman)
        self.assertFalse(quotation.dunning_partner_blocked)
        # The survivor is blocked by a rule; the duplicate, by hand.
        self.policy.sudo().block_days_late = 30
        self._invoice(survivor, 300.0, TODAY - timedelta(days=45))
        survivor._dunning_check_block(self.company)
        duplicate.with_user(self.dunning_manager).action_dunning_block("Cheques bounce")
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.contact_editor)
            .create(
                {
                    "partner_ids": [Command.set((duplicate | clean | survivor).ids)],
                    "dst_partner_id": survivor.id,
                }
            )
        )
        wizard.action_merge()
        self.assertFalse((duplicate | clean).exists())
        # The quotation moved to the blocked survivor: it cannot be confirmed.
        self.assertEqual(quotation.partner_id, survivor)
        self.assertTrue(quotation.dunning_partner_blocked)
        with self.assertRaises(UserError):
            quotation.action_confirm()
        blocked, reason, manual, _next, history = self._block_state(survivor)
        self.assertEqual(
            (blocked, reason, manual), (True, "Cheques bounce (merged contact)", True)
        )
        self.assertEqual(
            sorted(survivor.sudo().dunning_block_ids.mapped("reason")),
            [
                "Cheques bounce",
                "Cheques bounce (merged contact)",
                "an invoice more than 30 days late",
            ],
        )

    # ------------------------------------------------------------ the policy

    def test_policy_chosen_by_managers_only(self):
        strict = self.policy.sudo().copy({"name": "Strict"})
        customer = self.good_customer.with_company(self.company)
        for user in (self.contact_editor, self.salesman, self.invoice_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                customer.with_user(user).dunning_policy_id = strict
        self.assertFalse(customer.dunning_policy_id)
        customer.with_user(self.policy_manager).dunning_policy_id = strict
        self.assertEqual(customer.dunning_policy_id, strict)
        # A duplicated contact does not take the policy, so anyone can duplicate it.
        copy = customer.with_user(self.contact_editor).copy()
        self.assertFalse(copy.with_company(self.company).dunning_policy_id)

    def test_policy_of_another_company_or_missing_refused(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        self.policy_manager.sudo().company_ids |= company_b
        customer = self.good_customer.with_user(self.policy_manager).with_company(
            self.company
        )
        for policy_id in (company_b.dunning_policy_id.id, 987654321):
            with self.subTest(policy=policy_id), self.assertRaises(ValidationError):
                customer.write({"dunning_policy_id": policy_id})
        self.assertFalse(
            self.good_customer.with_company(self.company).dunning_policy_id
        )
        # Each company keeps its own policy for the same customer.
        customer.with_company(company_b).dunning_policy_id = company_b.dunning_policy_id
        self.assertEqual(
            self.good_customer.with_company(company_b).dunning_policy_id,
            company_b.dunning_policy_id,
        )

    def test_invalid_stored_policy_is_cleaned_at_upgrade(self):
        """A value left by an older version is dropped; the run reaches the customer."""
        self._invoice(self.good_customer, 100.0, TODAY - timedelta(days=10))
        company = str(self.company.id)
        self.env.cr.execute(
            "UPDATE res_partner SET dunning_policy_id = jsonb_build_object(%s, 999999)"
            " WHERE id = %s",
            [company, self.good_customer.id],
        )
        self.env["res.partner"].init()
        self.env.cr.execute(
            "SELECT dunning_policy_id FROM res_partner WHERE id = %s",
            [self.good_customer.id],
        )
        self.assertIsNone(self.env.cr.fetchone()[0])
        self.good_customer.invalidate_recordset()
        run = self._run(TODAY)
        self.assertTrue(self._sent(run, self.good_customer))

    # --------------------------------------------------- sales confirmation

    def test_salesman_cannot_skip_the_check(self):
        order = self._quotation(self.customer, self.salesman)
        for context in (
            {"dunning_skip_block_check": True},
            {"dunning_blocked_order_ids": []},
        ):
            with self.subTest(context=context), self.assertRaises(UserError):
                order.with_context(**context).action_confirm()
        # Nor by writing the state, which Odoo's confirmation does.
        with self.assertRaisesRegex(UserError, "Legal dispute"):
            order.write({"state": "sale"})
        self.assertEqual(order.state, "draft")
        with self.assertRaises(AccessError):
            order.write({"dunning_block_overridden": True})
        self.assertFalse(order.sudo().dunning_block_overridden)
        self.assertEqual(len(self.customer.sudo().dunning_block_ids), 1)

    def test_no_other_way_to_a_confirmed_order(self):
        """What is checked is what is written, on create and write alike."""
        order = self._quotation(self.good_customer, self.salesman)
        # The flag the check reads is the ORM's.
        with self.assertRaises(AccessError):
            self._quotation(self.customer, self.salesman).write(
                {"dunning_partner_blocked": False}
            )
        Order = self.env["sale.order"].with_user(self.salesman)
        values = {"partner_id": self.customer.id, "company_id": self.company.id}
        for context, extra in (
            ({"default_dunning_partner_blocked": False}, {}),
            ({}, {"dunning_block_overridden": True}),
        ):
            with self.subTest(context=context, extra=extra):
                with self.assertRaises(AccessError):
                    Order.with_context(**context).create({**values, **extra})
        # Confirmed at creation, by the values or by the context.
        for context, extra in (
            ({}, {"state": "sale"}),
            ({"default_state": "sale"}, {}),
        ):
            with self.subTest(context=context, extra=extra):
                with self.assertRaisesRegex(UserError, "Legal dispute"):
                    Order.with_context(**context).create({**values, **extra})
        # Confirmed and moved to the blocked customer in one write.
        with self.assertRaisesRegex(UserError, "Legal dispute"):
            order.write(
                {
                    "state": "sale",
                    "partner_id": self.customer.id,
                    "partner_invoice_id": self.customer.id,
                }
            )
        self.assertEqual((order.state, order.partner_id), ("draft", self.good_customer))
        # Cancelled, then written back to confirmed.
        blocked_order = self._quotation(self.customer, self.salesman)
        blocked_order.action_cancel()
        with self.assertRaisesRegex(UserError, "Legal dispute"):
            blocked_order.write({"state": "sale"})
        # Confirmed for a customer in good standing, then moved to the blocked one.
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "Legal dispute"):
            order.write({"partner_invoice_id": self.customer.id})
        self.assertEqual(order.partner_invoice_id, self.good_customer)
        self.assertEqual(len(self.customer.sudo().dunning_block_ids), 1)
        # The override group may, and each time it is recorded.
        created = (
            self.env["sale.order"]
            .with_user(self.overrider)
            .create({**values, "state": "sale"})
        )
        self.assertTrue(created.sudo().dunning_block_overridden)
        self.assertEqual(
            self.env["account.dunning.block"]
            .search([("sale_order_id", "=", created.id)])
            .action,
            "override",
        )

    def test_blocked_invoice_address_refused(self):
        """The customer billed counts: a blocked company only as invoice address."""
        contact = self.env["res.partner"].create(
            {"name": "Shop floor", "parent_id": self.good_customer.id}
        )
        for partner in (self.good_customer, contact):
            order = self._quotation(partner, self.salesman, self.customer)
            with self.subTest(partner=partner.name):
                self.assertTrue(order.dunning_partner_blocked)
                with self.assertRaisesRegex(UserError, "Dubois SARL"):
                    order.action_confirm()
                self.assertEqual(order.state, "draft")
        # A contact of the blocked customer billed to a customer in good standing:
        # the customer of the order is blocked all the same.
        blocked_contact = self.env["res.partner"].create(
            {"name": "Accounts", "parent_id": self.customer.id}
        )
        billed_elsewhere = self._quotation(
            blocked_contact, self.salesman, self.good_customer
        )
        with self.assertRaises(UserError):
            billed_elsewhere.action_confirm()
        fine = self._quotation(self.good_customer, self.salesman, contact)
        fine.action_confirm()
        self.assertEqual(fine.state, "sale")
        self.assertFalse(fine.sudo().dunning_block_overridden)

    def test_override_group_confirms_and_is_recorded(self):
        for confirm in ("action_confirm", "write"):
            order = self._quotation(self.customer, self.overrider)
            with self.subTest(confirm=confirm):
                if confirm == "write":
                    order.write({"state": "sale"})
                else:
                    order.action_confirm()
                self.assertEqual(order.state, "sale")
                self.assertTrue(order.sudo().dunning_block_overridden)
                override = self.env["account.dunning.block"].search(
                    [("sale_order_id", "=", order.id)]
                )
                self.assertEqual(
                    (override.action, override.user_id, override.partner_id),
                    ("override", self.overrider, self.customer),
                )

    def test_a_block_set_in_the_same_transaction_counts(self):
        order = self._quotation(self.good_customer, self.salesman)
        self.assertFalse(order.dunning_partner_blocked)
        self.good_customer.with_user(self.invoice_user).action_dunning_block("Fraud")
        with self.assertRaisesRegex(UserError, "Fraud"):
            order.action_confirm()

    def test_confirmation_check_costs_no_query(self):
        """The block is read with the order's own row: confirming 1 or 20 orders
        runs as many queries with the rule as with Odoo's confirmation alone."""
        # A warm-up round of each (ORM caches of groups, subtypes...), then the
        # measured rounds.
        rounds = [(True, 1), (False, 1)] + [
            (with_rule, count) for with_rule in (True, False) for count in (1, 20)
        ]
        customers = self.env["res.partner"].create(
            [
                {"name": f"Batch {index}", "is_company": True}
                for index in range(sum(count for _rule, count in rounds))
            ]
        )
        queries = {}
        for with_rule, count in rounds:
            batch, customers = customers[:count], customers[count:]
            orders = self.env["sale.order"].with_user(self.salesman).browse()
            for customer in batch:
                orders |= self._quotation(customer, self.salesman)
            self.env.flush_all()
            self.env.invalidate_all()
            rule = (
                nullcontext()
                if with_rule
                else patch.multiple(
                    SaleOrder,
                    write=_step_over("write"),
                    _confirmation_error_message=_step_over(
                        "_confirmation_error_message"
                    ),
                )
            )
            with rule:
                before = self.env.cr.sql_log_count
                orders.action_confirm()
                self.env.flush_all()
                queries[with_rule, count] = self.env.cr.sql_log_count - before
            self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(queries[True, 1], queries[False, 1], queries)
        self.assertEqual(queries[True, 20], queries[False, 20], queries)
