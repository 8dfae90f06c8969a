"""Large-scale fading, Hata/three-slope path loss, noise and ULA cross gains (docs/model.md, 1.2-1.3)."""

import itertools
import math

import numpy as np
import pytest

from secure_isac.cfmmimo.channels import (
    channel_estimate_gain,
    cross_gain,
    hata_constant_db,
    large_scale_fading,
    noise_power_w,
    path_loss_db,
    steering_vector,
)
from secure_isac.cfmmimo.geometry import Layout, draw_layout
from secure_isac.cfmmimo.params import SystemParams

P = SystemParams()
LH = 140.7151


def test_hata_constant():
    assert hata_constant_db(P) == pytest.approx(LH, abs=5e-5)
    # Hand evaluation of COST-231 Hata at another carrier/heights.
    f, hb, hm = 900.0, 30.0, 1.5
    a = (1.1 * math.log10(f) - 0.7) * hm - (1.56 * math.log10(f) - 0.8)
    expected = 46.3 + 33.9 * math.log10(f) - 13.82 * math.log10(hb) - a
    assert hata_constant_db(SystemParams(carrier_mhz=f, h_ap_m=hb, h_ue_m=hm)) == pytest.approx(expected, abs=1e-12)


def test_noise_power_function():
    assert noise_power_w(P) == pytest.approx(6.362e-13, rel=1e-4)


def test_path_loss_three_slopes_by_hand():
    # 5 m: flat part, -L - 15 log10(0.05) - 20 log10(0.01); 30 m: -L - 15 log10(0.05) - 20 log10(0.03); 100 m: -L + 35.
    np.testing.assert_allclose(
        path_loss_db([5.0, 30.0, 100.0], P),
        [-LH + 19.5154500 + 40.0, -LH + 19.5154500 + 30.4575749, -LH + 35.0],
        atol=1e-4,
    )
    # Continuity at both breakpoints, monotone decrease.
    d = np.array([10.0 - 1e-9, 10.0 + 1e-9, 50.0 - 1e-9, 50.0 + 1e-9])
    pl = path_loss_db(d, P)
    assert abs(pl[0] - pl[1]) < 1e-6 and abs(pl[2] - pl[3]) < 1e-6
    grid = np.linspace(0, 800, 2001)
    assert np.all(np.diff(path_loss_db(grid, P)) <= 1e-12)
    assert path_loss_db(0.0, P) == pytest.approx(path_loss_db(10.0, P))


def test_path_loss_rejects_negative_distance():
    with pytest.raises(ValueError, match="d_m"):
        path_loss_db([-1.0], P)


# Derived-scale table of docs/model.md (path loss), checked to its printed precision.
@pytest.mark.parametrize(
    "d,pl,snr_db,pilot_snr,gamma_ratio",
    [
        (10.0, "-81.20", "40.8", None, None),
        (50.0, "-95.18", "26.8", "715", "0.999"),
        (100.0, "-105.72", "16.2", "63", "0.984"),
        (200.0, "-116.25", "5.7", "5.6", "0.848"),
        (353.6, "-124.91", "-2.95", "0.76", "0.432"),
    ],
)
def test_derived_scale_table(d, pl, snr_db, pilot_snr, gamma_ratio):
    def close(value, printed):  # within half a unit of the last printed digit
        decimals = len(printed.split(".")[1]) if "." in printed else 0
        return abs(value - float(printed)) <= 0.5 * 10.0**-decimals + 1e-12

    got_pl = float(path_loss_db(d, P))
    assert close(got_pl, pl)
    assert close(10 * math.log10(P.rho_norm) + got_pl, snr_db)
    if pilot_snr is not None:
        beta = 10 ** (got_pl / 10)
        assert close(P.tau_t * P.rho_t_norm * beta, pilot_snr)
        assert close(channel_estimate_gain(beta, P.tau_t, P.rho_t_norm) / beta, gamma_ratio)


def test_max_wrapped_distance_is_half_diagonal():
    assert 500.0 / math.sqrt(2) == pytest.approx(353.6, abs=0.05)


def _brute_distance(p, q, side):
    return min(math.dist(p, (q[0] + dx, q[1] + dy)) for dx, dy in itertools.product((-side, 0, side), repeat=2))


