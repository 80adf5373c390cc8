# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: E501 - long SQL statements and log formats
"""Realistic receivables data generator for account_dunning.

Run inside an Odoo shell (``env`` is provided by ``odoo shell``)::

    DUNNING_GEN_CUSTOMERS=40 DUNNING_GEN_INVOICES=300 DUNNING_GEN_MODE=demo \
        odoo shell -d DB --no-http < scripts/generate_data.py

Environment variables:

``DUNNING_GEN_CUSTOMERS``   number of customers (commercial partners), default 40
``DUNNING_GEN_INVOICES``    number of customer invoices, default 300
``DUNNING_GEN_MODE``        ``demo`` (everything through the ORM, default) or
                            ``fast`` (a handful of ORM-made template invoices,
                            payments and reconciliations replicated with
                            set-based SQL; meant for 10k-100k invoices)
``DUNNING_GEN_SEED``        random seed, default 42
``DUNNING_GEN_OPEN_RATIO``  share of invoices left (partly) open, default 0.25
                            in demo mode and 0.6 in fast mode
``DUNNING_GEN_CHECK``       number of invoices re-computed through the ORM to
                            check the consistency of the data, default 300
``DUNNING_GEN_STRICT``      1 to fail (exit code 1) when a consistency check fails

The main company is turned into "Atelier Dubois SAS" (France, EUR) before any
journal entry is created. If the company has no chart of accounts, the French
one (``l10n_fr_account``, template code ``fr``) is loaded; otherwise the
installed chart is used. The script commits itself.
"""

import datetime
import io
import os
import random
import time
import unicodedata

from dateutil.relativedelta import relativedelta

import odoo
from odoo import Command, fields
from odoo.tools import date_utils

T_START = time.time()
N_CUSTOMERS = int(os.environ.get("DUNNING_GEN_CUSTOMERS", "40"))
N_INVOICES = int(os.environ.get("DUNNING_GEN_INVOICES", "300"))
MODE = os.environ.get("DUNNING_GEN_MODE", "demo").strip().lower()
SEED = int(os.environ.get("DUNNING_GEN_SEED", "42"))
OPEN_RATIO = float(
    os.environ.get("DUNNING_GEN_OPEN_RATIO") or (0.6 if MODE == "fast" else 0.25)
)
N_CHECK = int(os.environ.get("DUNNING_GEN_CHECK", "300"))
STRICT = os.environ.get("DUNNING_GEN_STRICT", "0") == "1"
assert MODE in ("demo", "fast"), "DUNNING_GEN_MODE must be demo or fast"

rnd = random.Random(SEED)
env = env(  # noqa: F821 - provided by odoo shell
    context=dict(
        env.context,  # noqa: F821
        tracking_disable=True,
        mail_create_nolog=True,
        mail_create_nosubscribe=True,
        mail_notrack=True,
        mail_auto_subscribe_no_notify=True,
        no_reset_password=True,
        lang="en_US",
    )
)
cr = env.cr
TODAY = fields.Date.context_today(env.user)


def log(msg):
    print("[generate_data %7.1fs] %s" % (time.time() - T_START, msg), flush=True)


def slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def luhn_ok(digits):
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def random_siren():
    while True:
        siren = "%d%08d" % (rnd.randint(3, 9), rnd.randint(0, 99999999))
        if luhn_ok(siren):
            return siren


def fr_vat(siren):
    return "FR%02d%s" % ((12 + 3 * (int(siren) % 97)) % 97, siren)


def fr_phone(mobile=False):
    if mobile:
        first = rnd.choice("67")
    else:
        first = rnd.choice("12345")
    return "+33 %s %02d %02d %02d %02d" % (
        first,
        rnd.randint(0, 99),
        rnd.randint(0, 99),
        rnd.randint(0, 99),
        rnd.randint(0, 99),
    )


# ---------------------------------------------------------------------------
# 1. Company, chart of accounts, currencies, languages
# ---------------------------------------------------------------------------
company = env.ref("base.main_company")
Move = env["account.move"]
eur = env.ref("base.EUR")
usd = env.ref("base.USD")
for cur in (eur, usd):
    if not cur.active:
        cur.active = True

has_entries = bool(
    env["account.move.line"].search_count([("company_id", "=", company.id)], limit=1)
)
company_vals = {
    "name": "Atelier Dubois SAS",
    "street": "12 rue des Tanneurs",
    "zip": "69002",
    "city": "Lyon",
    "country_id": env.ref("base.fr").id,
    "vat": "FR44732829320",
    "company_registry": "732 829 320 R.C.S. Lyon",
    "email": "comptabilite@atelier-dubois.fr",
    "phone": "+33 4 78 42 17 30",
    "website": "https://www.atelier-dubois.fr",
}
if company.currency_id != eur:
    if has_entries:
        log(
            "WARNING: company currency is %s and journal entries exist: currency left unchanged"
            % company.currency_id.name
        )
    else:
        company_vals["currency_id"] = eur.id
company.write(company_vals)

if not company.chart_template:
    log("no chart of accounts: loading the French one (l10n_fr_account / 'fr')")
    if (
        env["ir.module.module"].search([("name", "=", "l10n_fr_account")]).state
        != "installed"
    ):
        env["ir.module.module"].search(
            [("name", "=", "l10n_fr_account")]
        ).button_immediate_install()
        env = odoo.api.Environment(cr, env.uid, dict(env.context))  # noqa: F821 - new registry
        company = env["res.company"].browse(company.id)
    env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
    env.invalidate_all()
    Move = env["account.move"]
log(
    "company %s, chart %s, currency %s"
    % (company.name, company.chart_template, company.currency_id.name)
)

# Installed as a user would (Settings / Languages): with every module's French terms.
env["res.lang"]._activate_lang("fr_FR")
env["ir.module.module"].search([("state", "=", "installed")])._update_translations(
    ["fr_FR"]
)
company.partner_id.lang = "fr_FR"

# USD rates (units of USD for 1 EUR), one per month over the last 16 months
Rate = env["res.currency.rate"]
rates_by_month = {}
month = TODAY.replace(day=1) - relativedelta(months=16)
i = 0
while month <= TODAY:
    rate = round(1.085 + 0.035 * ((i % 7) - 3) / 3.0 + rnd.uniform(-0.01, 0.01), 4)
    existing = Rate.search(
        [
            ("currency_id", "=", usd.id),
            ("name", "=", month),
            ("company_id", "=", company.id),
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
                "company_id": company.id,
            }
        )
    rates_by_month[month] = rate
    month += relativedelta(months=1)
    i += 1


def usd_rate(date):
    return rates_by_month[date.replace(day=1)]


