"""Study-1 optimiser dispatcher: one Design per (scheme, layout) (docs/model.md, 1.9-1.16)."""

from __future__ import annotations

import time
import warnings

import numpy as np

from .._cvxpy import cvx
from .baseline import equal_power
from .channels import LargeScale
from .closed_forms import NormalizedChannel, evaluate, normalize
from .feasibility import is_feasible
from .options import SolverOptions
from .params import SystemParams
from .penalty import relaxed_sca, trace_row
from .repair import round_and_repair
from .results import Design, RelaxedResult, Trace
from .start import Start, cp_mode_draws, feasible_start

SCHEMES = ("cp", "sp", "sp_early", "cp_paper", "sp_paper", "baseline")
_KIND = {"cp": "cp", "cp_paper": "cp", "sp": "sp", "sp_early": "sp", "sp_paper": "sp"}

__all__ = ["SCHEMES", "Design", "SolverOptions", "Trace", "optimise", "optimise_normalized"]


def _check_inputs(scheme, ls, params, rng, options) -> SolverOptions:
    if scheme not in SCHEMES:
        raise ValueError(f"scheme: unknown scheme {scheme!r}; known: {SCHEMES}")
    if not isinstance(params, SystemParams):
        raise ValueError(f"params: expected SystemParams, got {type(params).__name__}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected numpy.random.Generator, got {type(rng).__name__}")
    if options is None:
        options = SolverOptions()
    elif not isinstance(options, SolverOptions):
        raise ValueError(f"options: expected SolverOptions or None, got {type(options).__name__}")
    if params.M < 2:
        raise ValueError(f"params.M: need at least 2 APs, got {params.M}")
    if params.clustered and scheme in ("cp_paper", "sp_paper"):
        raise ValueError(f"cluster_size: user-centric clusters (cluster_size = {params.cluster_size} < M = "
                         f"{params.M}) are supported by cp, sp, sp_early and baseline, not by {scheme} (the paper's "
                         "surrogate serves every UE from every C-AP)")
    return options


def _check_large_scale(ls: LargeScale, params: SystemParams) -> None:
    M, K, L = params.M, params.K, params.L
    for name, shape in (("beta", (M, K)), ("gamma", (M, K)), ("zeta", (M, L)), ("sin_theta", (M, L))):
        arr = np.asarray(getattr(ls, name), dtype=float)
        if arr.shape != shape:
            raise ValueError(f"ls.{name}: shape {arr.shape} does not match params (expected {shape})")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"ls.{name}: must be finite")
    if np.any(np.asarray(ls.beta) < 0) or np.any(np.asarray(ls.gamma) <= 0) or np.any(np.asarray(ls.zeta) <= 0):
        raise ValueError("ls.beta/ls.gamma/ls.zeta: gains must be >= 0 (beta) and > 0 (gamma, zeta)")
    if np.any(np.abs(np.asarray(ls.sin_theta)) > 1):
        raise ValueError("ls.sin_theta: must lie in [-1, 1]")


def optimise(scheme: str, ls: LargeScale, params: SystemParams, rng: np.random.Generator,
             options: SolverOptions | None = None) -> Design:
    """Design for one layout with `scheme` in SCHEMES; infeasible instances and solver failures give
    feasible=False with the status, never an exception (bad inputs raise ValueError at once)."""
    options = _check_inputs(scheme, ls, params, rng, options)
    _check_large_scale(ls, params)
    ch = normalize(ls, params)
    return optimise_normalized(scheme, ch, params, rng, options)


def optimise_normalized(scheme: str, ch: NormalizedChannel, params: SystemParams, rng: np.random.Generator,
                        options: SolverOptions | None = None) -> Design:
    """`optimise` on an already normalised channel (docs/model.md, normalised variables)."""
    options = _check_inputs(scheme, None, params, rng, options)
    expected = (params.K, params.cluster_size) if params.clustered else None
    if (None if ch.serving is None else np.shape(ch.serving)) != expected:
        raise ValueError(f"ch.serving: clusters of shape {expected} expected from params.cluster_size "
                         f"(closed_forms.normalize builds them), got "
                         f"{None if ch.serving is None else np.shape(ch.serving)}")
    t_wall = time.perf_counter()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Solution may be inaccurate")
        if scheme == "baseline":
            d = _baseline(ch, params, rng, options)
        else:
            d = _optimised(scheme, ch, params, rng, options)
    if ch.serving is not None:
        d = _rechecked_clusters(scheme, d, ch, params, options)
    if params.sensing_combining == "coherent":
        d = _evaluated_coherent(scheme, d, ch, params, options)
    d.wall_time_s = time.perf_counter() - t_wall
    return d


