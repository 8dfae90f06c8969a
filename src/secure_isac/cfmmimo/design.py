"""Study-1 optimiser dispatcher: one Design per (scheme, layout) (docs/model.md, 1.9-1.16)."""

from __future__ import annotations

import time

import numpy as np

from ..startup import cvx
from .baseline import equal_power
from .channels import LargeScale, check_large_scale
from .closed_forms import NormalizedChannel, check_channel, normalize
from .closed_forms import evaluate_iterate as evaluate  # the optimisers' own iterates: no argument checks
from .coherent_sca import CoherentSurrogate, coherent_design, coherent_phase1
from .corrected import CorrectedSurrogate
from .feasibility import is_feasible
from .options import SolverOptions
from .paper_sca import PILOT_REUSE_UNSUPPORTED, PaperSurrogate, check_paper_sca_supports
from .params import SystemParams
from .penalty import relaxed_sca, trace_row
from .repair import round_and_repair
from .results import Design, RelaxedResult, Trace
from .schemes import COHERENT_DESIGN_SCHEMES, KIND, PAPER_SCHEMES, SCHEMES
from .start import Start, cp_mode_draws, feasible_start, relaxed_start

__all__ = ["SCHEMES", "Design", "SolverOptions", "Trace", "check_scheme_supports", "optimise", "optimise_normalized"]


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
    check_scheme_supports(scheme, params, None, sensing_model(scheme, options))  # before any channel is read
    return options


def check_scheme_supports(scheme: str, params: SystemParams, pilot=None, sensing_design: str = "noncoherent") -> None:
    """ValueError naming the key if `scheme` cannot design for `params`: the paper-faithful SCA (cp_paper,
    sp_paper) with pilot reuse (params.pilot_reuse, or a channel's pilot assignment `pilot` with shared pilots;
    docs/extensions/pilot-contamination.md), with a robust grid / colluding eavesdroppers (params.
    paper_sca_refusal, docs/deviations.md S1-P25, S1-P26) or with user-centric clusters (the paper's surrogate
    serves every UE from every C-AP); the coherent design (sensing_design "coherent" of cp, sp, sp_early) with any
    eavesdropper model other than the paper's (docs/deviations.md S1-P28) or with user-centric clusters (no sparse form,
    docs/deviations.md S1-O27; re-evaluating a clustered design coherently, system key sensing_combining, is
    supported)."""
    if scheme in PAPER_SCHEMES and (params.pilot_reuse or pilot is not None):
        raise ValueError(f"{PILOT_REUSE_UNSUPPORTED} (scheme {scheme}, tau_p = {params.tau_t}, K = {params.K})")
    if scheme in PAPER_SCHEMES:
        check_paper_sca_supports(params, scheme)
    if scheme in COHERENT_DESIGN_SCHEMES and sensing_design == "coherent" and params.eve_enabled:
        raise ValueError(f"sensing_design: the coherent design (sensing_design = 'coherent', scheme {scheme}) guards "
                         "the zone centres only; it does not support eve_position = "
                         f"{params.eve_position!r} / eve_collusion = {params.eve_collusion} (use eve_position "
                         "'centre' and eve_collusion false, or sensing_design 'noncoherent')")
    if params.clustered and scheme in PAPER_SCHEMES:
        raise ValueError(f"cluster_size: user-centric clusters (cluster_size = {params.cluster_size} < M = "
                         f"{params.M}) are supported by cp, sp, sp_early and baseline, not by {scheme} (the paper's "
                         "surrogate serves every UE from every C-AP)")
    if params.clustered and scheme in COHERENT_DESIGN_SCHEMES and sensing_design == "coherent":
        raise ValueError(f"cluster_size, sensing_design: user-centric clusters (cluster_size = {params.cluster_size} "
                         f"< M = {params.M}) cannot be combined with designs optimised under coherent sensing "
                         f"combining (sensing_design = coherent, scheme {scheme}); set one of them to its default")


def _check_large_scale(ls: LargeScale, params: SystemParams) -> None:
    check_large_scale(ls, params)


