"""Matching error, SINRs and secrecy rate (eqs. (4), (8), (9), (12))."""

from __future__ import annotations

import numpy as np

from .array import quad


def optimal_alpha(pattern: np.ndarray, desired: np.ndarray) -> float:
    """Least-squares autoscale alpha >= 0 of eq. (12) for a given pattern."""
    dd = float(desired @ desired)
    return max(0.0, float(desired @ pattern) / dd) if dd > 0 else 0.0


def matching_error(pattern: np.ndarray, desired: np.ndarray, alpha: float | None = None) -> float:
    """Matching error (1/M) sum |alpha P_d - P|^2, eq. (12); alpha free (least squares) when None."""
    a = optimal_alpha(pattern, desired) if alpha is None else float(alpha)
    return float(np.mean((a * desired - pattern) ** 2))


def user_sinr(W: np.ndarray, Rs: np.ndarray, h: np.ndarray, noise: float) -> float:
    """User SINR, eq. (4): |h^H w|^2 / (h^H R_s h + sigma^2)."""
    return quad(W, h) / (quad(Rs, h) + noise)


def eve_sinr(W: np.ndarray, Rs: np.ndarray, G: np.ndarray, noise: float) -> np.ndarray:
    """Eavesdropper SINRs, eq. (8), one per row g_k of G."""
    return np.array([quad(W, g) / (quad(Rs, g) + noise) for g in G])


def secrecy_rate(sinr_user: float, sinr_eves) -> float:
    """Secrecy rate, eq. (9): [log2(1+gamma_c) - max_{k in E} log2(1+gamma_k)]^+."""
    r = np.log2(1.0 + sinr_user) - np.max(np.log2(1.0 + np.asarray(sinr_eves, dtype=float)))
    return float(max(0.0, r))


def secrecy_rate_raw(sinr_user: float, sinr_eves) -> float:
    """Secrecy rate of eq. (9) without the [.]^+ (used to test the constraint R_sec >= R-bar)."""
    return float(np.log2(1.0 + sinr_user) - np.max(np.log2(1.0 + np.asarray(sinr_eves, dtype=float))))
