# The two commands a new user needs: `make run` (the hub with demo data) and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: run test lint format

$(BIN)/mash: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(BIN)/mash

run: $(BIN)/mash
	$(BIN)/mash demo

test: $(BIN)/mash
	PYTHON=$(BIN)/python scripts/test.sh

lint: $(BIN)/mash
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/mash
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