def optimise(scheme: str, ls: LargeScale, params: SystemParams, rng: np.random.Generator,
             options: SolverOptions | None = None) -> Design:
    """Design one layout: AP modes and powers by `scheme` (penalty SCA, then rounding and repair; docs/model.md,
    study 1), with every constraint re-checked in closed form.

    Parameters
    ----------
    scheme : str
        One of `SCHEMES`: "cp" (max min UE SINR s.t. Eve SINR <= nu, MASR >= kappa), "sp" (min max Eve SINR s.t. UE
        SINR >= varsigma, MASR >= kappa), "sp_early", "cp_paper", "sp_paper" or "baseline".
    ls : LargeScale
        Large-scale fading of the layout (`large_scale_fading`), gains in W/W.
    params : SystemParams
        The scenario `ls` was made with.
    rng : numpy.random.Generator
        Source of the random AP-mode draws of the feasible start (and of the baseline's modes).
    options : SolverOptions, optional
        Penalty schedule, stopping rules and solver; default SolverOptions().

    Returns
    -------
    Design
        ap_mode (M,), power_c (M, K), power_s (M, L), the closed-form metrics, `feasible`, `solver_status` and the
        per-iterate trace. An infeasible instance or a solver failure gives feasible=False with its status, never
        an exception.

    Raises
    ------
    ValueError
        At once, before any solve, for a bad argument (unknown scheme, wrong type, `ls` not matching `params`) or a
        scheme that cannot design for `params` (cp_paper, sp_paper with shared pilots); the message names it.
    """
    options = _check_inputs(scheme, ls, params, rng, options)
    _check_large_scale(ls, params)
    ch = normalize(ls, params)
    return optimise_normalized(scheme, ch, params, rng, options)


def optimise_normalized(scheme: str, ch: NormalizedChannel, params: SystemParams, rng: np.random.Generator,
                        options: SolverOptions | None = None) -> Design:
    """`optimise` on an already normalised channel (docs/model.md, normalised variables)."""
    options = _check_inputs(scheme, None, params, rng, options)
    check_channel(ch, params)
    expected = (params.K, params.cluster_size) if params.clustered else None
    if (None if ch.serving is None else np.shape(ch.serving)) != expected:
        raise ValueError(f"ch.serving: clusters of shape {expected} expected from params.cluster_size "
                         f"(closed_forms.normalize builds them), got "
                         f"{None if ch.serving is None else np.shape(ch.serving)}")
    model = sensing_model(scheme, options)
    check_scheme_supports(scheme, params, getattr(ch, "pilot", None), model)
    t_wall = time.perf_counter()
    if scheme == "baseline":
        d = _baseline(ch, params, rng, options)
    elif model == "coherent":  # two candidates (docs/deviations.md S1-O22)
        d = coherent_design(scheme, KIND[scheme], ch, params, rng, options, _optimised)
    else:
        d = _optimised(scheme, ch, params, rng, options)
    if ch.serving is not None:
        d = _rechecked_clusters(scheme, d, ch, params, options)
    if params.sensing_combining != model:
        d = _evaluated_coherent(scheme, d, ch, params, options, params.sensing_combining)
    # extension: eavesdroppers off the zone centre / colluding (docs/deviations.md S1-P22 to S1-P27)
    if ch.eve is not None:
        from .eavesdroppers import design_summary

        kind = "baseline" if scheme == "baseline" else KIND[scheme]
        d.eve = design_summary(kind, d.metrics, d.power_c, d.power_s, ch, params, d.feasible, options.feas_tol)
    d.wall_time_s = time.perf_counter() - t_wall
    return d


def sensing_model(scheme: str, options: SolverOptions) -> str:
    """The sensing-combining model `scheme` optimises: SolverOptions.sensing_design for cp, sp, sp_early; (12)/(17)
    ("noncoherent") for the paper SCA and the baseline (docs/deviations.md S1-O20). Reads the option only for the
    schemes that use it (options.FIELDS_READ)."""
    return options.sensing_design if scheme in COHERENT_DESIGN_SCHEMES else "noncoherent"


