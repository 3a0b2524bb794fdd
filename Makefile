# CollabHub: `make run` serves the app with demo data; `make test` runs the whole suite.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
FLASK = $(BIN)/flask --app wsgi

.PHONY: install run test test-postgres lint bench faults clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# SQLite always; PostgreSQL + Redis too when TEST_DATABASE_URL / TEST_REDIS_URL are set.
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/collabhub_test} \
	TEST_REDIS_URL=$${TEST_REDIS_URL:-redis://127.0.0.1:6379/15} \
	$(BIN)/pytest $(PYTEST_ARGS)

# Short benchmark (CI-sized); BENCH_ARGS="--scale large --duration 10" for the full run (bench/README.md).
bench: install
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/run.py $(or $(BENCH_ARGS),--quick)

# Fault runs, short (CI): Redis outage, PostgreSQL restart, SIGTERM, soak — on their own Redis (6391) and
# PostgreSQL cluster (5440); FAULTS_ARGS="--soak-minutes 30" etc. for the full ones (bench/README.md).
faults: install
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python -m bench.faults $(or $(FAULTS_ARGS),--quick)

lint: install
	$(BIN)/ruff check webapp tests bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
