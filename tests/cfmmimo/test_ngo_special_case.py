"""Ngo et al. (2017) special case: nu = inf and kappa_db = -inf switch the Eve and MASR constraints off.

CP is then Ngo's downlink max-min power control (all APs in C mode, N-antenna MRT). Its global optimum is computed
here independently of the package's SCA, by bisection over t of second-order-cone problems written from the
formula (docs/ngo-special-case.md), and compared with optimise("cp", ...). The reference solver uses only numpy and
cvxpy; sca, penalty, init and repair are imported for the unit tests of the switched-off constraints further down.
"""

import math

import cvxpy as cvx
import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo import penalty, repair, sca
from secure_isac.cfmmimo import start as init
from secure_isac.cfmmimo.channels import large_scale_fading
from secure_isac.cfmmimo.closed_forms import evaluate, normalize
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.feasibility import constraint_margins, is_feasible
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams

OFF = {"nu": math.inf, "kappa_db": -math.inf}
SEED = 20260318
GAP_TOL = 1e-3  # optimise must come within 0.1 % of the global optimum
ABOVE_TOL = 1e-6  # optimise may exceed the bisection bracket only by solver accuracy


# --- independent reference: bisection over t of SOC problems (Ngo et al. 2017, section IV) ------------------------


def _ngo_sinr(U, b, g, N):
    """Downlink SINR of MRT with N-antenna APs: N (sum_m sqrt(g_mk) u_mk)^2 / (sum_m b_mk sum_k' u_mk'^2 + 1)."""
    x = math.sqrt(N) * np.sum(np.sqrt(g) * U, axis=0)
    return x**2 / (b.T @ np.sum(U**2, axis=1) + 1.0)


def ngo_max_min(b, g, N, rel=1e-7):
    """Global max-min SINR: bisection over t; for fixed t maximise the smallest margin
    delta_k = x_k / sqrt(t) - ||[sqrt(b_mk) u_mk' (all m, k'); 1]|| over u >= 0, sum_k u_mk^2 <= 1
    (t is achievable iff delta* >= 0). Returns (t_lo, t_hi, U at t_lo)."""
    M, K = b.shape
    U = cvx.Variable((M, K), nonneg=True)
    delta = cvx.Variable()
    inv_sqrt_t = cvx.Parameter(nonneg=True)
    cons = [cvx.sum_squares(U[m, :]) <= 1 for m in range(M)]
    for k in range(K):
        x_k = math.sqrt(N) * (np.sqrt(g[:, k]) @ U[:, k])
        interference = cvx.vec(cvx.multiply(np.sqrt(b[:, k])[:, None], U), order="F")
        cons.append(inv_sqrt_t * x_k - cvx.norm(cvx.hstack([interference, np.ones(1)])) >= delta)
    prob = cvx.Problem(cvx.Maximize(delta), cons)
    best = np.sqrt(g / g.sum(axis=1, keepdims=True))  # equal power: a feasible lower bound
    lo = float(np.min(_ngo_sinr(best, b, g, N)))
    hi = float(np.min(N * np.sum(np.sqrt(g), axis=0) ** 2))  # full power, no interference
    while hi - lo > rel * hi:
        t = math.sqrt(lo * hi)
        inv_sqrt_t.value = 1.0 / math.sqrt(t)
        prob.solve(solver=cvx.CLARABEL)
        assert prob.status in (cvx.OPTIMAL, cvx.OPTIMAL_INACCURATE), prob.status
        if delta.value >= 0:
            lo, best = t, np.maximum(U.value, 0.0)
        else:
            hi = t
    return lo, hi, best


def _layout(params, i):
    r = seeds.rng(SEED, i, "layout")
    return large_scale_fading(draw_layout(params, r), params, r)


CASES = [  # (params overrides, layout index); the first two are the paper's size (M=32, N=8, K=4, L=2)
    ({}, 0),
    ({}, 1),
    ({"M": 8, "N": 4, "K": 3, "L": 1}, 0),
    ({"M": 6, "N": 2, "K": 2, "L": 2}, 1),
    ({"M": 16, "N": 8, "K": 6, "L": 2}, 0),
]


