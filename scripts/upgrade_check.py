"""Checks of the upgrade test, on the upgraded database (fed to `odoo shell`).

Compares the upgraded data with what the old version left (the JSON file
UPGRADE_SNAPSHOT written by scripts/upgrade_data.py), then computes and executes a new
run with the current code. Prints one line per check:

    CHECK PASS <name>: <detail>
    CHECK FAIL <name>: <detail>

and, last, ``upgrade checks: N passed, M failed``. Nothing is committed.

Environment: UPGRADE_SNAPSHOT (path, required), UPGRADE_TO_VERSION (the version
expected after the upgrade, e.g. 18.0.2.0.0).
"""

import json
import os
import sys
import traceback

from odoo import fields
from odoo.modules import get_module_path
from odoo.modules.migration import load_script

env = globals()["env"]  # provided by `odoo shell -d <db>`

with open(os.environ["UPGRADE_SNAPSHOT"], encoding="utf-8") as fh:
    snap = json.load(fh)
TO_VERSION = os.environ.get("UPGRADE_TO_VERSION", "")
# The migrations whose idempotence is checked (run a second time).
MIGRATIONS = ("18.0.2.0.0", "18.0.3.0.0")
today = fields.Date.to_date(snap["today"])
Move, Item = env["account.move"], env["account.move.line"]
single, instalments = (
    Move.browse(snap["single_id"]),
    Move.browse(snap["instalments_id"]),
)
levels = env["account.dunning.level"].browse(snap["level_ids"])
results = []


