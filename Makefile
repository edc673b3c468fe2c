# Each target creates .venv and installs what it needs from pyproject.toml.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
JOBS    ?= 2

.PHONY: demo test bench lint format clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/loglik demo --out demo-output

lint: $(STAMP)
	$(BIN)/ruff check loglik tests examples benchmarks
	$(BIN)/ruff format --check loglik tests examples benchmarks

format: $(STAMP)
	$(BIN)/ruff format loglik tests examples benchmarks
	$(BIN)/ruff check --fix loglik tests examples benchmarks

test: lint
	MPLBACKEND=Agg $(BIN)/python -m pytest -q -n $(JOBS)

bench: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest -q -n $(JOBS) -m slow
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) demo-output .pytest_cache .ruff_cache build *.egg-info
