# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
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
``DUNNING_GEN_CHECK``       number of moves re-computed through the ORM to
                            check the consistency of the fast mode, default 300

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
        first, rnd.randint(0, 99), rnd.randint(0, 99), rnd.randint(0, 99), rnd.randint(0, 99)
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

has_entries = bool(env["account.move.line"].search_count([("company_id", "=", company.id)], limit=1))
company_vals = {
    "name": "Atelier Dubois SAS",
    "street": "12 rue des Tanneurs",
    "zip": "69002",
    "city": "Lyon",
    "country_id": env.ref("base.fr").id,
    "vat": "FR40732829320",
    "company_registry": "732 829 320 R.C.S. Lyon",
    "email": "comptabilite@atelier-dubois.fr",
    "phone": "+33 4 78 42 17 30",
    "website": "https://www.atelier-dubois.fr",
}
if company.currency_id != eur:
    if has_entries:
        log("WARNING: company currency is %s and journal entries exist: currency left unchanged"
            % company.currency_id.name)
    else:
        company_vals["currency_id"] = eur.id
company.write(company_vals)
company.partner_id.write({"lang": "fr_FR"} if env["res.lang"]._lang_get("fr_FR") else {})

if not company.chart_template:
    log("no chart of accounts: loading the French one (l10n_fr_account / 'fr')")
    if env["ir.module.module"].search([("name", "=", "l10n_fr_account")]).state != "installed":
        env["ir.module.module"].search([("name", "=", "l10n_fr_account")]).button_immediate_install()
        env = env(context=dict(env.context))
    env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
    env.invalidate_all()
log("company %s, chart %s, currency %s" % (company.name, company.chart_template, company.currency_id.name))

env["res.lang"]._activate_lang("fr_FR")
company.partner_id.lang = "fr_FR"

# USD rates (units of USD for 1 EUR), one per month over the last 16 months
Rate = env["res.currency.rate"]
rates_by_month = {}
month = TODAY.replace(day=1) - relativedelta(months=16)
i = 0
while month <= TODAY:
    rate = round(1.085 + 0.035 * ((i % 7) - 3) / 3.0 + rnd.uniform(-0.01, 0.01), 4)
    rates_by_month[month] = rate
    existing = Rate.search([("currency_id", "=", usd.id), ("name", "=", month), ("company_id", "=", company.id)])
    if existing:
        existing.rate = rate
    else:
        Rate.create({"currency_id": usd.id, "name": month, "rate": rate, "company_id": company.id})
    month += relativedelta(months=1)
    i += 1


def usd_rate(date):
    return rates_by_month[date.replace(day=1)]


