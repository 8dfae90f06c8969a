"""Bad input raises ValueError naming the parameter; an infeasible secrecy target is recorded, not raised."""

import numpy as np
import pytest

from secure_isac.dfbs.params import DfbsParams, secrecy_target_grid
from secure_isac.dfbs.schemes import design


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(n_rf=17), "n_rf"),
        (dict(n_rf=0), "n_rf"),
        (dict(user_angle_deg=95.0), "user_angle_deg"),
        (dict(target_angles_deg=(-100.0, 20.0), eve_angles_deg=(20.0,)), "target_angles_deg"),
        (dict(eve_angles_deg=(-20.0, 91.0)), "eve_angles_deg"),
        (dict(eve_angles_deg=(-25.0,)), "eve_angles_deg"),
        (dict(beam_width_deg=0.0), "beam_width_deg"),
        (dict(beam_width_deg=-3.0), "beam_width_deg"),
        (dict(tie_break="middle"), "tie_break"),
        (dict(noise_dbm=float("nan")), "noise_dbm"),
        (dict(rho=1.0), "rho"),
        (dict(pscp_stall_tol=-1e-4), "pscp_stall_tol"),
        (dict(pscp_stall_tol=float("nan")), "pscp_stall_tol"),
        (dict(pscp_stall_tol=float("inf")), "pscp_stall_tol"),
        (dict(pscp_decided_margin=-0.1), "pscp_decided_margin"),
        (dict(pscp_decided_margin=1.5), "pscp_decided_margin"),
        (dict(pscp_decided_margin=float("nan")), "pscp_decided_margin"),
    ],
)
def test_bad_params(kwargs, name):
    with pytest.raises(ValueError, match=name):
        DfbsParams(**kwargs)


@pytest.mark.parametrize("power", [float("-inf"), float("nan"), float("inf")])
def test_bad_power(small, power):
    with pytest.raises(ValueError, match="power_dbm"):
        design("no_aa", small, power, 1.0)


def test_bad_scheme_and_target(small):
    with pytest.raises(ValueError, match="scheme"):
        design("hybrid", small, 10.0, 1.0)
    with pytest.raises(ValueError, match="secrecy_target"):
        design("no_aa", small, 10.0, -1.0)


@pytest.mark.parametrize("scheme", ["aa", "no_aa", "full_digital"])
def test_infeasible_target_is_recorded(small, scheme):
    d = design(scheme, small, 0.0, 12.0)  # far above log2(1 + N P / sigma^2)
    assert d.feasible is False and "infeasible" in d.solver_status
    assert np.isnan(d.matching_error)


def test_secrecy_target_grid_stops_below_edge(default_params):
    g = secrecy_target_grid(default_params, 0.0)
    assert np.allclose(g, [0.5, 1.0, 1.5, 2.0, 2.5, 3.0])  # edge log2(9) = 3.17
