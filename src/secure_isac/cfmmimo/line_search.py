"""Line search along the last step of the fixed-mode power re-optimisation with user-centric clusters
(docs/model.md S1-92, docs/deviations.md S1-O32; not in the paper).

With the AP modes fixed, every constraint of the CP problem but the objective (Eve (17), MASR (12), budgets, the
zero pattern of the clusters) is linear in the effective powers (s, q), and the SCA of the repair then converges
linearly along an almost straight path: at M = 1024, K = 64 the objective steps shrink by a ratio of 0.86-0.97, and
the repair ran 30-40 surrogate solves (1.1-1.6 s of CPU each) to gain its last 0.5 %. The closed forms evaluate any
point in ~1 ms, so after each SCA step the point is moved further along that step, (s, q) + beta (step), with beta
doubling from 1 while the exact objective still improves and every exact constraint holds (halving down to 1/8
if beta = 1 already fails: the path bends where another zone's Eve or MASR constraint becomes active); the SCA then
continues from that point. Every accepted point is an exactly feasible design with a better objective, and it is
a feasible point of the next surrogate (the surrogate is tight there), so the objective stays monotone and the
fixed points of the SCA are unchanged. Used in the repair of CP only (repair.fixed_mode_power): SP's UE rows are not
linear in (s, q). The function itself checks the constraints of either kind.
"""

from __future__ import annotations

import numpy as np

from .closed_forms import NormalizedChannel, design_eve_sinr
from .closed_forms import evaluate_iterate as evaluate  # the optimisers' own iterates: no argument checks
from .feasibility import constraint_margins
from .params import SystemParams

BETA_MAX = 64.0  # at most 64 steps ahead (7 closed-form evaluations at most per SCA step)
BETA_MIN = 0.125  # at least 1/8 of a step (3 more evaluations if beta = 1 fails)
# an extended point must meet every exact constraint to this (relative) margin: far below SolverOptions.feas_tol, so
# that the extension never spends the tolerance of the final check (the solver's own iterates meet theirs to ~1e-8)
MARGIN_TOL = 1e-7


def objective_t(kind: str, metrics) -> float:
    """t at a point from the closed forms: min_k SINR_k (CP) or max_l SINR_l (SP; over the guarded positions with
    the eavesdropper extension, closed_forms.design_eve_sinr)."""
    return float(np.min(metrics.sinr_ue)) if kind == "cp" else design_eve_sinr(metrics)


def extend_step(kind: str, ch: NormalizedChannel, params: SystemParams, a, s_prev, q_prev, s, q, t: float,
                combining: str = "noncoherent"):
    """A point (s, q) + beta (s - s_prev, q - q_prev), clipped at 0, whose exact objective (min UE SINR for CP, max
    Eve SINR for SP) is better than t and which meets every exact constraint of `kind` with the binary modes a
    within MARGIN_TOL: the farthest of beta = 1, 2, 4, ..., BETA_MAX while each improves on the one before; if
    beta = 1 fails, the first of beta = 1/2, 1/4, ..., BETA_MIN that succeeds.

    Returns (s, q, metrics, beta) of that point, or None. s, s_prev: (M, K) effective comm powers; q, q_prev: (M, L)
    sensing powers; t: the exact objective at (s, q)."""
    ds, dq = np.asarray(s) - s_prev, np.asarray(q) - q_prev
    sign = 1.0 if kind == "cp" else -1.0

    def trial(beta: float, t_ref: float):
        s_x, q_x = np.maximum(s + beta * ds, 0.0), np.maximum(q + beta * dq, 0.0)
        met = evaluate(s_x, q_x, ch, params, combining=combining)
        if not all(v >= -MARGIN_TOL for v in constraint_margins(kind, a, s_x, q_x, met, params, ch.serving).values()):
            return None
        t_x = objective_t(kind, met)
        return (s_x, q_x, met, beta, t_x) if np.isfinite(t_x) and sign * (t_x - t_ref) > 0 else None

    best, beta = None, 1.0
    while beta <= BETA_MAX:
        r = trial(beta, float(t) if best is None else best[4])
        if r is None:
            break
        best, beta = r, 2.0 * beta
    beta = 0.5
    while best is None and beta >= BETA_MIN:
        best, beta = trial(beta, float(t)), 0.5 * beta
    return None if best is None else best[:4]
