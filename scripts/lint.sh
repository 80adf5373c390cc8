#!/usr/bin/env bash
# The blocking lint checks of .pre-commit-config.yaml, run directly:
# ruff (lint + format check, .ruff.toml), pylint-odoo (.pylintrc-mandatory)
# and OCA's odoo-pre-commit-hooks (XML/CSV/PO checks of the module).
# Tools live in $BUILD_DIR/lint-venv (created on first use, pinned versions).
#   LINT_FIX=1  let ruff fix/format files instead of only reporting
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# keep in sync with .pre-commit-config.yaml
RUFF_REQ="ruff==0.9.9"
PYLINT_REQ="pylint-odoo==9.3.2"
OCA_HOOKS_REQ="oca-odoo-pre-commit-hooks==0.2.27"

VENV="$BUILD_DIR/lint-venv"
PY_BOOT="${LINT_PYTHON:-$(command -v python3 || true)}"
[[ -n "$PY_BOOT" ]] || die "python3 not found on PATH (needed for the lint tools)"
# The outputs are read whole: `grep -q` would stop reading early and, under pipefail,
# fail the pipeline (and reinstall the tools every time).
ruff_version="$("$VENV/bin/ruff" --version 2>/dev/null || true)"
pylint_show="$("$VENV/bin/python" -m pip show pylint-odoo 2>/dev/null || true)"
if ! "$VENV/bin/python" -c 'import pylint_odoo' >/dev/null 2>&1 ||
    [[ "$ruff_version" != "ruff ${RUFF_REQ#ruff==}" ]] ||
    ! grep -qx "Version: ${PYLINT_REQ#pylint-odoo==}" <<<"$pylint_show" ||
    [[ ! -x "$VENV/bin/oca-checks-odoo-module" ]]; then
    mkdir -p "$LOG_DIR"
    log "installing $RUFF_REQ $PYLINT_REQ $OCA_HOOKS_REQ into $VENV"
    { "$PY_BOOT" -m venv "$VENV" &&
        "$VENV/bin/python" -m pip install -q "$RUFF_REQ" "$PYLINT_REQ" "$OCA_HOOKS_REQ"; } >"$LOG_DIR/lint-venv.log" 2>&1 ||
        die "could not create the lint venv $VENV (see $LOG_DIR/lint-venv.log)"
fi

# pylint-odoo takes the module name from the directory name: lint through
# the $BUILD_DIR/addons/account_dunning symlink, whatever the clone is called.
setup_addons_path
cd "$REPO_ROOT"

rc=0
if [[ "${LINT_FIX:-0}" == 1 ]]; then
    log "ruff check --fix"
    "$VENV/bin/ruff" check --fix . || rc=1
    log "ruff format"
    "$VENV/bin/ruff" format . || rc=1
else
    log "ruff check"
    "$VENV/bin/ruff" check --no-fix --output-format=concise . || rc=1
    log "ruff format --check"
    "$VENV/bin/ruff" format --check . || rc=1
fi

log "pylint-odoo (.pylintrc-mandatory)"
cd "$BUILD_DIR/addons"
"$VENV/bin/pylint" --rcfile="$REPO_ROOT/.pylintrc-mandatory" --output-format=text \
    --ignore=scripts,.build "$ADDON_NAME" || rc=1

log "oca-checks-odoo-module / oca-checks-po"
PATH="$VENV/bin:$PATH" bash "$REPO_ROOT/scripts/oca_checks.sh" || rc=1

if [[ "$rc" == 0 ]]; then
    log "lint OK"
else
    die "lint found problems (see above)"
fi
