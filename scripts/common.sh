# shellcheck shell=bash
# Shared helpers for the account_dunning tooling (sourced by scripts/*.sh).
#
# Environment knobs (all optional):
#   ODOO_BIN        Odoo 18 executable (default: `odoo` found on PATH)
#   PGHOST/PGPORT/PGUSER/PGPASSWORD  where PostgreSQL is (libpq defaults otherwise)
#   ODOO_EXTRA_ARGS extra arguments appended to every Odoo command line
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
ADDON_NAME="account_dunning"
ODOO_DOC_URL="https://www.odoo.com/documentation/18.0/administration/on_premise.html"

# CI runs us with a minimal environment: make sure the basics are there.
export PATH="${PATH:-/usr/local/bin:/usr/bin:/bin}"
if [[ -z "${HOME:-}" ]]; then
    HOME="$(getent passwd "$(id -u)" | cut -d: -f6 || true)"
    export HOME="${HOME:-/tmp}"
fi

# Tool output lives outside the repository: the repository root is the addon, and Odoo
# walks an addon's folder (translation export, for one), symlinks included.
BUILD_DIR="${ACCOUNT_DUNNING_BUILD_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/account_dunning-$(printf '%s' "$REPO_ROOT" | cksum | cut -d' ' -f1)}"
LOG_DIR="$BUILD_DIR/logs"
export PYTHONUNBUFFERED=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

log() { printf '[%s] %s\n' "$ADDON_NAME" "$*"; }
warn() { printf '[%s] WARNING: %s\n' "$ADDON_NAME" "$*" >&2; }
# die MESSAGE: the one clear line, then a non-zero exit (no traceback).
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

is_root() { [[ "$(id -u)" == 0 ]]; }

