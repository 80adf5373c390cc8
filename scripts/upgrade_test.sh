#!/usr/bin/env bash
# Upgrade test: install the released account_dunning (git commit UPGRADE_FROM) in a
# fresh database, create invoices and run the dunning with it (scripts/upgrade_data.py),
# upgrade the database to the current code (-u) and check the migrated data and a new
# run (scripts/upgrade_check.py). Prints one line per check; the last line is
# "upgrade test: N passed, M failed". Exit status 0 only when every check passed.
#
#   UPGRADE_FROM=commit      released version to upgrade from (default bf38bf8 = 18.0.1.1.0);
#                            it must be in the clone's history (not a shallow clone)
#   UPGRADE_TEST_DB=name     database (default dunning_upgrade_<pid>; dropped first)
#   KEEP_DB=1                keep the database (and its filestore) afterwards
#   UPGRADE_RESULTS=file     also append "passed|failed<TAB>check name" lines to file
#                            (scripts/test.sh counts them in its final line)
#   UPGRADE_TIMEOUT=s        hard limit for each Odoo command (default 900)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

FROM="${UPGRADE_FROM:-bf38bf8}"
DB="${UPGRADE_TEST_DB:-dunning_upgrade_$$}"
RESULTS="${UPGRADE_RESULTS:-}"
TIMEOUT="${UPGRADE_TIMEOUT:-900}"
# Per database: two upgrade tests of one clone may run at once.
WORK="$BUILD_DIR/upgrade/$DB"
OLD_ADDONS="$WORK/old-addons"
DATA_DIR="$WORK/data"
SNAPSHOT="$WORK/snapshot.json"
LOG_PREFIX="$LOG_DIR/upgrade-$(date +%Y%m%d-%H%M%S)-$DB"
started=$SECONDS
passed=0
failed=0

# result passed|failed NAME [DETAIL]: one check's outcome, printed and recorded.
result() {
    local status="$1" name="$2" detail="${3:-}"
    if [[ "$status" == passed ]]; then
        passed=$((passed + 1))
        log "upgrade: PASS $name${detail:+: $detail}"
    else
        failed=$((failed + 1))
        log "upgrade: FAIL $name${detail:+: $detail}"
    fi
    if [[ -n "$RESULTS" ]]; then
        printf '%s\tupgrade: %s\n' "$status" "$name" >>"$RESULTS"
    fi
}

finish() {
    if compgen -G "$LOG_PREFIX-*.log" >/dev/null; then
        log "upgrade test took $((SECONDS - started)) s; logs $LOG_PREFIX-*.log"
    fi
    echo "upgrade test: $passed passed, $failed failed"
    if [[ "$failed" == 0 && "$passed" -gt 0 ]]; then
        exit 0
    fi
    exit 1
}

# step_failed NAME LOG DETAIL: a step the next ones need failed; show why and stop.
step_failed() {
    local name="$1" log_file="$2" detail="$3"
    if [[ -f "$log_file" ]]; then
        echo "---- last lines of $log_file"
        grep -nE ' (ERROR|CRITICAL) |Traceback|Error:|SystemExit' "$log_file" | tail -n 20 || true
        echo "----"
        tail -n 40 "$log_file"
        echo "----"
    fi
    result failed "$name" "$detail"
    finish
}

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    if [[ "${KEEP_DB:-0}" == 1 ]]; then
        log "KEEP_DB=1: keeping database $DB (data dir $DATA_DIR, snapshot $SNAPSHOT)"
    else
        drop_db "$DB" "$DATA_DIR" || true
        rm -rf -- "${WORK:?}"
    fi
}

# odoo_run LOG ADDONS_PATH server|shell ARGS...: one Odoo command, its output in LOG.
odoo_run() {
    local log_file="$1" addons="$2" command="$3"
    shift 3
    timeout -k 30 "$TIMEOUT" "$ODOO_BIN" "$command" -d "$DB" "--addons-path=$addons" \
        "${ODOO_DB_ARGS[@]}" "${ODOO_EXTRA[@]}" --data-dir="$DATA_DIR" \
        --no-http --workers=0 --max-cron-threads=0 "$@" >"$log_file" 2>&1
}

# manifest_version FILE|-: the "version" key of a manifest.
manifest_version() {
    "$ODOO_PY" -c 'import ast, sys; print(ast.literal_eval(open(sys.argv[1]).read())["version"])' "$1"
}

# shellcheck disable=SC2119  # no --require-chrome: the upgrade test opens no browser
check_env
mkdir -p "$LOG_DIR"

# 1. The released version, exported from git (outside the repository).
if ! git -C "$REPO_ROOT" rev-parse --verify --quiet "$FROM^{commit}" >/dev/null 2>&1; then
    if [[ "$(git -C "$REPO_ROOT" rev-parse --is-shallow-repository 2>/dev/null || true)" == true ]]; then
        why="this is a shallow clone: run 'git fetch --unshallow' (CI: clone with full history, e.g. fetch-depth: 0)"
    else
        why="$REPO_ROOT is not a git clone that has it (git fetch the history, or set UPGRADE_FROM)"
    fi
    result failed "released version $FROM in the git history" \
        "commit $FROM is not in the history of $REPO_ROOT, the upgrade test cannot run: $why"
    finish
fi
rm -rf -- "${OLD_ADDONS:?}"
mkdir -p "$OLD_ADDONS/$ADDON_NAME" "$DATA_DIR"
if ! git -C "$REPO_ROOT" archive "$FROM" | tar -x -C "$OLD_ADDONS/$ADDON_NAME"; then
    result failed "export of $FROM" "git archive $FROM failed"
    finish
