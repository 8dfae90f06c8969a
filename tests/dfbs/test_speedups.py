"""Speed-only changes of study 2 (docs/deviations.md S2-D19, S2-D20): lag form of the relaxed SDP, unimodal skips of the
Gamma_e searches, one fixed re-solve per selection and design. Each must give the result of the form it replaces."""

import numpy as np
import pytest

from secure_isac.dfbs import array as ar
from secure_isac.dfbs import metrics as me
from secure_isac.dfbs import schemes
from secure_isac.dfbs.fixed import fixed_design
from secure_isac.dfbs.params import DfbsParams
from secure_isac.dfbs.pscp import PscpResult, run_pscp
from secure_isac.dfbs.schemes import design
from secure_isac.dfbs.sdr import SdrP5, is_ula, lag_matrix, residual_factor, residual_factor_lags
from secure_isac.dfbs.search import gamma_grid, search_gamma, track_gamma


def _rand_psd(rng, n, r):
    B = rng.standard_normal((n, r)) + 1j * rng.standard_normal((n, r))
    return B @ B.conj().T


@pytest.mark.parametrize("n", [2, 5, 8])
def test_lag_factor_reproduces_matching_error(n):
    """||F_lag [alpha, L vec X]||^2 = matching error (12) = ||F [alpha, vec X]||^2 (the entry-wise factor)."""
    rng = np.random.default_rng(n)
    grid = np.arange(-90, 91, 2.0)
    A = ar.steering(grid, n)
    d = ar.desired_pattern(grid, [-40, 0, 40], 10)
    L, Fl, F = lag_matrix(n), residual_factor_lags(A, d, 2 * n), residual_factor(A, d, 2 * n)
    assert L.shape == (2 * n - 1, 2 * n * n) and Fl.shape == (2 * n, 2 * n)
    for _ in range(3):
        X, alpha = _rand_psd(rng, n, 2), rng.uniform(0.1, 3.0)
        vx = np.concatenate([X.real.flatten(order="F"), X.imag.flatten(order="F")])
        ref = me.matching_error(ar.beampattern(X, A), d, alpha)
        assert np.sum((Fl @ np.concatenate([[alpha], L @ vx])) ** 2) == pytest.approx(ref, rel=1e-10)
        assert np.sum((F @ np.concatenate([[alpha], vx])) ** 2) == pytest.approx(ref, rel=1e-10)


def test_lag_factor_needs_a_ula():
    A = ar.steering(np.arange(-90, 91, 3.0), 8)
    assert is_ula(A) and not is_ula(A[:, [0, 2, 3, 7]])
    with pytest.raises(ValueError, match="ULA"):
        residual_factor_lags(A[:, [0, 2, 3, 7]], np.ones(A.shape[0]), 8)


def test_lag_sdp_equals_entrywise_sdp():
    """The relaxed compact (SDR P5) with the lag factor has the entry-wise form's optimum (several Gamma_e,
    penalties and targets, one infeasible); the problem without the secrecy constraint keeps the entry-wise form."""
    n = 6
    grid = np.arange(-90, 91, 3.0)
    A = ar.steering(grid, n)
    d = ar.desired_pattern(grid, [-40, 0, 40], 10)
    h, G = ar.steering(0.0, n), ar.steering([-40.0, 40.0], n)
    kw = dict(rows=2 * n, cap=1 / 3, with_u=True, diag_eq=True, n_rf=3)
    plain, lag = SdrP5(A, d, h, G, **kw), SdrP5(A, d, h, G, lags=True, **kw)
    rng = np.random.default_rng(0)
    for pen, g, rbar in [(0.01 * np.linspace(-1, 1, n), 0.01, 1.0), (0.01 * np.linspace(-1, 1, n), 0.3, 1.0),
                         (rng.uniform(-2, 2, n), 0.05, 1.5), (np.zeros(n), 1e-4, 0.5), (np.zeros(n), 0.01, 3.0)]:
        a = plain.solve(pen=pen, gamma_e=g, rbar=rbar, s2=0.5)
        b = lag.solve(pen=pen, gamma_e=g, rbar=rbar, s2=0.5)
        assert a.feasible == b.feasible
        if a.feasible:
            assert b.objective == pytest.approx(a.objective, rel=1e-6, abs=1e-9)
            # the lag form's X is a real solution of the same problem: its matching error + penalty is the objective
            Lb = me.matching_error(ar.beampattern(b.X, A), d, b.alpha)
            assert Lb + pen @ b.u == pytest.approx(b.objective, rel=1e-6, abs=1e-9)
    a, b = plain.solve(pen=np.ones(n)), lag.solve(pen=np.ones(n))  # no secrecy constraint: the same problem
    assert a.objective == b.objective and np.array_equal(a.X, b.X)


class _R:
    def __init__(self, v):
        self.objective = v


def _counted(f):
    seen = []

    def ev(g):
        seen.append(g)
        return _R(f(g))

    return ev, seen


