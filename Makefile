# nnspec — the two commands a reader needs:
#   make docs   set up .venv, run the specs, build the site and serve it at http://127.0.0.1:8000
#   make test   set up .venv, run every spec with coverage, then build the site with --strict
# Both are idempotent: .venv is reinstalled only when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
STAMP  := $(VENV)/.nnspec-installed
ADDR   ?= 127.0.0.1:8000

.PHONY: docs test lint specs site serve bench mutation clean help
.DEFAULT_GOAL := help

help:
	@echo "make docs   run the specs, build the site, serve it at http://$(ADDR)"
	@echo "make test   run every spec with coverage, then mkdocs build --strict"
	@echo "make lint   ruff check, ruff format --check, mypy on nnspec/ (the first step of make test)"
	@echo "make bench  print the training-step benchmark"
	@echo "make mutation [MODULE=nnspec.layers]  how many broken copies of nnspec the specs catch"
	@echo "make clean  remove .venv, site/ and reports/"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "nnspec needs Python >= 3.10, found " + sys.version.split()[0])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,docs]'
	touch $(STAMP)

# Lint, format and types first (seconds), so a style or type slip fails before the long specs.
lint: $(STAMP)
	$(VENV)/bin/ruff check nnspec tests docs/hooks scripts
	$(VENV)/bin/ruff format --check nnspec tests docs/hooks scripts
	$(VENV)/bin/mypy

# The whole suite, coverage enforced (>= 95 % of nnspec/, lines and branches), then a strict build
# of the site with the fresh report, then the browser spec against that very site.
test: lint
	$(PY) -m pytest -n auto --dist loadfile --cov --cov-report=term -m "not browser"
	$(PY) -m mkdocs build --strict
	NNSPEC_SITE_DIR=site $(PY) -m pytest -p no:cacheprovider -m browser tests/browser

# Specs first so the pages show fresh results; a failing spec is shown on its page, not hidden.
docs: $(STAMP)
	-$(PY) -m pytest -q -n auto -m "not browser" -p no:cacheprovider
	$(PY) -m mkdocs serve --strict -a $(ADDR)

bench: $(STAMP)
	$(PY) -m nnspec.bench

# Mutation testing: mutmut breaks nnspec one change at a time in a copy under mutants/ and runs the
# specs (all but the browser check) against each broken copy; scripts/mutation_report.py then
# writes reports/mutation.json, which the page "How strong are the specs" shows. Every mutant of
# MODULE (default: all of nnspec) is run again, so the report reflects today's specs. The specs
# run from mutants/: the shared data and notes are passed by absolute path, and the scan for
# unseeded randomness reads the real nnspec/ (NNSPEC_SCAN_SOURCE), not the mutated copy. One BLAS
# thread per worker: mutmut runs one spec process per core. mutmut learns once which specs reach
# which function (mutants/mutmut-stats.json) and then only for specs with new names: after
# rewriting a spec under its old name, `rm -rf mutants` for a clean measurement.
MODULE ?= nnspec
mutation: export NNSPEC_SHARED_DATA ?= $(abspath ../shared/data)
mutation: export NNSPEC_NOTES ?= $(abspath ../shared/notes)
mutation: $(STAMP)
	@$(PY) -c 'import mutmut' 2>/dev/null || $(PY) -m pip install --quiet -e '.[mutation]'
	@start=$$(date +%s); \
	PATH=$(abspath $(VENV)/bin):$$PATH NNSPEC_SCAN_SOURCE=$(abspath nnspec) HYPOTHESIS_PROFILE=mutation \
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
		nice -n 10 $(PY) scripts/mutmut_run.py run '$(MODULE).*' || exit $$?; \
	$(PY) scripts/mutation_report.py $(if $(filter nnspec,$(MODULE)),,--only $(MODULE)) --seconds $$(( $$(date +%s) - start ))

clean:
	rm -rf $(VENV) site reports .coverage .pytest_cache .hypothesis mutants