def test_large_scale_fading_against_direct_computation():
    p = SystemParams(M=6, K=3, L=2)
    rng = np.random.default_rng(5)
    lay = draw_layout(p, rng)
    clone = np.random.default_rng(5)
    draw_layout(p, clone)
    z = clone.standard_normal((p.M, p.K))  # the shadowing draws, made independently of the library
    ls = large_scale_fading(lay, p, rng)
    assert rng.random() == clone.random()  # exactly M*K normals consumed
    for m, k in itertools.product(range(p.M), range(p.K)):
        d = _brute_distance(lay.ap_xy[m], lay.ue_xy[k], p.side_m)
        sh = 8.0 * z[m, k] if d > 50.0 else 0.0
        assert ls.shadowing_db[m, k] == pytest.approx(sh, abs=1e-12)
        assert ls.beta[m, k] == pytest.approx(10 ** ((float(path_loss_db(d, p)) + sh) / 10), rel=1e-10)
        g = p.tau_t * p.rho_t_norm * ls.beta[m, k] ** 2 / (p.tau_t * p.rho_t_norm * ls.beta[m, k] + 1)
        assert ls.gamma[m, k] == pytest.approx(g, rel=1e-12)
    for m, l in itertools.product(range(p.M), range(p.L)):
        d = _brute_distance(lay.ap_xy[m], lay.zone_xy[l], p.side_m)
        assert ls.zeta[m, l] == pytest.approx(10 ** (float(path_loss_db(d, p)) / 10), rel=1e-10)
        assert abs(ls.sin_theta[m, l]) <= 1.0
    assert np.all(ls.gamma <= ls.beta)


def test_shadowing_only_beyond_d1_and_draw_count_independent_of_geometry():
    p = SystemParams(M=4, K=2, L=1)
    near = Layout(ap_xy=np.full((4, 2), 100.0), ue_xy=np.array([[110.0, 100.0], [100.0, 130.0]]),
                  zone_xy=np.array([[400.0, 400.0]]))
    far = Layout(ap_xy=np.full((4, 2), 100.0), ue_xy=np.array([[300.0, 100.0], [100.0, 330.0]]),
                 zone_xy=np.array([[400.0, 400.0]]))
    r1, r2 = np.random.default_rng(9), np.random.default_rng(9)
    ls_near = large_scale_fading(near, p, r1)
    ls_far = large_scale_fading(far, p, r2)
    assert np.all(ls_near.shadowing_db == 0.0)
    assert np.all(ls_far.shadowing_db != 0.0)
    assert r1.random() == r2.random()
    p0 = SystemParams(M=4, K=2, L=1, shadowing_std_db=0.0)
    ls0 = large_scale_fading(far, p0, np.random.default_rng(9))
    np.testing.assert_allclose(10 * np.log10(ls0.beta), path_loss_db([[200.0, 230.0]] * 4, p0))


def test_large_scale_fading_rejects_mismatched_layout():
    p = SystemParams(M=4, K=2, L=1)
    lay = draw_layout(SystemParams(M=5, K=2, L=1), np.random.default_rng(0))
    with pytest.raises(ValueError, match="ap_xy"):
        large_scale_fading(lay, p, np.random.default_rng(0))


@pytest.mark.parametrize("N", [1, 2, 8, 16])
def test_cross_gain_against_steering_vectors(N):
    rng = np.random.default_rng(N)
    s = rng.uniform(-1, 1, (3, 5, 4))  # extra batch dim, M=5, L=4
    s[0, 0, 1] = s[0, 0, 0]  # coinciding angles
    s[1, 2, 3] = s[1, 2, 2] + 1e-13  # nearly coinciding (0/0 in the textbook formula)
    G = cross_gain(s, N)
    assert G.shape == (3, 5, 4, 4)
    for idx in itertools.product(range(3), range(5)):
        for l, lp in itertools.product(range(4), range(4)):
            a1 = np.exp(1j * np.pi * np.arange(N) * s[idx][l])
            a2 = np.exp(1j * np.pi * np.arange(N) * s[idx][lp])
            assert G[idx][l, lp] == pytest.approx(abs(np.vdot(a1, a2)) ** 2, rel=1e-9, abs=1e-9)
    np.testing.assert_allclose(np.diagonal(G, axis1=-2, axis2=-1), N**2, rtol=1e-12)
    np.testing.assert_allclose(G, np.swapaxes(G, -1, -2), rtol=1e-12, atol=1e-9)
    assert np.all(G <= N**2 * (1 + 1e-12))
    # Textbook formula sin^2(N pi x/2) / sin^2(pi x/2) away from x = 0.
    x = s[..., None, :] - s[..., :, None]
    ok = np.abs(np.sin(np.pi * x / 2)) > 1e-3
    textbook = np.sin(N * np.pi * x / 2) ** 2 / np.where(ok, np.sin(np.pi * x / 2) ** 2, 1.0)
    np.testing.assert_allclose(G[ok], textbook[ok], rtol=1e-8, atol=1e-8)


def test_steering_vector_eq1():
    v = steering_vector(np.array([0.5]), 4)
    np.testing.assert_allclose(v[0], np.exp(1j * np.pi * 0.5 * np.arange(4)))
    with pytest.raises(ValueError, match="N"):
        cross_gain(np.zeros((2, 2)), 0)
