#!/usr/bin/env bash
# Build the demo database and serve it on http://localhost:8069.
#
#   DEMO_DB=name          database (default dunning_demo; recreated every time)
#   DEMO_PORT=8069        HTTP port
#   DEMO_NO_SERVER=1      stop once the data is in (CI, screenshots)
#   DUNNING_GEN_CUSTOMERS / DUNNING_GEN_INVOICES  generator sizes (40 / 300)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_env

DB="${DEMO_DB:-dunning_demo}"
PORT="${DEMO_PORT:-8069}"
MODULES="${DEMO_MODULES:-$ADDON_NAME,l10n_fr_account}"
DATA_DIR="$BUILD_DIR/demo-data"
mkdir -p "$LOG_DIR" "$DATA_DIR"

log "recreating database $DB (any existing one is dropped)"
drop_db "$DB" "$DATA_DIR"

# The main company must be French before the accounting is installed: Odoo loads the
# chart of accounts of the company's country (l10n_fr_account's "fr") when it installs.
log "creating $DB with a French main company"
"$ODOO_BIN" -d "$DB" "${ODOO_COMMON_ARGS[@]}" --data-dir="$DATA_DIR" \
    -i base --without-demo=all --stop-after-init --no-http \
    --workers=0 --max-cron-threads=0 </dev/null >"$LOG_DIR/demo-install.log" 2>&1 ||
    die "creating $DB failed; see $LOG_DIR/demo-install.log"
psql -q -d "$DB" -v ON_ERROR_STOP=1 >>"$LOG_DIR/demo-install.log" 2>&1 <<'SQL' ||
UPDATE res_partner SET country_id = (SELECT id FROM res_country WHERE code = 'FR')
 WHERE id = (SELECT partner_id FROM res_company ORDER BY id LIMIT 1);
SQL
    die "setting the company's country failed; see $LOG_DIR/demo-install.log"

log "installing $MODULES (without Odoo demo data)"
"$ODOO_BIN" -d "$DB" "${ODOO_COMMON_ARGS[@]}" --data-dir="$DATA_DIR" \
    -i "$MODULES" --without-demo=all --stop-after-init --no-http \
    --workers=0 --max-cron-threads=0 </dev/null >"$LOG_DIR/demo-install.log" 2>&1 ||
    die "installing $MODULES into $DB failed; see $LOG_DIR/demo-install.log"
[[ "$(module_state "$DB" "$ADDON_NAME")" == installed ]] ||
    die "$ADDON_NAME did not install into $DB; see $LOG_DIR/demo-install.log"

log "generating demo data (scripts/generate_data.py)"
DUNNING_GEN_CUSTOMERS="${DUNNING_GEN_CUSTOMERS:-40}" \
    DUNNING_GEN_INVOICES="${DUNNING_GEN_INVOICES:-300}" \
    DUNNING_GEN_MODE="${DUNNING_GEN_MODE:-demo}" \
    run_odoo_script "$DB" "$REPO_ROOT/scripts/generate_data.py" "$DATA_DIR" ||
    die "scripts/generate_data.py failed on database $DB"

log "running today's dunning (scripts/demo_run.py)"
DUNNING_RUN_TODAY=1 run_odoo_script "$DB" "$REPO_ROOT/scripts/demo_run.py" "$DATA_DIR" ||
    die "scripts/demo_run.py failed on database $DB"

if [[ "${DEMO_NO_SERVER:-0}" == 1 ]]; then
    log "DEMO_NO_SERVER=1: database $DB is ready (login admin / admin); not starting the server"
    exit 0
fi

cat <<MSG

  account_dunning demo
    URL:      http://localhost:$PORT
    database: $DB
    login:    admin
    password: admin
  (Ctrl-C to stop)

MSG
exec "$ODOO_BIN" -d "$DB" "${ODOO_COMMON_ARGS[@]}" --data-dir="$DATA_DIR" \
    --db-filter="^${DB}\$" --http-interface=127.0.0.1 --http-port="$PORT"
