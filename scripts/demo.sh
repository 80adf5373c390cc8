#!/usr/bin/env bash
# Build the demo database and serve it on http://localhost:8069.
#
#   DEMO_DB=name          database (default dunning_demo; recreated every time)
#   DEMO_PORT=8069        HTTP port
#   DEMO_NO_SERVER=1      stop once the data is in (CI, screenshots)
#   DEMO_MODULES=...      modules installed (default account_dunning,l10n_fr_account,
#                         payment_demo: the customer page's test payments)
#   DUNNING_GEN_CUSTOMERS / DUNNING_GEN_INVOICES  generator sizes (40 / 300)
#
# The terminal gets one line per step; everything Odoo prints (installation,
# generator, dunning runs, then the server) goes to $LOG_DIR/demo.log.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_env

DB="${DEMO_DB:-dunning_demo}"
PORT="${DEMO_PORT:-8069}"
MODULES="${DEMO_MODULES:-$ADDON_NAME,l10n_fr_account,payment_demo}"
DATA_DIR="$BUILD_DIR/demo-data"
LOG_FILE="$LOG_DIR/demo.log"
SALESPEOPLE="claire.moreau, julien.garnier and sophie.lambert"
mkdir -p "$LOG_DIR" "$DATA_DIR"
: >"$LOG_FILE"
STEPS=5
[[ "${DEMO_NO_SERVER:-0}" == 1 ]] && STEPS=4
STEP=0
TTY=0
[[ -t 1 ]] && TTY=1

# fail MESSAGE: the message, where the log is, and its last 20 lines; exit 1.
fail() {
    {
        printf 'ERROR: %s\n' "$1"
        printf 'last 20 lines of %s:\n' "$LOG_FILE"
        tail -n 20 "$LOG_FILE" | sed 's/^/    /'
    } >&2
    exit 1
}

# step TITLE NOTE_FUNCTION COMMAND [ARGS...]: run COMMAND (errexit on) with its
# output in $LOG_FILE and print one line, "[account_dunning] [n/N] TITLE ... done
# in S s (NOTE)", NOTE printed by NOTE_FUNCTION ("-": none) from the step's log.
# Descriptor 3 is the terminal: the generator draws its progress there.
step() {
    local title="$1" note_fn="$2" started=$SECONDS rc note=""
    shift 2
    STEP=$((STEP + 1))
    printf '\n==== [%d/%d] %s (%s)\n' "$STEP" "$STEPS" "$title" "$(date '+%F %T')" >>"$LOG_FILE"
    STEP_FROM=$(($(wc -l <"$LOG_FILE") + 1))
    printf '[%s] [%d/%d] %s ...' "$ADDON_NAME" "$STEP" "$STEPS" "$title"
    [[ "$TTY" == 1 ]] && printf '\e7'
    set +e
    (
        set -e
        "$@"
    ) 3>&1 >>"$LOG_FILE" 2>&1 </dev/null
    rc=$?
    set -e
    [[ "$TTY" == 1 ]] && printf '\e8\e[K'
    if [[ "$rc" != 0 ]]; then
        printf ' failed after %d s\n' "$((SECONDS - started))"
        fail "$title: failed (exit $rc); Odoo's log is $LOG_FILE"
    fi
    [[ "$note_fn" == - ]] || note="$("$note_fn" || true)"
    printf ' done in %d s%s\n' "$((SECONDS - started))" "${note:+ ($note)}"
}

step_log() { tail -n "+$STEP_FROM" "$LOG_FILE"; }

odoo_init() {
    "$ODOO_BIN" -d "$DB" "${ODOO_COMMON_ARGS[@]}" --data-dir="$DATA_DIR" \
        -i "$1" --without-demo=all --stop-after-init --no-http \
        --workers=0 --max-cron-threads=0
}

# The main company must be French before the accounting is installed: Odoo loads the
# chart of accounts of the company's country (l10n_fr_account's "fr") when it installs.
create_database() {
    drop_db "$DB" "$DATA_DIR"
    odoo_init base
    psql -q -d "$DB" -v ON_ERROR_STOP=1 <<'SQL'
UPDATE res_partner SET country_id = (SELECT id FROM res_country WHERE code = 'FR')
 WHERE id = (SELECT partner_id FROM res_company ORDER BY id LIMIT 1);
SQL
}

install_modules() {
    odoo_init "$MODULES"
    [[ "$(module_state "$DB" "$ADDON_NAME")" == installed ]] || {
        echo "$ADDON_NAME did not install into $DB" >&2
        return 1
    }
}

generate_data() {
    DUNNING_GEN_CUSTOMERS="${DUNNING_GEN_CUSTOMERS:-40}" \
        DUNNING_GEN_INVOICES="${DUNNING_GEN_INVOICES:-300}" \
        DUNNING_GEN_MODE="${DUNNING_GEN_MODE:-demo}" \
        DUNNING_GEN_PROGRESS_FD=3 \
        run_odoo_script "$DB" "$REPO_ROOT/scripts/generate_data.py" "$DATA_DIR"
    step_log | grep '^GENERATE ' >/dev/null || {
        echo "scripts/generate_data.py printed no GENERATE line" >&2
        return 1
    }
}

