"""(P3.1): (SDR P5) minimised over Gamma_e for one geometry, with the inactive-constraint shortcut."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import metrics, sdr
from .array import params_desired_pattern, steering
from .reconstruct import mrt_split
from .sdr import SdpResult, SdrP5
from .search import gamma_e_max, search_gamma, track_gamma


@dataclass
class P5Solution:
    """Minimiser of (P3.1): W, R_s (normalised), alpha, u, Gamma_e, objective and how it was found."""

    result: SdpResult
    W: np.ndarray | None
    Rs: np.ndarray | None
    gamma_e: float
    feasible: bool
    status: str
    n_sdp: int
    unconstrained: bool  # True: the design without the secrecy constraint already met R-bar


def make_context(params, selection=None, *, relaxed: bool = False) -> SdrP5:
    """(SDR P5) for the full relaxed array (u free) or a fixed selection in reduced form (docs/deviations.md S2-D2)."""
    N = params.n_antennas
    idx = np.arange(N) if selection is None else np.asarray(selection)
    A = steering(params.grid_deg, N)[:, idx]
    h = steering(params.user_angle_deg, N)[idx]
    G = steering(np.asarray(params.eve_angles_deg), N)[:, idx]
    d = params_desired_pattern(params)
    cap = params.p_max_factor
    uniform = params.p_max_rule == "uniform"
    trace_eq = params.total_power == "eq"
    rows = min(len(d), 2 * N)
    if relaxed:
        # the relaxed secrecy-constrained SDPs only steer P-SCP (the design is the fixed re-solve): lag form of the
        # matching error and lighter iterative refinement (docs/deviations.md S2-D19)
        return SdrP5(A, d, h, G, rows=rows, cap=cap, with_u=True, diag_eq=uniform and trace_eq, sum_eq=uniform,
                     trace_eq=trace_eq, n_rf=params.n_rf, solver=params.solver_relaxed,
                     fallback=params.fallback_solver_relaxed, lags=True, secrecy_opts=sdr.relaxed_clarabel_opts())
    # a fixed selection of exactly N_RF antennas with the uniform cap has diag(X) = P/N_RF exactly (fix 2);
    # any other count (full digital) or a loose cap keeps the inequality
    diag_eq = uniform and trace_eq and len(idx) == params.n_rf
    return SdrP5(A, d, h, G, rows=rows, cap=cap, with_u=False, diag_eq=diag_eq, trace_eq=trace_eq,
                 solver=params.solver, fallback=params.fallback_solver)


def split_meets(X: np.ndarray, h: np.ndarray, G: np.ndarray, s2: float, rbar: float) -> bool:
    """True if the eq.-(24) split of X (all user-direction power to w) meets R_sec >= R-bar."""
    W, Rs = mrt_split(X, h)
    r = metrics.secrecy_rate_raw(metrics.user_sinr(W, Rs, h, s2), metrics.eve_sinr(W, Rs, G, s2))
    return r >= rbar - 1e-9


def solve_p31(ctx: SdrP5, h: np.ndarray, G: np.ndarray, params, s2: float, rbar: float | None, *,
              pen=None, n_grid: int, golden_steps: int, n_eff: int, check_unconstrained: bool = True,
              gamma_hint: float | None = None, unimodal: bool = False) -> P5Solution:
    """min over Gamma_e of (SDR P5); rbar=None drops the secrecy constraint (reference design).

    gamma_hint: Gamma_e* of the previous P-SCP iterate; a local tracking search replaces the grid.
    unimodal: skip the Gamma_e evaluations that cannot change the searches' result for a unimodal F (search.py).
    """
    n0 = ctx.n_solves
    if rbar is None or check_unconstrained:
        r = ctx.solve(pen=pen)
        if not r.feasible:
            return P5Solution(r, None, None, np.nan, False, r.status, ctx.n_solves - n0, True)
        if rbar is None or split_meets(r.X, h, G, s2, rbar):
            # constraint inactive: min F = the unconstrained value, and S2-A11 ("largest") selects
            # Gamma_e = Gamma_hi where the only feasible split is eq. (24) applied to X
            W, Rs = mrt_split(r.X, h)
            ge = float(np.max(metrics.eve_sinr(W, Rs, G, s2)))
            return P5Solution(r, W, Rs, ge, True, r.status, ctx.n_solves - n0, True)
    gmax = gamma_e_max(n_eff, ctx.cap, s2, rbar)
    if gmax < 0:
        return P5Solution(SdpResult("infeasible_target", False, np.inf, None, None, None, np.nan, None, 0.0),
                          None, None, np.nan, False, "infeasible_target", ctx.n_solves - n0, False)
    def ev(g):
        return ctx.solve(pen=pen, gamma_e=g, rbar=rbar, s2=s2)

    sr = None
    if gamma_hint is not None and np.isfinite(gamma_hint):
        sr = track_gamma(ev, max(gamma_hint, params.gamma_min_rel * gmax), gmax, tie_break=params.tie_break,
                         unimodal=unimodal)
    if sr is None or not sr.feasible:
        sr = search_gamma(ev, gmax, n_grid=n_grid, golden_steps=golden_steps, tie_break=params.tie_break,
                          tie_tol=params.tie_rel_tol, min_rel=params.gamma_min_rel, unimodal=unimodal)
    r = sr.result
    if not sr.feasible:
        return P5Solution(r, None, None, np.nan, False, "infeasible" if r is None else r.status,
                          ctx.n_solves - n0, False)
    return P5Solution(r, r.W, r.Rs, sr.gamma_e, True, r.status, ctx.n_solves - n0, False)
