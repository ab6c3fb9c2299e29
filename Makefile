# Two commands on a fresh machine: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck install bench superset-check superset-serve superset-demo \
	vendor-report clean

$(BIN)/golkepar: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/golkepar

demo: install
	$(BIN)/golkepar demo

test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: install
	$(BIN)/python bench/run.py

# A 30-day, 10M-hit lake: full build, one more day, incremental build, full build, compared
# (bench/README.md). Takes several minutes; `ARGS='--hits-per-day 1666667'` for 50M hits.
.PHONY: bench-scale
bench-scale: install
	$(BIN)/python bench/scale.py $(ARGS)

# Imports `golkepar superset-bundle` into a real Apache Superset and runs every chart's query.
# Superset goes into its own .venv-superset (about 870 MB, a few minutes the first time).
superset-check: install
	GOLKEPAR=$(BIN)/golkepar PYTHON=$(PYTHON) bash scripts/superset_check.sh

# Fetches the report's chart library and world map again (pinned, integrity-checked) into
# src/golkepar/report/vendor/; needs npm. The files are committed: the report needs no network.
vendor-report: install
	$(BIN)/python scripts/vendor_report_assets.py

# Superset with the dashboard on DUCKDB_FILE, on http://127.0.0.1:8088 (docs/superset.md).
superset-serve: install
	GOLKEPAR=$(BIN)/golkepar PYTHON=$(PYTHON) bash scripts/superset_serve.sh

# The same on the demo's warehouse: from nothing to a dashboard in one command.
superset-demo: install
	$(BIN)/golkepar demo --dir demo
	DUCKDB_FILE=$(CURDIR)/demo/golkepar.duckdb SUPERSET_BUNDLE_ARGS=--until-latest \
		GOLKEPAR=$(BIN)/golkepar PYTHON=$(PYTHON) bash scripts/superset_serve.sh

clean:
	rm -rf $(VENV) .venv-superset .superset .pytest_cache .mypy_cache .ruff_cache
