"""Pilot contamination (extension, not in the paper; docs/extensions/pilot-contamination.md): keys, pilot
assignments, contaminated estimates and UE SINR against a Monte Carlo of the literal model, the special case of
orthogonal pilots, the SCA subproblems and the designs."""

import dataclasses

import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo import geometry, sca
from secure_isac.cfmmimo import start as init
from secure_isac.cfmmimo.channels import (
    assign_pilots,
    channel_estimate_gain,
    cross_amplitude,
    cross_gain,
    greedy_pilots,
    large_scale_fading,
    random_pilots,
    shared_pilots,
)
from secure_isac.cfmmimo.closed_forms import (
    NormalizedChannel,
    effective_powers,
    evaluate,
    masr,
    normalize,
    pilot_interference,
    sinr_eve,
    sinr_ue,
    sinr_ue_paper_vars,
)
from secure_isac.cfmmimo.datasets import channel_dataset, large_scale_at, system_attrs
from secure_isac.cfmmimo.design import check_scheme_supports, optimise, optimise_normalized
from secure_isac.cfmmimo.feasibility import constraint_margins
from secure_isac.cfmmimo.montecarlo import simulate, simulate_layout
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.cfmmimo.penalty import objective_t, relaxed_sca
from secure_isac.fields import ParamError

M, N, K, L = 5, 8, 3, 2
RHO, RHO_T = 1.0, 0.5  # noise-normalised, as tests/cfmmimo/test_montecarlo.py
N_DRAWS = 200_000
TOY = dict(M=10, N=4, K=3, L=2, side_m=300.0)
TOY_OPTIONS = SolverOptions(max_iter=12, repair_max_iter=8, max_draws=50)


# --- keys ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kw,key", [
    (dict(tau_p=0, pilot_assignment="random"), "tau_p"),
    (dict(tau_p=-3, pilot_assignment="greedy"), "tau_p"),
    (dict(tau_p=2.0, pilot_assignment="greedy"), "tau_p"),
    (dict(tau_p=200, pilot_assignment="random"), "tau_p"),  # tau_p >= tau
    (dict(tau_p=5, tau=5), "tau_p"),
    (dict(pilot_assignment="rand"), "pilot_assignment"),
    (dict(pilot_assignment=1), "pilot_assignment"),
    (dict(tau_p=3), "pilot_assignment"),  # orthogonal pilots need tau_p >= K = 4
])
def test_bad_pilot_keys_raise_one_line_naming_the_key(kw, key):
    with pytest.raises(ParamError) as info:
        SystemParams(**kw)
    msg = str(info.value)
    assert msg.startswith(f"{key}: ") and "\n" not in msg, msg


def test_pilot_keys_defaults_and_derived_values():
    p = SystemParams()
    assert p.tau_p is None and p.pilot_assignment == "orthogonal" and p.tau_t == p.K + p.L and not p.pilot_reuse
    q = SystemParams(tau_p=2, pilot_assignment="random")
    assert q.tau_t == 2 and q.pilot_reuse
    assert SystemParams(tau_p=4).tau_t == 4 and not SystemParams(tau_p=4).pilot_reuse
    # the pilot length sets the pre-log; tau need only exceed tau_p (not K + L) once tau_p is given
    assert SystemParams(tau_p=2, pilot_assignment="greedy", prelog=True).prelog_factor == pytest.approx(0.99)
    assert SystemParams(K=4, L=2, tau=5, tau_p=4).tau_t == 4
    with pytest.raises(ParamError, match="^tau: "):
        SystemParams(K=4, L=2, tau=6)


# --- assignments ------------------------------------------------------------------------------------------------
def test_random_assignment_is_balanced_own_stream_and_orthogonal_when_possible():
    for k, tau_p in ((7, 3), (4, 1), (4, 2), (5, 5), (3, 8)):
        pilot = random_pilots(k, tau_p, np.random.default_rng(k * tau_p))
        counts = np.bincount(pilot, minlength=tau_p)
        assert pilot.shape == (k,) and counts.max() - counts.min() <= 1 and pilot.max() < tau_p
        if tau_p >= k:
            assert np.unique(pilot).size == k
    # every assignment appears (a uniform draw over the balanced assignments of 4 UEs to 2 pilots: 6 partitions)
    draws = {tuple(random_pilots(4, 2, np.random.default_rng(s))) for s in range(200)}
    assert len({frozenset(frozenset(np.flatnonzero(np.array(d) == t)) for t in (0, 1)) for d in draws}) == 3
    np.testing.assert_array_equal(random_pilots(6, 2, seeds.rng(1, 3, "pilots")),
                                  random_pilots(6, 2, seeds.rng(1, 3, "pilots")))
    with pytest.raises(ValueError, match="tau_p"):
        random_pilots(3, 0, np.random.default_rng(0))


