#!/usr/bin/env bash
# Benchmark account_dunning on a fresh database with scripts/bench.py.
#
#   BENCH_DB=name         database (default dunning_bench; recreated every time)
#   BENCH_SIZES="a b"     invoice volumes to measure (default "10000 100000")
#   BENCH_MODULES=...     modules to install (default account_dunning,l10n_fr_account)
#   KEEP_DB=1             keep the database afterwards
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_env

DB="${BENCH_DB:-dunning_bench}"
MODULES="${BENCH_MODULES:-$ADDON_NAME,l10n_fr_account}"
DATA_DIR="$BUILD_DIR/bench-data"
mkdir -p "$LOG_DIR" "$DATA_DIR"
[[ -f "$REPO_ROOT/scripts/bench.py" ]] || die "scripts/bench.py not found (the benchmark script is not written yet)"

log "recreating database $DB"
drop_db "$DB" "$DATA_DIR"
"$ODOO_BIN" -d "$DB" "${ODOO_COMMON_ARGS[@]}" --data-dir="$DATA_DIR" \
    -i "$MODULES" --without-demo=all --stop-after-init --no-http \
    --workers=0 --max-cron-threads=0 </dev/null >"$LOG_DIR/bench-install.log" 2>&1 ||
    die "installing $MODULES into $DB failed; see $LOG_DIR/bench-install.log"
[[ "$(module_state "$DB" "$ADDON_NAME")" == installed ]] ||
    die "$ADDON_NAME did not install into $DB; see $LOG_DIR/bench-install.log"

log "running scripts/bench.py (BENCH_SIZES=${BENCH_SIZES:-10000 100000})"
rc=0
BENCH_SIZES="${BENCH_SIZES:-10000 100000}" \
    run_odoo_script "$DB" "$REPO_ROOT/scripts/bench.py" "$DATA_DIR" || rc=$?
if [[ "${KEEP_DB:-0}" != 1 ]]; then
    drop_db "$DB" "$DATA_DIR"
fi
[[ "$rc" == 0 ]] || die "scripts/bench.py failed (exit $rc)"
