"""Corrected-SCA subproblems (docs/model.md 1.9-1.10): DPP, exact linear rows vs the closed forms, SCA invariants,
fast path == cvxpy path."""

import numpy as np
import pytest
from sca_checks import check_iterate

from secure_isac import seeds
from secure_isac.cfmmimo import channels, geometry, sca
from secure_isac.cfmmimo import start as init
from secure_isac.cfmmimo.closed_forms import evaluate, masr, normalize, sinr_eve
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.cfmmimo.penalty import objective_t, relaxed_sca


def _instance(M=12, K=2, L=2, seed=3, **kw):
    p = SystemParams(M=M, K=K, L=L, **kw)
    r = seeds.rng(seed, 0, "layout")
    ls = channels.large_scale_fading(geometry.draw_layout(p, r), p, r)
    return p, normalize(ls, p)


def _start(kind, p, ch, seed=3):
    st = init.feasible_start(kind, ch, p, seeds.rng(seed, 0, kind), SolverOptions())
    assert st.ok, st.method
    return st


@pytest.mark.parametrize("kind", ["cp", "sp"])
@pytest.mark.parametrize("form", ["corrected", "printed"])
@pytest.mark.parametrize("shape", [(8, 2, 2), (32, 4, 2)])
def test_subproblems_are_dpp(kind, form, shape):
    sub = sca.subproblem(kind, *shape, form)
    assert sub.problem.is_dcp(dpp=True)
    assert sca.subproblem(kind, *shape, form) is sub  # built once per shape


def test_phase1_problem_is_dpp():
    assert init._Phase1(8, 2, 2).problem.is_dcp(dpp=True)


def test_linear_rows_match_closed_forms():
    """Exact linear Eve and MASR rows at random (S, q) reproduce eq. (17) and eq. (12) (up to positive row scales)."""
    p, ch = _instance(M=10, K=3, L=3, seed=5)
    rng = np.random.default_rng(0)
    eA, eQ, eC, mQ, mW = sca.linear_rows(ch, p.nu, p.kappa)
    for _ in range(5):
        s = rng.random((10, 3)) * 0.3
        q = rng.random((10, 3)) * 0.3
        S = s.sum(axis=1)
        lhs = eA @ S
        rhs = np.array([np.sum(eQ[l] * q) for l in range(3)]) + eC
        np.testing.assert_allclose(lhs / rhs, sinr_eve(s, q, ch) / p.nu, rtol=1e-10)
        row = np.array([np.sum(mQ[l] * q) for l in range(3)]) - mW @ S
        # row_l = scale_l (Q_l - kappa C_l); its only positive part is the mainlobe term Q_l (column l of mQ[l])
        pos = np.array([mQ[l][:, l] @ q[:, l] for l in range(3)])
        np.testing.assert_allclose(p.kappa * pos / (pos - row), masr(s, q, ch), rtol=1e-10)


@pytest.mark.parametrize("kind", ["cp", "sp"])
@pytest.mark.parametrize("form", ["corrected", "printed"])
def test_sca_invariants_penalty_and_fixed_modes(kind, form):
    """Every iterate meets the exact constraints and SINR_k >= t (CP) / SINR_l <= t (SP) (closed forms in the
    same UE-SINR form); with fixed a the closed-form t is monotone (CP non-decreasing, SP non-increasing)."""
    p, ch = _instance(M=12, K=2, seed=3, ue_sinr_form=form)
    st = _start(kind, p, ch)
    M, K, L = 12, 2, 2
    sub = sca.subproblem(kind, M, K, L, form)
    sub.set_channel(ch, p.nu, p.kappa)
    for fixed in (False, True):
        a, s, q = st.a.copy(), st.s.copy(), st.q.copy()
        t_prev = objective_t(kind, evaluate(s, q, ch, p))
        lam = 0.0 if fixed else t_prev
        lo, hi = (a, a) if fixed else (np.zeros(M), np.ones(M))
        for _ in range(6):
            sub.set_point(a, s, q, t_prev, lam, lo, hi, p.varsigma)
            status, sol, _ = sub.solve("CLARABEL", None)
            assert sol is not None, status
            met = check_iterate(kind, p, ch, sol)
            a, s, q = sol.a, sol.s, sol.q
            t_new = objective_t(kind, met)
            if fixed:
                if kind == "cp":
                    assert t_new >= t_prev * (1 - 1e-7)
                else:
                    assert t_new <= t_prev * (1 + 1e-7)
            t_prev = t_new
            lam *= 1.5