def test_greedy_is_algorithm_4_1_by_hand():
    # 3 APs, 5 UEs, tau_p = 2: UEs 0, 1 get pilots 0, 1; UE 2's master AP is 0, where pilot 0 carries 1.0 (UE 0)
    # and pilot 1 0.2 (UE 1) -> pilot 1; UE 3's master AP is 2: pilot 0 carries 0.1, pilot 1 0.3 + 0.05 -> pilot 0;
    # UE 4's master AP is 1: pilot 0 carries 0.5 + 0.2 = 0.7, pilot 1 0.1 + 0.9 = 1.0 -> pilot 0
    beta = np.array([[1.0, 0.2, 5.0, 0.1, 0.3],
                     [0.5, 0.1, 0.9, 0.2, 4.0],
                     [0.1, 0.3, 0.05, 3.0, 0.2]])
    np.testing.assert_array_equal(greedy_pilots(beta, 2), [0, 1, 1, 0, 0])
    np.testing.assert_array_equal(greedy_pilots(beta, 5), np.arange(5))
    np.testing.assert_array_equal(greedy_pilots(beta, 1), np.zeros(5))
    # ties: the first pilot
    np.testing.assert_array_equal(greedy_pilots(np.ones((2, 3)), 2), [0, 1, 0])


def test_greedy_spreads_strong_interferers_better_than_random_on_average():
    """What the greedy rule is for: at each UE's master AP the co-pilot gain it meets is on average below that of a
    random balanced assignment (over 40 layouts, K = 8, tau_p = 4)."""
    p = SystemParams(M=16, K=8, L=2, tau_p=4, pilot_assignment="greedy")
    greedy, rnd = [], []
    for i in range(40):
        r = seeds.rng(5, i)
        beta = large_scale_fading(geometry.draw_layout(p, r), p, r).beta
        master = np.argmax(beta, axis=0)
        for pilot, out in ((greedy_pilots(beta, 4), greedy), (random_pilots(8, 4, seeds.rng(5, i, "pilots")), rnd)):
            share = shared_pilots(pilot)
            out.append(np.mean(np.sum(share * beta[master], axis=1) / beta[master, np.arange(8)]))
    assert np.mean(greedy) < 0.5 * np.mean(rnd)


def test_assign_pilots_and_the_layout_stream():
    p = SystemParams(**TOY)
    lay = geometry.draw_layout(p, seeds.rng(2, 0))
    ref_rng, new_rng = seeds.rng(2, 0), seeds.rng(2, 0)
    geometry.draw_layout(p, ref_rng)
    geometry.draw_layout(p, new_rng)
    ref = large_scale_fading(lay, p, ref_rng)
    rnd = large_scale_fading(lay, dataclasses.replace(p, tau_p=2, pilot_assignment="random"), new_rng,
                             pilot_rng=seeds.rng(2, 0, "pilots"))
    # the random assignment reads its own stream: the layout stream is where the paper's model leaves it
    assert ref_rng.random() == new_rng.random()
    for name in ("beta", "zeta", "sin_theta", "shadowing_db"):
        np.testing.assert_array_equal(getattr(rnd, name), getattr(ref, name))
    assert rnd.pilot is not None and np.bincount(rnd.pilot).tolist() in ([2, 1], [1, 2])
    assert ref.pilot is None
    with pytest.raises(ValueError, match="pilot_rng"):
        large_scale_fading(lay, dataclasses.replace(p, tau_p=2, pilot_assignment="random"), seeds.rng(2, 0))
    assert assign_pilots(ref.beta, dataclasses.replace(p, tau_p=3, pilot_assignment="greedy")) is None


