# One command to run the portal, one to test it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
export PATH := $(abspath $(BIN)):$(PATH)
PORT ?= 8000

.PHONY: run test install messages db demo lint format ci clean e2e totp makemessages bench schemathesis

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

messages: install
	$(PY) manage.py compile_catalogues

makemessages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=tests --no-location --no-obsolete

db: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data

demo: db
	$(PY) manage.py seed_demo

## run: set up everything on embedded defaults and start web, worker and beat (Ctrl-C stops them all)
# The simulated administration runs fast (a working day of review in 10 s) and calls the portal back over HTTP.
run: export MIIT_SECONDS_PER_WORKING_DAY ?= 10
run: export MIIT_CALLBACK_TRANSPORT ?= http
run: export PORTAL_CALLBACK_URL ?= http://127.0.0.1:$(PORT)/filing/callbacks/administration/
run: export MIIT_BASE_URL ?= http://127.0.0.1:$(PORT)/miit/
run: messages demo
	@echo "Starting web on http://127.0.0.1:$(PORT)/ , worker and beat. Ctrl-C stops them all."
	PORT=$(PORT) $(BIN)/honcho -f Procfile.dev start

## test: the whole suite. SQLite and the filesystem broker by default; PostgreSQL and Redis when
## DATABASE_URL / REDIS_URL are set.
test: messages
	$(PY) -m pytest $(PYTEST_ARGS)

e2e: messages
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

## schemathesis: every API operation against /api/schema/ on a live server, as the demo applicant and reviewer,
## throttles off (docs/api.md). Prints the operations and cases it ran.
schemathesis: messages
	RUN_SCHEMATHESIS=1 API_THROTTLE_ENABLED=0 $(PY) -m pytest tests/api/test_schemathesis.py -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: the benchmark harness (bench/README.md): a dedicated PostgreSQL database, 100 000 seeded orders, the
## production server under wrk, claim next, worker memory and the expiry sweep; writes bench/RESULTS.md.
## Needs PostgreSQL and Redis on 127.0.0.1 (BENCH_DATABASE_URL, BENCH_REDIS_URL); BENCH_ARGS passes options.
bench: messages
	BENCH_COMMAND="make bench$(if $(BENCH_ARGS), BENCH_ARGS='$(BENCH_ARGS)')" $(PY) bench/run.py $(BENCH_ARGS)

## totp: the current second-factor code of a demo staff account, e.g. make totp EMAIL=reviewer@example.com
totp: install
	$(PY) manage.py demo_totp $(EMAIL)

ci:
	bash .ci/run

clean:
	rm -rf var .pytest_cache
