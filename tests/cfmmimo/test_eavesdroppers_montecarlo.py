"""Monte Carlo of the signal model against the closed forms of the eavesdropper extension (docs/model.md S1-78 -
S1-84): an eavesdropper at its own position (own gain, own angles, the beams still aimed at the zone centres) and
colluding eavesdroppers that maximum-ratio combine their observations; the same tolerances as
tests/cfmmimo/test_montecarlo.py (1 % random phases, 1.5 % coherent, 2 % physical units)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from test_montecarlo import RHO, RHO_T, TAU_T, L, M, N
from test_montecarlo import _instance as _zone_instance

from secure_isac import seeds
from secure_isac.cfmmimo import eavesdroppers as ev
from secure_isac.cfmmimo.channels import cross_amplitude, large_scale_fading
from secure_isac.cfmmimo.closed_forms import NormalizedChannel, effective_powers, evaluate, masr, normalize
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.montecarlo import simulate, simulate_layout
from secure_isac.cfmmimo.params import SystemParams

N_DRAWS = 120_000


def _instance():
    """The instance of tests/cfmmimo/test_montecarlo.py plus each eavesdropper's own gain and angle."""
    inst, gamma = _zone_instance()
    r = np.random.default_rng(20260324)
    eve = dict(zeta_eve=10 ** r.uniform(-1, 1, (M, L)), sin_theta_eve=r.uniform(-1, 1, (M, L)))
    return inst, eve, gamma


def _gains(zeta_eve, sin_eve, sin_zone) -> ev.EveGains:
    """Normalised gains at the eavesdroppers' positions written directly from eq. (1) (independent of gains_at)."""
    c = np.exp(1j * np.pi * (sin_zone[:, None, :] - sin_eve[:, :, None])[..., None] * np.arange(N)).sum(axis=-1)
    return ev.EveGains(z=RHO * zeta_eve[:, :, None], C_hat=(c / np.sqrt(N))[:, :, None, :],
                       G_hat=(np.abs(c) ** 2 / N)[:, :, None, :])