def check(name):
    """Run the decorated function as a check: it returns its detail or raises."""

    def run(func):
        try:
            detail = func()
            ok = True
        except AssertionError as exc:
            ok, detail = False, str(exc)
        except Exception as exc:  # noqa: BLE001 - a crash is a failed check
            ok, detail = False, f"{type(exc).__name__}: {exc}"
            traceback.print_exc(file=sys.stdout)
        results.append(ok)
        print(f"CHECK {'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)
        return func

    return run


def receivable(moves):
    return moves.line_ids.filtered(lambda line: line.account_type == "asset_receivable")


def stored_move_state(move_ids):
    """The invoices' columns as the table holds them, not as the ORM computes them."""
    env.cr.execute(
        "SELECT id, dunning_level_id, dunning_last_date FROM account_move"
        " WHERE id = ANY(%s)",
        [list(move_ids)],
    )
    return {
        move_id: [level_id, fields.Date.to_string(last_date)]
        for move_id, level_id, last_date in env.cr.fetchall()
    }


def as_state(level, date):
    return [level.id or None, fields.Date.to_string(date) or None]


@check("module version")
def _version():
    module = env["ir.module.module"].search([("name", "=", "account_dunning")])
    assert module.state == "installed", f"state {module.state}"
    assert not TO_VERSION or module.latest_version == TO_VERSION, (
        f"{module.latest_version} installed, {TO_VERSION} expected"
    )
    return f"account_dunning {module.latest_version} installed"


@check("invoices kept their levels and dates")
def _moves_kept():
    before = {int(move_id): state for move_id, state in snap["moves"].items()}
    after = stored_move_state(before)
    changed = {
        i: (before[i], after.get(i)) for i in before if after.get(i) != before[i]
    }
    assert before, "the old version left no invoice at a level"
    assert not changed, f"changed (before, after): {changed}"
    return f"{len(before)} invoices, as the old version left them"


@check("items carry the levels and dates of their invoices")
def _items():
    moves = Move.browse(int(move_id) for move_id in snap["moves"])
    wrong, count = [], 0
    for move in moves.filtered(lambda move: move.move_type == "out_invoice"):
        state = snap["moves"][str(move.id)]
        for item in receivable(move):
            count += 1
            if as_state(item.dunning_level_id, item.dunning_last_date) != state:
                wrong.append((move.name, item.id, item.date_maturity))
    assert count, "no receivable item to look at"
    assert not wrong, f"items without their invoice's level or date: {wrong}"
    parts = ", ".join(
        f"{move.name}: {len(receivable(move))} items at {move.dunning_level_id.name}"
        for move in single | instalments
    )
    return f"{count} items ({parts})"


@check("the invoices' computed level and date give the same values")
def _recompute():
    moves = Move.browse(int(move_id) for move_id in snap["moves"])
    for fname in ("dunning_level_id", "dunning_last_date"):
        env.add_to_compute(Move._fields[fname], moves)
    computed = {
        move.id: as_state(move.dunning_level_id, move.dunning_last_date)
        for move in moves
    }
    before = {int(move_id): state for move_id, state in snap["moves"].items()}
    changed = {i: (before[i], computed[i]) for i in before if computed[i] != before[i]}
    assert not changed, f"recomputed differently (before, computed): {changed}"
    return f"{len(moves)} invoices recomputed from their items, unchanged"


@check("run lines have their item")
def _run_lines():
    lines = env["account.dunning.run.line"].browse(int(i) for i in snap["run_lines"])
    missing = lines.filtered(lambda line: not line.move_line_id)
    assert lines, "the old version left no proposal"
    assert not missing, f"run lines without move_line_id: {missing.ids}"
    wrong = []
    for line in lines:
        last = receivable(line.move_id).sorted(
            lambda item: (item.date_maturity, item.id)
        )[-1:]
        if line.move_line_id != last:
            wrong.append((line.id, line.move_line_id.id, last.id))
    assert not wrong, f"not the invoice's last item (line, item, expected): {wrong}"
    return f"{len(lines)} run lines, each on its invoice's last instalment"


@check("actions have their items")
def _actions():
    actions = env["account.dunning.action"].browse(int(i) for i in snap["actions"])
    wrong = []
    for action in actions:
        old = snap["actions"][str(action.id)]
        listed = receivable(Move.browse(old["moves"]))
        advanced = receivable(Move.browse(old["advanced"]))
        if action.move_line_ids != listed or action.advanced_move_line_ids != advanced:
            wrong.append(action.id)
    assert actions, "the old version left no trace"
    assert actions.move_line_ids, "no action lists an item"
    assert not wrong, f"actions whose items are not their invoices' items: {wrong}"
    return (
        f"{len(actions)} actions, {len(actions.move_line_ids)} items listed, "
        f"{len(actions.advanced_move_line_ids)} advanced"
    )


@check("email-only levels fall back to a letter")
def _fallback():
    expected = levels.filtered(lambda lv: lv.channel_email and not lv.channel_letter)
    wrong = levels.filtered(
        lambda lv: lv.fallback_channel != ("letter" if lv in expected else False)
    )
    assert expected, "no level sends an email without a letter"
    assert not wrong, f"fallback {[(lv.name, lv.fallback_channel) for lv in wrong]}"
    return f"{len(expected)} of {len(levels)} levels fall back to a letter"


@check("the shipped formal notice is of type formal notice")
def _formal_notice_type():
    notice = env.ref("account_dunning.mail_template_dunning_formal_notice")
    typed = levels.filtered(lambda lv: lv.level_type == "formal_notice")
    expected = levels.filtered(lambda lv: lv.mail_template_id == notice)
    assert expected, "no level uses the shipped formal notice template"
    assert typed == expected, f"typed {typed.mapped('name')}"
    return ", ".join(typed.mapped("name"))


@check("partners have a debtor type, credit notes a nature")
def _debtor_types():
    env.cr.execute("SELECT count(*) FROM res_partner WHERE dunning_debtor_type IS NULL")
    missing = env.cr.fetchone()[0]
    assert not missing, f"{missing} partner(s) without a debtor type"
    entity = single.commercial_partner_id
    assert entity.dunning_debtor_type == "business", entity.dunning_debtor_type
    env.cr.execute(
        """SELECT count(*) FROM account_move
            WHERE move_type = 'out_refund' AND dunning_credit_note_kind IS NULL"""
    )
    assert not env.cr.fetchone()[0], "a credit note without a nature"
    series = env["account.dunning.rate.series"].search([]).mapped("code")
    assert {"ecb_mro", "fr_legal"} <= set(series), f"series {series}"
    cron = env.ref("account_dunning.ir_cron_dunning_rate_refresh")
    assert cron.interval_type == "days", f"rate refresh every {cron.interval_type}"
    return f"{entity.name}: business; series {sorted(series)}"


def migrated_state():
    """A digest of everything the migration writes."""
    env.flush_all()
    env.cr.execute(
        """
        SELECT md5(concat_ws('|',
            (SELECT string_agg(concat_ws(',', id, dunning_level_id, dunning_last_date),
                               ';' ORDER BY id)
               FROM account_move_line WHERE dunning_level_id IS NOT NULL),
            (SELECT string_agg(concat_ws(',', id, move_line_id), ';' ORDER BY id)
               FROM account_dunning_run_line),
            (SELECT string_agg(concat_ws(',', action_id, move_line_id), ';'
                               ORDER BY action_id, move_line_id)
               FROM account_dunning_action_move_line_rel),
            (SELECT string_agg(concat_ws(',', action_id, move_line_id), ';'
                               ORDER BY action_id, move_line_id)
               FROM account_dunning_action_advanced_move_line_rel),
            (SELECT string_agg(concat_ws(',', id, fallback_channel, level_type), ';'
                               ORDER BY id)
               FROM account_dunning_level),
            (SELECT string_agg(concat_ws(',', id, dunning_level_id, dunning_last_date),
                               ';' ORDER BY id)
               FROM account_move WHERE dunning_level_id IS NOT NULL)))
        """
    )
    return env.cr.fetchone()[0]


@check("the migrations run again change nothing")
def _idempotent():
    before = migrated_state()
    for migration in MIGRATIONS:
        path = os.path.join(
            get_module_path("account_dunning"),
            "migrations",
            migration,
            "post-migrate.py",
        )
        load_script(path, "account_dunning_post_migrate").migrate(
            env.cr, snap["from_version"]
        )
    assert migrated_state() == before, "a second run of post-migrate.py changed data"
    return f"{', '.join(MIGRATIONS)} run twice"


@check("18.0.4.0.0: invoices on no hold, the amicable phase ready")
def _holds_ready():
    env.cr.execute(
        """SELECT count(*) FROM account_move
            WHERE dunning_hold IS NOT NULL OR dunning_disputed
               OR dunning_resume_date IS NOT NULL OR dunning_escalate"""
    )
    assert not env.cr.fetchone()[0], "an invoice on hold after the upgrade"
    for xmlid in (
        "account_dunning.mail_template_dunning_plan",
        "account_dunning.mail_template_dunning_plan_instalment",
        "account_dunning.action_report_dunning_plan",
        "account_dunning.account_dunning_plan_sequence",
    ):
        assert env.ref(xmlid, raise_if_not_found=False), f"{xmlid} missing"
    policy = single.company_id.dunning_policy_id
    days = (policy.dispute_days, policy.dispute_grace_days, policy.promise_grace_days)
    assert days == (15, 7, 3), f"policy days {days}"
    # The daily step of the holds runs on the upgraded data.
    env["account.dunning.run"]._cron_check_holds()
    return f"no hold, templates and sequence, policy days {days}"


@check("18.0.5.0.0: nothing handed off nor doubtful, notice days, escalation reports")
def _escalation_ready():
    env.cr.execute(
        """SELECT count(*) FROM account_move
            WHERE dunning_handed_off IS NOT FALSE OR dunning_doubtful
               OR dunning_written_off"""
    )
    assert not env.cr.fetchone()[0], "an invoice handed off or doubtful after upgrading"
    notices = env["account.dunning.level"].search(
        [("level_type", "=", "formal_notice")]
    )
    assert notices, "no formal notice level"
    days = set(notices.mapped("notice_days"))
    assert days == {8}, f"notice days {days}"
    for xmlid in (
        "account_dunning.action_report_dunning_handoff",
        "account_dunning.action_report_dunning_claim",
        "account_dunning.mail_template_dunning_claim",
    ):
        assert env.ref(xmlid, raise_if_not_found=False), f"{xmlid} missing"
    counts = {
        model: env[model].search_count([])
        for model in (
            "account.dunning.notice",
            "account.dunning.handoff",
            "account.dunning.insolvency",
        )
    }
    assert not any(counts.values()), f"escalation records {counts}"
    return f"{len(notices)} formal notice level(s) of 8 days, reports and template"


@check("18.0.6.0.0: the customer page, its payments, its settings and templates")
def _portal_ready():
    installed = env["ir.module.module"].search(
        [("name", "=", "account_payment"), ("state", "=", "installed")]
    )
    assert installed, "account_payment (a new dependency) not installed by the upgrade"
    company = env.company
    settings = (
        company.dunning_portal_link_days,
        company.dunning_portal_upload_mb,
        company.dunning_portal_show_owner,
    )
    assert settings == (30, 10, False), f"company settings {settings}"
    env.cr.execute(
        "SELECT count(*) FROM account_dunning_dispute"
        " WHERE source IS DISTINCT FROM 'internal'"
    )
    assert not env.cr.fetchone()[0], "a dispute made before the upgrade is not internal"
    env.cr.execute(
        "SELECT count(*) FROM account_dunning_plan"
        " WHERE source IS DISTINCT FROM 'internal'"
    )
    assert not env.cr.fetchone()[0], "a plan made before the upgrade is not internal"
    for xmlid in (
        "account_dunning.mail_template_dunning_portal_link",
        "account_dunning.mail_template_dunning_plan_approved",
        "account_dunning.mail_template_dunning_plan_refused",
        "account_dunning.action_report_dunning_statement",
        "account_dunning.portal_my_dues",
    ):
        assert env.ref(xmlid, raise_if_not_found=False), f"{xmlid} missing"
    partner = env["res.partner"].search([("customer_rank", ">", 0)], limit=1) or (
        env["res.partner"].search([], limit=1)
    )
    url = env["account.dunning.portal"]._url(partner, company)
    assert "/my/dues?access_token=" in url, f"link {url}"
    return (
        f"account_payment installed, settings {settings}, templates, link {url[-20:]}"
    )


# A new run after the upgrade: the single invoice (due 80 days ago, second reminder 45
# days ago) is due for the third; both instalments (first reminder) for the second.
new_run = env["account.dunning.run"]
due_items = {receivable(single): levels[3]}
due_items.update(dict.fromkeys(receivable(instalments), levels[2]))


@check("new run proposes the items due")
def _new_run_compute():
    global new_run  # noqa: PLW0603 - the next check executes it
    new_run = new_run.create({"company_id": env.company.id, "date": today})
    new_run.action_compute()
    proposed = {line.move_line_id: line.level_id for line in new_run.line_ids}
    assert new_run.state == "computed", f"run state {new_run.state}"
    assert proposed == due_items, (
        "proposed "
        f"{sorted((i.id, lv.name) for i, lv in proposed.items())}, expected "
        f"{sorted((i.id, lv.name) for i, lv in due_items.items())}"
    )
    return ", ".join(
        f"{item.move_id.name} due {item.date_maturity} -> {level.name}"
        for item, level in sorted(due_items.items(), key=lambda kv: kv[0].id)
    )


@check("new run executes")
def _new_run_execute():
    assert new_run.state == "computed", "the run was not computed"
    new_run.action_execute()
    env.invalidate_all()
    assert new_run.state == "done", f"run state {new_run.state}"
    wrong = [
        (item.id, item.dunning_level_id.name, item.dunning_last_date)
        for item, level in due_items.items()
        if (item.dunning_level_id, item.dunning_last_date) != (level, today)
    ]
    assert not wrong, f"items not moved (item, level, date): {wrong}"
    moves = [
        (move.name, move.dunning_level_id.name, move.dunning_last_date)
        for move in single | instalments
    ]
    assert moves == [
        (single.name, levels[3].name, today),
        (instalments.name, levels[2].name, today),
    ], f"invoices {moves}"
    sent = new_run.action_ids.filtered(lambda action: action.state == "sent")
    assert sent, f"nothing sent: {new_run.action_ids.mapped('reason')}"
    items = Item.union(*due_items)
    assert all(action.advanced_move_line_ids == items for action in sent), (
        "the trace does not record the items moved"
    )
    return (
        f"{len(sent)} sent ({', '.join(sent.mapped('channel'))}), "
        f"{len(items)} items moved, invoices at "
        + ", ".join(f"{name} {level}" for name, level, _date in moves)
        + f" on {today}"
    )


passed = sum(results)
print(f"upgrade checks: {passed} passed, {len(results) - passed} failed")
