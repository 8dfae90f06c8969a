"""Rounding and repair of a relaxed penalty-SCA point (docs/model.md, rounding and repair, steps 1-5)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .baseline import equal_power
from .closed_forms import NormalizedChannel, design_eve_sinr
from .closed_forms import evaluate_iterate as evaluate  # the optimisers' own iterates: no argument checks
from .clusters import serve_every_ue
from .corrected import CorrectedSurrogate
from .feasibility import is_feasible
from .options import SolverOptions
from .params import SystemParams
from .penalty import relaxed_sca
from .results import Trace
from .surrogate import Surrogate

START_MIX = 1e-6  # weight of equal power mixed into a repair start so that every UE has x_k > 0


@dataclass
class RepairResult:
    """Binary design after rounding and repair: modes, powers, closed-form metrics and re-checked feasibility."""

    a: np.ndarray  # int8 (M,)
    s: np.ndarray
    q: np.ndarray
    metrics: object
    feasible: bool
    status: str
    trace: Trace  # the fixed-mode re-optimisation that produced the result (phase "repair")
    solver_time_s: float


def round_modes(a, s, q, frac_tol: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """Dominant-power rounding (rounding and repair, step 1): a fractional AP becomes a C-AP iff S_m >= sum_l q_ml.

    Returns (binary modes int8, mask of the fractional APs)."""
    a = np.asarray(a, dtype=float)
    frac = np.minimum(a, 1.0 - a) > frac_tol
    dominant = np.sum(s, axis=1) >= np.sum(q, axis=1)
    a_bin = np.where(frac, dominant, a >= 0.5).astype(np.int8)
    return a_bin, frac


def project(a_bin, s, q) -> tuple[np.ndarray, np.ndarray]:
    """Rounding and repair, step 2: s <- s a, q <- q (1 - a)."""
    af = np.asarray(a_bin, dtype=float)[:, None]
    return np.asarray(s) * af, np.asarray(q) * (1.0 - af)


def _quality(kind: str, metrics) -> float:
    """Larger is better: min UE SINR (CP) or minus max Eve SINR (SP)."""
    return float(np.min(metrics.sinr_ue)) if kind == "cp" else -design_eve_sinr(metrics)


def fixed_mode_power(kind: str, ch: NormalizedChannel, params: SystemParams, a_bin, s, q, options: SolverOptions,
                     abs_tol: float | None = None,
                     surrogate: type[Surrogate] = CorrectedSurrogate) -> RepairResult:
    """Rounding and repair, step 3: the same SCA with a fixed (lambda = 0, <= repair_max_iter iterations) from (s, q).

    All-S-AP modes are infeasible (no UE is served); all-C-AP modes are infeasible while the MASR constraint is on
    (MASR is 0 without sensing power) and allowed without it (kappa_db = -inf). surrogate=coherent_sca.
    CoherentSurrogate: the coherent design's step and closed forms (docs/model.md S1-71)."""
    combining = surrogate.combining
    a_bin = np.asarray(a_bin, dtype=np.int8)
    M = a_bin.shape[0]
    if a_bin.sum() == 0 or (a_bin.sum() == M and params.masr_constraint):
        met = evaluate(s, q, ch, params, combining=combining)
        return RepairResult(a_bin, s, q, met, False, "infeasible: all APs in one mode", Trace(), 0.0)
    s_eq, q_eq = equal_power(a_bin, ch)
    s0 = (1.0 - START_MIX) * s + START_MIX * s_eq
    q0 = (1.0 - START_MIX) * q + START_MIX * q_eq
    # Without the MASR constraint (problems no earlier run could pose) this step gets the main iteration budget
    # and the extrapolated stopping test (penalty.remaining_change): for nu = inf as well the penalty phase starts
    # at binary all-C-AP modes and ends after one step, so this step is the whole power optimisation, Ngo's
    # max-min problem, which the SCA solves at a linear rate (docs/ngo-special-case.md).
    off = not params.masr_constraint
    max_iter = max(options.repair_max_iter, options.max_iter) if off else options.repair_max_iter
    # CP with user-centric clusters: a line search along each step (line_search.extend_step, docs/deviations.md
    # S1-O32); its premise, every constraint but the objective linear in (s, q), holds for CP only (not SP's UE rows)
    res = relaxed_sca(kind, ch, params, a_bin.astype(float), s0, q0, options, fixed_a=a_bin,
                      max_iter=max_iter, abs_tol=abs_tol, phase="repair", extrapolated_stop=off, surrogate=surrogate,
                      line_search=kind == "cp" and ch.serving is not None and surrogate is CorrectedSurrogate)
    s1, q1 = project(a_bin, res.s, res.q)
    met = evaluate(s1, q1, ch, params, combining=combining)
    ok = is_feasible(kind, a_bin, s1, q1, met, params, options.feas_tol)
    return RepairResult(a_bin, s1, q1, met, ok, res.status, res.trace, res.solver_time_s)


def round_and_repair(kind: str, ch: NormalizedChannel, params: SystemParams, a, s, q, options: SolverOptions, *,
                     last_binary=None, abs_tol: float | None = None,
                     surrogate: type[Surrogate] = CorrectedSurrogate) -> RepairResult:
    """docs/model.md, rounding and repair: dominant-power rounding, projection, fixed-mode re-optimisation, single
    flips of the formerly fractional APs if infeasible, then the last feasible binary iterate; else feasible=False.
    surrogate: the class of a surrogate with a fixed-mode step (corrected.CorrectedSurrogate, or coherent_sca.
    CoherentSurrogate for the coherent design: every check with the coherent closed forms)."""
    if not getattr(surrogate, "uses_stop_when_binary", False):
        raise ValueError("surrogate: a surrogate class with a fixed-mode step (corrected.CorrectedSurrogate, "
                         f"coherent_sca.CoherentSurrogate), got {surrogate!r}")
    if kind not in ("cp", "sp"):
        raise ValueError(f"kind: must be 'cp' or 'sp', got {kind!r}")
    a_bin, frac = round_modes(a, s, q, options.frac_tol)
    if ch.serving is not None:  # user-centric clusters: no UE may lose every C-AP of its cluster (docs/model.md 1.23)
        a_bin = serve_every_ue(a_bin, ch.serving, weight=s)
    sp_, qp_ = project(a_bin, s, q)
    first = fixed_mode_power(kind, ch, params, a_bin, sp_, qp_, options, abs_tol, surrogate)
    total = first.solver_time_s
    if first.feasible:
        first.status = f"repaired ({first.status})"
        return first
    best = None
    for m in np.flatnonzero(frac):
        a_f = a_bin.copy()
        a_f[m] = 1 - a_f[m]
        r = fixed_mode_power(kind, ch, params, a_f, *project(a_f, s, q), options, abs_tol, surrogate)
        total += r.solver_time_s
        if r.feasible and (best is None or _quality(kind, r.metrics) > _quality(kind, best.metrics)):
            best = r
            best.status = f"repaired by flipping AP {int(m)} ({r.status})"
    if best is not None:
        best.solver_time_s = total
        return best
    if last_binary is not None:
        a_l = np.round(np.asarray(last_binary[0], dtype=float)).astype(np.int8)
        s_l, q_l = project(a_l, last_binary[1], last_binary[2])
        met = evaluate(s_l, q_l, ch, params, combining=surrogate.combining)
        if is_feasible(kind, a_l, s_l, q_l, met, params, options.feas_tol):
            return RepairResult(a_l, s_l, q_l, met, True, "fallback: last feasible binary iterate", Trace(), total)
    first.status = f"infeasible after rounding and repair ({first.status})"
    first.solver_time_s = total
    return first
