# One task runner. Every target creates .venv and installs what is missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo scan-example test test-fast lint typecheck bench docs serve clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: a demo node with invented posts on http://127.0.0.1:8000/ (prints the demo password)
demo: $(STAMP)
	$(BIN)/suar demo --host 127.0.0.1 --port 8000

## scan-example: scan the bundled example posts and show them as a table
scan-example: $(STAMP)
	$(BIN)/suar scan examples/posts.jsonl --format table --explain

## test: the whole test suite, slow suites included
test: $(STAMP)
	$(BIN)/pytest -n 2 -q
	$(BIN)/pytest -n 2 -q -m slow || [ $$? -eq 5 ]

## test-fast: the default suite without the slow marks
test-fast: $(STAMP)
	$(BIN)/pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

## bench: throughput, memory and per-stage time of suar scan against a TF-IDF + LR pipeline
bench: $(STAMP)
	$(BIN)/python benchmarks/scan_bench.py

## serve: start a node on 127.0.0.1:8000 (creates or upgrades the database first)
serve: $(STAMP)
	$(BIN)/suar db upgrade
	$(BIN)/suar serve

## docs: regenerate docs/cli.md from --help
docs: $(STAMP)
	$(BIN)/python -m suar.cli.reference > docs/cli.md
	$(BIN)/python -m suar.web.catalog

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist src/*.egg-info
