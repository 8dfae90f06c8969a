"""Schemes of study 2: aa (proposed), no_aa (contiguous sub-array), random_aa, full_digital (docs/model.md, 2.9)."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field

import numpy as np

from .. import checks, seeds
from . import metrics
from .array import beampattern, eve_channels, params_desired_pattern, steering, user_channel
from .fixed import FixedOutcome, fixed_design
from .p5 import split_meets
from .params import LABELS, SCHEMES, DfbsParams, power_mw, validate_secrecy_target, validate_snr  # noqa: F401
from .pscp import run_pscp
from .reconstruct import rank_one_reconstruction, sensing_beams


@dataclass
class DfbsDesign:
    """One design at one (P, R-bar) point: the antenna selection, beamformers scaled to the total power P, metrics
    and bookkeeping (docs/model.md, study 2). An infeasible design keeps its selection and has NaN beamformers and
    metrics.

    Attributes
    ----------
    scheme : str
        The scheme label (`SCHEMES`; random_aa is reported as "random_aa_best" and "random_aa_median").
    power_dbm : float
        Total power P, dBm.
    secrecy_target : float
        Secrecy-rate threshold R-bar, bit/s/Hz.
    selected : numpy.ndarray of int8, shape (N,)
        1 where the antenna is connected to an RF chain.
    w : numpy.ndarray of complex, shape (N,)
        Information beamformer, sqrt(mW).
    rs : numpy.ndarray of complex, shape (N, N)
        Sensing covariance R_s (Hermitian, positive semidefinite), mW.
    alpha : float
        Autoscale of the desired beampattern, mW.
    matching_error : float
        Beampattern matching error (12) with every power divided by P (dimensionless).
    gamma_e : float
        The eavesdropper-SINR bound Gamma_e chosen by the 1D search (20a), linear.
    user_sinr : float
        SINR of the legitimate user (4), linear.
    eve_sinr : numpy.ndarray, shape (n_eve,)
        SINR of each eavesdropper (8), linear.
    secrecy_rate : float
        Secrecy rate [log2(1 + user_sinr) - max log2(1 + eve_sinr)]^+ (9), bit/s/Hz.
    feasible : bool
        True if every constraint holds on re-check (secrecy, total and per-antenna power, RF chains, PSD).
    solver_status : str
        How the solve ended; "check_failed:..." names the constraints a re-check found violated.
    sensing_beams : numpy.ndarray of complex, shape (N, r)
        Sensing beams sqrt(lambda_i) v_i from the eigen-decomposition of R_s (Remark 1), sqrt(mW).
    n_sdp : int
        Number of SDPs solved for this design.
    wall_time_s : float
        Wall-clock time, s.
    used_reference : bool
        True if the design was taken from the reference without a new solve.
    start : str
        The P-SCP start (or random selection) the reported design came from.
    pscp_iterations : int
        P-SCP iterations of that start.
    pscp_stop : str
        "start:stop_reason" of every P-SCP run ("start:reference" when reused).
    companions : dict
        For random_aa: the other label's design ({"random_aa_median": ...} or {"random_aa_best": ...}).
    """

    scheme: str
    power_dbm: float
    secrecy_target: float
    selected: np.ndarray          # int8 (N,)
    w: np.ndarray                 # (N,) complex, sqrt(mW)
    rs: np.ndarray                # (N, N) complex, mW
    alpha: float                  # mW
    matching_error: float         # normalised by P
    gamma_e: float
    user_sinr: float
    eve_sinr: np.ndarray
    secrecy_rate: float
    feasible: bool
    solver_status: str
    sensing_beams: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), complex))
    n_sdp: int = 0
    wall_time_s: float = 0.0
    used_reference: bool = False
    start: str = ""
    pscp_iterations: int = 0
    pscp_stop: str = ""           # "start:stop_reason" of every P-SCP run ("start:reference" when reused)
    companions: dict = field(default_factory=dict)


@dataclass
class DfbsReference:
    """A scheme's designs without the secrecy constraint, with powers normalised by P (so valid at every P), one
    per candidate selection; `design` reuses them across (P, R-bar) points (docs/deviations.md S2-D6, S2-D7).

    Attributes
    ----------
    scheme : str
        The scheme (`SCHEMES`).
    params : DfbsParams
        The parameters they were computed with (`design` refuses a reference of other parameters).
    candidates : list of dict
        One per P-SCP start (aa) or selection: "start", "selection" (antenna indices), "unconstrained" (the SDP
        result) and "iterates" (the relaxed P-SCP iterates).
    n_sdp : int
        Number of SDPs solved.
    wall_time_s : float
        Wall-clock time, s.
    seed : int or None
        The seed of random_aa's selections; None if unknown.
    """

    scheme: str
    params: DfbsParams
    candidates: list  # dicts: start/label, selection, unconstrained (SdpResult), iterates (relaxed X list)
    n_sdp: int = 0
    wall_time_s: float = 0.0
    seed: int | None = None  # the seed of random_aa's selections (reference_design's `seed`); None if unknown


def no_aa_selection(params) -> np.ndarray:
    """Baseline selection: the first N_RF contiguous elements (S2-A14)."""
    return np.arange(params.n_rf)


def random_selections(params, seed: int = 0) -> list:
    """params.n_random random N_RF-subsets from the 'random_aa' stream of secure_isac.seeds."""
    g = seeds.rng(seed, 0, "random_aa")
    return [np.sort(g.choice(params.n_antennas, params.n_rf, replace=False)) for _ in range(params.n_random)]


def _start_vector(params, start: str) -> np.ndarray:
    if start == "half":
        return np.full(params.n_antennas, params.u0)
    u = np.zeros(params.n_antennas)
    u[no_aa_selection(params)] = 1.0
    return u


def _check_scheme(scheme: str) -> None:
    if not isinstance(scheme, str) or scheme not in SCHEMES + ("random_aa_best", "random_aa_median"):
        raise ValueError(f"scheme: one of {SCHEMES}, got {scheme!r}")


def _check_params(params) -> None:
    if not isinstance(params, DfbsParams):
        raise ValueError(f"params: expected DfbsParams, got {type(params).__name__}")


def _check_reference(reference, scheme: str, params, seed: int) -> None:
    """The reference must be reference_design(scheme, params, seed=seed)'s: same scheme and params, and for
    random_aa the same seed (its selections are drawn from it)."""
    if reference is None:
        return
    checks.instance("reference", reference, DfbsReference, "DfbsReference (reference_design) or None")
    if reference.scheme != scheme or reference.params != params:
        raise ValueError("reference: computed for a different scheme or params")
    if scheme == "random_aa" and reference.seed != seed:
        raise ValueError(f"reference: random_aa selections of seed {reference.seed}, but seed={seed} was asked for "
                         "(pass reference_design('random_aa', params, seed=seed))")


def reference_design(scheme: str, params: DfbsParams, *, seed: int = 0) -> DfbsReference:
    """Designs of `scheme` without the secrecy constraint, computed once; with every power normalised by P they
    hold at every P, and `design` reuses them at each (P, R-bar) point (docs/deviations.md S2-D6, S2-D7).

    Parameters
    ----------
    scheme : str
        One of `SCHEMES` ("random_aa_best" and "random_aa_median" give the random_aa reference).
    params : DfbsParams
        The scenario and algorithm parameters.
    seed : int, default 0
        Seed of random_aa's random selections (the other schemes draw nothing).

    Returns
    -------
    DfbsReference
        One candidate per P-SCP start (aa) or selection, with the number of SDPs solved.

    Raises
    ------
    ValueError
        If `scheme` is unknown, `params` is not a DfbsParams or `seed` is not an integer >= 0 (the message names
        the argument).
    """
    _check_scheme(scheme)
    _check_params(params)
    seed = checks.integer("seed", seed, minimum=0)
    scheme = "random_aa" if scheme.startswith("random_aa") else scheme
    t0 = time.perf_counter()
    cands = []
    n_sdp = 0
    if scheme == "aa":
        for start in params.pscp_starts:
            ps = run_pscp(params, 1.0, None, _start_vector(params, start))
            out = fixed_design(params, ps.selection, 1.0, None)
            n_sdp += ps.n_sdp + out.n_sdp
            cands.append(dict(start=start, selection=ps.selection, unconstrained=out.sol.result,
                              iterates=ps.iterates, pscp=ps))
    else:
        sels = {"no_aa": [no_aa_selection(params)], "full_digital": [np.arange(params.n_antennas)],
                "random_aa": random_selections(params, seed)}[scheme]
        for k, sel in enumerate(sels):
            out = fixed_design(params, sel, 1.0, None)
            n_sdp += out.n_sdp
            cands.append(dict(start=f"{scheme}#{k}", selection=sel, unconstrained=out.sol.result, iterates=[],
                              pscp=None))
    return DfbsReference(scheme, params, cands, n_sdp, time.perf_counter() - t0, seed=seed)


def _finalize(label: str, params, power_dbm: float, rbar: float, out: FixedOutcome, *, start: str = "",
              n_sdp: int = 0, used_reference: bool = False, pscp_iterations: int = 0) -> DfbsDesign:
    """Embed, reconstruct (eq. (24)), rescale to mW and re-check every constraint of the design."""
    N = params.n_antennas
    P = power_mw(power_dbm)
    noise = params.noise_mw
    sel = np.asarray(out.selection)
    selected = np.zeros(N, dtype=np.int8)
    selected[sel] = 1
    sol = out.sol
    if not sol.feasible:
        nan = np.full(N, np.nan + 1j * np.nan)
        return DfbsDesign(label, power_dbm, rbar, selected, nan, np.full((N, N), np.nan + 1j * np.nan), np.nan,
                          np.nan, np.nan, np.nan, np.full(len(params.eve_angles_deg), np.nan), np.nan, False,
                          sol.status, n_sdp=n_sdp, start=start, used_reference=used_reference,
                          pscp_iterations=pscp_iterations)
    W = np.zeros((N, N), complex)
    Rs = np.zeros((N, N), complex)
    W[np.ix_(sel, sel)] = sol.W
    Rs[np.ix_(sel, sel)] = sol.Rs
    h, G = user_channel(params), eve_channels(params)
    w_bar, W_bar, Rs_bar = rank_one_reconstruction(W, Rs, h)
    beams, Rs_psd = sensing_beams(Rs_bar)
    A = steering(params.grid_deg, N)
    d = params_desired_pattern(params)
    X = W_bar + Rs_psd
    alpha = sol.result.alpha
    L = metrics.matching_error(beampattern(X, A), d, alpha)
    w_mw, W_mw, Rs_mw = np.sqrt(P) * w_bar, P * W_bar, P * Rs_psd
    us = metrics.user_sinr(W_mw, Rs_mw, h, noise)
    es = metrics.eve_sinr(W_mw, Rs_mw, G, noise)
    raw = metrics.secrecy_rate_raw(us, es)
    tol = 1e-5
    diag = np.real(np.diag(W_mw + Rs_mw))
    checks = {
        "secrecy": raw >= rbar - 1e-6,
        "trace": abs(diag.sum() - P) <= tol * P if params.total_power == "eq" else diag.sum() <= P * (1 + tol),
        "per_antenna": bool(np.all(diag <= params.p_max_factor * P * (1 + tol) + 1e-12)),
        "unselected": bool(np.all(np.abs(diag[selected == 0]) <= tol * P)),
        "rf_chains": int(selected.sum()) <= params.n_rf or label == "full_digital",
        "psd": float(np.linalg.eigvalsh(Rs_bar).min()) >= -1e-6 * P,
    }
    failed = [k for k, v in checks.items() if not v]
    status = sol.status + ("" if not failed else " check_failed:" + ",".join(failed))
    return DfbsDesign(label, float(power_dbm), rbar, selected, w_mw, Rs_mw, P * alpha, L, sol.gamma_e, us, es,
                      metrics.secrecy_rate(us, es), not failed, status, sensing_beams=np.sqrt(P) * beams,
                      n_sdp=n_sdp, used_reference=used_reference, start=start, pscp_iterations=pscp_iterations)


def _better(a: DfbsDesign, b: DfbsDesign | None) -> bool:
    """Keep the first of equally good designs; infeasible designs lose."""
    if b is None:
        return True
    ka = a.matching_error if a.feasible else np.inf
    kb = b.matching_error if b.feasible else np.inf
    return ka < kb - 1e-9 * max(1.0, abs(kb)) if np.isfinite(kb) else np.isfinite(ka)


def design(scheme: str, params: DfbsParams, power_dbm: float, secrecy_target: float, *,
           reference: DfbsReference | None = None, seed: int = 0, plain: bool = False) -> DfbsDesign:
    """Design of one scheme at total power P and secrecy threshold R-bar (Algorithm 1: P-SCP over the antenna
    selection, 1D search over Gamma_e, one SDR per Gamma_e; docs/model.md S2-11 to S2-21).

    Parameters
    ----------
    scheme : str
        One of `SCHEMES`, or "random_aa_best" / "random_aa_median" (the design reported under that label).
    params : DfbsParams
        The scenario and algorithm parameters.
    power_dbm : float
        Total power P, dBm; P over the noise must lie within [-100, 100] dB.
    secrecy_target : float
        Secrecy-rate threshold R-bar, bit/s/Hz, finite and >= 0.
    reference : DfbsReference, optional
        `reference_design(scheme, params, seed=seed)`, reused across P and R-bar (same results, fewer SDPs).
    seed : int, default 0
        Seed of random_aa's random selections.
    plain : bool, default False
        True disables every shortcut (reference reuse, the inactive-constraint check, Gamma tracking, the P-SCP
        stationary and decided-selection stops and the unimodal skips of the Gamma_e searches).

    Returns
    -------
    DfbsDesign
        Selection (N,), w (N,) in sqrt(mW), R_s (N, N) in mW, the metrics and `feasible`; an infeasible point
        gives feasible=False with its status, never an exception.

    Raises
    ------
    ValueError
        At once, before any solve, for a bad argument: unknown scheme, wrong type, P or R-bar out of range, or a
        `reference` computed for another scheme, params or seed (the message names the argument).
    """
    _check_scheme(scheme)
    _check_params(params)
    power_dbm = checks.number("power_dbm", power_dbm)
    secrecy_target = checks.number("secrecy_target", secrecy_target)
    seed = checks.integer("seed", seed, minimum=0)
    checks.instance("plain", plain, bool, "True or False")
    P = power_mw(power_dbm)
    validate_snr(params, power_dbm)
    rbar = validate_secrecy_target(secrecy_target)
    base = "random_aa" if scheme.startswith("random_aa") else scheme
    _check_reference(reference, base, params, seed)
    if plain:
        reference = None
    t0 = time.perf_counter()
    s2 = params.noise_mw / P
    check = params.use_unconstrained_check and not plain
    use_ref = reference is not None and params.use_reference_shortcut
    unimodal = not plain
    if base == "aa":
        best = None
        stops = []
        solved: dict = {}

        def fixed(selection):
            # a selection reached by both starts (or the kept no_aa start) is solved once per design: the solve
            # depends only on its inputs (S2-D17), so the second call would return the same outcome
            key = tuple(int(i) for i in selection)
            if key in solved:
                return FixedOutcome(solved[key].selection, solved[key].sol, 0)
            solved[key] = fixed_design(params, selection, s2, rbar, check_unconstrained=check, unimodal=unimodal)
            return solved[key]

        starts = reference.candidates if use_ref else [dict(start=s) for s in params.pscp_starts]
        for cand in starts:
            start = cand["start"]
            reusable = use_ref and all(split_meets(X, user_channel(params), eve_channels(params), s2, rbar)
                                       for X in cand["iterates"])
            if reusable:
                ps = cand["pscp"]
                out = fixed_design(params, cand["selection"], s2, rbar, check_unconstrained=check,
                                   unconstrained=cand["unconstrained"], unimodal=unimodal)
                n = out.n_sdp
            else:
                ps = run_pscp(params, s2, rbar, _start_vector(params, start), check_unconstrained=check,
                              tracking=False if plain else None, stall_tol=0.0 if plain else None,
                              decided_margin=0.0 if plain else None, unimodal=unimodal)
                out = fixed(ps.selection)
                n = ps.n_sdp + out.n_sdp
            stops.append(f"{start}:{'reference' if reusable else ps.stop_reason}")
            dsg = _finalize("aa", params, power_dbm, rbar, out, start=start, n_sdp=n,
                            used_reference=reusable and out.n_sdp == 0, pscp_iterations=ps.n_iter)
            if start == "no_aa" and not np.array_equal(ps.selection, no_aa_selection(params)):
                # the start itself is a candidate: P-SCP from a feasible selection never reports a worse one
                o0 = fixed(no_aa_selection(params))
                d0 = _finalize("aa", params, power_dbm, rbar, o0, start="no_aa(start kept)", n_sdp=n + o0.n_sdp,
                               pscp_iterations=ps.n_iter)
                if _better(d0, dsg):
                    dsg = d0
                else:
                    dsg.n_sdp += o0.n_sdp
            if _better(dsg, best):
                if best is not None:
                    dsg.n_sdp += best.n_sdp
                best = dsg
            else:
                best.n_sdp += dsg.n_sdp
        best.wall_time_s = time.perf_counter() - t0
        best.pscp_stop = ",".join(stops)
        return best
    if base == "random_aa":
        cands = reference.candidates if use_ref else [dict(start=f"random_aa#{k}", selection=s, unconstrained=None)
                                                        for k, s in enumerate(random_selections(params, seed))]
        ds = []
        for cand in cands:
            out = fixed_design(params, cand["selection"], s2, rbar, check_unconstrained=check,
                               unconstrained=cand["unconstrained"] if use_ref else None, unimodal=unimodal)
            ds.append(_finalize("random_aa", params, power_dbm, rbar, out, start=cand["start"], n_sdp=out.n_sdp,
                                used_reference=use_ref and out.n_sdp == 0))
        key = [d.matching_error if d.feasible else np.inf for d in ds]
        order = np.argsort(key, kind="stable")
        best, med = ds[order[0]], ds[order[(len(ds) - 1) // 2]]
        if med is best:  # n_random <= 2: one design, reported under both labels (two objects, two labels)
            med = copy.copy(best)
        total = sum(d.n_sdp for d in ds)
        wall = time.perf_counter() - t0
        best.scheme, med.scheme = "random_aa_best", "random_aa_median"
        for d in (best, med):
            d.n_sdp, d.wall_time_s = total, wall
        if scheme == "random_aa_median":
            med.companions = {"random_aa_best": best}
            return med
        best.companions = {"random_aa_median": med}
        return best
    sel = no_aa_selection(params) if base == "no_aa" else np.arange(params.n_antennas)
    unc = reference.candidates[0]["unconstrained"] if use_ref else None
    out = fixed_design(params, sel, s2, rbar, check_unconstrained=check, unconstrained=unc, unimodal=unimodal)
    dsg = _finalize(base, params, power_dbm, rbar, out, start=base, n_sdp=out.n_sdp,
                    used_reference=use_ref and out.n_sdp == 0)
    dsg.wall_time_s = time.perf_counter() - t0
    return dsg