# ---------------------------------------------------------------------------
# 2. Journals, taxes, payment terms, products, salespeople
# ---------------------------------------------------------------------------
sale_journal = env["account.journal"].search(
    [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
)
bank_journal = env["account.journal"].search(
    [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
)
assert sale_journal and bank_journal, "no sale/bank journal"

sale_taxes = env["account.tax"].search(
    [
        ("company_id", "=", company.id),
        ("type_tax_use", "=", "sale"),
        ("amount_type", "=", "percent"),
        ("amount", "=", 20.0),
    ]
)
sale_taxes = sale_taxes.filtered(
    lambda t: not t.price_include and not t.children_tax_ids
)
tax20 = (
    sale_taxes.filtered(lambda t: t == company.account_sale_tax_id)[:1]
    or sale_taxes[:1]
)
if not tax20:
    base_tax = company.account_sale_tax_id or env["account.tax"].search(
        [
            ("company_id", "=", company.id),
            ("type_tax_use", "=", "sale"),
            ("amount_type", "=", "percent"),
        ],
        limit=1,
    )
    tax20 = base_tax.copy({"name": "TVA 20%", "amount": 20.0, "description": "20%"})
    log("created sale tax %s" % tax20.name)
company.account_sale_tax_id = tax20
log("sale tax: %s (%s)" % (tax20.name, tax20.id))

term_immediate = env.ref("account.account_payment_term_immediate")
term_30 = env.ref("account.account_payment_term_30days")
term_45eom = env["account.payment.term"].search(
    [("name", "=", "45 jours fin de mois")], limit=1
)
if not term_45eom:
    term_45eom = env["account.payment.term"].create(
        {
            "name": "45 jours fin de mois",
            "note": "Paiement à 45 jours fin de mois",
            "line_ids": [
                Command.create(
                    {
                        "value": "percent",
                        "value_amount": 100.0,
                        "nb_days": 45,
                        "delay_type": "days_end_of_month_on_the",
                        "days_next_month": "0",
                    }
                )
            ],
        }
    )
TERMS = {"immediate": term_immediate, "30": term_30, "45eom": term_45eom}


def due_date_for(term_key, inv_date):
    if term_key == "immediate":
        return inv_date
    if term_key == "30":
        return inv_date + datetime.timedelta(days=30)
    return date_utils.end_of(inv_date + datetime.timedelta(days=45), "month")


PRODUCT_DEFS = [
    # name, price, type
    ("Étagère murale chêne massif", 189.0, "consu"),
    ("Table d'atelier sur mesure", 1450.0, "consu"),
    ("Chaise bistrot restaurée", 95.0, "consu"),
    ("Agencement de boutique", 4800.0, "service"),
    ("Pose et installation (heure)", 65.0, "service"),
    ("Contrat de maintenance annuel", 720.0, "service"),
    ("Vernis et finition", 240.0, "service"),
    ("Livraison et montage", 120.0, "service"),
]
products = env["product.product"]
for name, price, ptype in PRODUCT_DEFS:
    prod = env["product.product"].search([("name", "=", name)], limit=1)
    if not prod:
        prod = env["product.product"].create(
            {
                "name": name,
                "list_price": price,
                "type": ptype,
                "sale_ok": True,
                "taxes_id": [Command.set(tax20.ids)],
                "invoice_policy": "order",
            }
        )
    products |= prod
PRICES = {p.id: price for p, (n, price, t) in zip(products, PRODUCT_DEFS, strict=False)}

SALESPEOPLE = [
    ("Claire Moreau", "claire.moreau"),
    ("Julien Garnier", "julien.garnier"),
    ("Sophie Lambert", "sophie.lambert"),
]
sales_groups = [
    env.ref("base.group_user").id,
    env.ref("sales_team.group_sale_salesman").id,
    env.ref("account.group_account_invoice").id,
]
salespeople = env["res.users"]
for name, login in SALESPEOPLE:
    user = (
        env["res.users"]
        .with_context(active_test=False)
        .search([("login", "=", login)], limit=1)
    )
    if not user:
        user = env["res.users"].create(
            {
                "name": name,
                "login": login,
                "email": "%s@atelier-dubois.fr" % login,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [Command.set(sales_groups)],
                "lang": "fr_FR",
                "tz": "Europe/Paris",
            }
        )
    salespeople |= user
team = env.ref("sales_team.team_sales_department", raise_if_not_found=False)
if team:
    team.write({"member_ids": [Command.link(u.id) for u in salespeople]})
log("setup done (%d salespeople, %d products)" % (len(salespeople), len(products)))

# ---------------------------------------------------------------------------
# 3. Customers
# ---------------------------------------------------------------------------
FIRST_FR = [
    "Jean",
    "Marie",
    "Pierre",
    "Camille",
    "Nicolas",
    "Isabelle",
    "Thomas",
    "Claire",
    "Antoine",
    "Nathalie",
    "Julien",
    "Sophie",
    "François",
    "Céline",
    "Laurent",
    "Élodie",
    "Mathieu",
    "Aurélie",
    "Olivier",
    "Hélène",
    "Sébastien",
    "Émilie",
    "Guillaume",
    "Chloé",
    "Benoît",
    "Léa",
    "Stéphane",
    "Manon",
    "Philippe",
    "Anaïs",
    "Christophe",
    "Valérie",
    "Hugo",
    "Inès",
]
LAST_FR = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Roy",
    "Noël",
    "Meyer",
    "Lucas",
    "Meunier",
    "Jean",
    "Perez",
    "Marchand",
]
FIRST_EN = [
    "James",
    "Emma",
    "Oliver",
    "Charlotte",
    "William",
    "Amelia",
    "Harry",
    "Olivia",
    "George",
    "Emily",
    "Jack",
    "Grace",
    "Henry",
    "Lucy",
    "Edward",
    "Sarah",
    "Daniel",
    "Hannah",
]
LAST_EN = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Taylor",
    "Davies",
    "Wilson",
    "Evans",
    "Walker",
    "Wright",
    "Thompson",
    "Roberts",
    "Hughes",
    "Clarke",
    "Harrison",
    "Baker",
    "Cooper",
    "Ward",
]
COMPANY_PATTERNS_FR = [
    "Boulangerie {n}",
    "Garage {n}",
    "Menuiserie {n}",
    "Cabinet {n}",
    "Transports {n}",
    "Imprimerie {n}",
    "Pharmacie {n}",
    "Librairie {n}",
    "Hôtel {n}",
    "Restaurant Chez {f}",
    "{n} & Fils",
    "{n} Industrie",
    "SARL {n}",
    "SAS {n} Conseil",
    "Ets {n}",
    "Brasserie {n}",
    "Atelier {n}",
    "Fromagerie {n}",
    "Caves {n}",
    "{n} Bâtiment",
    "Agence {n} Immobilier",
]
COMPANY_PATTERNS_EN = [
    "{n} & Co France",
    "{n} Consulting",
    "{n} Trading SAS",
    "{n} Design Studio",
    "{n} Hospitality",
    "{n} Logistics France",
]
CITIES = [
    ("Paris", "75011"),
    ("Lyon", "69003"),
    ("Marseille", "13006"),
    ("Toulouse", "31000"),
    ("Nice", "06000"),
    ("Nantes", "44000"),
    ("Strasbourg", "67000"),
    ("Montpellier", "34000"),
    ("Bordeaux", "33000"),
    ("Lille", "59000"),
    ("Rennes", "35000"),
    ("Reims", "51100"),
    ("Grenoble", "38000"),
    ("Dijon", "21000"),
    ("Angers", "49000"),
    ("Villeurbanne", "69100"),
    ("Annecy", "74000"),
    ("Tours", "37000"),
    ("Clermont-Ferrand", "63000"),
    ("Rouen", "76000"),
]
STREETS = [
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "boulevard Gambetta",
    "place de la Mairie",
    "rue Pasteur",
    "rue du Général de Gaulle",
    "avenue Foch",
    "chemin des Vignes",
    "rue des Lilas",
    "quai Saint-Antoine",
    "rue Nationale",
]
FUNCTIONS = [
    "Gérant",
    "Directeur administratif et financier",
    "Comptable",
    "Responsable achats",
    "Assistante de direction",
    "Office manager",
]
MAIL_DOMAINS = [
    "gmail.com",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "outlook.fr",
    "sfr.fr",
]

