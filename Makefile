# Wissensnetz: `make run` serves the site with demo content, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST := $(BIN)/python -m pytest $(PYTEST_ARGS)
ON_POSTGRES := $(BIN)/python scripts/with_postgres.py --
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run migrate demo test test-sqlite test-postgres lint bench-search clean

install: $(STAMP)

# Reinstall only when the pinned dependencies change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo --site-url http://$(HOST):$(PORT)

run: demo
	WAGTAILADMIN_BASE_URL=$${WAGTAILADMIN_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Static checks (also the first part of `make test`): lint, formatting, Django's system checks,
# migrations in step with the models, architecture contracts ([tool.importlinter] in
# pyproject.toml), template indentation.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=wissensnetz.settings.test $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=wissensnetz.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/djhtml --check templates

# The whole suite on SQLite (the embedded default) and on a throw-away PostgreSQL 15 cluster
# that scripts/with_postgres.py starts on loopback and removes afterwards. The two runs share
# nothing (own databases, media, ports, temp dirs), so they run side by side: the PostgreSQL
# run's output is kept in .test-postgres.log and printed after the SQLite run.
test: lint
	@echo "== Test suite on SQLite and, alongside, on PostgreSQL =="
	@$(ON_POSTGRES) $(PYTEST) > .test-postgres.log 2>&1 & pg=$$!; \
	$(PYTEST); sqlite=$$?; \
	wait $$pg; postgres=$$?; \
	echo "== Test suite on PostgreSQL (output of the run alongside) =="; \
	cat .test-postgres.log; \
	echo "== SQLite: exit $$sqlite, PostgreSQL: exit $$postgres =="; \
	test $$sqlite -eq 0 -a $$postgres -eq 0

test-postgres: install
	$(ON_POSTGRES) $(PYTEST)

test-sqlite: install
	$(PYTEST)

# Backup of database content and media files: make backup FILE=sicherung.tar.gz
# Restore (all or nothing; refuses a database with articles unless FORCE=1):
#   make restore FILE=sicherung.tar.gz [FORCE=1]
.PHONY: backup restore
backup: install
	@test -n "$(FILE)" || { echo "Aufruf: make backup FILE=sicherung.tar.gz"; exit 2; }
	$(BIN)/python manage.py kb_backup "$(FILE)"

restore: install
	@test -n "$(FILE)" || { echo "Aufruf: make restore FILE=sicherung.tar.gz [FORCE=1]"; exit 2; }
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py kb_restore "$(FILE)" $(if $(FORCE),--force)

# Production serving (settings from the environment, see docs/PRODUCTION.md): gunicorn with
# WEB_CONCURRENCY workers on BIND, and the task worker for TASK_BACKEND=database.
.PHONY: serve worker
serve: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-wissensnetz.settings.production} \
		$(BIN)/gunicorn --config wissensnetz/gunicorn_conf.py

worker: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-wissensnetz.settings.production} \
		$(BIN)/python manage.py db_worker --queue-name '*' --no-reload $(WORKER_ARGS)

# Search latency benchmark (never part of `make test`): prints a table, writes
# benchmarks/RESULTS-search.md. Takes a few minutes (10 000-article import included).
bench-search: install
	$(BIN)/python benchmarks/search_latency.py --sizes 1000 10000 $(BENCH_ARGS)

# Scale benchmark and load test (never part of `make test`; see benchmarks/README.md): print
# tables and write benchmarks/RESULTS.md. The full sizes take about 30 minutes:
#   make bench SIZES=1000,10000 DATABASES=sqlite BENCH_ARGS=--keep
#   make bench-load LOAD_ARGS="--kept sqlite:10000 --duration 60"
SIZES ?= 1000,10000,100000
DATABASES ?= sqlite,postgresql
.PHONY: bench bench-load
bench: install
	$(BIN)/python benchmarks/scale.py --sizes $(SIZES) --databases $(DATABASES) $(BENCH_ARGS)

bench-load: install
	$(BIN)/python benchmarks/load_test.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 static_collected .pytest_cache .ruff_cache
