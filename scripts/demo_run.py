"""Run today's dunning once per company (fed to `odoo shell` by scripts/demo.sh).

Environment: DUNNING_RUN_TODAY=1 runs the dunning dated today (user's timezone);
anything else only prints what would be done.

Before each run, the disputes, promises to pay and payment plans of the days since
the previous run are made through the models, each on its day, and the day's hold
check is done (scripts/dunning_gen/holds_demo_stories.py).
"""

import os
import sys

from odoo import fields

env = globals()["env"]  # provided by `odoo shell -d <db>`

if "account.dunning.run" not in env:
    raise SystemExit(
        "model account.dunning.run not found: is account_dunning installed?"
    )


def _scripts_dir():
    """The folder holding dunning_gen (see scripts/generate_data.py)."""
    candidates = []
    try:
        candidates.append(os.path.dirname(os.readlink("/proc/self/fd/0")))
    except OSError:
        pass
    from odoo.modules.module import get_module_path

    addon = get_module_path("account_dunning")
    if addon:
        candidates.append(os.path.join(addon, "scripts"))
    candidates.append(os.path.join(os.getcwd(), "scripts"))
    for folder in candidates:
        if os.path.isfile(os.path.join(folder, "dunning_gen", "holds_demo.py")):
            return folder
    raise SystemExit("demo_run: dunning_gen not found (tried %s)" % candidates)


sys.path.insert(0, _scripts_dir())
from dunning_gen import (  # noqa: E402 - needs the path
    escalation_demo,
    holds_demo_stories,
    portal_demo,
)

Run = env["account.dunning.run"]
run_today = os.environ.get("DUNNING_RUN_TODAY") == "1"
today = fields.Date.context_today(env.user)
# Catch-up runs on past dates first, as a team that has used the dunning for two months
# would have: customers stand at different levels and the trace has a history.
HISTORY_DAYS = (56, 42, 28, 21, 14, 7)
for company in env["res.company"].search([]):
    if not run_today:
        print(f"{company.name}: DUNNING_RUN_TODAY is not 1, nothing done")
        continue
    if not company.dunning_policy_id:
        continue
    stories = holds_demo_stories.HoldStories(env, company, today).plan()
    for days_ago in (*HISTORY_DAYS, 0):
        date = fields.Date.subtract(today, days=days_ago)
        for label in stories.play_until(date):
            print(f"{company.name}: {label}")
        run = Run.with_company(company).create({"company_id": company.id, "date": date})
        run.action_compute()
        run.action_execute()
        env.cr.commit()  # `odoo shell` rolls back at exit
        sent = run.action_ids.filtered(lambda action: action.state == "sent")
        print(
            f"{company.name}: run of {date}: {len(run.line_ids)} instalments proposed, "
            f"{len(sent.partner_id)} customers reminded, "
            f"{len(run.action_ids) - len(sent)} actions failed, skipped or to review"
        )
    print(stories.summary())
    for label in escalation_demo.EscalationStories(env, company, today).play():
        print(f"{company.name}: {label}")
    env.cr.commit()

# Blocking, as a team would set it up: customers more than 90 days late cannot order,
# and one of them has a quotation waiting.
if run_today:
    for company in env["res.company"].search([("dunning_policy_id", "!=", False)]):
        company.dunning_policy_id.block_days_late = 90
    Run._cron_check_blocks()
    blocked = env["res.partner"].search(
        [("dunning_blocked", "=", True), ("parent_id", "=", False)]
    )
    product = env["product.product"].search([("sale_ok", "=", True)], limit=1)
    if blocked and product:
        order = env["sale.order"].create(
            {
                "partner_id": blocked[0].id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 3})
                ],
            }
        )
        print(f"{len(blocked)} blocked; quotation {order.name} for {blocked[0].name}")
    env.cr.commit()

# The customer's side: a portal account for one demo customer.
if run_today:
    main_company = env["res.company"].search([], order="id", limit=1)
    for label in portal_demo.setup_portal(env, main_company, today):
        print(f"PORTAL {label}")
    env.cr.commit()
