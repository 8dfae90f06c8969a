"""The penalty SCA of study 1, one loop for every surrogate: lambda schedule, stopping, trace (docs/model.md).

The surrogates only supply their subproblem (surrogate.Surrogate: corrected.CorrectedSurrogate,
paper_sca.PaperSurrogate, coherent_sca.CoherentSurrogate); the caller chooses one and passes its class in."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .closed_forms import NormalizedChannel
from .closed_forms import evaluate_iterate as evaluate  # the optimisers' own iterates: no argument checks
from .corrected import CorrectedSurrogate
from .feasibility import constraint_margins
from .line_search import extend_step, objective_t  # objective_t re-exported: the t of the SCA loop
from .options import SolverOptions
from .params import SystemParams
from .results import RelaxedResult, Trace
from .surrogate import Surrogate


def binary_distance(a) -> float:
    """max_m min(a_m, 1 - a_m): zero iff the AP modes are binary (docs/model.md, penalty method)."""
    a = np.asarray(a, dtype=float)
    return float(np.max(np.minimum(a, 1.0 - a))) if a.size else 0.0


def penalty_value(a) -> float:
    """sum_m (a_m - a_m^2), the paper's binarity penalty (docs/model.md, penalty method)."""
    a = np.asarray(a, dtype=float)
    return float(np.sum(a - a * a))


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


RATE_KEYS = ("rate_ue_min", "rate_eve_max", "secrecy")


def rates_settled(rows, rate_tol: float) -> bool:
    """The reported rates (min UE rate, max Eve rate, per-UE average secrecy, bit/s/Hz) have settled: each moved by
    at most rate_tol in the last step and the Aitken estimate of its change still to come (`remaining_change`) is at
    most rate_tol too. False for rate_tol = 0 or fewer than three iterates."""
    if rate_tol <= 0 or len(rows) < 3:
        return False
    for key in RATE_KEYS:
        values = [r[key] for r in rows[-3:]]
        if not abs(values[-1] - values[-2]) <= rate_tol or not remaining_change(values) <= rate_tol:
            return False
    return True


def no_progress(objectives, window: int, rel_tol: float, sign: float) -> bool:
    """The best objective of the last `window` iterates is not better than the best before them by more than rel_tol
    (relative); sign = +1 for a maximised objective (CP), -1 for a minimised one (SP). False for window = 0 or too
    few iterates (docs/deviations.md S1-O14)."""
    if window <= 0 or len(objectives) <= window:
        return False
    vals = sign * np.asarray(objectives, dtype=float)
    before, recent = np.max(vals[:-window]), np.max(vals[-window:])
    return bool(recent <= before + rel_tol * abs(before))


def iterate_feasible(kind: str, a, s, q, metrics, params: SystemParams, tol: float) -> bool:
    """Exact constraints of the relaxed problem (all but binarity) hold at an iterate within `tol`."""
    m = constraint_margins(kind, a, s, q, metrics, params)
    m.pop("binary", None)
    return all(v >= -tol for v in m.values())


