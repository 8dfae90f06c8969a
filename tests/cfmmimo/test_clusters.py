"""User-centric serving clusters (docs/model.md 1.23, not in the paper): cluster choice by brute force, validation of
cluster_size, the sparse subproblems against the dense ones, the closed forms with the zero pattern against the Monte
Carlo of the signal model, the feasibility re-check of the pattern, and cluster_size = M equal to the paper's model."""

import dataclasses
import itertools

import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo import channels, clusters, geometry, sca, sca_clustered
from secure_isac.cfmmimo import start as init
from secure_isac.cfmmimo.baseline import equal_power
from secure_isac.cfmmimo.closed_forms import effective_powers, evaluate, masr, normalize, sinr_eve, sinr_ue
from secure_isac.cfmmimo.design import optimise, optimise_normalized
from secure_isac.cfmmimo.feasibility import constraint_margins, is_feasible
from secure_isac.cfmmimo.montecarlo import simulate_layout
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.cfmmimo.penalty import objective_t, relaxed_sca
from secure_isac.cfmmimo.repair import fixed_mode_power
from secure_isac.fields import ParamError

TOL = 1e-6


def _layout(M=12, K=3, L=2, seed=3, **kw):
    p = SystemParams(M=M, K=K, L=L, **kw)
    r = seeds.rng(seed, 0, "layout")
    return p, channels.large_scale_fading(geometry.draw_layout(p, r), p, r)


def _instance(M=12, K=3, L=2, C=3, seed=3, **kw):
    p, ls = _layout(M, K, L, seed, cluster_size=C, **kw)
    return p, ls, normalize(ls, p)


def _all_aps(p, ch):
    """ch with 'clusters' of every AP (strongest first): the sparse formulation of the paper's (dense) problem."""
    return dataclasses.replace(ch, serving=clusters.serving_clusters(ch.b, p.M))


# --- the clusters ------------------------------------------------------------------------------------------------
def test_clusters_are_the_strongest_aps_by_brute_force():
    rng = np.random.default_rng(0)
    beta = rng.random((7, 4))
    beta[2, 1] = beta[5, 1] = beta[:, 1].max() + 1.0  # a tie for the strongest AP of UE 1
    beta[[0, 3, 6], 2] = 0.5  # a tie at the cluster edge of UE 2
    beta[[1, 2, 4, 5], 2] = [0.9, 0.8, 0.1, 0.2]
    for C in range(1, 8):
        serving = clusters.serving_clusters(beta, C)
        assert serving.shape == (4, C)
        for k in range(4):
            # brute force: the C-subset with the largest total gain, ties broken towards the smaller AP indices
            best = max(itertools.combinations(range(7), C),
                       key=lambda S: (round(beta[list(S), k].sum(), 12), [-m for m in S]))
            assert sorted(serving[k]) == sorted(best), (C, k)
            assert np.all(np.diff(beta[serving[k], k]) <= 0)  # strongest first
    assert list(clusters.serving_clusters(beta, 2)[1]) == [2, 5]  # equal gains: lower index first
    assert list(clusters.serving_clusters(beta, 3)[2]) == [1, 2, 0]  # 0.5 at APs 0, 3, 6: AP 0


@pytest.mark.parametrize("value", [33, 0, -1, 2.0, "3", True, [4]])
def test_bad_cluster_size_names_the_key(value):
    with pytest.raises(ParamError) as exc:
        SystemParams(M=32, cluster_size=value)
    text = str(exc.value)
    assert text.startswith("cluster_size: ") and "\n" not in text, text


def test_cluster_size_m_is_the_paper_model_bit_for_bit():
    """cluster_size = M (every AP serves every UE) builds no clusters and gives today's designs bit for bit."""
    for scheme in ("cp", "sp", "baseline"):
        p0, ls = _layout(M=10, K=2, seed=4)
        pM = dataclasses.replace(p0, cluster_size=10)
        assert not pM.clustered and normalize(ls, pM).serving is None
        d0 = optimise(scheme, ls, p0, seeds.rng(4, 0, scheme))
        dM = optimise(scheme, ls, pM, seeds.rng(4, 0, scheme))
        for f in ("ap_mode", "power_c", "power_s"):
            np.testing.assert_array_equal(getattr(dM, f), getattr(d0, f))
        np.testing.assert_array_equal(dM.trace.objective, d0.trace.objective)
        assert dM.solver_status == d0.solver_status


