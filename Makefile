# The two commands a new user needs: `make demo` and `make test` (README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test unit integration lint typecheck chaos bench demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/uv pip install -q -p $(BIN)/python -e '.[test,demo]'
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check .

# mypy on the four packages, strict on zoho_crm_client ([tool.mypy] in pyproject.toml)
typecheck: install
	$(BIN)/mypy

test: install lint typecheck
	$(BIN)/pytest -q -n 2 --dist loadfile -m "not live and not chaos"

unit: install
	$(BIN)/pytest -q unit_tests

integration: install
	$(BIN)/pytest -q -n 2 --dist loadfile integration_tests -m "not live and not chaos"

chaos: install
	$(BIN)/pytest -q integration_tests -m chaos

bench: install
	$(BIN)/python -m benchmarks.run

demo: install
	$(BIN)/python -m demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache
