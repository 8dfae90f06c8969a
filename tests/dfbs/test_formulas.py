"""Independent checks of the study-2 formulas (beampattern, SINR, secrecy, matching error, eq. (24), SDP forms)."""

import numpy as np
import pytest

from secure_isac.dfbs import array as ar
from secure_isac.dfbs import metrics as me
from secure_isac.dfbs.reconstruct import mrt_split, rank_one_reconstruction, sensing_beams
from secure_isac.dfbs.sdr import SdrP5, recover_w, residual_factor
from secure_isac.dfbs.search import search_gamma, track_gamma


def _rand_psd(rng, n, r):
    B = rng.standard_normal((n, r)) + 1j * rng.standard_normal((n, r))
    return B @ B.conj().T, B


def test_steering_ula_half_wavelength():
    a = ar.steering([30.0], 4)[0]
    assert np.allclose(a, np.exp(1j * np.pi * 0.5 * np.arange(4)))
    assert np.allclose(ar.steering(0.0, 3), 1.0)


def test_beampattern_matches_direct_sum_over_beams():
    rng = np.random.default_rng(1)
    X, B = _rand_psd(rng, 6, 3)
    A = ar.steering(np.linspace(-90, 90, 37), 6)
    direct = np.array([sum(abs(np.vdot(a, B[:, j])) ** 2 for j in range(3)) for a in A])
    assert np.allclose(ar.beampattern(X, A), direct)


def test_desired_pattern_boxes_inclusive():
    d = ar.desired_pattern(np.arange(-10, 11, 1.0), [0.0], 10.0)
    assert d.sum() == 11 and d[5] == 1 and d[4] == 0 and d[15] == 1 and d[16] == 0


def test_sinr_and_secrecy_by_hand():
    # N = 2, w = [1, 1], R_s = I, user at 0 deg, eve at 90 deg (a = [1, -1]): all by hand
    w = np.array([1.0, 1.0])
    W, Rs = np.outer(w, w), np.eye(2)
    h, g = ar.steering(0.0, 2), ar.steering(90.0, 2)
    assert me.user_sinr(W, Rs, h, 1.0) == pytest.approx(4.0 / (2.0 + 1.0))
    assert me.eve_sinr(W, Rs, g[None, :], 1.0)[0] == pytest.approx(0.0, abs=1e-12)
    assert me.secrecy_rate(4 / 3, [0.0, 1.0]) == pytest.approx(np.log2(7 / 3) - 1.0)
    assert me.secrecy_rate(0.5, [3.0]) == 0.0  # [.]^+
    assert me.secrecy_rate_raw(0.5, [3.0]) == pytest.approx(np.log2(1.5) - 2.0)


def test_matching_error_alpha_is_least_squares():
    rng = np.random.default_rng(2)
    p = rng.random(50) * 3
    d = (rng.random(50) > 0.6).astype(float)
    alpha = np.linalg.lstsq(d[:, None], p, rcond=None)[0][0]
    assert me.optimal_alpha(p, d) == pytest.approx(alpha)
    assert me.matching_error(p, d) == pytest.approx(np.mean((alpha * d - p) ** 2))
    assert me.matching_error(p, d) <= me.matching_error(p, d, alpha * 1.1)


def test_residual_factor_reproduces_matching_error():
    rng = np.random.default_rng(3)
    n = 5
    A = ar.steering(np.arange(-90, 91, 3.0), n)
    d = ar.desired_pattern(np.arange(-90, 91, 3.0), [-30, 0, 30], 10)
    F = residual_factor(A, d, 2 * n)
    X, _ = _rand_psd(rng, n, 2)
    alpha = 1.7
    y = np.concatenate([[alpha], X.real.flatten(order="F"), X.imag.flatten(order="F")])
    assert np.sum((F @ y) ** 2) == pytest.approx(me.matching_error(ar.beampattern(X, A), d, alpha), rel=1e-10)


def test_proposition1_reconstruction_on_random_matrices():
    rng = np.random.default_rng(4)
    n = 6
    W, _ = _rand_psd(rng, n, 3)
    Rs, _ = _rand_psd(rng, n, 2)
    h = ar.steering(0.0, n)
    G = ar.steering([-20.0, 20.0], n)
    w, Wb, Rb = rank_one_reconstruction(W, Rs, h)
    assert np.linalg.matrix_rank(Wb, tol=1e-9 * np.abs(Wb).max()) == 1
    assert np.allclose(Wb + Rb, W + Rs)
    assert me.user_sinr(Wb, Rb, h, 1.0) == pytest.approx(me.user_sinr(W, Rs, h, 1.0))
    assert np.all(me.eve_sinr(Wb, Rb, G, 1.0) <= me.eve_sinr(W, Rs, G, 1.0) + 1e-12)  # eq. (26)
    assert np.linalg.eigvalsh(Rb).min() >= np.linalg.eigvalsh(Rs).min() - 1e-9  # eq. (25)
    beams, Rpsd = sensing_beams(Rb)
    assert np.allclose(beams @ beams.conj().T, Rpsd, atol=1e-8)