# --- closed forms against the Monte Carlo of the literal model ----------------------------------------------------
def _instance(pilot, tau_p, seed=20260323):
    """The random instance of tests/cfmmimo/test_montecarlo.py with pilots `pilot` of a tau_p-symbol book."""
    r = np.random.default_rng(seed)
    beta = 10 ** r.uniform(-1, 1, (M, K))
    zeta = 10 ** r.uniform(-1, 1, (M, L))
    sin_theta = r.uniform(-1, 1, (M, L))
    a = np.array([1.0, 1.0, 0.0, 1.0, 0.0])
    gamma = channel_estimate_gain(beta, tau_p, RHO_T, pilot)
    eta_c = r.uniform(0.2, 1.0, (M, K))
    eta_c /= N * np.sum(eta_c * gamma, axis=1, keepdims=True)
    eta_s = r.uniform(0.2, 1.0, (M, L))
    eta_s /= N * np.sum(eta_s, axis=1, keepdims=True)
    ch = NormalizedChannel(b=RHO * beta, g=RHO * gamma, z=RHO * zeta, G_hat=cross_gain(sin_theta, N) / N, N=N,
                           C_hat=cross_amplitude(sin_theta, N) / np.sqrt(N), pilot=pilot)
    return dict(beta=beta, zeta=zeta, sin_theta=sin_theta, a=a, eta_c=eta_c, eta_s=eta_s), gamma, ch


@pytest.fixture(scope="module", params=[((0, 1, 0), 2), ((0, 0, 0), 1)], ids=["two_share", "all_share"])
def contaminated(request):
    pilot, tau_p = np.array(request.param[0]), request.param[1]
    inst, gamma, ch = _instance(pilot, tau_p)
    mc = simulate(**inst, N=N, rho_norm=RHO, rho_t_norm=RHO_T, tau_t=tau_p, n_draws=N_DRAWS,
                  rng=np.random.default_rng(1), pilot=pilot)
    return inst, gamma, ch, mc


def test_contaminated_estimate_power_is_gamma(contaminated):
    _, gamma, _, mc = contaminated
    np.testing.assert_allclose(mc.gamma_hat, gamma, rtol=0.01)


def test_contaminated_ue_sinr_within_1pct_of_uatf_monte_carlo(contaminated):
    """The generalised corrected (9) with Ngo et al.'s coherent term against the Monte Carlo (shared pilots, LMMSE,
    MRT, UatF from sample moments); without the coherent term it is off by clearly more than 1 %."""
    inst, gamma, ch, mc = contaminated
    s, q = effective_powers(inst["a"], inst["eta_c"], inst["eta_s"], gamma, N)
    closed = sinr_ue(s, q, ch)
    np.testing.assert_allclose(closed, mc.sinr_ue, rtol=0.01)
    # independent route: Ngo et al.'s form in the paper's variables (ratios beta_mk / beta_mk')
    paper = sinr_ue_paper_vars(inst["a"], inst["eta_c"], inst["eta_s"], inst["beta"], gamma, RHO, N,
                               pilot=ch.pilot)
    np.testing.assert_allclose(closed, paper, rtol=1e-10)
    bare = sinr_ue(s, q, dataclasses.replace(ch, pilot=None))
    assert np.max(np.abs(bare / mc.sinr_ue - 1)) > 0.05
    assert np.all(pilot_interference(s, ch) >= 0)


def test_eve_sinr_and_masr_unchanged_in_form_within_1pct(contaminated):
    """Eve and MASR see the comm signal only through its power per AP (non-coherent in the estimates), so (17) and
    (12) keep their form in the effective powers (with the contaminated gamma inside s)."""
    inst, gamma, ch, mc = contaminated
    s, q = effective_powers(inst["a"], inst["eta_c"], inst["eta_s"], gamma, N)
    np.testing.assert_allclose(sinr_eve(s, q, ch), mc.sinr_eve, rtol=0.01)
    np.testing.assert_allclose(masr(s, q, ch), mc.masr, rtol=0.01)


def test_physical_units_layout_with_shared_pilots():
    p = SystemParams(M=6, N=4, K=3, L=2, side_m=200.0, tau_p=1, pilot_assignment="greedy")
    r = seeds.rng(2, 0)
    ls = large_scale_fading(geometry.draw_layout(p, r), p, r)
    assert ls.pilot is not None and np.all(ls.pilot == 0)
    a = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    eta_c = a[:, None] / (p.N * p.K * ls.gamma)
    eta_s = (1 - a)[:, None] * np.full((p.M, p.L), 1.0 / (p.N * p.L))
    s, q = effective_powers(a, eta_c, eta_s, ls.gamma, p.N)
    mc = simulate_layout(ls, p, a, eta_c, eta_s, n_draws=60_000, rng=np.random.default_rng(3))
    np.testing.assert_allclose(mc.gamma_hat, ls.gamma, rtol=0.02)
    np.testing.assert_allclose(mc.sinr_ue, sinr_ue(s, q, normalize(ls, p)), rtol=0.02)
    with pytest.raises(ValueError, match="pilot"):
        simulate_layout(dataclasses.replace(ls, pilot=np.array([0, 1, 5])), p, a, eta_c, eta_s, n_draws=10,
                        rng=np.random.default_rng(0))


