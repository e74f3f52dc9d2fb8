# One gate for every change: formatting, lint, types, import contracts, tests.
# `make check` creates the virtual environment on first use.

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: check test lint format demo snapshots screenshots bench clean

check: lint test

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --editable '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(PY) -m ruff format --check b24tui tests bench
	$(PY) -m ruff check b24tui tests bench
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

# Two workers (pytest-xdist): the CI machine has two cores. Each worker has its own
# emulator server and Secret Service; a single test still runs as `pytest tests/x.py::test_y`.
test: $(STAMP)
	$(PY) -m pytest -q -n 2

format: $(STAMP)
	$(PY) -m ruff format b24tui tests bench
	$(PY) -m ruff check --fix b24tui tests bench

snapshots: $(STAMP)
	$(PY) -m pytest -q tests/ui --snapshot-update

screenshots: $(STAMP)
	$(PY) -m b24tui.screenshots screenshots

demo: $(STAMP)
	$(VENV)/bin/b24tui --demo

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
