"""Paper-faithful penalty SCA of eqs. (20)-(38) with the corrections of docs/deviations.md S1-A1 to S1-A8 (cp_paper,
sp_paper).

Unlike the recommended formulation (effective powers, linear budgets), the AP mode a is kept as a variable next to
the nominal fractions st_mk = N gamma_mk eta^c_mk and qt_ml = N eta^s_ml; the effective powers are s = a st and
q = (1 - a) qt. Products a * (.) are handled by the paper's DC splits 4 a mu = (c a + mu/c)^2 - (c a - mu/c)^2, with
a per-pair conditioning scale c (the paper uses c = 1, which loses all precision in these units), the budgets are the
paper's (21d) st_m <= a0 (2 a - a0) and (21e) sum_l qt_ml + a_m^2 <= 1, and the SP trilinear term t a eps uses the
AM-GM cube majorant instead of the Taylor form (35), which is not an upper bound.

Every row constraint is divided by a positive number computed at the current point (its size there); this changes
only the conditioning, not the feasible set. Each subproblem is built once per (kind, M, K, L, UE-SINR form) with
cvxpy Parameters (DPP) and re-solved.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..convex import OK_STATUSES, Attempt, Retry, compiled, forget_solver_state, solve
from ..startup import cvx
from .closed_forms import NormalizedChannel
from .eavesdroppers import guarded_row_gains
from .options import SolverOptions
from .params import SystemParams, paper_sca_refusal
from .solvers import DEFAULT_EPS, solver_opts
from .surrogate import Step

KINDS = ("cp", "sp")
# Floor of the DC conditioning scale c = sqrt(max(|mu0|, DC_EPS * mu_scale) / max(a0, DC_EPS)): a and mu are never
# scaled by more than 1/DC_EPS against each other. mu_scale is the size mu has at full power on that AP (b_mk for
# the UE rows, z_ml for Eve, N zeta_ml for MASR), so the floor does not depend on the units of the channel gains.
DC_EPS = 1e-3
AMGM_FLOOR = 1e-9  # floor of t0, a0, eps0 in the AM-GM coefficients (docs/deviations.md S1-A1)
_CUBE_APPROX = True  # SOC representation of x^3 (exact for the rational power 3); the power cone was no better


# --- small pure helpers (tested directly) ------------------------------------------------------------------------


def dc_scale(mu0, a0, mu_scale=1.0, eps: float = DC_EPS) -> np.ndarray:
    """Conditioning scale c of the DC split of 4 a mu, (24)/(28)/(29)/(33):
    c = sqrt(max(|mu0|, eps*scale)/max(a0, eps))."""
    mu0 = np.asarray(mu0, dtype=float)
    a0 = np.asarray(a0, dtype=float)
    return np.sqrt(np.maximum(np.abs(mu0), eps * np.asarray(mu_scale, dtype=float)) / np.maximum(a0, eps))


def dc_split(a, mu, c) -> tuple[np.ndarray, np.ndarray]:
    """The two convex squares of 4 a mu = (c a + mu/c)^2 - (c a - mu/c)^2, eq. (24) with scale c."""
    a, mu, c = (np.asarray(v, dtype=float) for v in (a, mu, c))
    return (c * a + mu / c) ** 2, (c * a - mu / c) ** 2


def amgm_coefficients(t0, a0, e0, floor: float = AMGM_FLOOR) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """alpha_1..3 of the AM-GM majorant of t a eps at (t0, a0, e0) (docs/deviations.md S1-A1, replaces (35)); inputs
    floored."""
    t0, a0, e0 = (np.maximum(np.asarray(v, dtype=float), floor) for v in (t0, a0, e0))
    return a0 * e0 / t0**2, t0 * e0 / a0**2, t0 * a0 / e0**2


def amgm_majorant(t, a, e, t0, a0, e0, floor: float = AMGM_FLOOR) -> np.ndarray:
    """(alpha1 t^3 + alpha2 a^3 + alpha3 e^3)/3 >= t a e for t, a, e >= 0, equal at (t0, a0, e0) (docs/deviations.md
    S1-A1)."""
    al1, al2, al3 = amgm_coefficients(t0, a0, e0, floor)
    t, a, e = (np.asarray(v, dtype=float) for v in (t, a, e))
    return (al1 * t**3 + al2 * a**3 + al3 * e**3) / 3.0


def taylor_35(t, a, e, t0, a0, e0) -> np.ndarray:
    """The paper's first-order Taylor form (35) of t a eps; NOT a bound (kept only to document the counterexample)."""
    t, a, e, t0, a0, e0 = (np.asarray(v, dtype=float) for v in (t, a, e, t0, a0, e0))
    return a0 * e0 * t + a0 * t0 * e + e0 * t0 * a - 2.0 * a0 * e0 * t0


def effective_from_nominal(a, st, qt) -> tuple[np.ndarray, np.ndarray]:
    """Effective powers s = a st (power_c) and q = (1 - a) qt (power_s) from the nominal fractions
    (docs/model.md, paper-faithful surrogate)."""
    a = np.asarray(a, dtype=float)[:, None]
    return a * np.asarray(st, dtype=float), (1.0 - a) * np.asarray(qt, dtype=float)


def nominal_from_effective(a, s, q) -> tuple[np.ndarray, np.ndarray]:
    """Nominal fractions st = s/a, qt = q/(1-a) of a start, scaled into the paper budgets (21d)/(21e).

    The other mode's fraction is set to zero (st = 0 where a = 0, qt = 0 where a = 1); at binary a the paper's
    budgets st_m <= a_m^2, qt_m <= 1 - a_m^2 force exactly that. A fractional start that meets the linear budgets
    S <= a, Q <= 1 - a can exceed a^2 / 1 - a^2; then all fractions are scaled by one common factor, which keeps
    Eve SINR <= nu (it grows with a common power scale) and MASR (scale invariant).
    """
    a = np.asarray(a, dtype=float)
    s = np.asarray(s, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        st = np.where(a[:, None] > 0, s / a[:, None], 0.0)
        qt = np.where(a[:, None] < 1, q / (1.0 - a[:, None]), 0.0)
    S = st.sum(axis=1)
    Q = qt.sum(axis=1)
    ratios = [1.0]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios += list((a**2 / S)[S > 0]) + list(((1.0 - a**2) / Q)[Q > 0])
    scale = min(ratios)
    return st * scale, qt * scale


def budget_powers(a, g, L: int) -> tuple[np.ndarray, np.ndarray]:
    """Effective powers (s, q), (M,K) and (M,L), of nominal fractions on the boundary of the paper's budgets at
    a0 = a (docs/deviations.md S1-O30): (21d) st_m = a_m^2, split over the UEs in proportion to gamma_mk (Ngo's
    equal-power shares), and (21e) qt_ml = (1 - a_m^2)/L; s = a st, q = (1 - a) qt. `g` (M,K) is any positive
    multiple of gamma (e.g. the normalised g = rho gamma); a (M,) in [0, 1]. At binary a these are Ngo's equal
    powers (baseline.equal_power)."""
    a = np.asarray(a, dtype=float)
    g = np.asarray(g, dtype=float)
    st = (a**2)[:, None] * g / g.sum(axis=1, keepdims=True)
    qt = np.repeat(((1.0 - a**2) / L)[:, None], L, axis=1)
    return effective_from_nominal(a, st, qt)


# --- the parametrised subproblems --------------------------------------------------------------------------------


class _Sub:
    """One compiled DPP subproblem (kind, M, K, L, form); rows are 'lin + const >= squares (+ cubes)'."""

    def __init__(self, kind: str, M: int, K: int, L: int, form: str):
        self.kind, self.M, self.K, self.L, self.form = kind, M, K, L, form
        self.par: dict[tuple, cvx.Parameter] = {}
        self.rows: dict[tuple, cvx.Constraint] = {}  # ("ue"|"eve"|"masr", index) -> surrogate row
        a = cvx.Variable(M, name="a")
        st = cvx.Variable((M, K), nonneg=True, name="st")
        qt = cvx.Variable((M, L), nonneg=True, name="qt")
        t = cvx.Variable(nonneg=True, name="t")
        u = cvx.Variable((M, K), nonneg=True, name="u")  # u_mk <= geo_mean(a_m, st_mk)
        self.a, self.st, self.qt, self.t, self.u = a, st, qt, t, u
        S = cvx.sum(st, axis=1)
        Q = cvx.sum(qt, axis=1)
        cons = []
        if form == "corrected":
            T = S  # UE-k interference mu_mk = b_mk (S_m - Q_m), (23) corrected
        else:
            T = cvx.Variable(M, name="T")  # printed (23): mu_mk = sum_k' b_mk' st_mk' - b_mk Q_m
            cons.append(T == cvx.sum(cvx.multiply(self._p(("bT",), (M, K)), st), axis=1))
        self.blocks = {"a": a, "S": S, "Q": Q, "T": T, "t": t}
        for k in range(K):
            self.blocks[f"u{k}"] = u[:, k]
        for l in range(L):
            self.blocks[f"q{l}"] = qt[:, l]

        # sqrt(a_m st_mk) >= u_mk  <=>  ||(2u, a - st)|| <= a + st  (hypograph of geo_mean(a_m, st_mk))
        a_rep = cvx.reshape(a, (M, 1), order="F") @ np.ones((1, K))
        cons.append(cvx.SOC(cvx.vec(a_rep + st, order="F"),
                           cvx.vstack([cvx.vec(2 * u, order="F"), cvx.vec(a_rep - st, order="F")]), axis=0))
        # budgets (21d) st_m <= a0 (2a - a0), (21e) sum_l qt_ml + a_m^2 <= 1, (21f)
        cons += [S <= cvx.multiply(self._p(("two_a0",), (M,)), a) - self._p(("a0sq",), (M,)),
                 Q + cvx.square(a) <= 1, a >= 0, a <= 1]

        for k in range(K):
            lin_blocks = ["a", "T", "Q", f"u{k}"] + (["t"] if kind == "cp" else [])
            cons.append(self._row(("ue", k), lin_blocks, [["a", "T", "Q"]]))
        qb = [f"q{l}" for l in range(L)]
        for l in range(L):
            cons.append(self._row(("masr", l), ["a", "S"] + qb, [["a", "S"] + qb]))
            if kind == "cp":
                cons.append(self._row(("eve", l), ["a", "S"] + qb, [["a", "S"] + qb]))
            else:
                cons.append(self._row(("eve", l), ["a", "S", "t"] + qb, [["a", "S"], ["t"] + qb],
                                      cubes=[["a"], qb], t_cube=True))
        pen = self._p(("pen",), (M,))
        obj = cvx.Maximize(t - pen @ a) if kind == "cp" else cvx.Minimize(t + pen @ a)
        self.problem = cvx.Problem(obj, cons)

    def _p(self, key: tuple, shape, nonneg: bool = False) -> cvx.Parameter:
        p = cvx.Parameter(shape, nonneg=nonneg, name="_".join(map(str, key)))
        self.par[key] = p
        return p

    def _comb(self, key: tuple, names: list[str]):
        """sum_block P[key, block] (.) block, an (M,) expression; a scalar block t gets a vector coefficient."""
        return sum(cvx.multiply(self._p(key + (n,), (self.M,)), self.blocks[n]) for n in names)

    def _row(self, key: tuple, lin: list[str], squares: list[list[str]], cubes: list[list[str]] | None = None,
             t_cube: bool = False):
        lhs = cvx.sum(self._comb(key + ("lin",), lin)) - self._p(key + ("const",), ())
        rhs = sum(cvx.sum_squares(self._comb(key + ("sq", j), names)) for j, names in enumerate(squares))
        for j, names in enumerate(cubes or []):
            rhs = rhs + cvx.sum(cvx.power(self._comb(key + ("cube", j), names), 3, approx=_CUBE_APPROX))
        if t_cube:  # (g t)^3 with g^3 = sum_m alpha1_ml: one scalar cube
            g = self._p(key + ("cube_t",), (), nonneg=True)
            rhs = rhs + cvx.power(g * self.blocks["t"], 3, approx=_CUBE_APPROX)
        self.rows[key] = lhs >= rhs
        return self.rows[key]

    def set(self, values: dict) -> None:
        """Assign every parameter (a missing block coefficient is zero); ValueError if a value is not finite.

        Values are checked here once and stored with `save_value`, skipping cvxpy's per-parameter validation,
        which costs about a quarter of a small re-solve.
        """
        for key, p in self.par.items():
            v = values.get(key)
            arr = np.zeros(p.shape) if v is None else np.broadcast_to(np.asarray(v, dtype=float), p.shape).copy()
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"parameter {key}: non-finite value at the current point")
            if p.is_nonneg():
                arr = np.maximum(arr, 0.0)
            p.save_value(arr)


