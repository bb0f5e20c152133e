# Keywork: `make run` to try it, `make test` to prove it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= $(or $(KEYWORK_PORT),8000)
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_WORKERS ?= 2

.PHONY: setup run test lint typecheck layers fmt test-sqlite test-postgres test-browser check-deploy clean bench bench-postgres

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/.built: node_modules/.installed scripts/build-assets.mjs $(shell find keywork/assets -type f)
	npm run --silent build
	touch $@

setup: $(VENV)/.installed build/static/.built
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput --verbosity 0

run: setup
	$(PY) manage.py seed_demo
	@echo "Keywork is at http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	@# The worker runs background tasks (imports); it stops when the server stops.
	@$(PY) manage.py db_worker --interval 1 > var/worker.log 2>&1 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The services and selectors, fully annotated ([tool.mypy] in pyproject.toml).
typecheck: $(VENV)/.installed
	KEYWORK_ENV=test $(VENV)/bin/mypy

# Which apps may import which (pyproject.toml, [tool.importlinter]).
layers: $(VENV)/.installed
	$(VENV)/bin/lint-imports --no-cache

fmt: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: setup lint typecheck layers
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(MAKE) --no-print-directory check-deploy
	$(MAKE) --no-print-directory check-production
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-browser
	@$(PY) scripts/test_summary.py var/test-results

test-sqlite: setup
	@mkdir -p var/test-results
	KEYWORK_ENV=test $(PY) -m pytest -m "not browser" -n $(PYTEST_WORKERS) -q \
		--junitxml=var/test-results/sqlite.xml; scripts/pytest_status.sh $$?

test-postgres: setup
	@mkdir -p var/test-results
	KEYWORK_ENV=test DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest -m "not browser" -n $(PYTEST_WORKERS) -q \
		--junitxml=var/test-results/postgresql.xml; scripts/pytest_status.sh $$?

test-browser: setup
	@mkdir -p var/test-results
	KEYWORK_ENV=test DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser -q \
		--junitxml=var/test-results/browser.xml; scripts/pytest_status.sh $$?

# The benchmark: 10,000 people on SQLite and on PostgreSQL; the larger tiers on
# PostgreSQL on request (BENCH_PEOPLE=1000000 make bench-postgres). bench/report.py
# prints every tier's results as the README's tables.
BENCH_PEOPLE ?= 100000
bench: setup
	$(PY) bench/run.py --people 10000 --db sqlite
	$(PY) bench/run.py --people 10000 --db postgres

bench-postgres: setup
	$(PY) bench/run.py --people $(BENCH_PEOPLE) --db postgres

check-deploy: $(VENV)/.installed
	KEYWORK_ENV=production DEBUG=false ALLOWED_HOSTS=keywork.example.org \
		SECRET_KEY=check-deploy-only-$$(printf 'x%.0s' {1..60}) \
		$(PY) manage.py check --deploy --fail-level WARNING

# README.md's production deploy from the built assets, on a fresh PostgreSQL database:
# collectstatic with the manifest storage, migrate, check --deploy, gunicorn, one page.
.PHONY: check-production
check-production: $(VENV)/.installed build/static/.built
	PG_TEST_URL=$(PG_TEST_URL) scripts/check_production.sh

clean:
	rm -rf $(VENV) node_modules build var
