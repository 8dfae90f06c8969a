"""The corrected surrogate of the penalty SCA (docs/model.md): its subproblem is sca.subproblem, or with user-centric
clusters the sparse problem of the layout (sca_clustered.clustered_subproblem); a module of its own so that the
sparse problem, built on sca's, is below it."""

from __future__ import annotations

import numpy as np

from .closed_forms import NormalizedChannel
from .sca import decoupled_fixed_mode, eve_shape, subproblem
from .sca_clustered import clustered_subproblem
from .surrogate import Step


class CorrectedSurrogate:
    """The surrogate of docs/model.md (effective powers, linear budgets) for penalty.relaxed_sca: its point is
    (a, s, q) itself; one compiled subproblem per shape, a fresh solver state per run."""

    name = "corrected"
    combining = "noncoherent"
    uses_stop_when_binary = True

    def __init__(self, kind: str, ch: NormalizedChannel, params, options):
        if ch.serving is not None:  # user-centric clusters: the sparse problem of this layout (docs/model.md 1.23)
            self.sub = clustered_subproblem(kind, ch, params.ue_sinr_form)
        else:
            self.sub = subproblem(kind, params.M, params.K, params.L, params.ue_sinr_form, eve_shape(ch),
                                  pilots=ch.pilot is not None)
        self.sub.set_channel(ch, params.nu_lin, params.kappa)
        self.varsigma, self.options = params.varsigma, options
        self.decoupled = decoupled_fixed_mode(params.M, params.K, options.pinned_form_max_mk)

    def start(self, a, s, q):
        return (a, s, q), a, s, q

    def describe(self, point) -> dict:
        return {"a": point[0]}

    def step(self, point, a, s, q, t0: float, lam: float, fixed_a, it: int) -> Step:
        if fixed_a is not None and not self.decoupled:  # pinned fixed-mode step: a_lo = a_hi = modes
            a_lo = a_hi = np.asarray(fixed_a, dtype=float)
            self.sub.set_point(a, s, q, t0, lam, a_lo, a_hi, self.varsigma)
        else:
            a_lo, a_hi = np.zeros(a.shape[0]), np.ones(a.shape[0])
            self.sub.set_point(a, s, q, t0, lam, a_lo, a_hi, self.varsigma, fixed=fixed_a)
        st, sol, stime = self.sub.solve(self.options.solver, self.options.solver_eps)
        if sol is None:
            return Step(st, stime, failed=f"{st} (iteration {it})")
        a_new = np.asarray(fixed_a, dtype=float).copy() if fixed_a is not None else sol.a
        s_new, q_new = sol.s * (a_new > 0)[:, None], sol.q
        if fixed_a is not None and self.decoupled:  # the decoupled sensing powers of the C-APs are 0 as well
            q_new = q_new * (a_new <= 0)[:, None]
        return Step(st, stime, (a_new, s_new, q_new), a_new, s_new, q_new, sol.t)
