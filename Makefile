# ltpgap: the two commands a newcomer runs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXTRAS := dev,reports,store,server,fast
OUT    := out

.PHONY: demo test bench lint typecheck templates install clean help

help: ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install ltpgap with every extra

demo: $(STAMP) ## run the whole BLMK example, writing into out/
	$(BIN)/python -m ltpgap.demo --out $(OUT)

test: $(STAMP) ## run the whole test suite
	$(BIN)/python -m pytest -n auto -q

bench: $(STAMP) ## run the benchmarks and print medians
	$(BIN)/python -m benchmarks

lint: $(STAMP) ## ruff (lint + format check) and mypy
	$(BIN)/ruff check ltpgap tests benchmarks
	$(BIN)/ruff format --check ltpgap tests benchmarks
	$(BIN)/mypy

typecheck: $(STAMP)
	$(BIN)/mypy

templates: $(STAMP) ## regenerate workbook_templates/ from the shipped catalogue
	$(BIN)/ltpgap template --out workbook_templates/place_gap_analysis.xlsx

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
