# LIFE ACT Knowledge Explorer: what a newcomer runs. `make help` lists the targets.
#   make run    set up, then serve the explorer on the embedded store (http://127.0.0.1:8000)
#   make test   set up, then run every test (what .ci/run calls)
#   make messages  extract the strings of app/ and add new ones to app/locale/{da,en} (then translate them)

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: help setup browser run load stats test lint format clean messages

help:
	@sed -n 's/^#   //p' Makefile

# Python packages (pinned in pyproject.toml, transitive ones in requirements.lock), Neo4j's
# Cypher parser for the lint and graphology's GEXF/GraphML parsers for the export tests
# (pinned in tools/*/package-lock.json).
setup: $(VENV)/.installed tools/cypher-lint/node_modules/.installed tools/graph-readers/node_modules/.installed

# Debian's chromium for the browser tests (Playwright drives it; no browser download of its own).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

$(VENV)/.installed: pyproject.toml setup.py requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

tools/%/node_modules/.installed: tools/%/package-lock.json
	npm ci --prefix tools/$* --no-audit --no-fund --loglevel=error
	touch $@

run: setup
	$(VENV)/bin/lifeact serve --host $(HOST) --port $(PORT)

load: setup
	$(VENV)/bin/lifeact load

stats: setup
	$(VENV)/bin/lifeact stats

test: setup browser
	$(VENV)/bin/ruff check app tests notebooks
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check app tests notebooks

format: setup
	$(VENV)/bin/ruff format app tests

# The .po files are the source (app.i18n compiles them in memory); the .pot is a by-product.
messages: setup
	PYTHONPATH=. $(VENV)/bin/pybabel -q extract -F babel.cfg -k N_ --no-location --sort-output --project "LIFE ACT Knowledge Explorer" -o app/locale/messages.pot .
	$(VENV)/bin/pybabel -q update -i app/locale/messages.pot -d app/locale -D messages --no-fuzzy-matching --ignore-obsolete
	@$(PY) -m pytest -q tests/test_i18n_catalogues.py || echo "translate the empty msgstr entries above in app/locale/{da,en}/LC_MESSAGES/messages.po"

clean:
	rm -rf $(VENV) tools/*/node_modules data .pytest_cache .ruff_cache