def _subproblem(kind: str, M: int, K: int, L: int, form: str) -> _Sub:
    """The compiled subproblem for this shape (built once per process, solvers.compiled)."""
    return compiled(("paper_sca", kind, M, K, L, form), lambda: _Sub(kind, M, K, L, form))


def subproblem_is_dpp(kind: str, M: int, K: int, L: int, form: str = "corrected") -> bool:
    """True if the cached subproblem of this shape is DCP under the DPP ruleset."""
    return _subproblem(kind, M, K, L, form).problem.is_dcp(dpp=True)


# --- parameter values at the current point -----------------------------------------------------------------------


@dataclass
class _Point:
    """Current SCA point: relaxed modes a and nominal fractions st, qt (docs/model.md, paper-faithful surrogate)."""

    a: np.ndarray
    st: np.ndarray
    qt: np.ndarray


def _ue_terms(ch: NormalizedChannel, form: str, pt: _Point):
    """mu-coefficients of UE rows: mu_mk = P1_mk T_m - b_mk Q_m, value mu0, natural scale, and T0."""
    b = ch.b
    if form == "corrected":
        T0 = pt.st.sum(axis=1)
        P1 = b
        scale = b
    else:
        T0 = np.sum(b * pt.st, axis=1)
        P1 = np.ones_like(b)
        scale = np.maximum(b, b.max(axis=1, keepdims=True))
    Q0 = pt.qt.sum(axis=1)
    mu0 = P1 * T0[:, None] - b * Q0[:, None]
    return P1, mu0, scale


