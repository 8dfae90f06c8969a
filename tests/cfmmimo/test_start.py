"""Feasible start (docs/model.md, feasible start and phase 1): random draws, phase-1 fallback, infeasible marker."""

import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo import channels, geometry
from secure_isac.cfmmimo import start as init
from secure_isac.cfmmimo.baseline import equal_power
from secure_isac.cfmmimo.closed_forms import evaluate, normalize
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.cfmmimo.solvers import clear_compiled


def _instance(seed=2, **kw):
    p = SystemParams(**{"M": 12, "K": 2, "L": 2, **kw})
    r = seeds.rng(seed, 0, "layout")
    return p, normalize(channels.large_scale_fading(geometry.draw_layout(p, r), p, r), p)


def test_draw_modes_is_mixed_and_validates_M():
    rng = np.random.default_rng(0)
    draws = np.array([init.draw_modes(2, rng) for _ in range(200)])
    assert np.all(draws.sum(axis=1) == 1)  # all-0 and all-1 rejected
    with pytest.raises(ValueError, match="M"):
        init.draw_modes(1, rng)


def test_cp_random_start_is_feasible_and_on_the_grid():
    p, ch = _instance()
    st = init.feasible_start("cp", ch, p, seeds.rng(2, 0, "cp"), SolverOptions())
    assert st.ok and st.method == "random"
    met = evaluate(st.s, st.q, ch, p)
    assert np.max(met.sinr_eve) <= p.nu and np.min(met.masr) >= p.kappa
    s_eq, q_eq = equal_power(st.a_draw, ch)
    c = st.s.sum() / s_eq.sum()
    assert np.min(np.abs(np.log10(c) - np.log10(init.C_GRID))) < 1e-12  # c is a grid value
    np.testing.assert_array_equal(st.q, q_eq)
    # the next grid value up (if any) violates Eve or MASR: c is the largest feasible one
    i = int(np.argmin(np.abs(init.C_GRID - c)))
    if i > 0:
        m_up = evaluate(init.C_GRID[i - 1] * s_eq, q_eq, ch, p)
        assert np.max(m_up.sinr_eve) > p.nu or np.min(m_up.masr) < p.kappa
    assert np.all(np.min(evaluate(st.s, st.q, ch, p).sinr_ue) > 0)


def test_start_is_deterministic():
    p, ch = _instance()
    a = init.feasible_start("cp", ch, p, seeds.rng(2, 0, "cp"), SolverOptions())
    b = init.feasible_start("cp", ch, p, seeds.rng(2, 0, "cp"), SolverOptions())
    np.testing.assert_array_equal(a.s, b.s)
    np.testing.assert_array_equal(a.a_draw, b.a_draw)


def test_phase1_start_when_draws_fail():
    p, ch = _instance(kappa_db=12.0)
    # max_draws=1 and a draw that fails forces the phase-1 LP
    opts = SolverOptions(max_draws=1)
    for seed in range(30):
        a, *_ = init.cp_mode_draws(ch, p, seeds.rng(seed, 0, "cp"), opts)
        if a is None:
            break
    else:
        pytest.skip("every single draw was feasible")  # pragma: no cover
    st = init.feasible_start("cp", ch, p, seeds.rng(seed, 0, "cp"), opts)
    assert st.ok and st.method == "phase1", st.method
    met = evaluate(st.s, st.q, ch, p)
    assert np.min(met.masr) >= p.kappa * (1 - 1e-6)
    assert np.max(met.sinr_eve) <= p.nu * (1 + 1e-6)
    assert np.all(st.s.sum(axis=1) <= st.a + 1e-7) and np.all(st.q.sum(axis=1) <= 1 - st.a + 1e-7)
    s_eq, _ = equal_power(st.a_draw, ch)
    assert np.all(st.s >= init.COMM_FLOOR * s_eq - 1e-9)  # comm floor: every UE has x_k > 0
    assert np.min(met.sinr_ue) > 0


def test_infeasible_marker():
    p, ch = _instance(kappa_db=70.0)
    st = init.feasible_start("cp", ch, p, seeds.rng(2, 0, "cp"), SolverOptions(max_draws=3))
    assert not st.ok and st.method.startswith("infeasible")
    assert st.a_draw is not None


def test_sp_random_start_meets_qos_and_masr():
    p, ch = _instance()
    st = init.feasible_start("sp", ch, p, seeds.rng(2, 0, "sp"), SolverOptions())
    assert st.ok
    met = evaluate(st.s, st.q, ch, p)
    assert np.min(met.sinr_ue) >= p.varsigma and np.min(met.masr) >= p.kappa


def test_unknown_kind():
    p, ch = _instance()
    with pytest.raises(ValueError, match="kind"):
        init.feasible_start("xx", ch, p, np.random.default_rng(0), SolverOptions())