# --- special case: orthogonal pilots are today's model exactly ------------------------------------------------------
def test_orthogonal_pilots_give_todays_formulas_exactly():
    inst, gamma, ch = _instance(np.arange(K), K + L)
    np.testing.assert_allclose(channel_estimate_gain(inst["beta"], K + L, RHO_T, np.arange(K)),
                               channel_estimate_gain(inst["beta"], K + L, RHO_T), rtol=1e-15)
    s, q = effective_powers(inst["a"], inst["eta_c"], inst["eta_s"], gamma, N)
    np.testing.assert_array_equal(pilot_interference(s, ch), np.zeros(K))
    np.testing.assert_array_equal(sinr_ue(s, q, ch), sinr_ue(s, q, dataclasses.replace(ch, pilot=None)))
    # random and greedy with tau_p >= K: no shared pilot, the same channel and design as the orthogonal model
    p = SystemParams(**TOY, tau_p=3)
    r = seeds.rng(4, 1)
    ls0 = large_scale_fading(geometry.draw_layout(p, r), p, r)
    for how in ("random", "greedy"):
        q_ = dataclasses.replace(p, pilot_assignment=how)
        r = seeds.rng(4, 1)
        ls = large_scale_fading(geometry.draw_layout(q_, r), q_, r, pilot_rng=seeds.rng(4, 1, "pilots"))
        assert ls.pilot is None
        np.testing.assert_array_equal(ls.gamma, ls0.gamma)


def test_random_assignment_with_enough_pilots_designs_bit_identically():
    """The paper's pilot length with pilot_assignment random: no shared pilot, so the CP design is the default
    model's, bit for bit (the default path of every function is taken)."""
    p = SystemParams(**TOY)
    designs = []
    for q in (p, dataclasses.replace(p, pilot_assignment="random"), dataclasses.replace(p, pilot_assignment="greedy")):
        r = seeds.rng(6, 0)
        ls = large_scale_fading(geometry.draw_layout(q, r), q, r, pilot_rng=seeds.rng(6, 0, "pilots"))
        designs.append(optimise("cp", ls, q, seeds.rng(6, 0, "cp"), TOY_OPTIONS))
    for d in designs[1:]:
        np.testing.assert_array_equal(d.power_c, designs[0].power_c)
        np.testing.assert_array_equal(d.power_s, designs[0].power_s)
        np.testing.assert_array_equal(d.ap_mode, designs[0].ap_mode)


# --- SCA subproblems ------------------------------------------------------------------------------------------------
def _toy(tau_p=1, how="greedy", seed=3, **kw):
    p = SystemParams(**{**TOY, **kw}, tau_p=tau_p, pilot_assignment=how)
    r = seeds.rng(seed, 0, "layout")
    ls = large_scale_fading(geometry.draw_layout(p, r), p, r, pilot_rng=seeds.rng(seed, 0, "pilots"))
    return p, normalize(ls, p)


def _start(kind, p, ch, seed):
    """The designs' start (SP: from the CP design when no random draw meets its QoS, as cfmmimo.optimise does)."""
    opts = SolverOptions()
    st = init.feasible_start(kind, ch, p, seeds.rng(seed, 0, kind), opts,
                             cp_fallback=lambda: optimise_normalized("cp", ch, p, seeds.rng(seed, 0, "sp"), opts))
    assert st.ok, st.method
    return st


@pytest.mark.parametrize("kind", ["cp", "sp"])
@pytest.mark.parametrize("form", ["corrected", "printed"])
def test_pilot_subproblems_are_dpp_cached_and_apart_from_the_default(kind, form):
    sub = sca.subproblem(kind, 8, 3, 2, form, pilots=True)
    assert sub.problem.is_dcp(dpp=True) and sub.pilots and sub.u_rows
    assert sca.subproblem(kind, 8, 3, 2, form, pilots=True) is sub
    assert sca.subproblem(kind, 8, 3, 2, form) is not sub and not sca.subproblem(kind, 8, 3, 2, form).pilots
    assert sca.subproblem(kind, 32, 12, 2, form, pilots=True).u_rows  # kept beyond U_ROWS_MAX_MK as well


