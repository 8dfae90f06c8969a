"""Paper-faithful SCA (cp_paper, sp_paper): bounds, DC algebra, surrogate tightness, iterate invariants, end to end."""

import cvxpy as cvx
import numpy as np
import pytest

from secure_isac.cfmmimo import paper_sca as ps
from secure_isac.cfmmimo.channels import large_scale_fading
from secure_isac.cfmmimo.closed_forms import evaluate, normalize
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.cfmmimo.penalty import relaxed_sca
from secure_isac.cfmmimo.solvers import clear_compiled

RTOL = 1e-5  # solver tolerance (CLARABEL 1e-8 on rows scaled to O(1)) with margin
ATOL = 1e-9


def _paper_sca(kind, ch, params, a0, s0, q0, options=None, *, iterates=None):
    """The paper-faithful penalty SCA (cp_paper, sp_paper): penalty.relaxed_sca with the PaperSurrogate."""
    return relaxed_sca(kind, ch, params, a0, s0, q0, SolverOptions() if options is None else options,
                       surrogate=ps.PaperSurrogate, iterates=iterates)


def _instance(M=10, K=3, L=2, seed=3, **kw):
    params = SystemParams(M=M, K=K, L=L, **kw)
    rng = np.random.default_rng(seed)
    ls = large_scale_fading(draw_layout(params, rng), params, rng)
    return params, ls, normalize(ls, params)


def _random_point(params, ch, rng, frac=True):
    """A relaxed point that meets the paper budgets: a in [0,1], st_m <= a^2, qt_m <= 1 - a^2."""
    M, K, L = params.M, params.K, params.L
    a = rng.uniform(0.05, 0.95, M) if frac else (rng.random(M) < 0.5).astype(float)
    st = rng.random((M, K))
    st *= (0.8 * a**2 / st.sum(axis=1))[:, None]
    qt = rng.random((M, L))
    qt *= (0.8 * (1 - a**2) / qt.sum(axis=1))[:, None]
    return ps._Point(a=a, st=st, qt=qt)


# --- pure algebra ------------------------------------------------------------------------------------------------


def test_amgm_majorant_bounds_trilinear_and_is_tight():
    rng = np.random.default_rng(0)
    x0 = rng.uniform(0.0, 3.0, (3, 2000))
    x = rng.uniform(0.0, 3.0, (3, 2000))
    x0[:, :20] = 0.0  # floors at zero coordinates
    maj = ps.amgm_majorant(*x, *x0)
    assert np.all(maj >= x[0] * x[1] * x[2] * (1 - 1e-12))
    at0 = ps.amgm_majorant(*x0[:, 20:], *x0[:, 20:])
    np.testing.assert_allclose(at0, np.prod(x0[:, 20:], axis=0), rtol=1e-12)
    # equal at the expansion point, including its gradient (tangency): central differences
    p0 = np.array([0.7, 0.3, 2.1])
    h = 1e-6
    for i in range(3):
        e = np.zeros(3)
        e[i] = h
        g_maj = (ps.amgm_majorant(*(p0 + e), *p0) - ps.amgm_majorant(*(p0 - e), *p0)) / (2 * h)
        g_true = (np.prod(p0 + e) - np.prod(p0 - e)) / (2 * h)
        assert g_maj == pytest.approx(g_true, rel=1e-6)


def test_taylor_form_35_is_not_an_upper_bound():
    # docs/deviations.md S1-A1 counterexample: expanded at (1,1,1), evaluated at (2,2,2): 4 < 8 = t a eps
    assert ps.taylor_35(2, 2, 2, 1, 1, 1) == pytest.approx(4.0)
    assert ps.taylor_35(2, 2, 2, 1, 1, 1) < 2 * 2 * 2
    assert ps.amgm_majorant(2, 2, 2, 1, 1, 1) >= 8.0


def test_scaled_dc_identity_and_scale():
    rng = np.random.default_rng(1)
    a = rng.uniform(0, 1, 500)
    mu = rng.normal(0, 1, 500) * 10.0 ** rng.uniform(-6, 4, 500)  # any sign, many magnitudes
    c = ps.dc_scale(mu, a)
    plus, minus = ps.dc_split(a, mu, c)
    np.testing.assert_allclose(plus - minus, 4 * a * mu, rtol=1e-9, atol=1e-12 * np.max(np.abs(a * mu)))
    # c balances the two halves of each square at the expansion point: c a0 = |mu0| / c
    big = (a > ps.DC_EPS) & (np.abs(mu) > ps.DC_EPS)
    np.testing.assert_allclose((c * a)[big], (np.abs(mu) / c)[big], rtol=1e-12)
    assert ps.dc_scale(0.0, 0.0) == pytest.approx(1.0)


