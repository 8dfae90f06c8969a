"""SystemParams: derived quantities (docs/deviations.md S1-P7) and validation (ValueError naming the field)."""

import dataclasses
import math

import numpy as np
import pytest

from secure_isac.cfmmimo.params import SystemParams


def test_derived_quantities_match_spec_table():
    p = SystemParams()
    assert p.tau_t == 6
    assert p.noise_power_w == pytest.approx(6.362e-13, rel=1e-4)
    assert 10 * math.log10(p.noise_power_w * 1e3) == pytest.approx(-91.96, abs=0.005)
    assert p.rho_norm == pytest.approx(1.572e12, rel=1e-3)
    assert 10 * math.log10(p.rho_norm) == pytest.approx(121.96, abs=0.005)
    assert p.rho_t_norm == pytest.approx(3.93e11, rel=1e-3)
    assert 10 * math.log10(p.rho_t_norm) == pytest.approx(115.94, abs=0.005)
    assert p.varsigma == pytest.approx(2.512, abs=5e-4)
    assert p.kappa == pytest.approx(1.585, abs=5e-4)
    assert p.prelog_factor == 1.0
    assert SystemParams(prelog=True).prelog_factor == pytest.approx(0.97)
    assert SystemParams(K=8, prelog=True).prelog_factor == pytest.approx(1 - 10 / 200)


def test_noise_power_matches_ngo_code_expression():
    # Ngo's MATLAB: 10^((-203.975 + 10 log10(B) + NF)/10) W; k_B = 1.381e-23 at 290 K gives -203.975 dBW/Hz
    # up to rounding.
    ngo = 10 ** ((-203.975 + 10 * math.log10(20e6) + 9) / 10)
    assert SystemParams().noise_power_w == pytest.approx(ngo, rel=1e-3)


def test_derived_scale_with_other_values():
    p = SystemParams(K=8, L=3, rho_w=2.0, noise_figure_db=6.0, bandwidth_hz=10e6)
    noise = 1.381e-23 * 290 * 10e6 * 10 ** 0.6
    assert p.tau_t == 11
    assert p.noise_power_w == pytest.approx(noise, rel=1e-12)
    assert p.rho_norm == pytest.approx(2.0 / noise, rel=1e-12)


def test_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        SystemParams().M = 3  # type: ignore[misc]


BAD = [
    ("M", dict(M=0)),
    ("N", dict(N=0)),
    ("K", dict(K=0)),
    ("K", dict(K=-2)),
    ("M", dict(M=2.5)),
    ("N", dict(N=True)),
    ("L", dict(L=0)),
    ("rho_w", dict(rho_w=0.0)),
    ("rho_w", dict(rho_w=-1.0)),
    ("rho_t_w", dict(rho_t_w=0.0)),
    ("rho_t_w", dict(rho_t_w=-0.25)),
    ("nu", dict(nu=0.0)),
    ("nu", dict(nu=-0.5)),
    ("side_m", dict(side_m=0.0)),
    ("side_m", dict(side_m=-500.0)),
    ("side_m", dict(side_m=float("nan"))),
    ("tau", dict(tau=6)),
    ("tau", dict(tau=3)),
    ("tau", dict(tau=0)),
    ("ue_sinr_form", dict(ue_sinr_form="typo")),
    ("d0_m", dict(d0_m=50.0)),
    ("d0_m", dict(d0_m=60.0)),
    ("d0_m", dict(d0_m=0.0)),
    ("shadowing_std_db", dict(shadowing_std_db=-1.0)),
    ("carrier_mhz", dict(carrier_mhz=0.0)),
    ("bandwidth_hz", dict(bandwidth_hz=-1.0)),
    ("h_ap_m", dict(h_ap_m=0.0)),
    ("h_ue_m", dict(h_ue_m=-1.65)),
    ("kappa_db", dict(kappa_db=float("inf"))),
    ("varsigma_db", dict(varsigma_db="4")),
    ("noise_figure_db", dict(noise_figure_db=float("nan"))),
    ("prelog", dict(prelog="yes")),
]


@pytest.mark.parametrize("field,kwargs", BAD, ids=[f"{f}-{list(k.values())[0]!r}" for f, k in BAD])
def test_bad_values_raise_naming_the_field(field, kwargs):
    with pytest.raises(ValueError, match=rf"^{field}\b"):
        SystemParams(**kwargs)


def test_zero_zones_message():
    with pytest.raises(ValueError, match=r"^L: Input should be greater than or equal to 1 \(got 0\)"):
        SystemParams(L=0)


def test_valid_edge_values_accepted():
    p = SystemParams(M=np.int64(2), N=1, K=1, L=1, tau=3, shadowing_std_db=0.0, kappa_db=-5.0)
    assert p.tau_t == 2