fr_country = env.ref("base.fr").id
# customers of a previous run of the generator (e.g. the bench grows 10,000 -> 100,000)
cr.execute(
    "SELECT COUNT(*) FROM res_partner WHERE parent_id IS NULL AND ref ~ '^C[0-9]+$'"
)
CUSTOMER_OFFSET = cr.fetchone()[0]
big = N_CUSTOMERS > 150 or CUSTOMER_OFFSET > 0
customer_meta = []  # per customer: dict(commercial, invoice_address, user, term, usd)
Partner = env["res.partner"]
t_partners = time.time()
BATCH = 500
for start in range(0, N_CUSTOMERS, BATCH):
    parents_vals, children_plan, metas = [], [], []
    for idx in range(
        start + CUSTOMER_OFFSET, min(start + BATCH, N_CUSTOMERS) + CUSTOMER_OFFSET
    ):
        lang = "en_US" if rnd.random() < 0.25 else "fr_FR"
        first_names, last_names = (
            (FIRST_EN, LAST_EN) if lang == "en_US" else (FIRST_FR, LAST_FR)
        )
        is_company = rnd.random() < 0.65
        city, zipcode = rnd.choice(CITIES)
        suffix = ("-%d" % idx) if big else ""
        vals = {
            "street": "%d %s" % (rnd.randint(1, 180), rnd.choice(STREETS)),
            "city": city,
            "zip": zipcode,
            "country_id": fr_country,
            "lang": lang,
            "customer_rank": 1,
            "ref": "C%05d" % (idx + 1),
            "phone": fr_phone(),
            "user_id": rnd.choice(salespeople.ids) if rnd.random() < 0.85 else False,
            "company_id": False,
        }
        term_key = rnd.choices(["30", "45eom", "immediate"], [0.55, 0.30, 0.15])[0]
        vals["property_payment_term_id"] = TERMS[term_key].id
        if is_company:
            last = rnd.choice(last_names)
            pattern = rnd.choice(
                COMPANY_PATTERNS_EN if lang == "en_US" else COMPANY_PATTERNS_FR
            )
            name = pattern.format(n=last, f=rnd.choice(first_names))
            domain = "%s%s.%s" % (
                slug(name),
                suffix,
                "com" if lang == "en_US" else "fr",
            )
            vals.update(
                {
                    "name": name,
                    "is_company": True,
                    "email": "contact@%s" % domain,
                    "vat": fr_vat(random_siren()),
                    "website": "https://www.%s" % domain,
                }
            )
        else:
            first, last = rnd.choice(first_names), rnd.choice(last_names)
            name = "%s %s" % (first, last)
            domain = None
            vals.update(
                {
                    "name": name,
                    "is_company": False,
                    "email": "%s.%s%s@%s"
                    % (slug(first), slug(last), suffix, rnd.choice(MAIL_DOMAINS)),
                }
            )
        if rnd.random() < 0.4 or (not is_company and rnd.random() < 0.5):
            vals["mobile"] = fr_phone(mobile=True)
        if idx == 2:  # the one customer without any email address
            vals.update(
                {
                    "is_company": False,
                    "name": "Gérard Fontaine",
                    "email": False,
                    "vat": False,
                    "website": False,
                    "mobile": fr_phone(mobile=True),
                }
            )
            is_company = False
        usd_customer = rnd.random() < (0.35 if lang == "en_US" else 0.04) or idx in (
            5,
            11,
        )
        parents_vals.append(vals)
        kids = []
        if is_company:
            for _k in range(rnd.choice([1, 1, 2])):
                kid_first, kid_last = rnd.choice(first_names), rnd.choice(last_names)
                kids.append(
                    {
                        "name": "%s %s" % (kid_first, kid_last),
                        "type": "contact",
                        "function": rnd.choice(FUNCTIONS),
                        "email": "%s.%s@%s" % (slug(kid_first), slug(kid_last), domain),
                        "lang": lang,
                        "phone": vals["phone"],
                        "mobile": fr_phone(True) if rnd.random() < 0.5 else False,
                    }
                )
            if rnd.random() < 0.35:
                kids.append(
                    {
                        "name": "Service comptabilité"
                        if lang == "fr_FR"
                        else "Accounts payable",
                        "type": "invoice",
                        "email": "compta@%s" % domain,
                        "lang": lang,
                        "street": vals["street"],
                        "city": city,
                        "zip": zipcode,
                        "country_id": fr_country,
                    }
                )
        children_plan.append(kids)
        metas.append({"term": term_key, "usd": usd_customer, "user": vals["user_id"]})
    parents = Partner.create(parents_vals)
    child_vals = []
    for parent, kids in zip(parents, children_plan, strict=False):
        for kid in kids:
            kid["parent_id"] = parent.id
            child_vals.append(kid)
    children = Partner.create(child_vals) if child_vals else Partner
    invoice_children = {c.parent_id.id: c.id for c in children if c.type == "invoice"}
    for parent, meta in zip(parents, metas, strict=False):
        meta["commercial"] = parent.id
        meta["invoice_address"] = invoice_children.get(parent.id, parent.id)
        customer_meta.append(meta)
    env.invalidate_all()
    if N_CUSTOMERS > 2000 and (start // BATCH) % 10 == 9:
        log("  %d customers..." % len(customer_meta))
log("%d customers created (%.1fs)" % (len(customer_meta), time.time() - t_partners))

# ---------------------------------------------------------------------------
# 4. Invoice plan (shared by both modes)
# ---------------------------------------------------------------------------
OPEN_SCEN = ["open", "partial", "partial_cn"]
CLOSED_SCEN = ["paid", "reversed"]
team_by_user = {}
for user in salespeople:
    crm_team = env["crm.team"]._get_default_team_id(user_id=user.id)
    team_by_user[user.id] = crm_team.id if crm_team else False


def round05(x):
    return round(round(x / 0.05) * 0.05, 2)


def plan_invoice(cust, n_lines):
    scen_open = rnd.random() < OPEN_RATIO
    if scen_open:
        scen = rnd.choices(OPEN_SCEN, [0.80, 0.12, 0.08])[0]
    else:
        scen = rnd.choices(CLOSED_SCEN, [0.92, 0.08])[0]
    currency = (
        "USD" if (cust["usd"] and rnd.random() < 0.7) or rnd.random() < 0.02 else "EUR"
    )
    term = (
        cust["term"] if rnd.random() < 0.9 else rnd.choice(["30", "45eom", "immediate"])
    )
    oldest = TODAY - datetime.timedelta(days=425)
    if scen in OPEN_SCEN:
        r = rnd.random()
        if r < 0.15:
            overdue = -rnd.randint(0, 45)  # not yet due
        elif r < 0.55:
            overdue = rnd.randint(1, 30)
        elif r < 0.78:
            overdue = rnd.randint(31, 90)
        elif r < 0.92:
            overdue = rnd.randint(91, 180)
        else:
            overdue = rnd.randint(181, 300)
        target_due = TODAY - datetime.timedelta(days=overdue)
        offset = {"immediate": 0, "30": 30, "45eom": 60}[term]
        inv_date = target_due - datetime.timedelta(days=offset)
        inv_date = min(max(inv_date, oldest), TODAY)
        while due_date_for(term, inv_date) < TODAY - datetime.timedelta(days=300):
            inv_date += datetime.timedelta(days=1)
        if (
            overdue <= 0
            and due_date_for(term, inv_date) < TODAY
            and term != "immediate"
        ):
            inv_date = TODAY - datetime.timedelta(days=rnd.randint(0, 10))
    else:
        inv_date = oldest + datetime.timedelta(days=rnd.randint(0, 420))
    due = due_date_for(term, inv_date)
    lines = []
    for _i in range(n_lines):
        prod = rnd.choice(products.ids)
        qty = (
            rnd.choice([1, 1, 1, 2, 2, 3, 4, 5, 10])
            if PRICES[prod] < 500
            else rnd.choice([1, 1, 2])
        )
        price = round05(
            PRICES[prod] * rnd.uniform(0.8, 1.25) * (1.1 if currency == "USD" else 1.0)
        )
        lines.append((prod, qty, price))
    untaxed = round(sum(q * p for _prod, q, p in lines), 2)
    total = round(untaxed * 1.2, 2)
    pay_date = refund_date = None
    pay_amount = refund_price = None
    if scen == "paid":
        pay_date = min(
            max(due + datetime.timedelta(days=rnd.randint(-20, 40)), inv_date), TODAY
        )
    elif scen == "partial":
        pay_date = min(inv_date + datetime.timedelta(days=rnd.randint(0, 60)), TODAY)
        pay_amount = round(total * rnd.uniform(0.2, 0.8), 2)
    elif scen in ("reversed", "partial_cn"):
        refund_date = min(inv_date + datetime.timedelta(days=rnd.randint(1, 30)), TODAY)
        if currency == "USD":
            # keep foreign-currency credit notes at the invoice's (monthly) rate
            refund_date = min(refund_date, date_utils.end_of(inv_date, "month"))
    if scen == "partial_cn":
        refund_price = max(round05(untaxed * rnd.uniform(0.1, 0.5)), 0.05)
    return {
        "scen": scen,
        "currency": currency,
        "term": term,
        "partner": cust["invoice_address"],
        "commercial": cust["commercial"],
        "user": cust["user"] or rnd.choice(salespeople.ids),
        "inv_date": inv_date,
        "due": due,
        "lines": lines,
        "untaxed": untaxed,
        "total": total,
        "pay_date": pay_date,
        "pay_amount": pay_amount,
        "refund_date": refund_date,
        "refund_price": refund_price,
    }


weights = [rnd.paretovariate(1.3) for _c in customer_meta]
assigned = list(range(len(customer_meta)))[:N_INVOICES]
if N_INVOICES > len(assigned):
    assigned += rnd.choices(
        range(len(customer_meta)), weights, k=N_INVOICES - len(assigned)
    )
rnd.shuffle(assigned)
plan = [
    plan_invoice(customer_meta[c], 1 if MODE == "fast" else rnd.choice([1, 1, 2, 3]))
    for c in assigned
]
log("planned %d invoices" % len(plan))

# ---------------------------------------------------------------------------
# 5. ORM creation (demo mode, and the templates of the fast mode)
# ---------------------------------------------------------------------------
cur_ids = {"EUR": eur.id, "USD": usd.id}


def orm_create(entries, batch=100):
    """Create, post, pay and reverse the planned invoices through the ORM."""
    entries = sorted(entries, key=lambda e: e["inv_date"])
    invoices = Move
    for start in range(0, len(entries), batch):
        chunk = entries[start : start + batch]
        moves = Move.create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": e["partner"],
                    "invoice_date": e["inv_date"],
                    "journal_id": sale_journal.id,
                    "currency_id": cur_ids[e["currency"]],
                    "invoice_payment_term_id": TERMS[e["term"]].id,
                    "invoice_user_id": e["user"],
                    "team_id": team_by_user.get(e["user"]) or False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": prod,
                                "quantity": qty,
                                "price_unit": price,
                                "tax_ids": [Command.set(tax20.ids)],
                            }
                        )
                        for prod, qty, price in e["lines"]
                    ],
                }
                for e in chunk
            ]
        )
        moves.action_post()
        for e, move in zip(chunk, moves, strict=False):
            e["move"] = move
        invoices |= moves
        env.invalidate_all()
    # payments, in chronological order
    for e in sorted([e for e in entries if e["pay_date"]], key=lambda e: e["pay_date"]):
        vals = {"payment_date": e["pay_date"], "journal_id": bank_journal.id}
        if e["pay_amount"]:
            vals.update(
                {"amount": e["pay_amount"], "payment_difference_handling": "open"}
            )
        env["account.payment.register"].with_context(
            active_model="account.move",
            active_ids=e["move"].ids,
        ).create(vals)._create_payments()
    # credit notes, in chronological order
    for e in sorted(
        [e for e in entries if e["refund_date"]], key=lambda e: e["refund_date"]
    ):
        inv = e["move"]
        if e["scen"] == "reversed":
            e["refund"] = inv._reverse_moves(
                [
                    {
                        "date": e["refund_date"],
                        "invoice_date": e["refund_date"],
                        "ref": "Avoir sur %s : erreur de facturation" % inv.name,
                    }
                ],
                cancel=True,
            )
        else:
            refund = Move.create(
                {
                    "move_type": "out_refund",
                    "partner_id": inv.partner_id.id,
                    "invoice_date": e["refund_date"],
                    "journal_id": sale_journal.id,
                    "currency_id": inv.currency_id.id,
                    "reversed_entry_id": inv.id,
                    "invoice_user_id": inv.invoice_user_id.id,
                    "team_id": inv.team_id.id,
                    "ref": "Avoir partiel sur %s : geste commercial" % inv.name,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": e["lines"][0][0],
                                "quantity": 1,
                                "price_unit": e["refund_price"],
                                "name": "Remise commerciale",
                                "tax_ids": [Command.set(tax20.ids)],
                            }
                        )
                    ],
                }
            )
            refund.action_post()
            (inv + refund).line_ids.filtered(
                lambda aml: aml.account_id.account_type == "asset_receivable"
                and not aml.reconciled
            ).reconcile()
            e["refund"] = refund
    env.invalidate_all()
    return invoices


