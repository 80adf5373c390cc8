from contextlib import contextmanager
from datetime import date, timedelta

from odoo import Command
from odoo.tests import freeze_time, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# Every test works on fixed dates, far from the real today, with time frozen here.
TODAY = date(2024, 7, 1)


def make_invoice(
    env,
    company,
    partner,
    amount,
    due,
    currency=None,
    move_type="out_invoice",
    post=True,
    invoice_date=None,
):
    """A customer invoice (or refund, or bill) of one untaxed line, due on ``due``."""
    move = (
        env["account.move"]
        .with_company(company)
        .create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": invoice_date or due - timedelta(days=30),
                "invoice_date_due": due,
                "currency_id": (currency or company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
    )
    if post:
        move.action_post()
    return move


@contextmanager
def offline_report_assets(env):
    """Render real PDFs in a test run: wkhtmltopdf fetches the report's stylesheets over
    HTTP from ``report.url`` (else ``web.base.url``, which the tours point at the test
    server), and the test server cannot answer while the runner holds the registry's
    lock: wkhtmltopdf would wait for ever. A closed port makes it render the PDF without
    them at once (its exit code 1, which Odoo accepts)."""
    params = env["ir.config_parameter"].sudo()
    before = params.get_param("report.url")
    params.set_param("report.url", "http://127.0.0.1:9")
    try:
        yield
    finally:
        params.set_param("report.url", before or False)


def render_pdf(env, report_ref, res_ids):
    """The PDF of a report as outside tests (wkhtmltopdf), for the records given."""
    with offline_report_assets(env):
        return (
            env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, res_ids)[0]
        )


def two_instalment_term(env, first_percent, days):
    """Payment terms of two instalments: ``first_percent`` now, the rest at ``days``."""
    return env["account.payment.term"].create(
        {
            "name": f"{first_percent}% now, the rest at {days} days",
            "line_ids": [
                Command.create(
                    {"value": "percent", "value_amount": first_percent, "nb_days": 0}
                ),
                Command.create(
                    {
                        "value": "percent",
                        "value_amount": 100.0 - first_percent,
                        "nb_days": days,
                    }
                ),
            ],
        }
    )


def instalment_invoice(env, partner, amount, invoice_date, term, post=True):
    """A customer invoice of ``amount`` (no tax) on the terms ``term``."""
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": invoice_date,
            "invoice_payment_term_id": term.id,
            "invoice_line_ids": [
                Command.create({"name": "Works", "price_unit": amount, "tax_ids": []})
            ],
        }
    )
    if post:
        invoice.action_post()
    return invoice


def company_user(env, login, groups, company, **values):
    """A user of ``company`` only, with the given groups (comma-separated xml ids)."""
    return new_test_user(
        env,
        login=login,
        groups=groups,
        company_id=company.id,
        company_ids=[Command.set(company.ids)],
        **values,
    )


def register_payment(env, invoice, amount, on_date):
    return (
        env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create({"amount": amount, "payment_date": on_date})
        ._create_payments()
    )


class EurCompanyCommon(AccountTestInvoicingCommon):
    """A French company in EUR, with the shipped reference rates."""

    company_name = "Atelier SAS"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        eur = cls.env.ref("base.EUR")
        eur.active = True
        cls.company = cls.setup_other_company(
            name=cls.company_name, currency_id=eur.id
        )["company"]
        # In France (set after the chart: the French one is not installed here).
        cls.change_company_country(cls.company, cls.env.ref("base.fr"))
        cls.company.dunning_policy_id.write(cls.company._dunning_default_penalty_vals())
        cls.env.user.company_ids |= cls.company
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company.ids)
        )
        cls.policy = cls.company.dunning_policy_id


class DunningCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write(
            {
                "email": "billing@company-a.test",
                "street": "1 rue de la Paix",
                "city": "Paris",
            }
        )
        # A French company: its policy takes the French defaults.
        cls.change_company_country(cls.company, cls.env.ref("base.fr"))
        cls.policy = cls.company.dunning_policy_id
        cls.policy.write(cls.company._dunning_default_penalty_vals())
        cls.levels = cls.policy.level_ids.sorted("sequence")
        cls.courtesy, cls.level_1, cls.level_2, cls.level_3, cls.notice = cls.levels
        # The shipped policy calls at the third reminder and reviews formal notices;
        # the run tests look at emails alone unless they say otherwise.
        cls.levels.write(
            {"channel_call": False, "channel_letter": False, "manual_review": False}
        )
        cls.invoice_user = company_user(
            cls.env,
            "dunning_invoicing",
            "account.group_account_invoice",
            cls.company,
            email="invoicing@company-a.test",
        )
        cls.dunning_manager = company_user(
            cls.env,
            "dunning_manager",
            "account.group_account_invoice,account_dunning.group_dunning_manager",
            cls.company,
        )
        cls.customer = cls._customer("Dubois SARL")

    @classmethod
    def _customer(cls, name, email=True, **values):
        slug = name.lower().replace(" ", ".")
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{slug}@example.com" if email else False,
                "street": "2 avenue Foch",
                "city": "Lyon",
                **values,
            }
        )

    @classmethod
    def _invoice(
        cls, partner, amount, due, currency=None, move_type="out_invoice", post=True
    ):
        """A customer invoice of ``amount`` (no tax) due on ``due``."""
        return make_invoice(
            cls.env, cls.company, partner, amount, due, currency, move_type, post
        )

    @classmethod
    def _pay(cls, invoice, amount, on_date):
        return register_payment(cls.env, invoice, amount, on_date)

    def _run(self, on_date, user=None, execute=True):
        """A run on ``on_date``, computed and executed that day."""
        with freeze_time(max(on_date, TODAY)):
            run = (
                self.env["account.dunning.run"]
                .with_user(user or self.invoice_user)
                .create({"company_id": self.company.id, "date": on_date})
            )
            run.action_compute()
            if execute:
                run.action_execute()
        return run

    def _sent(self, run, partner=None):
        # Read as the system: emails are not for invoicing users to read.
        actions = run.sudo().action_ids.filtered(lambda action: action.state == "sent")
        if partner:
            actions = actions.filtered(lambda action: action.partner_id == partner)
        return actions
