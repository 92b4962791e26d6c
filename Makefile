# mogok-econ: `make reports` builds every report, `make test` runs every test. Both set up what they
# need first: a virtual environment in .venv with the pinned packages of requirements.lock, this package
# installed in it (editable), and the libraries for PDF printing if WeasyPrint cannot load them.
# Under conda (`conda env create -f environment.yml && conda activate mogok-econ`), the active environment
# is used as it is, with no .venv, when it already has this package (its `mogok-econ` command) installed;
# MOGOK_ECON_VENV=1 makes the .venv anyway.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
ifneq ($(and $(CONDA_PREFIX),$(wildcard $(CONDA_PREFIX)/bin/mogok-econ)),)
ifneq ($(MOGOK_ECON_VENV),1)
CONDA_ENV := $(CONDA_PREFIX)
endif
endif
VENV_STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml setup.py 2>/dev/null | sha256sum | cut -c1-12)
ifdef CONDA_ENV
BIN := $(CONDA_ENV)/bin
STAMP := conda-env
else
BIN := $(VENV)/bin
STAMP := $(VENV_STAMP)
endif
JOBS ?= $(shell nproc)

.PHONY: all env conda-env system-deps browser-deps reports reports-force notebooks test test-fast lab validate benchmark wheel lock clean help
all: reports

help:
	@echo "make reports   build every report in reports/ (HTML + PDF), only what changed"
	@echo "make test      run every test: unit, property, notebooks (nbval), end to end"
	@echo "make lab       open JupyterLab on notebooks/ with the project's environment"
	@echo "make notebooks re-execute notebooks/ with default parameters (commit them after)"
	@echo "make validate  check every scenario file"
	@echo "make benchmark measure speed (benchmarks/)"
	@echo "make wheel     build the installable package (data and notebooks included) into dist/"
	@echo "Under conda (environment.yml, activated), the active environment is used instead of .venv."

# What WeasyPrint needs to print PDFs (pango, a font), checked by importing it in the environment: where
# conda (environment.yml) or Homebrew provides pango this passes and nothing calls apt. Only where the
# import fails and apt-get exists (Debian, Ubuntu) are the libraries installed; elsewhere, what to
# install is printed and the build stops. The reports print in DejaVu Sans only (regular, bold, oblique,
# mono), so that the same inputs give the same PDF on every machine: on Debian those fonts come too. The
# Burmese brief (brief-my) alone prints in Noto Sans Myanmar, which shapes Burmese script (stacked
# consonants, vowel signs) with WeasyPrint and matplotlib: Debian's fonts-noto-core has it.
system-deps:
	@if ! $(BIN)/python -c 'from weasyprint import HTML' >/dev/null 2>&1 \
	    || { command -v apt-get >/dev/null 2>&1 && ! fc-list 2>/dev/null | grep -qi "DejaVu Sans:style=Oblique"; } \
	    || { command -v apt-get >/dev/null 2>&1 && ! fc-list 2>/dev/null | grep -qi "Noto Sans Myanmar"; }; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian packages for PDF printing (pango, DejaVu fonts, Noto Sans Myanmar)..."; \
	    SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-dejavu-extra fonts-noto-core >/dev/null; \
	  else \
	    echo "WeasyPrint cannot load pango, which it needs to print the PDFs (and the Burmese brief needs the"; \
	    echo "Noto Sans Myanmar font). Install them, then run make again:"; \
	    echo "  macOS: brew install pango    conda (any system): conda install -c conda-forge pango"; \
	    echo "  Windows: use conda (environment.yml), or see https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"; \
	    exit 1; \
	  fi; \
	  $(BIN)/python -c 'from weasyprint import HTML' || { echo "WeasyPrint still cannot load pango."; exit 1; }; \
	fi

# Debian's Chromium, for the test that opens every report in a real browser (playwright drives it; no
# browser is downloaded from anywhere else).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser test (once)..."; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

$(VENV_STAMP): requirements.lock pyproject.toml setup.py
	@echo "Setting up $(VENV) with the pinned packages (about a minute, once)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@$(MAKE) --no-print-directory system-deps
	@rm -f $(VENV)/.installed-*
	@touch $@

env: $(STAMP)

# The active conda environment, used as it is (environment.yml gives it pango and the fonts; pip, the
# pinned packages and this package, editable): only checked.
conda-env:
	@echo "Using the active conda environment $(CONDA_ENV) (no .venv; MOGOK_ECON_VENV=1 makes one)."
	@$(BIN)/python -c 'import mogok_econ, weasyprint' || { echo "The conda environment lacks the package or WeasyPrint:"; \
	  echo "  conda env update -f environment.yml"; exit 1; }

