"""Baseline "average power allocation" (docs/deviations.md S1-O6): random 50/50 modes, Ngo-2017 equal power."""

from __future__ import annotations

import numpy as np

from .closed_forms import NormalizedChannel


def equal_power(a, ch: NormalizedChannel) -> tuple[np.ndarray, np.ndarray]:
    """Ngo-2017 equal power (docs/model.md, baseline): s_mk = a_m gamma_mk / sum_k' gamma_mk', q_ml = (1 - a_m) / L.

    With user-centric clusters (ch.serving, docs/model.md 1.23) the sums run over the UEs each AP serves,
    s_mk = a_m gamma_mk 1[m in M_k] / sum_{k' : m in M_k'} gamma_mk', and an AP that serves no UE has s_m = 0."""
    a = np.asarray(a, dtype=float)
    g = np.asarray(ch.g, dtype=float)
    L = ch.z.shape[-1]
    if getattr(ch, "serving", None) is not None:
        from .clusters import pair_indices

        ap, ue = pair_indices(ch.serving)
        gp = g[ap, ue]
        tot = np.bincount(ap, gp, minlength=g.shape[0])
        s = np.zeros_like(g)
        s[ap, ue] = a[ap] * gp / tot[ap]
    else:
        s = a[:, None] * g / g.sum(axis=1, keepdims=True)
    q = np.repeat((1.0 - a)[:, None] / L, L, axis=1)
    return s, q
