"""Solver settings and compiled-problem caching of every study-1 convex problem (SCA subproblems of both
surrogates, phase-1 LP): one place for accuracies, accepted statuses and the per-shape problem cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .._cvxpy import cvx

OK_STATUSES = ("optimal", "optimal_inaccurate")  # cvxpy.OPTIMAL, cvxpy.OPTIMAL_INACCURATE
# measured defaults (docs/performance.md): CLARABEL's gap/feasibility tolerances, SCS's eps
DEFAULT_EPS = {"CLARABEL": 1e-8, "SCS": 1e-6}

T = TypeVar("T")
_COMPILED: dict[tuple, object] = {}


def solver_opts(solver: str, eps: float | None, *, scs_eps: float | None = None,
                scs_max_iters: int = 100_000) -> dict:
    """Keyword options of cvxpy's solve() for `solver` at accuracy `eps` (None: DEFAULT_EPS, or `scs_eps` for SCS)."""
    if solver == "CLARABEL":
        e = DEFAULT_EPS["CLARABEL"] if eps is None else eps
        return {"tol_gap_abs": e, "tol_gap_rel": e, "tol_feas": e}
    if solver == "SCS":
        e = (DEFAULT_EPS["SCS"] if scs_eps is None else scs_eps) if eps is None else eps
        return {"eps_abs": e, "eps_rel": e, "max_iters": scs_max_iters}
    raise ValueError(f"solver: unknown solver {solver!r}; known: {sorted(DEFAULT_EPS)}")


def compiled(key: tuple, build: Callable[[], T]) -> T:
    """The problem object cached under `key` (e.g. ("sca", kind, M, K, L, form)), built on first use.

    Problems are DPP: built once per shape, re-solved with new Parameter values."""
    obj = _COMPILED.get(key)
    if obj is None:
        obj = _COMPILED[key] = build()
    return obj  # type: ignore[return-value]


def clear_compiled() -> None:
    """Forget every compiled problem (tests use it to start from a fresh process state)."""
    _COMPILED.clear()


def forget_solver_state(problem: cvx.Problem) -> None:
    """Drop cvxpy's cached solver of `problem`, so that the next solve depends only on its own data.

    cvxpy re-uses the solver of the previous solve of a compiled problem (warm start by default); a design then
    depended on the designs solved before it in the same process, i.e. on the job split (docs/deviations.md O9).
    """
    problem._solver_cache.clear()  # private but stable since cvxpy 1.3; tests/cfmmimo pin the behaviour
