"""Model switches for the choices the paper leaves open (docs/deviations.md S1-P17 to S1-P20), each against an
independent
route: closed forms for the two-way sensing gain, the plain square and nu in dB; Monte Carlo for the shadowed
sensing gain and the correlated shadowing; and the defaults unchanged (the draws of every earlier result)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo.channels import large_scale_fading, path_loss_db, shadowing_correlation
from secure_isac.cfmmimo.closed_forms import evaluate, normalize
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.feasibility import is_feasible
from secure_isac.cfmmimo.geometry import Layout, draw_layout
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams


def _layout(p: SystemParams, i: int = 0) -> Layout:
    return draw_layout(p, seeds.rng(7, i, "layout"))


def test_defaults_draw_exactly_the_earlier_stream():
    """With the default switches the large-scale fading is the i.i.d. model of S1-P10 from the same draws."""
    p = SystemParams(M=12, K=3, L=2)
    lay = _layout(p)
    ls = large_scale_fading(lay, p, np.random.default_rng(5))
    z = np.random.default_rng(5).standard_normal((p.M, p.K))
    d = np.linalg.norm(np.mod(lay.ue_xy[None] - lay.ap_xy[:, None] + p.side_m / 2, p.side_m) - p.side_m / 2, axis=-1)
    expect = 10 ** ((path_loss_db(d, p) + np.where(d > p.d1_m, p.shadowing_std_db * z, 0.0)) / 10)
    np.testing.assert_array_equal(ls.beta, expect)


def test_two_way_sensing_gain_is_the_squared_path_loss():
    p = SystemParams(M=10, K=2, L=3)
    lay = _layout(p)
    one = large_scale_fading(lay, p, np.random.default_rng(1))
    two = large_scale_fading(lay, dataclasses.replace(p, zeta_model="two_way"), np.random.default_rng(1))
    np.testing.assert_allclose(two.zeta, one.zeta**2, rtol=1e-12)
    np.testing.assert_array_equal(two.beta, one.beta)  # the UE links do not change


def test_plain_square_distances_are_euclidean():
    p = SystemParams(M=10, K=3, L=2, wrap_around=False)
    lay = _layout(p)
    ls = large_scale_fading(lay, p, np.random.default_rng(2))
    d_zone = np.linalg.norm(lay.zone_xy[None] - lay.ap_xy[:, None], axis=-1)
    np.testing.assert_allclose(ls.zeta, 10 ** (path_loss_db(d_zone, p) / 10), rtol=1e-12)
    np.testing.assert_allclose(ls.sin_theta, (lay.zone_xy[None, :, 0] - lay.ap_xy[:, None, 0]) / d_zone)
    wrapped = large_scale_fading(lay, dataclasses.replace(p, wrap_around=True), np.random.default_rng(2))
    assert np.all(wrapped.zeta >= ls.zeta * (1 - 1e-12))  # a wrapped distance is never longer


def test_shadowed_sensing_gain_monte_carlo():
    """zeta_model = "shadowed": 10 log10(zeta) - PL is N(0, sigma^2) beyond d1 and 0 within (Monte Carlo)."""
    p = SystemParams(M=6, K=2, L=2, zeta_model="shadowed", d1_m=120.0)
    lay = _layout(p)
    base = large_scale_fading(lay, dataclasses.replace(p, zeta_model="path_loss"), np.random.default_rng(0))
    d = np.linalg.norm(np.mod(lay.zone_xy[None] - lay.ap_xy[:, None] + p.side_m / 2, p.side_m) - p.side_m / 2,
                       axis=-1)
    far = d > p.d1_m
    assert far.any() and (~far).any()
    x = np.array([10 * np.log10(large_scale_fading(lay, p, np.random.default_rng(s)).zeta / base.zeta)
                  for s in range(4000)])
    assert np.all(x[:, ~far] == 0.0)
    sd = p.shadowing_std_db
    np.testing.assert_allclose(x[:, far].mean(axis=0), 0.0, atol=5 * sd / np.sqrt(4000))
    np.testing.assert_allclose(x[:, far].std(axis=0), sd, rtol=0.06)


def test_correlated_shadowing_covariance_monte_carlo():
    """Ngo et al. 2017: Cov(z_mk, z_m'k') = (2^(-d_AP(m,m')/d_c) + 2^(-d_UE(k,k')/d_c)) / 2 (Monte Carlo)."""
    p = SystemParams(M=5, K=3, L=1, shadowing_model="correlated", d1_m=1.0, d0_m=0.5)
    lay = _layout(p, 3)
    n = 20000
    z = np.array([large_scale_fading(lay, p, np.random.default_rng(s)).shadowing_db.ravel() / p.shadowing_std_db
                  for s in range(n)])
    ca = shadowing_correlation(lay.ap_xy, p.side_m, p.decorrelation_m)
    cu = shadowing_correlation(lay.ue_xy, p.side_m, p.decorrelation_m)
    expect = 0.5 * (ca[:, None, :, None] + cu[None, :, None, :]).reshape(p.M * p.K, p.M * p.K)
    np.testing.assert_allclose(np.cov(z.T), expect, atol=0.04)
    # the i.i.d. model has no correlation between different pairs
    iid = np.array([large_scale_fading(lay, dataclasses.replace(p, shadowing_model="iid"), np.random.default_rng(s))
                    .shadowing_db.ravel() / p.shadowing_std_db for s in range(n)])
    np.testing.assert_allclose(np.cov(iid.T), np.eye(p.M * p.K), atol=0.04)


def test_shadowing_correlation_closed_form():
    xy = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 490.0]])
    C = shadowing_correlation(xy, 500.0, 100.0)
    assert C[0, 1] == pytest.approx(0.5) and C[0, 2] == pytest.approx(2 ** -0.1)  # 490 m wraps to 10 m
    assert shadowing_correlation(xy, 500.0, 100.0, wrap=False)[0, 2] == pytest.approx(2 ** -4.9)


def test_nu_in_db_is_the_linear_design_at_the_converted_level():
    """nu_unit = "db": the design equals the linear-unit design at nu = 10^(nu/10), bit for bit."""
    p_db = SystemParams(M=8, N=4, K=2, L=2, side_m=300.0, nu=0.5, nu_unit="db")
    p_lin = dataclasses.replace(p_db, nu=10 ** 0.05, nu_unit="linear")
    assert p_db.nu_lin == p_lin.nu_lin
    lay = _layout(p_db)
    ls = large_scale_fading(lay, p_db, np.random.default_rng(3))
    opts = SolverOptions(max_iter=10, repair_max_iter=6, max_draws=40)
    a = optimise("cp", ls, p_db, np.random.default_rng(4), opts)
    b = optimise("cp", ls, p_lin, np.random.default_rng(4), opts)
    np.testing.assert_array_equal(a.power_c, b.power_c)
    assert a.feasible == b.feasible
    if a.feasible:
        assert np.max(a.metrics.sinr_eve) <= p_db.nu_lin * (1 + 1e-4)


@pytest.mark.parametrize("scheme", ["cp", "sp", "baseline"])
def test_coherent_combining_reevaluates_the_same_design(scheme):
    """sensing_combining = "coherent" (S1-P21): the design optimised on (12)/(17) is kept; its reported metrics are the
    coherent closed forms and its feasibility is re-checked with them."""
    p = SystemParams(M=8, N=4, K=2, L=2, side_m=300.0)
    pc = dataclasses.replace(p, sensing_combining="coherent")
    lay = _layout(p)
    ls = large_scale_fading(lay, p, np.random.default_rng(3))
    opts = SolverOptions(max_iter=10, repair_max_iter=6, max_draws=40)
    d = optimise(scheme, ls, p, np.random.default_rng(4), opts)
    c = optimise(scheme, ls, pc, np.random.default_rng(4), opts)
    np.testing.assert_array_equal(c.power_c, d.power_c)
    np.testing.assert_array_equal(c.power_s, d.power_s)
    ch = normalize(ls, p)
    met = evaluate(d.power_c, d.power_s, ch, p, combining="coherent")
    np.testing.assert_array_equal(c.metrics.masr, met.masr)
    np.testing.assert_array_equal(c.metrics.secrecy_ue, met.secrecy_ue)
    np.testing.assert_array_equal(c.metrics.sinr_ue, d.metrics.sinr_ue)
    kind = "baseline" if scheme == "baseline" else scheme
    assert c.feasible == (d.feasible and is_feasible(kind, d.ap_mode, d.power_c, d.power_s, met, p, opts.feas_tol))
    if np.sum(d.power_s.sum(axis=1) > 0) >= 2:  # one S-AP: both forms agree (tests/cfmmimo/test_montecarlo.py)
        assert not np.allclose(c.metrics.masr, d.metrics.masr)  # the switch is not a no-op


def test_switch_values_are_validated():
    with pytest.raises(ValueError, match="sensing_combining"):
        SystemParams(sensing_combining="coherant")
    with pytest.raises(ValueError, match="zeta_model"):
        SystemParams(zeta_model="radar")
    with pytest.raises(ValueError, match="decorrelation_m"):
        SystemParams(decorrelation_m=0.0)
