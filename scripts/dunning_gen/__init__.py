# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The account_dunning data generator (run by scripts/generate_data.py).

- context: settings (DUNNING_GEN_* variables), progress, the run's shared state
- names, terms: the data drawn from and the payment terms, as plain data
- company, customers: the company and its customers
- plan: what to generate, the same for both modes (seeded)
- orm_mode: creation through the ORM (the demo, and the fast mode's templates)
- matching: how Odoo matches payments with instalments, in plain arithmetic
- fast_templates, fast_ids, fast_rows, fast_sql, fast_copy, fast_lines: the fast
  mode, set-based SQL copies of ORM-made templates (benchmark volumes)
- fast_holds: the fast mode's disputes, promises and plans (DUNNING_GEN_HOLDS)
- holds_demo, holds_demo_stories: the demo's disputes, promises and plans through the
  models, each event on its day (played by scripts/demo_run.py)
- checks_sql, checks_orm: the consistency checks run after every generation
- main: the run
"""
