"""The co-location lemma (docs/model.md S1-74, S1-75): an eavesdropper at its zone's centre receives exactly the
signals whose ratio the MASR of that zone measures, so SINR_Eve,l * MASR_l < 1 for any powers, and a MASR
constraint kappa > 1/nu makes CP's Eve constraint redundant, with max-zone Eve rate <= log2(1 + 1/kappa).

With A_l the communication power at zone l, Q_l zone l's own sensing beam there and C'_l the other zones' sensing
leakage (all noise-normalised, docs/model.md 1.4):

    SINR_Eve,l = A_l / (Q_l + C'_l + 1),        MASR_l = Q_l / (A_l + C'_l)

under both sensing combinings (S1-15/S1-16 and S1-61); `colocation_terms` returns (A, Q, C'). All functions
broadcast over leading batch dimensions (layouts, designs).
"""

from __future__ import annotations

import numpy as np

from .closed_forms import COMBINING, NormalizedChannel, _coherent_sensing, _sensing_leak


def colocation_terms(s, q, ch: NormalizedChannel, combining: str = "noncoherent"):
    """(A, Q, C') (...,L) of docs/model.md S1-74: communication leak A_l = sum_m z_ml S_m, own sensing beam Q_l
    (non-coherent: N sum_m z_ml q_ml; coherent: P_ll of S1-61) and other zones' sensing leakage C'_l at zone l's
    centre (non-coherent: sum_m z_ml sum_{l' != l} G_hat_mll' q_ml'; coherent: sum_{l' != l} P_ll'); s (...,M,K),
    q (...,M,L), dimensionless (noise-normalised)."""
    if combining not in COMBINING:
        raise ValueError(f"combining: must be one of {COMBINING}, got {combining!r}")
    q = np.asarray(q, dtype=float)
    S = np.asarray(s, dtype=float).sum(axis=-1)
    A = np.sum(ch.z * S[..., None], axis=-2)
    if combining == "coherent":
        P = _coherent_sensing(q, ch)
        Q = np.diagonal(P, axis1=-2, axis2=-1)
        return A, Q, P.sum(axis=-1) - Q
    diag = np.diagonal(np.asarray(ch.G_hat), axis1=-2, axis2=-1)  # G_hat_mll = N
    Q = np.sum(ch.z * diag * q, axis=-2)
    Cp = np.sum(ch.z * (_sensing_leak(q, ch.G_hat) - diag * q), axis=-2)
    return A, Q, Cp


def eve_masr_product(sinr_eve, masr) -> np.ndarray:
    """SINR_Eve,l * MASR_l (...,L), the quantity the lemma bounds by 1; 0 where the eavesdropper receives nothing
    (SINR_Eve = 0: no communication power reaches the zone, where MASR may be infinite)."""
    sinr_eve = np.asarray(sinr_eve, dtype=float)
    masr = np.asarray(masr, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(sinr_eve > 0, sinr_eve * masr, 0.0)


def product_bound(Q) -> np.ndarray:
    """Q_l / (Q_l + 1) (...,L): the lemma's sharper bound, SINR_Eve,l * MASR_l = A/(A + C') * Q/(Q + C' + 1)
    <= Q/(Q + 1) < 1."""
    Q = np.asarray(Q, dtype=float)
    return Q / (Q + 1.0)


def eve_rate_bound(kappa, nu: float = np.inf, prelog_factor: float = 1.0) -> np.ndarray:
    """Largest max-zone Eve rate of a CP design (bit/s/Hz): f log2(1 + min(nu, 1/kappa)) (docs/model.md S1-75);
    kappa linear (0 = MASR constraint off: f log2(1 + nu)), nu linear (inf = Eve constraint off)."""
    kappa = np.asarray(kappa, dtype=float)
    with np.errstate(divide="ignore"):
        inv = np.where(kappa > 0, 1.0 / np.where(kappa > 0, kappa, 1.0), np.inf)
    return prelog_factor * np.log2(1.0 + np.minimum(nu, inv))


def implied_kappa_db(nu: float) -> float:
    """MASR threshold (dB) above which MASR >= kappa implies Eve SINR < nu: 10 log10(1/nu) (3.01 dB at nu = 0.5)."""
    if not nu > 0:
        raise ValueError(f"nu: must be > 0, got {nu!r}")
    return float(10.0 * np.log10(1.0 / nu))


def masr_ceiling(ch, rel_tol: float = 1e-6, kappa_max: float = 1e12) -> tuple[float, bool]:
    """(kappa*, exact) of one layout: the supremum of min_l MASR_l over every CP design (docs/model.md S1-76), i.e.
    max over sensing powers q >= 0 of min_l Q_l / C'_l, the MASR with no communication power (noise-normalised
    channel `ch` of one layout, z (M,L), G_hat (M,L,L)). CP is infeasible at every kappa >= kappa*: it needs a
    C-AP with some power (A_l > 0), which only lowers MASR. MASR is scale-invariant, so the budgets do not bind.

    Bisection on log kappa (to `rel_tol`) of the linear feasibility problem {q >= 0, sum q = 1,
    Q_l - kappa C'_l >= 0 for all l} (scipy HiGHS). `exact` is True when the optimal q leaves at least one AP
    without sensing power (that AP can be the C-AP, so kappa* is the supremum); otherwise the value is an upper
    bound. inf when the zones' own beams can avoid every other zone (e.g. L = 1) up to `kappa_max`."""
    from scipy.optimize import linprog

    z = np.asarray(ch.z, dtype=float)
    M, L = z.shape
    # Q_l and C'_l are linear in q: their coefficients from unit sensing powers on each (m, l') (no comm power)
    eye = np.eye(M * L).reshape(M * L, M, L)
    _, Qc, Cc = colocation_terms(np.zeros((M * L, M, 1)), eye, ch)  # (M*L, L) each
    if L == 1 or not np.any(Cc > 0):
        return np.inf, True

    def margin(kappa):
        # max t s.t. t <= Q_l - kappa C'_l (rows scaled by their largest coefficient), sum q = 1, q >= 0
        rows = (Qc - kappa * Cc).T  # (L, M*L)
        rows = rows / np.max(np.abs(rows), axis=1, keepdims=True)
        c = np.r_[np.zeros(M * L), -1.0]
        res = linprog(c, A_ub=np.c_[-rows, np.ones(L)], b_ub=np.zeros(L), A_eq=np.r_[np.ones(M * L), 0.0][None],
                      b_eq=[1.0], bounds=[(0, None)] * (M * L) + [(None, None)], method="highs")
        if res.status != 0:
            raise RuntimeError(f"masr_ceiling: LP failed at kappa = {kappa:g}: {res.message}")
        return -res.fun, res.x[:-1]

    lo, hi = 1e-6, kappa_max
    ok, q_lo = margin(lo)
    if ok < 0:
        return 0.0, True
    top, q_top = margin(hi)
    if top >= 0:
        return np.inf, bool(np.any(q_top.reshape(M, L).sum(axis=1) <= 1e-12))
    while hi / lo > 1.0 + rel_tol:
        mid = np.sqrt(lo * hi)
        m, q = margin(mid)
        if m >= 0:
            lo, q_lo = mid, q
        else:
            hi = mid
    return float(lo), bool(np.any(q_lo.reshape(M, L).sum(axis=1) <= 1e-12))
