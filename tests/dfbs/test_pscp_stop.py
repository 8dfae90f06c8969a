"""P-SCP stationary stop (pscp_stall_tol, S2-D16) and decided-selection stop (pscp_decided_margin, S2-D21): same
selection
and design as the plain rule, fewer SDPs."""

import dataclasses

import numpy as np
import pytest

from secure_isac.dfbs import schemes
from secure_isac.dfbs.params import DfbsParams
from secure_isac.dfbs.pscp import is_decided, is_stalled, rounding_margin, run_pscp
from secure_isac.dfbs.schemes import design


def test_is_stalled_needs_small_step_and_same_selection():
    u = np.array([1.0, 0.99, 0.6, 0.4, 0.0, 0.01])
    assert is_stalled(u + 5e-5, u, 3, 1e-4)
    assert not is_stalled(u + 5e-4, u, 3, 1e-4)
    v = u.copy()
    v[2], v[3] = 0.40005, 0.59995  # within tol, but the rounded selection changes
    assert not is_stalled(v, u, 3, 1e-4)


def test_stationary_stop_keeps_design():
    """Small instance at its edge (P = 0 dBm, R-bar = 2): u stalls non-binary at eta_max (g > eps_bin). The
    decided-selection stop (S2-D21), which ends this instance earlier still, is off to isolate S2-D16."""
    fast_p = DfbsParams(n_antennas=8, n_rf=4, grid_step_deg=2.0, pscp_starts=("half",), pscp_decided_margin=0.0)
    spec_p = dataclasses.replace(fast_p, pscp_stall_tol=0.0)
    fast = design("aa", fast_p, 0.0, 2.0)
    spec = design("aa", spec_p, 0.0, 2.0)
    # the instance really stalls: the plain rule (docs/deviations.md S2-D16) runs on to I_max, the stop ends P-SCP early
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
    assert seen[0]["stall_tol"] == 0.0 and seen[0]["tracking"] is False and seen[0]["decided_margin"] == 0.0
    assert seen[1]["stall_tol"] is None and seen[1]["decided_margin"] is None  # None: the params' values


def test_rounding_margin_and_is_decided():
    u = np.array([0.97, 0.05, 0.99, 0.02, 0.96, 0.01])
    assert rounding_margin(u, 3) == pytest.approx(0.96 - 0.05)
    assert rounding_margin(np.array([1.0, 0.0, 1.0, 0.0]), 2) == 1.0
    assert rounding_margin(np.array([0.6, 0.6, 0.1]), 1) == 0.0  # a tie: undecided
    assert rounding_margin(u, 6) == 1.0  # every antenna selected: nothing to decide
    assert is_decided(u, u + 0.01 * np.array([-1, 1, -1, 1, -1, 1]), 3, 0.85)
    assert not is_decided(u, u, 3, 0.95)  # margin 0.91 < 0.95
    assert not is_decided(u, u, 3, 0.0)  # 0 = off
    w = u[[1, 0, 2, 3, 4, 5]]  # same margin, another selection
    assert rounding_margin(w, 3) == rounding_margin(u, 3) and not is_decided(w, u, 3, 0.85)
    v = u.copy()
    v[1] = 0.5  # the previous iterate was still undecided
    assert not is_decided(u, v, 3, 0.85) and not is_decided(v, u, 3, 0.85)


def test_decided_stop_keeps_design():
    """Small binding instance (P = 0 dBm, R-bar = 2, start u = 0.5): the rounding is decided by iteration 10, the
    plain rule runs on to iteration 16 (eta reaches eta_max at 15) and the stationary stop there."""
    fast_p = DfbsParams(n_antennas=8, n_rf=4, grid_step_deg=2.0, pscp_starts=("half",))
    spec_p = dataclasses.replace(fast_p, pscp_decided_margin=0.0)
    fast = design("aa", fast_p, 0.0, 2.0)
    spec = design("aa", spec_p, 0.0, 2.0)
    assert fast.pscp_stop == "half:decided" and spec.pscp_stop == "half:stalled"
    assert fast.pscp_iterations < spec.pscp_iterations
    assert np.array_equal(fast.selected, spec.selected) and fast.feasible and spec.feasible
    # the same selection's fixed re-solve (S2-A17): the design is the same, bit for bit
    assert fast.matching_error == spec.matching_error and fast.secrecy_rate == spec.secrecy_rate
    assert fast.n_sdp < spec.n_sdp


def test_decided_stop_needs_the_margin_in_two_iterates(monkeypatch):
    """Every stop the rule makes has two consecutive iterates with one rounded selection, each with the margin; with
    margin 1 (u exactly binary) it does not fire on this instance, which then ends by the other rules with the same
    selection."""
    from secure_isac.dfbs import pscp as pscp_mod

    p = DfbsParams(n_antennas=8, n_rf=4, grid_step_deg=2.0)
    seen = []
    orig = pscp_mod.solve_p31

    def spy(*a, **k):
        sol = orig(*a, **k)
        if sol.feasible:
            seen.append(sol.result.u.copy())
        return sol

    monkeypatch.setattr(pscp_mod, "solve_p31", spy)
    # (P dBm, R-bar, start): the u = 0.5 start at (0, 2) and the contiguous start at (10, 3) end decided
    for P, rbar, u0 in ((0.0, 2.0, np.full(8, 0.5)), (10.0, 3.0, np.array([1, 1, 1, 1, 0, 0, 0, 0], float))):
        s2 = p.noise_mw / 10 ** (P / 10)
        seen.clear()
        res = run_pscp(p, s2, rbar, u0)
        us = list(seen)  # one u per iteration (the Gamma_e search's best)
        never = run_pscp(p, s2, rbar, u0, decided_margin=1.0)
        assert res.stop_reason == "decided" and len(us) == res.n_iter
        assert rounding_margin(us[-1], 4) >= 0.9 and rounding_margin(us[-2], 4) >= 0.9
        assert np.array_equal(res.selection, pscp_mod.round_selection(us[-2], 4))
        assert not any(is_decided(a, b, 4, 0.9) for a, b in zip(us[1:-1], us[:-2]))  # the first such pair stops
        assert never.stop_reason != "decided" and never.n_iter > res.n_iter
        assert np.array_equal(never.selection, res.selection)