def test_equal_power_and_draws_respect_the_clusters():
    p, _, ch = _instance(M=16, K=4, C=3)
    mask = clusters.serving_mask(ch.serving, p.M)
    for a in (np.ones(16), (np.arange(16) % 2).astype(float)):
        s, _ = equal_power(a, ch)
        assert np.all(s[~mask] == 0)
        serves = mask.any(axis=1)
        np.testing.assert_allclose(s.sum(axis=1), a * serves, rtol=1e-12)  # full comm budget on serving C-APs
    a = np.zeros(16, dtype=np.int8)
    a[ch.serving[0]] = 1  # only UE 0's cluster in C mode
    done = clusters.serve_every_ue(a, ch.serving)
    assert np.all(done[ch.serving].max(axis=1) == 1) and np.all(done >= a)
    assert np.all((done - a)[ch.serving[1:, 0]] >= 0)  # an unserved UE gets its strongest AP
    rng = seeds.rng(3, 0, "cp")
    for _ in range(20):
        a = init._draw(ch, rng)
        assert np.all(a[ch.serving].max(axis=1) == 1)


def test_scaled_draw_test_equals_the_closed_forms():
    p, _, ch = _instance(M=16, K=4, L=3, C=3, kappa_db=-3.0)
    rng = np.random.default_rng(1)
    for _ in range(10):
        a = (rng.random(16) < 0.5).astype(float)
        s, q = equal_power(a, ch)
        cs = init.C_GRID[:, None, None] * s
        direct = (np.max(sinr_eve(cs, q, ch), axis=-1) <= p.nu_lin) & (np.min(masr(cs, q, ch), axis=-1) >= p.kappa)
        fast = init.scaled_draw_ok(s, q, ch, p)
        # equal up to round-off at the boundary: compare away from it
        eve = np.max(sinr_eve(cs, q, ch), axis=-1) / p.nu_lin
        ms = np.min(masr(cs, q, ch), axis=-1) / p.kappa
        clear = (np.abs(eve - 1) > 1e-9) & (np.abs(ms - 1) > 1e-9)
        np.testing.assert_array_equal(fast[clear], direct[clear])


def test_aggregated_rows_equal_linear_rows():
    for nu, kappa_db in ((0.5, 2.0), (np.inf, 2.0), (0.5, -np.inf)):
        p, _, ch = _instance(M=10, K=3, L=3, C=2, nu=nu, kappa_db=kappa_db)
        eA, eQ, eC, mQ, mW = sca.linear_rows(ch, p.nu_lin, p.kappa)
        gA, eY, gC, mq, my, gW = sca_clustered.aggregated_rows(ch, p.nu_lin, p.kappa)
        np.testing.assert_array_equal(gA, eA)
        np.testing.assert_array_equal(gC, eC)
        np.testing.assert_array_equal(gW, mW)
        rng = np.random.default_rng(2)
        for _ in range(3):
            q = rng.random((10, 3))
            y = np.sum(ch.G_hat * q[:, None, :], axis=-1)
            for l in range(3):
                np.testing.assert_allclose(eY[l] @ y[:, l], np.sum(eQ[l] * q), rtol=1e-12, atol=1e-300)
                np.testing.assert_allclose(mq[l] @ q[:, l] - my[l] @ y[:, l], np.sum(mQ[l] * q), rtol=1e-10)


def test_clustered_phase1_start_is_feasible():
    """The sparse phase-1 LP (docs/model.md S1-91): a start with power only on the served pairs, every UE served,
    the budgets, Eve <= nu and MASR >= kappa met (kappa 14 dB, where the random draws fail)."""
    p, _, ch = _instance(M=16, K=4, L=3, C=3, seed=2, kappa_db=14.0)
    opts = SolverOptions()
    a, _, _, first = init.cp_mode_draws(ch, p, seeds.rng(2, 0, "cp"), opts)
    assert a is None  # no draw passes: phase 1 is needed
    st = init.phase1_start(ch, p, first, opts)
    assert st.ok, st.method
    met = evaluate(st.s, st.q, ch, p)
    assert np.all(st.s[~clusters.serving_mask(ch.serving, 16)] == 0)
    assert np.all(met.sinr_ue > 0)
    assert np.all(st.s.sum(axis=1) <= st.a + TOL) and np.all(st.q.sum(axis=1) <= 1 - st.a + TOL)
    assert np.max(met.sinr_eve) <= p.nu * (1 + TOL) and np.min(met.masr) >= p.kappa * (1 - TOL)