@pytest.fixture(scope="module")
def setup():
    inst, eve, gamma = _instance()
    kw = dict(N=N, rho_norm=RHO, rho_t_norm=RHO_T, tau_t=TAU_T, colluding=True, **eve)
    mc = simulate(**inst, **kw, n_draws=N_DRAWS, rng=np.random.default_rng(1))
    mc_coh = simulate(**inst, **kw, n_draws=N_DRAWS // 2, rng=np.random.default_rng(2), phase="coherent")
    s, q = effective_powers(inst["a"], inst["eta_c"], inst["eta_s"], gamma, N)
    return inst, eve, gamma, s, q, mc, mc_coh


def test_eve_sinr_at_its_own_position_within_1pct(setup):
    inst, eve, _, s, q, mc, _ = setup
    g = _gains(eve["zeta_eve"], eve["sin_theta_eve"], inst["sin_theta"])
    np.testing.assert_allclose(mc.sinr_eve, ev.eve_sinr(s, q, g)[:, 0], rtol=0.01)
    # the zone-centre closed form is clearly not what this eavesdropper sees
    zone = _gains(inst["zeta"], inst["sin_theta"], inst["sin_theta"])
    assert np.max(np.abs(ev.eve_sinr(s, q, zone)[:, 0] / mc.sinr_eve - 1)) > 0.1


def test_masr_stays_at_the_zone_centres(setup):
    inst, _, gamma, s, q, mc, _ = setup
    ch = NormalizedChannel(b=RHO * inst["beta"], g=RHO * gamma, z=RHO * inst["zeta"],
                           G_hat=np.abs(cross_amplitude(inst["sin_theta"], N)) ** 2 / N, N=N)
    np.testing.assert_allclose(mc.masr, masr(s, q, ch), rtol=0.01)


def test_colluding_mrc_sinr_is_the_sum_within_1pct(setup):
    """Per-stream MRC of the eavesdroppers' observations with the sampled interference-plus-noise covariance (its
    off-diagonal terms included): the mean SINR summed over streams is sum_l SINR_l; the off-diagonal covariance is
    negligible under random per-AP phases (independent across eavesdroppers)."""
    inst, eve, _, s, q, mc, _ = setup
    g = _gains(eve["zeta_eve"], eve["sin_theta_eve"], inst["sin_theta"])
    assert mc.sinr_eve_colluding == pytest.approx(float(ev.colluding_sinr(ev.eve_sinr(s, q, g)[:, 0])), rel=0.01)
    R = mc.cov_eve
    assert abs(R[0, 1]) < 0.01 * np.sqrt(R[0, 0].real * R[1, 1].real)
    assert mc.sinr_eve_colluding > np.max(mc.sinr_eve) * 1.1  # collusion gains over the best eavesdropper


def test_coherent_eve_sinr_at_its_own_position(setup):
    """Literal model (phi = 0): the coherent closed form at the eavesdropper's own position within 1.5 %; the
    eavesdroppers' interference is then correlated, so their sum is not the colluding SINR (collusion is modelled
    for non-coherent combining only, SystemParams validation)."""
    inst, eve, _, s, q, _, mc = setup
    g = _gains(eve["zeta_eve"], eve["sin_theta_eve"], inst["sin_theta"])
    np.testing.assert_allclose(mc.sinr_eve, ev.eve_sinr(s, q, g, "coherent")[:, 0], rtol=0.015)
    R = mc.cov_eve
    assert abs(R[0, 1]) > 0.05 * np.sqrt(R[0, 0].real * R[1, 1].real)


@pytest.mark.parametrize("kw", [dict(eve_position="offset", eve_offset_m=20.0, eve_offset_deg=120.0),
                                dict(eve_position="disc", eve_radius_m=40.0, eve_collusion=True),
                                # shared pilots (docs/deviations.md S1-P29): both UEs on one pilot
                                dict(eve_position="offset", eve_offset_m=25.0, eve_offset_deg=40.0,
                                     eve_collusion=True, tau_p=1, pilot_assignment="greedy")],
                         ids=["offset", "disc_colluding", "shared_pilots_colluding"])
def test_layout_in_physical_units(kw):
    """simulate_layout (absolute units, the eavesdroppers' geometry of large_scale_fading) against evaluate() of the
    library: the reported Eve SINR at the eavesdroppers' positions, the colluding SINR and the UE SINR within 2 %
    (with shared pilots: the LMMSE estimates of the co-pilot observation and the contaminated UE SINR)."""
    p = SystemParams(M=6, N=4, K=2, L=2, side_m=200.0, **kw)
    r = seeds.rng(2, 0)
    ls = large_scale_fading(draw_layout(p, r), p, r)
    assert (ls.pilot is not None) == ("tau_p" in kw)
    a = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    eta_c = a[:, None] / (p.N * p.K * ls.gamma)
    eta_s = (1 - a)[:, None] * np.full((p.M, p.L), 1.0 / (p.N * p.L))
    s, q = effective_powers(a, eta_c, eta_s, ls.gamma, p.N)
    met = evaluate(s, q, normalize(ls, p), p)
    mc = simulate_layout(ls, p, a, eta_c, eta_s, n_draws=60_000, rng=np.random.default_rng(3))
    np.testing.assert_allclose(mc.sinr_eve, met.sinr_eve, rtol=0.02)
    np.testing.assert_allclose(mc.sinr_ue, met.sinr_ue, rtol=0.02)
    plain = dataclasses.replace(p, eve_position="centre", eve_offset_m=0.0, eve_offset_deg=0.0, eve_radius_m=0.0,
                                eve_collusion=False)
    np.testing.assert_allclose(mc.masr, evaluate(s, q, normalize(dataclasses.replace(ls, eve=None), plain),
                                                 plain).masr, rtol=0.02)
    if p.eve_collusion:
        assert mc.sinr_eve_colluding == pytest.approx(float(met.sinr_eve_colluding), rel=0.02)
    else:
        assert mc.sinr_eve_colluding is None


def test_bad_eavesdropper_input_names_the_field():
    inst, eve, _ = _instance()
    kw = dict(N=N, rho_norm=RHO, rho_t_norm=RHO_T, tau_t=TAU_T, n_draws=10, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="zeta_eve"):
        simulate(**inst, **kw, zeta_eve=eve["zeta_eve"])
    with pytest.raises(ValueError, match="sin_theta_eve"):
        simulate(**inst, **kw, zeta_eve=eve["zeta_eve"], sin_theta_eve=np.full((M, L), 2.0))
    with pytest.raises(ValueError, match="zeta_eve"):
        simulate(**inst, **kw, zeta_eve=-eve["zeta_eve"], sin_theta_eve=eve["sin_theta_eve"])