reports: $(STAMP)
	$(BIN)/mogok-econ render --all --jobs $(JOBS)

reports-force: $(STAMP)
	$(BIN)/mogok-econ render --all --jobs $(JOBS) --force

# Re-execute the committed notebooks with their default parameters (nbval then checks they reproduce),
# saved without run timings so that a rebuild from the same inputs gives the same bytes.
notebooks: $(STAMP)
	$(BIN)/python -m mogok_econ.reports.notebook_files notebooks/*.ipynb

# The tests' processes and kernels keep NumPy's arrays in ordinary pages, as the build's kernels do
# (src/mogok_econ/reports/kernels.py, kernel_environment, says why): tests/analysis took 33 s so, 39-42 s
# with huge pages, on the 2-core machine CI uses.
test test-fast: export NUMPY_MADVISE_HUGEPAGE ?= 0
# And each test process runs the numerical libraries on one thread, as each build kernel does: pytest-xdist
# already keeps a process on every core, and OpenBLAS's own threads only fight them (the extortion recovery
# study, alone: 64 s wall for 114 s of CPU with OpenBLAS's 2 threads, 70 s for 63 s with one).
test test-fast: export OPENBLAS_NUM_THREADS ?= 1
test test-fast: export OMP_NUM_THREADS ?= 1
test test-fast: export MKL_NUM_THREADS ?= 1
# The property tests try the same inputs on every run of `make test` (what CI runs), new ones in test-fast
# (tests/conftest.py says why).
test: export MOGOK_ECON_HYPOTHESIS_PROFILE ?= derandomized

# Every test, and every committed notebook checked by nbval against a fresh run (what CI runs). The tests
# run in one process a core (pytest-xdist); a test module, and a notebook's cells, stay in one process
# (--dist loadscope), in order. TEST_WORKERS=0 runs them in this process alone.
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 600
TEST_WORKERS ?= $(JOBS)
PARALLEL = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder)
# The explorer (widgets) runs in this process: executed in a pytest-xdist worker, its kernel's replies were
# lost now and then and the run waited forever.
SERIAL_ONLY := tests/reports/test_explorer.py notebooks/explorer.ipynb
# Notebooks nbval does not run again: their outputs are checked against those of the committed report built
# from them (tests/reports/test_build.py, NBVAL_BY_REPORT), which is checked to be current; run again they
# took 3.5 minutes of the 2 cores (the readings' headlines at 100,000 draws, computed by nothing else), the
# policy notebook 68 s (every lever under every scenario, and the counterfactual history, at 100,000), the
# comparison 30 s and the timeline 20 s (every scenario, and the monthly history, at 100,000). nbval runs
# the scenario report's notebook and the explorer, which no other test runs with their default parameters.
NBVAL_BY_REPORT := notebooks/brief.ipynb notebooks/calibration_report.ipynb notebooks/comparison_report.ipynb \
                   notebooks/policy_report.ipynb notebooks/timeline_report.ipynb
test: $(STAMP) browser-deps
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest $(PARALLEL) $(NBVAL) $(addprefix --ignore=,$(SERIAL_ONLY) $(NBVAL_BY_REPORT)) tests notebooks
	$(BIN)/python -m pytest $(NBVAL) $(SERIAL_ONLY)

# The tier a developer runs all day (under a minute on 2 cores): core, inputs, analysis at small draws, the
# command line in-process, one scenario report through the whole pipeline (papermill, nbconvert, PDF), the
# fuzz tests on a fifth of their inputs. Not here: the notebooks (nbval), the committed reports' page
# checks, the browser, the fault drills, statistical coverage rates.
test-fast: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	MOGOK_ECON_EXAMPLES_SCALE=0.2 $(BIN)/python -m pytest $(PARALLEL) -m "not slow" tests

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

validate: $(STAMP)
	$(BIN)/mogok-econ validate

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

# The package as users install it (data and notebooks included), into dist/; offline.
wheel: $(STAMP)
	$(BIN)/python -m pip wheel . --no-deps --no-build-isolation --disable-pip-version-check -q -w dist
	@ls dist/mogok_econ-*.whl

lock:
	rm -rf /tmp/mogok-lock && $(PYTHON) -m venv /tmp/mogok-lock
	/tmp/mogok-lock/bin/pip install --quiet -e '.[test]'
	{ head -n 2 requirements.lock; /tmp/mogok-lock/bin/pip freeze --all --exclude-editable | grep -v '^pip=='; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) .cache .pytest_cache build dist
