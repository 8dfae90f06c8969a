"""(SDR P5), eq. (23), built once per shape with cvxpy Parameters (DPP) and re-solved.

Powers are normalised by P (P = 1, noise s2 = sigma^2/P), docs/deviations.md S2-D1. The matching error (12) is
evaluated through an exact low-rank factor of the linear map (alpha, X) -> alpha*P_d - a^H X a: the
beampattern is a trigonometric polynomial with at most 2N-1 real coefficients, so the M-row residual
has rank <= 2N and ||residual||^2 = ||S V^T y||^2 (thin SVD) is the same number with a far smaller cone.

Compact form (default): W enters (SDR P5) only through T = V^H W V with V = [h, g_1, ..., g_K], and R_s = X - W.
With X = W + R_s, {0 <= W <= X} projects exactly onto {0 <= T <= V^H X V} (write W = X^1/2 Q X^1/2, 0 <= Q <= I,
and compress Q onto the range of X^1/2 V), so the N x N cone of W is replaced by two (1+K) x (1+K) cones
(T >= 0 and D = V^H X V - T >= 0); recover_w rebuilds a W afterwards. The plain two-cone form is kept
(compact=False) and tests/dfbs checks that both give the same F(Gamma_e).

Lag form of the matching error (lags=True, the relaxed full-array problem): on a ULA, a^H X a = sum_ij X_ij
e^{j pi (j-i) sin theta} depends on X only through its 2N-1 real autocorrelation lags (r_0 = tr X, c_k = sum_i
X_{i,i+k}), so the residual factor acts on y = [alpha, r_0, Re c, Im c] (2N columns) and a variable r = L vec X
with a sparse 0/1 map L, instead of a dense rows x (1+2N^2) block on every entry of X (same value; smaller KKT).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np

from ..convex import Attempt, Retry, compiled, solve
from ..startup import cvx


@dataclass
class SdpResult:
    """Outcome of one SDP solve; powers normalised by P; u is None for fixed selections."""

    status: str
    feasible: bool
    objective: float
    X: np.ndarray | None
    W: np.ndarray | None
    Rs: np.ndarray | None
    alpha: float
    u: np.ndarray | None
    solve_time: float


def residual_factor(A: np.ndarray, desired: np.ndarray, rows: int) -> np.ndarray:
    """Rows x (1+2n^2) factor F with ||F y||^2 = (1/M)||alpha P_d - a^H X a||^2, y = [alpha, vec Re X, vec Im X]."""
    M, n = A.shape
    # column index i + j*n (column-major vec) holds conj(a_i) a_j
    B = (A.conj()[:, :, None] * A[:, None, :]).transpose(0, 2, 1).reshape(M, n * n)
    full = np.hstack([desired[:, None], -B.real, B.imag])
    _, s, vt = np.linalg.svd(full, full_matrices=False)
    r = min(rows, len(s))
    F = np.zeros((rows, full.shape[1]))
    F[:r] = (s[:r, None] * vt[:r]) / np.sqrt(M)
    return F


def is_ula(A: np.ndarray, tol: float = 1e-12) -> bool:
    """True if the columns of A are the powers 0..n-1 of its second column (rows a(theta) of a ULA)."""
    n = A.shape[1]
    if n < 2:
        return False
    k = np.arange(n)
    return bool(np.allclose(A, A[:, [1]] ** k[None, :], rtol=0.0, atol=tol) and np.allclose(np.abs(A), 1.0))


def lag_matrix(n: int) -> np.ndarray:
    """(2n-1) x 2n^2 0/1 map from [vec Re X, vec Im X] (column-major) to the lags [r_0, Re c_1.., Im c_1..]."""
    L = np.zeros((2 * n - 1, 2 * n * n))
    for i in range(n):
        L[0, i + i * n] = 1.0
    for k in range(1, n):
        for i in range(n - k):
            L[k, i + (i + k) * n] = 1.0  # Re X_{i,i+k}
            L[n - 1 + k, n * n + i + (i + k) * n] = 1.0  # Im X_{i,i+k}
    return L


def residual_factor_lags(A: np.ndarray, desired: np.ndarray, rows: int) -> np.ndarray:
    """Rows x 2n factor F with ||F [alpha, r]||^2 = (1/M)||alpha P_d - a^H X a||^2, r = lag_matrix(n) [vec Re X,
    vec Im X]; A must be a ULA (a^H X a = r_0 + 2 sum_k Re(a_k c_k), a_k = e^{j pi k sin theta})."""
    M, n = A.shape
    if not is_ula(A):
        raise ValueError("residual_factor_lags: the rows of A are not ULA steering vectors")
    B = np.hstack([np.ones((M, 1)), 2.0 * A[:, 1:].real, -2.0 * A[:, 1:].imag])
    full = np.hstack([desired[:, None], -B])
    _, s, vt = np.linalg.svd(full, full_matrices=False)
    r = min(rows, len(s))
    F = np.zeros((rows, full.shape[1]))
    F[:r] = (s[:r, None] * vt[:r]) / np.sqrt(M)
    return F


def _lin(Pr, Pi, Z):
    """Re tr(P Z) for Hermitian P = Pr + j Pi and Hermitian Z."""
    return cvx.sum(cvx.multiply(Pr, cvx.real(Z))) + cvx.sum(cvx.multiply(Pi, cvx.imag(Z)))


def _finish(X, y, n, p, v, cons, with_u, diag_eq, sum_eq, trace_eq):
    """Matching error (12) + penalty (18), total power (23a), per-antenna cap (23b) and selection (23d), shared by
    both SDP forms."""
    obj = cvx.sum_squares(p["F"] @ y)
    d = cvx.real(cvx.diag(X))
    if trace_eq is not None:  # None: implied by the diagonal equalities (a duplicate row upsets the IPM)
        cons.append(cvx.real(cvx.trace(X)) == 1 if trace_eq else cvx.real(cvx.trace(X)) <= 1)
    if with_u:
        v["u"] = cvx.Variable(n)
        p["pen"] = cvx.Parameter(n)
        p["nrf"] = cvx.Parameter(nonneg=True)
        obj = obj + p["pen"] @ v["u"]
        cons += [v["u"] >= 0, v["u"] <= 1]
        cons.append(d == p["cap"] * v["u"] if diag_eq else d <= p["cap"] * v["u"])
        cons.append(cvx.sum(v["u"]) == p["nrf"] if sum_eq else cvx.sum(v["u"]) <= p["nrf"])
    else:
        cons.append(d == p["cap"] if diag_eq else d <= p["cap"])
    prob = cvx.Problem(cvx.Minimize(obj), cons)
    assert prob.is_dcp(dpp=True)
    return prob, p, v


def _build(n: int, rows: int, n_eve: int, with_u: bool, secrecy: bool, diag_eq: bool, sum_eq: bool,
           trace_eq: bool):
    """Build one (SDR P5) shape; returns (problem, params dict, vars dict)."""
    p = {"F": cvx.Parameter((rows, 1 + 2 * n * n)), "cap": cvx.Parameter(nonneg=True)}
    v = {"alpha": cvx.Variable(nonneg=True)}
    cons = []
    if secrecy:
        v["W"] = cvx.Variable((n, n), hermitian=True)
        v["Rs"] = cvx.Variable((n, n), hermitian=True)
        X = v["W"] + v["Rs"]
        cons += [v["W"] >> 0, v["Rs"] >> 0]
        for name in ("Hr", "Hi", "tHr", "tHi"):
            p[name] = cvx.Parameter((n, n))
        p["t_s2"] = cvx.Parameter(nonneg=True)
        cons.append(_lin(p["Hr"], p["Hi"], v["W"]) >= _lin(p["tHr"], p["tHi"], v["Rs"]) + p["t_s2"])
        p["e_s2"] = cvx.Parameter(nonneg=True)
        for k in range(n_eve):
            for name in ("Gr", "Gi", "eGr", "eGi"):
                p[f"{name}{k}"] = cvx.Parameter((n, n))
            cons.append(_lin(p[f"Gr{k}"], p[f"Gi{k}"], v["W"])
                        <= _lin(p[f"eGr{k}"], p[f"eGi{k}"], v["Rs"]) + p["e_s2"])
    else:
        v["X"] = cvx.Variable((n, n), hermitian=True)
        X = v["X"]
        cons.append(X >> 0)
    v["Xexpr"] = X
    y = cvx.hstack([cvx.reshape(v["alpha"], (1,), order="F"), cvx.vec(cvx.real(X), order="F"),
                   cvx.vec(cvx.imag(X), order="F")])
    return _finish(X, y, n, p, v, cons, with_u, diag_eq, sum_eq, trace_eq)


def _build_compact(n: int, rows: int, n_eve: int, with_u: bool, diag_eq: bool, sum_eq: bool, trace_eq,
                   lags: bool = False):
    """Compact (SDR P5): W enters only through T = V^H W V, V = [h, g_1..g_K] (see module docstring);
    lags=True: the matching error acts on the 2n-1 autocorrelation lags of X (ULA only)."""
    p = {"F": cvx.Parameter((rows, 2 * n if lags else 1 + 2 * n * n)), "cap": cvx.Parameter(nonneg=True),
         "thr": cvx.Parameter(nonneg=True), "t_s2": cvx.Parameter(nonneg=True), "ge": cvx.Parameter(nonneg=True),
         "e_s2": cvx.Parameter(nonneg=True)}
    m = 1 + n_eve
    X = cvx.Variable((n, n), hermitian=True)
    T = cvx.Variable((m, m), hermitian=True)
    D = cvx.Variable((m, m), hermitian=True)
    v = {"alpha": cvx.Variable(nonneg=True), "X": X, "Xexpr": X, "T": T, "D": D}
    cons = [X >> 0, T >> 0, D >> 0]
    Xr, Xi = cvx.real(X), cvx.imag(X)
    for a in range(m):
        for b in range(a, m):
            Mr, Mi = cvx.Parameter((n, n)), cvx.Parameter((n, n))
            p[f"Mr{a}{b}"], p[f"Mi{a}{b}"] = Mr, Mi
            # v_a^H X v_b = sum_ij M_ij X_ij with M = conj(v_a) v_b^T
            cons.append(cvx.real(T[a, b] + D[a, b]) == cvx.sum(cvx.multiply(Mr, Xr)) - cvx.sum(cvx.multiply(Mi, Xi)))
            if a != b:
                rhs = cvx.sum(cvx.multiply(Mr, Xi)) + cvx.sum(cvx.multiply(Mi, Xr))
                cons.append(cvx.imag(T[a, b] + D[a, b]) == rhs)
    # (20b): h^H W h >= thr (h^H R_s h + s2);  (20a): g^H W g <= Gamma_e (g^H R_s g + s2)
    cons.append(cvx.real(T[0, 0]) >= p["thr"] * cvx.real(D[0, 0]) + p["t_s2"])
    for k in range(1, m):
        cons.append(cvx.real(T[k, k]) <= p["ge"] * cvx.real(D[k, k]) + p["e_s2"])
    if lags:
        # r = L [vec Re X, vec Im X] as its own variable: the factor then touches 2n-1 lags, not 2n^2 entries
        v["lags"] = cvx.Variable(2 * n - 1)
        cons.append(v["lags"] == lag_matrix(n) @ cvx.hstack([cvx.vec(Xr, order="F"), cvx.vec(Xi, order="F")]))
        y = cvx.hstack([cvx.reshape(v["alpha"], (1,), order="F"), v["lags"]])
    else:
        y = cvx.hstack([cvx.reshape(v["alpha"], (1,), order="F"), cvx.vec(Xr, order="F"), cvx.vec(Xi, order="F")])
    return _finish(X, y, n, p, v, cons, with_u, diag_eq, sum_eq, trace_eq)


def recover_w(X: np.ndarray, V: np.ndarray, T: np.ndarray) -> np.ndarray:
    """A W with V^H W V = T and 0 <= W <= X (exists iff 0 <= T <= V^H X V): W = X^1/2 U Q U^H X^1/2."""
    lam, E = np.linalg.eigh(X)
    S = (E * np.sqrt(np.clip(lam, 0, None))) @ E.conj().T
    B = S @ V
    U, sv, Zh = np.linalg.svd(B, full_matrices=False)
    keep = sv > 1e-9 * max(sv.max(), 1e-300)
    U, sv, Zh = U[:, keep], sv[keep], Zh[keep]
    Q = (Zh @ T @ Zh.conj().T) / np.outer(sv, sv)
    q, Y = np.linalg.eigh((Q + Q.conj().T) / 2)
    Q = (Y * np.clip(q, 0.0, 1.0)) @ Y.conj().T
    W = S @ U @ Q @ U.conj().T @ S
    return (W + W.conj().T) / 2


def get_problem(n: int, rows: int, n_eve: int, *, with_u: bool, secrecy: bool, diag_eq: bool, sum_eq: bool = True,
                trace_eq: bool = True, compact: bool = True, lags: bool = False):
    """Cached (SDR P5) of one shape (convex.compiled, keyed by the shape and constraint forms); lags applies to the
    compact secrecy form only (the no-secrecy problem keeps the entry-wise factor)."""
    lags = lags and compact and secrecy
    shape = (n, rows, n_eve, with_u, secrecy, diag_eq, sum_eq, trace_eq)
    if compact and secrecy:
        return compiled(("sdr", *shape, compact, lags),
                        lambda: _build_compact(n, rows, n_eve, with_u, diag_eq, sum_eq, trace_eq, lags))
    return compiled(("sdr", *shape, compact, lags), lambda: _build(*shape))


class SdrP5:
    """One geometry (selected sub-array or the full relaxed array) of (SDR P5); solves for given Gamma_e."""

    def __init__(self, A: np.ndarray, desired: np.ndarray, h: np.ndarray, G: np.ndarray, *, rows: int, cap: float,
                 with_u: bool, diag_eq: bool, sum_eq: bool = True, trace_eq: bool = True, n_rf: int | None = None,
                 solver: str = "CLARABEL", fallback: str = "SCS", compact: bool = True, lags: bool = False,
                 secrecy_opts: dict | None = None):
        """lags: matching error on the autocorrelation lags in the secrecy-constrained compact form (ULA only);
        secrecy_opts: CLARABEL settings for the secrecy-constrained solves (default clarabel_opts()); the problem
        without the secrecy constraint always keeps the entry-wise factor and clarabel_opts()."""
        self.n = A.shape[1]
        self.compact = compact
        self.lags = bool(lags and compact)
        self.secrecy_opts = secrecy_opts
        self.V = np.column_stack([h] + [g for g in G])
        self.M = {(a, b): np.outer(self.V[:, a].conj(), self.V[:, b])
                  for a in range(self.V.shape[1]) for b in range(a, self.V.shape[1])}
        self.F = residual_factor(A, desired, rows)
        self.F_lags = residual_factor_lags(A, desired, rows) if self.lags else None
        self.rows = rows
        self.H = np.outer(h, h.conj())
        self.G = [np.outer(g, g.conj()) for g in G]
        self.cap = float(cap)
        self.with_u = with_u
        count = n_rf if with_u else self.n
        implied = trace_eq and diag_eq and (sum_eq or not with_u) and abs(cap * count - 1.0) < 1e-12
        self.form = dict(diag_eq=diag_eq, sum_eq=sum_eq, trace_eq=None if implied else trace_eq)
        self.n_rf = n_rf
        self.solver = solver
        self.fallback = fallback
        self.n_solves = 0
        self.solve_time = 0.0

    def solve(self, *, pen: np.ndarray | None = None, gamma_e: float | None = None, rbar: float = 0.0,
              s2: float = 1.0) -> SdpResult:
        """Solve (SDR P5) at Gamma_e (gamma_e=None: secrecy constraint dropped, X only)."""
        secrecy = gamma_e is not None
        prob, p, v = get_problem(self.n, self.rows, len(self.G), with_u=self.with_u, secrecy=secrecy,
                                 compact=self.compact, lags=self.lags, **self.form)
        p["F"].value = self.F_lags if secrecy and self.lags else self.F
        p["cap"].value = self.cap
        if self.with_u:
            p["pen"].value = np.zeros(self.n) if pen is None else np.asarray(pen, float)
            p["nrf"].value = float(self.n_rf)
        if secrecy and self.compact:
            thr = 2.0 ** rbar * (1.0 + gamma_e) - 1.0
            p["thr"].value, p["t_s2"].value = thr, thr * s2
            p["ge"].value, p["e_s2"].value = gamma_e, gamma_e * s2
            for (a, b), Mab in self.M.items():
                p[f"Mr{a}{b}"].value, p[f"Mi{a}{b}"].value = Mab.real, Mab.imag
        elif secrecy:
            thr = 2.0 ** rbar * (1.0 + gamma_e) - 1.0
            p["Hr"].value, p["Hi"].value = self.H.real, self.H.imag
            p["tHr"].value, p["tHi"].value = thr * self.H.real, thr * self.H.imag
            p["t_s2"].value = thr * s2
            p["e_s2"].value = gamma_e * s2
            for k, Gk in enumerate(self.G):
                p[f"Gr{k}"].value, p[f"Gi{k}"].value = Gk.real, Gk.imag
                p[f"eGr{k}"].value, p[f"eGi{k}"].value = gamma_e * Gk.real, gamma_e * Gk.imag
        t0 = time.perf_counter()
        status = _solve(prob, self.solver, self.fallback, self.secrecy_opts if secrecy else None)
        dt = time.perf_counter() - t0
        self.n_solves += 1
        self.solve_time += dt
        ok = status in ("optimal", "optimal_inaccurate")
        if not ok:
            return SdpResult(status, False, np.inf, None, None, None, np.nan, None, dt)
        X = np.asarray(v["Xexpr"].value)
        X = (X + X.conj().T) / 2
        W = Rs = None
        if secrecy and self.compact:
            W = recover_w(X, self.V, np.asarray(v["T"].value))
            Rs = X - W
        elif secrecy:
            W = np.asarray(v["W"].value)
            Rs = np.asarray(v["Rs"].value)
            W, Rs = (W + W.conj().T) / 2, (Rs + Rs.conj().T) / 2
        u = np.clip(np.asarray(v["u"].value, float), 0.0, 1.0) if self.with_u else None
        return SdpResult(status, True, float(prob.value), X, W, Rs, float(v["alpha"].value), u, dt)


@functools.cache
def clarabel_opts() -> dict:
    """CLARABEL settings (S2-D11): static regularisation 1e-7, one thread, faer LDL where this build has it.

    Probed on the first solve, not at import: a job that solves nothing (a design taken from its reference, an
    aggregate, a plot) does not import clarabel and scipy.sparse for it (docs/performance.md, job start-up)."""
    # the default static regularisation leaves near-face problems (Gamma_e ~ 0: W g ~ 0) "AlmostSolved"; 1e-7 gives
    # clean "optimal" at the same speed. The default direct_solve_method "auto" runs faer multi-threaded: results
    # would depend on the core count and two pipeline jobs share 2 cores; single-threaded faer is as fast here and
    # 2.2x faster than qdldl on the relaxed N=16 SDP (measured in scripts/benchmark_dfbs.py, docs/performance.md)
    import clarabel
    import scipy.sparse as sps

    base = {"static_regularization_constant": 1e-7}
    for extra in ({"direct_solve_method": "faer", "max_threads": 1}, {"direct_solve_method": "qdldl"}):
        try:  # older or faer-less clarabel builds reject the setting; qdldl is single-threaded
            st = clarabel.DefaultSettings()
            st.verbose = False
            for k, v in {**base, **extra}.items():
                setattr(st, k, v)
            clarabel.DefaultSolver(sps.csc_matrix((1, 1)), np.ones(1), sps.csc_matrix(-np.ones((1, 1))), np.zeros(1),
                                   [clarabel.NonnegativeConeT(1)], st).solve()
            return {**base, **extra}
        except Exception:  # noqa: BLE001 - clarabel raises a bare Exception on bad settings
            continue
    return base


def relaxed_clarabel_opts() -> dict:
    """CLARABEL settings of the relaxed P-SCP SDPs with the secrecy constraint (most of the solver time): iterative
    refinement stops at 1e-10 instead of 1e-13/1e-12 (the KKT products of the refinement were ~20 % of CLARABEL's
    time). They only steer P-SCP; every reported design is a fixed-selection re-solve with clarabel_opts()
    (docs/deviations.md S2-D19)."""
    return {**clarabel_opts(), "iterative_refinement_reltol": 1e-10, "iterative_refinement_abstol": 1e-10}

SCS_OPTS = {"eps_abs": 1e-7, "eps_rel": 1e-7, "max_iters": 20000}


def _solve(prob: cvx.Problem, solver: str, fallback: str, clarabel_settings: dict | None = None) -> str:
    """Solve with the primary solver; fall back to the other one only on a solver error (docs/deviations.md S2-D11).
    clarabel_settings: CLARABEL settings instead of clarabel_opts() (the relaxed P-SCP problem,
    relaxed_clarabel_opts())."""
    opts = {"SCS": SCS_OPTS, "CLARABEL": clarabel_opts() if clarabel_settings is None else clarabel_settings}
    solvers = list(dict.fromkeys((solver, fallback)))
    # warm_start=False: cvxpy's default updates the previous solver object of the cached problem in place
    # (CLARABEL) or starts from the previous solution (SCS), so a result would depend on what this process solved
    # before (measured for CLARABEL: 1e-12..1e-9 relative; tests/dfbs checks equality)
    out = solve(prob, [Attempt(s, opts["SCS" if s == "SCS" else "CLARABEL"], warm_start=False) for s in solvers],
                Retry(errors=(cvx.error.SolverError,)))
    if out.status is None:
        return "solver_error"
    return out.status if out.attempt == 0 else f"{out.status}({solvers[out.attempt]})"
