# The two commands a newcomer needs: `make figures` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
CORES ?= 8

.PHONY: figures test install clean-results readme-figures

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# The locked environment (Linux x86_64, Python 3.11; `make lock` refreshes it): exact versions, every file checked
# against its SHA-256 hash, then the project itself without dependencies. Elsewhere (macOS, another Python):
# `make install LOCK=` installs from pyproject.toml's ranges instead.
LOCK ?= requirements-lock.txt

$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/activate
	$(BIN)/python -m pip install -q --upgrade pip
ifeq ($(strip $(LOCK)),)
	$(BIN)/python -m pip install -q -e '.[dev,slurm]'
else
	$(BIN)/python -m pip install -q --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps -e .
endif
	touch $@

install: $(VENV)/.installed

# Refresh requirements-lock.txt and its conda twin environment.lock.yml (scripts/lock.py) with uv, installed from
# PyPI into $(VENV)/tools (`make lock LOCK_ARGS=--no-upgrade` keeps the current pins where pyproject.toml allows);
# then `make install` installs the new lock.
UV_VERSION ?= 0.13.10
LOCK_ARGS ?=
.PHONY: lock
lock:
	test -x $(VENV)/tools/bin/uv || ( $(PYTHON) -m venv $(VENV)/tools && \
		$(VENV)/tools/bin/python -m pip install -q uv==$(UV_VERSION) )
	$(VENV)/tools/bin/python scripts/lock.py --uv $(VENV)/tools/bin/uv $(LOCK_ARGS)

figures: $(VENV)/.installed
	PATH="$(abspath $(BIN)):$$PATH" snakemake --cores $(CORES) figures

# The tests: `make test` installs the locked environment, then runs `make check` in it; `make check` runs them with
# the `python` on PATH (an activated conda environment), the same way. One BLAS thread: P-SCP amplifies round-off,
# and the tests compare in-process designs with pipeline jobs (which snakemake runs with OPENBLAS_NUM_THREADS =
# threads = 1); deviation S2-D17. TEST_WORKERS pytest-xdist workers (auto: one per core; 0: no xdist), each test
# file on one worker (its module fixtures built once), the files with slow tests first (tests/conftest.py; not
# xdist's default order, most tests first, which left the long snakemake files for the end); the session's toy run
# is built once across the workers (tests/workflow/conftest.py).
# One file in one process: `make check TEST_WORKERS=0 PYTEST_ARGS=tests/test_seeds.py`.
TEST_WORKERS ?= auto
TEST_DIST ?= loadfile
PYTEST_ARGS ?=
.PHONY: check
test: $(VENV)/.installed
	PATH="$(abspath $(BIN)):$$PATH" $(MAKE) --no-print-directory check

check:
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python -m pytest -q -n $(TEST_WORKERS) \
		--dist $(TEST_DIST) --no-loadscope-reorder $(PYTEST_ARGS)

# After `make figures` (and `snakemake --cores 8 sweeps` / `scenarios`): copy the PNGs to docs/figures/ (the
# README's images); refuses unless the run is the up-to-date default run of each target. The figures beyond the
# papers: TARGETS=eve_uncertainty, pilot_contamination or coherent_design, each after `snakemake extensions` under the
# configuration that ships it (scripts/refresh_readme_figures.py EXTENSIONS; a checkout each), to docs/extensions/.
TARGETS ?= figures
readme-figures: $(VENV)/.installed
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python scripts/refresh_readme_figures.py $(TARGETS)

clean-results:
	rm -rf results logs benchmarks .snakemake

# End-to-end test of profiles/slurm on a private single-node SLURM cluster (root only; see profiles/slurm/README.md).
# Bounded: the script times out its own steps and is stopped (its trap cleans up) after 60 min at most (two runs).
.PHONY: test-cluster
test-cluster: $(VENV)/.installed
	PATH="$(abspath $(BIN)):$$PATH" PYTHON="$(abspath $(BIN))/python" \
		timeout --signal=TERM --kill-after=120 3600 .ci/cluster/test-cluster.sh

# The results package of a run, ready to deposit (e.g. on Zenodo): its datasets, figures and claims with SHA-256
# checksums and metadata.json (package versions, commit, configuration, citation) in
# dist/secure-isac-results-<commit>.tar.gz (secure_isac.pipeline.dist). After `make figures`; refuses, naming what
# is missing, unless the run is complete and up to date. Another run: DIST_ARGS="--configfile config/test.yaml".
DIST_ARGS ?=
.PHONY: dist
dist: $(VENV)/.installed
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python scripts/dist.py $(DIST_ARGS)
