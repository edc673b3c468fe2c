# Each target creates .venv and installs what it needs from pyproject.toml (the newest releases
# its ranges allow); test-oldest does the same in .venv-oldest with the oldest ones.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
BSTAMP  := $(VENV)/.bench-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
JOBS    ?= 2
OLDEST        := .venv-oldest
OLDEST_BIN    := $(OLDEST)/bin
CONSTRAINTS   := constraints-oldest.txt
OLDEST_STAMP  := $(OLDEST)/.installed-$(shell cat pyproject.toml $(CONSTRAINTS) | cksum | cut -d' ' -f1)
# Extra options for every benchmark, e.g. BENCH_FLAGS=--write-baseline (store the ratios as the
# baseline a refactor is measured against) or BENCH_FLAGS=--quick (a smoke run)
BENCH_FLAGS ?=
ONE_THREAD := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 MPLBACKEND=Agg

.PHONY: demo test test-oldest bench lint format clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The lower bounds pyproject.toml declares, pinned in constraints-oldest.txt.
$(OLDEST_STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(OLDEST_BIN)/python || $(PY) -m venv $(OLDEST)
	$(OLDEST_BIN)/python -m pip install --quiet --upgrade pip
	$(OLDEST_BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	rm -f $(OLDEST)/.installed-*
	touch $(OLDEST_STAMP)

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

# The suite on the oldest versions (no lint: ruff's rules and style are its version's own; make
# lint checks them with the newest).
test-oldest: $(OLDEST_STAMP)
	MPLBACKEND=Agg $(OLDEST_BIN)/python -m pytest -q -n $(JOBS)

$(BSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	rm -f $(VENV)/.bench-*
	touch $(BSTAMP)

# Runs everything, continuing past a failure so that every row is printed and recorded, writes
# benchmarks/results.md, then exits non-zero if anything failed (a missed target, an objective
# worse than the anchor's, a ratio >10% below benchmarks/baseline.json, a failing simulation).
bench: $(BSTAMP)
	rm -rf benchmarks/out
	status=0; slow=passed; \
	MPLBACKEND=Agg $(BIN)/python -m pytest -q -n $(JOBS) -m slow || { status=1; slow=FAILED; }; \
	for f in benchmarks/bench_*.py; do \
		echo "== $$f"; $(ONE_THREAD) $(BIN)/python $$f $(BENCH_FLAGS) || status=1; \
	done; \
	$(BIN)/python benchmarks/report.py --slow-tests $$slow || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) $(OLDEST) demo-output .pytest_cache .ruff_cache build *.egg-info