# "300 invoices (56 in instalments, 82 open), 249 payments, ...; checks OK"
generate_note() {
    local line errors
    line="$(step_log | grep '^GENERATE ' | tail -n 1)"
    field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
    errors="$(field check_errors)"
    printf '%s invoices (%s in instalments, %s open), %s payments, %s credit notes; ' \
        "$(field invoices)" "$(field instalment_invoices)" "$(field open)" \
        "$(field payments)" "$(field credit_notes)"
    if [[ "$errors" == 0 ]]; then
        printf 'checks OK'
    else
        printf 'checks: %s failures, see %s' "$errors" "$LOG_FILE"
    fi
}

run_dunning() {
    DUNNING_RUN_TODAY=1 run_odoo_script "$DB" "$REPO_ROOT/scripts/demo_run.py" "$DATA_DIR"
}

# "7 runs, 12 customers reminded today, 3 customers blocked; disputes: 1 accepted,
# 3 open, ...; promises: ...; plans: ..."
dunning_note() {
    local runs today blocked holds
    runs="$(step_log | grep -c ': run of ' || true)"
    today="$(step_log | grep ': run of ' | tail -n 1 | sed -n 's/.* \([0-9][0-9]*\) customers reminded.*/\1/p')"
    blocked="$(step_log | sed -n 's/^\([0-9]*\) blocked; quotation .*/\1/p' | tail -n 1)"
    holds="$(step_log | sed -n 's/^HOLDS //p' | tail -n 1)"
    printf '%s runs, %s customers reminded today, %s customers blocked%s' \
        "$runs" "${today:-0}" "${blocked:-0}" "${holds:+; $holds}"
}

log "Odoo's log: $LOG_FILE"
step "creating database $DB with a French main company (an existing one is dropped)" - create_database
step "installing $MODULES" - install_modules
step "generating demo data (scripts/generate_data.py)" generate_note generate_data
step "running the dunning of the last eight weeks and of today, with disputes, promises and plans" dunning_note run_dunning
PORTAL_CUSTOMER="$(step_log | sed -n 's/^PORTAL portal user portal \/ portal for \(.*\) (its page.*/\1/p' | tail -n 1)"

print_logins() {
    printf '    database: %s\n    login:    admin / admin\n' "$DB"
    printf '    (the salespeople %s have no password)\n' "$SALESPEOPLE"
    printf '    customer page: portal / portal (%s), then /my/dues\n' "${PORTAL_CUSTOMER:-a demo customer}"
}

if [[ "${DEMO_NO_SERVER:-0}" == 1 ]]; then
    log "DEMO_NO_SERVER=1: the database is ready, the server not started"
    print_logins
    exit 0
fi

# ---------------------------------------------------------------- the server
port_open() { (exec 9<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_open "$PORT" && die "port $PORT is in use; choose another with DEMO_PORT=..."

stop_server() {
    trap - INT TERM
    if [[ "$1" == INT ]]; then # Ctrl-C reached Odoo too: let it stop by itself
        for _i in {1..20}; do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.5
        done
    fi
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    log "server stopped (its log: $LOG_FILE)"
    exit 0
}

STEP=$((STEP + 1))
printf '\n==== [%d/%d] server (%s)\n' "$STEP" "$STEPS" "$(date '+%F %T')" >>"$LOG_FILE"
printf '[%s] [%d/%d] starting Odoo on http://localhost:%s ...' "$ADDON_NAME" "$STEP" "$STEPS" "$PORT"
started=$SECONDS
"$ODOO_BIN" -d "$DB" "${ODOO_COMMON_ARGS[@]}" --data-dir="$DATA_DIR" \
    --db-filter="^${DB}\$" --http-interface=127.0.0.1 --http-port="$PORT" \
    </dev/null >>"$LOG_FILE" 2>&1 &
SERVER_PID=$!
trap 'stop_server INT' INT
trap 'stop_server TERM' TERM
until port_open "$PORT"; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        rc=0
        wait "$SERVER_PID" || rc=$?
        printf ' failed\n'
        fail "the server stopped at start (exit $rc); Odoo's log is $LOG_FILE"
    fi
    if ((SECONDS - started > 120)); then
        printf ' failed\n'
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        fail "the server did not answer on port $PORT within 120 s"
    fi
    sleep 0.5
done
printf ' up in %d s\n' "$((SECONDS - started))"
cat <<MSG

  account_dunning demo
    URL:      http://localhost:$PORT
$(print_logins)
  The server's log goes to $LOG_FILE (Ctrl-C to stop).

MSG
rc=0
wait "$SERVER_PID" || rc=$?
trap - INT TERM
[[ "$rc" == 0 ]] || fail "the server stopped (exit $rc)"
log "server stopped (its log: $LOG_FILE)"
