"""cvxpy, imported without importing scipy.stats (a third of every pipeline job's start-up).

cvxpy's package import runs ``from scipy.stats import entropy`` (atoms/quantum_rel_entr.py) only so that the
quantum relative entropy atom can evaluate ``entropy`` numerically; importing scipy.stats costs ~0.3 s of CPU, about
a third of cvxpy's import and ~30 % of a short pipeline job's start-up (docs/performance.md, "Job start-up"). While
cvxpy is imported, ``sys.modules["scipy.stats"]`` holds a stand-in whose ``entropy`` imports the real function on
first call; the stand-in is removed right after, so any later ``import scipy.stats`` gets the real module. No
problem of this package uses that atom, and the stand-in delegates to scipy anyway, so no result can change
(tests/test_cvxpy_import.py).

Every module of this package imports cvxpy as ``from .._cvxpy import cvx``.
"""

from __future__ import annotations

import sys
import types


def _entropy(*args, **kwargs):
    """scipy.stats.entropy, imported on first call."""
    from scipy.stats import entropy

    return entropy(*args, **kwargs)


def _import_cvxpy():
    if "cvxpy" in sys.modules or "scipy.stats" in sys.modules:
        import cvxpy

        return cvxpy
    stand_in = types.ModuleType("scipy.stats", "stand-in while cvxpy is imported (secure_isac._cvxpy)")
    stand_in.entropy = _entropy
    sys.modules["scipy.stats"] = stand_in
    try:
        import cvxpy
    finally:
        if sys.modules.get("scipy.stats") is stand_in:
            del sys.modules["scipy.stats"]
    return cvxpy


cvx = _import_cvxpy()
