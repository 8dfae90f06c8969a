"""Designs optimised under coherent AP combining of the sensing beams (SolverOptions.sensing_design = "coherent";
cfmmimo/coherent_sca.py, docs/extensions/coherent-sensing.md, docs/model.md S1-68 - S1-73)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo import channels, coherent_sca, design, geometry, penalty, repair
from secure_isac.cfmmimo import start as init
from secure_isac.cfmmimo.baseline import equal_power
from secure_isac.cfmmimo.closed_forms import evaluate, masr_coherent, normalize, sinr_eve_coherent
from secure_isac.cfmmimo.coherent_sca import CoherentSurrogate
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.feasibility import constraint_margins, is_feasible
from secure_isac.cfmmimo.montecarlo import simulate_layout
from secure_isac.cfmmimo.options import FIELDS_READ, SolverOptions
from secure_isac.cfmmimo.params import SystemParams

SMALL = dict(M=8, N=4, K=2, L=2, side_m=300.0)
OPTS = dict(max_iter=30, repair_max_iter=15)


def _instance(seed, **kw):
    p = SystemParams(**{**SMALL, **kw})
    r = seeds.rng(seed, 0, "layout")
    ls = channels.large_scale_fading(geometry.draw_layout(p, r), p, r)
    return p, ls, normalize(ls, p)


def _random_point(ch, rng):
    M, K = ch.b.shape
    L = ch.z.shape[1]
    a = rng.uniform(0.2, 0.8, M)
    s = rng.dirichlet(np.ones(K), M) * a[:, None] * rng.uniform(0.1, 1.0, (M, 1))
    q = rng.dirichlet(np.ones(L), M) * (1 - a)[:, None] * rng.uniform(0.1, 1.0, (M, 1))
    return a, s, q


def _exact_terms(ch, s, q):
    """A_l (L,), coherent P (L, L') from their definitions (docs/model.md S1-61), by loops over the APs."""
    M, L = ch.z.shape
    A = np.array([sum(ch.z[m, l] * s[m].sum() for m in range(M)) for l in range(L)])
    P = np.zeros((L, L))
    for l in range(L):
        for j in range(L):
            P[l, j] = abs(sum(np.sqrt(ch.z[m, l] * q[m, j]) * ch.C_hat[m, l, j] for m in range(M))) ** 2
    return A, P


def test_coherent_rows_are_tight_inner_approximations():
    """S1-69, S1-70: each linearised row, scaled back, is the exact coherent constraint with the convex function that
    must be bounded below replaced by its tangent: equal at v0, and implying the exact constraint elsewhere."""
    p, _, ch = _instance(3, kappa_db=6.0)
    rng = np.random.default_rng(0)
    _, s0, q0 = _random_point(ch, rng)
    rows = coherent_sca.coherent_rows(ch, q0, p.nu_lin, p.kappa)
    v0 = np.sqrt(q0)
    y0 = np.sum(np.sqrt(ch.z) * v0, axis=0)
    for trial in range(20):
        _, s, q = (_random_point(ch, rng) if trial else (None, s0, q0))
        v = np.sqrt(q)
        A, P = _exact_terms(ch, s, q)
        S = s.sum(axis=1)
        for l in range(p.L):
            # Eve: linearised right-hand side times nu E0 = nu (tangent of sum_l' P_ll' + 1) <= nu (sum_l' P_ll' + 1)
            e_lin = (np.sum(rows.eV[l] * v) + rows.eC[l]) * p.nu_lin * rows.E0[l]
            assert e_lin <= p.nu_lin * (P[l].sum() + 1) * (1 + 1e-12)
            assert rows.eA[l] @ S * p.nu_lin * rows.E0[l] == pytest.approx(A[l], rel=1e-12)
            # MASR: lhs - rhs of the row times N y0^2 = kappa (A + cross) - N (2 y0 y - y0^2) >= exact slack
            cross = sum(abs(rows.mX[l, j] @ v[:, j]) ** 2 for j in range(p.L) if j != l)
            row = rows.mW[l] @ S + cross - (rows.mY[l] @ v[:, l] - rows.mC[l])
            exact = p.kappa * (A[l] + P[l].sum() - P[l, l]) - P[l, l]
            assert row * ch.N * y0[l] ** 2 >= exact - 1e-9 * abs(exact)
            if trial == 0:  # tight at the expansion point
                assert e_lin == pytest.approx(p.nu_lin * (P[l].sum() + 1), rel=1e-10)
                assert row * ch.N * y0[l] ** 2 == pytest.approx(exact, rel=1e-10)
    # switched-off constraints give rows that every point meets (0 <= 1, 0 <= 0)
    off = coherent_sca.coherent_rows(ch, q0, np.inf, 0.0)
    assert not off.eA.any() and not off.eV.any() and np.all(off.eC == 1)
    assert not (off.mW.any() or off.mY.any() or off.mX.any() or off.mC.any())


def test_beam_amplitudes_give_the_library_coherent_forms():
    """S1-68: |sum_m amp v|^2 is the power of the coherent closed forms: Eve SINR and MASR rebuilt from
    coherent_powers equal closed_forms.sinr_eve_coherent / masr_coherent."""
    p, _, ch = _instance(5)
    _, s, q = _random_point(ch, np.random.default_rng(1))
    P = np.abs(coherent_sca.coherent_powers(coherent_sca.beam_amplitudes(ch), np.sqrt(q))) ** 2
    A, P_loop = _exact_terms(ch, s, q)
    np.testing.assert_allclose(P, P_loop, rtol=1e-12)
    np.testing.assert_allclose(A / (P.sum(axis=1) + 1), sinr_eve_coherent(s, q, ch), rtol=1e-12)
    own = np.diag(P)
    np.testing.assert_allclose(own / (A + P.sum(axis=1) - own), masr_coherent(s, q, ch), rtol=1e-12)


@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_subproblem_is_dpp_and_fast_path_matches_cvxpy(kind):
    """S1-71: the subproblem is DPP (built once per shape) and the CLARABEL fast path solves the same problem as
    cvxpy's own solve."""
    p, _, ch = _instance(2, kappa_db=4.0)
    st = init.feasible_start(kind, ch, p, seeds.rng(2, 0, kind), SolverOptions(), combining="coherent",
                             restore=coherent_sca.coherent_phase1,
                             cp_fallback=lambda: design._optimised("cp", ch, p, seeds.rng(2, 0, "cp"),
                                                                   SolverOptions(**OPTS), "coherent"))
    assert st.ok, st.method
    sub = coherent_sca.subproblem(kind, p.M, p.K, p.L)
    assert sub is coherent_sca.subproblem(kind, p.M, p.K, p.L)
    assert sub.problem.is_dcp(dpp=True)
    met = evaluate(st.s, st.q, ch, p, combining="coherent")
    t0 = penalty.objective_t(kind, met)
    sub.set_channel(ch, p.nu_lin, p.kappa)
    sub.set_point(st.a, st.s, st.q, t0, 0.5 * t0, np.zeros(p.M), np.ones(p.M), p.varsigma)
    st1, fast, _ = sub.solve("CLARABEL", None)
    st2, slow, _ = sub.solve("CLARABEL", None, fast=False)
    assert st1 in ("optimal", "optimal_inaccurate") and st2 in ("optimal", "optimal_inaccurate")
    assert sub.fast.available
    assert fast.t == pytest.approx(slow.t, rel=1e-5)
    np.testing.assert_allclose(fast.q, slow.q, atol=1e-6)


@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_every_iterate_meets_the_exact_coherent_constraints(kind):
    """The linearised rows are inner approximations: every accepted iterate of the penalty SCA and of the fixed-mode
    repair meets Eve / QoS, MASR and the budgets under the coherent closed forms; the CP fixed-mode t never falls."""
    p, _, ch = _instance(1, kappa_db=8.0)
    o = SolverOptions(**OPTS)
    st = init.feasible_start(kind, ch, p, seeds.rng(1, 0, kind), o, combining="coherent",
                             restore=coherent_sca.coherent_phase1,
                             cp_fallback=lambda: design._optimised("cp", ch, p, seeds.rng(1, 0, "cp"), o, "coherent"))
    assert st.ok, st.method
    its: list = []
    rel = penalty.relaxed_sca(kind, ch, p, st.a, st.s, st.q, o, surrogate=CoherentSurrogate, iterates=its)
    assert len(its) > 2, rel.status
    for it in its:
        met = evaluate(it["s"], it["q"], ch, p, combining="coherent")
        assert penalty.iterate_feasible(kind, it["a"], it["s"], it["q"], met, p, 1e-6), it
    a_bin, _ = repair.round_modes(rel.a, rel.s, rel.q)
    its = []
    s0, q0 = repair.project(a_bin, rel.s, rel.q)
    fixed = penalty.relaxed_sca(kind, ch, p, a_bin.astype(float), s0 + 1e-6 * (a_bin[:, None] > 0),
                                q0 + 1e-6 * (a_bin[:, None] == 0), o, surrogate=CoherentSurrogate, fixed_a=a_bin,
                                iterates=its)
    for it in its[1:]:
        met = evaluate(it["s"], it["q"], ch, p, combining="coherent")
        assert penalty.iterate_feasible(kind, it["a"], it["s"], it["q"], met, p, 1e-6)
    if kind == "cp" and len(fixed.trace) > 2:
        assert np.all(np.diff(fixed.trace.rate_ue_min[1:]) >= -1e-7)


def test_coherent_design_meets_masr_and_eve_under_coherent_monte_carlo():
    """The target on a small instance where the (12)/(17) CP design misses MASR once beams add coherently: the
    coherent design meets MASR >= kappa and Eve <= nu under the coherent closed forms and under an independent Monte
    Carlo of the literal signal model (phase="coherent", channels and estimation noise sampled)."""
    p, ls, ch = _instance(4, kappa_db=6.0, sensing_combining="coherent")
    today = optimise("cp", ls, p, seeds.rng(4, 0, "cp"), SolverOptions(**OPTS))
    d = optimise("cp", ls, p, seeds.rng(4, 0, "cp"), SolverOptions(**OPTS, sensing_design="coherent"))
    assert not today.feasible and "violated under coherent combining" in today.solver_status
    assert d.feasible, d.solver_status
    a = d.ap_mode.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta_c = np.where(a[:, None] > 0, d.power_c / (p.N * ls.gamma), 0.0)
        eta_s = np.where(a[:, None] < 1, d.power_s / p.N, 0.0)
    mc = simulate_layout(ls, p, a, eta_c, eta_s, n_draws=20_000, rng=np.random.default_rng(7), phase="coherent")
    np.testing.assert_allclose(mc.masr, d.metrics.masr, rtol=0.02)
    np.testing.assert_allclose(mc.sinr_eve, d.metrics.sinr_eve, rtol=0.02)
    assert np.min(mc.masr) >= p.kappa * (1 - 0.02)
    assert np.max(mc.sinr_eve) <= p.nu_lin * (1 + 0.02)
    # and the Monte Carlo sees today's design miss MASR by more than its own error
    a_t = today.ap_mode.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mc_t = simulate_layout(ls, p, a_t, np.where(a_t[:, None] > 0, today.power_c / (p.N * ls.gamma), 0.0),
                               np.where(a_t[:, None] < 1, today.power_s / p.N, 0.0), n_draws=20_000,
                               rng=np.random.default_rng(7), phase="coherent")
    assert np.min(mc_t.masr) < p.kappa * (1 - 0.03)


@pytest.mark.parametrize("seed", [0, 2, 5])
def test_coherent_design_is_never_below_a_coherently_feasible_noncoherent_design(seed):
    """S1-O22: the warm candidate re-optimises the (12)/(17) design's powers under the coherent model from its own
    point,
    so where that design meets the coherent constraints the coherent CP design's min UE SINR is at least its own;
    the own candidate (the coherent SCA alone) meets the coherent constraints by itself."""
    p, ls, ch = _instance(seed, kappa_db=6.0, sensing_combining="coherent")
    today = optimise("cp", ls, p, seeds.rng(seed, 0, "cp"), SolverOptions(**OPTS))
    d = optimise("cp", ls, p, seeds.rng(seed, 0, "cp"), SolverOptions(**OPTS, sensing_design="coherent"))
    assert d.feasible
    met = evaluate(d.power_c, d.power_s, ch, p, combining="coherent")
    np.testing.assert_array_equal(met.masr, d.metrics.masr)
    assert is_feasible("cp", d.ap_mode, d.power_c, d.power_s, met, p, 1e-4)
    if today.feasible:
        assert np.min(d.metrics.sinr_ue) >= np.min(today.metrics.sinr_ue) * (1 - 1e-6)
    own = design._optimised("cp", ch, p, seeds.rng(seed, 0, "cp"), SolverOptions(**OPTS), "coherent")
    if own.feasible:
        m = constraint_margins("cp", own.ap_mode, own.power_c, own.power_s, own.metrics, p)
        assert min(m.values()) >= -1e-4
        np.testing.assert_array_equal(own.metrics.masr, evaluate(own.power_c, own.power_s, ch, p,
                                                                 combining="coherent").masr)


@pytest.mark.parametrize("scheme", ["sp", "sp_early"])
def test_coherent_sp_designs_meet_qos_masr_under_coherent_forms(scheme):
    p, ls, ch = _instance(4, kappa_db=6.0, sensing_combining="coherent")
    d = optimise(scheme, ls, p, seeds.rng(4, 0, scheme), SolverOptions(**OPTS, sensing_design="coherent"))
    assert d.feasible, d.solver_status
    met = evaluate(d.power_c, d.power_s, ch, p, combining="coherent")
    assert is_feasible("sp", d.ap_mode, d.power_c, d.power_s, met, p, 1e-4)
    assert d.solver_status.startswith("coherent candidate")


def test_one_sensing_ap_fixed_mode_step_equals_the_noncoherent_one():
    """Special case that reduces to today's model: with a single S-AP the coherent and non-coherent forms coincide
    (tests/cfmmimo/test_montecarlo.py), so the coherent fixed-mode power optimisation solves the same problem as
    today's (in v instead of q) and reaches the same min UE SINR."""
    p, _, ch = _instance(1, kappa_db=0.0)
    a = np.ones(p.M, dtype=np.int8)
    a[int(np.argmax(ch.z.sum(axis=1)))] = 0  # the S-AP nearest the zones
    s, q = equal_power(a, ch)
    o = SolverOptions(repair_max_iter=150, rate_tol=0.0)
    plain = repair.fixed_mode_power("cp", ch, p, a, 1e-3 * s, q, o)
    coh = repair.fixed_mode_power("cp", ch, p, a, 1e-3 * s, q, o, surrogate=CoherentSurrogate)
    assert plain.feasible and coh.feasible and plain.status == coh.status == "converged"
    assert np.min(coh.metrics.sinr_ue) == pytest.approx(np.min(plain.metrics.sinr_ue), rel=1e-3)
    # both constraints active at the optimum: Eve at nu, the MASR of one zone at kappa
    assert np.max(coh.metrics.sinr_eve) == pytest.approx(p.nu_lin, rel=1e-3)
    assert np.min(coh.metrics.masr) == pytest.approx(p.kappa, rel=1e-3)
    np.testing.assert_allclose(coh.metrics.masr, evaluate(coh.s, coh.q, ch, p).masr, rtol=1e-10)


@pytest.mark.parametrize("seed,kappa_db,method,noncoherent", [
    (0, 14.0, "phase1", "phase1"),  # the non-coherent phase-1 point meets the coherent constraints
    (4, 22.0, "coherent_phase1", "phase1"),  # it does not: the phase-1 SCA from it
    (3, 22.0, "coherent_phase1", "infeasible"),  # no non-coherent phase-1 point: the phase-1 SCA from the draw
])
def test_coherent_phase1_restores_a_start_when_no_draw_meets_the_constraints(seed, kappa_db, method, noncoherent):
    """S1-72: with a single mode draw that misses the coherent constraints, the coherent phase 1 returns a start
    that meets them (relaxed budgets, Eve, MASR under the coherent closed forms), or reports it cannot."""
    p, _, ch = _instance(seed, kappa_db=kappa_db)
    o = SolverOptions(max_draws=1)
    a, _, _, first = init.cp_mode_draws(ch, p, seeds.rng(seed, 0, "cp"), o, combining="coherent")
    assert a is None
    st = init.feasible_start("cp", ch, p, seeds.rng(seed, 0, "cp"), o, combining="coherent",
                             restore=coherent_sca.coherent_phase1)
    assert st.ok, st.method
    assert st.method == method
    assert init.feasible_start("cp", ch, p, seeds.rng(seed, 0, "cp"), o).method.startswith(noncoherent)
    assert coherent_sca.coherent_margin(ch, p, st.a, st.s, st.q) >= -1e-9
    np.testing.assert_array_equal(st.a_draw, first)
    # a start from nothing is reported, not raised
    bad = coherent_sca.coherent_phase1(ch, p, None, init.Start(None, None, None, None, "x"), o)
    assert not bad.ok and "coherent phase 1" in bad.method


def test_default_designs_unchanged_and_paper_schemes_and_baseline_ignore_the_key():
    """sensing_design = "noncoherent" is today's design; the paper SCA and the baseline keep (12)/(17) whatever the
    key (options.FIELDS_READ does not list it for them); a bad value is named."""
    p, ls, _ = _instance(2, kappa_db=4.0)
    for scheme in ("cp_paper", "baseline"):
        a = optimise(scheme, ls, p, seeds.rng(2, 0, scheme), SolverOptions(max_iter=10, repair_max_iter=5))
        b = optimise(scheme, ls, p, seeds.rng(2, 0, scheme),
                     SolverOptions(max_iter=10, repair_max_iter=5, sensing_design="coherent"))
        np.testing.assert_array_equal(a.power_s, b.power_s)
        np.testing.assert_array_equal(a.power_c, b.power_c)
        assert "sensing_design" not in FIELDS_READ[scheme]
    assert all("sensing_design" in FIELDS_READ[s] for s in design.COHERENT_DESIGN_SCHEMES)
    assert SolverOptions().sensing_design == "noncoherent"
    with pytest.raises(ValueError, match="sensing_design"):
        SolverOptions(sensing_design="coherant")
    with pytest.raises(ValueError, match="surrogate"):
        repair.round_and_repair("cp", None, p, np.ones(p.M), None, None, SolverOptions(), surrogate="x")
    with pytest.raises(ValueError, match="combining"):
        init.cp_mode_draws(None, p, seeds.rng(0, 0, "cp"), SolverOptions(), combining="x")


def test_coherent_design_reevaluated_under_noncoherent_combining():
    """A coherent design reported under system.sensing_combining = noncoherent carries the (12)/(17) metrics and is
    re-checked with them (the mirror of S1-P21)."""
    p, ls, ch = _instance(4, kappa_db=6.0)
    pc = dataclasses.replace(p, sensing_combining="coherent")
    o = SolverOptions(**OPTS, sensing_design="coherent")
    d = optimise("cp", ls, p, seeds.rng(4, 0, "cp"), o)
    c = optimise("cp", ls, pc, seeds.rng(4, 0, "cp"), o)
    np.testing.assert_array_equal(c.power_s, d.power_s)
    met = evaluate(d.power_c, d.power_s, ch, p)
    np.testing.assert_array_equal(d.metrics.masr, met.masr)
    assert d.feasible == (c.feasible and is_feasible("cp", d.ap_mode, d.power_c, d.power_s, met, p, 1e-4))


def test_fields_read_by_the_coherent_designs_are_in_their_scope(monkeypatch):
    """The coherent path reads only fields that options.FIELDS_READ lists for its scheme (pipeline scoping)."""
    fields = set(SolverOptions.__dataclass_fields__)
    seen: set = set()
    plain = object.__getattribute__

    def recording(self, name):
        if name in fields:
            seen.add(name)
        return plain(self, name)

    monkeypatch.setattr(SolverOptions, "__getattribute__", recording)
    p, ls, _ = _instance(1, M=6, K=2, L=2)
    for scheme in design.COHERENT_DESIGN_SCHEMES:
        seen.clear()
        optimise(scheme, ls, p, seeds.rng(1, 0, scheme), SolverOptions(max_iter=8, repair_max_iter=4, max_draws=2,
                                                                      sensing_design="coherent"))
        assert seen <= set(FIELDS_READ[scheme]), sorted(seen - set(FIELDS_READ[scheme]))
        assert "sensing_design" in seen


def _fig3_like(secrecy, feasible, schemes=("cp", "sp"), kappas=(0.0, 20.0)):
    import xarray as xr

    secrecy = np.asarray(secrecy, dtype=float)
    dims = ("scheme", "kappa_db", "layout")
    coords = {"scheme": list(schemes), "kappa_db": list(kappas), "layout": np.arange(secrecy.shape[-1])}
    return xr.Dataset({"secrecy_avg": (dims, secrecy), "feasible": (dims, np.asarray(feasible, dtype=np.int8))},
                      coords=coords)


def test_coherent_design_summary_and_figure():
    """figures.coherent_design_summary by hand on a 2 x 2 x 3 example; the figure draws and names bad input."""
    from secure_isac.cfmmimo import figures

    rep = _fig3_like(np.full((2, 2, 3), 2.0), [[[1, 1, 0]] * 2] * 2)
    sec = np.full((2, 2, 3), 2.0)
    sec[0, 1] = [2.5, 3.0, 4.0]
    coh = _fig3_like(sec, np.ones((2, 2, 3)))
    s = figures.coherent_design_summary(rep, coh).sel(scheme="cp", kappa_db=20.0)
    assert float(s["feasible_reported"]) == pytest.approx(2 / 3) and float(s["feasible_coherent"]) == 1.0
    assert float(s["mean_coherent"]) == pytest.approx(9.5 / 3) and float(s["mean_reported"]) == 2.0
    assert float(s["change_mean"]) == pytest.approx(0.75) and int(s["n_paired"]) == 2  # layout 2 not paired
    fig = figures.plot_coherent_design(rep, coh)
    assert len(fig.axes) == 3 and "kappa" in fig.axes[0].get_xlabel()
    with pytest.raises(ValueError, match="same layouts"):
        figures.plot_coherent_design(rep, coh.isel(layout=[0, 1]))
    with pytest.raises(ValueError, match="share no scheme"):
        figures.plot_coherent_design(rep.sel(scheme=["cp"]), coh.sel(scheme=["sp"]))
