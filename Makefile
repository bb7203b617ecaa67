# Pandai: two commands matter — `make run` and `make test`. Everything else is below them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint demo bench setup migrate messages clean test-postgres

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var

migrate: setup
	$(MANAGE) migrate --noinput

## Serve Pandai on http://127.0.0.1:8000 (SQLite in var/), demo data loaded once.
run: migrate
	$(MANAGE) demo_load --if-empty
	$(MANAGE) demo_logins
	$(MANAGE) runserver 127.0.0.1:8000

## The whole test suite (browser tests run when /usr/bin/chromium exists; CI requires them).
test: setup
	$(BIN)/pytest -n 2 --dist loadgroup -q

## The suite on PostgreSQL. The browser tests and the permission matrix (every URL x every role)
## exercise pages and rights, not the database: they run in `make test`; here they are left out
## unless PG_PYTEST_ARGS says otherwise (PG_PYTEST_ARGS= runs everything).
PG_PYTEST_ARGS ?= -m "not browser" --deselect pandai/core/tests/test_permission_matrix.py
test-postgres: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n 2 --dist loadgroup -q $(PG_PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy pandai
	$(MANAGE) makemigrations --check --dry-run

## Wipe the SQLite database and load the demo site again.
demo: setup
	rm -f var/pandai.sqlite3 var/pandai.sqlite3-wal var/pandai.sqlite3-shm
	$(MANAGE) migrate --noinput
	$(MANAGE) demo_load
	$(MANAGE) demo_logins

## Recompile translations after editing locale/*/LC_MESSAGES/django.po
messages: setup
	$(MANAGE) makemessages -l en --no-obsolete --ignore='.venv/*' --ignore='bench/*' --ignore='test-artifacts/*'
	$(MANAGE) compilemessages --ignore='.venv/*' --ignore='bench/*' --ignore='test-artifacts/*'

## The benchmark, parts 1-3 (docs/benchmark.md); e.g. `make bench BENCH_ARGS="--soak 60"`.
BENCH_STAMP := $(VENV)/.installed-bench
BENCH_ARGS ?=
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

bench: setup $(BENCH_STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
