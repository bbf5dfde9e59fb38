# Silta: `make run` runs the product, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test install assets lint format messages compilemessages screenshots bench bench-data bench-load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

assets: node_modules/.installed

compilemessages: $(VENV)/.installed
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

## The whole product on embedded defaults: web, Celery worker and beat.
run: install compilemessages
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py seed_demo --if-empty
	@echo ""
	@echo "Silta is starting at http://127.0.0.1:$(PORT)/  (health: /health/, API docs: /api/docs/)"
	@echo "Press Ctrl-C to stop the web server, the worker and beat."
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

## Lint and the full pytest suite (SQLite unless DATABASE_URL says otherwise).
test: install compilemessages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Regenerate the translation catalogues of each app after changing strings.
messages: $(VENV)/.installed
	for app in core crm alignment feedback kpis transfer; do \
	  (cd $$app && ../$(BIN)/python ../manage.py makemessages -l fi -l nl --no-obsolete --add-location=file -v 0); \
	done
	$(BIN)/python manage.py makemessages -l fi -l nl --no-obsolete --add-location=file -v 0 \
	  --ignore=.venv --ignore=node_modules --ignore=core --ignore=crm --ignore=alignment \
	  --ignore=feedback --ignore=kpis --ignore=transfer --ignore=tests --ignore=bench --ignore=var

screenshots: install compilemessages
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) node_modules var

## Benchmarks on PostgreSQL + Redis (see bench/README.md). SCALE=1 is the design scale.
SCALE ?= 0.01
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/silta_bench
bench-data: install
	$(BIN)/python bench/generate.py --scale $(SCALE) --database-url $(BENCH_DATABASE_URL) $(BENCH_ARGS)

bench: install compilemessages
	$(BIN)/python bench/run.py --database-url $(BENCH_DATABASE_URL) $(BENCH_ARGS)

## 50 mixed users for 2 minutes (reps logging, marketers on the feed, managers on dashboards).
bench-load: install compilemessages
	$(BIN)/python -m bench.load_mixed --database-url $(BENCH_DATABASE_URL) $(BENCH_ARGS)
