"""Proposition 1 rank-one reconstruction (eq. (24)) and EVD sensing beams (Remark 1)."""

from __future__ import annotations

import numpy as np


def rank_one_reconstruction(W: np.ndarray, Rs: np.ndarray, h: np.ndarray):
    """Eq. (24): w_bar = W h / sqrt(h^H W h), R_s_bar = R_s + W - w_bar w_bar^H; returns (w_bar, W_bar, Rs_bar)."""
    Wh = W @ h
    q = float(np.real(h.conj() @ Wh))
    if q <= 1e-14 * max(1.0, float(np.real(np.trace(W)))):
        # the user gets no information power: w_bar = 0 and all of W moves to the sensing covariance
        return np.zeros_like(h), np.zeros_like(W), Rs + W
    w_bar = Wh / np.sqrt(q)
    W_bar = np.outer(w_bar, w_bar.conj())
    Rs_bar = Rs + W - W_bar
    return w_bar, W_bar, (Rs_bar + Rs_bar.conj().T) / 2


def mrt_split(X: np.ndarray, h: np.ndarray):
    """Split a total covariance X into (W, R_s): eq. (24) applied with W* = X, R_s* = 0 (user gets all of h^H X h)."""
    _, W, Rs = rank_one_reconstruction(X, np.zeros_like(X), h)
    return W, Rs


def sensing_beams(Rs: np.ndarray, clip_rel: float = 1e-7):
    """Sensing beams w_i = sqrt(lambda_i) v_i from the EVD of R_s (Remark 1); returns (beams (n, r), Rs_psd)."""
    lam, V = np.linalg.eigh((Rs + Rs.conj().T) / 2)
    scale = max(float(np.max(np.abs(lam))), 1e-300)
    lam = np.where(lam < 0, 0.0, lam)  # eigenvalues around -1e-7 are solver noise (docs/deviations.md S2-D14)
    keep = lam > clip_rel * scale
    beams = V[:, keep] * np.sqrt(lam[keep])[None, :]
    return beams[:, ::-1], (V * lam) @ V.conj().T
