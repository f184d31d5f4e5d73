# The two commands a newcomer needs: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell command -v python3.13 || command -v python3)
# Tests always run against PostgreSQL; this is the local default.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# `make run PORT=8001` serves on another port (SITE_URL follows it).
PORT ?= 8000
# Production settings do not start without who we are (operator, agency): benchmarks
# use the fictitious ones of deploy/example.env.
WITH_EXAMPLE_IDENTITY := set -a && . deploy/example.env && set +a &&

.PHONY: install run test lint format content bench drill

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $@

# The site on http://127.0.0.1:$(PORT)/ and, beside it, the task worker that sends the
# emails (in development they are printed here). Ctrl-C stops both.
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py setup_groups
	$(BIN)/python manage.py requeue_emails
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} sh -c '\
	  $(BIN)/python manage.py db_worker & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)'

content: install
	$(BIN)/python manage.py load_content

# POST latency with an SMTP relay that takes 500 ms per message, against one that answers
# at once: the request does not wait for mail (not in CI). Results: docs/performance.md.
.PHONY: bench-mail
bench-mail: install
	$(BIN)/python bench/slow_relay.py $(BENCH_MAIL_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint Dockerfile

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/pytest

# Throughput and its targets: nginx + gunicorn with the production settings, wrk
# and hey (not in CI; needs `apt-get install -y nginx wrk hey`, PostgreSQL, Redis).
# Results: docs/performance.md.
bench: install
	$(WITH_EXAMPLE_IDENTITY) $(BIN)/python bench/run.py $(BENCH_ARGS)

# Two replicas behind nginx: publish, rate limit, a replica killed, both stopped,
# throughput (not in CI; same needs as bench). Results: docs/deploy.md.
drill: install
	$(WITH_EXAMPLE_IDENTITY) $(BIN)/python bench/drill.py $(DRILL_ARGS)