def _dc_row(values, key, sig, a0, c, mu_coef: dict, mu0):
    """Add lin/const/square coefficients of 'sum_m d0 (2d - d0) ... >= sum_m (c a + mu/c)^2' scaled by sig.

    mu = sum_block mu_coef[block] * block (all (M,) arrays); d = c a - mu/c.
    """
    d0 = c * a0 - mu0 / c
    lin = values.setdefault(key + ("lin",), {})
    lin["a"] = lin.get("a", 0.0) + 2 * sig * d0 * c
    for n, coef in mu_coef.items():
        lin[n] = lin.get(n, 0.0) - 2 * sig * d0 * coef / c
    values[key + ("const",)] = values.get(key + ("const",), 0.0) + sig * np.sum(d0**2)
    sq = values.setdefault(key + ("sq", 0), {})
    rs = np.sqrt(sig)
    sq["a"] = rs * c
    for n, coef in mu_coef.items():
        sq[n] = rs * coef / c


def _parameter_values(kind, ch: NormalizedChannel, params: SystemParams, pt: _Point, t0: float, lam: float, form):
    """Parameter values of the subproblem linearised at pt (nested dicts, flattened by the caller)."""
    M, K = pt.st.shape
    L = pt.qt.shape[1]
    N = ch.N
    a0 = pt.a
    v: dict = {}
    w = np.sqrt(N * ch.g)  # X_k = sum_m w_mk sqrt(a_m st_mk)
    X0 = np.sum(w * np.sqrt(np.maximum(a0[:, None] * pt.st, 0.0)), axis=0)
    P1, mu0, mu_scale = _ue_terms(ch, form, pt)
    Q0 = pt.qt.sum(axis=1)
    D0 = np.sum(a0[:, None] * mu0, axis=0) + ch.b.T @ Q0 + 1.0
    v[("two_a0",)] = 2 * a0
    v[("a0sq",)] = a0**2
    v[("pen",)] = lam * (1 - 2 * a0)
    if form != "corrected":
        v[("bT",)] = ch.b
    # UE rows: CP corrected (26) with r = X0/t0; SP (38)
    for k in range(K):
        key = ("ue", k)
        sig = 1.0 / (4.0 * D0[k])
        c = dc_scale(mu0[:, k], a0, mu_scale[:, k])
        _dc_row(v, key, sig, a0, c, {"T": P1[:, k], "Q": -ch.b[:, k]}, mu0[:, k])
        lin = v[key + ("lin",)]
        lin["Q"] = lin["Q"] - 4 * sig * ch.b[:, k]
        if kind == "cp":
            r = X0[k] / t0
            lin[f"u{k}"] = 8 * sig * r * w[:, k]
            lin["t"] = np.full(M, -4 * sig * r**2 / M)  # summed over m: -4 sig r^2 t
            v[key + ("const",)] += 4 * sig
        else:
            vs = params.varsigma
            lin[f"u{k}"] = 8 * sig * X0[k] * w[:, k] / vs
            v[key + ("const",)] += sig * (4 * X0[k] ** 2 / vs + 4)
    # sensing quantities
    z = ch.z
    Gh = ch.G_hat
    S0 = pt.st.sum(axis=1)
    leak0 = np.einsum("mlj,mj->ml", Gh, pt.qt)  # sum_l' G_hat_mll' qt_ml'
    # Eve rows at the guarded eavesdropper positions (the zone centres; extension: one position each, S1-P25)
    ze, Ge = guarded_row_gains(ch)
    leake0 = leak0 if ze is z else np.einsum("mlj,mj->ml", Ge, pt.qt)
    zeta = z / np.max(z)  # MASR is invariant to the scale of zeta
    kap = params.kappa
    nu = params.nu_lin
    for l in range(L):
        # a switched-off constraint keeps no row: its coefficients stay zero (0 >= 0), no inf/nan enters
        if params.masr_constraint:
            # MASR (29) corrected: 4N sum zeta qt_l + sum o0(2o - o0)
            #   >= sum (c a + w/c)^2 + 4 kappa sum zeta sum_{l'!=l} G qt_l'
            key = ("masr", l)
            coef = {"S": kap * zeta[:, l]}
            for j in range(L):
                coef[f"q{j}"] = N * zeta[:, l] if j == l else -kap * zeta[:, l] * Gh[:, l, j]
            om0 = kap * zeta[:, l] * S0 + sum(coef[f"q{j}"] * pt.qt[:, j] for j in range(L))
            off0 = np.sum(zeta[:, l] * (leak0[:, l] - Gh[:, l, l] * pt.qt[:, l]))
            sig = 1.0 / (4.0 * max(N * np.sum(zeta[:, l] * pt.qt[:, l]) + kap * off0, 1e-12))
            c = dc_scale(om0, a0, N * zeta[:, l])
            _dc_row(v, key, sig, a0, c, coef, om0)
            lin = v[key + ("lin",)]
            for j in range(L):
                own = 4 * sig * N * zeta[:, l] if j == l else -4 * sig * kap * zeta[:, l] * Gh[:, l, j]
                lin[f"q{j}"] = lin[f"q{j}"] + own
        key = ("eve", l)
        if kind == "cp" and not params.eve_constraint:
            pass  # nu = inf: no Eve row
        elif kind == "cp":
            # (28): sum e0(2e - e0) + 4 nu (sum z sum G qt + 1) >= sum (c a + varrho/c)^2
            coef = {"S": ze[:, l]}
            for j in range(L):
                coef[f"q{j}"] = nu * ze[:, l] * Ge[:, l, j]
            rho0 = ze[:, l] * S0 + nu * ze[:, l] * leake0[:, l]
            E0 = np.sum(ze[:, l] * leake0[:, l]) + 1.0
            sig = 1.0 / (4.0 * nu * E0)
            c = dc_scale(rho0, a0, ze[:, l])
            _dc_row(v, key, sig, a0, c, coef, rho0)
            lin = v[key + ("lin",)]
            for j in range(L):
                lin[f"q{j}"] = lin[f"q{j}"] + 4 * sig * nu * ze[:, l] * Ge[:, l, j]
            v[key + ("const",)] -= 4 * nu * sig
        else:
            # (36) with the AM-GM majorant: sum p0(2p - p0) + sum h0(2h - h0) + 4t
            #   >= sum (c a + delta/c)^2 + sum (c' t - eps/c')^2 + (4/3) sum (al1 t^3 + al2 a^3 + al3 eps^3)
            delta0 = ze[:, l] * S0
            eps0 = ze[:, l] * leake0[:, l]
            A0 = np.sum(a0 * delta0)
            sig = 1.0 / (4.0 * (t0 * (np.sum(eps0) + 1.0) + A0))
            c = dc_scale(delta0, a0, ze[:, l])
            _dc_row(v, key, sig, a0, c, {"S": ze[:, l]}, delta0)
            cq = dc_scale(eps0, t0, ze[:, l])  # c' of 4 t eps = (c't + eps/c')^2 - (c't - eps/c')^2
            p0 = cq * t0 + eps0 / cq
            lin = v[key + ("lin",)]
            lin["t"] = 2 * sig * p0 * cq + 4 * sig / M
            ecoef = {f"q{j}": ze[:, l] * Ge[:, l, j] for j in range(L)}  # eps_ml = sum_j ecoef_j qt_j
            for j in range(L):
                lin[f"q{j}"] = 2 * sig * p0 * ecoef[f"q{j}"] / cq
            v[key + ("const",)] += sig * np.sum(p0**2)
            rs = np.sqrt(sig)
            sq1 = {"t": rs * cq}
            for j in range(L):
                sq1[f"q{j}"] = -rs * ecoef[f"q{j}"] / cq
            v[key + ("sq", 1)] = sq1
            # eps is measured in units of its full-power size e_scale = N z_ml for the floor (homogeneity: the
            # majorant is unchanged wherever no floor is active)
            e_scale = N * ze[:, l]
            al1, al2, al3 = amgm_coefficients(t0, a0, eps0 / e_scale)
            f = 4.0 * sig * e_scale / 3.0
            v[key + ("cube_t",)] = np.cbrt(np.sum(f * al1))  # sum_m al1_m t^3 = (sum_m al1_m) t^3
            v[key + ("cube", 0)] = {"a": np.cbrt(f * al2)}
            b3 = np.cbrt(f * al3) / e_scale
            v[key + ("cube", 1)] = {f"q{j}": b3 * ecoef[f"q{j}"] for j in range(L)}
    flat = {}
    for key, val in v.items():
        if isinstance(val, dict):
            for n, arr in val.items():
                flat[key + (n,)] = arr
        else:
            flat[key] = val
    return flat


