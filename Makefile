# Tongxin: `make run` serves the demo, `make test` runs the suite. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT := $(or $(TONGXIN_PORT),8000)
WORKERS ?= auto

.PHONY: install setup run test test-pg lint format clean bench e2e load

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -e '.[test,dev]'
	@touch $(STAMP)

install: $(STAMP)

setup: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py collectstatic --noinput -v0

run: setup
	@echo "同心已就绪：http://127.0.0.1:$(PORT)/  （Ctrl-C 停止；演示账号见上）"
	$(BIN)/gunicorn tongxin.wsgi -b 127.0.0.1:$(PORT) --workers 2 --threads 4 --timeout 300 --keep-alive 75 --access-logfile -

# --dist loadgroup: the modules that load the whole demo (tests/conftest.py DEMO_MODULES) stay on
# one worker each, so each loads the demo once, not once per worker.
test: setup
	$(BIN)/pytest -n $(WORKERS) --dist loadgroup -q

# Benchmarks at province scale (not part of test or CI): SQLite and PostgreSQL, figures as JSON on
# stdout and in bench/results/. BENCH_SCALE=0.01 for a quick run; data is generated once per DB.
BENCH_SCALE ?= 1.0
bench: install
	BENCH_SCALE=$(BENCH_SCALE) $(BIN)/python -m bench

# Browser journeys (Playwright driving Debian's chromium) against a fresh demo on a throwaway
# SQLite database and a free port; screenshots in e2e/artifacts/. Not part of `make test`.
e2e: install
	bash e2e/run.sh

# Load (not part of test or CI): 50 locust users for LOAD_SECONDS (120) against gunicorn on
# 127.0.0.1:LOAD_PORT on PostgreSQL (database tongxin_load, created and given the demo here).
# Figures as JSON on stdout and in load/results/load.json; any error fails the target.
LOAD_DB ?= tongxin_load
LOAD_VAR_DIR ?= $(CURDIR)/var/load
LOAD_ENV = TONGXIN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(LOAD_DB) TONGXIN_VAR_DIR=$(LOAD_VAR_DIR)
$(VENV)/.load-stamp: pyproject.toml $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,dev,load]'
	@touch $@
load: $(VENV)/.load-stamp
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(LOAD_DB)'" | grep -q 1 \
	  || createdb -h 127.0.0.1 -U postgres $(LOAD_DB)
	$(LOAD_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(LOAD_ENV) $(BIN)/python manage.py demo > /dev/null
	$(LOAD_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(LOAD_ENV) $(BIN)/python -m load.prepare
	$(LOAD_ENV) LOAD_ACCOUNTS=$(LOAD_VAR_DIR)/load_accounts.json $(BIN)/python -m load.run

lint: install
	$(BIN)/ruff check tongxin tests bench load e2e
	$(BIN)/ruff format --check tongxin tests bench load e2e
	$(BIN)/mypy tongxin bench
	$(BIN)/python manage.py makemigrations --check --dry-run -v0

format: install
	$(BIN)/ruff check --fix tongxin tests bench load e2e
	$(BIN)/ruff format tongxin tests bench load e2e

clean:
	rm -rf $(VENV) var
