# whyno: `make demo` and `make test` set everything up in .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres,server]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/whyno demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: lint
	bash scripts/test.sh

clean:
	rm -rf $(VENV) whyno-demo .pytest_cache .mypy_cache .ruff_cache
