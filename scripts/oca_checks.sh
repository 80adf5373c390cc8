#!/usr/bin/env bash
# OCA odoo-pre-commit-hooks (oca-checks-odoo-module, oca-checks-po) for this
# repository.  Those tools only find modules BELOW the git top level, while
# here the repository root is the module itself: check a copy laid out as
# $BUILD_DIR/oca-check/account_dunning (with its own .git) instead.
# Needs oca-checks-odoo-module on PATH (pre-commit hook env or lint venv).
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

command -v oca-checks-odoo-module >/dev/null 2>&1 ||
    die "oca-checks-odoo-module not found (pip install oca-odoo-pre-commit-hooks)"
stage="$BUILD_DIR/oca-check"
rm -rf "$stage/$ADDON_NAME"
mkdir -p "$stage/$ADDON_NAME"
[[ -d "$stage/.git" ]] || git init -q "$stage" >/dev/null 2>&1 || mkdir -p "$stage/.git"
tar -C "$REPO_ROOT" --exclude=./.build --exclude=./.git -cf - . | tar -C "$stage/$ADDON_NAME" -xf -

cd "$stage"
rc=0
mapfile -t files < <(find "$ADDON_NAME" -type f \( -name '__manifest__.py' -o -name '*.xml' \
    -o -name '*.csv' -o -name '*.po' -o -name '*.pot' \) | sort)
# The README is Markdown by design (the project's own docs, with screenshots).
oca-checks-odoo-module --disable=prefer-readme-rst "${files[@]}" | sed "s|^$ADDON_NAME/||" || rc=1
mapfile -t po_files < <(find "$ADDON_NAME" -type f \( -name '*.po' -o -name '*.pot' \) | sort)
if [[ ${#po_files[@]} -gt 0 ]]; then
    oca-checks-po --disable=po-pretty-format "${po_files[@]}" | sed "s|^$ADDON_NAME/||" || rc=1
fi
exit "$rc"
