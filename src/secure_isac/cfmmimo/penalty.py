"""Penalty-SCA loop over the section-7 subproblems: lambda schedule and stopping of spec section 9."""

from __future__ import annotations

import numpy as np

from . import sca
from .closed_forms import NormalizedChannel, evaluate
from .design_types import RelaxedResult, SolverOptions, Trace
from .feasibility import constraint_margins
from .params import SystemParams


def binary_distance(a) -> float:
    """max_m min(a_m, 1 - a_m): zero iff the AP modes are binary (section 9)."""
    a = np.asarray(a, dtype=float)
    return float(np.max(np.minimum(a, 1.0 - a))) if a.size else 0.0


def penalty_value(a) -> float:
    """sum_m (a_m - a_m^2), the paper's binarity penalty (section 7.1)."""
    a = np.asarray(a, dtype=float)
    return float(np.sum(a - a * a))


def objective_t(kind: str, metrics) -> float:
    """t at a point from the closed forms: min_k SINR_k (CP) or max_l SINR_l (SP)."""
    return float(np.min(metrics.sinr_ue)) if kind == "cp" else float(np.max(metrics.sinr_eve))


def trace_row(kind: str, metrics, a, lam: float, solve_time: float, phase: str) -> dict:
    """One Trace entry (rates from the closed forms at the iterate, valid for fractional a)."""
    t = objective_t(kind, metrics)
    sign = -1.0 if kind == "cp" else 1.0
    return {
        "rate_ue_min": float(np.min(metrics.rate_ue)),
        "rate_eve_max": float(np.max(metrics.rate_eve)),
        "secrecy": float(np.mean(metrics.secrecy_ue)),
        "objective": t + sign * lam * penalty_value(a),
        "binary_distance": binary_distance(a),
        "solve_time": float(solve_time),
        "phase": phase,
    }


# A step this far below rel_tol ends an extrapolated-stop run whatever the ratio of the last two steps: the
# remaining change of a linearly convergent sequence with ratio <= 0.999 is then below rel_tol as well.
EXTRAPOLATION_FLOOR = 1e-3


def remaining_change(objectives) -> float:
    """Extrapolated distance of a linearly convergent objective sequence to its limit (Aitken): with the last two
    steps d_n, d_{n-1} and ratio r = d_n / d_{n-1}, the steps still to come sum to |d_n| r / (1 - r).

    0 for an oscillating sequence (r < 0: the limit lies within the last step), inf if the steps do not shrink
    (r >= 1) or fewer than three values are given."""
    if len(objectives) < 3:
        return np.inf
    o2, o1, o0 = (float(v) for v in objectives[-3:])
    d_prev, d = o1 - o2, o0 - o1
    if d == 0.0:
        return 0.0
    if d_prev == 0.0:
        return np.inf
    r = d / d_prev
    if r < 0.0:
        return 0.0
    if r >= 1.0:
        return np.inf
    return abs(d) * r / (1.0 - r)


def _small_change(objectives, rel_tol: float, extrapolated: bool) -> bool:
    """Stopping test on the objective sequence: the last step is at most rel_tol relative and, if `extrapolated`,
    so is the Aitken estimate of the change still to come (`remaining_change`)."""
    prev, cur = objectives[-2], objectives[-1]
    tol = rel_tol * abs(prev)
    if not abs(cur - prev) <= tol:  # also False for nan, as the plain test
        return False
    if not extrapolated or abs(cur - prev) <= EXTRAPOLATION_FLOOR * tol:
        return True
    return remaining_change(objectives) <= tol


def iterate_feasible(kind: str, a, s, q, metrics, params: SystemParams, tol: float) -> bool:
    """Exact constraints of the relaxed problem (all but binarity) hold at an iterate within `tol`."""
    m = constraint_margins(kind, a, s, q, metrics, params)
    m.pop("binary", None)
    return all(v >= -tol for v in m.values())


