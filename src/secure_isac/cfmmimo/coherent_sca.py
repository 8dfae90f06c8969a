"""Designs that optimise under coherent AP combining of the sensing beams (not in the paper; docs/extensions/
coherent-sensing.md, docs/model.md S1-68..S1-72, docs/deviations.md S1-O20 to S1-O22).

Under the literal deterministic LoS model (docs/deviations.md S1-P21, docs/model.md S1-61) the sensing beams of the APs
add with their phases at a zone. With the sensing amplitudes v_ml = sqrt(q_ml) and the complex coefficients
amp[m, l, l'] = sqrt(z_ml) C_hat_mll' (C_hat = a_N^H(theta_ml) a_N(theta_ml') / sqrt(N)):

    P_ll'(v) = |sum_m amp[m, l, l'] v_ml'|^2      (convex quadratic of v; P_ll = N (sum_m sqrt(z_ml) v_ml)^2)
    Eve:  A_l <= nu (sum_l' P_ll'(v) + 1)          MASR: P_ll(v) >= kappa (A_l + sum_{l' != l} P_ll'(v))

with A_l = sum_m z_ml S_m (the communication leak stays non-coherent). Both are differences of convex functions of
(S, v). The SCA keeps the convex side and replaces each convex function that must be bounded below by its tangent at
the current point v0, P(v) >= 2 Re(conj(p0) amp) . v - |p0|^2 (p0 = amp . v0): an inner approximation, tight at v0,
so every iterate meets the exact coherent constraints (`coherent_rows`). The rest is the corrected surrogate of
docs/model.md 1.9-1.10 with q = v^2 and a sensing-load cone r_m >= sum_l v_ml^2 in place of sum_l q_ml (exact: the
UE rows and the budget prefer a smaller load). The penalty loop, rounding and repair (penalty.py, repair.py) are
those of the corrected surrogate, with every closed form evaluated coherently; the start (`coherent_phase1`) adds a
phase 1 in v when no random mode draw meets the coherent constraints.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..convex import Attempt, Retry, compiled, forget_solver_state, solve
from ..startup import cvx
from .baseline import equal_power
from .clarabel_fast import ClarabelFastPath
from .closed_forms import NormalizedChannel
from .closed_forms import evaluate_iterate as evaluate  # the optimisers' own iterates: no argument checks
from .corrected import CorrectedSurrogate
from .feasibility import constraint_margins
from .repair import round_and_repair
from .results import Design
from .sca import SubSolution, _Subproblem, decoupled_fixed_mode
from .solvers import solver_opts
from .start import COMM_FLOOR, Start

Y0_FLOOR = 1e-150  # guard of the MASR row scale 1/(N y0^2) at a point without sensing power towards a zone


@dataclass(frozen=True)
class CoherentRows:
    """Row-scaled coefficients of the linearised coherent Eve and MASR constraints at v0 (docs/model.md S1-69, S1-70).

    Eve row l (CP), true at v iff A_l <= nu (T_l(v) + 1), T_l = tangent of sum_l' P_ll' at v0:
        eA[l] @ S <= sum_{m,l'} eV[l, m, l'] v_ml' + eC[l]                  (divided by nu E0_l)
    MASR row l, true at v iff kappa (A_l + sum_{l' != l} P_ll'(v)) <= N (2 y0_l y_l - y0_l^2),
    y_l = sum_m sqrt(z_ml) v_ml:
        mW[l] @ S + sum_{l' != l} |mX[l, l'] . v_:l'|^2 <= mY[l] @ v_:l - mC[l]   (divided by N y0_l^2)
    E0_l = sum_l' P_ll'(v0) + 1 (the coherent Eve denominator at v0); y0 = y(v0). nu = inf: eA = eV = 0, eC = 1;
    kappa = 0: every MASR coefficient 0 (rows 0 <= 0)."""

    eA: np.ndarray  # (L, M) >= 0
    eV: np.ndarray  # (L, M, L) real, signed
    eC: np.ndarray  # (L,) signed
    E0: np.ndarray  # (L,)
    mW: np.ndarray  # (L, M) >= 0
    mY: np.ndarray  # (L, M) >= 0
    mX: np.ndarray  # (L, L, M) complex, zero for l' = l
    mC: np.ndarray  # (L,) >= 0


def beam_amplitudes(ch: NormalizedChannel) -> np.ndarray:
    """amp[m, l, l'] = sqrt(z_ml) C_hat_mll' (M, L, L), complex: P_ll'(v) = |sum_m amp[m, l, l'] v_ml'|^2 is the power
    of zone l''s sensing beam at zone l under coherent AP combining (docs/model.md S1-61, S1-68)."""
    if ch.C_hat is None:
        raise ValueError("ch: the coherent design needs C_hat (build the channel with closed_forms.normalize)")
    return np.sqrt(ch.z)[:, :, None] * ch.C_hat


def coherent_powers(amp: np.ndarray, v) -> np.ndarray:
    """p[l, l'] = sum_m amp[m, l, l'] v_ml' (complex amplitudes at the zones, (L, L)); |p|^2 = P (S1-68)."""
    return np.einsum("mlj,mj->lj", amp, np.asarray(v, dtype=float))


def coherent_rows(ch: NormalizedChannel, q0, nu: float, kappa: float, amp: np.ndarray | None = None) -> CoherentRows:
    """The linearised coherent Eve and MASR rows at the sensing powers q0 (M, L) (docs/model.md S1-69, S1-70;
    `CoherentRows` gives the row forms). Tangent of each convex P at v0 = sqrt(q0):
    P(v) >= 2 Re(conj(p0) amp) . v - |p0|^2, equal at v0; so each linearised row implies the exact one and is
    tight at v0."""
    amp = beam_amplitudes(ch) if amp is None else amp
    z = ch.z
    M, L = z.shape
    v0 = np.sqrt(np.maximum(np.asarray(q0, dtype=float), 0.0))
    p0 = coherent_powers(amp, v0)  # (L, L')
    P0 = np.abs(p0) ** 2
    E0 = P0.sum(axis=1) + 1.0
    if np.isinf(nu):
        eA, eV, eC = np.zeros((L, M)), np.zeros((L, M, L)), np.ones(L)
    else:
        grad = 2.0 * np.real(np.conj(p0)[None, :, :] * amp)  # (M, L, L'): gradient of P_ll' in v_:l'
        eA = (z / (nu * E0)).T
        eV = np.transpose(grad, (1, 0, 2)) / E0[:, None, None]
        eC = (1.0 - P0.sum(axis=1)) / E0
    if kappa == 0.0:
        mW, mY, mX, mC = np.zeros((L, M)), np.zeros((L, M)), np.zeros((L, L, M), dtype=complex), np.zeros(L)
    else:
        sz = np.sqrt(z)
        y0 = np.maximum(np.sum(sz * v0, axis=0), Y0_FLOOR)  # (L,)
        sc = 1.0 / (ch.N * y0**2)
        mW = (kappa * z * sc).T
        mY = (2.0 * sz / y0).T
        off = 1.0 - np.eye(L)
        mX = np.sqrt(kappa * sc)[:, None, None] * np.transpose(amp, (1, 2, 0)) * off[:, :, None]
        mC = np.ones(L)
    return CoherentRows(eA, eV, eC, E0, mW, mY, mX, mC)


def _rows_constraints(par, L: int, M: int, v, load, margin=None):
    """cvxpy pieces of the linearised rows: the Eve right-hand sides e (L,) and the MASR constraints
    mW[l] @ load + sum_l' |mX[l, l'] . v_:l'|^2 (+ margin) <= mY[l] @ v_:l - mC[l] (`CoherentRows`)."""
    eV = [par(f"eV{l}", (M, L)) for l in range(L)]
    e = cvx.hstack([cvx.sum(cvx.multiply(eV[l], v)) for l in range(L)]) + par("eC", L)
    mW, mY, mC = par("mW", (L, M), nonneg=True), par("mY", (L, M), nonneg=True), par("mC", L, nonneg=True)
    cons = []
    for l in range(L):
        lhs = mW[l] @ load
        cross = [par(f"m{part}{l}_{j}", M) @ v[:, j] for j in range(L) if j != l for part in ("R", "I")]
        if cross:
            lhs = lhs + cvx.sum_squares(cvx.hstack(cross))
        if margin is not None:
            lhs = lhs + margin
        cons.append(lhs <= mY[l] @ v[:, l] - mC[l])
    return e, cons


def _rows_values(rows: CoherentRows, eA: np.ndarray, c_aps=None) -> dict[str, np.ndarray]:
    """Parameter values of `_rows_constraints` (and "eA") from `rows`; c_aps (bool (M,)): the C-APs of a decoupled
    fixed-mode step, whose sensing coefficients are set to 0 (and the comm coefficients of the S-APs)."""
    L = rows.eC.shape[0]
    eV, mY, mX = rows.eV, rows.mY, rows.mX
    if c_aps is not None:
        s_aps = ~c_aps
        eA = np.where(s_aps[None, :], 0.0, eA)
        eV = np.where(c_aps[None, :, None], 0.0, eV)
        mY = np.where(c_aps[None, :], 0.0, mY)
        mX = np.where(c_aps[None, None, :], 0.0, mX)
    out = {"eA": eA, "eC": rows.eC, "mC": rows.mC, "mY": mY,
           "mW": rows.mW if c_aps is None else np.where(~c_aps[None, :], 0.0, rows.mW)}
    for l in range(L):
        out[f"eV{l}"] = eV[l]
        for j in range(L):
            if j != l:
                out[f"mR{l}_{j}"] = np.real(mX[l, j])
                out[f"mI{l}_{j}"] = np.imag(mX[l, j])
    return {k: np.asarray(v, dtype=float) for k, v in out.items()}


class _CoherentSubproblem(_Subproblem):
    """The CP or SP subproblem of the coherent design for one shape (docs/model.md S1-71): the corrected surrogate's
    UE rows, budgets, load cone and penalty (S1-19, S1-22 - S1-29) in (a, u, w) and the sensing amplitudes v, with the
    sensing-load cone r_m >= sum_l v_ml^2 and the linearised coherent Eve and MASR rows (`coherent_rows`). A DPP
    cvxpy problem built once per (kind, M, K, L, ue_sinr_form); solved by sca._Subproblem.solve (CLARABEL fast path,
    cvxpy fallback)."""

    def __init__(self, kind: str, M: int, K: int, L: int, form: str):
        if kind not in ("cp", "sp"):
            raise ValueError(f"kind: must be 'cp' or 'sp', got {kind!r}")
        self.kind, self.shape, self.form, self.u_rows = kind, (M, K, L), form, True
        P: dict[str, cvx.Parameter] = {}

        def par(name, shape=(), nonneg=False):
            P[name] = cvx.Parameter(shape, name=name, nonneg=nonneg)
            return P[name]

        a = cvx.Variable(M, name="a")
        u = cvx.Variable((M, K), name="u")
        w = cvx.Variable(M, name="w")  # comm load S_m >= sum_k u_mk^2
        v = cvx.Variable((M, L), name="v")  # sensing amplitudes, q = v^2
        r = cvx.Variable(M, name="r")  # sensing load >= sum_l v_ml^2
        tau = cvx.Variable(name="tau")
        self.var = {"a": a, "u": u, "w": w, "v": v, "r": r, "tau": tau}
        # v >= 0 is needed (unlike u in the large form): the cross terms |mX . v|^2 would reward a negative amplitude
        cons = [u >= 0, w >= 0, v >= 0, tau >= 0]
        wa, wb = par("wa", M, nonneg=True), par("wb", M, nonneg=True)
        qa, qb = par("qa", M, nonneg=True), par("qb", M, nonneg=True)
        cons += [w <= cvx.multiply(wa, a) + wb, r <= qb - cvx.multiply(qa, a), a >= par("a_lo", M),
                 a <= par("a_hi", M)]
        cons.append(cvx.SOC(w + 1, cvx.hstack([2 * u, cvx.reshape(w - 1, (M, 1), order="C")]), axis=1))
        cons.append(cvx.SOC(r + 1, cvx.hstack([2 * v, cvx.reshape(r - 1, (M, 1), order="C")]), axis=1))
        lin = cvx.hstack([par(f"cx{k}", M, nonneg=True) @ u[:, k] for k in range(K)])
        bq, one = par("bq", (M, K), nonneg=True), par("one", K, nonneg=True)
        if form == "corrected":
            dk = par("bs", (M, K), nonneg=True).T @ w + bq.T @ r + one
        else:  # printed eq. (9) (S1-29)
            vi = cvx.Variable(name="vi")
            self.var["vi"] = vi
            cons.append(vi >= 0)
            sqb = par("sqb", (M, K), nonneg=True)
            cons.append(cvx.SOC(vi + 1, cvx.hstack([cvx.vec(2 * cvx.multiply(sqb, u), order="C"),
                                                  cvx.reshape(vi - 1, (1,), order="C")])))
            dk = bq.T @ r + cvx.multiply(par("vc", K, nonneg=True), vi) + one
        if kind == "cp":
            cons.append(lin - cvx.multiply(par("rt", K, nonneg=True), tau) >= dk)
        else:
            cons.append(lin - par("cst", K, nonneg=True) >= dk)
        e, masr_rows = _rows_constraints(par, L, M, v, w)
        eA = par("eA", (L, M), nonneg=True)
        if kind == "cp":
            cons.append(eA @ w <= e)
        else:  # S1-27 with the linearised coherent denominator: A_l <= W_l^2 <= t e_l
            W = cvx.Variable(L, name="W")
            self.var["W"] = W
            cons += [W >= 0, eA @ w <= 2 * W - 1,
                     cvx.SOC(tau + e, cvx.vstack([2 * cvx.reshape(W, (1, L), order="C"),
                                                  cvx.reshape(tau - e, (1, L), order="C")]), axis=0)]
        cons += masr_rows
        pen, tc = par("pen", M), par("tc", nonneg=True)
        obj = cvx.Maximize(tc * tau - pen @ a) if kind == "cp" else cvx.Minimize(tc * tau + pen @ a)
        self.P = P
        self.problem = cvx.Problem(obj, cons)
        self.fast = ClarabelFastPath(self.problem, self.var, self.P)
        self._vals: dict[str, np.ndarray] = {}

    def set_channel(self, ch: NormalizedChannel, nu: float, kappa: float) -> None:
        """Layout data and constraint levels; a fresh solver state (a run depends only on its inputs)."""
        self.fast.reset()
        forget_solver_state(self.problem)
        self._ch, self._nu, self._kappa = ch, nu, kappa
        self._amp = beam_amplitudes(ch)
        self._sqrtNg = np.sqrt(ch.N * ch.g)
        self._b, self._z = ch.b, ch.z

    def set_point(self, a0, s0, q0, t0: float, lam: float, a_lo, a_hi, varsigma: float, fixed=None) -> None:
        """Parameters at the current point (a0, s0, q0), objective t0 and penalty lam; the UE rows, budgets and
        penalty as sca._Subproblem.set_point (S1-24, S1-26, S1-23), the Eve and MASR rows from `coherent_rows`.
        fixed: binary modes of a decoupled fixed-mode step (docs/deviations.md S1-O13 (i)): the comm coefficients of the
        S-APs and the sensing coefficients of the C-APs are 0, the budgets w <= 1, r <= 1, a free in [0, 1]."""
        (M, K, L) = self.shape
        rows = coherent_rows(self._ch, q0, self._nu, self._kappa, self._amp)
        x0 = np.sum(self._sqrtNg * np.sqrt(np.maximum(s0, 0.0)), axis=0)
        qtot0 = q0.sum(axis=1)
        if self.form == "corrected":
            d0 = self._b.T @ (s0.sum(axis=1) + qtot0) + 1.0
        else:
            d0 = self._b.T @ qtot0 + np.sum(self._b * s0) + 1.0
        vals: dict[str, np.ndarray] = {}
        if self.kind == "cp":
            r = x0 / t0
            sig = 1.0 / d0
            cx = 2.0 * (sig * r) * self._sqrtNg
            vals["rt"] = sig * r**2 * t0
            eA = rows.eA
        else:
            sig = 1.0 / (varsigma * d0)
            cx = 2.0 * (sig * x0) * self._sqrtNg
            vals["cst"] = sig * x0**2
            sig = sig * varsigma
            eA = (self._z / (t0 * rows.E0)).T
        c_aps = None if fixed is None else np.asarray(fixed, dtype=float) > 0.5
        s_aps = None if c_aps is None else ~c_aps
        if s_aps is not None:
            cx = np.where(s_aps[:, None], 0.0, cx)
        for k in range(K):
            vals[f"cx{k}"] = cx[:, k]
        bq = self._b * sig
        if self.form == "corrected":
            vals["bs"] = bq if s_aps is None else np.where(s_aps[:, None], 0.0, bq)
        else:
            v0 = max(float(np.sum(self._b * s0)), 1e-12)
            sqb = np.sqrt(self._b / v0)
            vals["sqb"] = sqb if s_aps is None else np.where(s_aps[:, None], 0.0, sqb)
            vals["vc"] = sig * v0
        vals["bq"] = bq if c_aps is None else np.where(c_aps[:, None], 0.0, bq)
        vals["one"] = sig
        vals.update(_rows_values(rows, eA, c_aps))
        vals["tc"] = t0 / (t0 + lam)
        vals["pen"] = (lam / (t0 + lam)) * (1.0 - 2.0 * np.asarray(a0, dtype=float))
        if fixed is None:
            vals["a_lo"], vals["a_hi"] = np.asarray(a_lo, dtype=float), np.asarray(a_hi, dtype=float)
            budget = (("wa", 1.0), ("wb", 0.0), ("qa", 1.0), ("qb", 1.0))
        else:
            if lam != 0.0:
                raise ValueError(f"lam: a fixed-mode step has no penalty (lambda = 0), got {lam}")
            vals["a_lo"], vals["a_hi"] = np.zeros(M), np.ones(M)
            budget = (("wa", 0.0), ("wb", 1.0), ("qa", 0.0), ("qb", 1.0))
        for name, value in budget:
            vals[name] = np.full(M, value)
        self._vals = {k: np.asarray(v, dtype=float) for k, v in vals.items()}
        self._t0 = t0

    def _values(self, get) -> SubSolution:
        v = np.maximum(get("v"), 0.0)
        return SubSolution(a=np.clip(get("a"), 0.0, 1.0), s=np.maximum(get("u"), 0.0) ** 2, q=v**2,
                           t=float(get("tau")) * self._t0)


def subproblem(kind: str, M: int, K: int, L: int, form: str = "corrected") -> _CoherentSubproblem:
    """The cached compiled coherent subproblem for this kind and shape (built on first use, then re-used)."""
    M, K, L = int(M), int(K), int(L)
    return compiled(("coherent_sca", kind, M, K, L, form), lambda: _CoherentSubproblem(kind, M, K, L, form))


class CoherentSurrogate(CorrectedSurrogate):
    """The coherent surrogate for penalty.relaxed_sca: the corrected surrogate's point, step and fixed-mode handling
    on `_CoherentSubproblem`; the loop evaluates every iterate with the coherent closed forms (`combining`)."""

    name = "coherent"
    combining = "coherent"

    def __init__(self, kind: str, ch: NormalizedChannel, params, options):
        self.sub = subproblem(kind, params.M, params.K, params.L, params.ue_sinr_form)
        self.sub.set_channel(ch, params.nu_lin, params.kappa)
        self.varsigma, self.options = params.varsigma, options
        self.decoupled = decoupled_fixed_mode(params.M, params.K, options.pinned_form_max_mk)


# --- phase 1 under coherent combining ---------------------------------------------------------------------------
PHASE1_MAX_ITER = 30
PHASE1_TARGET = 0.5  # margin at which the phase-1 SCA stops early (MASR >= 2 kappa, Eve <= nu / 2 at the point)
PHASE1_TOL = 1e-3  # phase-1 SCA stops when its margin improves by less than this


class _CoherentPhase1:
    """Phase 1 of the coherent design (docs/model.md S1-72): max m s.t. the linearised coherent Eve and MASR rows
    hold with margin m (m <= 1), the linear budgets, the sensing-load cone and the comm floor; an LP in (a, s) plus
    cones in v. DPP, built once per shape."""

    def __init__(self, M: int, K: int, L: int):
        P: dict[str, cvx.Parameter] = {}

        def par(name, shape=(), nonneg=False):
            P[name] = cvx.Parameter(shape, name=name, nonneg=nonneg)
            return P[name]

        self.a, self.s = cvx.Variable(M), cvx.Variable((M, K))
        self.v, self.r, self.m = cvx.Variable((M, L)), cvx.Variable(M), cvx.Variable()
        S = cvx.sum(self.s, axis=1)
        e, masr_rows = _rows_constraints(par, L, M, self.v, S, margin=self.m)
        cons = [self.s >= par("floor", (M, K), nonneg=True), self.v >= 0, S <= self.a, self.r <= 1 - self.a,
                self.a >= 0, self.a <= 1, self.m <= 1,
                cvx.SOC(self.r + 1, cvx.hstack([2 * self.v, cvx.reshape(self.r - 1, (M, 1), order="C")]), axis=1),
                par("eA", (L, M), nonneg=True) @ S + self.m <= e, *masr_rows]
        self.P = P
        self.problem = cvx.Problem(cvx.Maximize(self.m), cons)


def coherent_margin(ch: NormalizedChannel, params, a, s, q) -> float:
    """Smallest relative margin of the relaxed CP constraints (Eve, MASR, budgets; binarity excluded) under the
    coherent closed forms (feasibility.constraint_margins): >= 0 iff (a, s, q) is a feasible CP start."""
    met = evaluate(s, q, ch, params, combining="coherent")
    m = constraint_margins("cp", a, s, q, met, params)
    m.pop("binary", None)
    return min(m.values(), default=0.0)


def coherent_phase1(ch: NormalizedChannel, params, a_draw, noncoherent: Start, options) -> Start:
    """CP start under coherent combining when no mode draw meets the coherent constraints (docs/model.md S1-72,
    docs/deviations.md S1-O21): the non-coherent phase-1 point (start.phase1_start) if it is coherently feasible, else
    the phase-1 SCA from it (or, if the non-coherent phase 1 failed, from the first draw at the comm floor with equal
    sensing power). Stops at a margin of PHASE1_TARGET, when the margin improves by less than PHASE1_TOL, or after
    PHASE1_MAX_ITER steps; the start is accepted iff its exact coherent margins are >= -1e-9."""
    if noncoherent.ok and coherent_margin(ch, params, noncoherent.a, noncoherent.s, noncoherent.q) >= -1e-9:
        return noncoherent
    if a_draw is None:
        return Start(None, None, None, None, "infeasible: no mode draw for the coherent phase 1")
    M, K = ch.b.shape
    L = ch.z.shape[1]
    s_eq, q_eq = equal_power(a_draw, ch)
    floor = COMM_FLOOR * s_eq
    if noncoherent.ok:
        a, s, q = noncoherent.a.copy(), np.maximum(noncoherent.s, floor), noncoherent.q.copy()
    else:
        a, s, q = np.asarray(a_draw, dtype=float), floor.copy(), q_eq
    p1 = compiled(("coherent_phase1", M, K, L), lambda: _CoherentPhase1(M, K, L))
    amp = beam_amplitudes(ch)
    stime, m_prev, status = 0.0, -np.inf, "max_iter"
    for it in range(1, PHASE1_MAX_ITER + 1):
        rows = coherent_rows(ch, q, params.nu_lin, params.kappa, amp)
        vals = {**_rows_values(rows, rows.eA), "floor": floor}
        for name, value in vals.items():
            p1.P[name].value = value
        forget_solver_state(p1.problem)  # a start depends only on its own inputs (docs/deviations.md S1-O9)
        out = solve(p1.problem, [Attempt(options.solver, solver_opts(options.solver, options.solver_eps),
                                         warm_start=False)], Retry(errors=(cvx.SolverError,)))
        if out.error is not None:
            status = f"solver error ({str(out.error).splitlines()[0][:120]})"
            break
        stime += out.solve_time
        if not out.ok:
            status = f"status {p1.problem.status}"
            break
        a = np.clip(p1.a.value, 0.0, 1.0)
        s = np.maximum(p1.s.value, 0.0)
        q = np.maximum(p1.v.value, 0.0) ** 2
        m = float(p1.m.value)
        if m >= PHASE1_TARGET or m - m_prev < PHASE1_TOL:
            status = f"margin {m:.3g} after {it} steps"
            break
        m_prev = m
    margin = coherent_margin(ch, params, a, s, q)
    if margin >= -1e-9:
        return Start(a, s, q, a_draw, "coherent_phase1", noncoherent.solver_time_s + stime)
    return Start(None, None, None, a_draw, f"infeasible: coherent phase 1 ({status}; margin {margin:.3g} < 0)",
                 noncoherent.solver_time_s + stime)


# --- the coherent design: two candidates ------------------------------------------------------------------------
def _better(kind: str, a: Design, b: Design) -> bool:
    """True if design `a` beats `b` on the scheme's objective: larger min UE SINR (CP), smaller max Eve SINR (SP)."""
    if kind == "cp":
        return float(np.min(a.metrics.sinr_ue)) > float(np.min(b.metrics.sinr_ue))
    return float(np.max(a.metrics.sinr_eve)) < float(np.max(b.metrics.sinr_eve))


def coherent_design(scheme: str, kind: str, ch: NormalizedChannel, params, rng: np.random.Generator, options,
                    optimised: Callable[..., Design]) -> Design:
    """The design of `scheme` (cp, sp, sp_early) optimised under coherent combining (docs/model.md S1-73,
    docs/deviations.md S1-O22): the better feasible one (`_better`) of two candidates,
      own:  the coherent penalty SCA, rounding and repair (CoherentSurrogate) from the coherent start, with a
            copy of `rng` (the stream the scheme's design would use);
      warm: the scheme's (12)/(17) design (`optimised(..., "noncoherent")`, the same design as with
            sensing_design = noncoherent, from `rng`), its modes kept and its powers re-optimised under the coherent
            model (repair.round_and_repair with CoherentSurrogate, from its point).
    The warm candidate is never worse than the (12)/(17) design when that design meets the coherent constraints (the
    fixed-mode SCA is monotone from a feasible point), and it often restores feasibility when it does not; the own
    candidate finds other modes. `optimised(scheme, ch, params, rng, options, model)` is design._optimised. Ties
    keep `own`; if neither is feasible, `own` is reported (infeasible). Metrics, feasibility and trace are those of
    the chosen candidate (coherent closed forms; the warm trace is its repair phase)."""
    rng_own = copy.deepcopy(rng)
    today = optimised(scheme, ch, params, rng, options, "noncoherent")
    own = optimised(scheme, ch, params, rng_own, options, "coherent")
    total = today.solver_time_s + own.solver_time_s
    warm = None
    if np.any(today.power_c > 0) or np.any(today.power_s > 0):  # not the empty marker of a failed start
        abs_tol = options.early_abs_tol if scheme == "sp_early" else None
        rep = round_and_repair(kind, ch, params, today.ap_mode, today.power_c, today.power_s, options,
                               abs_tol=abs_tol, surrogate=CoherentSurrogate)
        total += rep.solver_time_s
        warm = Design(scheme, np.asarray(rep.a, dtype=np.int8), rep.s, rep.q, rep.metrics, bool(rep.feasible),
                      f"coherent candidate warm (from the (12)/(17) design: {today.solver_status}): {rep.status}",
                      rep.trace, 0.0, 0.0)
    if warm is not None and warm.feasible and (not own.feasible or _better(kind, warm, own)):
        chosen, other = warm, f"own candidate {'feasible' if own.feasible else 'infeasible'}"
    else:
        chosen = own
        chosen.solver_status = f"coherent candidate own: {own.solver_status}"
        other = "warm candidate " + ("none" if warm is None else "feasible" if warm.feasible else "infeasible")
    chosen.solver_status = f"{chosen.solver_status}; {other}"
    chosen.solver_time_s = total
    return chosen
