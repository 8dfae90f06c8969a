"""P-SCP stationary stop (pscp_stall_tol): same selection and design as running on to I_max, fewer SDPs."""

import dataclasses

import numpy as np
import pytest

from secure_isac.dfbs import schemes
from secure_isac.dfbs.params import DfbsParams
from secure_isac.dfbs.pscp import is_stalled
from secure_isac.dfbs.schemes import design


def test_is_stalled_needs_small_step_and_same_selection():
    u = np.array([1.0, 0.99, 0.6, 0.4, 0.0, 0.01])
    assert is_stalled(u + 5e-5, u, 3, 1e-4)
    assert not is_stalled(u + 5e-4, u, 3, 1e-4)
    v = u.copy()
    v[2], v[3] = 0.40005, 0.59995  # within tol, but the rounded selection changes
    assert not is_stalled(v, u, 3, 1e-4)


def test_stationary_stop_keeps_design():
    """Small instance at its edge (P = 0 dBm, R-bar = 2): u stalls non-binary at eta_max (g > eps_bin)."""
    fast_p = DfbsParams(n_antennas=8, n_rf=4, grid_step_deg=2.0, pscp_starts=("half",))
    spec_p = dataclasses.replace(fast_p, pscp_stall_tol=0.0)
    fast = design("aa", fast_p, 0.0, 2.0)
    spec = design("aa", spec_p, 0.0, 2.0)
    # the instance really stalls: the plain rule (docs/deviations.md D16) runs on to I_max, the stop ends P-SCP early
    assert spec.pscp_stop == "half:max_iter" and spec.pscp_iterations == spec_p.max_iter
    assert fast.pscp_stop == "half:stalled" and fast.pscp_iterations < spec_p.max_iter // 2
    assert np.array_equal(fast.selected, spec.selected)  # single start: the rounded P-SCP selection
    assert fast.feasible and spec.feasible
    assert fast.matching_error == pytest.approx(spec.matching_error, rel=1e-6)
    assert fast.n_sdp < spec.n_sdp


def test_plain_disables_stationary_stop(monkeypatch):
    seen = []

    class Stop(Exception):
        pass

    def fake(*args, **kwargs):
        seen.append(kwargs)
        raise Stop

    monkeypatch.setattr(schemes, "run_pscp", fake)
    p = DfbsParams(n_antennas=8, n_rf=4, grid_step_deg=2.0)
    for plain in (True, False):
        with pytest.raises(Stop):
            design("aa", p, 0.0, 1.5, plain=plain)
    assert seen[0]["stall_tol"] == 0.0 and seen[0]["tracking"] is False
    assert seen[1]["stall_tol"] is None  # None: params.pscp_stall_tol