# ---------------------------------------------------------------------------
# 6. Fast mode: ORM templates replicated with set-based SQL
# ---------------------------------------------------------------------------
# Line roles of a template "group" (invoice + optional payment + optional credit note)
INV_ROLES = ("inv_product", "inv_tax", "inv_rec")
PAY_ROLES = ("pay_liq", "pay_rec")
REF_ROLES = ("ref_product", "ref_tax", "ref_rec")
FAST_CURRENCIES = {"EUR": eur, "USD": usd}


def _combo(e):
    return "%s|%s" % (e["scen"], e["currency"])


def _capture(table, where, params):
    cr.execute("SELECT * FROM %s WHERE %s" % (table, where), params)
    cols = [d[0] for d in cr.description]
    return cols, cr.fetchall()


def build_templates(entries):  # noqa: C901
    """Create one ORM group per (scenario, currency) inside a savepoint, capture its
    rows (moves, lines, payment, partial/full reconciliation, m2m) then roll back."""
    from psycopg2.extras import Json

    reps = {}
    for e in entries:
        reps.setdefault(_combo(e), e)
    tmpl_entries = []
    for combo, e in sorted(reps.items()):
        t = dict(e)
        t.update({"inv_date": TODAY, "due": due_date_for(e["term"], TODAY)})
        if t["pay_date"]:
            t["pay_date"] = TODAY
        if t["refund_date"]:
            t["refund_date"] = TODAY
        t["combo"] = combo
        tmpl_entries.append(t)
    captured = {}
    cr.execute("SAVEPOINT dunning_gen_templates")
    orm_create(tmpl_entries)
    env.flush_all()
    roles = []  # (combo, role, table, id)
    tax_rel, tag_rel, names = [], [], []
    for t in tmpl_entries:
        inv = t["move"]
        combo = t["combo"]
        roles.append((combo, "inv", "account_move", inv.id))
        role_of = {
            "product": "inv_product",
            "tax": "inv_tax",
            "payment_term": "inv_rec",
        }
        for line in inv.line_ids:
            roles.append(
                (combo, role_of[line.display_type], "account_move_line", line.id)
            )
        pay_name = ref_name = None
        rec_line = inv.line_ids.filtered(lambda aml: aml.display_type == "payment_term")
        counterpart = None
        if t["pay_date"]:
            pay = inv.matched_payment_ids
            assert len(pay) == 1 and pay.move_id, (
                "template payment without journal entry"
            )
            roles.append((combo, "pay", "account_move", pay.move_id.id))
            roles.append((combo, "payment", "account_payment", pay.id))
            for line in pay.move_id.line_ids:
                role = (
                    "pay_liq"
                    if line.account_id == pay.outstanding_account_id
                    else "pay_rec"
                )
                roles.append((combo, role, "account_move_line", line.id))
                if role == "pay_rec":
                    counterpart = line
            pay_name = pay.move_id.name
        if t["refund_date"]:
            ref = t["refund"]
            roles.append((combo, "ref", "account_move", ref.id))
            role_of = {
                "product": "ref_product",
                "tax": "ref_tax",
                "payment_term": "ref_rec",
            }
            for line in ref.line_ids:
                roles.append(
                    (combo, role_of[line.display_type], "account_move_line", line.id)
                )
                if line.display_type == "payment_term":
                    counterpart = line
            ref_name = ref.name
        if counterpart:
            partial = rec_line.matched_credit_ids.filtered(
                lambda p, cp=counterpart: p.credit_move_id == cp
            )
            assert len(partial) == 1, "template partial not found for %s" % combo
            roles.append((combo, "partial", "account_partial_reconcile", partial.id))
            if partial.full_reconcile_id:
                roles.append(
                    (
                        combo,
                        "full",
                        "account_full_reconcile",
                        partial.full_reconcile_id.id,
                    )
                )
        names.append((combo, inv.name, pay_name, ref_name, t["scen"], t["currency"]))
    # capture everything before rolling back
    for combo, role, table, rid in roles:
        cols, rows = _capture(table, "id = %s", (rid,))
        captured.setdefault(table, {"cols": cols, "rows": []})["rows"].append(
            (combo, role, rows[0])
        )
    line_roles = {
        rid: (combo, role)
        for combo, role, table, rid in roles
        if table == "account_move_line"
    }
    cr.execute(
        "SELECT account_move_line_id, account_tax_id FROM account_move_line_account_tax_rel "
        "WHERE account_move_line_id IN %s",
        (tuple(line_roles),),
    )
    tax_rel = [line_roles[lid] + (tax,) for lid, tax in cr.fetchall()]
    cr.execute(
        "SELECT account_move_line_id, account_account_tag_id FROM account_account_tag_account_move_line_rel "
        "WHERE account_move_line_id IN %s",
        (tuple(line_roles),),
    )
    tag_rel = [line_roles[lid] + (tag,) for lid, tag in cr.fetchall()]
    states = {}
    for combo, role, row in captured["account_move"]["rows"]:
        cols = captured["account_move"]["cols"]
        states[(combo, role)] = row[cols.index("payment_state")]
    cr.execute("ROLLBACK TO SAVEPOINT dunning_gen_templates")
    env.invalidate_all(flush=False)
    log(
        "templates: %s"
        % ", ".join(
            "%s:%s" % (k[0], v) for k, v in sorted(states.items()) if k[1] == "inv"
        )
    )

    # re-insert the captured rows into temporary tables
    for table, data in captured.items():
        tmp = "gen_tmpl_%s" % table
        cr.execute("DROP TABLE IF EXISTS %s" % tmp)
        cr.execute("CREATE TEMP TABLE %s (LIKE %s)" % (tmp, table))
        cr.execute(
            "ALTER TABLE %s ADD COLUMN gen_combo varchar, ADD COLUMN gen_role varchar"
            % tmp
        )
        cols = data["cols"] + ["gen_combo", "gen_role"]
        values = [
            tuple(Json(v) if isinstance(v, dict | list) else v for v in row)
            + (combo, role)
            for combo, role, row in data["rows"]
        ]
        from psycopg2.extras import execute_values

        execute_values(
            cr._obj,
            "INSERT INTO %s (%s) VALUES %%s"
            % (tmp, ", ".join('"%s"' % c for c in cols)),
            values,
        )
    cr.execute("DROP TABLE IF EXISTS gen_tmpl_names")
    cr.execute(
        "CREATE TEMP TABLE gen_tmpl_names (combo varchar, inv_name varchar, pay_name varchar, "
        "ref_name varchar, scen varchar, cur varchar)"
    )
    cr.executemany("INSERT INTO gen_tmpl_names VALUES (%s, %s, %s, %s, %s, %s)", names)
    cr.execute("DROP TABLE IF EXISTS gen_tmpl_tax")
    cr.execute(
        "CREATE TEMP TABLE gen_tmpl_tax (combo varchar, role varchar, tax_id int)"
    )
    if tax_rel:
        cr.executemany("INSERT INTO gen_tmpl_tax VALUES (%s, %s, %s)", tax_rel)
    cr.execute("DROP TABLE IF EXISTS gen_tmpl_tag")
    cr.execute(
        "CREATE TEMP TABLE gen_tmpl_tag (combo varchar, role varchar, tag_id int)"
    )
    if tag_rel:
        cr.executemany("INSERT INTO gen_tmpl_tag VALUES (%s, %s, %s)", tag_rel)
    return {n[0]: n for n in names}


def _reserve_ids(seq, count):
    cr.execute("SELECT nextval(%s)", (seq,))
    first = cr.fetchone()[0]
    if count > 1:
        cr.execute("SELECT setval(%s, %s)", (seq, first + count - 1))
    return iter(range(first, first + count))


def _sequence_namer(journal, template_name, template_prefix, year_ref):
    """Return f(date) -> (name, prefix, number) following the template's numbering format."""
    digits = len(template_name) - len(template_prefix)
    assert str(year_ref) in template_prefix, (
        "unsupported sequence format %s" % template_prefix
    )
    counters = {}

    def namer(date):
        prefix = template_prefix.replace(str(year_ref), str(date.year))
        if prefix not in counters:
            cr.execute(
                "SELECT COALESCE(MAX(sequence_number), 0) FROM account_move "
                "WHERE journal_id = %s AND sequence_prefix = %s",
                (journal, prefix),
            )
            counters[prefix] = cr.fetchone()[0]
        counters[prefix] += 1
        number = counters[prefix]
        return "%s%0*d" % (prefix, digits, number), prefix, number

    return namer