def test_nominal_effective_round_trip_and_budget_scaling():
    params, _, ch = _instance(M=8, K=2)
    rng = np.random.default_rng(2)
    a = np.array([1, 0, 1, 1, 0, 0, 1, 0], float)
    s = a[:, None] * rng.dirichlet(np.ones(2), 8) * 0.9
    q = (1 - a)[:, None] * rng.dirichlet(np.ones(2), 8)
    st, qt = ps.nominal_from_effective(a, s, q)
    s2, q2 = ps.effective_from_nominal(a, st, qt)
    np.testing.assert_allclose(s2, s)
    np.testing.assert_allclose(q2, q)
    assert np.all(st[a == 0] == 0) and np.all(qt[a == 1] == 0)
    # fractional start meeting only the linear budgets: scaled into the paper budgets, Eve does not grow, MASR fixed
    af = np.full(8, 0.5)
    sf = 0.5 * rng.dirichlet(np.ones(2), 8)
    qf = 0.5 * rng.dirichlet(np.ones(2), 8)
    st, qt = ps.nominal_from_effective(af, sf, qf)
    assert np.all(st.sum(1) <= af**2 + 1e-12) and np.all(qt.sum(1) <= 1 - af**2 + 1e-12)
    s2, q2 = ps.effective_from_nominal(af, st, qt)
    m1, m2 = evaluate(sf, qf, ch, params), evaluate(s2, q2, ch, params)
    assert np.all(m2.sinr_eve <= m1.sinr_eve * (1 + 1e-12))
    np.testing.assert_allclose(m2.masr, m1.masr, rtol=1e-10)


# --- compiled subproblems ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["corrected", "printed"])
@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_subproblems_are_dpp_and_cached(kind, form):
    assert ps.subproblem_is_dpp(kind, 6, 2, 2, form)
    assert ps._subproblem(kind, 6, 2, 2, form) is ps._subproblem(kind, 6, 2, 2, form)
    assert ps.subproblem_is_dpp(kind, 5, 3, 3, form)


def _set_point(sub, pt, params, ch):
    """Give the cvxpy variables the values of pt (u = sqrt(a st), t set by the caller)."""
    sub.a.value = pt.a
    sub.st.value = pt.st
    sub.qt.value = pt.qt
    sub.u.value = np.sqrt(pt.a[:, None] * pt.st)
    if params.ue_sinr_form == "printed":
        sub.blocks["T"].value = np.sum(ch.b * pt.st, axis=1)


def _residual(con):
    """lhs - rhs of a row 'lhs >= rhs' at the current variable values (cvxpy stores rhs - lhs <= 0)."""
    return -float(np.sum(con.expr.value))


