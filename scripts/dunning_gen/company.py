# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The company the data belongs to: chart of accounts, currencies, languages,
journals, sale tax, payment terms, products and salespeople."""

import datetime

from dateutil.relativedelta import relativedelta

import odoo
from odoo import Command

from . import names, terms

COMPANY_VALS = {
    "name": "Atelier Dubois SAS",
    "street": "12 rue des Tanneurs",
    "zip": "69002",
    "city": "Lyon",
    "vat": "FR44732829320",
    "company_registry": "732 829 320 R.C.S. Lyon",
    "email": "comptabilite@atelier-dubois.fr",
    "phone": "+33 4 78 42 17 30",
    "website": "https://www.atelier-dubois.fr",
}

# key of terms.TERM_LINES -> (xml id of Odoo's own record or None, name, note)
TERM_RECORDS = {
    "immediate": ("account.account_payment_term_immediate", None, None),
    "30": ("account.account_payment_term_30days", None, None),
    "45eom": (None, "45 jours fin de mois", "Paiement à 45 jours fin de mois"),
    "30now70at60": (
        "account.account_payment_term_advance_60days",
        "30 % à la commande, solde à 60 jours",
        "30 % à la commande, le solde à 60 jours",
    ),
    "3x30-60-90": (
        None,
        "Paiement en 3 fois à 30, 60 et 90 jours",
        "Paiement en trois échéances à 30, 60 et 90 jours",
    ),
}


def setup(gen):
    """Everything the invoices need, in the order (and random draws) of the plan."""
    setup_company(gen)
    setup_languages(gen)
    setup_rates(gen)
    setup_journals_and_tax(gen)
    setup_terms(gen)
    setup_products(gen)
    setup_salespeople(gen)
    gen.log(
        "setup done (%d salespeople, %d products)"
        % (len(gen.salespeople), len(gen.products))
    )


def setup_company(gen):
    """The main company becomes Atelier Dubois SAS (France, EUR) with a chart."""
    env = gen.env
    company = env.ref("base.main_company")
    eur, usd = env.ref("base.EUR"), env.ref("base.USD")
    for currency in (eur, usd):
        if not currency.active:
            currency.active = True
    has_entries = bool(
        env["account.move.line"].search_count(
            [("company_id", "=", company.id)], limit=1
        )
    )
    vals = dict(COMPANY_VALS, country_id=env.ref("base.fr").id)
    if company.currency_id != eur:
        if has_entries:
            gen.log(
                "WARNING: company currency is %s and journal entries exist: "
                "currency left unchanged" % company.currency_id.name
            )
        else:
            vals["currency_id"] = eur.id
    company.write(vals)
    if not company.chart_template:
        gen.log("no chart of accounts: loading the French one (l10n_fr_account / 'fr')")
        module = env["ir.module.module"].search([("name", "=", "l10n_fr_account")])
        if module.state != "installed":
            module.button_immediate_install()
            gen.set_env(odoo.api.Environment(gen.cr, env.uid, dict(env.context)))
            env = gen.env
            company = env["res.company"].browse(company.id)
        env["account.chart.template"].try_loading(
            "fr", company=company, install_demo=False
        )
        env.invalidate_all()
    gen.company = company
    gen.currencies = {"EUR": env.ref("base.EUR"), "USD": env.ref("base.USD")}
    gen.log(
        "company %s, chart %s, currency %s"
        % (company.name, company.chart_template, company.currency_id.name)
    )


def setup_languages(gen):
    """French installed as a user would (Settings / Languages), with its terms."""
    env = gen.env
    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"].search([("state", "=", "installed")])._update_translations(
        ["fr_FR"]
    )
    gen.company.partner_id.lang = "fr_FR"


def setup_rates(gen):
    """USD rates (units of USD for 1 EUR), one per month over the last 16 months."""
    Rate = gen.env["res.currency.rate"]
    usd = gen.currencies["USD"]
    month = gen.today.replace(day=1) - relativedelta(months=16)
    index = 0
    while month <= gen.today:
        rate = round(
            1.085 + 0.035 * ((index % 7) - 3) / 3.0 + gen.rnd.uniform(-0.01, 0.01), 4
        )
        existing = Rate.search(
            [
                ("currency_id", "=", usd.id),
                ("name", "=", month),
                ("company_id", "=", gen.company.id),
            ]
        )
        if existing:
            # keep the rates of a previous run: its invoices were converted with them
            rate = existing.rate
        else:
            Rate.create(
                {
                    "currency_id": usd.id,
                    "name": month,
                    "rate": rate,
                    "company_id": gen.company.id,
                }
            )
        gen.rates_by_month[month] = rate
        month += relativedelta(months=1)
        index += 1


def setup_journals_and_tax(gen):
    env, company = gen.env, gen.company
    Journal = env["account.journal"]
    gen.sale_journal = Journal.search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    gen.bank_journal = Journal.search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    if not (gen.sale_journal and gen.bank_journal):
        raise SystemExit("generate_data: no sale or bank journal in %s" % company.name)
    Tax = env["account.tax"]
    sale_taxes = Tax.search(
        [
            ("company_id", "=", company.id),
            ("type_tax_use", "=", "sale"),
            ("amount_type", "=", "percent"),
            ("amount", "=", 20.0),
        ]
    ).filtered(lambda t: not t.price_include and not t.children_tax_ids)
    tax20 = (
        sale_taxes.filtered(lambda t: t == company.account_sale_tax_id)[:1]
        or sale_taxes[:1]
    )
    if not tax20:
        base_tax = company.account_sale_tax_id or Tax.search(
            [
                ("company_id", "=", company.id),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
            ],
            limit=1,
        )
        tax20 = base_tax.copy({"name": "TVA 20%", "amount": 20.0, "description": "20%"})
        gen.log("created sale tax %s" % tax20.name)
    company.account_sale_tax_id = tax20
    gen.tax20 = tax20
    gen.log("sale tax: %s (%s)" % (tax20.name, tax20.id))


def setup_terms(gen):
    """The payment terms of terms.TERM_LINES: Odoo's own when they match, else ours."""
    Term = gen.env["account.payment.term"]
    for key, (xmlid, name, note) in TERM_RECORDS.items():
        term = xmlid and gen.env.ref(xmlid, raise_if_not_found=False)
        if not (term and _term_matches(term, key)):
            if not name:
                raise SystemExit("generate_data: %s does not match its terms" % xmlid)
            term = Term.search([("name", "=", name)], limit=1)
        if not term:
            term = Term.create(
                {
                    "name": name,
                    "note": note,
                    "line_ids": [
                        Command.create(
                            {
                                "value": "percent",
                                "value_amount": percent,
                                "nb_days": days,
                                "delay_type": delay,
                                "days_next_month": "0",
                            }
                        )
                        for percent, delay, days in terms.TERM_LINES[key]
                    ],
                }
            )
        check_term(gen, term, key)
        gen.terms[key] = term


