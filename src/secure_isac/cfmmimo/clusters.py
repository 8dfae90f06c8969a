"""User-centric serving clusters (not in the paper; docs/extensions/city-scale.md, docs/model.md 1.23).

Each UE k is served only by the cluster_size APs with the largest large-scale fading beta_mk (its cluster M_k);
s_mk = 0 for m outside M_k. The AP modes (C-AP or S-AP) are decided as before, and every AP's transmission still
interferes at every UE (eq. (9)): only the communication variables become sparse. The (m, k) pairs of the clusters
are numbered UE by UE, strongest AP first: pair j = k C + i is the i-th strongest AP of UE k.
"""

from __future__ import annotations

import numpy as np


def serving_clusters(beta, cluster_size: int) -> np.ndarray:
    """(K, C) AP indices serving each UE, strongest first (largest beta_mk); equal beta_mk go to the lower AP index
    (a stable sort of -beta), so the clusters depend only on beta.

    beta: (M, K) large-scale fading (any positive scale, e.g. rho beta); cluster_size C in 1..M."""
    beta = np.asarray(beta, dtype=float)
    if beta.ndim != 2:
        raise ValueError(f"beta: expected shape (M, K), got {beta.shape}")
    M = beta.shape[0]
    if isinstance(cluster_size, bool) or not isinstance(cluster_size, (int, np.integer)) or not 1 <= cluster_size <= M:
        raise ValueError(f"cluster_size: must be an integer in [1, M = {M}], got {cluster_size!r}")
    return np.ascontiguousarray(np.argsort(-beta, axis=0, kind="stable")[: int(cluster_size)].T)


def serving_mask(serving, M: int) -> np.ndarray:
    """(M, K) bool: True iff AP m serves UE k (m in the cluster M_k) for clusters `serving` (K, C)."""
    serving = np.asarray(serving)
    K = serving.shape[0]
    mask = np.zeros((M, K), dtype=bool)
    mask[serving, np.arange(K)[:, None]] = True
    return mask


def pair_indices(serving) -> tuple[np.ndarray, np.ndarray]:
    """(ap, ue) of the K C served pairs, pair j = k C + i (UE k, its i-th strongest AP)."""
    serving = np.asarray(serving)
    K, C = serving.shape
    return serving.ravel().astype(np.int64), np.repeat(np.arange(K, dtype=np.int64), C)


def outside_power(s, serving) -> float:
    """Largest communication share s_mk outside the clusters (0 for a design that respects them; s (M, K))."""
    s = np.asarray(s, dtype=float)
    mask = serving_mask(serving, s.shape[0])
    return float(np.max(np.abs(np.where(mask, 0.0, s)), initial=0.0))


def serve_every_ue(a, serving, weight=None) -> np.ndarray:
    """AP modes in which every UE has a C-AP in its cluster: for each UE whose cluster holds no C-AP (a_m = 0 on all
    of M_k), its AP with the largest weight (weight (M, K), e.g. the relaxed powers s; None: its strongest AP)
    becomes a C-AP. Without it such a UE has x_k = 0 (SINR 0) whatever the powers: a random mode draw or a rounding
    that leaves a UE unserved would make the max-min problem degenerate (docs/model.md 1.23)."""
    a = np.array(a, copy=True)
    serving = np.asarray(serving)
    unserved = ~np.any(a[serving] > 0.5, axis=1)
    if unserved.any():
        rows = serving[unserved]
        if weight is None:
            pick = rows[:, 0]
        else:
            w = np.asarray(weight, dtype=float)[rows, np.flatnonzero(unserved)[:, None]]
            pick = rows[np.arange(rows.shape[0]), np.argmax(w, axis=1)]  # ties: the stronger AP
        a[pick] = 1
    return a
