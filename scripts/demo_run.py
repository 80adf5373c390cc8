"""Run today's dunning once per company (fed to `odoo shell` by scripts/demo.sh).

Environment: DUNNING_RUN_TODAY=1 runs the dunning dated today (user's timezone);
anything else only prints what would be done.
"""

import os

from odoo import fields

env = globals()["env"]  # provided by `odoo shell -d <db>`

if "account.dunning.run" not in env:
    raise SystemExit(
        "model account.dunning.run not found: is account_dunning installed?"
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
    for days_ago in (*HISTORY_DAYS, 0):
        date = fields.Date.subtract(today, days=days_ago)
        run = Run.with_company(company).create({"company_id": company.id, "date": date})
        run.action_compute()
        run.action_execute()
        env.cr.commit()  # `odoo shell` rolls back at exit
        sent = run.action_ids.filtered(lambda action: action.state == "sent")
        print(
            f"{company.name}: run of {date}: {len(run.line_ids)} invoices proposed, "
            f"{len(sent.partner_id)} customers reminded, "
            f"{len(run.action_ids) - len(sent)} actions failed, skipped or to review"
        )
