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
import warnings
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
        # sign constraints are explicit (no variable attributes) so that cvxpy keeps the variables as they are
        u = cp.Variable((M, K), name="u")
        w = cp.Variable(M, name="w")  # AP comm load S_m
        q = cp.Variable((M, L), name="q")
        tau = cp.Variable(name="tau")  # t / t_scale
        self.var = {"a": a, "u": u, "w": w, "q": q, "tau": tau}
        qtot = cp.sum(q, axis=1)
        cons = [u >= 0, w >= 0, q >= 0, tau >= 0]
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
            v = cp.Variable(name="v")
            self.var["v"] = v
            cons.append(v >= 0)
            cons.append(cp.SOC(v + 1, cp.hstack([cp.vec(2 * cp.multiply(par("sqb", (M, K), nonneg=True), u), order="C"),
                                                 cp.reshape(v - 1, (1,), order="C")])))
            # v is the comm interference divided by its value V0 at the current point (conditioning)
            dk = bs.T @ qtot + cp.multiply(par("vc", K, nonneg=True), v) + one
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
            W = cp.Variable(L, name="W")
            self.var["W"] = W
            cons.append(W >= 0)
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
        self._fast = None  # None: not compiled yet; False: fast path unavailable
        self._vals: dict[str, np.ndarray] = {}  # current parameter values (pushed to cvxpy only when needed)

    def _set(self, name: str, value) -> None:
        self._vals[name] = np.asarray(value, dtype=float)

    # ---------------------------------------------------------------------------------------------------------
    def set_channel(self, ch: NormalizedChannel, nu: float, kappa: float) -> None:
        """Parameters that depend only on the layout and the constraint levels (Eve and MASR rows).

        Also starts a fresh solver state, so that a run depends only on its inputs (not on earlier runs)."""
        (M, K, L) = self.shape
        if self._fast:
            self._clar = None
        self.problem._solver_cache.clear()
        z, G = ch.z, ch.G_hat
        self._sqrtNg = np.sqrt(ch.N * ch.g)
        self._b, self._z, self._G = ch.b, z, G
        eA, eQ, eC, mQ, mW = linear_rows(ch, nu, kappa)
        if self.kind == "cp":
            self._set("eA", eA)
            self._set("eC", eC)
            for l in range(L):
                self._set(f"eQ{l}", eQ[l])
        for l in range(L):
            self._set(f"mQ{l}", mQ[l])
        self._set("mW", mW)

    def set_point(self, a0, s0, q0, t0: float, lam: float, a_lo, a_hi, varsigma: float) -> None:
        """Parameters of the surrogate at the current point (a0, s0, q0) with objective t0 and penalty lam."""
        (M, K, L) = self.shape
        x0 = np.sum(self._sqrtNg * np.sqrt(np.maximum(s0, 0.0)), axis=0)
        qtot0 = q0.sum(axis=1)
        if self.form == "corrected":
            d0 = self._b.T @ (s0.sum(axis=1) + qtot0) + 1.0
        else:
            d0 = self._b.T @ qtot0 + np.sum(self._b * s0) + 1.0
        if self.kind == "cp":
            r = x0 / t0
            sig = 1.0 / d0
            self._set("cx", 2.0 * (sig * r) * self._sqrtNg)
            self._set("rt", sig * r**2 * t0)
        else:
            sig = 1.0 / (varsigma * d0)
            self._set("cx", 2.0 * (sig * x0) * self._sqrtNg)
            self._set("cst", sig * x0**2)
            sig = sig * varsigma
            E0 = np.sum(self._z * np.sum(self._G * q0[:, None, :], axis=-1), axis=0) + 1.0
            self._set("eA", (self._z / (t0 * E0)).T)
            for l in range(L):
                self._set(f"eQ{l}", self._z[:, l, None] * self._G[:, l, :] / E0[l])
            self._set("eC", 1.0 / E0)
        self._set("bs", self._b * sig)
        self._set("one", sig)
        if self.form == "printed":
            v0 = max(float(np.sum(self._b * s0)), 1e-12)
            self._set("sqb", np.sqrt(self._b / v0))
            self._set("vc", sig * v0)
        self._set("tc", t0 / (t0 + lam))
        self._set("pen", (lam / (t0 + lam)) * (1.0 - 2.0 * np.asarray(a0, dtype=float)))
        self._set("a_lo", np.asarray(a_lo, dtype=float))
        self._set("a_hi", np.asarray(a_hi, dtype=float))
        self._t0 = t0

    def solve(self, solver: str, eps: float | None, fast: bool = True) -> tuple[str, SubSolution | None, float]:
        """Solve at the current Parameter values; returns (status, solution or None, solver time in s).

        CLARABEL (fast=True): the compiled parameter-to-data map of cvxpy is applied and the cached Clarabel
        solver is updated in place (same sparsity), skipping cvxpy's per-solve interface work; any failure
        falls back to problem.solve. SCS: problem.solve with warm start."""
        if solver == "CLARABEL" and fast and self._fast is not False:
            out = self._solve_fast(eps)
            if out is not None:
                return out
        return self._solve_cvxpy(solver, eps)

    def _values(self, get) -> SubSolution:
        u = np.maximum(get("u"), 0.0)
        return SubSolution(a=np.clip(get("a"), 0.0, 1.0), s=u**2, q=np.maximum(get("q"), 0.0),
                           t=float(get("tau")) * self._t0)

    def _solve_cvxpy(self, solver: str, eps: float | None):
        for name, value in self._vals.items():
            self.P[name].value = value
        opts = solver_opts(solver, eps)
        stime, status = 0.0, "not solved"
        # warm start (CLARABEL: in-place data update, SCS: previous primal-dual point); one cold retry on failure
        for warm in (True, False):
            t_wall = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.filterwarnings("ignore", message="Solution may be inaccurate")
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
                return str(status), self._values(lambda n: self.var[n].value), float(stime)
            self.problem._solver_cache.clear()
        return str(status), None, float(stime)

    def _compile_fast(self) -> bool:
        """Compile once for CLARABEL; keep cvxpy's parameter-to-data map and the variable offsets."""
        try:
            from cvxpy.reductions.solvers.conic_solvers.clarabel_conif import dims_to_solver_cones
            from cvxpy.reductions.solvers.conic_solvers.conic_solver import ConicSolver

            for name, value in self._vals.items():
                self.P[name].value = value
            data, _, _ = self.problem.get_problem_data(cp.CLARABEL)
            pp = data[cp.settings.PARAM_PROB]
            self._pp = pp
            self._cones = dims_to_solver_cones(data[ConicSolver.DIMS])
            self._cols = {n: (pp.var_id_to_col[v.id], v.size, v.shape) for n, v in self.var.items()}
            self._pcols = {n: (pp.param_id_to_col[v.id], v.size) for n, v in self.P.items()}
            self._pvec = np.zeros(pp.total_param_size + 1)
            self._pvec[-1] = 1.0  # constant offset column
            pp.reduced_A.cache(False)
            self._Amap = pp.reduced_A.reduced_mat  # parameter vector -> CSC values of [A | b]
            self._qmap = pp.q  # parameter vector -> [c; d]
            ind, ptr, shape = pp.reduced_A.problem_data_index
            self._nA = int(ptr[-2])
            self._A_pattern = (ind[: self._nA], ptr[:-1], (int(shape[0]), int(shape[1]) - 1))
            self._b_rows = ind[self._nA:]
            self._clar, self._clar_eps = None, None
            # guard against changes of cvxpy internals: the map must reproduce cvxpy's own problem data
            c_ref, _, A_ref, b_ref = pp.apply_parameters()
            c, A_vals, b = self._data()
            import scipy.sparse as sps

            A = sps.csc_matrix((-A_vals, *self._A_pattern[:2]), shape=self._A_pattern[2])
            scale = 1.0 + max(abs(A_ref).max(), np.abs(b_ref).max(), np.abs(c_ref).max())
            err = max(abs(A - A_ref).max(), np.abs(b - b_ref).max(), np.abs(c - c_ref).max())
            return bool(err <= 1e-12 * scale)
        except Exception:  # any cvxpy-internal change: use the regular path
            return False

    def _data(self):
        """Conic data (c, values of -A in the fixed CSC pattern, b) for the current parameter values."""
        pv = self._pvec
        for name, value in self._vals.items():
            col, size = self._pcols[name]
            pv[col:col + size] = value.ravel(order="F")
        vals = self._Amap @ pv
        c = np.asarray(self._qmap @ pv).ravel()[:-1]
        b = np.zeros(self._A_pattern[2][0])
        b[self._b_rows] = vals[self._nA:]
        return c, -vals[: self._nA], b

    def _solve_fast(self, eps: float | None):
        import clarabel
        import scipy.sparse as sps

        if self._fast is None:
            self._fast = self._compile_fast()
            if not self._fast:
                return None
        c, a_vals, b = self._data()
        e = 1e-8 if eps is None else eps
        try:
            if self._clar is None or e != self._clar_eps:
                st = clarabel.DefaultSettings()
                st.verbose, st.presolve_enable = False, False
                st.tol_gap_abs = st.tol_gap_rel = st.tol_feas = e
                n = c.size
                A = sps.csc_matrix((a_vals, *self._A_pattern[:2]), shape=self._A_pattern[2])
                self._clar = clarabel.DefaultSolver(sps.csc_matrix((n, n)), c, A, b, self._cones, st)
                self._clar_eps = e
            else:
                self._clar.update(q=c, A=a_vals, b=b)
            t_solve = time.perf_counter()
            res = self._clar.solve()
            t_solve = time.perf_counter() - t_solve
        except Exception:
            self._clar = None
            return None
        status = {"Solved": cp.OPTIMAL, "AlmostSolved": cp.OPTIMAL_INACCURATE}.get(str(res.status))
        if status is None:
            self._clar = None  # next solve starts a fresh solver; the caller's cold retry uses cvxpy
            return None
        x = np.asarray(res.x)

        def get(n):
            off, size, shape = self._cols[n]
            return x[off:off + size].reshape(shape, order="F") if shape else x[off]

        # wall clock around solve(): Clarabel's own solve_time reads ~20 % above it on this machine
        return status, self._values(get), float(t_solve)


