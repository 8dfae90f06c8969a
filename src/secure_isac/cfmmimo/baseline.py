"""Baseline "average power allocation" (docs/deviations.md S1-O6): random 50/50 modes, Ngo-2017 equal power."""

from __future__ import annotations

import numpy as np

from .closed_forms import NormalizedChannel


def equal_power(a, ch: NormalizedChannel) -> tuple[np.ndarray, np.ndarray]:
    """Ngo-2017 equal power (docs/model.md, baseline): s_mk = a_m gamma_mk / sum_k' gamma_mk', q_ml = (1 - a_m) / L."""
    a = np.asarray(a, dtype=float)
    g = np.asarray(ch.g, dtype=float)
    L = ch.z.shape[-1]
    s = a[:, None] * g / g.sum(axis=1, keepdims=True)
    q = np.repeat((1.0 - a)[:, None] / L, L, axis=1)
    return s, q