GEN_COLS = [
    # name, sql type
    ("k", "int"),
    ("combo", "varchar"),
    ("partner", "int"),
    ("commercial", "int"),
    ("pdisp", "varchar"),
    ("cdisp", "varchar"),
    ("user_id", "int"),
    ("team_id", "int"),
    ("term_id", "int"),
    ("cur_id", "int"),
    ("rate", "numeric"),
    ("product_id", "int"),
    ("prod_name", "varchar"),
    ("qty", "numeric"),
    ("price", "numeric"),
    ("inv_date", "date"),
    ("due", "date"),
    ("inv_name", "varchar"),
    ("inv_prefix", "varchar"),
    ("inv_seq", "int"),
    ("s_cur", "numeric"),
    ("t_cur", "numeric"),
    ("tot_cur", "numeric"),
    ("s_bal", "numeric"),
    ("t_bal", "numeric"),
    ("tot_bal", "numeric"),
    ("res_cur", "numeric"),
    ("res_bal", "numeric"),
    ("pay_date", "date"),
    ("p_cur", "numeric"),
    ("p_bal", "numeric"),
    ("pay_name", "varchar"),
    ("pay_prefix", "varchar"),
    ("pay_seq", "int"),
    ("ref_date", "date"),
    ("ref_due", "date"),
    ("ref_qty", "numeric"),
    ("ref_price", "numeric"),
    ("ref_line_name", "varchar"),
    ("sr_cur", "numeric"),
    ("tr_cur", "numeric"),
    ("totr_cur", "numeric"),
    ("sr_bal", "numeric"),
    ("tr_bal", "numeric"),
    ("totr_bal", "numeric"),
    ("ref_name", "varchar"),
    ("ref_prefix", "varchar"),
    ("ref_seq", "int"),
    ("inv_move", "int"),
    ("pay_move", "int"),
    ("ref_move", "int"),
    ("pay_id", "int"),
    ("partial_id", "int"),
    ("full_id", "int"),
    ("l_inv_product", "int"),
    ("l_inv_tax", "int"),
    ("l_inv_rec", "int"),
    ("l_pay_liq", "int"),
    ("l_pay_rec", "int"),
    ("l_ref_product", "int"),
    ("l_ref_tax", "int"),
    ("l_ref_rec", "int"),
]


def _table_columns(table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND table_schema = current_schema() ORDER BY ordinal_position",
        (table,),
    )
    return [r[0] for r in cr.fetchall()]


def _insert_from_template(table, tmpl_roles, overrides, extra_where=""):
    """INSERT INTO table SELECT <template columns, overridden> FROM gen_rows g JOIN template t."""
    cols = _table_columns(table)
    missing = set(overrides) - set(cols)
    assert not missing, "unknown columns %s on %s" % (missing, table)
    exprs = [overrides.get(c, 't."%s"' % c) for c in cols]
    query = """
        INSERT INTO %s (%s)
        SELECT %s
          FROM gen_rows g
          JOIN gen_tmpl_names tn ON tn.combo = g.combo
          JOIN gen_tmpl_%s t ON t.gen_combo = g.combo AND t.gen_role IN %%s
         WHERE TRUE %s
    """ % (
        table,
        ", ".join('"%s"' % c for c in cols),
        ", ".join(exprs),
        table,
        extra_where,
    )
    cr.execute(query, (tuple(tmpl_roles),))
    return cr.rowcount


def _rn(expr):
    """Replace the template's document names by the generated ones inside a text column."""
    return (
        "replace(replace(replace(replace(replace(replace(%s, "
        "COALESCE(tn.ref_name, '#no-ref#'), '#@R@#'), tn.inv_name, '#@I@#'), "
        "COALESCE(tn.pay_name, '#no-pay#'), '#@P@#'), "
        "'#@R@#', COALESCE(g.ref_name, '')), '#@I@#', g.inv_name), '#@P@#', COALESCE(g.pay_name, ''))"
        % expr
    )


