"""Convex SCA subproblems of spec section 7 (CP 7.2, SP 7.3) as cached DPP cvxpy problems.

Formulation: the effective comm powers are written s_mk = u_mk^2 with u >= 0 and an AP load variable
w_m >= sum_k u_mk^2 (one rotated cone per AP). Then x_k(s) = sqrt(N) sum_m sqrt(g_mk) u_mk is linear and every
section-7 constraint except the load cones and the SP Eve cone is linear; the substitution is exact because every
constraint and objective prefers a smaller load (w_m = S_m at the optimum). Each subproblem is built once per
(kind, M, K, L, ue_sinr_form) and re-solved with new Parameter values (all products of data folded into one
Parameter, rows scaled to O(1) at the current point for conditioning).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import cvxpy as cp
import numpy as np

from .closed_forms import NormalizedChannel

_CACHE: dict[tuple, "_Subproblem"] = {}

OK_STATUSES = (cp.OPTIMAL, cp.OPTIMAL_INACCURATE)


@dataclass
class SubSolution:
    """Primal solution of one subproblem in physical variables (a, s = u^2, q) plus the bound t."""

    a: np.ndarray
    s: np.ndarray
    q: np.ndarray
    t: float


class _Subproblem:
    """One compiled CP or SP subproblem for a fixed shape; `problem` is a DPP cvxpy Problem."""

    def __init__(self, kind: str, M: int, K: int, L: int, form: str):
        if kind not in ("cp", "sp"):
            raise ValueError(f"kind: must be 'cp' or 'sp', got {kind!r}")
        self.kind, self.shape, self.form = kind, (M, K, L), form
        P = {}

        def par(name, shape=(), nonneg=False):
            P[name] = cp.Parameter(shape, name=name, nonneg=nonneg)
            return P[name]

        a = cp.Variable(M, name="a")
        u = cp.Variable((M, K), nonneg=True, name="u")
        w = cp.Variable(M, nonneg=True, name="w")  # AP comm load S_m
        q = cp.Variable((M, L), nonneg=True, name="q")
        tau = cp.Variable(nonneg=True, name="tau")  # t / t_scale
        self.var = {"a": a, "u": u, "w": w, "q": q, "tau": tau}
        qtot = cp.sum(q, axis=1)
        cons = []
        # budgets (pow) and mode bounds (a_lo = a_hi = binary modes during repair)
        cons += [w <= a, qtot <= 1 - a, a >= par("a_lo", M), a <= par("a_hi", M)]
        # w_m >= sum_k u_mk^2  <=>  ||[2u_m, w_m - 1]|| <= w_m + 1
        cons.append(cp.SOC(w + 1, cp.hstack([2 * u, cp.reshape(w - 1, (M, 1), order="C")]), axis=1))
        # UE rows, scaled by sigma_k: lhs_k >= sigma_k D_k
        lin = cp.sum(cp.multiply(par("cx", (M, K), nonneg=True), u), axis=0)
        bs, one = par("bs", (M, K), nonneg=True), par("one", K, nonneg=True)
        if form == "corrected":
            dk = bs.T @ (w + qtot) + one
        else:  # printed eq. (9): comm interference sum_{m,k'} b_mk' s_mk', the same for every k
            v = cp.Variable(nonneg=True, name="v")
            self.var["v"] = v
            cons.append(cp.SOC(v + 1, cp.hstack([cp.vec(2 * cp.multiply(par("sqb", (M, K), nonneg=True), u), order="C"),
                                                 cp.reshape(v - 1, (1,), order="C")])))
            dk = bs.T @ qtot + cp.multiply(one, v + 1)
        if kind == "cp":
            cons.append(lin - cp.multiply(par("rt", K, nonneg=True), tau) >= dk)
        else:
            cons.append(lin - par("cst", K, nonneg=True) >= dk)
        # Eve (linear, exact for CP; SP uses eA @ w <= 2 W - 1 and W^2 <= tau e_l)
        eA = par("eA", (L, M), nonneg=True)
        eQ = [par(f"eQ{l}", (M, L), nonneg=True) for l in range(L)]
        eC = par("eC", L, nonneg=True)
        e = cp.hstack([cp.sum(cp.multiply(eQ[l], q)) for l in range(L)]) + eC
        if kind == "cp":
            cons.append(eA @ w <= e)
        else:
            W = cp.Variable(L, nonneg=True, name="W")
            self.var["W"] = W
            cons.append(eA @ w <= 2 * W - 1)
            cons.append(cp.SOC(tau + e, cp.vstack([2 * cp.reshape(W, (1, L), order="C"),
                                                   cp.reshape(tau - e, (1, L), order="C")]), axis=0))
        # MASR (linear, exact): Q_l - kappa C_l >= 0, row-scaled
        mQ = [par(f"mQ{l}", (M, L)) for l in range(L)]
        mW = par("mW", (L, M), nonneg=True)
        cons.append(cp.hstack([cp.sum(cp.multiply(mQ[l], q)) for l in range(L)]) - mW @ w >= 0)
        # objective (t -/+ lambda p_hat(a; a0)) / (t_scale + lambda): both coefficients in [0, 1]
        pen = par("pen", M)
        tc = par("tc", nonneg=True)
        if kind == "cp":
            obj = cp.Maximize(tc * tau - pen @ a)
        else:
            obj = cp.Minimize(tc * tau + pen @ a)
        self.P = P
        self.problem = cp.Problem(obj, cons)

    # ---------------------------------------------------------------------------------------------------------
    def set_channel(self, ch: NormalizedChannel, nu: float, kappa: float) -> None:
        """Parameters that depend only on the layout and the constraint levels (Eve and MASR rows)."""
        P, (M, K, L) = self.P, self.shape
        z, G = ch.z, ch.G_hat
        self._sqrtNg = np.sqrt(ch.N * ch.g)
        self._b, self._z, self._G = ch.b, z, G
        if self.form == "printed":
            P["sqb"].value = np.sqrt(ch.b)
        eA, eQ, eC, mQ, mW = linear_rows(ch, nu, kappa)
        if self.kind == "cp":
            P["eA"].value, P["eC"].value = eA, eC
            for l in range(L):
                P[f"eQ{l}"].value = eQ[l]
        for l in range(L):
            P[f"mQ{l}"].value = mQ[l]
        P["mW"].value = mW

    def set_point(self, a0, s0, q0, t0: float, lam: float, a_lo, a_hi, varsigma: float) -> None:
        """Parameters of the surrogate at the current point (a0, s0, q0) with objective t0 and penalty lam."""
        P, (M, K, L) = self.P, self.shape
        x0 = np.sum(self._sqrtNg * np.sqrt(np.maximum(s0, 0.0)), axis=0)
        qtot0 = q0.sum(axis=1)
        if self.form == "corrected":
            d0 = self._b.T @ (s0.sum(axis=1) + qtot0) + 1.0
        else:
            d0 = self._b.T @ qtot0 + np.sum(self._b * s0) + 1.0
        if self.kind == "cp":
            r = x0 / t0
            sig = 1.0 / d0
            P["cx"].value = 2.0 * (sig * r) * self._sqrtNg
            P["rt"].value = sig * r**2 * t0
        else:
            sig = 1.0 / (varsigma * d0)
            P["cx"].value = 2.0 * (sig * x0) * self._sqrtNg
            P["cst"].value = sig * x0**2
            sig = sig * varsigma
            E0 = np.sum(self._z * np.sum(self._G * q0[:, None, :], axis=-1), axis=0) + 1.0
            P["eA"].value = (self._z / (t0 * E0)).T
            for l in range(L):
                P[f"eQ{l}"].value = self._z[:, l, None] * self._G[:, l, :] / E0[l]
            P["eC"].value = 1.0 / E0
        P["bs"].value = self._b * sig
        P["one"].value = sig
        P["tc"].value = t0 / (t0 + lam)
        P["pen"].value = (lam / (t0 + lam)) * (1.0 - 2.0 * np.asarray(a0, dtype=float))
        P["a_lo"].value = np.asarray(a_lo, dtype=float)
        P["a_hi"].value = np.asarray(a_hi, dtype=float)
        self._t0 = t0

    def solve(self, solver: str, eps: float | None) -> tuple[str, SubSolution | None, float]:
        """Solve at the current Parameter values; returns (status, solution or None, solver time in s)."""
        opts = solver_opts(solver, eps)
        stime = 0.0
        # warm start (CLARABEL: in-place data update, SCS: previous primal-dual point); one cold retry on failure
        for warm in (True, False):
            t_wall = time.perf_counter()
            try:
                self.problem.solve(solver=solver, warm_start=warm, **opts)
            except cp.SolverError as exc:
                stime += time.perf_counter() - t_wall
                status = f"solver_error: {exc}".splitlines()[0][:200]
                self.problem._solver_cache.clear()
                continue
            st = self.problem.solver_stats
            stime += st.solve_time if (st is not None and st.solve_time is not None) else time.perf_counter() - t_wall
            status = self.problem.status
            if status in OK_STATUSES:
                break
            self.problem._solver_cache.clear()
        if status not in OK_STATUSES:
            return str(status), None, float(stime)
        v = self.var
        u = np.maximum(v["u"].value, 0.0)
        sol = SubSolution(a=np.clip(v["a"].value, 0.0, 1.0), s=u**2, q=np.maximum(v["q"].value, 0.0),
                          t=float(v["tau"].value) * self._t0)
        return str(status), sol, float(stime)


def linear_rows(ch: NormalizedChannel, nu: float, kappa: float):
    """Row-scaled coefficients of the exact linear constraints of 7.2 on (S, q):
    Eve  eA[l] @ S <= sum(eQ[l] * q) + eC[l]   (A_l <= nu E_l, eq. (17)),
    MASR sum(mQ[l] * q) - mW[l] @ S >= 0        (Q_l >= kappa C_l, eq. (12))."""
    z, G = ch.z, ch.G_hat
    L = z.shape[1]
    rs = 1.0 / (nu * z.max(axis=0))
    eA = (z * rs).T
    eQ = [nu * z[:, l, None] * G[:, l, :] * rs[l] for l in range(L)]
    eC = nu * rs
    ms = 1.0 / (ch.N * z.max(axis=0))
    off = 1.0 - np.eye(L)
    mQ = []
    for l in range(L):
        coef = -kappa * z[:, l, None] * G[:, l, :] * off[l]
        coef[:, l] = ch.N * z[:, l]
        mQ.append(coef * ms[l])
    mW = (kappa * z * ms).T
    return eA, eQ, eC, mQ, mW


def solver_opts(solver: str, eps: float | None) -> dict:
    """Accuracy settings per solver (eps None: the measured default of each solver)."""
    if solver == "CLARABEL":
        e = 1e-8 if eps is None else eps
        return {"tol_gap_abs": e, "tol_gap_rel": e, "tol_feas": e}
    if solver == "SCS":
        e = 1e-7 if eps is None else eps
        return {"eps_abs": e, "eps_rel": e, "max_iters": 200000}
    raise ValueError(f"solver: unknown solver {solver!r}")


def subproblem(kind: str, M: int, K: int, L: int, form: str = "corrected") -> _Subproblem:
    """The cached compiled subproblem for this kind and shape (built on first use, then re-used)."""
    key = (kind, int(M), int(K), int(L), form)
    sub = _CACHE.get(key)
    if sub is None:
        sub = _Subproblem(kind, int(M), int(K), int(L), form)
        _CACHE[key] = sub
    return sub