def _check_iterate(kind, p, ch, sol, tol=1e-6):
    met = evaluate(sol.s, sol.q, ch, p)  # the contaminated closed forms
    assert np.all(sol.s.sum(axis=1) <= sol.a + tol) and np.all(sol.q.sum(axis=1) <= 1 - sol.a + tol)
    assert np.all(met.masr >= p.kappa * (1 - tol))
    if kind == "cp":
        assert np.all(met.sinr_eve <= p.nu * (1 + tol))
        assert np.min(met.sinr_ue) >= sol.t * (1 - tol)
    else:
        assert np.min(met.sinr_ue) >= p.varsigma * (1 - tol)
        assert np.max(met.sinr_eve) <= sol.t * (1 + tol)
    return met


@pytest.mark.parametrize("kind", ["cp", "sp"])
@pytest.mark.parametrize("form", ["corrected", "printed"])
def test_pilot_sca_iterates_meet_the_contaminated_constraints(kind, form):
    """Every iterate meets SINR_k >= t (CP) / SINR_k >= varsigma (SP) of the generalised closed form, and with fixed
    modes t is monotone: the contamination rows are inner approximations, tight at the current point."""
    p, ch = _toy(tau_p=2, ue_sinr_form=form)
    assert ch.pilot is not None
    st = _start(kind, p, ch, 3)
    sub = sca.subproblem(kind, p.M, p.K, p.L, form, pilots=True)
    sub.set_channel(ch, p.nu, p.kappa)
    for fixed in (False, True):
        a, s, q = st.a.copy(), st.s.copy(), st.q.copy()
        t_prev = objective_t(kind, evaluate(s, q, ch, p))
        lam = 0.0 if fixed else t_prev
        lo, hi = (a, a) if fixed else (np.zeros(p.M), np.ones(p.M))
        for _ in range(5):
            sub.set_point(a, s, q, t_prev, lam, lo, hi, p.varsigma)
            status, sol, _ = sub.solve("CLARABEL", None)
            assert sol is not None, status
            met = _check_iterate(kind, p, ch, sol)
            a, s, q = sol.a, sol.s, sol.q
            t_new = objective_t(kind, met)
            if fixed:
                assert (t_new >= t_prev * (1 - 1e-7)) if kind == "cp" else (t_new <= t_prev * (1 + 1e-7))
            t_prev, lam = t_new, lam * 1.5


@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_pilot_fast_path_equals_cvxpy_path_and_decoupled_step(kind):
    p, ch = _toy(tau_p=2, how="random", seed=6)
    st = _start(kind, p, ch, 6)
    sub = sca.subproblem(kind, p.M, p.K, p.L, pilots=True)
    sub.set_channel(ch, p.nu, p.kappa)
    t0 = objective_t(kind, evaluate(st.s, st.q, ch, p))
    sub.set_point(st.a, st.s, st.q, t0, 0.5 * t0, np.zeros(p.M), np.ones(p.M), p.varsigma)
    _, fast, _ = sub.solve("CLARABEL", None, fast=True)
    assert sub.fast.available is True
    _, slow, _ = sub.solve("CLARABEL", None, fast=False)
    np.testing.assert_allclose(fast.t, slow.t, rtol=1e-6)
    _check_iterate(kind, p, ch, fast)
    # the decoupled fixed-mode step (docs/deviations.md S1-O13) solves the pinned fixed-mode subproblem
    a = st.a_draw.astype(float)
    s0, q0 = st.s * a[:, None], st.q * (1 - a)[:, None]
    t0 = objective_t(kind, evaluate(s0, q0, ch, p))
    sub.set_point(a, s0, q0, t0, 0.0, a, a, p.varsigma)
    _, pinned, _ = sub.solve("CLARABEL", 1e-10)
    sub.set_point(a, s0, q0, t0, 0.0, None, None, p.varsigma, fixed=a)
    status, new, _ = sub.solve("CLARABEL", None)
    assert status == "optimal" and pinned is not None
    np.testing.assert_allclose(new.t, pinned.t, rtol=1e-5)
    met = evaluate(new.s * a[:, None], new.q * (1 - a)[:, None], ch, p)
    if kind == "cp":
        assert np.min(met.sinr_ue) >= new.t * (1 - 1e-6)