def relaxed_sca(kind: str, ch: NormalizedChannel, params: SystemParams, a0, s0, q0, options: SolverOptions, *,
                fixed_a=None, max_iter: int | None = None, abs_tol: float | None = None,
                phase: str = "penalty", extrapolated_stop: bool = False) -> RelaxedResult:
    """Penalty SCA of sections 7 and 9 from (a0, s0, q0); with fixed_a, the lambda = 0 power re-optimisation.

    Stops when the objective changes by at most rel_tol relative and a is binary ("converged"), when it changes
    by at most abs_tol absolute (SP early stop, "early_stop"), at max_iter, or at the first solver failure
    (the last iterate is returned). With extrapolated_stop, the rel_tol tests also require the Aitken estimate
    of the change still to come to be at most rel_tol (`remaining_change`): the SCA converges linearly, with
    step ratios of 0.4-0.95 near the optimum, so a step of rel_tol leaves up to ~20 rel_tol to go. Off by default
    (the results of the section-9 schedule stay as they are); design and repair switch it on for problems without
    the MASR constraint (docs/ngo-special-case.md).
    """
    if kind not in ("cp", "sp"):
        raise ValueError(f"kind: must be 'cp' or 'sp', got {kind!r}")
    M, K = np.shape(s0)
    L = np.shape(q0)[1]
    sub = sca.subproblem(kind, M, K, L, params.ue_sinr_form)
    sub.set_channel(ch, params.nu, params.kappa)
    a = np.asarray(a0, dtype=float).copy()
    s = np.asarray(s0, dtype=float).copy()
    q = np.asarray(q0, dtype=float).copy()
    if fixed_a is not None:
        a_lo = a_hi = np.asarray(fixed_a, dtype=float)
        a = a_lo.copy()
    else:
        a_lo, a_hi = np.zeros(M), np.ones(M)
    max_iter = (options.repair_max_iter if fixed_a is not None else options.max_iter) if max_iter is None else max_iter
    met = evaluate(s, q, ch, params)
    t0 = objective_t(kind, met)
    if fixed_a is not None:
        lam, lam_cap = 0.0, 0.0
    else:
        lam = options.lambda0_factor * t0
        lam_cap = options.lambda_cap_cp * t0 if kind == "cp" else options.lambda_cap_sp
    rows = [trace_row(kind, met, a, lam, 0.0, phase)]
    cur_ok = iterate_feasible(kind, a, s, q, met, params, options.feas_tol)
    last_binary = (np.round(a), s.copy(), q.copy()) if binary_distance(a) < options.bin_tol else None
    status, converged, total = "max_iter", False, 0.0
    if not np.isfinite(t0) or t0 <= 0.0:
        return RelaxedResult(a, s, q, Trace.from_rows(rows), "bad_start: objective t0 <= 0", 0.0, False, last_binary)
    t_cur, t_best = t0, t0
    for it in range(1, max_iter + 1):
        sub.set_point(a, s, q, t_cur, lam, a_lo, a_hi, params.varsigma)
        st, sol, stime = sub.solve(options.solver, options.solver_eps)
        total += stime
        if sol is None:
            status = f"{st} (iteration {it})"
            break
        a_new = a_lo.copy() if fixed_a is not None else sol.a
        s_new, q_new = sol.s * (a_new > 0)[:, None], sol.q
        met_new = evaluate(s_new, q_new, ch, params)
        new_ok = iterate_feasible(kind, a_new, s_new, q_new, met_new, params, options.feas_tol)
        if cur_ok and not new_ok:
            # an inaccurate solve left the feasible set: keep the last feasible iterate and stop
            status = f"inaccurate step rejected ({st}, iteration {it})"
            break
        a, s, q, met, cur_ok = a_new, s_new, q_new, met_new, new_ok
        t_new = objective_t(kind, met)
        rows.append(trace_row(kind, met, a, lam, stime, phase))
        if binary_distance(a) < options.bin_tol:
            last_binary = (np.round(a), s.copy(), q.copy())
        prev, cur = rows[-2]["objective"], rows[-1]["objective"]
        small = _small_change([r["objective"] for r in rows[-3:]], options.rel_tol, extrapolated_stop)
        t_cur = t_new
        if not np.isfinite(t_cur) or t_cur <= 0.0:
            status = f"degenerate iterate: t = {t_cur} (iteration {it})"
            break
        if abs_tol is not None and abs(cur - prev) <= abs_tol:
            status = "early_stop"
            break
        if small and binary_distance(a) < options.bin_tol:
            status, converged = "converged", True
            break
        if fixed_a is None and options.stop_when_binary and binary_distance(a) < options.bin_tol:
            status = "binary"
            break
        t_best = max(t_best, t_cur)
        if fixed_a is None and kind == "cp" and options.lambda_cap_running:
            lam_cap = options.lambda_cap_cp * t_best
        if fixed_a is None and options.stop_when_binary and lam >= lam_cap and small:
            status = "stalled at the lambda cap (rounding decides)"
            break
        lam = min(options.lambda_growth * lam, lam_cap)
    return RelaxedResult(a, s, q, Trace.from_rows(rows), status, total, converged, last_binary)
