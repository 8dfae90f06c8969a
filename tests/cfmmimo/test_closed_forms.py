"""Closed forms (9), (12), (17) in effective-power variables vs the paper's own variables (docs/model.md, 1.4-1.7)."""

import math

import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo.channels import cross_gain, large_scale_fading
from secure_isac.cfmmimo.closed_forms import (
    NormalizedChannel,
    effective_powers,
    evaluate,
    masr,
    masr_paper_vars,
    normalize,
    sinr_eve,
    sinr_eve_paper_vars,
    sinr_ue,
    sinr_ue_paper_vars,
)
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.params import SystemParams


def test_smoke_default_layout_metrics_shapes_and_signs():
    p = SystemParams()
    rng = seeds.rng(0, 0)
    ls = large_scale_fading(draw_layout(p, rng), p, rng)
    ch = normalize(ls, p)
    a = (np.arange(p.M) % 2).astype(float)
    s = a[:, None] * ls.gamma / ls.gamma.sum(axis=1, keepdims=True)
    q = (1 - a)[:, None] * np.full((p.M, p.L), 1.0 / p.L)
    m = evaluate(s, q, ch, p)
    assert m.sinr_ue.shape == (p.K,) and m.sinr_eve.shape == (p.L,) and m.masr.shape == (p.L,)
    assert np.all(m.sinr_ue > 0) and np.all(m.sinr_eve > 0) and np.all(m.masr > 0)
    assert np.all(m.secrecy_ue >= 0)



def _random_design(p, ls, rng, binary=True):
    """Random AP modes and powers satisfying (19c)/(19d): N sum_k eta_c gamma <= a, N sum_l eta_s <= 1 - a."""
    a = rng.integers(0, 2, p.M).astype(float) if binary else rng.uniform(0, 1, p.M)
    eta_c = rng.uniform(0.1, 1.0, (p.M, p.K))
    eta_c *= rng.uniform(0.5, 1.0, (p.M, 1)) / (p.N * np.sum(eta_c * ls.gamma, axis=1, keepdims=True))
    eta_s = rng.uniform(0.1, 1.0, (p.M, p.L))
    eta_s *= rng.uniform(0.5, 1.0, (p.M, 1)) / (p.N * np.sum(eta_s, axis=1, keepdims=True))
    return a, eta_c, eta_s


def _instances(p, count, base_seed=3):
    out = []
    for i in range(count):
        r = seeds.rng(base_seed, i)
        ls = large_scale_fading(draw_layout(p, r), p, r)
        out.append((ls, *_random_design(p, ls, np.random.default_rng(100 + i))))
    return out


def _G(ls, p):
    return cross_gain(ls.sin_theta, p.N)


@pytest.mark.parametrize("K,L", [(4, 2), (8, 3), (2, 1)])
def test_section6_forms_equal_section5_forms_at_binary_a(K, L):
    p = SystemParams(K=K, L=L)
    for ls, a, eta_c, eta_s in _instances(p, 5):
        ch = normalize(ls, p)
        s, q = effective_powers(a, eta_c, eta_s, ls.gamma, p.N)
        for form in ("corrected", "printed"):
            np.testing.assert_allclose(
                sinr_ue(s, q, ch, form=form),
                sinr_ue_paper_vars(a, eta_c, eta_s, ls.beta, ls.gamma, p.rho_norm, p.N, form=form),
                rtol=1e-10,
            )
        G = _G(ls, p)
        np.testing.assert_allclose(
            sinr_eve(s, q, ch), sinr_eve_paper_vars(a, eta_c, eta_s, ls.gamma, ls.zeta, G, p.rho_norm, p.N), rtol=1e-10
        )
        np.testing.assert_allclose(masr(s, q, ch), masr_paper_vars(a, eta_c, eta_s, ls.gamma, ls.zeta, G, p.N),
                                   rtol=1e-10)


def test_effective_powers_map_budgets_19c_19d():
    p = SystemParams()
    for ls, a, eta_c, eta_s in _instances(p, 3):
        s, q = effective_powers(a, eta_c, eta_s, ls.gamma, p.N)
        np.testing.assert_allclose(s, p.N * ls.gamma * a[:, None] * eta_c)
        np.testing.assert_allclose(q, p.N * (1 - a)[:, None] * eta_s)
        assert np.all(s.sum(axis=1) <= a + 1e-12) and np.all(q.sum(axis=1) <= 1 - a + 1e-12)
        assert np.all(s[a == 0] == 0) and np.all(q[a == 1] == 0)