# --- the sparse subproblems --------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["cp", "sp"])
@pytest.mark.parametrize("form", ["corrected", "printed"])
def test_clustered_subproblem_is_dpp_and_equals_the_dense_one_at_cluster_size_m(kind, form):
    """With every AP in every cluster the sparse problem is the dense one: same optimal value at the same point,
    in the penalty step and in the decoupled fixed-mode step."""
    p, ls = _layout(M=10, K=3, seed=6, ue_sinr_form=form)
    ch = normalize(ls, p)
    st = init.feasible_start(kind, ch, p, seeds.rng(6, 0, kind), SolverOptions())
    assert st.ok
    sparse = sca_clustered.clustered_subproblem(kind, _all_aps(p, ch), form)
    assert sparse.problem.is_dcp(dpp=True)
    dense = sca.subproblem(kind, 10, 3, 2, form)
    t0 = objective_t(kind, evaluate(st.s, st.q, ch, p))
    for fixed in (None, st.a_draw):
        lam = 0.0 if fixed is not None else 0.5 * t0
        sols = []
        for sub in (dense, sparse):
            sub.set_channel(_all_aps(p, ch) if sub is sparse else ch, p.nu_lin, p.kappa)
            sub.set_point(st.a, st.s, st.q, t0, lam, np.zeros(10), np.ones(10), p.varsigma, fixed=fixed)
            status, sol, _ = sub.solve("CLARABEL", None)
            assert sol is not None, status
            sols.append(sol)
        # equal to the solver's accuracy (the active Eve row is met to ~1e-7 relative by either form)
        np.testing.assert_allclose(sols[1].t, sols[0].t, rtol=1e-5)


@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_clustered_subproblem_equals_dense_with_zero_pattern(kind):
    """Independent route: the dense cvxpy subproblem with u_mk = 0 outside the clusters added as constraints has the
    optimal value of the sparse one (fast path and cvxpy path)."""
    from secure_isac.startup import cvx

    p, ls, ch = _instance(M=12, K=3, C=4, seed=8)
    st = init.feasible_start(kind, ch, p, seeds.rng(8, 0, kind), SolverOptions())
    assert st.ok
    t0 = objective_t(kind, evaluate(st.s, st.q, ch, p))
    dense = sca.subproblem(kind, 12, 3, 2)
    dense.set_channel(ch, p.nu_lin, p.kappa)
    dense.set_point(st.a, st.s, st.q, t0, 0.3 * t0, np.zeros(12), np.ones(12), p.varsigma)
    for name, value in dense._vals.items():
        dense.P[name].value = value
    out = ~clusters.serving_mask(ch.serving, 12)
    pb = cvx.Problem(dense.problem.objective, [*dense.problem.constraints, dense.var["u"][out] == 0])
    pb.solve(solver="CLARABEL")
    sub = sca_clustered.clustered_subproblem(kind, ch)
    sub.set_channel(ch, p.nu_lin, p.kappa)
    sub.set_point(st.a, st.s, st.q, t0, 0.3 * t0, np.zeros(12), np.ones(12), p.varsigma)
    for fast in (True, False):
        status, sol, _ = sub.solve("CLARABEL", None, fast=fast)
        assert sol is not None, status
        np.testing.assert_allclose(sol.t, float(dense.var["tau"].value) * t0, rtol=1e-5)  # solver accuracy
        assert np.all(sol.s[out] == 0)
    assert sub.fast.available is True


