# opsmart: `make demo` and `make test` set everything up themselves (a .venv from the
# pinned list, the demo data, the warehouse) on a fresh clone.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD ?= build
DEMO_DAYS ?= 90
DEMO_AGENTS ?= 50

.PHONY: help install demo test test-python test-dbt lint bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the pinned dependencies (once)

demo: $(STAMP)  ## generate demo data, build the warehouse, print where it is
	$(BIN)/opsmart demo --out $(BUILD)/demo --days $(DEMO_DAYS) --agents $(DEMO_AGENTS)

test: $(STAMP)  ## every test: pytest (package, generator, pipeline) and dbt tests
	$(BIN)/python -m pytest

lint: $(STAMP)  ## ruff and mypy
	$(BIN)/ruff check python tests/python
	$(BIN)/mypy python/opsmart

bench: $(STAMP)  ## benchmarks (speed and memory; not part of make test)
	$(BIN)/python -m opsmart.bench queueing

clean:  ## remove build outputs (keeps .venv)
	rm -rf $(BUILD) target logs