# a feasible interval around one point of the 4x denser retry grid that holds no point of the 17-point grid
_DENSE = gamma_grid(10.0, 64, 1e-6)[34]
UNIMODAL = {
    "strict": lambda g: (np.log(g + 1e-9) - np.log(0.05)) ** 2 + 1.0,
    "negative": lambda g: -5.0 + 0.1 * (np.log(g + 1e-12) - np.log(3e-4)) ** 2,
    "flat": lambda g: 1.0 if 0.01 <= g <= 0.3 else 2.0,
    "interval": lambda g: (g - 0.2) ** 2 if 0.1 <= g <= 0.5 else np.inf,
    "narrow": lambda g: 1.0 + (g / _DENSE - 1.0) ** 2 if abs(g / _DENSE - 1.0) <= 0.05 else np.inf,
    "infeasible": lambda g: np.inf,
    "decreasing": lambda g: 1.0 / (1.0 + g),
}


def test_narrow_case_needs_the_dense_retry():
    coarse = gamma_grid(10.0, 16, 1e-6)
    assert not np.isfinite([UNIMODAL["narrow"](g) for g in coarse]).any()
    r = search_gamma(lambda g: _R(UNIMODAL["narrow"](g)), 10.0, n_grid=16, golden_steps=10, unimodal=True)
    assert r.feasible and abs(r.gamma_e / _DENSE - 1.0) <= 0.05


@pytest.mark.parametrize("name", list(UNIMODAL))
@pytest.mark.parametrize("tie_break", ["largest", "smallest"])
def test_unimodal_search_equals_full_grid(name, tie_break):
    f = UNIMODAL[name]
    full_ev, full_seen = _counted(f)
    fast_ev, fast_seen = _counted(f)
    kw = dict(n_grid=16, golden_steps=10, tie_break=tie_break)
    a = search_gamma(full_ev, 10.0, **kw)
    b = search_gamma(fast_ev, 10.0, unimodal=True, **kw)
    assert b.gamma_e == a.gamma_e and b.result.objective == a.result.objective
    assert set(fast_seen) <= set(full_seen)
    if name in ("strict", "negative", "interval"):
        assert len(fast_seen) < len(full_seen)


@pytest.mark.parametrize("name", ["strict", "negative", "decreasing", "interval"])
@pytest.mark.parametrize("g0", [1e-4, 0.03, 0.05, 0.08, 2.0, 10.0])
def test_unimodal_tracking_equals_three_point_start(name, g0):
    f = UNIMODAL[name]
    full_ev, full_seen = _counted(f)
    fast_ev, fast_seen = _counted(f)
    a = track_gamma(full_ev, g0, 10.0)
    b = track_gamma(fast_ev, g0, 10.0, unimodal=True)
    assert b.gamma_e == a.gamma_e and b.result.objective == a.result.objective
    assert set(fast_seen) <= set(full_seen) and len(fast_seen) >= len(full_seen) - 1


@pytest.fixture(scope="module")
def edge():
    """Small instance at its feasibility edge (the S2-D16 test case): the secrecy constraint binds in P-SCP."""
    return DfbsParams(n_antennas=8, n_rf=4, grid_step_deg=2.0, pscp_starts=("half",))


def test_unimodal_skips_keep_pscp_and_fixed_results(edge):
    """On real SDPs of a binding point: the P-SCP path and the fixed-selection search are those of the full scan."""
    s2, rbar = 1.0, 2.0
    u0 = np.full(edge.n_antennas, edge.u0)
    full = run_pscp(edge, s2, rbar, u0, unimodal=False)
    fast = run_pscp(edge, s2, rbar, u0, unimodal=True)
    assert np.array_equal(fast.selection, full.selection) and np.array_equal(fast.u, full.u)
    assert fast.objective == full.objective and fast.stop_reason == full.stop_reason
    assert fast.n_sdp < full.n_sdp
    a = fixed_design(edge, full.selection, s2, rbar, unimodal=False)
    b = fixed_design(edge, full.selection, s2, rbar, unimodal=True)
    assert b.sol.gamma_e == a.sol.gamma_e and b.sol.result.objective == a.sol.result.objective
    assert np.array_equal(b.sol.W, a.sol.W) and b.n_sdp <= a.n_sdp


def test_fixed_resolve_once_per_selection(edge, monkeypatch):
    """Both starts (and the kept no_aa start) ending at one selection: one fixed-selection search per design."""
    p = DfbsParams(n_antennas=8, n_rf=4, grid_step_deg=2.0)
    sel = np.array([0, 1, 2, 3])  # the no_aa selection: every fixed re-solve of the design is this one

    def fake_pscp(params, s2, rbar, u_start, **kw):
        return PscpResult(u=np.isin(np.arange(8), sel).astype(float), selection=sel, n_sdp=0,
                          stop_reason="converged")

    calls = []
    real = schemes.fixed_design

    def counting(params, selection, *a, **kw):
        calls.append(tuple(selection))
        return real(params, selection, *a, **kw)

    monkeypatch.setattr(schemes, "run_pscp", fake_pscp)
    monkeypatch.setattr(schemes, "fixed_design", counting)
    d = design("aa", p, 0.0, 1.5)
    assert calls == [tuple(sel)]
    assert d.feasible and d.start == "half"  # ties keep the first start
    one = real(p, sel, 1.0, 1.5)
    assert d.n_sdp == one.n_sdp and d.matching_error == design("no_aa", p, 0.0, 1.5).matching_error