def test_printed_switch_reproduces_printed_eq9_by_loops():
    p = SystemParams(M=6, K=3, L=2)
    ls, a, eta_c, eta_s = _instances(p, 1, base_seed=8)[0]
    rho, N = p.rho_norm, p.N
    printed, corrected = [], []
    for k in range(p.K):
        num = (N * sum(math.sqrt(a[m] * rho * eta_c[m, k]) * ls.gamma[m, k] for m in range(p.M))) ** 2
        sens = N * sum((1 - a[m]) * rho * eta_s[m, l] * ls.beta[m, k] for m in range(p.M) for l in range(p.L))
        iui_p = N * sum(a[m] * rho * eta_c[m, j] * ls.beta[m, j] * ls.gamma[m, j]
                        for j in range(p.K) for m in range(p.M))  # beta_mk' as printed
        iui_c = N * sum(a[m] * rho * eta_c[m, j] * ls.beta[m, k] * ls.gamma[m, j]
                        for j in range(p.K) for m in range(p.M))  # beta_mk (corrected)
        printed.append(num / (iui_p + sens + 1))
        corrected.append(num / (iui_c + sens + 1))
    ch = normalize(ls, p)
    s, q = effective_powers(a, eta_c, eta_s, ls.gamma, N)
    np.testing.assert_allclose(sinr_ue(s, q, ch, form="printed"), printed, rtol=1e-10)
    np.testing.assert_allclose(sinr_ue(s, q, ch), corrected, rtol=1e-10)
    assert np.max(np.abs(np.array(printed) / np.array(corrected) - 1)) > 0.01
    m_printed = evaluate(s, q, ch, SystemParams(M=6, K=3, L=2, ue_sinr_form="printed"))
    np.testing.assert_allclose(m_printed.sinr_ue, printed, rtol=1e-10)


def test_reduction_to_ngo2017_orthogonal_pilots():
    # N = 1, every AP a C-AP, no sensing: downlink SINR of Ngo et al. (2017), eq. (24) with orthogonal pilots:
    # rho (sum_m eta_mk^1/2 gamma_mk)^2 / (rho sum_k' sum_m eta_mk' gamma_mk' beta_mk + 1).
    p = SystemParams(M=10, N=1, K=4, L=1)
    r = seeds.rng(4, 0)
    ls = large_scale_fading(draw_layout(p, r), p, r)
    rng = np.random.default_rng(0)
    eta = rng.uniform(0.2, 1.0, (p.M, p.K))
    eta /= np.sum(eta * ls.gamma, axis=1, keepdims=True)  # Ngo's per-AP constraint sum_k eta gamma <= 1 (N=1)
    rho = p.rho_norm
    ngo = []
    for k in range(p.K):
        num = rho * sum(math.sqrt(eta[m, k]) * ls.gamma[m, k] for m in range(p.M)) ** 2
        den = rho * sum(eta[m, j] * ls.gamma[m, j] * ls.beta[m, k] for j in range(p.K) for m in range(p.M)) + 1
        ngo.append(num / den)
    s, q = effective_powers(np.ones(p.M), eta, np.zeros((p.M, p.L)), ls.gamma, 1)
    np.testing.assert_allclose(sinr_ue(s, q, normalize(ls, p)), ngo, rtol=1e-10)


def test_batch_dimensions_match_per_layout_evaluation():
    p = SystemParams(M=12, K=4, L=2)
    inst = _instances(p, 4)
    chs = [normalize(ls, p) for ls, *_ in inst]
    sq = [effective_powers(a, ec, es, ls.gamma, p.N) for ls, a, ec, es in inst]
    stacked = NormalizedChannel(
        b=np.stack([c.b for c in chs]), g=np.stack([c.g for c in chs]), z=np.stack([c.z for c in chs]),
        G_hat=np.stack([c.G_hat for c in chs]), N=p.N,
    )
    S = np.stack([s for s, _ in sq])
    Q = np.stack([q for _, q in sq])
    for params in (p, SystemParams(M=12, K=4, L=2, ue_sinr_form="printed", prelog=True)):
        batch = evaluate(S, Q, stacked, params)
        for i in range(4):
            single = evaluate(*sq[i], chs[i], params)
            for field in ("sinr_ue", "sinr_eve", "masr", "rate_ue", "rate_eve", "secrecy_ue"):
                np.testing.assert_allclose(getattr(batch, field)[i], getattr(single, field), rtol=1e-12)
    # Several designs on one channel (design batch, channel without batch dims).
    multi = sinr_ue(S, Q, chs[0])
    np.testing.assert_allclose(multi[2], sinr_ue(S[2], Q[2], chs[0]), rtol=1e-12)