@pytest.mark.parametrize("kw,i", CASES, ids=[f"{kw or 'paper'}-{i}" for kw, i in CASES])
def test_cp_reaches_ngo_global_max_min(kw, i):
    p = SystemParams(**OFF, **kw)
    ls = _layout(p, i)
    b = p.rho_norm * np.asarray(ls.beta)  # noise-normalised gains, computed here (not by the package)
    g = p.rho_norm * np.asarray(ls.gamma)
    lo, hi, U = ngo_max_min(b, g, p.N)
    assert np.min(_ngo_sinr(U, b, g, p.N)) >= lo * (1 - 1e-6)  # the reference point attains its bound
    assert np.all(np.sum(U**2, axis=1) <= 1 + 1e-6)

    d = optimise("cp", ls, p, seeds.rng(SEED, i, "cp"))
    assert d.feasible, d.solver_status
    assert np.all(d.ap_mode == 1)
    assert np.all(d.power_s == 0)
    assert np.all(d.power_c >= 0) and np.all(d.power_c.sum(axis=1) <= 1 + 1e-6)
    v = float(np.min(_ngo_sinr(np.sqrt(d.power_c), b, g, p.N)))
    assert v == pytest.approx(float(np.min(d.metrics.sinr_ue)), rel=1e-9)  # eq. (9) with a = 1, q = 0 is Ngo's
    gap = (lo - v) / lo
    print(f"{kw or 'paper size'} layout {i}: bisection {lo:.6f} (upper {hi:.6f}), optimise {v:.6f}, gap {gap:.2e}")
    assert gap <= GAP_TOL
    assert v <= hi * (1 + ABOVE_TOL)


def test_closest_old_call_keeps_a_sensing_ap_and_the_baseline_is_ngo_equal_power():
    p = SystemParams(**OFF)
    ls = _layout(p, 0)
    ch = normalize(ls, p)
    base = optimise("baseline", ls, p, seeds.rng(SEED, 0, "baseline"))
    assert base.feasible and np.all(base.ap_mode == 1)
    np.testing.assert_allclose(base.power_c, ch.g / ch.g.sum(axis=1, keepdims=True), rtol=1e-12)
    assert np.all(base.power_s == 0)
    d = optimise("cp", ls, p, seeds.rng(SEED, 0, "cp"))
    old = optimise("cp", ls, SystemParams(nu=1e12, kappa_db=-100.0), seeds.rng(SEED, 0, "cp"))
    assert old.ap_mode.sum() < p.M  # a finite kappa needs a sensing AP
    assert np.min(d.metrics.sinr_ue) > np.min(old.metrics.sinr_ue) > np.min(base.metrics.sinr_ue)


def test_every_scheme_runs_without_nan_with_the_constraints_off():
    p = SystemParams(M=6, N=2, K=2, L=2, **OFF)
    ls = _layout(p, 2)
    for scheme in ("cp", "sp", "sp_early", "baseline", "cp_paper", "sp_paper"):
        d = optimise(scheme, ls, p, seeds.rng(SEED, 2, scheme))
        m = d.metrics
        for arr in (d.power_c, d.power_s, m.sinr_ue, m.sinr_eve, m.masr, m.secrecy_ue, d.trace.objective):
            assert np.all(np.isfinite(arr)), scheme
        assert d.feasible, (scheme, d.solver_status)
        if scheme in ("cp", "cp_paper", "baseline"):
            assert np.all(d.ap_mode == 1), scheme


# --- validation -----------------------------------------------------------------------------------------------


def test_off_values_are_accepted():
    p = SystemParams(**OFF)
    assert p.kappa == 0.0 and not p.eve_constraint and not p.masr_constraint
    assert SystemParams().eve_constraint and SystemParams().masr_constraint
    assert SystemParams(nu=np.float64(np.inf), kappa_db=np.float64(-np.inf)).kappa == 0.0


@pytest.mark.parametrize("field,kwargs", [
    ("nu", {"nu": float("nan")}),
    ("nu", {"nu": -math.inf}),
    ("nu", {"nu": 0.0}),
    ("kappa_db", {"kappa_db": math.inf}),
    ("kappa_db", {"kappa_db": float("nan")}),
    ("varsigma_db", {"varsigma_db": -math.inf}),
    ("side_m", {"side_m": math.inf}),
    ("rho_w", {"rho_w": math.inf}),
])
def test_bad_values_raise_naming_the_argument(field, kwargs):
    with pytest.raises(ValueError, match=rf"^{field}\b"):
        SystemParams(**kwargs)


# --- the switched-off constraints in the building blocks ----------------------------------------------------------


def _small(**kw):
    p = SystemParams(M=6, N=4, K=2, L=2, **kw)
    return p, normalize(_layout(p, 3), p)