# ---------------------------------------------------------------------------
# 2. Journals, taxes, payment terms, products, salespeople
# ---------------------------------------------------------------------------
sale_journal = env["account.journal"].search(
    [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
bank_journal = env["account.journal"].search(
    [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
assert sale_journal and bank_journal, "no sale/bank journal"

sale_taxes = env["account.tax"].search([
    ("company_id", "=", company.id), ("type_tax_use", "=", "sale"),
    ("amount_type", "=", "percent"), ("amount", "=", 20.0),
])
sale_taxes = sale_taxes.filtered(lambda t: not t.price_include and not t.children_tax_ids)
tax20 = sale_taxes.filtered(lambda t: t == company.account_sale_tax_id)[:1] or sale_taxes[:1]
if not tax20:
    base_tax = company.account_sale_tax_id or env["account.tax"].search([
        ("company_id", "=", company.id), ("type_tax_use", "=", "sale"),
        ("amount_type", "=", "percent")], limit=1)
    tax20 = base_tax.copy({"name": "TVA 20%", "amount": 20.0, "description": "20%"})
    log("created sale tax %s" % tax20.name)
company.account_sale_tax_id = tax20
log("sale tax: %s (%s)" % (tax20.name, tax20.id))

term_immediate = env.ref("account.account_payment_term_immediate")
term_30 = env.ref("account.account_payment_term_30days")
term_45eom = env["account.payment.term"].search([("name", "=", "45 jours fin de mois")], limit=1)
if not term_45eom:
    term_45eom = env["account.payment.term"].create({
        "name": "45 jours fin de mois",
        "note": "Paiement à 45 jours fin de mois",
        "line_ids": [Command.create({
            "value": "percent", "value_amount": 100.0, "nb_days": 45,
            "delay_type": "days_end_of_month_on_the", "days_next_month": "0",
        })],
    })
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
        prod = env["product.product"].create({
            "name": name, "list_price": price, "type": ptype, "sale_ok": True,
            "taxes_id": [Command.set(tax20.ids)], "invoice_policy": "order",
        })
    products |= prod
PRICES = {p.id: price for p, (n, price, t) in zip(products, PRODUCT_DEFS)}

SALESPEOPLE = [("Claire Moreau", "claire.moreau"), ("Julien Garnier", "julien.garnier"),
               ("Sophie Lambert", "sophie.lambert")]
sales_groups = [env.ref("base.group_user").id, env.ref("sales_team.group_sale_salesman").id,
                env.ref("account.group_account_invoice").id]
salespeople = env["res.users"]
for name, login in SALESPEOPLE:
    user = env["res.users"].with_context(active_test=False).search([("login", "=", login)], limit=1)
    if not user:
        user = env["res.users"].create({
            "name": name, "login": login, "email": "%s@atelier-dubois.fr" % login,
            "company_id": company.id, "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.set(sales_groups)], "lang": "fr_FR", "tz": "Europe/Paris",
        })
    salespeople |= user
team = env.ref("sales_team.team_sales_department", raise_if_not_found=False)
if team:
    team.write({"member_ids": [Command.link(u.id) for u in salespeople]})
log("setup done (%d salespeople, %d products)" % (len(salespeople), len(products)))

# ---------------------------------------------------------------------------
# 3. Customers
# ---------------------------------------------------------------------------
FIRST_FR = ["Jean", "Marie", "Pierre", "Camille", "Nicolas", "Isabelle", "Thomas", "Claire", "Antoine",
            "Nathalie", "Julien", "Sophie", "François", "Céline", "Laurent", "Élodie", "Mathieu",
            "Aurélie", "Olivier", "Hélène", "Sébastien", "Émilie", "Guillaume", "Chloé", "Benoît",
            "Léa", "Stéphane", "Manon", "Philippe", "Anaïs", "Christophe", "Valérie", "Hugo", "Inès"]
LAST_FR = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
           "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
           "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont",
           "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau",
           "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
           "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
           "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier",
           "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Perez", "Marchand"]
FIRST_EN = ["James", "Emma", "Oliver", "Charlotte", "William", "Amelia", "Harry", "Olivia", "George",
            "Emily", "Jack", "Grace", "Henry", "Lucy", "Edward", "Sarah", "Daniel", "Hannah"]
LAST_EN = ["Smith", "Johnson", "Williams", "Brown", "Taylor", "Davies", "Wilson", "Evans", "Walker",
           "Wright", "Thompson", "Roberts", "Hughes", "Clarke", "Harrison", "Baker", "Cooper", "Ward"]
COMPANY_PATTERNS_FR = ["Boulangerie {n}", "Garage {n}", "Menuiserie {n}", "Cabinet {n}",
                       "Transports {n}", "Imprimerie {n}", "Pharmacie {n}", "Librairie {n}",
                       "Hôtel {n}", "Restaurant Chez {f}", "{n} & Fils", "{n} Industrie",
                       "SARL {n}", "SAS {n} Conseil", "Ets {n}", "Brasserie {n}", "Atelier {n}",
                       "Fromagerie {n}", "Caves {n}", "{n} Bâtiment", "Agence {n} Immobilier"]
COMPANY_PATTERNS_EN = ["{n} & Co France", "{n} Consulting", "{n} Trading SAS", "{n} Design Studio",
                       "{n} Hospitality", "{n} Logistics France"]
CITIES = [("Paris", "75011"), ("Lyon", "69003"), ("Marseille", "13006"), ("Toulouse", "31000"),
          ("Nice", "06000"), ("Nantes", "44000"), ("Strasbourg", "67000"), ("Montpellier", "34000"),
          ("Bordeaux", "33000"), ("Lille", "59000"), ("Rennes", "35000"), ("Reims", "51100"),
          ("Grenoble", "38000"), ("Dijon", "21000"), ("Angers", "49000"), ("Villeurbanne", "69100"),
          ("Annecy", "74000"), ("Tours", "37000"), ("Clermont-Ferrand", "63000"), ("Rouen", "76000")]
STREETS = ["rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Gambetta",
           "place de la Mairie", "rue Pasteur", "rue du Général de Gaulle", "avenue Foch",
           "chemin des Vignes", "rue des Lilas", "quai Saint-Antoine", "rue Nationale"]
FUNCTIONS = ["Gérant", "Directeur administratif et financier", "Comptable", "Responsable achats",
             "Assistante de direction", "Office manager"]
MAIL_DOMAINS = ["gmail.com", "orange.fr", "free.fr", "laposte.net", "outlook.fr", "sfr.fr"]

fr_country = env.ref("base.fr").id
big = N_CUSTOMERS > 150
customer_meta = []   # per customer: dict(commercial, invoice_address, user, term, usd)
Partner = env["res.partner"]
t_partners = time.time()
BATCH = 500
for start in range(0, N_CUSTOMERS, BATCH):
    parents_vals, children_plan, metas = [], [], []
    for idx in range(start, min(start + BATCH, N_CUSTOMERS)):
        lang = "en_US" if rnd.random() < 0.25 else "fr_FR"
        first_names, last_names = (FIRST_EN, LAST_EN) if lang == "en_US" else (FIRST_FR, LAST_FR)
        is_company = rnd.random() < 0.65
        city, zipcode = rnd.choice(CITIES)
        suffix = ("-%d" % idx) if big else ""
        vals = {
            "street": "%d %s" % (rnd.randint(1, 180), rnd.choice(STREETS)),
            "city": city, "zip": zipcode, "country_id": fr_country, "lang": lang,
            "customer_rank": 1, "ref": "C%05d" % (idx + 1), "phone": fr_phone(),
            "user_id": rnd.choice(salespeople.ids) if rnd.random() < 0.85 else False,
            "company_id": False,
        }
        term_key = rnd.choices(["30", "45eom", "immediate"], [0.55, 0.30, 0.15])[0]
        vals["property_payment_term_id"] = TERMS[term_key].id
        if is_company:
            last = rnd.choice(last_names)
            pattern = rnd.choice(COMPANY_PATTERNS_EN if lang == "en_US" else COMPANY_PATTERNS_FR)
            name = pattern.format(n=last, f=rnd.choice(first_names))
            domain = "%s%s.%s" % (slug(name), suffix, "com" if lang == "en_US" else "fr")
            vals.update({"name": name, "is_company": True, "email": "contact@%s" % domain,
                         "vat": fr_vat(random_siren()), "website": "https://www.%s" % domain})
        else:
            first, last = rnd.choice(first_names), rnd.choice(last_names)
            name = "%s %s" % (first, last)
            domain = None
            vals.update({"name": name, "is_company": False, "email": "%s.%s%s@%s" % (
                slug(first), slug(last), suffix, rnd.choice(MAIL_DOMAINS))})
        if rnd.random() < 0.4 or (not is_company and rnd.random() < 0.5):
            vals["mobile"] = fr_phone(mobile=True)
        if idx == 2:  # the one customer without any email address
            vals.update({"is_company": False, "name": "Gérard Fontaine", "email": False,
                         "vat": False, "website": False, "mobile": fr_phone(mobile=True)})
            is_company = False
        usd_customer = rnd.random() < (0.35 if lang == "en_US" else 0.04)
        parents_vals.append(vals)
        kids = []
        if is_company:
            for _k in range(rnd.choice([1, 1, 2])):
                f, l = rnd.choice(first_names), rnd.choice(last_names)
                kids.append({
                    "name": "%s %s" % (f, l), "type": "contact", "function": rnd.choice(FUNCTIONS),
                    "email": "%s.%s@%s" % (slug(f), slug(l), domain), "lang": lang,
                    "phone": vals["phone"], "mobile": fr_phone(True) if rnd.random() < 0.5 else False,
                })
            if rnd.random() < 0.35:
                kids.append({
                    "name": "Service comptabilité" if lang == "fr_FR" else "Accounts payable",
                    "type": "invoice", "email": "compta@%s" % domain, "lang": lang,
                    "street": vals["street"], "city": city, "zip": zipcode, "country_id": fr_country,
                })
        children_plan.append(kids)
        metas.append({"term": term_key, "usd": usd_customer, "user": vals["user_id"]})
    parents = Partner.create(parents_vals)
    child_vals = []
    for parent, kids in zip(parents, children_plan):
        for kid in kids:
            kid["parent_id"] = parent.id
            child_vals.append(kid)
    children = Partner.create(child_vals) if child_vals else Partner
    invoice_children = {c.parent_id.id: c.id for c in children if c.type == "invoice"}
    for parent, meta in zip(parents, metas):
        meta["commercial"] = parent.id
        meta["invoice_address"] = invoice_children.get(parent.id, parent.id)
        customer_meta.append(meta)
    env.invalidate_all()
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
    currency = "USD" if (cust["usd"] and rnd.random() < 0.7) or rnd.random() < 0.02 else "EUR"
    term = cust["term"] if rnd.random() < 0.9 else rnd.choice(["30", "45eom", "immediate"])
    oldest = TODAY - datetime.timedelta(days=425)
    if scen in OPEN_SCEN:
        r = rnd.random()
        if r < 0.15:
            overdue = -rnd.randint(0, 45)          # not yet due
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
        if overdue <= 0 and due_date_for(term, inv_date) < TODAY and term != "immediate":
            inv_date = TODAY - datetime.timedelta(days=rnd.randint(0, 10))
    else:
        inv_date = oldest + datetime.timedelta(days=rnd.randint(0, 420))
    due = due_date_for(term, inv_date)
    lines = []
    for _i in range(n_lines):
        prod = rnd.choice(products.ids)
        qty = rnd.choice([1, 1, 1, 2, 2, 3, 4, 5, 10]) if PRICES[prod] < 500 else rnd.choice([1, 1, 2])
        price = round05(PRICES[prod] * rnd.uniform(0.8, 1.25) * (1.1 if currency == "USD" else 1.0))
        lines.append((prod, qty, price))
    untaxed = round(sum(q * p for _prod, q, p in lines), 2)
    total = round(untaxed * 1.2, 2)
    pay_date = refund_date = None
    pay_amount = refund_price = None
    if scen == "paid":
        pay_date = min(max(due + datetime.timedelta(days=rnd.randint(-20, 40)), inv_date), TODAY)
    elif scen == "partial":
        pay_date = min(inv_date + datetime.timedelta(days=rnd.randint(0, 60)), TODAY)
        pay_amount = round(total * rnd.uniform(0.2, 0.8), 2)
    elif scen == "reversed":
        refund_date = min(inv_date + datetime.timedelta(days=rnd.randint(1, 30)), TODAY)
    elif scen == "partial_cn":
        refund_date = min(inv_date + datetime.timedelta(days=rnd.randint(1, 30)), TODAY)
        refund_price = max(round05(untaxed * rnd.uniform(0.1, 0.5)), 0.05)
    return {
        "scen": scen, "currency": currency, "term": term, "partner": cust["invoice_address"],
        "commercial": cust["commercial"], "user": cust["user"] or rnd.choice(salespeople.ids),
        "inv_date": inv_date, "due": due, "lines": lines, "untaxed": untaxed, "total": total,
        "pay_date": pay_date, "pay_amount": pay_amount, "refund_date": refund_date,
        "refund_price": refund_price,
    }


weights = [rnd.paretovariate(1.3) for _c in customer_meta]
assigned = list(range(len(customer_meta)))[:N_INVOICES]
if N_INVOICES > len(assigned):
    assigned += rnd.choices(range(len(customer_meta)), weights, k=N_INVOICES - len(assigned))
rnd.shuffle(assigned)
plan = [plan_invoice(customer_meta[c], 1 if MODE == "fast" else rnd.choice([1, 1, 2, 3]))
        for c in assigned]
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
        chunk = entries[start:start + batch]
        moves = Move.create([{
            "move_type": "out_invoice",
            "partner_id": e["partner"],
            "invoice_date": e["inv_date"],
            "journal_id": sale_journal.id,
            "currency_id": cur_ids[e["currency"]],
            "invoice_payment_term_id": TERMS[e["term"]].id,
            "invoice_user_id": e["user"],
            "team_id": team_by_user.get(e["user"]) or False,
            "invoice_line_ids": [Command.create({
                "product_id": prod, "quantity": qty, "price_unit": price,
                "tax_ids": [Command.set(tax20.ids)],
            }) for prod, qty, price in e["lines"]],
        } for e in chunk])
        moves.action_post()
        for e, move in zip(chunk, moves):
            e["move"] = move
        invoices |= moves
        env.invalidate_all()
    # payments, in chronological order
    for e in sorted([e for e in entries if e["pay_date"]], key=lambda e: e["pay_date"]):
        vals = {"payment_date": e["pay_date"], "journal_id": bank_journal.id}
        if e["pay_amount"]:
            vals.update({"amount": e["pay_amount"], "payment_difference_handling": "open"})
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=e["move"].ids,
        ).create(vals)._create_payments()
    # credit notes, in chronological order
    for e in sorted([e for e in entries if e["refund_date"]], key=lambda e: e["refund_date"]):
        inv = e["move"]
        if e["scen"] == "reversed":
            e["refund"] = inv._reverse_moves([{
                "date": e["refund_date"], "invoice_date": e["refund_date"],
                "ref": "Avoir sur %s : erreur de facturation" % inv.name,
            }], cancel=True)
        else:
            refund = Move.create({
                "move_type": "out_refund", "partner_id": inv.partner_id.id,
                "invoice_date": e["refund_date"], "journal_id": sale_journal.id,
                "currency_id": inv.currency_id.id, "reversed_entry_id": inv.id,
                "invoice_user_id": inv.invoice_user_id.id, "team_id": inv.team_id.id,
                "ref": "Avoir partiel sur %s : geste commercial" % inv.name,
                "invoice_line_ids": [Command.create({
                    "product_id": e["lines"][0][0], "quantity": 1, "price_unit": e["refund_price"],
                    "name": "Remise commerciale", "tax_ids": [Command.set(tax20.ids)],
                })],
            })
            refund.action_post()
            (inv + refund).line_ids.filtered(
                lambda l: l.account_id.account_type == "asset_receivable" and not l.reconciled
            ).reconcile()
            e["refund"] = refund
    env.invalidate_all()
    return invoices


# ---------------------------------------------------------------------------
# 7. Main
# ---------------------------------------------------------------------------
t_moves = time.time()
if MODE == "demo":
    orm_create(plan)
    log("demo: %d invoices created through the ORM (%.1fs)" % (len(plan), time.time() - t_moves))
else:
    raise NotImplementedError
cr.commit()