def test_phase1_start_does_not_depend_on_earlier_solves():
    """The phase-1 LP is solved from scratch for every layout (no warm start from the previous layout)."""
    opts = SolverOptions(max_draws=1)
    p, ch_a = _instance(kappa_db=12.0)
    _, ch_b = _instance(kappa_db=12.0, seed=11)
    draw = np.array([1, 0] * (p.M // 2) + [1] * (p.M % 2), dtype=np.int8)
    clear_compiled()
    alone = init.phase1_start(ch_b, p, draw, opts)
    clear_compiled()
    init.phase1_start(ch_a, p, 1 - draw, opts)
    after = init.phase1_start(ch_b, p, draw, opts)
    assert alone.ok and after.ok
    np.testing.assert_array_equal(after.s, alone.s)
    np.testing.assert_array_equal(after.q, alone.q)


def test_sp_takes_a_cp_fallback_on_its_constraint_boundary():
    """The CP design that seeds SP when no draw meets SP's constraints has its MASR constraint active: an accurate
    solve leaves it on the boundary to round-off, which the seed test accepts within feas_tol (as S1-O8's check does);
    a point violating it by more is refused."""
    from types import SimpleNamespace

    p, ch = _instance(kappa_db=60.0)  # no equal-power draw reaches a 60 dB MASR
    o = SolverOptions(max_draws=5)
    a = np.array([1] * 6 + [0] * 6, dtype=np.int8)
    s, q = equal_power(a, ch)

    def fallback(masr_factor):
        met = SimpleNamespace(sinr_ue=np.full(p.K, 2.0 * p.varsigma), masr=np.full(p.L, p.kappa * masr_factor))
        return lambda: SimpleNamespace(feasible=True, metrics=met, ap_mode=a, power_c=s, power_s=q,
                                       solver_time_s=0.0, solver_status="converged")

    on_boundary = init.feasible_start("sp", ch, p, seeds.rng(1, 0, "sp"), o, cp_fallback=fallback(1 - 1e-9))
    assert on_boundary.ok and on_boundary.method == "cp_solution"
    outside = init.feasible_start("sp", ch, p, seeds.rng(1, 0, "sp"), o, cp_fallback=fallback(1 - 10 * o.feas_tol))
    assert not outside.ok and outside.method.startswith("infeasible: CP fallback start not SP-feasible")


def test_relaxed_start_is_a_random_feasible_point_of_the_relaxed_problem():
    """paper_start = "relaxed" (docs/deviations.md S1-O30): fractional modes, nominal powers on the paper's budgets
    (21d)/(21e) at a0 = a, Eve <= nu and MASR >= kappa; deterministic in its stream; the largest feasible c."""
    from secure_isac.cfmmimo.paper_sca import budget_powers, nominal_from_effective

    p, ch = _instance()
    st = init.relaxed_start(ch, p, seeds.rng(2, 0, "cp_paper"), SolverOptions())
    assert st.ok and st.method == "relaxed"
    assert np.all((st.a > 0) & (st.a < 1)) and len(np.unique(st.a)) == p.M  # fractional, drawn
    np.testing.assert_array_equal(st.a_draw, (st.a >= 0.5).astype(np.int8))
    met = evaluate(st.s, st.q, ch, p)
    assert np.max(met.sinr_eve) <= p.nu and np.min(met.masr) >= p.kappa and np.min(met.sinr_ue) > 0
    s_full, q_full = budget_powers(st.a, ch.g, p.L)
    np.testing.assert_array_equal(st.q, q_full)
    c = st.s.sum() / s_full.sum()
    assert np.min(np.abs(np.log10(c) - np.log10(init.C_GRID))) < 1e-12
    # the nominal fractions are inside the paper budgets, so cp_paper's start mapping keeps them (scale 1)
    stt, qtt = nominal_from_effective(st.a, st.s, st.q)
    assert np.all(stt.sum(1) <= st.a**2 * (1 + 1e-12)) and np.all(qtt.sum(1) <= (1 - st.a**2) * (1 + 1e-12))
    np.testing.assert_allclose(qtt.sum(1), 1 - st.a**2)
    np.testing.assert_allclose(stt, c * st.a[:, None] ** 2 * ch.g / ch.g.sum(1, keepdims=True))
    again = init.relaxed_start(ch, p, seeds.rng(2, 0, "cp_paper"), SolverOptions())
    np.testing.assert_array_equal(again.a, st.a)
    np.testing.assert_array_equal(again.s, st.s)


def test_budget_powers_at_binary_modes_are_ngo_equal_power():
    from secure_isac.cfmmimo.paper_sca import budget_powers

    p, ch = _instance()
    a = init.draw_modes(p.M, np.random.default_rng(3))
    for got, want in zip(budget_powers(a, ch.g, p.L), equal_power(a, ch)):
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)


def test_relaxed_start_falls_back_to_phase1_from_its_first_draw():
    p, ch = _instance(kappa_db=25.0)
    st = init.relaxed_start(ch, p, seeds.rng(2, 0, "cp_paper"), SolverOptions(max_draws=1))
    first = seeds.rng(2, 0, "cp_paper").random(p.M)
    if st.method == "relaxed":  # the one draw already met kappa: no fallback to test on this instance
        pytest.skip("the single draw was feasible")
    assert st.method == "phase1" and st.ok
    np.testing.assert_array_equal(st.a_draw, (first >= 0.5).astype(np.int8))
    met = evaluate(st.s, st.q, ch, p)
    assert np.max(met.sinr_eve) <= p.nu * (1 + 1e-6) and np.min(met.masr) >= p.kappa * (1 - 1e-6)