# --------------------------------------------------------------------------
# Odoo executable
# --------------------------------------------------------------------------
resolve_odoo() {
    local how
    if [[ -n "${ODOO_BIN:-}" ]]; then
        how="ODOO_BIN=$ODOO_BIN"
        if [[ "$ODOO_BIN" != */* ]]; then
            ODOO_BIN="$(command -v -- "$ODOO_BIN" || true)"
        fi
        if [[ -z "$ODOO_BIN" || -d "$ODOO_BIN" || ! -x "$ODOO_BIN" ]]; then
            die "Odoo 18 not found: $how is not an executable file; install Odoo 18 Community ($ODOO_DOC_URL) and set ODOO_BIN to its odoo executable"
        fi
    else
        ODOO_BIN="$(command -v odoo || true)"
        if [[ -z "$ODOO_BIN" ]]; then
            die "Odoo 18 not found: no 'odoo' executable on PATH and ODOO_BIN is not set; install Odoo 18 Community ($ODOO_DOC_URL) or set ODOO_BIN=/path/to/odoo"
        fi
    fi
    export ODOO_BIN
}

check_odoo_version() {
    local out
    out="$("$ODOO_BIN" --version 2>/dev/null </dev/null | tail -n 1 || true)"
    if [[ ! "$out" =~ ^Odoo\ Server\ 18\. ]]; then
        die "$ODOO_BIN is not a working Odoo 18 (its --version says: '${out:-nothing}'); install Odoo 18 Community ($ODOO_DOC_URL) and set ODOO_BIN"
    fi
    ODOO_VERSION="${out#Odoo Server }"
}

# Odoo's own Python interpreter and its default addons path.  Asking Odoo
# itself (a db-less `odoo shell`) works for venv scripts and shell wrappers
# alike; if that fails we read the interpreter from the script's shebang or
# from an `exec .../python` line of a wrapper.
probe_odoo() {
    local out target first
    out="$(printf '%s\n' \
        'import sys' \
        'from odoo.tools import config' \
        'print("@@PY=" + sys.executable)' \
        'print("@@AP=" + (config["addons_path"] or ""))' |
        timeout 180 "$ODOO_BIN" shell --no-http -c /dev/null --log-level=warn 2>/dev/null || true)"
    ODOO_PY="$(sed -n 's/^@@PY=//p' <<<"$out" | tail -n 1)"
    ODOO_DEFAULT_ADDONS="$(sed -n 's/^@@AP=//p' <<<"$out" | tail -n 1)"
    if [[ -z "$ODOO_PY" || ! -x "$ODOO_PY" ]]; then
        target="$(readlink -f -- "$ODOO_BIN")"
        first="$(head -n 1 -- "$target" 2>/dev/null | tr -d '\r' || true)"
        ODOO_PY=""
        if [[ "$first" =~ ^#!.*python ]]; then
            read -r -a words <<<"${first#\#!}"
            if [[ "$(basename -- "${words[0]}")" == env ]]; then
                ODOO_PY="$(command -v -- "${words[1]}" || true)"
            else
                ODOO_PY="${words[0]}"
            fi
        else
            ODOO_PY="$(grep -oE '[^[:space:]"'"'"']*/python[0-9.]*' -- "$target" 2>/dev/null | head -n 1 || true)"
        fi
        if [[ -z "$ODOO_PY" || ! -x "$ODOO_PY" ]]; then
            ODOO_PY="$(command -v python3 || true)"
        fi
        [[ -n "$ODOO_PY" ]] || die "cannot find the Python interpreter that runs $ODOO_BIN (and no python3 on PATH)"
        warn "could not ask Odoo for its interpreter; using $ODOO_PY"
    fi
    export ODOO_PY ODOO_DEFAULT_ADDONS
}

# --------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------
pg_where() {
    printf 'host %s, port %s, user %s' "${PGHOST:-<local socket>}" "${PGPORT:-5432}" "${PGUSER:-$(id -un)}"
}

check_postgres() {
    local ok=1
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -t 5 -d postgres >/dev/null 2>&1 || ok=0
    elif command -v psql >/dev/null 2>&1; then
        psql -X -q -d postgres -c 'select 1' >/dev/null 2>&1 || ok=0
    fi
    if [[ "$ok" == 0 ]]; then
        die "PostgreSQL is not answering ($(pg_where)): it must be running and reachable; start it or set PGHOST/PGPORT/PGUSER"
    fi
}

# Real login check (needs Odoo's interpreter for psycopg2); libpq reads PG* env.
check_postgres_login() {
    local err
    if ! err="$("$ODOO_PY" - 2>&1 <<'PY'
import sys
import psycopg2
try:
    conn = psycopg2.connect(dbname="postgres", connect_timeout=10)
    conn.cursor().execute("select 1")
except Exception as exc:  # noqa: BLE001
    print(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    sys.exit(1)
PY
)"; then
        die "PostgreSQL did not accept a connection ($(pg_where)): ${err##*$'\n'}; it must be running and reachable with a role allowed to create databases (not 'postgres')"
    fi
}

# Odoo command-line arguments for the database connection, from PG* vars.
odoo_db_args() {
    ODOO_DB_ARGS=()
    [[ -n "${PGHOST:-}" ]] && ODOO_DB_ARGS+=("--db_host=$PGHOST")
    [[ -n "${PGPORT:-}" ]] && ODOO_DB_ARGS+=("--db_port=$PGPORT")
    [[ -n "${PGUSER:-}" ]] && ODOO_DB_ARGS+=("--db_user=$PGUSER")
    [[ -n "${PGPASSWORD:-}" ]] && ODOO_DB_ARGS+=("--db_password=$PGPASSWORD")
    return 0
}

# drop_db NAME [DATA_DIR]: drop the database (even with open sessions) and its filestore.
drop_db() {
    local db="$1" data_dir="${2:-}"
    "$ODOO_PY" - "$db" <<'PY' || die "could not drop database '$db' ($(pg_where))"
import sys
import psycopg2
from psycopg2 import sql
db = sys.argv[1]
conn = psycopg2.connect(dbname="postgres", connect_timeout=10)
conn.autocommit = True
cur = conn.cursor()
cur.execute("select 1 from pg_database where datname = %s", [db])
if cur.fetchone():
    cur.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(db)))
PY
    if [[ -n "$data_dir" && -d "$data_dir/filestore/$db" ]]; then
        rm -rf -- "${data_dir:?}/filestore/$db"
    fi
}

# module_state DB MODULE: prints the module's state ('' when unknown / no db).
module_state() {
    "$ODOO_PY" - "$1" "$2" 2>/dev/null <<'PY' || true
import sys
import psycopg2
try:
    conn = psycopg2.connect(dbname=sys.argv[1], connect_timeout=10)
    cur = conn.cursor()
    cur.execute("select state from ir_module_module where name = %s", [sys.argv[2]])
    row = cur.fetchone()
    print(row[0] if row else "")
except Exception:  # noqa: BLE001
    print("")
PY
}