def test_mrt_split_gives_user_all_power():
    rng = np.random.default_rng(5)
    X, _ = _rand_psd(rng, 5, 4)
    h = ar.steering(10.0, 5)
    W, Rs = mrt_split(X, h)
    assert me.user_sinr(W, Rs, h, 1.0) == pytest.approx(np.real(h.conj() @ X @ h))
    assert np.linalg.eigvalsh(Rs).min() > -1e-9


def test_recover_w_meets_projection():
    rng = np.random.default_rng(6)
    n = 6
    X, _ = _rand_psd(rng, n, 4)
    V = ar.steering([0.0, -20.0, 20.0], n).T
    C = V.conj().T @ X @ V
    lam, E = np.linalg.eigh(C)
    Ch = (E * np.sqrt(np.clip(lam, 0, None))) @ E.conj().T
    Q, _ = _rand_psd(rng, 3, 2)
    Q = Q / np.linalg.eigvalsh(Q).max()  # 0 <= Q <= I, so 0 <= T <= C
    T = Ch @ Q @ Ch
    W = recover_w(X, V, T)
    assert np.allclose(V.conj().T @ W @ V, T, atol=1e-8 * np.abs(C).max())
    assert np.linalg.eigvalsh(W).min() > -1e-8 and np.linalg.eigvalsh(X - W).min() > -1e-8


def test_compact_sdp_equals_two_cone_sdp():
    n = 6
    grid = np.arange(-90, 91, 3.0)
    A = ar.steering(grid, n)
    d = ar.desired_pattern(grid, [-40, 0, 40], 10)
    h, G = ar.steering(0.0, n), ar.steering([-40.0, 40.0], n)
    pen = 0.01 * np.linspace(-1, 1, n)
    vals = {}
    for compact in (True, False):
        ctx = SdrP5(A, d, h, G, rows=2 * n, cap=1 / 3, with_u=True, diag_eq=True, n_rf=3, compact=compact)
        vals[compact] = [ctx.solve(pen=pen, gamma_e=g, rbar=1.0, s2=0.5).objective for g in (0.01, 0.3)]
    assert np.allclose(vals[True], vals[False], rtol=1e-5)


class _R:
    def __init__(self, v):
        self.objective = v


def test_search_finds_strict_minimum_and_flat_edges():
    f = lambda g: _R((np.log(g + 1e-9) - np.log(0.05)) ** 2 + 1.0)  # noqa: E731
    r = search_gamma(f, 10.0, n_grid=10, golden_steps=20)
    assert r.gamma_e == pytest.approx(0.05, rel=0.05)
    flat = lambda g: _R(1.0 if 0.01 <= g <= 0.3 else 2.0)  # noqa: E731
    r = search_gamma(flat, 10.0, n_grid=16, golden_steps=12, tie_break="largest")
    assert 0.25 <= r.gamma_e <= 0.3
    r = search_gamma(flat, 10.0, n_grid=16, golden_steps=12, tie_break="smallest")
    assert 0.01 <= r.gamma_e <= 0.012
    infeasible = lambda g: _R(np.inf)  # noqa: E731
    assert not search_gamma(infeasible, 1.0, n_grid=4, golden_steps=3).feasible
    r = track_gamma(f, 1.0, 10.0, ratio=1.5, max_moves=20)
    assert r.gamma_e == pytest.approx(0.05, rel=0.5)


@pytest.mark.parametrize("solver", ["CLARABEL", "SCS"])
def test_sdp_result_independent_of_solve_history(solver):
    """The same SDP gives the same numbers whatever was solved before on the cached problem (no warm start)."""
    N, sel = 8, np.array([0, 2, 5, 7])
    grid = np.arange(-90.0, 91.0, 3.0)
    A = ar.steering(grid, N)
    d = ((np.abs(grid) <= 5) | (np.abs(np.abs(grid) - 30) <= 5)).astype(float)
    h, G = ar.steering(0.0, N), ar.steering(np.array([-30.0, 30.0]), N)

    def ctx(idx):
        return SdrP5(A[:, idx], d, h[idx], G[:, idx], rows=2 * N, cap=1 / len(idx), with_u=False, diag_eq=True,
                     solver=solver, fallback=solver)

    a = ctx(sel).solve(gamma_e=0.05, rbar=1.0, s2=1.0)
    ctx(np.arange(4)).solve(gamma_e=1.0, rbar=0.5, s2=0.1)
    b = ctx(sel).solve(gamma_e=0.05, rbar=1.0, s2=1.0)
    assert a.objective == b.objective and np.array_equal(a.X, b.X)
