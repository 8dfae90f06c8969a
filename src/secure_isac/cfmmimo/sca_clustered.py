"""The SCA subproblems of sca.py for user-centric serving clusters (not in the paper; docs/model.md 1.23,
docs/extensions/city-scale.md): only the K C served pairs (m, k) carry communication variables.

Same surrogate as sca._Subproblem (docs/model.md 1.9-1.10, the same rows, scaling and fixed-mode decoupling), posed
on the pairs j = k C + i of clusters.pair_indices instead of the dense (M, K) block:
- s_j = u_j^2 with one rotated cone u_j^2 <= v_j per pair (3 rows each; the dense form has one cone of size K + 2
  per AP), the AP loads S = H v with the constant (M, K C) incidence H of the clusters (one entry per pair);
- x_k = sum_{j of UE k} cx_j u_j (the UE's C pairs);
- every AP's load still interferes at every UE (eq. (9)): a load variable p_m >= c^w_m S_m + c^q_m sum_l q_ml per AP
  and the K UE rows sigma_k (b_k . p + 1) with the constant (M, K) matrix b, so the sensing powers enter the UE rows
  through M variables instead of M L (the dense form's bq.T @ sum(q)).
The pattern of H depends on the layout, so the problem is built and compiled once per layout (cvxpy, DPP: every
value that changes between SCA steps is a Parameter) and re-solved for every step of that layout's design; only the
last compiled problem of each kind is kept. Per step, the parameters and the solver data cost O(K C + M L^2) plus
the O(M K) product with b; nothing else scales with M K.
"""

from __future__ import annotations

import numpy as np

from ..convex import _COMPILED, forget_solver_state
from ..startup import cvx
from .clarabel_fast import ClarabelFastPath
from .closed_forms import NormalizedChannel
from .clusters import pair_indices
from .sca import SubSolution, _Subproblem


