"""The co-location lemma (docs/model.md S1-74 - S1-76): SINR_Eve,l * MASR_l < 1 for any powers while the
eavesdropper sits at its zone's centre, under every model switch that keeps it there; its consequence for CP's Eve
rate; and the MASR ceiling beyond which CP is infeasible.

Seeded random sweeps over layouts and powers (wide dynamic range, binary and fractional modes), checked with the
library's own closed forms (closed_forms.evaluate with each switch), never with the lemma's decomposition alone;
one test checks that the same check flags a deliberately broken model (eavesdropper gain off the zone centre)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo.channels import channel_estimate_gain, cross_gain, large_scale_fading
from secure_isac.cfmmimo.closed_forms import (
    NormalizedChannel,
    evaluate,
    masr,
    masr_coherent,
    masr_paper_vars,
    normalize,
    sinr_eve,
    sinr_eve_coherent,
    sinr_eve_paper_vars,
)
from secure_isac.cfmmimo.colocation import (
    colocation_terms,
    eve_masr_product,
    eve_rate_bound,
    implied_kappa_db,
    masr_ceiling,
    product_bound,
)
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.montecarlo import simulate_layout
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams

N_LAYOUTS = 6
N_POWERS = 400

# every model switch that keeps the eavesdropper at its zone's centre (docs/deviations.md S1-P1, S1-P9, S1-P10,
# S1-P12, S1-P17 to S1-P21), one at a time from the defaults, plus combinations and both constraints off
SWITCHES = {
    "default": {},
    "ue_sinr_printed": {"ue_sinr_form": "printed"},
    "zeta_shadowed": {"zeta_model": "shadowed"},
    "zeta_two_way": {"zeta_model": "two_way"},
    "sensing_coherent": {"sensing_combining": "coherent"},
    "prelog": {"prelog": True},
    "nu_db": {"nu_unit": "db"},
    "shadowing_correlated": {"shadowing_model": "correlated", "zeta_model": "shadowed"},
    "no_wrap_around": {"wrap_around": False},
    "coherent_two_way_printed": {"sensing_combining": "coherent", "zeta_model": "two_way",
                                 "ue_sinr_form": "printed", "prelog": True},
    "constraints_off": {"nu": math.inf, "kappa_db": -math.inf},
    "three_zones": {"L": 3},
}


def _rng(*key: int) -> np.random.Generator:
    return np.random.default_rng(list(key))


def _powers(rng: np.random.Generator, M: int, K: int, L: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n random designs (n,M,K), (n,M,L) meeting the relaxed budgets S_m <= a_m, sum_l q_ml <= 1 - a_m: half with
    binary modes, half fractional; every entry scaled by 10^U(-8, 0), so that some designs have large own sensing
    beams with almost no leakage (products close to 1) and others the reverse."""
    a = np.where(np.arange(n)[:, None] < n // 2, rng.random((n, M)) < 0.5, rng.random((n, M)))
    s = rng.dirichlet(np.ones(K), (n, M)) * 10 ** rng.uniform(-8, 0, (n, M, K))
    q = rng.dirichlet(np.ones(L), (n, M)) * 10 ** rng.uniform(-8, 0, (n, M, L))
    s = s / np.maximum(1.0, s.sum(-1, keepdims=True)) * a[..., None]
    q = q / np.maximum(1.0, q.sum(-1, keepdims=True)) * (1.0 - a[..., None])
    return s, q


def _cases(overrides: dict, seed: int = 11):
    """(params, ch, s, q) of N_LAYOUTS random layouts of the switch, each with N_POWERS random designs."""
    p = SystemParams(**{"M": 16, "K": 3, "L": 2, **overrides})
    for i in range(N_LAYOUTS):
        lay = draw_layout(p, seeds.rng(seed, i, "layout"))
        ch = normalize(large_scale_fading(lay, p, _rng(seed, i, 1)), p)
        s, q = _powers(_rng(seed, i, 2), p.M, p.K, p.L, N_POWERS)
        yield p, ch, s, q


def lemma_violations(sinr_eve_l, masr_l, rel_tol: float = 1e-12) -> int:
    """Number of (design, zone) pairs with SINR_Eve * MASR >= 1 (the check every sweep below runs)."""
    return int(np.sum(eve_masr_product(sinr_eve_l, masr_l) >= 1.0 - rel_tol))


@pytest.mark.parametrize("combining", ["noncoherent", "coherent"])
def test_colocation_terms_reproduce_the_closed_forms(combining):
    """The decomposition of S1-74 is the closed forms: SINR_Eve = A/(Q + C' + 1), MASR = Q/(A + C')."""
    for _, ch, s, q in _cases({"L": 3}):
        A, Q, Cp = colocation_terms(s, q, ch, combining)
        eve, ms = ((sinr_eve_coherent(s, q, ch), masr_coherent(s, q, ch)) if combining == "coherent"
                   else (sinr_eve(s, q, ch), masr(s, q, ch)))
        np.testing.assert_allclose(eve, A / (Q + Cp + 1.0), rtol=1e-10)
        np.testing.assert_allclose(ms, Q / (A + Cp), rtol=1e-10)


@pytest.mark.parametrize("name", list(SWITCHES))
def test_lemma_holds_for_every_switch_that_keeps_eve_at_the_centre(name):
    """For any powers: SINR_Eve,l * MASR_l <= Q_l/(Q_l + 1) < 1 (the library's metrics of each switch), the sweep
    reaches products close to their bound (so the check has power: close to 1 itself unless the two-way gain leaves
    every own beam Q_l << 1, the nearly deaf eavesdroppers of S1-P18), and where MASR_l >= kappa the Eve rate is below
    f log2(1 + 1/kappa)."""
    largest = tightest = 0.0
    for p, ch, s, q in _cases(SWITCHES[name]):
        met = evaluate(s, q, ch, p, combining=p.sensing_combining)
        assert lemma_violations(met.sinr_eve, met.masr) == 0
        prod = eve_masr_product(met.sinr_eve, met.masr)
        _, Q, _ = colocation_terms(s, q, ch, p.sensing_combining)
        assert np.all(prod <= product_bound(Q) * (1 + 1e-12))
        largest = max(largest, float(prod.max()))
        tightest = max(tightest, float(np.max(prod / product_bound(Q))))
        for kappa_db in (0.0, 3.0, 10.0, 20.0, 30.0):
            kappa = 10 ** (kappa_db / 10)
            meets = met.masr >= kappa
            bound = eve_rate_bound(kappa, prelog_factor=p.prelog_factor)
            assert np.all(met.rate_eve[meets] < bound)
    assert tightest > 0.99, tightest
    if SWITCHES[name].get("zeta_model") == "two_way":
        assert largest < 0.5, largest
    else:
        assert largest > 0.99, largest


def test_the_check_detects_a_broken_product():
    """Deliberately broken model: the eavesdropper receives with its own gains (up to 10x the zone centre's on some
    links, as off the centre) while MASR keeps the centre's. The same check then finds products above 1."""
    found = 0
    for _, ch, s, q in _cases({}):
        g = _rng(3, 0, 3).uniform(0.1, 10.0, ch.z.shape)
        eve_ch = dataclasses.replace(ch, z=ch.z * g)
        found += lemma_violations(sinr_eve(s, q, eve_ch), masr(s, q, ch))
    assert found > 0


def test_lemma_in_the_paper_variables():
    """Independent route: (17) and (12) in the paper's own variables (a, eta^c, eta^s, fractional a) obey it too."""
    rng = np.random.default_rng(5)
    M, K, L, N, rho = 10, 3, 2, 8, 1e3
    for _ in range(200):
        beta = 10 ** rng.uniform(-3, 1, (M, K))
        zeta = 10 ** rng.uniform(-3, 1, (M, L))
        G = cross_gain(rng.uniform(-1, 1, (M, L)), N)
        gamma = channel_estimate_gain(beta, K + L, rho)
        a = rng.random(M)
        eta_c = rng.random((M, K)) * 10 ** rng.uniform(-6, 0, (M, 1)) / (N * K * gamma)
        eta_s = rng.random((M, L)) * 10 ** rng.uniform(-6, 0, (M, L)) / (N * L)
        eve = sinr_eve_paper_vars(a, eta_c, eta_s, gamma, zeta, G, rho, N)
        ms = masr_paper_vars(a, eta_c, eta_s, gamma, zeta, G, N)
        assert lemma_violations(eve, ms) == 0


@pytest.mark.parametrize("phase", ["random", "coherent"])
def test_lemma_holds_for_the_monte_carlo_estimates(phase):
    """Route through the signal model (S1-60): the sample-moment Eve SINR and MASR share their terms as well, so
    the product stays below 1 for random and for coherent phases."""
    p = SystemParams(M=6, K=2, L=2, side_m=150.0)
    lay = draw_layout(p, seeds.rng(4, 0, "layout"))
    ls = large_scale_fading(lay, p, _rng(4, 0, 1))
    a = np.array([1.0, 0.0, 1.0, 0.0, 0.0, 1.0])
    eta_c = np.full((p.M, p.K), 1.0) / (p.N * p.K * ls.gamma)
    eta_s = np.array([[0.9, 0.1]] * p.M) / p.N
    mc = simulate_layout(ls, p, a, eta_c, eta_s, n_draws=2000, rng=np.random.default_rng(1), phase=phase)
    assert lemma_violations(mc.sinr_eve, mc.masr) == 0
    assert np.all(mc.sinr_eve > 0) and np.all(np.isfinite(mc.masr))


def test_implied_kappa_and_rate_bound():
    assert implied_kappa_db(0.5) == pytest.approx(3.0103, abs=1e-4)
    assert implied_kappa_db(10 ** 0.05) == pytest.approx(-0.5)
    np.testing.assert_allclose(eve_rate_bound(10 ** (np.array([0.0, 2.0, 4.0, 20.0]) / 10), nu=0.5),
                               [np.log2(1.5), np.log2(1.5), np.log2(1 + 10 ** -0.4), np.log2(1.01)])
    assert eve_rate_bound(0.0, nu=0.5) == pytest.approx(np.log2(1.5))
    assert eve_rate_bound(0.0) == np.inf
    assert eve_rate_bound(2.0, prelog_factor=0.97) == pytest.approx(0.97 * np.log2(1.5))
    with pytest.raises(ValueError, match="nu"):
        implied_kappa_db(0.0)


def test_cp_design_eve_rate_at_the_bound_once_kappa_exceeds_one_over_nu():
    """A CP design at kappa = 6 dB > 1/nu: its Eve rate is below log2(1 + 1/kappa) < log2(1 + nu), so the Eve
    constraint is slack; at kappa = 0 dB < 1/nu the Eve constraint binds instead."""
    p = SystemParams(M=12, K=2, L=2, kappa_db=6.0)
    lay = draw_layout(p, seeds.rng(1, 0, "layout"))
    ls = large_scale_fading(lay, p, _rng(1, 0, 1))
    d = optimise("cp", ls, p, seeds.rng(1, 0, "cp"), SolverOptions())
    assert d.feasible
    eve = float(d.metrics.rate_eve.max())
    assert eve <= eve_rate_bound(p.kappa) * (1 + 1e-4) < np.log2(1 + p.nu)
    assert float(d.metrics.sinr_eve.max()) < p.nu * 0.9  # the Eve constraint is not active
    d0 = optimise("cp", ls, dataclasses.replace(p, kappa_db=0.0), seeds.rng(1, 0, "cp"), SolverOptions())
    assert d0.feasible and float(d0.metrics.rate_eve.max()) == pytest.approx(np.log2(1 + p.nu), abs=1e-3)


def test_masr_ceiling_is_the_supremum_of_the_smallest_masr():
    """kappa* (S1-76) bounds min_l MASR_l of every random design, and a design with one C-AP of tiny power and the
    LP's sensing powers reaches MASR within 0.1 % of it (so it is the supremum, not just a bound)."""
    p = SystemParams(M=10, K=2, L=2)
    for i in range(3):
        lay = draw_layout(p, seeds.rng(2, i, "layout"))
        ch = normalize(large_scale_fading(lay, p, _rng(2, i, 1)), p)
        kstar, exact = masr_ceiling(ch)
        assert exact and 1.0 < kstar < np.inf
        s, q = _powers(_rng(2, i, 2), p.M, p.K, p.L, 4000)
        assert np.max(np.min(masr(s, q, ch), axis=-1)) <= kstar * (1 + 1e-6)
        # the LP optimum: bisect again to read its q, then add one C-AP with 1e-9 of its budget
        best = _ceiling_design(ch, kstar)
        assert np.min(masr(*best, ch)) >= kstar * (1 - 1e-3)
    one = NormalizedChannel(b=ch.b, g=ch.g, z=ch.z[:, :1], G_hat=ch.G_hat[:, :1, :1], N=ch.N)
    assert masr_ceiling(one) == (np.inf, True)  # one zone: no other beam to leak, MASR unbounded


def _ceiling_design(ch: NormalizedChannel, kstar: float):
    """A design with MASR close to kappa*: maximise min_l (Q_l - kappa C'_l) at kappa = (1 - 1e-4) kappa* over the
    sensing powers (cvxpy, independent of the scipy LP), the AP with the least sensing power turned into a C-AP
    with power 1e-9."""
    import cvxpy as cp

    M, L = ch.z.shape
    K = ch.b.shape[1]
    q = cp.Variable((M, L), nonneg=True)
    kappa = (1 - 1e-4) * kstar
    rows = []
    for l in range(L):
        Q = ch.N * cp.sum(cp.multiply(ch.z[:, l], q[:, l]))
        Cp = sum(cp.sum(cp.multiply(ch.z[:, l] * ch.G_hat[:, l, j], q[:, j])) for j in range(L) if j != l)
        rows.append((Q - kappa * Cp) / (ch.N * ch.z[:, l].max()))
    cp.Problem(cp.Maximize(cp.min(cp.hstack(rows))), [cp.sum(q) == 1]).solve(solver="CLARABEL")
    qv = np.maximum(q.value, 0.0)
    m0 = int(np.argmin(qv.sum(axis=1)))
    qv[m0] = 0.0
    s = np.zeros((M, K))
    s[m0] = 1e-9 / K
    return s, qv