@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_fixed_mode_trace_monotone(kind):
    p, ch = _instance(M=10, K=2, seed=4)
    st = _start(kind, p, ch, seed=4)
    res = relaxed_sca(kind, ch, p, st.a, st.s, st.q, SolverOptions(), fixed_a=st.a_draw, max_iter=15)
    obj = res.trace.objective
    assert len(obj) >= 3
    d = np.diff(obj) if kind == "cp" else -np.diff(obj)
    assert np.all(d >= -1e-7 * np.abs(obj[:-1]))
    assert np.all(res.trace.binary_distance == 0)


@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_fast_path_equals_cvxpy_path(kind):
    p, ch = _instance(M=10, K=2, seed=6)
    st = _start(kind, p, ch, seed=6)
    sub = sca.subproblem(kind, 10, 2, 2)
    sub.set_channel(ch, p.nu, p.kappa)
    t0 = objective_t(kind, evaluate(st.s, st.q, ch, p))
    sub.set_point(st.a, st.s, st.q, t0, 0.5 * t0, np.zeros(10), np.ones(10), p.varsigma)
    _, fast, _ = sub.solve("CLARABEL", None, fast=True)
    _, slow, _ = sub.solve("CLARABEL", None, fast=False)
    # pinned to the installed cvxpy: the compiled parameter map reproduces cvxpy's own problem data
    assert sub.fast.available is True
    np.testing.assert_allclose(fast.t, slow.t, rtol=1e-6)  # optimal value (the optimiser need not be unique)
    check_iterate(kind, p, ch, fast)
    check_iterate(kind, p, ch, slow)


def test_scs_subproblem_agrees_with_clarabel():
    p, ch = _instance(M=8, K=2, seed=7)
    st = _start("cp", p, ch, seed=7)
    sub = sca.subproblem("cp", 8, 2, 2)
    sub.set_channel(ch, p.nu, p.kappa)
    t0 = objective_t("cp", evaluate(st.s, st.q, ch, p))
    sub.set_point(st.a, st.s, st.q, t0, 0.0, st.a, st.a, p.varsigma)
    _, c, _ = sub.solve("CLARABEL", None)
    _, s, _ = sub.solve("SCS", None)
    assert s is not None
    np.testing.assert_allclose(s.t, c.t, rtol=1e-3)


def test_fast_path_reports_cvxpy_api_drift():
    """If cvxpy's internals change (here: the compiled data lack an attribute), the fast path says so
    and the subproblem solves through cvxpy instead of failing."""
    from secure_isac.cfmmimo.clarabel_fast import ClarabelFastPath

    class Drifted:  # a cvxpy whose compiled problem data no longer look as the fast path expects
        def get_problem_data(self, *args, **kwargs):
            raise AttributeError("'ParamConeProg' object has no attribute 'reduced_A'")


    p, ch = _instance(M=8, K=2, seed=3)
    st = _start("cp", p, ch, seed=3)
    sub = sca.subproblem("cp", 8, 2, 2)
    sub.set_channel(ch, p.nu, p.kappa)
    t0 = objective_t("cp", evaluate(st.s, st.q, ch, p))
    sub.set_point(st.a, st.s, st.q, t0, 0.5 * t0, np.zeros(8), np.ones(8), p.varsigma)
    fast = ClarabelFastPath(Drifted(), sub.var, sub.P)
    assert fast.compile(sub._vals) is False and fast.solve(sub._vals, 1e-8) is None
    sub.fast = fast
    status, sol, _ = sub.solve("CLARABEL", None)
    assert status == "optimal" and sol is not None
