# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customers: French and English companies with their contacts, and individuals."""

import time
import unicodedata

from . import names, terms

BATCH = 500


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


def random_siren(rnd):
    while True:
        siren = "%d%08d" % (rnd.randint(3, 9), rnd.randint(0, 99999999))
        if luhn_ok(siren):
            return siren


def fr_vat(siren):
    return "FR%02d%s" % ((12 + 3 * (int(siren) % 97)) % 97, siren)


def fr_phone(rnd, mobile=False):
    first = rnd.choice("67") if mobile else rnd.choice("12345")
    return "+33 %s %02d %02d %02d %02d" % (
        first,
        rnd.randint(0, 99),
        rnd.randint(0, 99),
        rnd.randint(0, 99),
        rnd.randint(0, 99),
    )


def create_customers(gen):
    """Create the customers; returns one dict per customer: commercial (partner id),
    invoice_address, user (salesperson id or False), term (key), usd (bool)."""
    gen.cr.execute(
        "SELECT COUNT(*) FROM res_partner WHERE parent_id IS NULL AND ref ~ '^C[0-9]+$'"
    )
    # customers of a previous run (the bench grows 10,000 -> 100,000 invoices)
    offset = gen.cr.fetchone()[0]
    count = gen.settings.customers
    big = count > 150 or offset > 0
    Partner = gen.env["res.partner"]
    fr_country = gen.env.ref("base.fr").id
    started = time.time()
    customers = []
    for start in range(0, count, BATCH):
        indexes = range(start + offset, min(start + BATCH, count) + offset)
        plans = [_customer_plan(gen, idx, big, fr_country) for idx in indexes]
        parents = Partner.create([vals for vals, _kids, _meta in plans])
        child_vals = []
        for parent, (_vals, kids, _meta) in zip(parents, plans, strict=True):
            child_vals += [dict(kid, parent_id=parent.id) for kid in kids]
        children = Partner.create(child_vals) if child_vals else Partner
        invoice_children = {
            c.parent_id.id: c.id for c in children if c.type == "invoice"
        }
        for parent, (_vals, _kids, meta) in zip(parents, plans, strict=True):
            meta["commercial"] = parent.id
            meta["invoice_address"] = invoice_children.get(parent.id, parent.id)
            customers.append(meta)
        gen.env.invalidate_all()
        gen.progress.step(len(customers), count, "customers")
        if count > 2000 and (start // BATCH) % 10 == 9:
            gen.log("  %d customers..." % len(customers))
    gen.log("%d customers created (%.1fs)" % (len(customers), time.time() - started))
    return customers


def _customer_plan(gen, idx, big, fr_country):
    """(partner values, contacts' values, meta) of customer number idx."""
    rnd = gen.rnd
    lang = "en_US" if rnd.random() < 0.25 else "fr_FR"
    english = lang == "en_US"
    first_names = names.FIRST_EN if english else names.FIRST_FR
    last_names = names.LAST_EN if english else names.LAST_FR
    # Customer 7 is a public body (a town hall): ECB + 8 points, as the CCP says.
    is_company = rnd.random() < 0.65 or idx == 7
    city, zipcode = rnd.choice(names.CITIES)
    suffix = ("-%d" % idx) if big else ""
    vals = {
        "street": "%d %s" % (rnd.randint(1, 180), rnd.choice(names.STREETS)),
        "city": city,
        "zip": zipcode,
        "country_id": fr_country,
        "lang": lang,
        "customer_rank": 1,
        "ref": "C%05d" % (idx + 1),
        "phone": fr_phone(rnd),
        "user_id": rnd.choice(gen.salespeople.ids) if rnd.random() < 0.85 else False,
        "company_id": False,
    }
    term_key = rnd.choices(terms.SINGLE_TERMS, [0.55, 0.30, 0.15])[0]
    vals["property_payment_term_id"] = gen.terms[term_key].id
    domain = None
    if is_company:
        last = rnd.choice(last_names)
        patterns = names.COMPANY_PATTERNS_EN if english else names.COMPANY_PATTERNS_FR
        name = rnd.choice(patterns).format(n=last, f=rnd.choice(first_names))
        domain = "%s%s.%s" % (slug(name), suffix, "com" if english else "fr")
        vals.update(
            {
                "name": name,
                "is_company": True,
                "email": "contact@%s" % domain,
                "vat": fr_vat(random_siren(rnd)),
                "website": "https://www.%s" % domain,
            }
        )
    else:
        first, last = rnd.choice(first_names), rnd.choice(last_names)
        email = "%s.%s%s@%s" % (
            slug(first),
            slug(last),
            suffix,
            rnd.choice(names.MAIL_DOMAINS),
        )
        vals.update({"name": "%s %s" % (first, last), "is_company": False})
        vals["email"] = email
    if rnd.random() < 0.4 or (not is_company and rnd.random() < 0.5):
        vals["mobile"] = fr_phone(rnd, mobile=True)
    if idx == 2:  # the one customer without any email address
        vals.update(
            {
                "is_company": False,
                "name": "Gérard Fontaine",
                "email": False,
                "vat": False,
                "website": False,
                "mobile": fr_phone(rnd, mobile=True),
            }
        )
        is_company = False
    if idx == 7:
        vals["name"] = "Mairie de Villeurbanne" + suffix
        vals["category_id"] = [
            (4, gen.env.ref("account_dunning.partner_category_public_body").id)
        ]
    usd = rnd.random() < (0.35 if english else 0.04) or idx in (5, 11)
    kids = _contacts(rnd, vals, domain, first_names, last_names) if is_company else []
    return vals, kids, {"term": term_key, "usd": usd, "user": vals["user_id"]}


def _contacts(rnd, vals, domain, first_names, last_names):
    """One or two contacts of a company, and sometimes its accounts department."""
    lang = vals["lang"]
    kids = []
    for _k in range(rnd.choice([1, 1, 2])):
        first, last = rnd.choice(first_names), rnd.choice(last_names)
        kids.append(
            {
                "name": "%s %s" % (first, last),
                "type": "contact",
                "function": rnd.choice(names.FUNCTIONS),
                "email": "%s.%s@%s" % (slug(first), slug(last), domain),
                "lang": lang,
                "phone": vals["phone"],
                "mobile": fr_phone(rnd, True) if rnd.random() < 0.5 else False,
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
                "city": vals["city"],
                "zip": vals["zip"],
                "country_id": vals["country_id"],
            }
        )
    return kids
