# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# shellcheck shell=bash
# The OCA side of the aged receivable benchmark: the "Aged Partner Balance" of
# account_financial_report (OCA/account-financial-reporting 18.0, from PyPI) timed on
# a copy of the benchmark database by scripts/bench_oca_aging.py.
#
# Sourced by scripts/bench.sh, after common.sh and check_env (it uses BUILD_DIR,
# LOG_DIR, ODOO_BIN, ODOO_PY, ODOO_ADDONS_PATH, ODOO_COMMON_ARGS, run_odoo_script):
#
#   oca_aging_install                 wheels into $BUILD_DIR/oca-addons (once), sets
#                                     OCA_ADDONS_DIR (to add to the addons path)
#   oca_aging_bench SRC_DB DATE...    copy SRC_DB to ${SRC_DB}_oca, install the OCA
#                                     module there, time the report for each as-of
#                                     date (YYYY-MM-DD), drop the copy
#
#   OCA_AGING_REQUIREMENTS="pkg==v ..."  other wheels than the pinned ones below
set -euo pipefail

# Pinned so that the comparison is repeatable; account_financial_report depends on
# date_range and report_xlsx (its __manifest__.py), each one its own wheel.
OCA_AGING_DEFAULT_REQUIREMENTS=(
    "odoo-addon-account_financial_report==18.0.1.4.29.6"
    "odoo-addon-date_range==18.0.5.0.2.2"
    "odoo-addon-report_xlsx==18.0.1.1.3"
)

oca_aging_install() {
    local dest="$BUILD_DIR/oca-addons" pip_log="$LOG_DIR/oca-pip.log" reqs
    read -r -a reqs <<<"${OCA_AGING_REQUIREMENTS:-${OCA_AGING_DEFAULT_REQUIREMENTS[*]}}"
    mkdir -p "$LOG_DIR"
    # The stamp holds what was installed: other requirements mean a reinstall.
    if [[ -f "$dest/odoo/addons/account_financial_report/__manifest__.py" &&
        "$(cat "$dest/.requirements" 2>/dev/null || true)" == "${reqs[*]}" ]]; then
        log "OCA addons already in $dest (${reqs[*]})"
    else
        log "installing ${reqs[*]} into $dest"
        rm -rf -- "$dest.tmp"
        # --no-deps: the wheels require `odoo`, which PyPI does not have; --target
        # keeps them out of Odoo's venv. Built aside, so a failure is not cached.
        if ! "$ODOO_PY" -m pip install --no-deps --target "$dest.tmp" "${reqs[@]}" \
            >"$pip_log" 2>&1; then
            warn "pip could not install ${reqs[*]} (see $pip_log)"
            return 1
        fi
        printf '%s\n' "${reqs[*]}" >"$dest.tmp/.requirements"
        rm -rf -- "$dest"
        mv -- "$dest.tmp" "$dest"
    fi
    # Their only external Python dependency is xlsxwriter (report_xlsx), which Odoo
    # itself requires: normally there already.
    if ! "$ODOO_PY" -c 'import xlsxwriter' >/dev/null 2>&1; then
        log "installing xlsxwriter into $ODOO_PY"
        "$ODOO_PY" -m pip install xlsxwriter >>"$pip_log" 2>&1 || {
            warn "pip could not install xlsxwriter (see $pip_log)"
            return 1
        }
    fi
    OCA_ADDONS_DIR="$dest/odoo/addons"
    export OCA_ADDONS_DIR
}

# Returns non-zero on failure (copy dropped) rather than exiting, so that the caller
# can still clean up its own database: every step is checked explicitly because
# `set -e` does not apply in a function called as `oca_aging_bench ... || rc=$?`.
oca_aging_bench() {
    local src="${1:?oca_aging_bench SRC_DB DATE...}"
    shift
    local copy="${src}_oca" data_dir="$BUILD_DIR/oca-data"
    local install_log="$LOG_DIR/oca-install.log" rc=0 arg started
    local -a args
    [[ $# -gt 0 ]] || {
        warn "oca_aging_bench: no as-of date given"
        return 1
    }
    if [[ -z "${OCA_ADDONS_DIR:-}" ]]; then
        oca_aging_install || return 1
    fi
    # Odoo's arguments with the OCA addons added to the addons path.
    args=("--addons-path=$ODOO_ADDONS_PATH,$OCA_ADDONS_DIR")
    for arg in "${ODOO_COMMON_ARGS[@]}"; do
        [[ "$arg" == --addons-path=* ]] || args+=("$arg")
    done
    mkdir -p "$LOG_DIR" "$data_dir"

    log "copying database $src to $copy"
    drop_db "$copy" "$data_dir"
    # No filestore copy: the report reads no attachment.
    if ! createdb -T "$src" "$copy"; then
        warn "could not copy $src to $copy (is it there, with no open session?)"
        return 1
    fi

    # Its install computes a new stored field on every journal item and adds an
    # index: long on a big database, hence the time in the log.
    log "installing account_financial_report into $copy"
    started=$SECONDS
    "$ODOO_BIN" -d "$copy" "${args[@]}" --data-dir="$data_dir" \
        -i account_financial_report --stop-after-init --no-http \
        --workers=0 --max-cron-threads=0 </dev/null >"$install_log" 2>&1 || rc=$?
    if [[ "$rc" != 0 || "$(module_state "$copy" account_financial_report)" != installed ]]; then
        warn "installing account_financial_report into $copy failed; see $install_log"
        drop_db "$copy" "$data_dir"
        return 1
    fi
    log "account_financial_report installed in $((SECONDS - started))s"

    log "timing the OCA aged partner balance on $copy for $*"
    # A subshell: run_odoo_script takes the addons path from ODOO_COMMON_ARGS.
    (
        # Odoo's default --limit-memory-hard (2.5 GB of address space per process)
        # stops the OCA report with a MemoryError on 500,000 items: lifted here so
        # that its time and peak memory can be measured at all (ours runs within it).
        ODOO_COMMON_ARGS=("${args[@]}" "--limit-memory-hard=${OCA_LIMIT_MEMORY_HARD:-0}")
        BENCH_AGING_DATES="$*" \
            run_odoo_script "$copy" "$REPO_ROOT/scripts/bench_oca_aging.py" "$data_dir"
    ) || rc=$?
    drop_db "$copy" "$data_dir"
    if [[ "$rc" != 0 ]]; then
        warn "scripts/bench_oca_aging.py failed on $copy (exit $rc)"
        return 1
    fi
}
