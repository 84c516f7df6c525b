# Two entry points for a fresh machine: `make serve` (validate, build and serve the site on 127.0.0.1)
# and `make test` (install everything the tests need, then run them all). Both create .venv themselves.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve build validate test lint system-deps clean

$(BIN)/kb: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

validate: $(BIN)/kb
	$(BIN)/kb validate

build: validate
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

serve: validate
	NO_MKDOCS_2_WARNING=1 $(BIN)/kb serve --dev-addr $(HOST):$(PORT)

system-deps:
	scripts/install-system-deps

lint: $(BIN)/kb
	$(BIN)/ruff check kb tests

test: system-deps $(BIN)/kb lint
	$(BIN)/kb schema --check
	$(BIN)/pytest

clean:
	rm -rf site .pytest_cache .ruff_cache .hypothesis