@pytest.mark.parametrize("form", ["corrected", "printed"])
@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_surrogate_rows_are_tight_at_the_expansion_point(kind, form):
    """At a fractional point each DC/AM-GM surrogate row equals the exact closed-form constraint (scaled)."""
    params, _, ch = _instance(M=7, K=3, L=2, seed=5, ue_sinr_form=form)
    rng = np.random.default_rng(9)
    pt = _random_point(params, ch, rng)
    s, q = ps.effective_from_nominal(pt.a, pt.st, pt.qt)
    m = evaluate(s, q, ch, params)
    t0 = float(np.min(m.sinr_ue)) if kind == "cp" else float(np.max(m.sinr_eve))
    sub = ps._subproblem(kind, params.M, params.K, params.L, form)
    sub.set(ps._parameter_values(kind, ch, params, pt, t0, 1.0, form))
    _set_point(sub, pt, params, ch)
    sub.t.value = t0
    N = ch.N
    S = s.sum(1)
    E = np.sum(ch.z * np.einsum("mlj,mj->ml", ch.G_hat, q), axis=0) + 1.0  # Eve denominator (17), effective
    A = ch.z.T @ S
    for k in range(params.K):
        target = m.sinr_ue[k] / t0 - 1.0 if kind == "cp" else m.sinr_ue[k] / params.varsigma - 1.0
        # row k = sigma_k 4 (x_k^2 / t - D_k) with sigma_k = 1/(4 D_k): = SINR_k / t - 1
        assert _residual(sub.rows[("ue", k)]) == pytest.approx(target, rel=1e-7, abs=1e-9)
    zeta = ch.z / ch.z.max()
    off = 1 - np.eye(params.L)
    for l in range(params.L):
        Q_l = N * np.sum(zeta[:, l] * q[:, l])
        C_l = np.sum(zeta[:, l] * S) + np.sum(zeta[:, l] * np.sum(ch.G_hat[:, l, :] * off[l] * q, axis=1))
        r = _residual(sub.rows[("masr", l)])
        # row = sigma (Q - kappa C) with sigma > 0 computed from nominal powers: compare the sign-carrying ratio
        assert np.sign(r) == np.sign(m.masr[l] - params.kappa)
        sig = r / (Q_l - params.kappa * C_l)
        assert sig > 0
        r_eve = _residual(sub.rows[("eve", l)])
        if kind == "cp":
            # row = sigma 4 (nu E - A), sigma = 1/(4 nu E_nominal)
            E_nom = np.sum(ch.z[:, l] * np.einsum("mj,mj->m", ch.G_hat[:, l, :], pt.qt)) + 1.0
            assert r_eve == pytest.approx((params.nu * E[l] - A[l]) / (params.nu * E_nom), rel=1e-7, abs=1e-9)
        else:
            # row = sigma 4 (t0 E - A), the DC squares and the AM-GM majorant tight at the point,
            # sigma = 1/(4 (t0 (sum_m eps_ml + 1) + A_l)) with eps from the nominal sensing fractions
            eps_sum = np.sum(ch.z[:, l] * np.einsum("mj,mj->m", ch.G_hat[:, l, :], pt.qt))
            want = (t0 * E[l] - A[l]) / (t0 * (eps_sum + 1.0) + A[l])
            assert r_eve == pytest.approx(want, rel=1e-6, abs=1e-9)
    # the MASR scale factor is the one documented in _parameter_values: check one value exactly
    l = 0
    sig_expected = 1.0 / (4.0 * (N * np.sum(zeta[:, l] * pt.qt[:, l]) + params.kappa * np.sum(
        zeta[:, l] * (np.einsum("mj,mj->m", ch.G_hat[:, l, :], pt.qt) - ch.G_hat[:, l, l] * pt.qt[:, l]))))
    Q_l = N * np.sum(zeta[:, l] * q[:, l])
    C_l = np.sum(zeta[:, l] * S) + np.sum(zeta[:, l] * np.sum(ch.G_hat[:, l, :] * off[l] * q, axis=1))
    assert _residual(sub.rows[("masr", l)]) == pytest.approx(4 * sig_expected * (Q_l - params.kappa * C_l), rel=1e-7)


@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_current_point_is_feasible_for_its_subproblem(kind):
    """Inner approximation: every row and budget holds at the expansion point (a feasible start)."""
    params, _, ch = _instance(M=7, K=3, L=2, seed=5)
    rng = np.random.default_rng(4)
    for _ in range(5):
        pt = _random_point(params, ch, rng)
        s, q = ps.effective_from_nominal(pt.a, pt.st, pt.qt)
        m = evaluate(s, q, ch, params)
        t0 = float(np.min(m.sinr_ue)) if kind == "cp" else float(np.max(m.sinr_eve))
        sub = ps._subproblem(kind, params.M, params.K, params.L, "corrected")
        sub.set(ps._parameter_values(kind, ch, params, pt, t0, 1.0, "corrected"))
        _set_point(sub, pt, params, ch)
        sub.t.value = t0
        for (row, i), con in sub.rows.items():
            if row == "ue":
                margin = m.sinr_ue[i] - (t0 if kind == "cp" else params.varsigma)
            elif row == "masr":
                margin = m.masr[i] - params.kappa
            else:
                margin = (params.nu if kind == "cp" else t0) - m.sinr_eve[i]
            # the surrogate row holds at the point exactly when the closed-form constraint does
            assert abs(margin) < 1e-12 or np.sign(_residual(con)) == np.sign(margin), (row, i)
            if row == "ue" and kind == "cp" and margin < 1e-12:  # the worst UE is active
                assert abs(_residual(con)) < 1e-9


# --- full runs ---------------------------------------------------------------------------------------------------


def _start(kind, params, ch, seed):
    from secure_isac.cfmmimo.start import feasible_start

    st = feasible_start(kind, ch, params, np.random.default_rng(seed), SolverOptions())
    assert st.ok, st.method
    return st


