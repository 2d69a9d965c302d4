# opsmart: `make demo` and `make test` set everything up themselves (a .venv from the
# pinned list, the demo data, the warehouse) on a fresh clone.
# The newest Python >= 3.11 on PATH (pyproject's requires-python) creates .venv;
# `make PYTHON=/path/to/python` chooses another. Only used when .venv is missing.
PYTHON_CANDIDATES := python3.13 python3.12 python3.11 python3
PYTHON_OK := import sys; sys.exit(sys.version_info < (3, 11))
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach candidate,$(PYTHON_CANDIDATES),$(shell \
    command -v $(candidate) >/dev/null 2>&1 \
    && $(candidate) -c '$(PYTHON_OK)' 2>/dev/null && echo $(candidate))))
endif
# Shell: fails with a clear message unless PYTHON is a Python 3.11 or newer.
CHECK_PYTHON_SH = { test -n "$(PYTHON)" || { echo "make: no Python 3.11 or newer on \
PATH (looked for $(PYTHON_CANDIDATES)); install one, or run make PYTHON=/path/to/python" >&2; \
false; }; } && { $(PYTHON) -c '$(PYTHON_OK)' || { echo "make: PYTHON=$(PYTHON) is not \
Python 3.11 or newer (pyproject.toml: requires-python >=3.11)" >&2; false; }; }
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The explorer's extra (make install-explore): Streamlit and Playwright.
EXPLORE_STAMP := $(VENV)/.explore-installed
BUILD ?= build
DEMO_DAYS ?= 90
DEMO_AGENTS ?= 50

.PHONY: help install install-spark install-explore browser java demo test test-spark lint bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock.txt pyproject.toml
	test -x $(BIN)/python || { $(CHECK_PYTHON_SH) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the pinned dependencies (once)

$(EXPLORE_STAMP): $(STAMP) requirements.explore.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.explore.txt
	touch $(EXPLORE_STAMP)

install-explore: $(EXPLORE_STAMP)  ## add Streamlit (opsmart explore) and Playwright (its browser test) to .venv (once)

browser:  ## headless Chromium for the report test (Debian package chromium, once)
	@command -v chromium >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    install="$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium"; \
	    $$install || { $$SUDO apt-get update && $$install; }; \
	}
	@chromium --version

demo: $(STAMP)  ## generate demo data, build the warehouse, print where it is
	$(BIN)/opsmart demo --out $(BUILD)/demo --days $(DEMO_DAYS) --agents $(DEMO_AGENTS)

test: $(STAMP) $(EXPLORE_STAMP) browser  ## every test: pytest (package, generator, pipeline) and dbt tests; coverage floor
	$(BIN)/python -m pytest --cov --cov-report=term

SPARK_STAMP := $(VENV)/.spark-installed

$(SPARK_STAMP): $(STAMP) requirements.spark.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.spark.txt
	touch $(SPARK_STAMP)

install-spark: $(SPARK_STAMP)  ## add PySpark and dbt-spark to .venv (once; Spark runs on Java 17)

java:  ## Java 17 for Spark (Debian package openjdk-17-jre-headless, once)
	@command -v java >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    install="$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless"; \
	    $$install || { $$SUDO apt-get update && $$install; }; \
	}
	@java -version 2>&1 | head -1

test-spark: $(SPARK_STAMP) java  ## build the demo on DuckDB and on Spark, compare every public table
	$(BIN)/python -m pytest tests/spark -o addopts="-ra --strict-markers" -p no:cacheprovider

# sqlfluff renders the dbt SQL with its jinja templater (.sqlfluff): no dbt, no warehouse.
lint: $(STAMP) $(EXPLORE_STAMP)  ## ruff, mypy (strict) and sqlfluff (the dbt SQL)
	$(BIN)/ruff check python tests/python tests/sqllint
	$(BIN)/mypy python/opsmart
	$(BIN)/sqlfluff lint models macros tests/dbt analyses --processes 2

BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): requirements.bench.txt
	test -x $(BENCH_VENV)/bin/python || { $(CHECK_PYTHON_SH) && $(PYTHON) -m venv $(BENCH_VENV); }
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.bench.txt
	touch $(BENCH_STAMP)

BENCH_AGENTS ?= 500
BENCH_MONTHS ?= 1,3,12
BENCH_SIZE_AGENTS ?= 2000

bench: $(STAMP) $(BENCH_STAMP)  ## benchmarks (not in make test): a year of 500 agents, a month of 2,000, floor, pandas, pyworkforce
	mkdir -p $(BUILD)/bench
	$(BIN)/python -m opsmart.bench scale --agents $(BENCH_AGENTS) --months $(BENCH_MONTHS) \
	    --size-agents $(BENCH_SIZE_AGENTS) \
	    --cache $(BUILD)/bench/cache --work $(BUILD)/bench/scale \
	    --pyworkforce-python $(BENCH_VENV)/bin/python --json $(BUILD)/bench/scale.json

clean:  ## remove build outputs (keeps .venv)
	rm -rf $(BUILD) target logs