fi
FROM_VERSION="$(manifest_version "$OLD_ADDONS/$ADDON_NAME/__manifest__.py")"
TO_VERSION="$(manifest_version "$REPO_ROOT/__manifest__.py")"
log "upgrade test: $ADDON_NAME $FROM_VERSION (commit $FROM) -> $TO_VERSION (this tree), database $DB"
OLD_PATH="${ODOO_DEFAULT_ADDONS:+$ODOO_DEFAULT_ADDONS,}$OLD_ADDONS"

drop_db "$DB" "$DATA_DIR"
trap cleanup EXIT
trap 'exit 130' INT TERM

# 2. Install the released version, without demo data.
t=$SECONDS
odoo_run "$LOG_PREFIX-install.log" "$OLD_PATH" server -i "$ADDON_NAME" --without-demo=all \
    --stop-after-init ||
    step_failed "install $FROM_VERSION" "$LOG_PREFIX-install.log" "odoo -i exited with $?"
[[ "$(module_state "$DB" "$ADDON_NAME")" == installed ]] ||
    step_failed "install $FROM_VERSION" "$LOG_PREFIX-install.log" "not installed"
result passed "install $FROM_VERSION" "$((SECONDS - t)) s"

# 3. Invoices, runs and trace made by the released version.
t=$SECONDS
if ! UPGRADE_SNAPSHOT="$SNAPSHOT" UPGRADE_FROM_VERSION="$FROM_VERSION" \
    odoo_run "$LOG_PREFIX-data.log" "$OLD_PATH" shell \
    <"$REPO_ROOT/scripts/upgrade_data.py" ||
    ! grep -q '^@@UPGRADE_DATA_OK$' "$LOG_PREFIX-data.log"; then
    step_failed "data made by $FROM_VERSION" "$LOG_PREFIX-data.log" "scripts/upgrade_data.py failed"
fi
result passed "data made by $FROM_VERSION" \
    "$(grep -m1 '^old version: ' "$LOG_PREFIX-data.log" | sed 's/^old version: //') ($((SECONDS - t)) s)"

# 4. Upgrade to the current code: the migration scripts run.
t=$SECONDS
odoo_run "$LOG_PREFIX-upgrade.log" "$ODOO_ADDONS_PATH" server -u "$ADDON_NAME" \
    --stop-after-init --log-level=info ||
    step_failed "upgrade to $TO_VERSION" "$LOG_PREFIX-upgrade.log" "odoo -u exited with $?"
grep -E 'account_dunning\.migrations|Running migration' "$LOG_PREFIX-upgrade.log" |
    sed -E 's/^[0-9-]+ [0-9:,]+ [0-9]+ //' || true
errors="$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG_PREFIX-upgrade.log" || true)"
if [[ "$errors" != 0 ]]; then
    step_failed "upgrade to $TO_VERSION" "$LOG_PREFIX-upgrade.log" "$errors ERROR/CRITICAL log lines"
fi
warnings="$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ WARNING ' "$LOG_PREFIX-upgrade.log" || true)"
if [[ -n "$warnings" ]]; then
    log "the upgrade logged $(wc -l <<<"$warnings") warning(s):"
    sed -E 's/^[0-9-]+ [0-9:,]+ [0-9]+ /  /' <<<"$warnings" | head -n 20
fi
result passed "upgrade to $TO_VERSION" "$((SECONDS - t)) s"

# 5. The checks, one result each.
t=$SECONDS
set +e
UPGRADE_SNAPSHOT="$SNAPSHOT" UPGRADE_TO_VERSION="$TO_VERSION" \
    odoo_run "$LOG_PREFIX-check.log" "$ODOO_ADDONS_PATH" shell \
    <"$REPO_ROOT/scripts/upgrade_check.py"
check_rc=$?
set -e
grep -E '^CHECK (PASS|FAIL) ' "$LOG_PREFIX-check.log" >"$WORK/checks.txt" || true
while IFS= read -r line; do
    rest="${line#CHECK * }"
    name="${rest%%: *}"
    detail="${rest#*: }"
    [[ "$line" == "CHECK PASS "* ]] && status=passed || status=failed
    result "$status" "$name" "$detail"
done <"$WORK/checks.txt"
if [[ "$check_rc" != 0 ]] || ! grep -qE '^upgrade checks: [0-9]+ passed, [0-9]+ failed$' "$LOG_PREFIX-check.log"; then
    step_failed "checks after the upgrade" "$LOG_PREFIX-check.log" \
        "scripts/upgrade_check.py did not finish (status $check_rc)"
fi
warnings="$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$LOG_PREFIX-check.log" || true)"
if [[ -n "$warnings" ]]; then
    log "the checks (the new run) logged $(wc -l <<<"$warnings") warning(s) or error(s):"
    sed -E 's/^[0-9-]+ [0-9:,]+ [0-9]+ /  /' <<<"$warnings" | head -n 20
fi
if [[ "$failed" != 0 ]]; then
    echo "---- scripts/upgrade_check.py output ($LOG_PREFIX-check.log)"
    grep -vE '^[0-9-]+ [0-9:,]+ [0-9]+ (INFO|DEBUG) |^CHECK |^upgrade checks: ' \
        "$LOG_PREFIX-check.log" | tail -n 80 || true
    echo "----"
fi
log "checks took $((SECONDS - t)) s"
finish