def linear_rows(ch: NormalizedChannel, nu: float, kappa: float):
    """Row-scaled coefficients of the exact linear constraints of 7.2 on (S, q):
    Eve  eA[l] @ S <= sum(eQ[l] * q) + eC[l]   (A_l <= nu E_l, eq. (17)),
    MASR sum(mQ[l] * q) - mW[l] @ S >= 0        (Q_l >= kappa C_l, eq. (12)).

    Switched-off constraints stay in place as rows that every point satisfies: nu = inf (no Eve constraint) gives
    eA = 0, eQ = 0, eC = 1 (0 <= 1); kappa = 0 (no MASR constraint) gives mW = 0 and mQ >= 0 (sum(mQ q) >= 0 for
    q >= 0), so no inf/nan enters the subproblems."""
    z, G = ch.z, ch.G_hat
    L = z.shape[1]
    if np.isinf(nu):
        eA = np.zeros((L, z.shape[0]))
        eQ = [np.zeros((z.shape[0], L)) for _ in range(L)]
        eC = np.ones(L)
    else:
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
        e = 1e-6 if eps is None else eps
        return {"eps_abs": e, "eps_rel": e, "max_iters": 100000}
    raise ValueError(f"solver: unknown solver {solver!r}")


def subproblem(kind: str, M: int, K: int, L: int, form: str = "corrected") -> _Subproblem:
    """The cached compiled subproblem for this kind and shape (built on first use, then re-used)."""
    key = (kind, int(M), int(K), int(L), form)
    sub = _CACHE.get(key)
    if sub is None:
        sub = _Subproblem(kind, int(M), int(K), int(L), form)
        _CACHE[key] = sub
    return sub
