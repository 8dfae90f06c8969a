"""Start-up speed-ups of the workflow's jobs, all of them here, behind one switch.

Every pipeline job is a fresh Python process that imports the library, does a little work and exits, so start-up
and shutdown are a visible share of a run (docs/performance.md, "Job start-up"). Three things make them cheaper:

1. cvxpy is imported on first use (`cvx`, the name every module imports it by): a job that solves nothing (a plot,
   an aggregate, a baseline design, a study-2 design taken from its reference) never imports it (~0.5 s);
2. while cvxpy is imported, ``sys.modules["scipy.stats"]`` holds a stand-in (`import_without_scipy_stats`):
   cvxpy's package import runs ``from scipy.stats import entropy`` (atoms/quantum_rel_entr.py) only so that the
   quantum relative entropy atom can evaluate it numerically, and importing scipy.stats costs ~0.3 s of CPU. The
   stand-in's ``entropy`` imports the real function on first call, any other name asked of it imports the real
   module, and it is removed right after, so a later ``import scipy.stats`` gets the real module; a cvxpy that
   needs a submodule of scipy.stats while importing is imported again the plain way (tests/test_cvxpy_import.py);
3. `fast_exit` ends a finished job with os._exit(0) (provenance.end_job, the last line of every workflow script):
   the interpreter's teardown (clearing numpy, pandas, xarray, cvxpy) costs ~0.2 s per job and does nothing a
   finished job needs once its streams and logs are flushed.

None of them changes a result. The switch: the environment variable SECURE_ISAC_FAST_START=0 (or false/no/off),
set before snakemake starts (its jobs inherit it), turns all three off: cvxpy and scipy.stats are imported the plain
way when this module is imported and a job's interpreter shuts down normally. tests/test_startup.py runs toy jobs
with the switch on and off and compares their outputs byte for byte.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import types

SWITCH = "SECURE_ISAC_FAST_START"


def enabled() -> bool:
    """True unless the environment turns the speed-ups off (SWITCH = 0, false, no or off)."""
    return os.environ.get(SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


def _entropy(*args, **kwargs):
    """scipy.stats.entropy, imported on first call."""
    from scipy.stats import entropy

    return entropy(*args, **kwargs)


def import_without_scipy_stats(name: str):
    """Import the package `name` with a stand-in scipy.stats that offers a lazy `entropy` and hands every other
    public name over to the real scipy.stats (imported then; e.g. an optional solver probed by cvxpy that imports
    another function, or another thread); if the import fails for want of more (a submodule of scipy.stats), forget
    the partial import and import `name` the plain way."""
    if name in sys.modules or "scipy.stats" in sys.modules:
        return importlib.import_module(name)
    stand_in = types.ModuleType("scipy.stats", "stand-in while cvxpy is imported (secure_isac.startup)")
    stand_in.entropy = _entropy

    def real_attribute(attr: str):
        if attr.startswith("__"):  # __path__ etc.: the import system asks for them on every from-import
            raise AttributeError(attr)
        if sys.modules.get("scipy.stats") is stand_in:
            del sys.modules["scipy.stats"]
        return getattr(importlib.import_module("scipy.stats"), attr)

    stand_in.__getattr__ = real_attribute  # module __getattr__ (PEP 562)
    sys.modules["scipy.stats"] = stand_in
    try:
        return importlib.import_module(name)
    except (ImportError, AttributeError):
        for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[mod]
    finally:
        if sys.modules.get("scipy.stats") is stand_in:
            del sys.modules["scipy.stats"]
    return importlib.import_module(name)


class _Cvxpy(types.ModuleType):
    """cvxpy, imported on first attribute access: a job that solves nothing (a plot, an aggregate, a baseline
    design, a study-2 design taken from its reference) never pays for the import (docs/performance.md)."""

    def __getattr__(self, name: str):
        module = import_without_scipy_stats("cvxpy")
        # later lookups find every name in the instance dict and no longer reach this hook
        self.__dict__.update({k: v for k, v in vars(module).items() if not k.startswith("__")})
        return getattr(module, name)


# the name every module of the package imports cvxpy by (`from ..startup import cvx`)
cvx = _Cvxpy("cvxpy", "cvxpy, imported on first attribute access (secure_isac.startup)") if enabled() else \
    importlib.import_module("cvxpy")


def fast_exit() -> None:
    """End the process at once with exit status 0 (speed-up 3), after flushing logging and the standard streams;
    with the switch off, only flush and return (the interpreter then shuts down the normal way)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    if enabled():
        os._exit(0)