class _ClusteredSubproblem(_Subproblem):
    """One compiled CP or SP subproblem on the served pairs of one layout; the interface (and the solve) of
    sca._Subproblem."""

    u_rows = False  # u >= 0 is implied (docs/deviations.md S1-O13 (ii)): u enters the cones through u^2 and the UE rows
    # with coefficients >= 0 on their larger side

    def __init__(self, kind: str, ch: NormalizedChannel, form: str):  # own rows: no super().__init__()
        import scipy.sparse as sps

        if kind not in ("cp", "sp"):
            raise ValueError(f"kind: must be 'cp' or 'sp', got {kind!r}")
        if ch.serving is None:
            raise ValueError("ch.serving: a clustered subproblem needs the serving clusters (closed_forms.normalize "
                             "with cluster_size < M)")
        M, K = ch.b.shape
        L = ch.z.shape[1]
        self.kind, self.shape, self.form = kind, (M, K, L), form
        self.ap, self.ue = pair_indices(ch.serving)
        self.serving, self.b, self.G_hat = np.array(ch.serving), np.array(ch.b), np.array(ch.G_hat)
        n = self.ap.size
        P = {}

        def par(name, shape=(), nonneg=False):
            P[name] = cvx.Parameter(shape, name=name, nonneg=nonneg)
            return P[name]

        a = cvx.Variable(M, name="a")
        u = cvx.Variable(n, name="u")  # sqrt of the effective power of each served pair
        v = cvx.Variable(n, name="v")  # v_j >= u_j^2
        q = cvx.Variable((M, L), name="q")
        p = cvx.Variable(M, name="p")  # AP load seen by the UEs
        tau = cvx.Variable(name="tau")  # t / t_scale
        self.var = {"a": a, "u": u, "q": q, "tau": tau}
        H = sps.csr_array((np.ones(n), (self.ap, np.arange(n))), shape=(M, n))
        Ue = sps.csr_array((np.ones(n), (self.ue, np.arange(n))), shape=(K, n))
        S = H @ v  # AP comm loads
        qtot = cvx.sum(q, axis=1)
        cons = [q >= 0, tau >= 0]
        # v_j >= u_j^2  <=>  ||[2 u_j, v_j - 1]|| <= v_j + 1
        cons.append(cvx.SOC(v + 1, cvx.vstack([2 * u, v - 1]), axis=0))
        wa, wb = par("wa", M, nonneg=True), par("wb", M, nonneg=True)
        qa, qb = par("qa", M, nonneg=True), par("qb", M, nonneg=True)
        cons += [S <= cvx.multiply(wa, a) + wb, qtot <= qb - cvx.multiply(qa, a), a >= par("a_lo", M),
                 a <= par("a_hi", M)]
        cw, cq = par("cw", M, nonneg=True), par("cq", M, nonneg=True)  # 0/1: loads the UEs see (fixed-mode step)
        sig = par("sig", K, nonneg=True)  # UE row scale
        lin = Ue @ cvx.multiply(par("cx", n, nonneg=True), u)
        if form == "corrected":
            cons.append(p >= cvx.multiply(cw, S) + cvx.multiply(cq, qtot))
            dk = cvx.multiply(sig, self.b.T @ p) + sig
        else:  # printed eq. (9): comm interference sum_j b_{m_j k_j} s_j, the same for every k, over its value V0
            V = cvx.Variable(name="V")
            self.var["V"] = V
            cons += [p >= cvx.multiply(cq, qtot), V >= par("bv", n, nonneg=True) @ v]
            dk = cvx.multiply(sig, self.b.T @ p) + cvx.multiply(par("vc", K, nonneg=True), V) + sig
        if kind == "cp":
            cons.append(lin - cvx.multiply(par("rt", K, nonneg=True), tau) >= dk)
        else:
            cons.append(lin - par("cst", K, nonneg=True) >= dk)
        # Eve and MASR rows on the per-AP leaks y_ml = sum_l' G_hat_mll' q_ml' (equality rows local to each AP;
        # aggregated_rows): every row is then M-sparse per zone instead of dense in the M L sensing powers
        y = cvx.Variable((M, L), name="y")
        cons.append(cvx.hstack([cvx.reshape(cvx.sum(cvx.multiply(self.G_hat[:, l, :], q), axis=1), (M, 1),
                                            order="C") for l in range(L)]) == y)
        eA = par("eA", (L, M), nonneg=True)
        e = cvx.hstack([par(f"eY{l}", M, nonneg=True) @ y[:, l] for l in range(L)]) + par("eC", L, nonneg=True)
        if kind == "cp":
            cons.append(eA @ S <= e)
        else:
            W = cvx.Variable(L, name="W")
            self.var["W"] = W
            cons += [W >= 0, eA @ S <= 2 * W - 1,
                     cvx.SOC(tau + e, cvx.vstack([2 * cvx.reshape(W, (1, L), order="C"),
                                                  cvx.reshape(tau - e, (1, L), order="C")]), axis=0)]
        cons.append(cvx.hstack([par(f"mq{l}", M, nonneg=True) @ q[:, l] - par(f"my{l}", M, nonneg=True) @ y[:, l]
                                for l in range(L)]) - par("mW", (L, M), nonneg=True) @ S >= 0)
        pen, tc = par("pen", M), par("tc", nonneg=True)
        obj = cvx.Maximize(tc * tau - pen @ a) if kind == "cp" else cvx.Minimize(tc * tau + pen @ a)
        self.P = P
        self.problem = cvx.Problem(obj, cons)
        self.fast = ClarabelFastPath(self.problem, self.var, self.P)
        self._vals: dict[str, np.ndarray] = {}

    def matches(self, ch: NormalizedChannel) -> bool:
        """True if this problem was built for the clusters, the interference gains and the cross gains of `ch` (the
        data compiled into it)."""
        return (np.array_equal(self.serving, ch.serving) and self.b.shape == np.shape(ch.b)
                and np.array_equal(self.b, ch.b) and np.array_equal(self.G_hat, ch.G_hat))

    def set_channel(self, ch: NormalizedChannel, nu: float, kappa: float) -> None:
        """Layout data (as sca._Subproblem.set_channel) and a fresh solver state."""
        if not self.matches(ch):
            raise ValueError("ch: this clustered subproblem was built for another layout")
        self.fast.reset()
        forget_solver_state(self.problem)
        self._sqrtNg = np.sqrt(ch.N * ch.g[self.ap, self.ue])  # per pair
        self._bpair = ch.b[self.ap, self.ue]
        self._z, self._G = ch.z, ch.G_hat
        self._rows = aggregated_rows(ch, nu, kappa)

    def set_point(self, a0, s0, q0, t0: float, lam: float, a_lo, a_hi, varsigma: float, fixed=None) -> None:
        """Parameters at the current point, as sca._Subproblem.set_point (the same rows and scaling; fixed: the
        decoupled fixed-mode step of docs/deviations.md S1-O13 (i), here by the 0/1 load weights cw, cq and zero
        coefficients of the decoupled pairs and sensing powers)."""
        (M, K, L) = self.shape
        eA, eY, eC, mq, my, mW = self._rows
        sp0 = np.maximum(np.asarray(s0, dtype=float)[self.ap, self.ue], 0.0)  # the served pairs (s0 is 0 elsewhere)
        S0, qtot0 = np.bincount(self.ap, sp0, minlength=M), q0.sum(axis=1)
        x0 = np.bincount(self.ue, self._sqrtNg * np.sqrt(sp0), minlength=K)
        if self.form == "corrected":
            d0 = self.b.T @ (S0 + qtot0) + 1.0
        else:
            v0 = float(np.sum(self._bpair * sp0))
            d0 = self.b.T @ qtot0 + v0 + 1.0
        if self.kind == "cp":
            self._set("eA", eA)
            self._set("eC", eC)
            for l in range(L):
                self._set(f"eY{l}", eY[l])
            r = x0 / t0
            sig = 1.0 / d0
            self._set("cx", 2.0 * (sig * r)[self.ue] * self._sqrtNg)
            self._set("rt", sig * r**2 * t0)
        else:
            sig = 1.0 / (varsigma * d0)
            self._set("cx", 2.0 * (sig * x0)[self.ue] * self._sqrtNg)
            self._set("cst", sig * x0**2)
            sig = sig * varsigma
            E0 = np.sum(self._z * np.sum(self._G * q0[:, None, :], axis=-1), axis=0) + 1.0
            self._set("eA", (self._z / (t0 * E0)).T)
            for l in range(L):
                self._set(f"eY{l}", self._z[:, l] / E0[l])
            self._set("eC", 1.0 / E0)
        for l in range(L):
            self._set(f"mq{l}", mq[l])
            self._set(f"my{l}", my[l])
        self._set("mW", mW)
        self._set("sig", sig)
        if self.form == "printed":
            v0 = max(float(np.sum(self._bpair * sp0)), 1e-12)
            self._set("bv", self._bpair / v0)
            self._set("vc", sig * v0)
        self._set("tc", t0 / (t0 + lam))
        self._set("pen", (lam / (t0 + lam)) * (1.0 - 2.0 * np.asarray(a0, dtype=float)))
        self._t0 = t0
        ones, zeros = np.ones(M), np.zeros(M)
        if fixed is None:
            self._set("a_lo", np.asarray(a_lo, dtype=float))
            self._set("a_hi", np.asarray(a_hi, dtype=float))
            for name, value in (("wa", ones), ("wb", zeros), ("qa", ones), ("qb", ones), ("cw", ones), ("cq", ones)):
                self._set(name, value)
            return
        if lam != 0.0:
            raise ValueError(f"lam: a fixed-mode step has no penalty (lambda = 0), got {lam}")
        c = np.asarray(fixed, dtype=float) > 0.5  # C-APs
        for name, value in (("a_lo", zeros), ("a_hi", ones), ("wa", zeros), ("wb", ones), ("qa", zeros),
                            ("qb", ones)):
            self._set(name, value)
        self._set("cw", c.astype(float))  # S-APs' comm loads and C-APs' sensing loads are decoupled
        self._set("cq", (~c).astype(float))
        s_pairs = ~c[self.ap]
        self._vals["cx"] = np.where(s_pairs, 0.0, self._vals["cx"])
        if "bv" in self._vals:
            self._vals["bv"] = np.where(s_pairs, 0.0, self._vals["bv"])
        for name in ("eA", "mW"):
            self._vals[name] = np.where(~c[None, :], 0.0, self._vals[name])
        for l in range(L):
            for name in (f"eY{l}", f"mq{l}", f"my{l}"):
                self._vals[name] = np.where(c, 0.0, self._vals[name])

    def _values(self, get):
        (M, K, _) = self.shape
        s = np.zeros((M, K))
        s[self.ap, self.ue] = get("u") ** 2
        return SubSolution(a=np.clip(get("a"), 0.0, 1.0), s=s, q=np.maximum(get("q"), 0.0),
                           t=float(get("tau")) * self._t0)


