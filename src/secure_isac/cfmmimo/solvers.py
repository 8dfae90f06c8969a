"""Solver settings of every study-1 convex problem (SCA subproblems of both surrogates, phase-1 LP): accuracies and
the options of each solver. The cache of compiled problems, `solve` and the accepted statuses are shared with study 2
(secure_isac.convex)."""

from __future__ import annotations

from ..convex import OK_STATUSES, clear_compiled, compiled, forget_solver_state  # noqa: F401  (study-1 names)

# measured defaults (docs/performance.md): CLARABEL's gap/feasibility tolerances, SCS's eps
DEFAULT_EPS = {"CLARABEL": 1e-8, "SCS": 1e-6}


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
