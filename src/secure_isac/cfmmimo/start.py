"""Feasible starting points (docs/model.md, feasible start and phase 1): random 50/50 modes with scaled equal
power, phase-1 fallback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..convex import Attempt, Retry, compiled, forget_solver_state, solve
from ..startup import cvx
from .baseline import equal_power
from .closed_forms import NormalizedChannel, design_eve_sinr, masr, masr_coherent, sinr_eve, sinr_eve_coherent, sinr_ue
from .closed_forms import evaluate_iterate as evaluate  # the optimisers' own iterates: no argument checks
from .clusters import pair_indices, serve_every_ue
from .feasibility import is_feasible
from .options import SolverOptions
from .params import SystemParams
from .sca import guarded_linear_rows, linear_rows
from .solvers import solver_opts

C_GRID = 10.0 ** (-0.1 * np.arange(61))  # comm scaling c in {1, 10^-0.1, ..., 10^-6}, largest first
COMM_FLOOR = 1e-3  # phase-1 comm floor on drawn C-APs, as a fraction of the equal-power share


@dataclass
class Start:
    """A starting point (a, s, q) or, if `a` is None, the infeasible marker; `a_draw` is the random mode draw."""

    a: np.ndarray | None
    s: np.ndarray | None
    q: np.ndarray | None
    a_draw: np.ndarray | None
    method: str  # "random", "phase1", "cp_solution" or "infeasible: <reason>"
    solver_time_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.a is not None


def draw_modes(M: int, rng: np.random.Generator) -> np.ndarray:
    """One Bernoulli(0.5) AP-mode draw, rejecting all-C-AP and all-S-AP draws (docs/deviations.md S1-O5)."""
    if M < 2:
        raise ValueError(f"M: need at least 2 APs for a mixed C-AP/S-AP draw, got {M}")
    while True:
        a = (rng.random(M) < 0.5).astype(np.int8)
        if 0 < a.sum() < M:
            return a


def _draw(ch: NormalizedChannel, rng: np.random.Generator) -> np.ndarray:
    """draw_modes; with user-centric clusters completed so that every UE has a C-AP in its cluster
    (clusters.serve_every_ue: the UE's strongest AP; docs/model.md 1.23)."""
    a = draw_modes(ch.b.shape[0], rng)
    return a if ch.serving is None else serve_every_ue(a, ch.serving)


def all_c_start(ch: NormalizedChannel, params: SystemParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All-C-AP start for problems without the MASR constraint (CP's start when nu = inf as well, the phase-1
    replacement otherwise): Ngo's equal power scaled by the largest c <= 1 meeting Eve <= nu (c = 1 for
    nu = inf). Without sensing power Eve's SINR is linear in c (its denominator is the noise alone), so
    c = min(1, nu / max_l SINR_l(c = 1)) exactly. Returns (a int8, s, q)."""
    a = np.ones(ch.b.shape[0], dtype=np.int8)
    s, q = equal_power(a, ch)
    if params.eve_constraint:
        eve = design_eve_sinr(evaluate(s, q, ch, params))
        if eve > params.nu_lin:
            s = (params.nu_lin / eve) * s
    return a, s, q


def _sensing_forms(combining: str):
    """(Eve SINR, MASR) closed forms of a sensing-combining model: (17)/(12) or their coherent forms (S1-61)."""
    if combining == "coherent":
        return sinr_eve_coherent, masr_coherent
    if combining != "noncoherent":
        raise ValueError(f"combining: must be 'noncoherent' or 'coherent', got {combining!r}")
    return sinr_eve, masr


def cp_mode_draws(ch: NormalizedChannel, params: SystemParams, rng: np.random.Generator, options: SolverOptions,
                  combining: str = "noncoherent"):
    """CP's random start (docs/deviations.md S1-O5): up to max_draws mode draws, each with equal power scaled by the
    largest c in C_GRID meeting Eve <= nu and MASR >= kappa. Returns (a, s, q, first_draw); a is None if no draw works.
    combining="coherent": the draws are tested with the coherent closed forms (the coherent design, S1-O21).

    With both constraints off (nu = inf, kappa_db = -inf: Ngo's max-min problem) sensing power only adds
    interference to the UEs, so no mode is drawn (rng is not used): the start is `all_c_start`. With a finite nu
    the draws stay (the MASR test then always passes): sensing power jams the eavesdroppers (it enters the
    denominator of eq. (17)), and an all-C-AP start gave CP designs with a markedly lower min UE SINR there
    (docs/ngo-special-case.md)."""
    eve_form, masr_form = _sensing_forms(combining)
    if not params.masr_constraint and not params.eve_constraint:
        a, s, q = all_c_start(ch, params)
        return a, s, q, a
    first = None
    for _ in range(options.max_draws):
        a = _draw(ch, rng)
        if first is None:
            first = a
        s, q = equal_power(a, ch)
        if ch.serving is not None:  # user-centric clusters: the same test in O(M L^2) per draw
            ok = scaled_draw_ok(s, q, ch, params)
        else:
            # only the two tested metrics, by the functions `evaluate` uses (the UE SINRs of 61 scalings cost 4x more)
            cs = C_GRID[:, None, None] * s
            ok = ((_eve_sinr_batch(cs, q, ch, combining) <= params.nu_lin)
                  & (np.min(masr_form(cs, q, ch), axis=-1) >= params.kappa))
        if ok.any():
            return a, C_GRID[int(np.argmax(ok))] * s, q, first
    return None, None, None, first


def _eve_sinr_batch(s, q, ch: NormalizedChannel, combining: str = "noncoherent") -> np.ndarray:
    """The Eve SINR bounded by CP for a batch of points (...,M,K): max_l SINR_l (17) (or its coherent form), or over
    the guarded positions of the eavesdropper extension (eavesdroppers.eve_level)."""
    if ch.eve is None:
        return np.max(_sensing_forms(combining)[0](s, q, ch), axis=-1)
    from .eavesdroppers import eve_level, eve_sinr

    return eve_level(eve_sinr(s, q, ch.eve.guarded_for(combining), combining), ch.eve.collusion)


def scaled_draw_ok(s, q, ch: NormalizedChannel, params: SystemParams) -> np.ndarray:
    """(len(C_GRID),) bool: Eve SINR <= nu and MASR >= kappa at (c s, q) for every c of C_GRID, from the loads:
    with A_l = sum_m z_ml S_m, SINR_l(c) = c A_l / E_l and MASR_l(c) = Q_l / (c A_l + C'_l) (eqs. (17), (12)), so
    each metric costs O(M L^2) once instead of a closed-form evaluation of every scaled (M, K) design (used with
    user-centric clusters, where M K is large; docs/model.md 1.23)."""
    S = np.asarray(s, dtype=float).sum(axis=-1)
    A = ch.z.T @ S
    leak = np.sum(ch.G_hat * np.asarray(q, dtype=float)[:, None, :], axis=-1)  # (M, L)
    E = np.sum(ch.z * leak, axis=0) + 1.0
    Q = ch.N * np.sum(ch.z * q, axis=0)
    off = np.sum(ch.z * (leak - np.diagonal(ch.G_hat, axis1=-2, axis2=-1) * q), axis=0)
    c = C_GRID[:, None]
    eve = c * A / E
    with np.errstate(divide="ignore", invalid="ignore"):
        ms = np.where(Q > 0, Q / (c * A + off), 0.0)
    return (np.max(eve, axis=-1) <= params.nu_lin) & (np.min(ms, axis=-1) >= params.kappa)


class _Phase1:
    """Phase-1 LP (docs/deviations.md S1-O5): maximise the smallest scaled MASR margin under the exact linear rows of
    docs/model.md (effective-power reformulation)."""

    def __init__(self, M: int, K: int, L: int, R: int | None = None):
        R = L if R is None else int(R)  # Eve rows: the L zone centres, or the guarded positions (extension, S1-P25)
        self.a = cvx.Variable(M)
        self.s = cvx.Variable((M, K), nonneg=True)
        self.q = cvx.Variable((M, L), nonneg=True)
        self.m = cvx.Variable()
        self.floor = cvx.Parameter((M, K), nonneg=True)
        self.eA = cvx.Parameter((R, M), nonneg=True)
        self.eQ = [cvx.Parameter((M, L), nonneg=True) for _ in range(R)]
        self.eC = cvx.Parameter(R, nonneg=True)
        self.mQ = [cvx.Parameter((M, L)) for _ in range(L)]
        self.mW = cvx.Parameter((L, M), nonneg=True)
        S = cvx.sum(self.s, axis=1)
        cons = [S <= self.a, cvx.sum(self.q, axis=1) <= 1 - self.a, self.a >= 0, self.a <= 1, self.s >= self.floor,
                self.m <= 1,
                self.eA @ S <= cvx.hstack([cvx.sum(cvx.multiply(self.eQ[l], self.q)) for l in range(R)]) + self.eC,
                cvx.hstack([cvx.sum(cvx.multiply(self.mQ[l], self.q)) for l in range(L)]) - self.mW @ S >= self.m]
        self.problem = cvx.Problem(cvx.Maximize(self.m), cons)

    def set(self, ch: NormalizedChannel, params: SystemParams, a_draw) -> None:
        """Parameter values for this layout (rows scaled as in sca._Subproblem.set_channel)."""
        eA, eQ, eC, mQ, mW = linear_rows(ch, params.nu_lin, params.kappa)
        if ch.eve is not None:
            eA, eQ, eC = guarded_linear_rows(ch, params.nu_lin)
        self.eA.value, self.eC.value, self.mW.value = eA, eC, mW
        for l in range(len(eQ)):
            self.eQ[l].value = eQ[l]
        for l in range(len(mQ)):
            self.mQ[l].value = mQ[l]
        s_eq, _ = equal_power(a_draw, ch)
        self.floor.value = COMM_FLOOR * s_eq

    def s_value(self) -> np.ndarray:
        return self.s.value


class _Phase1Clustered:
    """The phase-1 LP of _Phase1 with user-centric clusters (docs/model.md 1.23), built for one layout: comm powers
    only on the K C served pairs (loads S = H s_pairs), and the Eve and MASR rows on the per-AP leaks y = G_hat q
    (sca_clustered.aggregated_rows, the same rows as linear_rows), so that no row is dense in the M L sensing
    powers."""

    def __init__(self, ch: NormalizedChannel):
        self.ap, self.ue = pair_indices(ch.serving)
        self.shape = ch.b.shape

    def set(self, ch: NormalizedChannel, params: SystemParams, a_draw) -> None:
        import scipy.sparse as sps

        from .sca_clustered import aggregated_rows

        M, L = ch.z.shape
        n = self.ap.size
        eA, eY, eC, mq, my, mW = aggregated_rows(ch, params.nu_lin, params.kappa)
        s_eq, _ = equal_power(a_draw, ch)
        self.a = cvx.Variable(M)
        self.sp = cvx.Variable(n, nonneg=True)
        self.q = cvx.Variable((M, L), nonneg=True)
        self.m = cvx.Variable()
        y = cvx.Variable((M, L))
        S = sps.csr_array((np.ones(n), (self.ap, np.arange(n))), shape=(M, n)) @ self.sp
        leak = cvx.hstack([cvx.reshape(cvx.sum(cvx.multiply(ch.G_hat[:, l, :], self.q), axis=1), (M, 1), order="C")
                           for l in range(L)])
        cons = [S <= self.a, cvx.sum(self.q, axis=1) <= 1 - self.a, self.a >= 0, self.a <= 1,
                self.sp >= COMM_FLOOR * s_eq[self.ap, self.ue], self.m <= 1, y == leak,
                eA @ S <= cvx.hstack([eY[l] @ y[:, l] for l in range(L)]) + eC,
                cvx.hstack([mq[l] @ self.q[:, l] - my[l] @ y[:, l] for l in range(L)]) - mW @ S >= self.m]
        self.problem = cvx.Problem(cvx.Maximize(self.m), cons)

    def s_value(self) -> np.ndarray:
        s = np.zeros(self.shape)
        s[self.ap, self.ue] = self.sp.value
        return s


def phase1_start(ch: NormalizedChannel, params: SystemParams, a_draw, options: SolverOptions) -> Start:
    """Phase-1 start (docs/deviations.md S1-O5) from the comm floor on the drawn C-APs; infeasible marker if
    MASR >= kappa fails.

    Without the MASR constraint there is nothing to restore: the start is `all_c_start` (method "all_c"), which
    meets Eve <= nu by its exact scaling."""
    if not params.masr_constraint:
        a, s, q = all_c_start(ch, params)
        return Start(a.astype(float), s, q, a, "all_c")
    M, K = ch.b.shape
    L = ch.z.shape[1]
    if ch.serving is not None:  # user-centric clusters: comm powers on the served pairs only (one LP per layout)
        p1 = _Phase1Clustered(ch)
    else:
        R = L if ch.eve is None else L * ch.eve.guarded.n_positions
        key = ("phase1", M, K, L) + (() if R == L else (R,))
        p1 = compiled(key, lambda: _Phase1(M, K, L, R))
    p1.set(ch, params, a_draw)
    # no warm start from the previous layout's solve: a start depends only on its own inputs
    forget_solver_state(p1.problem)
    attempt = Attempt(options.solver, solver_opts(options.solver, options.solver_eps), warm_start=False)
    out = solve(p1.problem, [attempt], Retry(errors=(cvx.SolverError,)))
    if out.error is not None:
        return Start(None, None, None, a_draw, f"infeasible: phase-1 solver error ({str(out.error).splitlines()[0]})")
    stime = out.solve_time
    if not out.ok:
        return Start(None, None, None, a_draw, f"infeasible: phase-1 status {p1.problem.status}", stime)
    if p1.m.value < -1e-9:
        return Start(None, None, None, a_draw, f"infeasible: phase-1 MASR margin {float(p1.m.value):.3g} < 0", stime)
    a = np.clip(p1.a.value, 0.0, 1.0)
    s = np.maximum(p1.s_value(), 0.0)
    q = np.maximum(p1.q.value, 0.0)
    return Start(a, s, q, a_draw, "phase1", stime)


def relaxed_start(ch: NormalizedChannel, params: SystemParams, rng: np.random.Generator,
                  options: SolverOptions) -> Start:
    """cp_paper's start with SolverOptions.paper_start = "relaxed" (docs/deviations.md S1-O30): a random feasible point
    of the relaxed problem, as the paper's "randomly generated feasible point" reads, instead of a binary draw.

    Up to max_draws draws of fractional modes a_m ~ U(0, 1) (M numbers from `rng` per draw), each with the powers
    on the paper's budgets (paper_sca.budget_powers: (21d) and (21e) with equality at a0 = a), the communication part
    scaled by the largest c in C_GRID meeting Eve <= nu and MASR >= kappa (as cp_mode_draws); then the phase-1 LP
    from the first draw (its comm floor is 1e-3 of the first draw's powers on every AP). Method "relaxed" or
    "phase1"; a_draw is the first draw rounded at 0.5 (the modes an infeasible marker records)."""
    from .paper_sca import budget_powers

    M, L = ch.b.shape[0], ch.z.shape[1]
    first = None
    for _ in range(options.max_draws):
        a = rng.random(M)
        if first is None:
            first = a
        s, q = budget_powers(a, ch.g, L)
        cs = C_GRID[:, None, None] * s
        ok = ((_eve_sinr_batch(cs, q, ch) <= params.nu_lin)
              & (np.min(masr(cs, q, ch), axis=-1) >= params.kappa))
        if ok.any():
            return Start(a, C_GRID[int(np.argmax(ok))] * s, q, (first >= 0.5).astype(np.int8), "relaxed")
    start = phase1_start(ch, params, first, options)
    start.a_draw = (first >= 0.5).astype(np.int8)
    return start


def feasible_start(kind: str, ch: NormalizedChannel, params: SystemParams, rng: np.random.Generator,
                   options: SolverOptions, cp_fallback=None, combining: str = "noncoherent",
                   restore: Callable[..., Start] | None = None) -> Start:
    """Feasible start (docs/deviations.md S1-O5) for "cp" (random draws, then phase 1) or "sp" (random draws, then
    `cp_fallback()`, a callable returning a CP Design whose point seeds SP if it meets SP's constraints).
    combining="coherent" (the coherent design, docs/deviations.md S1-O21): draws tested with the coherent closed forms,
    and CP's phase-1 start handed to `restore(ch, params, first_draw, start, options)` (coherent_sca.
    coherent_phase1, passed in by design.py), which makes it meet the coherent constraints."""
    if combining == "coherent" and kind == "cp" and restore is None:
        raise ValueError("restore: the coherent design's start needs its restoring step (coherent_sca."
                         "coherent_phase1)")
    _, masr_form = _sensing_forms(combining)
    if kind == "cp":
        a, s, q, first = cp_mode_draws(ch, params, rng, options, combining)
        if a is not None:
            return Start(a.astype(float), s, q, a, "all_c" if a.all() else "random")
        if restore is not None:
            return restore(ch, params, first, phase1_start(ch, params, first, options), options)
        return phase1_start(ch, params, first, options)
    if kind != "sp":
        raise ValueError(f"kind: must be 'cp' or 'sp', got {kind!r}")
    first = None
    for _ in range(options.max_draws):
        a = _draw(ch, rng)
        if first is None:
            first = a
        s, q = equal_power(a, ch)
        if (np.min(sinr_ue(s, q, ch, form=params.ue_sinr_form)) >= params.varsigma
                and np.min(masr_form(s, q, ch)) >= params.kappa):
            return Start(a.astype(float), s, q, a, "random")
    if cp_fallback is None:
        return Start(None, None, None, first, "infeasible: no random SP start and no CP fallback")
    d = cp_fallback()
    # the CP design's MASR constraint is active at its optimum: an accurate solve puts it on the boundary to round-off,
    # so SP's constraints are tested by the feasibility check (S1-O8) that SP's own iterates get, with its tolerance
    if d.feasible and is_feasible("sp", d.ap_mode, d.power_c, d.power_s, d.metrics, params, options.feas_tol):
        return Start(d.ap_mode.astype(float), d.power_c.copy(), d.power_s.copy(), first, "cp_solution",
                     d.solver_time_s)
    return Start(None, None, None, first, f"infeasible: CP fallback start not SP-feasible ({d.solver_status})",
                 d.solver_time_s)
