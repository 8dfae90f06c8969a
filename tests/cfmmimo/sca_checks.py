"""Checks shared by the SCA subproblem tests (test_sca.py, test_pilot_contamination.py): imported by name, pytest's
default import mode puts this folder on sys.path."""

import numpy as np

from secure_isac.cfmmimo.closed_forms import evaluate


def check_iterate(kind, p, ch, sol, tol=1e-6):
    """The exact constraints at a subproblem solution, re-evaluated with the closed forms (closed_forms.evaluate, the
    contaminated forms when ch has shared pilots): budgets, MASR >= kappa, and SINR_k >= t with Eve SINR <= nu (CP)
    or SINR_k >= varsigma with Eve SINR <= t (SP); returns the metrics."""
    met = evaluate(sol.s, sol.q, ch, p)
    assert np.all(sol.s.sum(axis=1) <= sol.a + tol)
    assert np.all(sol.q.sum(axis=1) <= 1 - sol.a + tol)
    assert np.all(met.masr >= p.kappa * (1 - tol))
    if kind == "cp":
        assert np.all(met.sinr_eve <= p.nu * (1 + tol))
        assert np.min(met.sinr_ue) >= sol.t * (1 - tol)
    else:
        assert np.min(met.sinr_ue) >= p.varsigma * (1 - tol)
        assert np.max(met.sinr_eve) <= sol.t * (1 + tol)
    return met
