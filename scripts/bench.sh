#!/usr/bin/env bash
# Benchmark account_dunning on fresh databases.
#
# 1. The dunning run and the sale order confirmation (scripts/bench.py).
#   BENCH_DB=name         database (default dunning_bench; recreated every time)
#   BENCH_SIZES="a b"     invoice volumes to measure (default "10000 100000")
#   BENCH_DUNNING=0       skip this part
# 2. The aged balance and the KPIs (scripts/bench_aging.py), then the OCA
#    account_financial_report aged partner balance on a copy of the same database
#    (scripts/oca_aging.sh, scripts/bench_oca_aging.py).
#   BENCH_AGING_DB=name   database (default dunning_bench_aging; recreated)
#   BENCH_AGING_INVOICES  invoices generated (default 590000: about 500,000 open
#                         receivable journal items at BENCH_AGING_OPEN_RATIO 0.85)
#   BENCH_AGING_CUSTOMERS customers (default 20000)
#   BENCH_AGING=0         skip this part; BENCH_OCA=0 skips the OCA comparison
# 3. The customer page (scripts/bench_portal_data.py, scripts/bench_portal_http.py):
#    GET /my/dues as a portal user with BENCH_PORTAL_ITEMS open invoices (default 500)
#    and with 5; BENCH_PORTAL=0 skips it, BENCH_PORTAL_DB its database.
# Common:
#   BENCH_MODULES=...     modules to install (default account_dunning,l10n_fr_account)
#   KEEP_DB=1             keep the databases afterwards
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=scripts/oca_aging.sh
source "$REPO_ROOT/scripts/oca_aging.sh"

check_env

MODULES="${BENCH_MODULES:-$ADDON_NAME,l10n_fr_account}"
DATA_DIR="$BUILD_DIR/bench-data"
mkdir -p "$LOG_DIR" "$DATA_DIR"

# fresh_db DB: drop and install $MODULES without demo data
fresh_db() {
    local db="$1"
    log "recreating database $db"
    drop_db "$db" "$DATA_DIR"
    "$ODOO_BIN" -d "$db" "${ODOO_COMMON_ARGS[@]}" --data-dir="$DATA_DIR" \
        -i "$MODULES" --without-demo=all --stop-after-init --no-http \
        --workers=0 --max-cron-threads=0 </dev/null >"$LOG_DIR/bench-install.log" 2>&1 ||
        die "installing $MODULES into $db failed; see $LOG_DIR/bench-install.log"
    [[ "$(module_state "$db" "$ADDON_NAME")" == installed ]] ||
        die "$ADDON_NAME did not install into $db; see $LOG_DIR/bench-install.log"
}

rc=0
if [[ "${BENCH_DUNNING:-1}" != 0 ]]; then
    DB="${BENCH_DB:-dunning_bench}"
    fresh_db "$DB"
    log "running scripts/bench.py (BENCH_SIZES=${BENCH_SIZES:-10000 100000})"
    BENCH_SIZES="${BENCH_SIZES:-10000 100000}" \
        run_odoo_script "$DB" "$REPO_ROOT/scripts/bench.py" "$DATA_DIR" || rc=$?
    [[ "${KEEP_DB:-0}" == 1 ]] || drop_db "$DB" "$DATA_DIR"
    [[ "$rc" == 0 ]] || die "scripts/bench.py failed (exit $rc)"
fi

if [[ "${BENCH_PORTAL:-1}" != 0 ]]; then
    PORTAL_DB="${BENCH_PORTAL_DB:-dunning_bench_portal}"
    fresh_db "$PORTAL_DB"
    log "customer page: ${BENCH_PORTAL_ITEMS:-500} open invoices for one customer, 5 for another"
    BENCH_PORTAL_ITEMS="${BENCH_PORTAL_ITEMS:-500}" \
        run_odoo_script "$PORTAL_DB" "$REPO_ROOT/scripts/bench_portal_data.py" "$DATA_DIR" || rc=$?
    [[ "$rc" == 0 ]] || die "scripts/bench_portal_data.py failed (exit $rc)"
    port="$(free_port)"
    server_log="$LOG_DIR/bench-portal-server.log"
    "$ODOO_BIN" -d "$PORTAL_DB" "${ODOO_COMMON_ARGS[@]}" --data-dir="$DATA_DIR" \
        --http-interface=127.0.0.1 --http-port="$port" --workers=0 --max-cron-threads=0 \
        --db-filter="^$PORTAL_DB\$" --log-level=info </dev/null >"$server_log" 2>&1 &
    server_pid=$!
    for _try in $(seq 1 60); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/web/login" && break
        sleep 1
    done
    BENCH_PORTAL_DB="$PORTAL_DB" "$ODOO_PY" "$REPO_ROOT/scripts/bench_portal_http.py" \
        "http://127.0.0.1:$port" "$server_log" bench_portal_big bench_portal_small || rc=$?
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    [[ "${KEEP_DB:-0}" == 1 ]] || drop_db "$PORTAL_DB" "$DATA_DIR"
    [[ "$rc" == 0 ]] || die "the customer page benchmark failed (exit $rc)"
fi

if [[ "${BENCH_AGING:-1}" != 0 ]]; then
    AGING_DB="${BENCH_AGING_DB:-dunning_bench_aging}"
    fresh_db "$AGING_DB"
    log "generating ${BENCH_AGING_INVOICES:-590000} invoices for ${BENCH_AGING_CUSTOMERS:-20000} customers (several minutes)"
    started=$SECONDS
    DUNNING_GEN_MODE=fast \
        DUNNING_GEN_INVOICES="${BENCH_AGING_INVOICES:-590000}" \
        DUNNING_GEN_CUSTOMERS="${BENCH_AGING_CUSTOMERS:-20000}" \
        DUNNING_GEN_OPEN_RATIO="${BENCH_AGING_OPEN_RATIO:-0.85}" \
        run_odoo_script "$AGING_DB" "$REPO_ROOT/scripts/generate_data.py" "$DATA_DIR" \
        >"$LOG_DIR/bench-aging-generate.log" 2>&1 ||
        die "data generation failed; see $LOG_DIR/bench-aging-generate.log"
    grep '^GENERATE ' "$LOG_DIR/bench-aging-generate.log" || true
    log "data generated in $((SECONDS - started))s"
    # Odoo's today is the UTC date; the past date is the end of the month six
    # months ago, so that payments received since then count as still due.
    today="$(date -u +%F)"
    past="$(date -u -d "$(date -u +%Y-%m-01) -5 months -1 day" +%F)"
    log "running scripts/bench_aging.py as of $today and $past"
    BENCH_AGING_DATES="$today $past" \
        run_odoo_script "$AGING_DB" "$REPO_ROOT/scripts/bench_aging.py" "$DATA_DIR" || rc=$?
    if [[ "$rc" == 0 && "${BENCH_OCA:-1}" != 0 ]]; then
        oca_aging_bench "$AGING_DB" "$today" "$past" || rc=$?
    fi
    [[ "${KEEP_DB:-0}" == 1 ]] || drop_db "$AGING_DB" "$DATA_DIR"
    [[ "$rc" == 0 ]] || die "the aged balance benchmark failed (exit $rc)"
fi