@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_clustered_sca_invariants(kind):
    """Every iterate of a clustered penalty SCA and repair meets the exact constraints, SINR_k >= t (CP) /
    SINR_l <= t (SP), and has no power outside the clusters."""
    p, ls, ch = _instance(M=12, K=3, C=3, seed=3)
    st = init.feasible_start(kind, ch, p, seeds.rng(3, 0, kind), SolverOptions())
    assert st.ok and is_feasible(kind if kind == "sp" else "cp", np.round(st.a), st.s, st.q,
                                 evaluate(st.s, st.q, ch, p), p, 1.0, serving=ch.serving)
    mask = clusters.serving_mask(ch.serving, 12)
    for fixed in (None, st.a_draw):
        its = []
        relaxed_sca(kind, ch, p, st.a_draw if fixed is not None else st.a, st.s, st.q, SolverOptions(),
                    fixed_a=fixed, max_iter=6, iterates=its)
        assert len(its) >= (2 if fixed is None else 4)
        for it in its[1:]:
            s, q = it["s"], it["q"]
            met = evaluate(s, q, ch, p)
            assert np.all(s[~mask] == 0)
            assert np.all(met.masr >= p.kappa * (1 - TOL))
            if kind == "cp":
                assert np.all(met.sinr_eve <= p.nu * (1 + TOL))
                assert np.min(met.sinr_ue) >= it["t_solver"] * (1 - TOL)
            else:
                assert np.min(met.sinr_ue) >= p.varsigma * (1 - TOL)
                assert np.max(met.sinr_eve) <= it["t_solver"] * (1 + TOL)


def _grid_best(ch, p, a, pairs, s_ap, lo, hi, n):
    """Best feasible min-SINR over an n^3 grid of (s_pair0, s_pair1, q) in the box [lo, hi]: brute force."""
    ap, ue = pairs
    axes = [np.linspace(lo[i], hi[i], n) for i in range(3)]
    g = np.meshgrid(*axes, indexing="ij")
    s = np.zeros(g[0].shape + (3, 2))
    s[..., ap[0], ue[0]] += g[0]
    s[..., ap[1], ue[1]] += g[1]
    q = np.zeros(g[0].shape + (3, 1))
    q[..., s_ap, 0] = g[2]
    ok = np.all(s.sum(axis=-1) <= a + 1e-12, axis=-1) & np.all(q.sum(axis=-1) <= (1 - a) + 1e-12, axis=-1)
    ok &= np.max(sinr_eve(s, q, ch), axis=-1) <= p.nu
    ok &= np.min(masr(s, q, ch), axis=-1) >= p.kappa
    val = np.where(ok, np.min(sinr_ue(s, q, ch), axis=-1), -np.inf)
    i = np.unravel_index(np.argmax(val), val.shape)
    return float(val[i]), np.array([axes[j][i[j]] for j in range(3)])


def test_fixed_mode_power_against_a_brute_force_grid():
    """Tiny instance (M = 3, K = 2, L = 1, one AP per UE): the repair's fixed-mode CP power control is at least as
    good as the best feasible point of a brute-force grid over the three free powers (the two served pairs and the
    S-AP's sensing power), refined twice around its best point."""
    p, ls = _layout(M=3, K=2, L=1, seed=11, side_m=150.0, cluster_size=1, kappa_db=-5.0)
    ch = normalize(ls, p)
    a = np.zeros(3, dtype=np.int8)
    a[ch.serving[:, 0]] = 1
    if a.sum() == 1:  # both UEs have the same strongest AP: one more (idle) C-AP, one S-AP
        a[np.flatnonzero(a == 0)[0]] = 1
    s_ap = int(np.flatnonzero(a == 0)[0])
    s0, q0 = equal_power(a, ch)
    rep = fixed_mode_power("cp", ch, p, a, 0.01 * s0, q0, SolverOptions(repair_max_iter=300, rate_tol=0.0))
    assert rep.feasible, rep.status
    best_sca = float(np.min(rep.metrics.sinr_ue))
    pairs = clusters.pair_indices(ch.serving)
    lo, hi = np.zeros(3), np.ones(3)
    for _ in range(3):
        best, x = _grid_best(ch, p, a, pairs, s_ap, lo, hi, 41)
        width = (hi - lo) / 8
        lo, hi = np.maximum(x - width, 0.0), np.minimum(x + width, 1.0)
    assert np.isfinite(best)
    assert best_sca >= best * (1 - 1e-6), (best_sca, best)
    assert best_sca <= best * (1 + 1e-2), (best_sca, best)