free_port() {
    "$ODOO_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --------------------------------------------------------------------------
# Dependencies
# --------------------------------------------------------------------------
# Python packages the addon needs beyond Odoo's own (requirements.txt),
# installed into Odoo's interpreter when not already there.
ensure_python_deps() {
    local req="$REPO_ROOT/requirements.txt" missing pip_log
    [[ -f "$req" ]] || return 0
    missing="$("$ODOO_PY" - "$req" <<'PY'
import re
import sys
from importlib import metadata

for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line or line.startswith("-"):
        continue
    name = re.split(r"[<>=!~;\[\s]", line, maxsplit=1)[0]
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        print(line)
PY
)" || die "cannot run Odoo's interpreter $ODOO_PY"
    [[ -n "$missing" ]] || return 0
    mkdir -p "$LOG_DIR"
    pip_log="$LOG_DIR/pip-install.log"
    log "installing missing Python packages into $ODOO_PY: $(tr '\n' ' ' <<<"$missing")"
    if ! "$ODOO_PY" -m pip install -q -r "$req" >"$pip_log" 2>&1; then
        die "could not install $(tr '\n' ' ' <<<"$missing")into Odoo's Python ($ODOO_PY, see $pip_log); run: $ODOO_PY -m pip install -r $req"
    fi
}

find_chrome() {
    local b
    for b in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$b" >/dev/null 2>&1 && return 0
    done
    return 1
}

# ensure_debs [--require-chrome]: chromium (browser tours) and wkhtmltopdf (PDF).
ensure_debs() {
    local require_chrome=0 need=() apt_log
    [[ "${1:-}" == --require-chrome ]] && require_chrome=1
    find_chrome || need+=(chromium)
    command -v wkhtmltopdf >/dev/null 2>&1 || need+=(wkhtmltopdf)
    [[ ${#need[@]} -gt 0 ]] || return 0
    if is_root && command -v apt-get >/dev/null 2>&1; then
        mkdir -p "$LOG_DIR"
        apt_log="$LOG_DIR/apt-install.log"
        log "installing Debian packages: ${need[*]}"
        if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"; } >"$apt_log" 2>&1; then
            warn "apt-get install ${need[*]} failed (see $apt_log)"
        fi
        need=()
        find_chrome || need+=(chromium)
        command -v wkhtmltopdf >/dev/null 2>&1 || need+=(wkhtmltopdf)
        [[ ${#need[@]} -gt 0 ]] || return 0
    fi
    if [[ "$require_chrome" == 1 ]] && ! find_chrome; then
        die "chromium is missing (browser tours must not be skipped); run: sudo apt-get install -y ${need[*]}"
    fi
    warn "missing Debian packages (${need[*]}); run: sudo apt-get install -y ${need[*]}"
}

# --------------------------------------------------------------------------
# Addons path: the repo root IS the addon, whatever the clone is called, so
# expose it as .build/addons/account_dunning (a symlink).
# --------------------------------------------------------------------------
setup_addons_path() {
    [[ -f "$REPO_ROOT/__manifest__.py" ]] || die "$REPO_ROOT/__manifest__.py not found: run this from the $ADDON_NAME repository"
    local link_dir="$BUILD_DIR/addons"
    mkdir -p "$link_dir"
    ln -sfn "$REPO_ROOT" "$link_dir/$ADDON_NAME"
    ODOO_ADDONS_PATH="${ODOO_DEFAULT_ADDONS:+$ODOO_DEFAULT_ADDONS,}$link_dir"
    export ODOO_ADDONS_PATH
}

# check_env [--require-chrome]: everything `make demo|test|bench` needs.
check_env() {
    resolve_odoo
    check_odoo_version
    check_postgres
    probe_odoo
    check_postgres_login
    ensure_python_deps
    ensure_debs "$@"
    setup_addons_path
    odoo_db_args
    read -r -a ODOO_EXTRA <<<"${ODOO_EXTRA_ARGS:-}"
    ODOO_COMMON_ARGS=("--addons-path=$ODOO_ADDONS_PATH" "${ODOO_DB_ARGS[@]}" "${ODOO_EXTRA[@]}")
    log "Odoo $ODOO_VERSION ($ODOO_BIN, python $ODOO_PY); addons path $ODOO_ADDONS_PATH; PostgreSQL $(pg_where)"
}

# run_odoo_script DB SCRIPT [DATA_DIR]: feed a Python file to `odoo shell`
# (parameters travel as environment variables set by the caller).
run_odoo_script() {
    local db="$1" script="$2" data_dir="${3:-}"
    [[ -f "$script" ]] || die "$script not found"
    "$ODOO_BIN" shell -d "$db" --no-http "${ODOO_COMMON_ARGS[@]}" \
        ${data_dir:+"--data-dir=$data_dir"} <"$script"
}
