"""Closed-form re-check of a design against the constraints of its own problem (docs/model.md, feasibility re-check)."""

from __future__ import annotations

import numpy as np

from .closed_forms import design_eve_sinr
from .params import SystemParams


def constraint_margins(kind: str, a, s, q, metrics, params: SystemParams, serving=None) -> dict[str, float]:
    """Relative margins (>= 0 means satisfied) of every constraint of problem `kind` at a design.

    cp: Eve SINR <= nu, MASR >= kappa, budgets, binary modes; sp: UE SINR >= varsigma, MASR >= kappa, budgets,
    binary modes; baseline: Eve SINR <= nu and MASR >= kappa only (docs/deviations.md S1-O6: no enforcement, checked
    after).
    A switched-off constraint has no margin: "eve" is absent for nu = inf, "masr" for kappa = 0 (kappa_db = -inf).
    serving (K, C): user-centric clusters (docs/model.md 1.23); then "cluster" = -(largest s_mk outside them).
    """
    a = np.asarray(a, dtype=float)
    s = np.asarray(s, dtype=float)
    q = np.asarray(q, dtype=float)
    m = {}
    if params.masr_constraint:
        m["masr"] = float(np.min(metrics.masr) / params.kappa - 1.0)
    if kind in ("cp", "baseline") and params.eve_constraint:
        m["eve"] = float(1.0 - design_eve_sinr(metrics) / params.nu_lin)  # over the guarded positions (S1-P25, S1-P26)
    if kind == "sp":
        m["ue_qos"] = float(np.min(metrics.sinr_ue) / params.varsigma - 1.0)
    if kind in ("cp", "sp"):
        m["binary"] = float(-np.max(np.minimum(np.abs(a), np.abs(1.0 - a))))
        m["nonneg"] = float(min(np.min(s, initial=0.0), np.min(q, initial=0.0)))
        m["budget_c"] = float(np.min(a - s.sum(axis=1)))
        m["budget_s"] = float(np.min((1.0 - a) - q.sum(axis=1)))
    if serving is not None:
        from .clusters import outside_power

        m["cluster"] = -outside_power(s, serving)
    return m


def is_feasible(kind: str, a, s, q, metrics, params: SystemParams, tol: float, serving=None) -> bool:
    """True iff every margin of `constraint_margins` is >= -tol (relative; budgets are shares of 1)."""
    return all(v >= -tol for v in constraint_margins(kind, a, s, q, metrics, params, serving).values())
