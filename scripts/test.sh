#!/usr/bin/env bash
# Install account_dunning in a fresh database and run its tests
# (at_install + post_install, browser tours included), then the upgrade test
# (scripts/upgrade_test.sh: the released version upgraded to this tree), whose
# checks count in the totals.
# The last line printed is always "N passed, M failed" once Odoo has run.
#
#   TEST_DB=name      database to use (default dunning_test_<pid>; dropped first)
#   KEEP_DB=1         keep the databases (and their filestores) afterwards
#   TEST_TAGS=...     Odoo --test-tags (default /account_dunning)
#   TEST_TIMEOUT=s    hard limit for the Odoo run (default 3600)
#   UPGRADE_TEST=0    skip the upgrade test (default: run it; it needs the released
#                     commit in the git history, a shallow clone fails it)
#   UPGRADE_TEST_DB   its database (default <TEST_DB>_upgrade)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_env --require-chrome

DB="${TEST_DB:-dunning_test_$$}"
TAGS="${TEST_TAGS:-/$ADDON_NAME}"
PORT="${TEST_HTTP_PORT:-$(free_port)}"
DATA_DIR="$BUILD_DIR/test-data"
mkdir -p "$LOG_DIR" "$DATA_DIR"
LOG_FILE="$LOG_DIR/test-$(date +%Y%m%d-%H%M%S)-$DB.log"

cleanup() {
    if [[ "${KEEP_DB:-0}" == 1 ]]; then
        log "KEEP_DB=1: keeping database $DB (data dir $DATA_DIR)"
    else
        drop_db "$DB" "$DATA_DIR" || true
    fi
}

drop_db "$DB" "$DATA_DIR"
trap cleanup EXIT
trap 'exit 130' INT TERM

log "database $DB, tests $TAGS, http port $PORT, log $LOG_FILE"
set +e
timeout -k 60 "${TEST_TIMEOUT:-3600}" \
    "$ODOO_BIN" -d "$DB" "${ODOO_COMMON_ARGS[@]}" \
    --data-dir="$DATA_DIR" \
    -i "$ADDON_NAME,payment_demo" --without-demo=all \
    --test-enable --test-tags="$TAGS" \
    --stop-after-init --workers=0 --max-cron-threads=0 \
    --http-interface=127.0.0.1 --http-port="$PORT" \
    --log-level=info </dev/null 2>&1 | tee "$LOG_FILE"
odoo_rc="${PIPESTATUS[0]}"
set -e

state="$(module_state "$DB" "$ADDON_NAME")"
trap - EXIT
cleanup

# The upgrade test, after the main run (its own databases and logs): one
# "passed|failed<TAB>name" line per check in CHECKS, counted by parse_test_log.py.
check_args=()
if [[ "${UPGRADE_TEST:-1}" == 0 ]]; then
    log "UPGRADE_TEST=0: upgrade test skipped"
else
    CHECKS="$LOG_DIR/upgrade-checks-$DB.tsv"
    : >"$CHECKS"
    set +e
    UPGRADE_RESULTS="$CHECKS" UPGRADE_TEST_DB="${UPGRADE_TEST_DB:-${DB}_upgrade}" \
        bash "$REPO_ROOT/scripts/upgrade_test.sh" </dev/null 2>&1
    upgrade_rc=$?
    set -e
    if [[ "$upgrade_rc" != 0 ]] && ! grep -q '^failed' "$CHECKS"; then
        printf 'failed\tupgrade test (exited with status %s)\n' "$upgrade_rc" >>"$CHECKS"
    fi
    check_args=(--checks "$CHECKS" --checks-required "upgrade test")
fi

"$ODOO_PY" "$REPO_ROOT/scripts/parse_test_log.py" "$LOG_FILE" \
    --odoo-rc "$odoo_rc" --module-state "$state" --module "$ADDON_NAME" \
    "${check_args[@]}"
