"""Design for a fixed antenna selection: (P3.1) on the reduced N_RF x N_RF problem (docs/deviations.md S2-D2)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..convex import compiled
from . import metrics
from .array import steering
from .p5 import P5Solution, make_context, solve_p31, split_meets
from .reconstruct import mrt_split
from .sdr import SdpResult


@dataclass
class FixedOutcome:
    """Solution of one fixed selection (normalised powers on the selected sub-array)."""

    selection: np.ndarray
    sol: P5Solution
    n_sdp: int


# contexts kept per selection (more are dropped at once: a random_aa reference visits many selections)
CONTEXT_LIMIT = 512


def context_for(params, selection):
    """Cached (SDR P5) context of one selection (convex.compiled; the cvxpy problem itself is cached by shape,
    sdr.get_problem)."""
    key = ("dfbs_context", params, tuple(int(i) for i in selection))
    return compiled(key, lambda: make_context(params, selection), limit=CONTEXT_LIMIT)


def sub_channels(params, selection):
    """(h, G) restricted to the selected antennas."""
    idx = np.asarray(selection)
    N = params.n_antennas
    return steering(params.user_angle_deg, N)[idx], steering(np.asarray(params.eve_angles_deg), N)[:, idx]


def fixed_design(params, selection, s2: float, rbar: float | None, *, check_unconstrained: bool = True,
                 unconstrained: SdpResult | None = None, unimodal: bool = True) -> FixedOutcome:
    """min over Gamma_e of (SDR P5) with u fixed to `selection`; rbar=None: no secrecy constraint.
    unimodal: the Gamma_e search skips evaluations that cannot change its result for a unimodal F (S2-D20)."""
    sel = np.asarray(selection)
    ctx = context_for(params, sel)
    h, G = sub_channels(params, sel)
    n0 = ctx.n_solves
    if unconstrained is not None and rbar is not None and split_meets(unconstrained.X, h, G, s2, rbar):
        # reference shortcut: the stored P-independent design without the secrecy constraint meets R-bar
        W, Rs = mrt_split(unconstrained.X, h)
        ge = float(np.max(metrics.eve_sinr(W, Rs, G, s2)))
        return FixedOutcome(sel, P5Solution(unconstrained, W, Rs, ge, True, "optimal(reference)", 0, True), 0)
    # a stored reference that fails R-bar means the constraint binds: go straight to the search
    check = check_unconstrained and unconstrained is None
    sol = solve_p31(ctx, h, G, params, s2, rbar, n_grid=params.n_gamma_grid, golden_steps=params.golden_steps,
                    n_eff=len(sel), check_unconstrained=check, unimodal=unimodal)
    return FixedOutcome(sel, sol, ctx.n_solves - n0)
