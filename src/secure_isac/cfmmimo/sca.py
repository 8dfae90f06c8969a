"""Convex SCA subproblems of the corrected surrogate (docs/model.md, 1.9-1.10) as cached DPP cvxpy problems.

Formulation: the effective comm powers are written s_mk = u_mk^2 with u >= 0 and an AP load variable
w_m >= sum_k u_mk^2 (one rotated cone per AP). Then x_k(s) = sqrt(N) sum_m sqrt(g_mk) u_mk is linear and every
surrogate constraint except the load cones and the SP Eve cone is linear; the substitution is exact because every
constraint and objective prefers a smaller load (w_m = S_m at the optimum). Each subproblem is built once per
(kind, M, K, L, ue_sinr_form) and re-solved with new Parameter values (all products of data folded into one
Parameter, rows scaled to O(1) at the current point for conditioning). The fixed-mode steps of rounding and repair
are posed without implicit equalities (`_Subproblem.set_point(fixed=...)`, docs/deviations.md S1-O13 (i); the earlier
pinned form up to SolverOptions.pinned_form_max_mk), and problems with M K > U_ROWS_MAX_MK (beyond every configured
figure) have no explicit u >= 0 rows (implied; S1-O13 (ii)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..convex import Attempt, Retry, compiled, forget_solver_state, solve
from ..startup import cvx
from .channels import shared_pilots
from .clarabel_fast import ClarabelFastPath
from .closed_forms import NormalizedChannel
from .eavesdroppers import guarded_row_gains
from .solvers import DEFAULT_EPS, solver_opts


@dataclass
class SubSolution:
    """Primal solution of one subproblem in physical variables (a, s = u^2, q) plus the bound t."""

    a: np.ndarray
    s: np.ndarray
    q: np.ndarray
    t: float


class _Subproblem:
    """One compiled CP or SP subproblem for a fixed shape; `problem` is a DPP cvxpy Problem."""

    def __init__(self, kind: str, M: int, K: int, L: int, form: str, u_rows: bool = True, eve=None,
                 pilots: bool = False):
        if kind not in ("cp", "sp"):
            raise ValueError(f"kind: must be 'cp' or 'sp', got {kind!r}")
        self.kind, self.shape, self.form, self.u_rows = kind, (M, K, L), form, u_rows
        self.pilots = pilots  # UE rows with the pilot-contamination interference (`_pilot_rows`)
        # Eve rows (extension, docs/deviations.md S1-P25, S1-P26): eve = (P, collusion) gives L P rows r = l P + p, one
        # per guarded position of each eavesdropper; None: the paper's L rows
        self.eve_P, self.colluding = (1, False) if eve is None else (int(eve[0]), bool(eve[1]))
        R = self.n_eve = L * self.eve_P
        P = {}

        def par(name, shape=(), nonneg=False):
            P[name] = cvx.Parameter(shape, name=name, nonneg=nonneg)
            return P[name]

        a = cvx.Variable(M, name="a")
        # sign constraints are explicit (no variable attributes) so that cvxpy keeps the variables as they are
        u = cvx.Variable((M, K), name="u")
        w = cvx.Variable(M, name="w")  # AP comm load S_m
        q = cvx.Variable((M, L), name="q")
        tau = cvx.Variable(name="tau")  # t / t_scale
        self.var = {"a": a, "u": u, "w": w, "q": q, "tau": tau}
        qtot = cvx.sum(q, axis=1)
        # u >= 0 is implied (u_rows=False, large problems; docs/deviations.md S1-O13): u enters only the load cones and
        # the v cone (through u^2) and the UE rows (coefficients >= 0, on the larger side), so |u| is feasible
        # whenever u is, with the same objective, and s = u^2 does not depend on the sign
        cons = ([u >= 0] if u_rows else []) + [w >= 0, q >= 0, tau >= 0]
        # budgets w <= a, qtot <= 1 - a (wa = qa = qb = 1, wb = 0) and mode bounds a_lo <= a <= a_hi; in the
        # fixed-mode step (set_point(fixed=...)) the budgets become w <= 1, qtot <= 1 (wa = qa = 0) and a is free
        wa, wb = par("wa", M, nonneg=True), par("wb", M, nonneg=True)
        qa, qb = par("qa", M, nonneg=True), par("qb", M, nonneg=True)
        cons += [w <= cvx.multiply(wa, a) + wb, qtot <= qb - cvx.multiply(qa, a), a >= par("a_lo", M),
                 a <= par("a_hi", M)]
        # w_m >= sum_k u_mk^2  <=>  ||[2u_m, w_m - 1]|| <= w_m + 1
        cons.append(cvx.SOC(w + 1, cvx.hstack([2 * u, cvx.reshape(w - 1, (M, 1), order="C")]), axis=1))
        # UE rows, scaled by sigma_k: lhs_k >= sigma_k D_k
        # x_k(u) scaled: sum_m cx_mk u_mk, one Parameter column per UE (the same conic data as
        # sum(multiply(cx, u), axis=0); cvxpy compiles an (M, K) Parameter times u in O((M K)^2))
        lin = cvx.hstack([par(f"cx{k}", M, nonneg=True) @ u[:, k] for k in range(K)])
        # interference of the comm loads (bs) and of the sensing loads (bq; bq = bs except in the fixed-mode step)
        bq, one = par("bq", (M, K), nonneg=True), par("one", K, nonneg=True)
        if form == "corrected":
            dk = par("bs", (M, K), nonneg=True).T @ w + bq.T @ qtot + one
        else:  # printed eq. (9): comm interference sum_{m,k'} b_mk' s_mk', the same for every k
            v = cvx.Variable(name="v")
            self.var["v"] = v
            cons.append(v >= 0)
            sqb = par("sqb", (M, K), nonneg=True)
            cons.append(cvx.SOC(v + 1, cvx.hstack([cvx.vec(2 * cvx.multiply(sqb, u), order="C"),
                                                 cvx.reshape(v - 1, (1,), order="C")])))
            # v is the comm interference divided by its value V0 at the current point (conditioning)
            dk = bq.T @ qtot + cvx.multiply(par("vc", K, nonneg=True), v) + one
        if pilots:  # the same rows with the convex pilot-contamination term on the larger side
            if kind == "cp":
                ue_lhs = lin - cvx.multiply(par("rt", K, nonneg=True), tau)
            else:
                ue_lhs = lin - par("cst", K, nonneg=True)
            cons += _pilot_rows(ue_lhs - dk, u, par, M, K)
        elif kind == "cp":
            cons.append(lin - cvx.multiply(par("rt", K, nonneg=True), tau) >= dk)
        else:
            cons.append(lin - par("cst", K, nonneg=True) >= dk)
        # Eve (linear, exact for CP; SP uses eA @ w <= 2 W - 1 and W^2 <= tau e_l)
        eA = par("eA", (R, M), nonneg=True)
        eQ = [par(f"eQ{l}", (M, L), nonneg=True) for l in range(R)]
        eC = par("eC", R, nonneg=True)
        e = cvx.hstack([cvx.sum(cvx.multiply(eQ[l], q)) for l in range(R)]) + eC
        if self.colluding:
            cons += self._colluding_eve_rows(kind, L, R, w, tau, eA, e, par)
        elif kind == "cp":
            cons.append(eA @ w <= e)
        else:
            W = cvx.Variable(R, name="W")
            self.var["W"] = W
            cons.append(W >= 0)
            cons.append(eA @ w <= 2 * W - 1)
            cons.append(cvx.SOC(tau + e, cvx.vstack([2 * cvx.reshape(W, (1, R), order="C"),
                                                   cvx.reshape(tau - e, (1, R), order="C")]), axis=0))
        # MASR (linear, exact): Q_l - kappa C_l >= 0, row-scaled
        mQ = [par(f"mQ{l}", (M, L)) for l in range(L)]
        mW = par("mW", (L, M), nonneg=True)
        cons.append(cvx.hstack([cvx.sum(cvx.multiply(mQ[l], q)) for l in range(L)]) - mW @ w >= 0)
        # objective (t -/+ lambda p_hat(a; a0)) / (t_scale + lambda): both coefficients in [0, 1]
        pen = par("pen", M)
        tc = par("tc", nonneg=True)
        if kind == "cp":
            obj = cvx.Maximize(tc * tau - pen @ a)
        else:
            obj = cvx.Minimize(tc * tau + pen @ a)
        self.P = P
        self.problem = cvx.Problem(obj, cons)
        self.fast = ClarabelFastPath(self.problem, self.var, self.P)
        self._vals: dict[str, np.ndarray] = {}  # current parameter values (pushed to cvxpy only when needed)

    def _colluding_eve_rows(self, kind, L, R, w, tau, eA, e, par) -> list:
        """Colluding eavesdroppers (docs/model.md S1-81): sum_l max_p SINR_lp <= nu (CP) or minimised (SP). Per row
        r of zone l, A_r <= t_l E_r is split as for SP's Eve row (A_r / (t0_l E0_r) <= 2 W_r - 1,
        W_r^2 <= tl_l e_r with tl_l = t_l / t0_l, e_r = E_r / E0_r), an inner approximation tight at the current
        point; CP: sum_l (t0_l / nu) tl_l <= 1; SP: tau >= sum_l (t0_l / t0) tl_l."""
        W = cvx.Variable(R, name="W")
        tl = cvx.Variable(L, name="tl")
        self.var.update(W=W, tl=tl)
        tr = np.kron(np.eye(L), np.ones((self.eve_P, 1))) @ tl  # tl of each row's zone (constant selection)
        cons = [W >= 0, tl >= 0, eA @ w <= 2 * W - 1,
                cvx.SOC(tr + e, cvx.vstack([2 * cvx.reshape(W, (1, R), order="C"),
                                           cvx.reshape(tr - e, (1, R), order="C")]), axis=0)]
        cl = par("cl", L, nonneg=True)
        cons.append(cl @ tl <= 1 if kind == "cp" else tau >= cl @ tl)
        return cons

    def _set(self, name: str, value) -> None:
        self._vals[name] = np.asarray(value, dtype=float)

    def _set_cx(self, cx: np.ndarray) -> None:
        for k in range(cx.shape[1]):
            self._vals[f"cx{k}"] = cx[:, k]

    # ---------------------------------------------------------------------------------------------------------
    def set_channel(self, ch: NormalizedChannel, nu: float, kappa: float) -> None:
        """Parameters that depend only on the layout and the constraint levels (Eve and MASR rows).

        Also starts a fresh solver state, so that a run depends only on its inputs (not on earlier runs)."""
        (M, K, L) = self.shape
        self.fast.reset()
        forget_solver_state(self.problem)
        z, G = ch.z, ch.G_hat
        self._sqrtNg = np.sqrt(ch.N * ch.g)
        self._b, self._z, self._G = ch.b, z, G
        self._nu = nu
        self._rows = linear_rows(ch, nu, kappa)  # eA, eQ, eC, mQ, mW (set in set_point, masked for fixed modes)
        # the Eve rows' gains: the zone centres (the paper's model) or the guarded positions of the extension
        self._ez, self._eG = guarded_row_gains(ch)
        if ch.eve is not None:
            if self._ez.shape[1] != self.n_eve:
                raise ValueError(f"ch.eve: {self._ez.shape[1]} guarded rows for a subproblem with {self.n_eve}")
            self._rows = (*_eve_linear_rows(self._ez, self._eG, nu), *self._rows[3:])
        if self.pilots:  # (K, K): 1 where UE j uses UE k's pilot (j != k); all 0 without shared pilots
            self._share = np.zeros((K, K)) if ch.pilot is None else shared_pilots(ch.pilot)

    def set_point(self, a0, s0, q0, t0: float, lam: float, a_lo, a_hi, varsigma: float, fixed=None) -> None:
        """Parameters of the surrogate at the current point (a0, s0, q0) with objective t0 and penalty lam.

        fixed: binary AP modes of a fixed-mode step (lambda = 0; a_lo, a_hi are then not used). The step is the
        subproblem with a = fixed, posed without implicit equalities (docs/deviations.md S1-O13): every coefficient of
        the comm variables (u, w) of the S-APs and of the sensing powers q of the C-APs is set to 0, the budgets
        become w <= 1 and sum_l q_ml <= 1, and a is left free in [0, 1] (it enters no other row and the objective
        has no penalty). The active variables then have exactly the constraints of the subproblem with
        a_lo = a_hi = fixed, and the decoupled ones (set to 0 by `CorrectedSurrogate.step`) have an interior.
        With a_lo = a_hi = fixed instead, w_m <= 0 pins the load cone of every S-AP to its boundary and
        sum_l q_ml <= 0 the sensing powers of every C-AP: the interior-point solver then needed ~3x the iterations
        and often stopped at reduced accuracy (AlmostSolved) or failed."""
        (M, K, L) = self.shape
        eA, eQ, eC, mQ, mW = self._rows
        if self.kind == "cp" and not self.colluding:
            self._set("eA", eA)
            self._set("eC", eC)
            for l in range(self.n_eve):
                self._set(f"eQ{l}", eQ[l])
        for l in range(L):
            self._set(f"mQ{l}", mQ[l])
        self._set("mW", mW)
        x0 = np.sum(self._sqrtNg * np.sqrt(np.maximum(s0, 0.0)), axis=0)
        qtot0 = q0.sum(axis=1)
        if self.form == "corrected":
            d0 = self._b.T @ (s0.sum(axis=1) + qtot0) + 1.0
        else:
            d0 = self._b.T @ qtot0 + np.sum(self._b * s0) + 1.0
        if self.kind == "cp":
            r = x0 / t0
            sig = 1.0 / d0
            self._set_cx(2.0 * (sig * r) * self._sqrtNg)
            self._set("rt", sig * r**2 * t0)
        else:
            sig = 1.0 / (varsigma * d0)
            self._set_cx(2.0 * (sig * x0) * self._sqrtNg)
            self._set("cst", sig * x0**2)
            sig = sig * varsigma
            if not self.colluding:
                E0 = np.sum(self._ez * np.sum(self._eG * q0[:, None, :], axis=-1), axis=0) + 1.0
                self._set("eA", (self._ez / (t0 * E0)).T)
                for l in range(self.n_eve):
                    self._set(f"eQ{l}", self._ez[:, l, None] * self._eG[:, l, :] / E0[l])
                self._set("eC", 1.0 / E0)
        if self.colluding:
            from .eavesdroppers import colluding_rows

            eA_c, eQ_c, eC_c, tl0 = colluding_rows(self._ez, self._eG, self.eve_P, s0, q0)
            self._set("eA", eA_c)
            self._set("eC", eC_c)
            for r in range(self.n_eve):
                self._set(f"eQ{r}", eQ_c[r])
            self._set("cl", tl0 / (self._nu if self.kind == "cp" else t0))
        if self.form == "corrected":
            self._set("bs", self._b * sig)
        if self.pilots:
            self._set_pilot_rows(sig)
        self._set("bq", self._b * sig)
        self._set("one", sig)
        if self.form == "printed":
            v0 = max(float(np.sum(self._b * s0)), 1e-12)
            self._set("sqb", np.sqrt(self._b / v0))
            self._set("vc", sig * v0)
        self._set("tc", t0 / (t0 + lam))
        self._set("pen", (lam / (t0 + lam)) * (1.0 - 2.0 * np.asarray(a0, dtype=float)))
        self._t0 = t0
        if fixed is None:
            self._set("a_lo", np.asarray(a_lo, dtype=float))
            self._set("a_hi", np.asarray(a_hi, dtype=float))
            for name, value in (("wa", 1.0), ("wb", 0.0), ("qa", 1.0), ("qb", 1.0)):
                self._set(name, np.full(M, value))
            return
        if lam != 0.0:
            raise ValueError(f"lam: a fixed-mode step has no penalty (lambda = 0), got {lam}")
        c = np.asarray(fixed, dtype=float) > 0.5  # C-APs
        self._set("a_lo", np.zeros(M))
        self._set("a_hi", np.ones(M))
        for name, value in (("wa", 0.0), ("wb", 1.0), ("qa", 0.0), ("qb", 1.0)):
            self._set(name, np.full(M, value))
        s_rows, c_rows = ~c, c  # comm coefficients of the S-APs, sensing coefficients of the C-APs
        for k in range(K):
            self._vals[f"cx{k}"] = np.where(s_rows, 0.0, self._vals[f"cx{k}"])
        for name in ("bs", "sqb"):
            if name in self._vals:
                self._vals[name] = np.where(s_rows[:, None], 0.0, self._vals[name])
        if self.pilots:  # the S-APs' comm amplitudes leave the contamination rows as well
            for k, j in _pilot_pairs(K):
                self._vals[f"ci{k}_{j}"] = np.where(s_rows, 0.0, self._vals[f"ci{k}_{j}"])
        self._vals["bq"] = np.where(c_rows[:, None], 0.0, self._vals["bq"])
        for name in ("eA", "mW"):
            self._vals[name] = np.where(s_rows[None, :], 0.0, self._vals[name])
        for name in [f"eQ{r}" for r in range(self.n_eve)] + [f"mQ{l}" for l in range(L)]:
            self._vals[name] = np.where(c_rows[:, None], 0.0, self._vals[name])

    def _set_pilot_rows(self, sig) -> None:
        """Coefficients of the contamination rows (`_pilot_rows`): ci{k}_{j} = sqrt(sig_k N g_mk) 1[j on k's pilot],
        so that (ci{k}_{j} @ u_j)^2 = sig_k x_kj^2 with x_kj = sqrt(N) sum_m sqrt(g_mk) u_mj (closed_forms.
        copilot_amplitudes); sig_k = 1/D_k0 is the scale of the other terms of UE k's row (CP and SP)."""
        (M, K, L) = self.shape
        amp = self._sqrtNg * np.sqrt(np.asarray(sig, dtype=float))  # (M, K): sqrt(sig_k N g_mk)
        for k, j in _pilot_pairs(K):
            self._vals[f"ci{k}_{j}"] = amp[:, k] * self._share[k, j]

    def solve(self, solver: str, eps: float | None, fast: bool = True) -> tuple[str, SubSolution | None, float]:
        """Solve at the current Parameter values; returns (status, solution or None, solver time in s).

        CLARABEL (fast=True): clarabel_fast.ClarabelFastPath (cvxpy's compiled parameter map, one Clarabel solver
        updated in place); whenever it cannot answer, problem.solve. SCS: problem.solve with warm start."""
        if solver == "CLARABEL" and fast and self.fast.available is not False:
            e = DEFAULT_EPS["CLARABEL"] if eps is None else eps
            out = self.fast.solve(self._vals, e)
            if out is not None:
                status, get, stime = out
                return status, self._values(get), stime
        return self._solve_cvxpy(solver, eps)

    def _values(self, get) -> SubSolution:
        u = np.maximum(get("u"), 0.0) if self.u_rows else np.abs(get("u"))
        return SubSolution(a=np.clip(get("a"), 0.0, 1.0), s=u**2, q=np.maximum(get("q"), 0.0),
                           t=float(get("tau")) * self._t0)

    def _solve_cvxpy(self, solver: str, eps: float | None):
        for name, value in self._vals.items():
            self.P[name].value = value
        opts = solver_opts(solver, eps)
        # warm start (CLARABEL: in-place data update, SCS: previous primal-dual point); one cold retry on a solver
        # error or a status other than optimal, each failure dropping the solver state
        out = solve(self.problem, [Attempt(solver, opts, warm_start=True), Attempt(solver, opts, warm_start=False)],
                    Retry(errors=(cvx.SolverError,), bad_status=True, forget=True))
        if out.ok:
            return out.status, self._values(lambda n: self.var[n].value), float(out.solve_time)
        status = f"solver_error: {out.error}".splitlines()[0][:200] if out.error is not None else str(out.status)
        return status, None, float(out.solve_time)

def _pilot_pairs(K: int) -> list[tuple[int, int]]:
    """Ordered UE pairs (k, j), j != k: every pair that may share a pilot (the rows' structure does not depend on
    which pairs do, so one compiled problem serves every pilot assignment)."""
    return [(k, j) for k in range(K) for j in range(K) if j != k]


def _pilot_rows(slack, u, par, M: int, K: int) -> list:
    """UE rows with pilot contamination (docs/extensions/pilot-contamination.md): slack_k >= sum_{j != k} (ci{k}_{j} @
    u_j)^2, one rotated cone ||[2 ci u_j ..., slack_k - 1]|| <= slack_k + 1 per UE, where slack_k is the row's
    (concave) left side minus its affine D_k, both scaled. The added sum is sig_k times the coherent interference
    I_k(u) = sum_{j on k's pilot} x_kj(u)^2, a convex quadratic of u: the rows stay inner approximations of
    SINR_k >= t (CP) and SINR_k >= varsigma (SP)."""
    cons = []
    for k in range(K):
        amps = [par(f"ci{k}_{j}", M, nonneg=True) @ u[:, j] for j in range(K) if j != k]
        if not amps:  # K = 1: no other UE
            cons.append(slack[k] >= 0)
            continue
        cons.append(cvx.SOC(slack[k] + 1, cvx.hstack([2 * cvx.hstack(amps), cvx.reshape(slack[k] - 1, (1,),
                                                                                            order="C")])))
    return cons


def linear_rows(ch: NormalizedChannel, nu: float, kappa: float):
    """Row-scaled coefficients of the exact linear constraints on (S, q) (docs/model.md, effective-power
    reformulation):
    Eve  eA[l] @ S <= sum(eQ[l] * q) + eC[l]   (A_l <= nu E_l, eq. (17)),
    MASR sum(mQ[l] * q) - mW[l] @ S >= 0        (Q_l >= kappa C_l, eq. (12)).

    Switched-off constraints stay in place as rows that every point satisfies: nu = inf (no Eve constraint) gives
    eA = 0, eQ = 0, eC = 1 (0 <= 1); kappa = 0 (no MASR constraint) gives mW = 0 and mQ >= 0 (sum(mQ q) >= 0 for
    q >= 0), so no inf/nan enters the subproblems."""
    z, G = ch.z, ch.G_hat
    L = z.shape[1]
    eA, eQ, eC = _eve_linear_rows(z, G, nu)
    ms = 1.0 / (ch.N * z.max(axis=0))
    off = 1.0 - np.eye(L)
    mQ = []
    for l in range(L):
        coef = -kappa * z[:, l, None] * G[:, l, :] * off[l]
        coef[:, l] = ch.N * z[:, l]
        mQ.append(coef * ms[l])
    mW = (kappa * z * ms).T
    return eA, eQ, eC, mQ, mW


def _eve_linear_rows(z, G, nu: float):
    """Eve rows eA[r] @ S <= sum(eQ[r] * q) + eC[r] of A_r <= nu E_r for the gains z (M, R), G (M, R, L) of R
    eavesdropper positions (the L zone centres, or the guarded positions of the extension), row-scaled by
    1 / (nu max_m z_mr); nu = inf gives the always-satisfied rows 0 <= 1."""
    M, R = z.shape
    L = G.shape[-1]
    if np.isinf(nu):
        return np.zeros((R, M)), [np.zeros((M, L)) for _ in range(R)], np.ones(R)
    rs = 1.0 / (nu * z.max(axis=0))
    eA = (z * rs).T
    eQ = [nu * z[:, l, None] * G[:, l, :] * rs[l] for l in range(R)]
    eC = nu * rs
    return eA, eQ, eC


def guarded_linear_rows(ch: NormalizedChannel, nu: float):
    """Linear Eve rows (eA, eQ, eC) over the guarded positions for the phase-1 start: A_r <= nu E_r; colluding
    eavesdroppers get A_r <= (nu / L) E_r, which implies sum_l max_p SINR_lp <= nu (a conservative restriction of the
    colluding constraint, docs/deviations.md S1-P26)."""
    z, G = guarded_row_gains(ch)
    if ch.eve is not None and ch.eve.collusion:
        nu = nu / ch.z.shape[1]
    return _eve_linear_rows(z, G, nu)


def eve_shape(ch: NormalizedChannel):
    """(P, collusion) of a subproblem with more Eve rows than the paper's (the extension's robust grid or colluding
    eavesdroppers), else None: one guarded position per eavesdropper only changes the rows' values."""
    if ch.eve is None:
        return None
    P = ch.eve.guarded.n_positions
    return (P, True) if ch.eve.collusion else ((P, False) if P > 1 else None)


# Subproblems with M K above this have no explicit u >= 0 rows (docs/deviations.md S1-O13 (ii)): the rows are implied
# and dropping them changes only the solver's path, but through every penalty step, so a chaotic penalty SCA can end
# in other modes. Every configured figure (paper size M K = 128, the K and M sweeps up to 256, the toy configuration)
# keeps them and its penalty path bit for bit; at M = 256 they are 8192 of 18725 rows (-30 % interior-point
# iterations).
U_ROWS_MAX_MK = 256


def large_form(M: int, K: int) -> bool:
    """True if an M-AP, K-UE subproblem is posed without explicit u >= 0 rows (U_ROWS_MAX_MK, S1-O13 (ii))."""
    return M * K > U_ROWS_MAX_MK


def decoupled_fixed_mode(M: int, K: int, pinned_max_mk: int = 0) -> bool:
    """True if the fixed-mode steps of rounding and repair of an M-AP, K-UE problem use the decoupled form
    (_Subproblem.set_point(fixed=...), docs/deviations.md S1-O13 (i)) instead of a_lo = a_hi = modes. Both pose the same
    problem; the pinned one puts the load cones of the S-APs and the sensing powers of the C-APs at their boundary,
    where CLARABEL needs ~55 instead of ~20 interior-point iterations and often stops at reduced accuracy.
    pinned_max_mk (SolverOptions.pinned_form_max_mk): problems with M K at most this keep the pinned form."""
    return M * K > pinned_max_mk


def subproblem(kind: str, M: int, K: int, L: int, form: str = "corrected", eve=None,
               pilots: bool = False) -> _Subproblem:
    """The cached compiled subproblem for this kind and shape (built on first use, then re-used); without the
    u >= 0 rows for large problems (`large_form`); eve = `eve_shape` of the channel (None: the paper's Eve rows);
    pilots: with the pilot-contamination rows (`_pilot_rows`, a problem of its own: the paper's model keeps its
    problem)."""
    M, K, L = int(M), int(K), int(L)
    u_rows = not large_form(M, K)
    eve_key = () if eve is None else ("eve", *eve)
    if pilots:  # u >= 0 is not implied here (u enters the contamination term on the smaller side): rows kept
        return compiled(("sca", kind, M, K, L, form, True, "pilots") + eve_key,
                        lambda: _Subproblem(kind, M, K, L, form, True, eve, pilots=True))
    return compiled(("sca", kind, M, K, L, form, u_rows) + eve_key,
                    lambda: _Subproblem(kind, M, K, L, form, u_rows, eve))