# --- the surrogate of penalty.relaxed_sca ------------------------------------------------------------------------
def check_paper_sca_supports(params: SystemParams, scheme: str = "cp_paper, sp_paper") -> None:
    """ValueError naming the key if the paper's SCA cannot pose `params`' Eve constraint (params.paper_sca_refusal:
    a robust grid or colluding eavesdroppers; docs/deviations.md S1-P25, S1-P26; the schemes cp and sp take both)."""
    refusal = paper_sca_refusal(params)
    if refusal:
        key = refusal.split(" ")[0]
        raise ValueError(f"{key}: the paper's SCA ({scheme}) cannot design with {refusal}; use cp, sp")


def _solve(sub: _Sub, options: SolverOptions) -> tuple[str, float]:
    """Solve the compiled subproblem -> (status, solver time in s); solver errors become the status, never raised.

    CLARABEL sometimes stops with InsufficientProgress one step after meeting its tolerances (badly scaled DC
    terms at nearly binary a); it is then retried once with tolerances 100x looser before the failure is recorded.
    """
    if options.solver == "CLARABEL":
        e0 = DEFAULT_EPS["CLARABEL"] if options.solver_eps is None else options.solver_eps
        ladder = [solver_opts("CLARABEL", e) for e in (e0, 100 * e0)]
    else:  # SCS at 1e-7: the DC rows at nearly binary a need the tighter accuracy
        ladder = [solver_opts("SCS", options.solver_eps, scs_eps=1e-7, scs_max_iters=200_000)]
    # retried only when the solver raises (a returned status, optimal or not, is the step's answer)
    out = solve(sub.problem, [Attempt(options.solver, {"verbose": options.verbose, **kw}) for kw in ladder],
                Retry(errors=(cvx.error.SolverError, ValueError, ArithmeticError)))  # numerical breakdown inside
    if out.error is not None:
        status = f"solver_error: {type(out.error).__name__}: {out.error}".splitlines()[0][:200]
    else:
        status = str(out.status)
    solver_time = out.solve_time
    return status, solver_time


