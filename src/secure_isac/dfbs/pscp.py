"""P-SCP outer loop (eqs. (14)-(19), Algorithm 1) on the antenna allocation u."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .p5 import make_context, solve_p31


@dataclass
class PscpResult:
    """Relaxed u at exit, the binarised selection and the per-iteration trace."""

    u: np.ndarray
    selection: np.ndarray
    objective: list = field(default_factory=list)       # L + eta g(u), true penalty (16)
    binary_distance: list = field(default_factory=list)  # g(u)
    iterates: list = field(default_factory=list)         # relaxed X of every iteration (reference check)
    n_iter: int = 0
    converged: bool = False
    feasible: bool = True
    status: str = "optimal"
    n_sdp: int = 0
    # converged (eps rule) | stalled (pscp_stall_tol) | decided (pscp_decided_margin) | infeasible | max_iter
    stop_reason: str = "max_iter"


def penalty(u: np.ndarray) -> float:
    """g(u) = sum(u - u^2), eq. (16)."""
    return float(np.sum(u - u * u))


def linear_penalty_coeff(u_prev: np.ndarray, eta: float) -> np.ndarray:
    """Coefficients eta(1 - 2u^(i)) of the linearised penalty g_hat, eq. (18) (constant dropped)."""
    return eta * (1.0 - 2.0 * u_prev)


def round_selection(u: np.ndarray, n_rf: int) -> np.ndarray:
    """Indices of the N_RF largest u_n (S2-A12), sorted."""
    order = np.argsort(-np.round(u, 9), kind="stable")
    return np.sort(order[:n_rf])


def is_stalled(u: np.ndarray, u_prev: np.ndarray, n_rf: int, tol: float) -> bool:
    """True if max|u^(i+1) - u^(i)| <= tol and the rounded selection (S2-A12) is unchanged (stationary stop)."""
    return bool(np.max(np.abs(u - u_prev)) <= tol
                and np.array_equal(round_selection(u, n_rf), round_selection(u_prev, n_rf)))


def rounding_margin(u: np.ndarray, n_rf: int) -> float:
    """u_(N_RF) - u_(N_RF+1) of the sorted u: how far the rounded selection (S2-A12) lies from its nearest change
    (1 at a binary u, 0 at a tie; 1 when every antenna is selected)."""
    if n_rf >= u.size:
        return 1.0
    s = np.sort(np.asarray(u, float))[::-1]
    return float(s[n_rf - 1] - s[n_rf])


def is_decided(u: np.ndarray, u_prev: np.ndarray, n_rf: int, margin: float) -> bool:
    """True if two consecutive iterates round to the same selection, each with a rounding margin of at least
    `margin` (> 0): the decided-selection stop (docs/deviations.md S2-D21)."""
    return bool(margin > 0 and rounding_margin(u, n_rf) >= margin and rounding_margin(u_prev, n_rf) >= margin
                and np.array_equal(round_selection(u, n_rf), round_selection(u_prev, n_rf)))


def run_pscp(params, s2: float, rbar: float | None, u_start: np.ndarray, *, check_unconstrained: bool = True,
             tracking: bool | None = None, stall_tol: float | None = None, decided_margin: float | None = None,
             ctx=None, unimodal: bool = True) -> PscpResult:
    """Penalised SCP with eta <- min(rho eta, eta_max) from u^(0) = u_start (S2-A12, S2-A13: u joint in each SDR).

    tracking (default params.pscp_gamma_tracking): once the secrecy constraint binds, later iterations search
    Gamma_e locally around the previous Gamma_e* and skip the inactive-constraint check.
    stall_tol (default params.pscp_stall_tol; 0 = the plain stopping rule only): at eta = eta_max, stop when u
    and the objective are stationary although g(u) > eps_bin (see docs/deviations.md).
    decided_margin (default params.pscp_decided_margin; 0 = off): stop once two consecutive iterates round to the
    same selection with at least this margin (`is_decided`, S2-D21).
    unimodal: the Gamma_e searches skip evaluations that cannot change their result for a unimodal F (S2-D20).
    """
    tracking = params.pscp_gamma_tracking if tracking is None else tracking
    stall_tol = params.pscp_stall_tol if stall_tol is None else float(stall_tol)
    decided_margin = params.pscp_decided_margin if decided_margin is None else float(decided_margin)
    ctx = make_context(params, relaxed=True) if ctx is None else ctx
    from .array import eve_channels, user_channel

    h, G = user_channel(params), eve_channels(params)
    u_prev = np.asarray(u_start, float).copy()
    eta = params.eta0
    res = PscpResult(u=u_prev, selection=round_selection(u_prev, params.n_rf))
    obj_prev = None
    n0 = ctx.n_solves
    hint = None
    for it in range(params.max_iter):
        c = linear_penalty_coeff(u_prev, eta)
        sol = solve_p31(ctx, h, G, params, s2, rbar, pen=c, n_grid=params.n_gamma_grid_pscp,
                        golden_steps=max(4, params.golden_steps // 2), n_eff=params.n_antennas,
                        check_unconstrained=check_unconstrained and hint is None, gamma_hint=hint,
                        unimodal=unimodal)
        if tracking and rbar is not None and sol.feasible and not sol.unconstrained:
            hint = sol.gamma_e
        if not sol.feasible:
            # keep the last feasible iterate (or the start); the final fixed-selection solve decides feasibility
            res.feasible = False
            res.status = sol.status
            res.stop_reason = "infeasible"
            break
        u = sol.result.u
        L = sol.result.objective - float(c @ u)
        g = penalty(u)
        obj = L + eta * g
        res.objective.append(obj)
        res.binary_distance.append(g)
        res.iterates.append(sol.result.X)
        res.n_iter = it + 1
        u_old, u_prev = u_prev, u
        if obj_prev is not None and abs(obj - obj_prev) <= params.eps_obj * abs(obj_prev):
            if g <= params.eps_bin:
                res.converged = True
                res.stop_reason = "converged"
                break
            # eta fixed at eta_max and u^(i+1) = u^(i) up to solver noise: every later iteration re-solves the
            # same SDP, so running on to I_max cannot change the rounded selection (S2-A12) or the re-solve (S2-A17)
            if stall_tol > 0 and eta >= params.eta_max and is_stalled(u, u_old, params.n_rf, stall_tol):
                res.stop_reason = "stalled"
                break
        # the design is the fixed-selection re-solve of the rounded u (S2-A17): once the rounding is decided with a
        # wide margin, the remaining iterations (eta still doubling towards eta_max) only push u further towards
        # that selection (S2-D21). it > 0: the start itself (binary for no_aa) is not an iterate
        if it > 0 and is_decided(u, u_old, params.n_rf, decided_margin):
            res.stop_reason = "decided"
            break
        obj_prev = obj
        eta = min(params.rho * eta, params.eta_max)
    res.u = u_prev
    res.selection = round_selection(u_prev, params.n_rf)
    res.n_sdp = ctx.n_solves - n0
    return res
