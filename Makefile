# One entry point for every routine task. `make demo` and `make test` work on a fresh machine
# with only python3 (3.11+) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check format bench docs screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## demo: set up everything and serve the portal on http://127.0.0.1:8000 with synthetic data
demo: $(STAMP)
	$(BIN)/ncmd demo

## test: run every test (browser tests skip, saying how to enable them, where
## Chromium is not installed; set DATABASE_URL to run them on PostgreSQL)
test: $(STAMP)
	$(BIN)/pytest

## check: lint, formatting, migrations and generated documentation are all current
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/ncmd makemigrations --check --dry-run
	$(BIN)/ncmd dictionary docs --check
	$(BIN)/ncmd access docs --check
	$(BIN)/ncmd learning docs --check
	$(BIN)/ncmd outreach docs --check
	$(BIN)/ncmd release docs --check

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## screenshots: retake the user documentation's screenshots (docs/images/) with the browser tests
screenshots: $(STAMP)
	NCMD_DOCS_SCREENSHOTS=1 $(BIN)/pytest -m functional

## docs: regenerate the generated documentation (the dictionary and the lifecycle diagrams)
docs: $(STAMP)
	$(BIN)/ncmd dictionary docs
	$(BIN)/ncmd access docs
	$(BIN)/ncmd learning docs
	$(BIN)/ncmd outreach docs
	$(BIN)/ncmd release docs

## bench: run the benchmarks and print their results (see benchmarks/README.md)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_stats.py
	$(BIN)/python benchmarks/bench_synthetic.py
	$(BIN)/python benchmarks/bench_quality.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_publishing.py

clean:
	rm -rf $(VENV) var/*.sqlite3* var/synth* var/synthetic-data.json