def test_closed_forms_with_clusters_match_the_monte_carlo():
    """The closed forms of a clustered design (eta^c_mk = 0 outside the clusters) against the Monte Carlo of the
    literal signal model, which knows nothing of clusters (within the 2 % of the existing Monte Carlo tests)."""
    p = SystemParams(M=6, N=4, K=2, L=2, side_m=200.0, cluster_size=2)
    r = seeds.rng(2, 0)
    ls = channels.large_scale_fading(geometry.draw_layout(p, r), p, r)
    ch = normalize(ls, p)
    a = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    a = clusters.serve_every_ue(a, ch.serving).astype(float)
    s, q = equal_power(a, ch)
    assert np.any(s == 0) and np.all(s[~clusters.serving_mask(ch.serving, 6)] == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta_c = np.where(s > 0, s / (p.N * ls.gamma), 0.0)
    eta_s = (1 - a)[:, None] * np.full((p.M, p.L), 1.0 / (p.N * p.L))
    s2, q2 = effective_powers(a, eta_c, eta_s, ls.gamma, p.N)
    np.testing.assert_allclose(s2, s, rtol=1e-12)
    mc = simulate_layout(ls, p, a, eta_c, eta_s, n_draws=60_000, rng=np.random.default_rng(3))
    np.testing.assert_allclose(mc.sinr_ue, sinr_ue(s, q2, ch), rtol=0.02)
    np.testing.assert_allclose(mc.sinr_eve, sinr_eve(s, q2, ch), rtol=0.02)
    np.testing.assert_allclose(mc.masr, masr(s, q2, ch), rtol=0.02)


# --- designs -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scheme", ["cp", "sp", "sp_early", "baseline"])
def test_clustered_designs_are_rechecked(scheme):
    p, ls, ch = _instance(M=16, K=4, C=3, seed=5)
    d = optimise(scheme, ls, p, seeds.rng(5, 0, scheme))
    mask = clusters.serving_mask(ch.serving, 16)
    assert np.all(d.power_c[~mask] == 0)
    assert np.all(d.ap_mode[ch.serving].max(axis=1) == 1)  # every UE has a C-AP in its cluster
    kind = "baseline" if scheme == "baseline" else scheme[:2]
    ok = is_feasible(kind, d.ap_mode, d.power_c, d.power_s, evaluate(d.power_c, d.power_s, ch, p), p, 1e-4,
                     serving=ch.serving)
    assert ok == d.feasible
    if scheme != "baseline":
        assert d.feasible, d.solver_status


def test_power_outside_the_clusters_is_infeasible():
    p, ls, ch = _instance(M=16, K=4, C=3, seed=5)
    d = optimise("cp", ls, p, seeds.rng(5, 0, "cp"))
    assert d.feasible
    m = constraint_margins("cp", d.ap_mode, d.power_c, d.power_s, d.metrics, p, serving=ch.serving)
    assert m["cluster"] == 0.0
    out = np.argwhere(~clusters.serving_mask(ch.serving, 16) & (d.ap_mode[:, None] == 1))[0]
    s = d.power_c.copy()
    s[tuple(out)] = 1e-3
    m = constraint_margins("cp", d.ap_mode, s, d.power_s, d.metrics, p, serving=ch.serving)
    assert m["cluster"] == pytest.approx(-1e-3)
    assert not is_feasible("cp", d.ap_mode, s, d.power_s, d.metrics, p, 1e-4, serving=ch.serving)


def test_clusters_cost_secrecy_but_not_feasibility():
    """Serving each UE from fewer APs can only lower the max-min UE rate of a converged CP design in expectation;
    both designs meet their constraints (one layout, so only a loose comparison)."""
    p, ls, ch = _instance(M=16, K=2, C=2, seed=9)
    dc = optimise("cp", ls, p, seeds.rng(9, 0, "cp"))
    du = optimise("cp", ls, dataclasses.replace(p, cluster_size=None), seeds.rng(9, 0, "cp"))
    assert dc.feasible and du.feasible
    assert np.min(dc.metrics.rate_ue) <= np.min(du.metrics.rate_ue) + 0.5


@pytest.mark.parametrize("scheme", ["cp_paper", "sp_paper"])
def test_paper_surrogate_refuses_clusters(scheme):
    p, ls, _ = _instance(M=8, K=2, C=2)
    with pytest.raises(ValueError, match="^cluster_size: "):
        optimise(scheme, ls, p, seeds.rng(1, 0, scheme))


def test_channel_and_params_must_agree_on_the_clusters():
    p, ls, ch = _instance(M=8, K=2, C=2)
    with pytest.raises(ValueError, match="^ch.serving: "):
        optimise_normalized("cp", dataclasses.replace(ch, serving=None), p, seeds.rng(1, 0, "cp"))
    with pytest.raises(ValueError, match="^ch.serving: "):
        optimise_normalized("cp", ch, dataclasses.replace(p, cluster_size=None), seeds.rng(1, 0, "cp"))


# --- combinations with the other extensions ------------------------------------------------------------------------
def test_clusters_with_pilot_reuse_are_refused_naming_both_keys():
    """The sparse subproblems have no pilot-contamination rows: clusters with shared pilots stop at once, naming both
    keys; clusters with orthogonal pilots (tau_p >= K) are accepted."""
    with pytest.raises(ValueError, match=r"^cluster_size, tau_p: user-centric clusters") as err:
        SystemParams(M=8, K=4, L=2, cluster_size=2, tau_p=2, pilot_assignment="random")
    assert "\n" not in str(err.value)
    assert SystemParams(M=8, K=4, L=2, cluster_size=2, tau_p=4, pilot_assignment="random").clustered
    assert SystemParams(M=8, K=4, L=2, cluster_size=8, tau_p=2, pilot_assignment="random").pilot_reuse  # = every AP


@pytest.mark.parametrize("eve", [{"eve_position": "offset", "eve_offset_m": 10.0},
                                 {"eve_position": "disc", "eve_radius_m": 20.0, "eve_design": "robust_bound"},
                                 {"eve_collusion": True}], ids=["offset", "robust_disc", "colluding"])
def test_clusters_with_eavesdroppers_off_the_centre_are_refused_naming_the_keys(eve):
    """The sparse subproblems have the paper's Eve rows only (deviations S1-O27): clusters with another eavesdropper
    model stop at once in one line naming the keys; cluster_size = M (every AP) is not clustered and is accepted."""
    base = dict(M=8, K=4, L=2, side_m=300.0)
    with pytest.raises(ValueError, match=r"^cluster_size, eve_position, eve_collusion: user-centric") as err:
        SystemParams(**base, cluster_size=2, **eve)
    assert "\n" not in str(err.value)
    assert SystemParams(**base, cluster_size=8, **eve).eve_enabled


@pytest.mark.parametrize("scheme", ["cp", "sp", "sp_early"])
def test_clusters_with_a_coherent_design_are_refused_naming_both_keys(scheme):
    p, ls, _ = _instance(M=8, K=2, C=2)
    with pytest.raises(ValueError, match=r"^cluster_size, sensing_design: user-centric clusters") as err:
        optimise(scheme, ls, p, seeds.rng(1, 0, scheme), SolverOptions(sensing_design="coherent"))
    assert "\n" not in str(err.value)


def test_clustered_designs_reevaluated_under_coherent_combining():
    """Clusters with coherent sensing combining as the reported model (system key sensing_combining): the clustered
    design (made for (12)/(17)) is re-evaluated with the coherent closed forms and re-checked, zero pattern kept; the
    baseline ignores sensing_design, so clusters and sensing_design = coherent give it no error."""
    p, ls, ch = _instance(M=16, K=4, C=3, seed=5)
    pc = dataclasses.replace(p, sensing_combining="coherent")
    d = optimise("cp", ls, pc, seeds.rng(5, 0, "cp"))
    ref = optimise("cp", ls, p, seeds.rng(5, 0, "cp"))
    np.testing.assert_array_equal(d.power_c, ref.power_c)  # the same design ...
    met = evaluate(d.power_c, d.power_s, ch, p, combining="coherent")
    np.testing.assert_array_equal(d.metrics.sinr_eve, met.sinr_eve)  # ... reported under the coherent model
    assert d.feasible == is_feasible("cp", d.ap_mode, d.power_c, d.power_s, met, p, 1e-4, serving=ch.serving)
    assert np.all(d.power_c[~clusters.serving_mask(ch.serving, 16)] == 0)
    optimise("baseline", ls, p, seeds.rng(5, 0, "baseline"), SolverOptions(sensing_design="coherent"))