def test_metrics_rates_secrecy_and_prelog():
    p = SystemParams()
    ls, a, eta_c, eta_s = _instances(p, 1)[0]
    ch = normalize(ls, p)
    s, q = effective_powers(a, eta_c, eta_s, ls.gamma, p.N)
    m = evaluate(s, q, ch, p)
    np.testing.assert_allclose(m.rate_ue, np.log2(1 + m.sinr_ue))
    np.testing.assert_allclose(m.rate_eve, np.log2(1 + m.sinr_eve))
    np.testing.assert_allclose(m.secrecy_ue, np.maximum(0, m.rate_ue - m.rate_eve.max()))
    mp = evaluate(s, q, ch, SystemParams(prelog=True))
    np.testing.assert_allclose(mp.rate_ue, 0.97 * m.rate_ue)
    np.testing.assert_allclose(mp.rate_eve, 0.97 * m.rate_eve)
    np.testing.assert_allclose(mp.sinr_ue, m.sinr_ue)


def test_structural_properties():
    p = SystemParams()
    ls, a, eta_c, eta_s = _instances(p, 1, base_seed=21)[0]
    ch = normalize(ls, p)
    s, q = effective_powers(a, eta_c, eta_s, ls.gamma, p.N)
    # MASR is invariant to a common scaling of all powers and of the gains (rho cancels, no noise term).
    np.testing.assert_allclose(masr(3.7 * s, 3.7 * q, ch), masr(s, q, ch), rtol=1e-12)
    scaled = NormalizedChannel(b=ch.b, g=ch.g, z=1e-6 * ch.z, G_hat=ch.G_hat, N=ch.N)
    np.testing.assert_allclose(masr(s, q, scaled), masr(s, q, ch), rtol=1e-12)
    # Eve sees only each AP's total communication load S_m.
    s_perm = s[:, ::-1]
    np.testing.assert_allclose(sinr_eve(s_perm, q, ch), sinr_eve(s, q, ch), rtol=1e-12)
    # More sensing power never helps Eve; more power to UE k never lowers SINR_k with other streams fixed.
    assert np.all(sinr_eve(s, 2 * q, ch) <= sinr_eve(s, q, ch))
    # No sensing power: MASR is 0; no communication: Eve SINR is 0.
    np.testing.assert_array_equal(masr(s, np.zeros_like(q), ch), 0.0)
    np.testing.assert_array_equal(sinr_eve(np.zeros_like(s), q, ch), 0.0)
    with pytest.raises(ValueError, match="form"):
        sinr_ue(s, q, ch, form="paper")
    with pytest.raises(ValueError, match="form"):
        sinr_ue_paper_vars(a, eta_c, eta_s, ls.beta, ls.gamma, 1.0, p.N, form="x")


def test_masr_paper_vars_matches_literal_11_with_l_prime_ne_l():
    # Small hand instance: 2 S-APs, 1 C-AP, L = 2, explicit steering vectors.
    N = 4
    a = np.array([0.0, 0.0, 1.0])
    zeta = np.array([[1.0, 0.5], [0.2, 2.0], [0.7, 0.3]])
    sin_t = np.array([[0.1, -0.4], [0.6, 0.2], [0.0, 0.9]])
    gamma = np.array([[0.0], [0.0], [0.8]])
    eta_c = np.array([[0.0], [0.0], [0.2]])
    eta_s = np.array([[0.1, 0.05], [0.02, 0.2], [0.0, 0.0]])
    vec = np.exp(1j * np.pi * sin_t[..., None] * np.arange(N))
    for l in range(2):
        ds = sum(N**2 * (1 - a[m]) * eta_s[m, l] * zeta[m, l] for m in range(3))
        com = sum(N * a[m] * eta_c[m, 0] * zeta[m, l] * gamma[m, 0] for m in range(3))
        dst = sum((1 - a[m]) * eta_s[m, j] * zeta[m, l] * abs(np.vdot(vec[m, l], vec[m, j])) ** 2
                  for m in range(3) for j in range(2) if j != l)
        G = np.abs(np.einsum("mld,mjd->mlj", vec.conj(), vec)) ** 2
        assert masr_paper_vars(a, eta_c, eta_s, gamma, zeta, G, N)[l] == pytest.approx(ds / (com + dst), rel=1e-12)