def test_linear_rows_with_constraints_off_are_finite_and_always_satisfied():
    p, ch = _small(**OFF)
    eA, eQ, eC, mQ, mW = sca.linear_rows(ch, p.nu, p.kappa)
    for arr in (eA, eC, mW, *eQ, *mQ):
        assert np.all(np.isfinite(arr))
    assert np.all(eA == 0) and all(np.all(e == 0) for e in eQ) and np.all(eC > 0)
    assert np.all(mW == 0) and all(np.all(m >= 0) for m in mQ)
    rng = np.random.default_rng(0)
    for _ in range(20):
        S, q = rng.random(p.M), rng.random((p.M, p.L))
        eve = np.array([np.sum(eQ[l] * q) for l in range(p.L)]) + eC - eA @ S
        masr = np.array([np.sum(mQ[l] * q) for l in range(p.L)]) - mW @ S
        assert np.all(eve > 0) and np.all(masr >= 0)


def test_margins_skip_switched_off_constraints():
    p, ch = _small(**OFF)
    a = np.array([1, 1, 1, 1, 0, 0])
    s = 0.4 * a[:, None] * np.ones((p.M, p.K))
    q = 0.5 * (1 - a)[:, None] * np.ones((p.M, p.L))
    met = evaluate(s, q, ch, p)
    m = constraint_margins("cp", a, s, q, met, p)
    assert "eve" not in m and "masr" not in m
    assert all(np.isfinite(v) for v in m.values())
    assert constraint_margins("baseline", a, s, q, met, p) == {}
    assert is_feasible("baseline", a, 0 * s, 0 * q, evaluate(0 * s, 0 * q, ch, p), p, 1e-4)  # MASR 0 is fine
    m_eve_off = constraint_margins("cp", a, s, q, met, SystemParams(M=6, N=4, K=2, L=2, nu=math.inf))
    assert "masr" in m_eve_off and "eve" not in m_eve_off
    m_masr_off = constraint_margins("cp", a, s, q, met, SystemParams(M=6, N=4, K=2, L=2, kappa_db=-math.inf))
    assert "eve" in m_masr_off and "masr" not in m_masr_off and np.isfinite(m_masr_off["eve"])


def test_all_c_start_and_draws():
    p, ch = _small(**OFF)
    rng = np.random.default_rng(1)
    state = rng.bit_generator.state
    a, s, q, first = init.cp_mode_draws(ch, p, rng, SolverOptions())
    assert np.all(a == 1) and np.all(first == 1) and np.all(q == 0)
    np.testing.assert_allclose(s, ch.g / ch.g.sum(axis=1, keepdims=True))  # c = 1 for nu = inf
    assert rng.bit_generator.state == state  # no draw
    # finite nu, MASR off: the random draws stay (sensing power jams Eve); the all-C start meets Eve = nu exactly
    p_nu, _ = _small(nu=1e-3, kappa_db=-math.inf)
    a2, s2, q2, _ = init.cp_mode_draws(ch, p_nu, np.random.default_rng(1), SolverOptions())
    assert 0 < a2.sum() < p.M
    a3, s3, q3 = init.all_c_start(ch, p_nu)
    assert np.max(evaluate(s3, q3, ch, p_nu).sinr_eve) == pytest.approx(1e-3, rel=1e-12)
    st = init.phase1_start(ch, p_nu, a2, SolverOptions())
    assert st.ok and st.method == "all_c" and np.all(st.a == 1)


def test_repair_allows_all_c_only_without_masr():
    p, ch = _small(**OFF)
    opts = SolverOptions()
    ones, zeros = np.ones(p.M, dtype=np.int8), np.zeros(p.M, dtype=np.int8)
    s = ch.g / ch.g.sum(axis=1, keepdims=True)
    q = np.zeros((p.M, p.L))
    r = repair.fixed_mode_power("cp", ch, p, ones, s, q, opts)
    assert r.feasible and np.all(r.a == 1)
    assert not repair.fixed_mode_power("cp", ch, p, zeros, 0 * s, q + 0.5, opts).feasible
    p_on = SystemParams(M=6, N=4, K=2, L=2, nu=math.inf)  # MASR on: all-C is infeasible (MASR 0)
    assert not repair.fixed_mode_power("cp", ch, p_on, ones, s, q, opts).feasible


def test_remaining_change_is_aitken_extrapolation():
    seq = [10.0 - 0.5**n for n in range(6)]  # ratio 1/2: the steps still to come sum to the last step
    assert penalty.remaining_change(seq) == pytest.approx(0.5**5)
    assert penalty.remaining_change([1.0, 2.0, 1.5]) == 0.0  # oscillation
    assert penalty.remaining_change([1.0, 2.0, 3.0]) == math.inf  # steps not shrinking
    assert penalty.remaining_change([1.0, 2.0]) == math.inf
    assert penalty.remaining_change([1.0, 2.0, 2.0]) == 0.0