def aggregated_rows(ch: NormalizedChannel, nu: float, kappa: float):
    """The rows of sca.linear_rows (same scaling) on the per-AP leaks y_ml = sum_l' G_hat_mll' q_ml':
    Eve  eA[l] @ S <= eY[l] @ y[:, l] + eC[l]                 (A_l <= nu E_l, eq. (17)),
    MASR mq[l] @ q[:, l] - my[l] @ y[:, l] - mW[l] @ S >= 0     (Q_l >= kappa C_l, eq. (12)),
    with C_l's sidelobe part sum_m z_ml (y_ml - G_hat_mll q_ml). Lists of (M,) rows per zone; switched-off
    constraints as in linear_rows (nu = inf: eA = eY = 0, eC = 1; kappa = 0: my = mW = 0)."""
    z, G = ch.z, ch.G_hat
    M, L = z.shape
    if np.isinf(nu):
        eA, eY, eC = np.zeros((L, M)), [np.zeros(M) for _ in range(L)], np.ones(L)
    else:
        rs = 1.0 / (nu * z.max(axis=0))
        eA = (z * rs).T
        eY = [nu * z[:, l] * rs[l] for l in range(L)]
        eC = nu * rs
    ms = 1.0 / (ch.N * z.max(axis=0))
    diag = np.diagonal(G, axis1=-2, axis2=-1)
    mq = [(ch.N + kappa * diag[:, l]) * z[:, l] * ms[l] for l in range(L)]
    my = [kappa * z[:, l] * ms[l] for l in range(L)]
    mW = (kappa * z * ms).T
    return eA, eY, eC, mq, my, mW


def clustered_subproblem(kind: str, ch: NormalizedChannel, form: str = "corrected") -> _ClusteredSubproblem:
    """The compiled clustered subproblem for this layout (built on first use; only the last one of each kind and
    UE-SINR form is kept, in the cache of convex.compiled, so a job that designs many layouts holds one problem per
    kind and solvers.clear_compiled forgets it)."""
    key = ("sca_clustered", kind, form)
    sub = _COMPILED.get(key)
    if sub is None or not sub.matches(ch):
        _COMPILED.pop(key, None)  # free the previous layout's problem before building the next
        sub = _COMPILED[key] = _ClusteredSubproblem(kind, ch, form)
    return sub