def _evaluated_coherent(scheme, d: Design, ch, params, options, combining: str = "coherent") -> Design:
    """The design with its metrics and feasibility under the reported combining model when it differs from the one
    it was optimised for (docs/deviations.md S1-P21, S1-O20): e.g. a design optimised on (12)/(17) under coherent AP
    combining of the sensing beams; a design that meets its constraints only under its own model is infeasible."""
    met = evaluate(d.power_c, d.power_s, ch, params, combining=combining)
    kind = "baseline" if scheme == "baseline" else KIND[scheme]
    ok = is_feasible(kind, d.ap_mode, d.power_c, d.power_s, met, params, options.feas_tol)
    status = d.solver_status if ok or not d.feasible else f"{d.solver_status}; violated under {combining} combining"
    return Design(d.scheme, d.ap_mode, d.power_c, d.power_s, met, bool(d.feasible and ok), status, d.trace,
                  d.wall_time_s, d.solver_time_s)


def _rechecked_clusters(scheme, d: Design, ch, params, options) -> Design:
    """The design re-checked against its user-centric clusters as well (docs/model.md 1.23: s_mk = 0 outside M_k);
    a design that puts power outside them is infeasible."""
    kind = "baseline" if scheme == "baseline" else KIND[scheme]
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
    kind = KIND.get(scheme, "cp")
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


def _relaxed(scheme, kind, ch, params, start: Start, options, model: str = "noncoherent") -> RelaxedResult:
    surrogate = PaperSurrogate if scheme in PAPER_SCHEMES else _SURROGATE[model]
    abs_tol = options.early_abs_tol if scheme == "sp_early" else None
    # extrapolated stopping only without the MASR constraint (no earlier result changes; docs/deviations.md S1-O10)
    return relaxed_sca(kind, ch, params, start.a, start.s, start.q, options, surrogate=surrogate, abs_tol=abs_tol,
                       extrapolated_stop=surrogate is not PaperSurrogate and not params.masr_constraint)


# design model -> surrogate of SCA and repair, and the step that restores a start phase 1 left infeasible
_SURROGATE = {"noncoherent": CorrectedSurrogate, "coherent": CoherentSurrogate}
_RESTORE = {"noncoherent": None, "coherent": coherent_phase1}


def _optimised(scheme, ch, params, rng, options, model: str = "noncoherent") -> Design:
    kind = KIND[scheme]
    if scheme == "cp_paper" and options.paper_start == "relaxed":
        start = relaxed_start(ch, params, rng, options)
    elif kind == "cp":
        start = feasible_start("cp", ch, params, rng, options, combining=model, restore=_RESTORE[model])
    else:
        def cp_fallback():
            return _optimised("cp", ch, params, rng, options, model)

        start = feasible_start("sp", ch, params, rng, options, cp_fallback=cp_fallback, combining=model,
                               restore=_RESTORE[model])
    if not start.ok:
        return _empty_design(scheme, ch, params, start.a_draw, start.method, start.solver_time_s)
    try:
        rel = _relaxed(scheme, kind, ch, params, start, options, model)
    except cvx.SolverError as exc:  # solver failures are recorded, never raised
        return _empty_design(scheme, ch, params, start.a_draw, f"relaxed SCA failed: {type(exc).__name__}: {exc}",
                             start.solver_time_s)
    abs_tol = options.early_abs_tol if scheme == "sp_early" else None
    rep = round_and_repair(kind, ch, params, rel.a, rel.s, rel.q, options, last_binary=rel.last_binary,
                           abs_tol=abs_tol, surrogate=_SURROGATE[model])
    trace = rel.trace.concat(rep.trace) if len(rep.trace) else rel.trace
    status = f"start={start.method}; relaxed={rel.status}; {rep.status}"
    return Design(scheme, np.asarray(rep.a, dtype=np.int8), rep.s, rep.q, rep.metrics, bool(rep.feasible), status,
                  trace, 0.0, start.solver_time_s + rel.solver_time_s + rep.solver_time_s)
