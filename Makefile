# account_dunning developer entry points; the logic lives in scripts/*.sh.
# Odoo 18 is taken from $ODOO_BIN, else `odoo` on PATH; PostgreSQL from the
# usual PGHOST/PGPORT/PGUSER variables (libpq defaults otherwise).
SHELL := /bin/bash
ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory
.PHONY: help check demo test bench lint clean

help: ## show this help
	@echo "account_dunning: make <target>"
	@grep -E '^[a-z]+:.*## ' $(firstword $(MAKEFILE_LIST)) | sed -E 's/^([a-z]+):.*## /  \1\t/' | expand -t 10
	@echo "Variables: ODOO_BIN, PGHOST/PGPORT/PGUSER, KEEP_DB=1 (test/bench), TEST_DB,"
	@echo "  TEST_TAGS, UPGRADE_TEST=0, DEMO_NO_SERVER=1, DEMO_PORT, BENCH_SIZES=\"10000 100000\", BENCH_DUNNING=0,"
	@echo "  BENCH_AGING=0, BENCH_OCA=0, BENCH_PORTAL=0, BENCH_AGING_INVOICES=590000, LINT_FIX=1"

check: ## check the environment (Odoo 18, PostgreSQL, chromium, wkhtmltopdf, Python deps)
	@bash "$(ROOT)/scripts/check_env.sh"

demo: ## build the dunning_demo database and serve it on http://localhost:8069 (admin/admin)
	@bash "$(ROOT)/scripts/demo.sh"

test: ## run all tests incl. tours, then the upgrade test; ends with "N passed, M failed"
	@bash "$(ROOT)/scripts/test.sh"

bench: ## dunning run (10k, 100k invoices), then aged balance + KPIs on 500k open items vs OCA
	@bash "$(ROOT)/scripts/bench.sh"

lint: ## ruff + pylint-odoo mandatory checks (tools in the build folder's lint-venv)
	@bash "$(ROOT)/scripts/lint.sh"

clean: ## remove the build folder (~/.cache/account_dunning-*: lint venv, logs, filestores)
	@bash -c 'source "$(ROOT)/scripts/common.sh" && rm -rf "$$BUILD_DIR" && echo "removed $$BUILD_DIR"'