def _check_iterates(kind, params, ch, its):
    assert len(its) >= 2
    for n, d in enumerate(its):
        a, st, qt = d["a"], d["st"], d["qt"]
        # paper budgets (21d)/(21e): N sum eta^c gamma <= a^2 and N sum eta^s <= 1 - a^2 (all iterates)
        assert np.all(st.sum(1) <= a**2 + RTOL), n
        assert np.all(qt.sum(1) <= 1 - a**2 + RTOL), n
        assert np.all((a >= 0) & (a <= 1)), n
        s, q = ps.effective_from_nominal(a, st, qt)
        np.testing.assert_allclose(d["s"], s)
        m = evaluate(s, q, ch, params)
        assert np.all(m.masr >= params.kappa * (1 - RTOL)), n
        t = d["t_solver"]
        if kind == "cp":
            assert np.all(m.sinr_eve <= params.nu * (1 + RTOL)), n
            assert np.all(m.sinr_ue >= t * (1 - RTOL) - ATOL), n
        else:
            assert np.all(m.sinr_ue >= params.varsigma * (1 - RTOL)), n
            assert np.all(m.sinr_eve <= t * (1 + RTOL) + ATOL), n


@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_every_iterate_satisfies_exact_constraints(kind):
    params, _, ch = _instance(M=10, K=3, L=2, seed=3)
    start = _start(kind, params, ch, 11)
    its = []
    res = _paper_sca(kind, ch, params, start.a, start.s, start.q, SolverOptions(max_iter=25), iterates=its)
    assert not res.status.startswith(("bad_start", "solver_error")), res.status
    assert len(res.trace) == len(its)
    _check_iterates(kind, params, ch, its)
    tr = res.trace
    m0 = evaluate(start.s, start.q, ch, params)
    assert tr.rate_ue_min[0] == pytest.approx(np.min(m0.rate_ue))
    assert tr.rate_eve_max[0] == pytest.approx(np.max(m0.rate_eve))
    assert set(tr.phase) == {"penalty"}
    assert tr.solve_time[0] == 0.0 and np.all(tr.solve_time[1:] > 0)
    # the result is the last iterate, in effective powers
    np.testing.assert_allclose(res.s, its[-1]["s"])
    np.testing.assert_allclose(res.a, its[-1]["a"])
    if kind == "cp":  # CP improves on its start; SP lowers Eve's SINR
        assert tr.rate_ue_min[-1] > tr.rate_ue_min[0]
    else:
        assert tr.rate_eve_max[-1] < tr.rate_eve_max[0]


def test_printed_form_iterates_are_feasible():
    params, _, ch = _instance(M=8, K=3, L=2, seed=4, ue_sinr_form="printed")
    start = _start("cp", params, ch, 2)
    its = []
    _paper_sca("cp", ch, params, start.a, start.s, start.q, SolverOptions(max_iter=10), iterates=its)
    _check_iterates("cp", params, ch, its)


def test_bad_inputs_raise_and_solver_failure_is_recorded(monkeypatch):
    params, _, ch = _instance(M=6, K=2, L=2)
    a = np.array([1, 0, 1, 0, 1, 0], float)
    s = a[:, None] * 0.01 * np.ones((6, 2))
    q = (1 - a)[:, None] * 0.5 * np.ones((6, 2))
    with pytest.raises(ValueError, match="kind"):
        _paper_sca("xx", ch, params, a, s, q)
    with pytest.raises(ValueError, match="s0"):
        _paper_sca("cp", ch, params, a, s[:, :1], q)
    with pytest.raises(ValueError, match="q0"):
        _paper_sca("cp", ch, params, a, s, -q)
    with pytest.raises(ValueError, match="a0"):
        _paper_sca("cp", ch, params, a + 1, s, q)
    res = _paper_sca("cp", ch, params, a, np.zeros_like(s), q)  # no comm power: t0 = 0
    assert res.status.startswith("bad_start") and not res.converged

    def boom(*args, **kw):
        raise cvx.error.SolverError("injected failure")

    monkeypatch.setattr(cvx.Problem, "solve", boom)
    res = _paper_sca("cp", ch, params, a, s, q)
    assert "solver_error" in res.status and "iteration 1" in res.status
    assert len(res.trace) == 1 and not res.converged
    np.testing.assert_allclose(res.s, s)


