# albru — `make` (or `make help`) lists the targets.
#
# Every target that runs code first sets up .venv from requirements/lock.txt (once; a stamp file
# records it and set-up runs again only when the lock or pyproject.toml changes). It works with
# an existing .venv as well as in a fresh clone, where it creates one with $(PYTHON) (>= 3.11).

.DEFAULT_GOAL := help
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.albru-installed
LOCK := requirements/lock.txt
NOTEBOOKS = $(sort $(wildcard notebooks/*.ipynb))
BUILD := build
# The site build: a repository tool (tools/sitebuild), not part of the installed library.
SITE = $(BIN)/python tools/build_site.py
# Extra arguments for `make lock`, e.g. LOCK_ARGS=--upgrade to move every pin to the newest release.
LOCK_ARGS ?=
# Extra arguments for `make lab`, e.g. LAB_ARGS="--no-browser --port 8899".
LAB_ARGS ?=
# Worker processes of `make test` (pytest-xdist): one per core by default; TEST_JOBS=0 runs the
# suite in this process alone. Each notebook runs whole on one worker (conftest.py).
TEST_JOBS ?= auto

# Same results on every run and machine: fixed hash seed (set and dict-of-set orders), UTC, and
# the .venv's own Jupyter kernel ahead of any kernel in the user's home.
export PYTHONHASHSEED := 0
export TZ := UTC
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter
export JUPYTER_PLATFORM_DIRS := 1
# Python keeps the compiled modules of albru, tests and tools (and pytest its rewritten test
# modules) in __pycache__ folders, ignored by git and deleted by `make clean`, even where
# PYTHONDONTWRITEBYTECODE is set: otherwise every test process, kernel and subprocess compiles
# them again (about 2 s of CPU each for the test processes).
unexport PYTHONDONTWRITEBYTECODE

# The lock is installed with uv (pinned in the lock itself; pip installs it first): it downloads in
# parallel, so a set-up from scratch takes seconds rather than minutes.
# --compile-bytecode: the first import of Sphinx, Jupyter and pandas then needs no compiling, even
# where PYTHONDONTWRITEBYTECODE is set.
UV := $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python
SETUP_LOG := $(BUILD)/setup.log
# Notebooks are executed without recording cell timestamps, and the timestamps of earlier runs are
# dropped (other cell metadata, such as tags and the figures' captions and alt text under "mystnb",
# is kept), so re-executing unchanged notebooks leaves the files unchanged.
NBCONVERT := $(BIN)/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
	--ExecutePreprocessor.record_timing=False \
	--ClearMetadataPreprocessor.enabled=True --ClearMetadataPreprocessor.clear_notebook_metadata=False \
	--ClearMetadataPreprocessor.preserve_cell_metadata_mask='["tags", "jupyter", "collapsed", \
	"scrolled", "editable", "deletable", "slideshow", "name", "mystnb"]'

.PHONY: help report html check bench test notebooks lab lint lock clean

help: ## list the targets
	@echo "albru: make TARGET"
	@grep -hE '^[a-z][a-z_-]*:.*## ' $(MAKEFILE_LIST) \
		| awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): $(LOCK) pyproject.toml
	@mkdir -p $(BUILD)
	@if [ ! -x $(BIN)/python ]; then \
		$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
			|| { echo "albru needs Python >= 3.11; try: make PYTHON=python3.11 ..." >&2; exit 1; }; \
		echo "set-up: creating $(VENV) with $$($(PYTHON) --version)"; \
		$(PYTHON) -m venv $(VENV); \
	fi
	@echo "set-up: installing $(LOCK) into $(VENV) (details in $(SETUP_LOG))"
	@pin=$$(grep -m1 '^uv==' $(LOCK)) || { echo "$(LOCK) pins no uv; see make lock" >&2; exit 1; }; \
		{ $(BIN)/python -m pip install --disable-pip-version-check "$$pin" \
		&& $(UV) -r $(LOCK) && $(UV) --no-deps --no-build-isolation -e . ; } >$(SETUP_LOG) 2>&1 \
		|| { tail -n 20 $(SETUP_LOG) >&2; echo "set-up failed; the full log is $(SETUP_LOG)" >&2; exit 1; }
	@echo "set-up: done ($$(grep -c '==' $(LOCK)) pinned packages)"
	@touch $@

report: $(STAMP) ## set up .venv, run the notebooks (cached when unchanged), build site/ and docs/figures/
	$(SITE) --out site

html: $(STAMP) ## build site/ from the committed notebooks as they are, without running them
	$(SITE) --no-execute --out site --figures ""

check: $(STAMP) ## re-run every notebook under nbval; fail if a committed output would change
	$(SITE) --check

bench: $(STAMP) ## time start-up, notebooks and 10k-1M-row scaling; print a table, write benchmarks/results.json
	$(BIN)/python benchmarks/run.py

test: $(STAMP) ## set up .venv, run every test: tests/, doctests, strict nbval over notebooks/
	$(BIN)/python -m pytest -n $(TEST_JOBS)

notebooks: $(STAMP) ## re-execute the committed notebooks in place, in order, with JupyterLab's metadata
	@if [ -z "$(NOTEBOOKS)" ]; then echo "no notebooks/*.ipynb to execute" >&2; exit 1; fi
	@for nb in $(NOTEBOOKS); do $(NBCONVERT) --inplace "$$nb"; done
	$(BIN)/python -c 'import sys; sys.path.insert(0, "tools"); import sitebuild.notebooks as s; \
		[s.normalize_notebook(p) for p in sys.argv[1:]]' $(NOTEBOOKS)

# Rooted at the checkout (so the notebooks' links to ../docs/glossary.md and ../data/ open) and
# opened on notebooks/ (the file browser's starting folder).
lab: $(STAMP) ## start JupyterLab at the checkout, opened on notebooks/ (options in LAB_ARGS, e.g. --no-browser)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" \
		--FileContentsManager.preferred_dir=notebooks $(LAB_ARGS)

lint: $(STAMP) ## ruff check albru, tests, benchmarks, tools and the Sphinx extension
	$(BIN)/ruff check albru tests benchmarks tools docs/_ext

lock: $(STAMP) ## regenerate requirements/lock.txt from pyproject.toml (pip-compile, Python 3.11)
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
		|| { echo "make lock resolves for Python 3.11: recreate $(VENV) with python3.11" >&2; exit 1; }
	$(BIN)/pip-compile --quiet --allow-unsafe --extra notebooks --extra dev --strip-extras \
		--no-emit-index-url --no-emit-find-links -c requirements/constraints.txt $(LOCK_ARGS) \
		-o $(LOCK) pyproject.toml

clean: ## delete build output (build/, dist/, what a build wrote in site/) and caches; keeps .venv
	$(PYTHON) tools/build_site.py --remove --out site
	rm -rf $(BUILD) dist .pytest_cache .ruff_cache .hypothesis
	find albru tests tools docs/_ext benchmarks data/scripts -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf __pycache__
