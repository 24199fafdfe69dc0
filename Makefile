# Two commands for a new machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DEBUG ?= 1

.PHONY: run test install install-dev seed serve lint bench resilience soak assets

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

seed: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo

## run: build, migrate, seed the demo authority, and serve (web + WebSockets + background jobs)
run: seed
	DEMO_MFA_CODE=$${DEMO_MFA_CODE-000000} BASE_URL=$${BASE_URL-http://localhost:$(PORT)} PORT=$(PORT) bin/serve

## test: install what the tests need, check the seams between the apps and the types, run the whole suite
test: install-dev
	@command -v chromium >/dev/null 2>&1 || echo "NOTE: Debian's chromium is not installed, so the browser tests will be skipped. Enable them with: apt-get install chromium"
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto

lint: install-dev
	$(BIN)/ruff check .

## bench: the benchmarks (not tests; needs DATABASE_URL and REDIS_URL, see bench/README.md)
bench: install-dev
	status=0; \
	$(BIN)/python -m bench.meeting_fanout $(BENCH_ARGS) || status=1; \
	$(BIN)/python -m bench.accountability $(ACCOUNTABILITY_BENCH_ARGS) || status=1; \
	exit $$status

## resilience: the meeting room through a server killed, Redis restarted and PostgreSQL stopped
## (starts its own nginx, PostgreSQL and Redis; needs Debian's nginx; see bench/README.md)
resilience: install-dev
	$(BIN)/python -m bench.resilience $(RESILIENCE_ARGS)

## soak: 200 people for 30 minutes through nginx (Locust; needs DATABASE_URL and REDIS_URL)
soak: $(VENV)/.installed-bench
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

include assets.mk