def _evaluated_coherent(scheme, d: Design, ch, params, options) -> Design:
    """The design (optimised on (12)/(17)) with its metrics and feasibility under coherent AP combining of the
    sensing beams (docs/deviations.md P21): a design that meets its constraints only under (12)/(17) is infeasible."""
    met = evaluate(d.power_c, d.power_s, ch, params, combining="coherent")
    kind = "baseline" if scheme == "baseline" else _KIND[scheme]
    ok = is_feasible(kind, d.ap_mode, d.power_c, d.power_s, met, params, options.feas_tol)
    status = d.solver_status if ok or not d.feasible else f"{d.solver_status}; violated under coherent combining"
    return Design(d.scheme, d.ap_mode, d.power_c, d.power_s, met, bool(d.feasible and ok), status, d.trace,
                  d.wall_time_s, d.solver_time_s)


def _rechecked_clusters(scheme, d: Design, ch, params, options) -> Design:
    """The design re-checked against its user-centric clusters as well (docs/model.md 1.23: s_mk = 0 outside M_k);
    a design that puts power outside them is infeasible."""
    kind = "baseline" if scheme == "baseline" else _KIND[scheme]
    if not d.feasible or is_feasible(kind, d.ap_mode, d.power_c, d.power_s, d.metrics, params, options.feas_tol,
                                     serving=ch.serving):
        return d
    return Design(d.scheme, d.ap_mode, d.power_c, d.power_s, d.metrics, False,
                  f"{d.solver_status}; power outside the serving clusters", d.trace, d.wall_time_s, d.solver_time_s)


def _empty_design(scheme, ch, params, a_draw, status, solver_time=0.0) -> Design:
    """Infeasible marker design: the mode draw (if any) with zero power."""
    M, K = ch.b.shape
    L = ch.z.shape[1]
    a = np.zeros(M, dtype=np.int8) if a_draw is None else np.asarray(a_draw, dtype=np.int8)
    s, q = np.zeros((M, K)), np.zeros((M, L))
    met = evaluate(s, q, ch, params)
    kind = _KIND.get(scheme, "cp")
    tr = Trace.from_rows([trace_row(kind, met, a, 0.0, 0.0, "penalty")])
    return Design(scheme, a, s, q, met, False, status, tr, 0.0, solver_time)


def _baseline(ch, params, rng, options) -> Design:
    """Baseline (docs/model.md): CP's random 50/50 draw with Ngo equal power; feasible = (Eve <= nu and MASR >= kappa).

    Without the MASR constraint CP's start has every AP in C mode, so this is Ngo's equal power allocation
    (unscaled; feasible iff Eve <= nu, always for nu = inf)."""
    a, _, _, first = cp_mode_draws(ch, params, rng, options)
    a = first if a is None else a
    s, q = equal_power(a, ch)
    met = evaluate(s, q, ch, params)
    ok = is_feasible("baseline", a, s, q, met, params, options.feas_tol)
    tr = Trace.from_rows([trace_row("cp", met, a, 0.0, 0.0, "penalty")])
    status = "equal power, no optimisation"
    return Design("baseline", np.asarray(a, dtype=np.int8), s, q, met, bool(ok), status, tr, 0.0, 0.0)


def _relaxed(scheme, kind, ch, params, start: Start, options) -> RelaxedResult:
    surrogate = "paper" if scheme in ("cp_paper", "sp_paper") else "corrected"
    abs_tol = options.early_abs_tol if scheme == "sp_early" else None
    # extrapolated stopping only without the MASR constraint (no earlier result changes; docs/deviations.md O10)
    return relaxed_sca(kind, ch, params, start.a, start.s, start.q, options, surrogate=surrogate, abs_tol=abs_tol,
                       extrapolated_stop=surrogate == "corrected" and not params.masr_constraint)


def _optimised(scheme, ch, params, rng, options) -> Design:
    kind = _KIND[scheme]
    if kind == "cp":
        start = feasible_start("cp", ch, params, rng, options)
    else:
        def cp_fallback():
            return _optimised("cp", ch, params, rng, options)

        start = feasible_start("sp", ch, params, rng, options, cp_fallback=cp_fallback)
    if not start.ok:
        return _empty_design(scheme, ch, params, start.a_draw, start.method, start.solver_time_s)
    try:
        rel = _relaxed(scheme, kind, ch, params, start, options)
    except cvx.SolverError as exc:  # solver failures are recorded, never raised
        return _empty_design(scheme, ch, params, start.a_draw, f"relaxed SCA failed: {type(exc).__name__}: {exc}",
                             start.solver_time_s)
    abs_tol = options.early_abs_tol if scheme == "sp_early" else None
    rep = round_and_repair(kind, ch, params, rel.a, rel.s, rel.q, options, last_binary=rel.last_binary,
                           abs_tol=abs_tol)
    trace = rel.trace.concat(rep.trace) if len(rep.trace) else rel.trace
    status = f"start={start.method}; relaxed={rel.status}; {rep.status}"
    return Design(scheme, np.asarray(rep.a, dtype=np.int8), rep.s, rep.q, rep.metrics, bool(rep.feasible), status,
                  trace, 0.0, start.solver_time_s + rel.solver_time_s + rep.solver_time_s)
