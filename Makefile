# Huiyi: two commands. `make run` serves the app with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PYTHONDONTWRITEBYTECODE := 1
PYTEST_ARGS ?=

.PHONY: run test lint deps frontend messages static chromium pdf-font clean help

help:
	@echo "make run   - install, migrate, load the demo and serve on http://127.0.0.1:$${HUIYI_PORT:-8000}"
	@echo "make test  - install what the tests need and run lint, unit/integration and browser tests"

# `make run` serves plain HTTP on this machine, so cookies may not require HTTPS here (HUIYI_HTTPS=0);
# a production deployment behind TLS leaves HUIYI_HTTPS unset (secure by default).
run: export HUIYI_HTTPS ?= 0
run: deps frontend messages static pdf-font
	$(BIN)/huiyi migrate --no-input -v 0
	$(BIN)/huiyi demo --quiet-if-present
	@echo "Open http://$${HUIYI_HOST:-127.0.0.1}:$${HUIYI_PORT:-8000}/ and sign in with the demo account above."
	$(BIN)/huiyi serve

test: deps frontend messages chromium lint
	$(BIN)/pytest -n $${HUIYI_TEST_WORKERS:-2} $(PYTEST_ARGS)

lint: deps
	$(BIN)/ruff check src tests scripts $(wildcard bench)

# --- set-up steps (each does nothing when already up to date) --------------------------------------
deps: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

frontend: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: deps
	@for dir in $$(find src/huiyi -type d -name locale); do \
	  $(BIN)/pybabel compile -d $$dir -D django >/dev/null || exit 1; done

static: deps frontend
	$(BIN)/huiyi collectstatic --no-input -v 0

chromium:
	@if ! command -v chromium >/dev/null 2>&1 || [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || ! ldconfig -p | grep -q libzbar.so.0; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium fonts-noto-cjk fonts-wqy-zenhei libzbar0 >/dev/null; \
	  else echo "Install Debian's chromium, fonts-noto-cjk, fonts-wqy-zenhei and libzbar0 (as root)."; exit 1; fi; \
	fi

# A CJK TrueType font makes PDFs searchable; without it (not root) PDFs use a built-in CID font.
pdf-font:
	@if [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null || true; \
	fi

clean:
	rm -rf $(VENV) node_modules var/static
