"""Data of the upgrade test, made by the released version (fed to `odoo shell`).

Run by scripts/upgrade_test.sh on a database where the old account_dunning is
installed: a customer, a single-due-date invoice and a two-instalment invoice posted in
the past, and two dunning runs computed and executed by the old engine, so that the
invoices stand at levels and the trace and the proposals exist. Commits, then writes
what the old version left (levels, dates, proposals, trace) to the JSON file
UPGRADE_SNAPSHOT, for scripts/upgrade_check.py to compare after the upgrade.

Environment: UPGRADE_SNAPSHOT (path, required), UPGRADE_FROM_VERSION (the version
expected installed, e.g. 18.0.1.1.0).
"""

import json
import os
from datetime import timedelta

from odoo import Command, fields

env = globals()["env"]  # provided by `odoo shell -d <db>`

SNAPSHOT = os.environ["UPGRADE_SNAPSHOT"]
FROM_VERSION = os.environ.get("UPGRADE_FROM_VERSION", "")
# Days before today: the invoices' dates and the two runs of the old version.
SINGLE_INVOICE_DATE, SINGLE_DUE = 110, 80
INSTALMENT_INVOICE_DATE = 125  # instalments due 125 (30 %) and 65 (70 %) days ago
OLD_RUNS = (60, 45)


def fail(message):
    raise SystemExit(f"upgrade_data.py: {message}")


def sql(query, *params):
    env.cr.execute(query, params)
    return env.cr.fetchall()


module = env["ir.module.module"].search([("name", "=", "account_dunning")])
if module.state != "installed":
    fail(f"account_dunning is not installed (state {module.state or 'unknown'})")
if FROM_VERSION and module.latest_version != FROM_VERSION:
    fail(f"account_dunning {module.latest_version} installed, {FROM_VERSION} expected")
print(f"account_dunning {module.latest_version} installed")

company = env.company
if not company.chart_template:
    env["account.chart.template"].try_loading("generic_coa", company)
    print("generic chart of accounts loaded")
company.write(
    {"email": "billing@company.test", "street": "1 rue de la Paix", "city": "Paris"}
)
today = fields.Date.context_today(env.user)


def ago(days):
    return today - timedelta(days=days)


customer = env["res.partner"].create(
    {
        "name": "Upgrade Test Customer",
        "is_company": True,
        "email": "upgrade.customer@example.com",
        "street": "2 avenue Foch",
        "city": "Lyon",
        # The third reminder calls: someone must be there to call.
        "user_id": env.ref("base.user_admin").id,
    }
)
term = env["account.payment.term"].create(
    {
        "name": "30 % now, balance at 60 days",
        "line_ids": [
            Command.create({"value": "percent", "value_amount": 30.0, "nb_days": 0}),
            Command.create({"value": "percent", "value_amount": 70.0, "nb_days": 60}),
        ],
    }
)


def invoice(invoice_date, amount, **values):
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_date": invoice_date,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Consulting",
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
            **values,
        }
    )
    move.action_post()
    return move


single = invoice(ago(SINGLE_INVOICE_DATE), 1000.0, invoice_date_due=ago(SINGLE_DUE))
instalments = invoice(
    ago(INSTALMENT_INVOICE_DATE), 2000.0, invoice_payment_term_id=term.id
)
items = instalments.line_ids.filtered(
    lambda line: line.account_type == "asset_receivable"
).sorted("date_maturity")
if [(item.date_maturity, item.balance) for item in items] != [
    (ago(INSTALMENT_INVOICE_DATE), 600.0),
    (ago(INSTALMENT_INVOICE_DATE - 60), 1400.0),
]:
    fail(f"unexpected instalments {[(i.date_maturity, i.balance) for i in items]}")

levels = company.dunning_policy_id.level_ids.sorted("sequence")
runs = env["account.dunning.run"]
for days in OLD_RUNS:
    run = runs.create({"company_id": company.id, "date": ago(days)})
    run.action_compute()
    run.action_execute()
    runs |= run

# What the old engine did: the single invoice was reminded at both runs (first, then
# second reminder); the instalment invoice once its last instalment was late enough.
expected = {
    single: (levels[2], ago(OLD_RUNS[1])),
    instalments: (levels[1], ago(OLD_RUNS[1])),
}
for move, (level, date) in expected.items():
    if (move.dunning_level_id, move.dunning_last_date) != (level, date):
        fail(
            f"{move.name}: level {move.dunning_level_id.name} of "
            f"{move.dunning_last_date}, expected {level.name} of {date}"
        )
if set(runs.mapped("state")) != {"done"} or not runs.line_ids:
    fail(f"old runs {runs.mapped('state')} with {len(runs.line_ids)} proposals")
sent = runs.action_ids.filtered(lambda action: action.state == "sent")
if not sent.move_ids or not sent.advanced_move_ids:
    fail("the old runs sent nothing that lists invoices")
env.cr.commit()  # `odoo shell` rolls back at exit

snapshot = {
    "from_version": module.latest_version,
    "today": fields.Date.to_string(today),
    "single_id": single.id,
    "instalments_id": instalments.id,
    "level_ids": levels.ids,
    # Every invoice the old version left at a level, read from the table itself.
    "moves": {
        str(move_id): [level_id, fields.Date.to_string(last_date)]
        for move_id, level_id, last_date in sql(
            "SELECT id, dunning_level_id, dunning_last_date FROM account_move"
            " WHERE dunning_level_id IS NOT NULL OR dunning_last_date IS NOT NULL"
        )
    },
    "run_lines": {
        str(line_id): move_id
        for line_id, move_id in sql("SELECT id, move_id FROM account_dunning_run_line")
    },
    "actions": {
        str(action.id): {
            "moves": action.move_ids.ids,
            "advanced": action.advanced_move_ids.ids,
        }
        for action in runs.action_ids
    },
}
with open(SNAPSHOT, "w", encoding="utf-8") as fh:
    json.dump(snapshot, fh, indent=1, sort_keys=True)
print(
    f"old version: {len(runs)} runs, {len(runs.line_ids)} proposals, "
    f"{len(runs.action_ids)} trace lines ({len(sent)} sent); "
    f"{single.name} at {single.dunning_level_id.name}, "
    f"{instalments.name} at {instalments.dunning_level_id.name}"
)
print("@@UPGRADE_DATA_OK")
