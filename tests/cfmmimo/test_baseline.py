"""Baseline (docs/deviations.md S1-O6): CP's random 50/50 draw with Ngo-2017 equal power, no enforcement."""

import numpy as np

from secure_isac import seeds
from secure_isac.cfmmimo import channels, geometry
from secure_isac.cfmmimo import start as init
from secure_isac.cfmmimo.baseline import equal_power
from secure_isac.cfmmimo.closed_forms import evaluate, normalize, sinr_ue_paper_vars
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams


def _layout(seed, p):
    r = seeds.rng(seed, 0, "layout")
    return channels.large_scale_fading(geometry.draw_layout(p, r), p, r)


def test_equal_power_is_ngo_rule_in_paper_variables():
    """s = N gamma a eta^c with eta^c_mk = 1/(N sum_k' gamma_mk'), q = N (1-a) eta^s with eta^s = 1/(N L)."""
    p = SystemParams(M=8, K=3, L=2)
    ls = _layout(1, p)
    ch = normalize(ls, p)
    a = np.array([1, 0, 1, 1, 0, 0, 1, 0], dtype=np.int8)
    s, q = equal_power(a, ch)
    eta_c = np.repeat(1.0 / (p.N * ls.gamma.sum(axis=1, keepdims=True)), p.K, axis=1)
    np.testing.assert_allclose(s, p.N * ls.gamma * a[:, None] * eta_c, rtol=1e-12)
    np.testing.assert_allclose(q, p.N * (1 - a[:, None]) * np.full((8, 2), 1 / (p.N * p.L)), rtol=1e-12)
    # full power on every AP (budget met with equality)
    np.testing.assert_allclose(s.sum(axis=1) + q.sum(axis=1), 1.0)
    # closed forms in effective powers agree with the paper-variable form (9)
    np.testing.assert_allclose(evaluate(s, q, ch, p).sinr_ue,
                               sinr_ue_paper_vars(a, eta_c, np.full((8, 2), 1 / (p.N * p.L)), ls.beta,
                                                  ls.gamma, p.rho_norm, p.N), rtol=1e-10)


def test_baseline_uses_cps_draw_and_reports_feasibility():
    p = SystemParams(M=12, K=2, L=2)
    for seed in range(4):
        ls = _layout(seed, p)
        ch = normalize(ls, p)
        d = optimise("baseline", ls, p, seeds.rng(seed, 0, "baseline"))
        a_cp, *_ = init.cp_mode_draws(ch, p, seeds.rng(seed, 0, "cp"), SolverOptions())
        np.testing.assert_array_equal(d.ap_mode, a_cp)  # same stream as cp by construction
        s, q = equal_power(d.ap_mode, ch)
        np.testing.assert_array_equal(d.power_c, s)
        met = evaluate(s, q, ch, p)
        assert d.feasible == bool(np.max(met.sinr_eve) <= p.nu * (1 + 1e-4)
                                  and np.min(met.masr) >= p.kappa * (1 - 1e-4))
        np.testing.assert_allclose(d.metrics.secrecy_ue, met.secrecy_ue)
        assert len(d.trace) == 1