def _term_matches(term, key):
    lines = [
        (line.value, line.value_amount, line.delay_type, line.nb_days)
        for line in term.line_ids
    ]
    expected = [
        ("percent", percent, delay, days)
        for percent, delay, days in terms.TERM_LINES[key]
    ]
    return lines == expected and not term.early_discount


def check_term(gen, term, key):
    """Odoo's due dates and instalment amounts for this term are the plan's."""
    eur = gen.company.currency_id
    start = gen.today.replace(month=1, day=1)
    for days in (0, 30, 58, 200, 333):
        date = start + datetime.timedelta(days=days)
        untaxed, tax = 1000.01 + 7.37 * days, 200.0 + 1.47 * days
        got = term._compute_terms(
            date_ref=date,
            currency=eur,
            company=gen.company,
            tax_amount=tax,
            tax_amount_currency=tax,
            untaxed_amount=untaxed,
            untaxed_amount_currency=untaxed,
            sign=1,
        )["line_ids"]
        odoo_terms = [(line["date"], eur.round(line["company_amount"])) for line in got]
        ours = list(
            zip(
                terms.due_dates(key, date),
                terms.split(key, untaxed, tax, eur.round),
                strict=True,
            )
        )
        if odoo_terms != ours:
            raise SystemExit(
                "generate_data: payment term %s (%s): Odoo gives %s, the plan %s"
                % (term.name, key, odoo_terms, ours)
            )


def setup_products(gen):
    products = gen.env["product.product"]
    for name, price, ptype in names.PRODUCT_DEFS:
        product = gen.env["product.product"].search([("name", "=", name)], limit=1)
        if not product:
            product = gen.env["product.product"].create(
                {
                    "name": name,
                    "list_price": price,
                    "type": ptype,
                    "sale_ok": True,
                    "taxes_id": [Command.set(gen.tax20.ids)],
                    "invoice_policy": "order",
                }
            )
        products |= product
    gen.products = products
    gen.product_names = {product.id: product.display_name for product in products}
    gen.prices = {
        product.id: price
        for product, (_name, price, _type) in zip(
            products, names.PRODUCT_DEFS, strict=False
        )
    }


def setup_salespeople(gen):
    env, company = gen.env, gen.company
    groups = [
        env.ref("base.group_user").id,
        env.ref("sales_team.group_sale_salesman").id,
        env.ref("account.group_account_invoice").id,
    ]
    Users = env["res.users"].with_context(active_test=False)
    salespeople = env["res.users"]
    for name, login in names.SALESPEOPLE:
        user = Users.search([("login", "=", login)], limit=1)
        if not user:
            user = env["res.users"].create(
                {
                    "name": name,
                    "login": login,
                    "email": "%s@atelier-dubois.fr" % login,
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.set(groups)],
                    "lang": "fr_FR",
                    "tz": "Europe/Paris",
                }
            )
        salespeople |= user
    team = env.ref("sales_team.team_sales_department", raise_if_not_found=False)
    if team:
        team.write({"member_ids": [Command.link(u.id) for u in salespeople]})
    gen.salespeople = salespeople
    for user in salespeople:
        crm_team = env["crm.team"]._get_default_team_id(user_id=user.id)
        gen.team_by_user[user.id] = crm_team.id if crm_team else False
