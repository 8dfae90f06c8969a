"""Monte Carlo of the signal model vs the closed forms (9), (12), (17) (docs/model.md, Monte Carlo check)."""

import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo.channels import (
    channel_estimate_gain,
    cross_amplitude,
    cross_gain,
    large_scale_fading,
    steering_vector,
)
from secure_isac.cfmmimo.closed_forms import (
    NormalizedChannel,
    effective_powers,
    evaluate,
    masr,
    masr_coherent,
    masr_paper_vars,
    normalize,
    sinr_eve,
    sinr_eve_coherent,
    sinr_eve_paper_vars,
    sinr_ue,
    sinr_ue_paper_vars,
)
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.montecarlo import pilot_matrix, simulate, simulate_layout
from secure_isac.cfmmimo.params import SystemParams

M, N, K, L = 5, 8, 3, 2
TAU_T = K + L
RHO, RHO_T = 1.0, 0.5  # noise-normalised; with beta in [0.1, 10] this spans gamma/beta from 0.2 to 0.96
N_DRAWS = 200_000


def _instance(seed=20260323):
    """Random instance as in docs/deviations.md S1-P1: random beta, zeta, theta, eta, 3 C-APs and 2 S-APs."""
    r = np.random.default_rng(seed)
    beta = 10 ** r.uniform(-1, 1, (M, K))
    zeta = 10 ** r.uniform(-1, 1, (M, L))
    sin_theta = r.uniform(-1, 1, (M, L))
    a = np.array([1.0, 1.0, 0.0, 1.0, 0.0])
    gamma = channel_estimate_gain(beta, TAU_T, RHO_T)
    eta_c = r.uniform(0.2, 1.0, (M, K))
    eta_c /= N * np.sum(eta_c * gamma, axis=1, keepdims=True)  # full power, (19c)
    eta_s = r.uniform(0.2, 1.0, (M, L))
    eta_s /= N * np.sum(eta_s, axis=1, keepdims=True)  # (19d)
    return dict(beta=beta, zeta=zeta, sin_theta=sin_theta, a=a, eta_c=eta_c, eta_s=eta_s), gamma


def _run(inst, phase, n_draws, seed):
    return simulate(**inst, N=N, rho_norm=RHO, rho_t_norm=RHO_T, tau_t=TAU_T, n_draws=n_draws,
                    rng=np.random.default_rng(seed), phase=phase)