@pytest.mark.parametrize("scheme", ["cp_paper", "sp_paper"])
def test_optimise_end_to_end(scheme):
    from secure_isac.cfmmimo.design import optimise

    params, ls, ch = _instance(M=10, K=3, L=2, seed=7)
    d = optimise(scheme, ls, params, np.random.default_rng(5), SolverOptions(max_iter=40))
    assert d.scheme == scheme
    assert set(np.unique(d.ap_mode)) <= {0, 1}
    m = evaluate(d.power_c, d.power_s, ch, params)
    np.testing.assert_allclose(m.sinr_ue, d.metrics.sinr_ue)
    assert "relaxed=" in d.solver_status
    assert d.feasible, d.solver_status
    a = d.ap_mode.astype(float)
    tol = 1e-4
    assert np.all(d.power_c.sum(1) <= a + tol) and np.all(d.power_s.sum(1) <= 1 - a + tol)
    assert np.all(m.masr >= params.kappa * (1 - tol))
    if scheme == "cp_paper":
        assert np.all(m.sinr_eve <= params.nu * (1 + tol))
    else:
        assert np.all(m.sinr_ue >= params.varsigma * (1 - tol))
    assert len(d.trace) >= 2 and d.trace.phase[0] == "penalty"


def test_step_leaving_the_feasible_set_is_rejected(monkeypatch):
    """A solve whose new iterate violates the exact constraints ends the run at the last feasible iterate."""
    params, _, ch = _instance(M=8, K=2, L=2, seed=4)
    start = _start("cp", params, ch, 2)
    calls = []

    def judge(kind, a, s, q, m, prm, tol):
        calls.append(1)
        return len(calls) == 1  # the start is feasible, the first new iterate "is not"

    from secure_isac.cfmmimo import penalty

    monkeypatch.setattr(penalty, "iterate_feasible", judge)  # the one loop both surrogates run in
    res = _paper_sca("cp", ch, params, start.a, start.s, start.q)
    assert res.status.startswith("inaccurate step rejected") and "iteration 1" in res.status
    assert len(res.trace) == 1
    np.testing.assert_allclose(res.s, start.s, rtol=1e-12)


@pytest.mark.parametrize("scheme", ["cp_paper", "sp_paper"])
def test_paper_design_does_not_depend_on_earlier_solves(scheme):
    """A design depends only on its inputs, not on the designs solved before it in the process (job split)."""
    from secure_isac.cfmmimo.design import optimise

    params = SystemParams(M=12, K=2, L=2)
    lss = []
    for i in range(2):
        r = np.random.default_rng(100 + i)
        lss.append(large_scale_fading(draw_layout(params, r), params, r))
    opts = SolverOptions(max_iter=15, repair_max_iter=10)
    clear_compiled()
    alone = optimise(scheme, lss[1], params, np.random.default_rng(7), opts)
    clear_compiled()
    optimise(scheme, lss[0], params, np.random.default_rng(6), opts)
    after = optimise(scheme, lss[1], params, np.random.default_rng(7), opts)
    np.testing.assert_array_equal(after.ap_mode, alone.ap_mode)
    np.testing.assert_array_equal(after.power_c, alone.power_c)
    np.testing.assert_array_equal(after.power_s, alone.power_s)


def test_cp_paper_from_a_relaxed_start():
    """SolverOptions(paper_start="relaxed") starts cp_paper from a random fractional point of the relaxed problem
    (docs/deviations.md S1-O30): the design is feasible and its modes are not the rounded start (the penalty phase
    decides them; from a binary start (21d) locks every S-AP, S1-A7). The default is the binary start, bit for bit."""
    from secure_isac.cfmmimo import start as init
    from secure_isac.cfmmimo.design import optimise

    params, ls, ch = _instance(M=10, K=3, L=2, seed=7)
    opts = SolverOptions(max_iter=40, paper_start="relaxed")
    d = optimise("cp_paper", ls, params, np.random.default_rng(5), opts)
    assert d.solver_status.startswith("start=relaxed;") and d.feasible, d.solver_status
    st = init.relaxed_start(ch, params, np.random.default_rng(5), opts)
    assert not np.array_equal(d.ap_mode, (st.a >= 0.5).astype(np.int8))
    m = evaluate(d.power_c, d.power_s, ch, params)
    assert np.all(m.masr >= params.kappa * (1 - 1e-4)) and np.all(m.sinr_eve <= params.nu * (1 + 1e-4))
    default = optimise("cp_paper", ls, params, np.random.default_rng(5), SolverOptions(max_iter=40))
    binary = optimise("cp_paper", ls, params, np.random.default_rng(5), SolverOptions(max_iter=40,
                                                                                      paper_start="binary"))
    assert default.solver_status.startswith("start=random;")
    for name in ("ap_mode", "power_c", "power_s"):
        np.testing.assert_array_equal(getattr(default, name), getattr(binary, name))