def fast_create(entries):  # noqa: C901 - one linear recipe, kept in one place
    t0 = time.time()
    tmpl_names = build_templates(entries)
    log("fast: templates built and captured (%.1fs)" % (time.time() - t0))
    eur_round = company.currency_id.round

    # --- sequence namers (follow the template numbering format)
    def tmpl_row(table, combo, role):
        cr.execute(
            "SELECT * FROM gen_tmpl_%s WHERE gen_combo = %%s AND gen_role = %%s"
            % table,
            (combo, role),
        )
        return dict(zip([d[0] for d in cr.description], cr.fetchone(), strict=False))

    any_combo = next(iter(tmpl_names))
    inv_t = tmpl_row("account_move", any_combo, "inv")
    inv_namer = _sequence_namer(
        sale_journal.id, inv_t["name"], inv_t["sequence_prefix"], TODAY.year
    )
    pay_combo = next((c for c in tmpl_names if tmpl_names[c][2]), None)
    ref_combo = next((c for c in tmpl_names if tmpl_names[c][3]), None)
    pay_namer = ref_namer = None
    if pay_combo:
        pay_t = tmpl_row("account_move", pay_combo, "pay")
        pay_namer = _sequence_namer(
            pay_t["journal_id"], pay_t["name"], pay_t["sequence_prefix"], TODAY.year
        )
    if ref_combo:
        ref_t = tmpl_row("account_move", ref_combo, "ref")
        ref_namer = _sequence_namer(
            ref_t["journal_id"], ref_t["name"], ref_t["sequence_prefix"], TODAY.year
        )

    cr.execute("SELECT id, COALESCE(complete_name, name) FROM res_partner")
    pname = dict(cr.fetchall())
    prod_names = {p.id: p.display_name for p in products}

    n = len(entries)
    n_pay = sum(1 for e in entries if e["pay_date"])
    n_ref = sum(1 for e in entries if e["refund_date"])
    n_partial = n_pay + n_ref
    n_full = sum(1 for e in entries if e["scen"] in ("paid", "reversed"))
    move_ids = _reserve_ids("account_move_id_seq", n + n_pay + n_ref)
    line_ids = _reserve_ids("account_move_line_id_seq", 3 * n + 2 * n_pay + 3 * n_ref)
    pay_ids = _reserve_ids("account_payment_id_seq", max(n_pay, 1))
    partial_ids = _reserve_ids("account_partial_reconcile_id_seq", max(n_partial, 1))
    full_ids = _reserve_ids("account_full_reconcile_id_seq", max(n_full, 1))

    by_inv_date = sorted(range(n), key=lambda i: (entries[i]["inv_date"], i))
    for i in by_inv_date:
        e = entries[i]
        e["inv_name"], e["inv_prefix"], e["inv_seq"] = inv_namer(e["inv_date"])
        e["inv_move"] = next(move_ids)
        e["l_inv"] = [next(line_ids) for _r in INV_ROLES]
    for i in sorted(
        (i for i in range(n) if entries[i]["pay_date"]),
        key=lambda i: (entries[i]["pay_date"], i),
    ):
        e = entries[i]
        e["pay_name"], e["pay_prefix"], e["pay_seq"] = pay_namer(e["pay_date"])
        e["pay_move"] = next(move_ids)
        e["pay_id"] = next(pay_ids)
        e["l_pay"] = [next(line_ids) for _r in PAY_ROLES]
    for i in sorted(
        (i for i in range(n) if entries[i]["refund_date"]),
        key=lambda i: (entries[i]["refund_date"], i),
    ):
        e = entries[i]
        e["ref_name"], e["ref_prefix"], e["ref_seq"] = ref_namer(e["refund_date"])
        e["ref_move"] = next(move_ids)
        e["l_ref"] = [next(line_ids) for _r in REF_ROLES]
    for i in by_inv_date:
        e = entries[i]
        e["partial_id"] = (
            next(partial_ids) if (e["pay_date"] or e["refund_date"]) else None
        )
        e["full_id"] = next(full_ids) if e["scen"] in ("paid", "reversed") else None

    buf = io.StringIO()

    def fmt(v):
        if v is None:
            return "\\N"
        s = str(v)
        return s.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")

    for k, e in enumerate(entries):
        rate = usd_rate(e["inv_date"]) if e["currency"] == "USD" else 1.0
        cur = FAST_CURRENCIES[e["currency"]]
        prod, qty, price = e["lines"][0]
        s_cur = cur.round(qty * price)
        t_cur = cur.round(s_cur * 0.2)
        tot_cur = cur.round(s_cur + t_cur)
        s_bal = eur_round(s_cur / rate)
        t_bal = eur_round(t_cur / rate)
        tot_bal = eur_round(s_bal + t_bal)
        p_cur = p_bal = None
        ref_qty = ref_price = ref_line_name = None
        sr_cur = tr_cur = totr_cur = sr_bal = tr_bal = totr_bal = None
        ref_due = None
        res_cur, res_bal = tot_cur, tot_bal
        if e["scen"] == "paid":
            p_cur, p_bal = tot_cur, tot_bal
        elif e["scen"] == "partial":
            p_cur = e["pay_amount"]
            p_bal = eur_round(p_cur / rate)
        if p_cur is not None:
            res_cur, res_bal = cur.round(tot_cur - p_cur), eur_round(tot_bal - p_bal)
        if e["scen"] == "reversed":
            ref_qty, ref_price, ref_line_name = qty, price, prod_names[prod]
            sr_cur, tr_cur, totr_cur, sr_bal, tr_bal, totr_bal = (
                s_cur,
                t_cur,
                tot_cur,
                s_bal,
                t_bal,
                tot_bal,
            )
        elif e["scen"] == "partial_cn":
            ref_qty, ref_price, ref_line_name = (
                1,
                e["refund_price"],
                "Remise commerciale",
            )
            sr_cur = cur.round(e["refund_price"])
            tr_cur = cur.round(sr_cur * 0.2)
            totr_cur = cur.round(sr_cur + tr_cur)
            sr_bal = eur_round(sr_cur / rate)
            tr_bal = eur_round(tr_cur / rate)
            totr_bal = eur_round(sr_bal + tr_bal)
        if totr_cur is not None:
            res_cur, res_bal = (
                cur.round(tot_cur - totr_cur),
                eur_round(tot_bal - totr_bal),
            )
            ref_due = due_date_for(e["term"], e["refund_date"])
        l_inv = e["l_inv"]
        l_pay = e.get("l_pay") or [None, None]
        l_ref = e.get("l_ref") or [None, None, None]
        row = (
            [
                k,
                _combo(e),
                e["partner"],
                e["commercial"],
                pname.get(e["partner"]),
                pname.get(e["commercial"]),
                e["user"],
                team_by_user.get(e["user"]) or None,
                TERMS[e["term"]].id,
                cur.id,
                rate,
                prod,
                prod_names[prod],
                qty,
                price,
                e["inv_date"],
                e["due"],
                e["inv_name"],
                e["inv_prefix"],
                e["inv_seq"],
                s_cur,
                t_cur,
                tot_cur,
                s_bal,
                t_bal,
                tot_bal,
                res_cur,
                res_bal,
                e["pay_date"],
                p_cur,
                p_bal,
                e.get("pay_name"),
                e.get("pay_prefix"),
                e.get("pay_seq"),
                e["refund_date"],
                ref_due,
                ref_qty,
                ref_price,
                ref_line_name,
                sr_cur,
                tr_cur,
                totr_cur,
                sr_bal,
                tr_bal,
                totr_bal,
                e.get("ref_name"),
                e.get("ref_prefix"),
                e.get("ref_seq"),
                e["inv_move"],
                e.get("pay_move"),
                e.get("ref_move"),
                e.get("pay_id"),
                e["partial_id"],
                e["full_id"],
            ]
            + l_inv
            + l_pay
            + l_ref
        )
        buf.write("\t".join(fmt(v) for v in row) + "\n")
    buf.seek(0)
    cr.execute("DROP TABLE IF EXISTS gen_rows")
    cr.execute(
        "CREATE TEMP TABLE gen_rows (%s)" % ", ".join("%s %s" % c for c in GEN_COLS)
    )
    cr._obj.copy_expert("COPY gen_rows FROM STDIN", buf)
    cr.execute("CREATE INDEX ON gen_rows (combo)")
    cr.execute("ANALYZE gen_rows")
    log("fast: %d rows planned in gen_rows (%.1fs)" % (n, time.time() - t0))

    # ---------------------------------------------------------------- moves
    move_common = {
        "access_token": "NULL",
        "currency_id": "g.cur_id",
        "create_date": "now() at time zone 'UTC'",
        "write_date": "now() at time zone 'UTC'",
        "message_main_attachment_id": "NULL",
    }
    inv_amounts = {
        "amount_untaxed": "g.s_cur",
        "amount_tax": "g.t_cur",
        "amount_total": "g.tot_cur",
        "amount_residual": "g.res_cur",
        "amount_untaxed_signed": "g.s_bal",
        "amount_untaxed_in_currency_signed": "g.s_cur",
        "amount_tax_signed": "g.t_bal",
        "amount_total_signed": "g.tot_bal",
        "amount_total_in_currency_signed": "g.tot_cur",
        "amount_residual_signed": "g.res_bal",
    }
    doc_common = dict(
        move_common,
        **{
            "partner_id": "g.partner",
            "commercial_partner_id": "g.commercial",
            "partner_shipping_id": "g.partner",
            "invoice_user_id": "g.user_id",
            "team_id": "g.team_id",
            "invoice_payment_term_id": "g.term_id",
            "invoice_currency_rate": "g.rate",
            "invoice_partner_display_name": "g.pdisp",
            "ref": _rn("t.ref"),
            "payment_reference": _rn("t.payment_reference"),
        },
    )
    n_moves = _insert_from_template(
        "account_move",
        ["inv"],
        dict(
            doc_common,
            **inv_amounts,
            **{
                "id": "g.inv_move",
                "name": "g.inv_name",
                "sequence_prefix": "g.inv_prefix",
                "sequence_number": "g.inv_seq",
                "date": "g.inv_date",
                "invoice_date": "g.inv_date",
                "invoice_date_due": "g.due",
            },
        ),
    )
    n_moves += _insert_from_template(
        "account_move",
        ["ref"],
        dict(
            doc_common,
            **{
                "id": "g.ref_move",
                "name": "g.ref_name",
                "sequence_prefix": "g.ref_prefix",
                "sequence_number": "g.ref_seq",
                "date": "g.ref_date",
                "invoice_date": "g.ref_date",
                "invoice_date_due": "g.ref_due",
                "reversed_entry_id": "g.inv_move",
                "amount_untaxed": "g.sr_cur",
                "amount_tax": "g.tr_cur",
                "amount_total": "g.totr_cur",
                "amount_untaxed_signed": "-g.sr_bal",
                "amount_untaxed_in_currency_signed": "-g.sr_cur",
                "amount_tax_signed": "-g.tr_bal",
                "amount_total_signed": "-g.totr_bal",
                "amount_total_in_currency_signed": "-g.totr_cur",
            },
        ),
    )
    n_moves += _insert_from_template(
        "account_move",
        ["pay"],
        dict(
            move_common,
            **{
                "id": "g.pay_move",
                "name": "g.pay_name",
                "sequence_prefix": "g.pay_prefix",
                "sequence_number": "g.pay_seq",
                "date": "g.pay_date",
                "partner_id": "g.commercial",
                "commercial_partner_id": "g.commercial",
                "origin_payment_id": "NULL",  # set below (circular FK)
                "invoice_partner_display_name": "g.cdisp",
                "ref": _rn("t.ref"),
                "payment_reference": _rn("t.payment_reference"),
                "amount_total": "g.p_cur",
                "amount_total_signed": "g.p_bal",
                "amount_total_in_currency_signed": "g.p_cur",
            },
        ),
    )
    log("fast: %d account_move rows (%.1fs)" % (n_moves, time.time() - t0))

    # ---------------------------------------------------------------- payments
    n_pay_rows = _insert_from_template(
        "account_payment",
        ["payment"],
        {
            "id": "g.pay_id",
            "move_id": "g.pay_move",
            "partner_id": "g.commercial",
            "currency_id": "g.cur_id",
            "name": "g.pay_name",
            "memo": _rn("t.memo"),
            "payment_reference": _rn("t.payment_reference"),
            "date": "g.pay_date",
            "amount": "g.p_cur",
            "amount_company_currency_signed": "g.p_bal",
            "create_date": "now() at time zone 'UTC'",
            "write_date": "now() at time zone 'UTC'",
            "message_main_attachment_id": "NULL",
        },
    )
    cr.execute(
        "INSERT INTO account_move__account_payment (invoice_id, payment_id) "
        "SELECT inv_move, pay_id FROM gen_rows WHERE pay_id IS NOT NULL"
    )
    cr.execute(
        "UPDATE account_move m SET origin_payment_id = g.pay_id FROM gen_rows g WHERE m.id = g.pay_move"
    )
    if n_full:
        _insert_from_template(
            "account_full_reconcile",
            ["full"],
            {
                "id": "g.full_id",
                "exchange_move_id": "NULL",
                "create_date": "now() at time zone 'UTC'",
                "write_date": "now() at time zone 'UTC'",
            },
        )
    # ---------------------------------------------------------------- lines
    matching = (
        "CASE WHEN g.full_id IS NOT NULL THEN g.full_id::text "
        "WHEN g.partial_id IS NOT NULL THEN 'P' || g.partial_id END"
    )
    line_common = {
        "partner_id": "g.commercial",
        "currency_id": "g.cur_id",
        "name": _rn("t.name"),
        "ref": _rn("t.ref"),
        "create_date": "now() at time zone 'UTC'",
        "write_date": "now() at time zone 'UTC'",
    }
    inv_line = dict(
        line_common,
        move_id="g.inv_move",
        move_name="g.inv_name",
        date="g.inv_date",
        invoice_date="g.inv_date",
    )
    ref_line = dict(
        line_common,
        move_id="g.ref_move",
        move_name="g.ref_name",
        date="g.ref_date",
        invoice_date="g.ref_date",
    )
    pay_line = dict(
        line_common,
        move_id="g.pay_move",
        move_name="g.pay_name",
        date="g.pay_date",
        date_maturity="g.pay_date",
        payment_id="g.pay_id",
    )
    specs = [
        (
            "inv_product",
            dict(
                inv_line,
                id="g.l_inv_product",
                product_id="g.product_id",
                name="g.prod_name",
                quantity="g.qty",
                price_unit="g.price",
                price_subtotal="g.s_cur",
                price_total="g.tot_cur",
                balance="-g.s_bal",
                debit="0",
                credit="g.s_bal",
                amount_currency="-g.s_cur",
            ),
        ),
        (
            "inv_tax",
            dict(
                inv_line,
                id="g.l_inv_tax",
                balance="-g.t_bal",
                debit="0",
                credit="g.t_bal",
                amount_currency="-g.t_cur",
                tax_base_amount="g.s_bal",
            ),
        ),
        (
            "inv_rec",
            dict(
                inv_line,
                id="g.l_inv_rec",
                balance="g.tot_bal",
                debit="g.tot_bal",
                credit="0",
                amount_currency="g.tot_cur",
                amount_residual="g.res_bal",
                amount_residual_currency="g.res_cur",
                date_maturity="g.due",
                reconciled="(g.res_bal = 0 AND g.res_cur = 0)",
                matching_number=matching,
                full_reconcile_id="g.full_id",
            ),
        ),
        (
            "pay_liq",
            dict(
                pay_line,
                id="g.l_pay_liq",
                balance="g.p_bal",
                debit="g.p_bal",
                credit="0",
                amount_currency="g.p_cur",
                amount_residual="g.p_bal",
                amount_residual_currency="g.p_cur",
                price_subtotal="g.p_cur",
                price_total="g.p_cur",
                reconciled="FALSE",
            ),
        ),
        (
            "pay_rec",
            dict(
                pay_line,
                id="g.l_pay_rec",
                balance="-g.p_bal",
                debit="0",
                credit="g.p_bal",
                amount_currency="-g.p_cur",
                amount_residual="0",
                amount_residual_currency="0",
                price_subtotal="-g.p_cur",
                price_total="-g.p_cur",
                reconciled="TRUE",
                matching_number=matching,
                full_reconcile_id="g.full_id",
            ),
        ),
        (
            "ref_product",
            dict(
                ref_line,
                id="g.l_ref_product",
                product_id="g.product_id",
                name="g.ref_line_name",
                quantity="g.ref_qty",
                price_unit="g.ref_price",
                price_subtotal="g.sr_cur",
                price_total="g.totr_cur",
                balance="g.sr_bal",
                debit="g.sr_bal",
                credit="0",
                amount_currency="g.sr_cur",
            ),
        ),
        (
            "ref_tax",
            dict(
                ref_line,
                id="g.l_ref_tax",
                balance="g.tr_bal",
                debit="g.tr_bal",
                credit="0",
                amount_currency="g.tr_cur",
                tax_base_amount="g.sr_bal",
            ),
        ),
        (
            "ref_rec",
            dict(
                ref_line,
                id="g.l_ref_rec",
                balance="-g.totr_bal",
                debit="0",
                credit="g.totr_bal",
                amount_currency="-g.totr_cur",
                amount_residual="0",
                amount_residual_currency="0",
                date_maturity="g.ref_due",
                reconciled="TRUE",
                matching_number=matching,
                full_reconcile_id="g.full_id",
            ),
        ),
    ]
    n_lines = 0
    for role, overrides in specs:
        n_lines += _insert_from_template("account_move_line", [role], overrides)
    log("fast: %d account_move_line rows (%.1fs)" % (n_lines, time.time() - t0))
    if n_partial:
        _insert_from_template(
            "account_partial_reconcile",
            ["partial"],
            {
                "id": "g.partial_id",
                "debit_move_id": "g.l_inv_rec",
                "credit_move_id": "COALESCE(g.l_pay_rec, g.l_ref_rec)",
                "full_reconcile_id": "g.full_id",
                "exchange_move_id": "NULL",
                "debit_currency_id": "g.cur_id",
                "credit_currency_id": "g.cur_id",
                "max_date": "GREATEST(g.inv_date, COALESCE(g.pay_date, g.ref_date))",
                "amount": "COALESCE(g.p_bal, g.totr_bal)",
                "debit_amount_currency": "COALESCE(g.p_cur, g.totr_cur)",
                "credit_amount_currency": "COALESCE(g.p_cur, g.totr_cur)",
                "create_date": "now() at time zone 'UTC'",
                "write_date": "now() at time zone 'UTC'",
            },
        )
    role_case = "CASE r.role %s END" % " ".join(
        "WHEN '%s' THEN g.l_%s" % (role, role)
        for role in INV_ROLES + PAY_ROLES + REF_ROLES
    )
    cr.execute(
        "INSERT INTO account_move_line_account_tax_rel (account_move_line_id, account_tax_id) "
        "SELECT %s, r.tax_id FROM gen_rows g JOIN gen_tmpl_tax r ON r.combo = g.combo"
        % role_case
    )
    cr.execute(
        "INSERT INTO account_account_tag_account_move_line_rel (account_move_line_id, account_account_tag_id) "
        "SELECT %s, r.tag_id FROM gen_rows g JOIN gen_tmpl_tag r ON r.combo = g.combo"
        % role_case
    )
    env.invalidate_all(flush=False)
    log(
        "fast: SQL replication done: %d moves, %d lines, %d payments (%.1fs)"
        % (n_moves, n_lines, n_pay_rows, time.time() - t0)
    )