def _check_inputs(kind, ch, params, a0, s0, q0, options) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ValueError naming the offending argument, before any solve."""
    if kind not in ("cp", "sp"):
        raise ValueError(f"kind: must be 'cp' or 'sp', got {kind!r}")
    if not isinstance(params, SystemParams):
        raise ValueError(f"params: must be a SystemParams, got {type(params).__name__}")
    if not isinstance(options, SolverOptions):
        raise ValueError(f"options: must be a SolverOptions, got {type(options).__name__}")
    M, K, L = params.M, params.K, params.L
    for name, arr, shape in (("ch.b", ch.b, (M, K)), ("ch.g", ch.g, (M, K)), ("ch.z", ch.z, (M, L)),
                             ("ch.G_hat", ch.G_hat, (M, L, L))):
        if np.shape(arr) != shape:
            raise ValueError(f"{name}: expected shape {shape} from params, got {np.shape(arr)}")
    if int(ch.N) != params.N:
        raise ValueError(f"ch.N: {ch.N} differs from params.N = {params.N}")
    out = []
    for name, arr, shape in (("a0", a0, (M,)), ("s0", s0, (M, K)), ("q0", q0, (M, L))):
        arr = np.asarray(arr, dtype=float)
        if arr.shape != shape:
            raise ValueError(f"{name}: expected shape {shape}, got {arr.shape}")
        if not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise ValueError(f"{name}: must be finite and >= 0")
        out.append(arr.copy())
    if np.any(out[0] > 1):
        raise ValueError("a0: entries must lie in [0, 1]")
    return out[0], out[1], out[2]


def relaxed_sca(kind: str, ch: NormalizedChannel, params: SystemParams, a0, s0, q0, options: SolverOptions, *,
                surrogate: type[Surrogate] = CorrectedSurrogate, fixed_a=None, max_iter: int | None = None,
                abs_tol: float | None = None, phase: str = "penalty", extrapolated_stop: bool = False,
                iterates: list | None = None, line_search: bool = False) -> RelaxedResult:
    """The penalty SCA from the start (a0, s0, q0) in effective powers; with fixed_a, the lambda = 0 power
    re-optimisation of the rounding/repair step (docs/model.md, penalty method).

    surrogate: the class of the convex surrogate (surrogate.Surrogate), built as surrogate(kind, ch, params,
    options): corrected.CorrectedSurrogate (schemes cp/sp/sp_early and every repair), paper_sca.PaperSurrogate
    (cp_paper/sp_paper) or coherent_sca.CoherentSurrogate (cp/sp/sp_early with SolverOptions.sensing_design =
    "coherent": every iterate is evaluated with the coherent closed forms).
    Each iteration solves the surrogate linearised at the current point with objective t -/+ lambda p_hat(a);
    lambda follows the options' schedule (lambda0_factor * t0, times lambda_growth per iteration, capped; the CP cap
    relative to the best t so far with lambda_cap_running).

    Stops when the objective changes by at most rel_tol relative and a is binary ("converged"); by at most abs_tol
    absolute (SP early stop, "early_stop"); once a is binary ("binary", options.stop_when_binary, corrected
    surrogate only); when stalled at the lambda cap; at max_iter; at the first solver failure or degenerate
    iterate; or when an inaccurate step leaves the exact feasible set ("inaccurate step rejected"). The last
    accepted iterate is returned. With extrapolated_stop, the rel_tol tests also require the Aitken estimate of
    the change still to come to be at most rel_tol (`remaining_change`): the SCA converges linearly, with step
    ratios of 0.4-0.95 near the optimum, so a step of rel_tol leaves up to ~20 rel_tol to go. Off by default (the
    results of the default schedule stay as they are); design and repair switch it on for problems without the
    MASR constraint (docs/ngo-special-case.md). With line_search (fixed-mode steps only; the repair of clustered
    designs, docs/deviations.md S1-O32) each accepted step is extended along itself while the exact objective
    improves and every exact constraint holds (`line_search.extend_step`). If `iterates` is a list, a dict per
    iterate (the surrogate's variables, s, q and the solver's t) is appended to it (used by the tests to check every
    iterate).
    """
    a, s, q = _check_inputs(kind, ch, params, a0, s0, q0, options)
    if not (isinstance(surrogate, type) and callable(getattr(surrogate, "step", None))):
        raise ValueError(f"surrogate: a surrogate class (surrogate.Surrogate), got {surrogate!r}")
    sur = surrogate(kind, ch, params, options)
    combining = sur.combining  # closed forms of the surrogate's own model
    if fixed_a is not None:
        if not sur.uses_stop_when_binary:
            raise ValueError(f"fixed_a: the {sur.name} surrogate has no fixed-mode step")
        a_lo = np.asarray(fixed_a, dtype=float)
        a = a_lo.copy()
    max_iter = (options.repair_max_iter if fixed_a is not None else options.max_iter) if max_iter is None else max_iter
    point, a, s, q = sur.start(a, s, q)
    met = evaluate(s, q, ch, params, combining=combining)
    t0 = objective_t(kind, met)
    if iterates is not None:
        iterates.append({**sur.describe(point), "s": s, "q": q, "t_solver": t0})
    last_binary = (np.round(a), s.copy(), q.copy()) if binary_distance(a) < options.bin_tol else None
    if not np.isfinite(t0) or t0 <= 0.0 or np.any(met.sinr_ue <= 0):
        rows = [trace_row(kind, met, a, 0.0, 0.0, phase)]
        return RelaxedResult(a, s, q, Trace.from_rows(rows), "bad_start: a UE without power or objective t0 <= 0",
                             0.0, False, last_binary)
    if fixed_a is not None:
        lam, lam_cap = 0.0, 0.0
    else:
        lam = options.lambda0_factor * t0
        lam_cap = options.lambda_cap_cp * t0 if kind == "cp" else options.lambda_cap_sp
    stop_when_binary = fixed_a is None and options.stop_when_binary and sur.uses_stop_when_binary
    rows = [trace_row(kind, met, a, lam, 0.0, phase)]
    objectives = [rows[0]["objective"]]
    cur_ok = iterate_feasible(kind, a, s, q, met, params, options.feas_tol)
    status, converged, total = "max_iter", False, 0.0
    t_cur, t_best = t0, t0
    for it in range(1, max_iter + 1):
        step = sur.step(point, a, s, q, t_cur, lam, fixed_a, it)
        total += step.time
        if step.failed is not None:
            status = step.failed
            break
        met_new = evaluate(step.s, step.q, ch, params, combining=combining)
        new_ok = iterate_feasible(kind, step.a, step.s, step.q, met_new, params, options.feas_tol)
        if cur_ok and not new_ok:
            # an inaccurate solve left the feasible set: keep the last feasible iterate and stop
            status = f"inaccurate step rejected ({step.status}, iteration {it})"
            break
        if line_search and fixed_a is not None and new_ok:  # clustered repair: further along the step (S1-O32)
            ext = extend_step(kind, ch, params, step.a, s, q, step.s, step.q, objective_t(kind, met_new), combining)
            if ext is not None:
                step = replace(step, point=(step.a, ext[0], ext[1]), s=ext[0], q=ext[1])
                met_new = ext[2]
        point, a, s, q, met, cur_ok = step.point, step.a, step.s, step.q, met_new, new_ok
        t_new = objective_t(kind, met)
        if iterates is not None:
            iterates.append({**sur.describe(point), "s": s, "q": q, "t_solver": step.t_solver})
        rows.append(trace_row(kind, met, a, lam, step.time, phase))
        objectives.append(rows[-1]["objective"])
        binary = binary_distance(a) < options.bin_tol
        if binary:
            last_binary = (np.round(a), s.copy(), q.copy())
        prev, cur = objectives[-2], objectives[-1]
        small = _small_change(objectives[-3:], options.rel_tol, extrapolated_stop)
        t_cur = t_new
        if not np.isfinite(t_cur) or t_cur <= 0.0:
            status = f"degenerate iterate: t = {t_cur} (iteration {it})"
            break
        if abs_tol is not None and abs(cur - prev) <= abs_tol:
            status = "early_stop"
            break
        if small and binary:
            status, converged = "converged", True
            break
        if binary and rates_settled(rows, options.rate_tol):
            status, converged = "converged (rates settled)", True
            break
        # the SP objective (~1e-4 at the optimum) ends in solver noise: the iterates jitter around the optimum and
        # neither test above fires (docs/deviations.md S1-O14)
        if (binary and fixed_a is None and kind == "sp"
                and no_progress(objectives, options.sp_stall_window, options.rel_tol, -1.0)):
            status = f"stalled (no progress in {options.sp_stall_window} iterations)"
            break
        if stop_when_binary and binary:
            status = "binary"
            break
        t_best = max(t_best, t_cur)
        if fixed_a is None and kind == "cp" and options.lambda_cap_running:
            lam_cap = options.lambda_cap_cp * t_best
        if stop_when_binary and lam >= lam_cap and small:
            status = "stalled at the lambda cap (rounding decides)"
            break
        lam = min(options.lambda_growth * lam, lam_cap)
    return RelaxedResult(a, s, q, Trace.from_rows(rows), status, total, converged, last_binary)

