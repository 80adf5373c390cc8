#!/usr/bin/env bash
# Check (and where possible fix) everything the tooling needs:
# Odoo 18, PostgreSQL, extra Python packages, chromium + wkhtmltopdf.
#   usage: scripts/check_env.sh [--require-chrome]
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
check_env "$@"
log "environment OK"