# ---------------------------------------------------------------------------
# 7. Consistency checks
# ---------------------------------------------------------------------------
def sql_checks():
    """Global, set-based invariants over all journal entries. Returns {check: number of offenders}."""
    res = {}
    cr.execute("""
        SELECT COUNT(*) FROM (
            SELECT move_id FROM account_move_line GROUP BY move_id
            HAVING SUM(balance) <> 0 OR SUM(debit) <> SUM(credit)) x""")
    res["unbalanced_moves"] = cr.fetchone()[0]
    cr.execute("""SELECT COUNT(*) FROM account_move_line
                   WHERE debit <> GREATEST(balance, 0) OR credit <> GREATEST(-balance, 0)""")
    res["debit_credit_vs_balance"] = cr.fetchone()[0]
    cr.execute("""
        SELECT COUNT(*) FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
          LEFT JOIN (SELECT debit_move_id lid, SUM(amount) a, SUM(debit_amount_currency) ac
                       FROM account_partial_reconcile GROUP BY 1) d ON d.lid = l.id
          LEFT JOIN (SELECT credit_move_id lid, SUM(amount) a, SUM(credit_amount_currency) ac
                       FROM account_partial_reconcile GROUP BY 1) c ON c.lid = l.id
         WHERE a.reconcile AND (
               l.amount_residual <> l.balance - COALESCE(d.a, 0) + COALESCE(c.a, 0)
            OR l.amount_residual_currency <> l.amount_currency - COALESCE(d.ac, 0) + COALESCE(c.ac, 0)
            OR l.reconciled <> (l.amount_residual = 0 AND l.amount_residual_currency = 0))""")
    res["line_residual_vs_partials"] = cr.fetchone()[0]
    cr.execute("""
        SELECT COUNT(*) FROM account_move m
          JOIN (SELECT l.move_id, SUM(l.amount_residual) r, SUM(l.amount_residual_currency) rc,
                       SUM(l.balance) b, SUM(l.amount_currency) bc, MIN(l.date_maturity) due
                  FROM account_move_line l JOIN account_account a ON a.id = l.account_id
                 WHERE a.account_type = 'asset_receivable' GROUP BY 1) x ON x.move_id = m.id
         WHERE m.move_type IN ('out_invoice', 'out_refund') AND (
               ABS(x.r) <> ABS(m.amount_residual_signed) OR ABS(x.rc) <> m.amount_residual
            OR ABS(x.b) <> ABS(m.amount_total_signed) OR ABS(x.bc) <> m.amount_total
            OR x.due <> m.invoice_date_due)""")
    res["move_totals_vs_receivable_lines"] = cr.fetchone()[0]
    cr.execute("""
        SELECT COUNT(*) FROM account_move m
         WHERE m.move_type = 'out_invoice' AND m.state = 'posted' AND (
               (m.amount_residual = 0) <> (m.payment_state IN ('paid', 'in_payment', 'reversed'))
            OR (m.amount_residual = m.amount_total) <> (m.payment_state = 'not_paid'))""")
    res["payment_state_vs_residual"] = cr.fetchone()[0]
    cr.execute("""SELECT COUNT(*) FROM (SELECT name, journal_id FROM account_move WHERE state = 'posted'
                   GROUP BY 1, 2 HAVING COUNT(*) > 1) x""")
    res["duplicate_names"] = cr.fetchone()[0]
    cr.execute("""SELECT COUNT(*) FROM account_move_line l JOIN account_move m ON m.id = l.move_id
                   WHERE (m.move_type IN ('out_invoice', 'out_refund') OR m.origin_payment_id IS NOT NULL)
                     AND (l.partner_id IS DISTINCT FROM m.commercial_partner_id
                      OR l.parent_state <> m.state OR l.date <> m.date OR l.journal_id <> m.journal_id
                      OR l.move_name <> m.name OR l.company_id <> m.company_id)""")
    res["line_vs_move_fields"] = cr.fetchone()[0]
    cr.execute("""SELECT COUNT(*) FROM account_move m JOIN res_partner p ON p.id = m.partner_id
                   WHERE m.commercial_partner_id <> p.commercial_partner_id""")
    res["commercial_partner"] = cr.fetchone()[0]
    return res


