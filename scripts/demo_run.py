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
for company in env["res.company"].search([]):
    if not run_today:
        print(f"{company.name}: DUNNING_RUN_TODAY is not 1, nothing done")
        continue
    run = Run.with_company(company).create({"company_id": company.id, "date": today})
    run.action_compute()
    run.action_execute()
    env.cr.commit()  # `odoo shell` rolls back at exit
    counts = {}
    for name in ("line_ids", "action_ids"):
        if name in run._fields:
            counts[name] = len(run[name])
    state = run.state if "state" in run._fields else "?"
    print(f"{company.name}: dunning run {run.display_name} (state {state}) {counts}")
