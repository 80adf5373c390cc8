# Run by scripts/bench_portal.sh through `odoo shell`: two customers of the French
# company, each with a contact who has a portal account (password = login):
# bench_portal_big with BENCH_PORTAL_ITEMS open invoices (default 500), most of them
# overdue, some reminded by a dunning run, bench_portal_small with 5. Invoices are
# created and posted through the ORM in batches (about a minute for 500).
import os
from datetime import date, timedelta

from odoo import Command

items = int(os.environ.get("BENCH_PORTAL_ITEMS", "500"))
today = date.today()
company = env.company  # noqa: F821 (odoo shell)
env = env(context=dict(env.context, tracking_disable=True))  # noqa: F821
product = env["product.product"].create({"name": "Bench service", "list_price": 100.0})
journal = env["account.journal"].search(
    [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
)


def customer(login, count, step=1):
    entity = env["res.partner"].create(
        {"name": f"{login} SARL", "is_company": True, "email": f"{login}@example.com"}
    )
    contact = env["res.partner"].create(
        {
            "name": f"{login} contact",
            "parent_id": entity.id,
            "email": f"c.{login}@example.com",
        }
    )
    env["res.users"].create(
        {
            "name": contact.name,
            "login": login,
            "password": login,
            "partner_id": contact.id,
            "groups_id": [Command.set([env.ref("base.group_portal").id])],
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
        }
    )
    numbers = list(range(0, count * step, step))
    for start in range(0, count, 100):
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": entity.id,
                    "journal_id": journal.id,
                    "invoice_date": today - timedelta(days=20 + (n % 200)),
                    "invoice_date_due": today - timedelta(days=(n % 200) - 30),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": 1,
                                "price_unit": 100.0 + n,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for n in numbers[start : start + 100]
            ]
        )
        moves.action_post()
    return entity


big = customer("bench_portal_big", items)
# The same spread of due dates (late, recent, not yet due) on five invoices.
small = customer("bench_portal_small", 5, step=items // 5 + 1)
# A dunning run: the reminders listed on the page, the levels of the items.
run = env["account.dunning.run"].create({"company_id": company.id, "date": today})
run.action_compute()
run.action_execute()
env.cr.commit()
print(f"bench_portal: {items} invoices for {big.name}, 5 for {small.name}")