def orm_checks(sample_size):
    """Recompute stored fields through the ORM on a random sample and compare them."""
    cr.execute(
        "SELECT id FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'"
    )
    inv_ids = [r[0] for r in cr.fetchall()]
    chk = random.Random(SEED + 1)
    invoices = Move.browse(chk.sample(inv_ids, min(sample_size, len(inv_ids))))
    related = invoices.reversal_move_ids | invoices.matched_payment_ids.move_id
    moves = invoices | related
    lines = moves.line_ids
    payments = invoices.matched_payment_ids
    move_fields = [
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "amount_residual",
        "amount_untaxed_signed",
        "amount_tax_signed",
        "amount_total_signed",
        "amount_residual_signed",
        "amount_total_in_currency_signed",
        "payment_state",
        "commercial_partner_id",
        "invoice_partner_display_name",
        "invoice_currency_rate",
    ]
    line_fields = [
        "debit",
        "credit",
        "amount_residual",
        "amount_residual_currency",
        "reconciled",
        "price_subtotal",
        "price_total",
        "partner_id",
        "matching_number",
    ]
    pay_fields = ["is_reconciled", "is_matched", "amount_company_currency_signed"]

    def snapshot(records, fnames):
        return {(r.id, f): r[f] for r in records for f in fnames}

    before = [
        snapshot(moves, move_fields),
        snapshot(lines, line_fields),
        snapshot(payments, pay_fields),
    ]
    # extra invariants computed from non-stored ORM fields
    errors = []
    for inv in invoices | invoices.reversal_move_ids:
        totals = inv.tax_totals or {}
        if inv.currency_id.compare_amounts(
            totals.get("tax_amount_currency", 0.0), inv.amount_tax
        ) or inv.currency_id.compare_amounts(
            totals.get("base_amount_currency", 0.0), inv.amount_untaxed
        ):
            errors.append(
                "%s: tax_totals %s/%s vs stored %s/%s"
                % (
                    inv.name,
                    totals.get("base_amount_currency"),
                    totals.get("tax_amount_currency"),
                    inv.amount_untaxed,
                    inv.amount_tax,
                )
            )
        due = sorted(k["date_maturity"] for k in (inv.needed_terms or {}))
        term_lines = inv.line_ids.filtered(
            lambda aml: aml.display_type == "payment_term"
        )
        if due and due != sorted(term_lines.mapped("date_maturity")):
            errors.append(
                "%s: due %s vs needed_terms %s"
                % (inv.name, term_lines.mapped("date_maturity"), due)
            )
        single = len(inv.invoice_line_ids) == 1  # multi-line taxes are rounded globally
        for line in inv.line_ids.filtered(
            lambda aml, single=single: aml.display_type == "product" or single
        ):
            expected = company.currency_id.round(
                line.amount_currency / (inv.invoice_currency_rate or 1.0)
            )
            if (
                line.display_type != "payment_term"
                and company.currency_id.compare_amounts(expected, line.balance)
            ):
                errors.append(
                    "%s: line %s balance %s vs amount_currency/rate %s"
                    % (inv.name, line.id, line.balance, expected)
                )
    for model, records, fnames in (
        ("account.move", moves, move_fields),
        ("account.move.line", lines, line_fields),
        ("account.payment", payments, pay_fields),
    ):
        for fname in fnames:
            field = env[model]._fields[fname]
            if field.compute and field.store:
                env.add_to_compute(field, records)
    after = [
        snapshot(moves, move_fields),
        snapshot(lines, line_fields),
        snapshot(payments, pay_fields),
    ]
    for b, a, label in zip(before, after, ("move", "line", "payment"), strict=False):
        for key, value in b.items():
            other = a[key]
            if isinstance(value, float) and isinstance(other, float):
                same = abs(value - other) < 0.005
            else:
                same = value == other
            if not same:
                errors.append(
                    "%s %s.%s stored=%r recomputed=%r"
                    % (label, key[0], key[1], value, other)
                )
    # partner ledger: credit (receivable residual) vs the open documents of the customer
    partners = invoices.commercial_partner_id[:50]
    for partner in partners:
        docs = Move.search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        expected = sum(docs.mapped("amount_residual_signed"))
        if company.currency_id.compare_amounts(expected, partner.credit):
            errors.append(
                "partner %s credit %s vs open documents %s"
                % (partner.id, partner.credit, expected)
            )
    return len(moves), len(lines), len(partners), errors


# ---------------------------------------------------------------------------
# 8. Main
# ---------------------------------------------------------------------------
t_moves = time.time()
if MODE == "demo":
    orm_create(plan)
    log(
        "demo: %d invoices created through the ORM (%.1fs)"
        % (len(plan), time.time() - t_moves)
    )
else:
    fast_create(plan)
    log("fast: %d invoices replicated (%.1fs)" % (len(plan), time.time() - t_moves))
env.flush_all()
cr.commit()
gen_seconds = time.time() - T_START
for table in (
    "account_move",
    "account_move_line",
    "account_partial_reconcile",
    "account_full_reconcile",
    "account_payment",
    "account_move__account_payment",
    "account_move_line_account_tax_rel",
    "res_partner",
):
    cr.execute("ANALYZE %s" % table)
cr.commit()
log("committed and analyzed (generation %.1fs)" % gen_seconds)

t_check = time.time()
checks = sql_checks()
n_moves_chk, n_lines_chk, n_partners_chk, orm_errors = orm_checks(N_CHECK)
cr.rollback()  # discard whatever the recomputations wrote
env.invalidate_all(flush=False)
bad = {k: v for k, v in checks.items() if v}
log("SQL checks: %s" % ", ".join("%s=%s" % kv for kv in checks.items()))
log(
    "ORM recompute check on %d moves / %d lines / %d partners: %d mismatches"
    % (n_moves_chk, n_lines_chk, n_partners_chk, len(orm_errors))
)
for err in orm_errors[:20]:
    log("  MISMATCH %s" % err)
log("checks took %.1fs" % (time.time() - t_check))

cr.execute(
    """
    SELECT COUNT(*) FILTER (WHERE move_type = 'out_invoice'),
           COUNT(*) FILTER (WHERE move_type = 'out_invoice' AND amount_residual > 0),
           COUNT(*) FILTER (WHERE move_type = 'out_invoice' AND amount_residual > 0 AND invoice_date_due < %(today)s),
           COUNT(*) FILTER (WHERE move_type = 'out_invoice' AND amount_residual > 0 AND invoice_date_due >= %(today)s),
           COUNT(*) FILTER (WHERE move_type = 'out_invoice' AND payment_state = 'partial'),
           COUNT(*) FILTER (WHERE move_type = 'out_refund'),
           COUNT(*) FILTER (WHERE move_type = 'out_invoice' AND currency_id = %(usd)s),
           COALESCE(SUM(amount_residual_signed) FILTER (WHERE move_type IN ('out_invoice', 'out_refund')), 0),
           MAX(%(today)s - invoice_date_due) FILTER (WHERE move_type = 'out_invoice' AND amount_residual > 0),
           MIN(invoice_date) FILTER (WHERE move_type = 'out_invoice')
      FROM account_move WHERE state = 'posted' AND company_id = %(company)s
""",
    {"today": TODAY, "usd": usd.id, "company": company.id},
)
(
    n_inv,
    n_open,
    n_overdue,
    n_not_due,
    n_partial,
    n_refund,
    n_usd,
    open_amount,
    max_overdue,
    first_date,
) = cr.fetchone()
cr.execute("SELECT COUNT(*) FROM account_payment WHERE company_id = %s", (company.id,))
n_payments = cr.fetchone()[0]
orm_open = env["account.move"].search_count(
    [
        ("move_type", "=", "out_invoice"),
        ("state", "=", "posted"),
        ("amount_residual", ">", 0),
    ]
)
print(
    "GENERATE mode=%s customers=%d invoices=%d open=%d overdue=%d not_due=%d partial=%d credit_notes=%d "
    "usd_invoices=%d payments=%d open_amount_eur=%.2f max_overdue_days=%s first_invoice=%s "
    "orm_open_count=%d check_errors=%d seconds=%.1f"
    % (
        MODE,
        len(customer_meta),
        n_inv,
        n_open,
        n_overdue,
        n_not_due,
        n_partial,
        n_refund,
        n_usd,
        n_payments,
        open_amount,
        max_overdue,
        first_date,
        orm_open,
        sum(bad.values()) + len(orm_errors),
        gen_seconds,
    ),
    flush=True,
)
if STRICT and (bad or orm_errors):
    raise SystemExit(
        "generate_data: %d consistency check failures"
        % (sum(bad.values()) + len(orm_errors))
    )
