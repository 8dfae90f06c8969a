"""ULA steering vectors, LoS channels, desired pattern and beampatterns (eqs. (5), (6), (10), (11))."""

from __future__ import annotations

import numpy as np


def steering(angles_deg, n_antennas: int) -> np.ndarray:
    """ULA steering vectors a(theta), eq. (5), d = lambda/2, unnormalised (S2-A18); shape (..., N)."""
    th = np.deg2rad(np.asarray(angles_deg, dtype=float))
    n = np.arange(n_antennas)
    return np.exp(1j * np.pi * np.multiply.outer(np.sin(th), n))


def user_channel(params) -> np.ndarray:
    """LoS user channel h = beta_0 a(theta_0) with beta_0 = 1, eq. (6) (S2-A8)."""
    return steering(params.user_angle_deg, params.n_antennas)


def eve_channels(params) -> np.ndarray:
    """LoS channels g_k of the untrusted targets, rows k in E, eq. (6)."""
    return steering(np.asarray(params.eve_angles_deg), params.n_antennas)


def desired_pattern(grid_deg, centers_deg, width_deg: float) -> np.ndarray:
    """Rectangular desired pattern P_d, eq. (10): 1 within width/2 of any centre (edges inclusive)."""
    g = np.asarray(grid_deg, dtype=float)[:, None]
    c = np.asarray(centers_deg, dtype=float)[None, :]
    return (np.abs(g - c) <= width_deg / 2 + 1e-9).any(axis=1).astype(float)


def params_desired_pattern(params) -> np.ndarray:
    """P_d on the design grid with boxes at the user and every target (S2-A4)."""
    centres = (params.user_angle_deg,) + tuple(params.target_angles_deg)
    return desired_pattern(params.grid_deg, centres, params.beam_width_deg)


def beampattern(X: np.ndarray, A: np.ndarray) -> np.ndarray:
    """Beampattern a^H X a for every row a of A, eq. (11); real for Hermitian X."""
    return np.real(np.einsum("mi,ij,mj->m", A.conj(), X, A))


def quad(X: np.ndarray, v: np.ndarray) -> float:
    """v^H X v (real part)."""
    return float(np.real(v.conj() @ X @ v))
