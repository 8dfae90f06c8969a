"""cvxpy, imported without importing scipy.stats (about a fifth of a design job's start-up: 1.41 -> 1.14 s CPU).

cvxpy's package import runs ``from scipy.stats import entropy`` (atoms/quantum_rel_entr.py) only so that the
quantum relative entropy atom can evaluate ``entropy`` numerically; importing scipy.stats costs ~0.3 s of CPU, about
a third of cvxpy's import and ~20 % of a short pipeline job (docs/performance.md, "Job start-up"). While cvxpy is
imported, ``sys.modules["scipy.stats"]`` holds a stand-in whose ``entropy`` imports the real function on first call
and which imports the real module for any other name asked of it; the stand-in is removed right after, so any later
``import scipy.stats`` gets the real module. No problem of this package uses that atom, and the stand-in delegates
to scipy anyway, so no result can change. A cvxpy version that needs a submodule of scipy.stats while importing is
imported again the plain way (tests/test_cvxpy_import.py).

Every module of this package imports cvxpy as ``from .._cvxpy import cvx``.
"""

from __future__ import annotations

import importlib
import sys
import types


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
    stand_in = types.ModuleType("scipy.stats", "stand-in while cvxpy is imported (secure_isac._cvxpy)")
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


cvx = _Cvxpy("cvxpy", "cvxpy, imported on first attribute access (secure_isac._cvxpy)")