# The paper's UE rows hold X_k = sqrt(N) sum_m sqrt(g_mk a_m st_mk), concave in (a, st); the contamination term
# sum_k' X_kk'^2 would need a convex upper bound of such squares, which the paper's DC/Taylor steps do not provide.
PILOT_REUSE_UNSUPPORTED = ("tau_p: the paper-faithful SCA (cp_paper, sp_paper) does not model pilot contamination "
                           "(UEs sharing pilots: tau_p < K with pilot_assignment random or greedy); use cp / sp, or "
                           "tau_p >= K")


class PaperSurrogate:
    """The paper's subproblem (P3) with (26), (28), (29) for CP or (P5) with (36), (38), (29) for SP, with the
    corrections of docs/deviations.md S1-A1 to S1-A8, for penalty.relaxed_sca. Its point is (a, st, qt); the loop sees
    the
    effective powers s = a st, q = (1 - a) qt. options.stop_when_binary does not apply: from a binary start the
    paper's iterates stay binary ((21d) locks S-APs, S1-A7), so it would end every run after one iteration."""

    name = "paper"
    combining = "noncoherent"
    uses_stop_when_binary = False

    def __init__(self, kind: str, ch: NormalizedChannel, params: SystemParams, options: SolverOptions):
        check_paper_sca_supports(params)
        if getattr(ch, "pilot", None) is not None:
            raise ValueError(PILOT_REUSE_UNSUPPORTED)
        if getattr(ch, "serving", None) is not None:
            raise ValueError("surrogate: the paper's surrogate has no user-centric clusters (ch.serving); use "
                             "'corrected'")
        self.kind, self.ch, self.params, self.options = kind, ch, params, options
        self.sub = _subproblem(kind, params.M, params.K, params.L, params.ue_sinr_form)
        # a fresh solver state per run: cvxpy re-uses the cached solver of the compiled problem, which made a
        # design depend on the designs solved before it in the same process (docs/deviations.md S1-O9)
        forget_solver_state(self.sub.problem)

    def start(self, a, s, q):
        st, qt = nominal_from_effective(a, s, q)
        pt = _Point(a=a.copy(), st=st, qt=qt)
        s_eff, q_eff = effective_from_nominal(pt.a, pt.st, pt.qt)
        return pt, pt.a, s_eff, q_eff

    def describe(self, point) -> dict:
        return {"a": point.a, "st": point.st, "qt": point.qt}

    def step(self, point, a, s, q, t0: float, lam: float, fixed_a, it: int) -> Step:
        try:
            self.sub.set(_parameter_values(self.kind, self.ch, self.params, point, max(t0, AMGM_FLOOR), lam,
                                           self.params.ue_sinr_form))
        except ValueError as exc:  # degenerate point (e.g. a UE lost all power): stop at the last iterate
            return Step("", 0.0, failed=f"degenerate linearisation: {exc} (iteration {it})")
        status, dt = _solve(self.sub, self.options)
        if status not in OK_STATUSES or self.sub.a.value is None:
            return Step(status, dt, failed=f"{status} (iteration {it})")
        new = _Point(a=np.clip(self.sub.a.value, 0.0, 1.0), st=np.maximum(self.sub.st.value, 0.0),
                     qt=np.maximum(self.sub.qt.value, 0.0))
        s_new, q_new = effective_from_nominal(new.a, new.st, new.qt)
        return Step(status, dt, new, new.a, s_new, q_new, float(self.sub.t.value))