@pytest.fixture(scope="module")
def setup():
    inst, gamma = _instance()
    G = cross_gain(inst["sin_theta"], N)
    closed = dict(
        corrected=sinr_ue_paper_vars(inst["a"], inst["eta_c"], inst["eta_s"], inst["beta"], gamma, RHO, N),
        printed=sinr_ue_paper_vars(inst["a"], inst["eta_c"], inst["eta_s"], inst["beta"], gamma, RHO, N, "printed"),
        eve=sinr_eve_paper_vars(inst["a"], inst["eta_c"], inst["eta_s"], gamma, inst["zeta"], G, RHO, N),
        masr=masr_paper_vars(inst["a"], inst["eta_c"], inst["eta_s"], gamma, inst["zeta"], G, N),
    )
    mc_random = _run(inst, "random", N_DRAWS, seed=1)
    mc_coherent = _run(inst, "coherent", N_DRAWS // 2, seed=2)
    return inst, gamma, closed, mc_random, mc_coherent


def _coherent_exact(inst, gamma):
    """Literal model (deterministic LoS, one symbol per zone): sensing amplitudes add coherently over APs
    (docs/deviations.md S1-P5)."""
    a, eta_c, eta_s, zeta = inst["a"], inst["eta_c"], inst["eta_s"], inst["zeta"]
    vec = steering_vector(inst["sin_theta"], N)
    cross = np.einsum("mld,mjd->mlj", vec.conj(), vec)  # a^H(theta_ml) a(theta_ml')
    amp = np.sqrt((1 - a)[:, None, None] * eta_s[:, None, :] * zeta[:, :, None]) * cross  # (M, l, l')
    beam = np.abs(amp.sum(axis=0)) ** 2  # |sum_m ...|^2, (l, l') without rho
    comm = N * np.sum(a[:, None] * zeta * np.sum(eta_c * gamma, axis=1, keepdims=True), axis=0)
    eve = RHO * comm / (RHO * beam.sum(axis=1) + 1)
    own = np.diagonal(beam)
    return eve, own / (comm + beam.sum(axis=1) - own)


def test_lmmse_estimate_power_is_gamma(setup):
    _, gamma, _, mc, _ = setup
    np.testing.assert_allclose(mc.gamma_hat, gamma, rtol=0.01)


def test_ue_sinr_corrected_eq9_within_1pct_of_uatf_monte_carlo(setup):
    _, _, closed, mc_r, mc_c = setup
    for mc in (mc_r, mc_c):  # the UE side does not depend on the sensing phase model
        np.testing.assert_allclose(mc.sinr_ue, closed["corrected"], rtol=0.01)


def test_printed_eq9_is_off_by_clearly_more_than_1pct(setup):
    _, _, closed, mc, _ = setup
    err = np.abs(closed["printed"] / mc.sinr_ue - 1)
    assert err.max() > 0.05


def test_eve_sinr_and_masr_within_1pct_with_random_phases(setup):
    _, _, closed, mc, _ = setup
    np.testing.assert_allclose(mc.sinr_eve, closed["eve"], rtol=0.01)
    np.testing.assert_allclose(mc.masr, closed["masr"], rtol=0.01)


def test_coherent_variant_differs_and_matches_its_own_exact_value(setup):
    inst, gamma, closed, _, mc = setup
    assert np.max(np.abs(mc.sinr_eve / closed["eve"] - 1)) > 0.10
    assert np.max(np.abs(mc.masr / closed["masr"] - 1)) > 0.10
    eve_c, masr_c = _coherent_exact(inst, gamma)
    np.testing.assert_allclose(mc.sinr_eve, eve_c, rtol=0.015)
    np.testing.assert_allclose(mc.masr, masr_c, rtol=0.015)


def _normalized(inst, gamma):
    return NormalizedChannel(b=RHO * inst["beta"], g=RHO * gamma, z=RHO * inst["zeta"],
                             G_hat=cross_gain(inst["sin_theta"], N) / N,
                             C_hat=cross_amplitude(inst["sin_theta"], N) / np.sqrt(N), N=N)


def test_library_coherent_closed_forms_match_monte_carlo(setup):
    """sensing_combining = "coherent" (docs/deviations.md S1-P21): the library's closed forms in normalised variables
    against the Monte Carlo of the literal model (phi = 0) and the test's own exact value in the paper's variables."""
    inst, gamma, closed, _, mc = setup
    ch = _normalized(inst, gamma)
    s, q = effective_powers(inst["a"], inst["eta_c"], inst["eta_s"], gamma, N)
    np.testing.assert_allclose(sinr_eve_coherent(s, q, ch), mc.sinr_eve, rtol=0.015)
    np.testing.assert_allclose(masr_coherent(s, q, ch), mc.masr, rtol=0.015)
    eve_c, masr_c = _coherent_exact(inst, gamma)
    np.testing.assert_allclose(sinr_eve_coherent(s, q, ch), eve_c, rtol=1e-10)
    np.testing.assert_allclose(masr_coherent(s, q, ch), masr_c, rtol=1e-10)
    # evaluate() switches both, leaves the UE side alone, and the default is (12)/(17)
    p = SystemParams(M=M, N=N, K=K, L=L)
    met_c, met_n = evaluate(s, q, ch, p, combining="coherent"), evaluate(s, q, ch, p)
    np.testing.assert_array_equal(met_c.sinr_ue, met_n.sinr_ue)
    np.testing.assert_allclose(met_n.sinr_eve, closed["eve"], rtol=1e-10)
    np.testing.assert_allclose(met_c.masr, masr_c, rtol=1e-10)
    with pytest.raises(ValueError, match="combining"):
        evaluate(s, q, ch, p, combining="coherant")


def test_coherent_equals_noncoherent_with_one_sensing_ap(setup):
    """Closed-form special case: with a single S-AP there is nothing to combine across APs, so both forms agree."""
    inst, gamma, _, _, _ = setup
    a = np.array([1.0, 1.0, 0.0, 1.0, 1.0])
    ch = _normalized(inst, gamma)
    s, q = effective_powers(a, inst["eta_c"], inst["eta_s"], gamma, N)
    np.testing.assert_allclose(sinr_eve_coherent(s, q, ch), sinr_eve(s, q, ch), rtol=1e-12)
    np.testing.assert_allclose(masr_coherent(s, q, ch), masr(s, q, ch), rtol=1e-12)


def test_pilot_book_orthonormal():
    phi = pilot_matrix(6)
    np.testing.assert_allclose(phi.conj().T @ phi, np.eye(6), atol=1e-12)


def test_deterministic_and_chunk_bounded():
    inst, _ = _instance(seed=5)
    kw = dict(N=N, rho_norm=RHO, rho_t_norm=RHO_T, tau_t=TAU_T, n_draws=300)
    r1 = simulate(**inst, **kw, rng=np.random.default_rng(0), max_chunk_bytes=1e5)
    r2 = simulate(**inst, **kw, rng=np.random.default_rng(0), max_chunk_bytes=1e5)
    np.testing.assert_array_equal(r1.sinr_ue, r2.sinr_ue)
    np.testing.assert_array_equal(r1.masr, r2.masr)
    assert r1.n_draws == 300 and r1.phase == "random"
    assert np.all(np.isfinite(r1.sinr_ue)) and np.all(np.isfinite(r1.sinr_eve))


@pytest.mark.parametrize(
    "field,change",
    [
        ("phase", dict(phase="literal")),
        ("tau_t", dict(tau_t=2)),
        ("n_draws", dict(n_draws=1)),
        ("eta_c", dict(eta_c=np.ones((M, K + 1)))),
        ("zeta", dict(zeta=-np.ones((M, L)))),
        ("sin_theta", dict(sin_theta=np.full((M, L), 1.5))),
        ("a", dict(a=np.full(M, 2.0))),
        ("rho_norm", dict(rho_norm=0.0)),
        ("N", dict(N=0)),
    ],
)
def test_bad_input_raises_naming_the_field(field, change):
    inst, _ = _instance(seed=5)
    kw = dict(N=N, rho_norm=RHO, rho_t_norm=RHO_T, tau_t=TAU_T, n_draws=10, rng=np.random.default_rng(0))
    for key in ("phase", "tau_t", "n_draws", "rho_norm", "N"):
        if key in change:
            kw[key] = change.pop(key)
    inst.update(change)
    with pytest.raises(ValueError, match=field):
        simulate(**inst, **kw)


def test_physical_units_layout_matches_effective_power_forms():
    # Absolute beta ~ 1e-10 with rho ~ 1e12: the simulator and the effective-power forms agree in physical units too.
    p = SystemParams(M=6, N=4, K=2, L=2, side_m=200.0)
    r = seeds.rng(2, 0)
    ls = large_scale_fading(draw_layout(p, r), p, r)
    a = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    eta_c = a[:, None] / (p.N * p.K * ls.gamma)
    eta_s = (1 - a)[:, None] * np.full((p.M, p.L), 1.0 / (p.N * p.L))
    s, q = effective_powers(a, eta_c, eta_s, ls.gamma, p.N)
    ch = normalize(ls, p)
    mc = simulate_layout(ls, p, a, eta_c, eta_s, n_draws=60_000, rng=np.random.default_rng(3))
    np.testing.assert_allclose(mc.gamma_hat, ls.gamma, rtol=0.02)
    np.testing.assert_allclose(mc.sinr_ue, sinr_ue(s, q, ch), rtol=0.02)
    np.testing.assert_allclose(mc.sinr_eve, sinr_eve(s, q, ch), rtol=0.02)
    np.testing.assert_allclose(mc.masr, masr(s, q, ch), rtol=0.02)