def test_fixed_mode_run_with_pilots_is_monotone():
    p, ch = _toy(seed=4)
    st = _start("cp", p, ch, 4)
    res = relaxed_sca("cp", ch, p, st.a, st.s, st.q, SolverOptions(), fixed_a=st.a_draw, max_iter=12)
    obj = res.trace.objective
    assert len(obj) >= 3 and np.all(np.diff(obj) >= -1e-7 * np.abs(obj[:-1]))


# --- designs ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scheme", ["cp", "sp", "sp_early", "baseline"])
def test_designs_with_shared_pilots_rechecked_by_the_contaminated_closed_forms(scheme):
    p = SystemParams(**TOY, tau_p=2, pilot_assignment="greedy")
    r = seeds.rng(9, 2)
    ls = large_scale_fading(geometry.draw_layout(p, r), p, r)
    # the default options: the toy ones (12 iterations) leave SP's CP fallback start short of varsigma here
    d = optimise(scheme, ls, p, seeds.rng(9, 2, scheme), SolverOptions())
    ch = normalize(ls, p)
    met = evaluate(d.power_c, d.power_s, ch, p)
    np.testing.assert_allclose(d.metrics.sinr_ue, met.sinr_ue, rtol=1e-12)
    kind = {"sp_early": "sp"}.get(scheme, scheme)
    margins = constraint_margins(kind, d.ap_mode, d.power_c, d.power_s, met, p)
    assert d.feasible == all(v >= -TOY_OPTIONS.feas_tol for v in margins.values())
    if scheme != "baseline":
        assert d.feasible, d.solver_status
    # contamination costs rate: the same powers on the same layout with the paper's orthogonal pilots do better
    q = dataclasses.replace(p, tau_p=None, pilot_assignment="orthogonal")
    r = seeds.rng(9, 2)
    ch_orth = normalize(large_scale_fading(geometry.draw_layout(q, r), q, r), q)
    if d.feasible:
        assert np.all(evaluate(d.power_c, d.power_s, ch_orth, q).sinr_ue > d.metrics.sinr_ue)


@pytest.mark.parametrize("scheme", ["cp_paper", "sp_paper"])
def test_paper_sca_refuses_shared_pilots_naming_the_key(scheme):
    p = SystemParams(**TOY, tau_p=2, pilot_assignment="random")
    r = seeds.rng(9, 0)
    ls = large_scale_fading(geometry.draw_layout(p, r), p, r, pilot_rng=seeds.rng(9, 0, "pilots"))
    with pytest.raises(ValueError, match="^tau_p: the paper-faithful SCA"):
        optimise(scheme, ls, p, seeds.rng(9, 0, scheme), TOY_OPTIONS)
    with pytest.raises(ValueError, match="^tau_p: "):
        check_scheme_supports(scheme, p)
    check_scheme_supports(scheme, dataclasses.replace(p, tau_p=3))  # tau_p >= K: orthogonal, supported
    check_scheme_supports("cp", p)


# --- datasets -----------------------------------------------------------------------------------------------------
def test_channel_dataset_stores_shared_pilots_only():
    p = SystemParams(**TOY)
    q = dataclasses.replace(p, tau_p=2, pilot_assignment="greedy")
    lss = {}
    for name, params in (("paper", p), ("shared", q)):
        out = []
        for i in range(2):
            r = seeds.rng(3, i)
            out.append(large_scale_fading(geometry.draw_layout(params, r), params, r))
        lss[name] = out
    plain = channel_dataset(lss["paper"], [0, 1])
    assert "pilot" not in plain and large_scale_at(plain, 1).pilot is None
    shared = channel_dataset(lss["shared"], [0, 1])
    assert shared["pilot"].dims == ("layout", "ue") and shared["pilot"].attrs["units"] == "1"
    for i in range(2):
        np.testing.assert_array_equal(large_scale_at(shared, i).pilot, lss["shared"][i].pilot)
        np.testing.assert_array_equal(large_scale_at(shared, i).gamma, lss["shared"][i].gamma)
    assert "pilot_assignment" not in system_attrs(p) and system_attrs(q)["pilot_assignment"] == "greedy"
    assert system_attrs(q)["tau_t"] == 2
