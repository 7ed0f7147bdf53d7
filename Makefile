# The entry point for people and CI. Every process runs with the repository root first on
# sys.path (PYTHONPATH=.), so our `mailbox` app shadows the stdlib module (STYLE.md §2).
SHELL := /bin/bash
PYTHON := .venv/bin/python
export PYTHONPATH := .
export DJANGO_SETTINGS_MODULE := webmail.settings
PORT ?= 8000

.PHONY: venv messages demo dev worker servers-up servers-down migrate seed test test-pure \
	lint fmt check bench clean

venv:
	@bash scripts/bootstrap.sh

messages: venv
	@$(PYTHON) manage.py compilemessages --ignore=.venv --ignore=var -v0
	@$(PYTHON) manage.py collectstatic --noinput -v0

migrate: venv
	@$(PYTHON) manage.py migrate --noinput -v0

servers-up: venv migrate
	@$(PYTHON) -m scripts.localstack up

servers-down:
	@$(PYTHON) -m scripts.localstack down

seed: servers-up
	@set -a; source var/stack.env; set +a; $(PYTHON) manage.py seed_demo

# Everything for a first look: packages, stack, demo data, then the app on 127.0.0.1:$(PORT).
# Ctrl-C stops the app and the stack it started.
demo: venv messages
	@bash scripts/demo.sh $(PORT)

dev: venv messages
	@set -a; source var/stack.env; set +a; DEBUG=1 $(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

worker: venv
	@set -a; source var/stack.env; set +a; $(PYTHON) -m celery -A webmail worker -B -l INFO

test: venv messages
	@$(PYTHON) -m pytest $(PYTEST_ARGS)

test-pure: venv
	@$(PYTHON) -m pytest -m "not browser" tests/pure $(PYTEST_ARGS)

lint: venv
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

fmt: venv
	@.venv/bin/ruff check --fix .
	@.venv/bin/ruff format .

check: lint test

# Benchmarks print medians and rates. The account import uses the configured database
# (var/ by default); the mail benchmark starts its own Dovecot and Redis in a temporary
# directory and fills a folder with BENCH_MESSAGES messages (BENCH_MESSAGES=10000 for a
# quick run); the search benchmark does the same, then builds the full-text index. The
# send benchmark starts its own stack too (with clamd and a worker) and sends one message
# with a 25 MB attachment. The autocomplete benchmark fills a temporary SQLite database
# with 85,000 people, and a temporary PostgreSQL one too when BENCH_POSTGRES_URL is set
# (e.g. postgres://postgres@127.0.0.1/; the database is created and dropped).
BENCH_MESSAGES ?= 100000
BENCH_POSTGRES_URL ?=
bench: venv migrate
	@$(PYTHON) bench/import_accounts.py --rows 10000
	@# the conversation-update rows need a full-text index of the whole folder: run them at 20,000
	@$(PYTHON) bench/mail_speed.py --messages $(BENCH_MESSAGES) --no-thread-updates
	@$(PYTHON) bench/search.py --messages $(BENCH_MESSAGES)
	@$(PYTHON) bench/send_large_attachment.py --mb 25
	@$(PYTHON) bench/autocomplete.py
	@if [ -n "$(BENCH_POSTGRES_URL)" ]; then $(PYTHON) bench/autocomplete.py --postgres "$(BENCH_POSTGRES_URL)"; fi

clean: servers-down
	rm -rf var/stack var/stack.env var/staticfiles
