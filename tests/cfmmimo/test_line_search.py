"""The line search of the clustered fixed-mode repair (line_search.extend_step, docs/deviations.md S1-O32): it only
accepts exactly feasible points with a better objective, it leaves the paper's model untouched, and it reaches the
optimum of the repair (the SCA run to a tight tolerance) at least as closely as the plain repair, in fewer steps."""

import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo import channels, clusters, geometry, line_search
from secure_isac.cfmmimo import start as init
from secure_isac.cfmmimo.baseline import equal_power
from secure_isac.cfmmimo.closed_forms import evaluate, normalize
from secure_isac.cfmmimo.feasibility import constraint_margins, is_feasible
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.cfmmimo.penalty import objective_t, relaxed_sca
from secure_isac.cfmmimo.repair import fixed_mode_power, project, round_modes

TIGHT = SolverOptions(repair_max_iter=3000, rel_tol=1e-9, rate_tol=0.0)


def _rounded(seed, kind="cp", M=24, K=4, L=2, C=3):
    """A clustered layout and the rounded, projected point of its penalty SCA (the repair's start)."""
    p = SystemParams(M=M, K=K, L=L, cluster_size=C, N=8)
    r = seeds.rng(seed, 0, "layout")
    ls = channels.large_scale_fading(geometry.draw_layout(p, r), p, r)
    ch = normalize(ls, p)
    o = SolverOptions()
    st = init.feasible_start(kind, ch, p, seeds.rng(seed, 0, kind), o)
    assert st.ok
    rel = relaxed_sca(kind, ch, p, st.a, st.s, st.q, o)
    a_bin, _ = round_modes(rel.a, rel.s, rel.q)
    a_bin = clusters.serve_every_ue(a_bin, ch.serving, weight=rel.s)
    return p, ch, a_bin, *project(a_bin, rel.s, rel.q)


def _repair(kind, ch, p, a, s, q, options, line_search_on):
    its = []
    res = relaxed_sca(kind, ch, p, a.astype(float), s + 1e-9, q, options, fixed_a=a, phase="repair",
                      line_search=line_search_on, iterates=its)
    return res, its


@pytest.mark.parametrize("seed", [0, 1, 3])
def test_line_search_reaches_the_repair_optimum_in_fewer_steps(seed):
    """CP repair on layouts whose plain repair crawls (linear rate near 1): with the line search, at least the plain
    repair's objective (to 1e-4, the stopping tolerance) in fewer SCA steps, and within 1 % of the SCA run to a
    tight tolerance (rel_tol 1e-9, up to 3000 steps: the repair's optimum)."""
    p, ch, a, s, q = _rounded(seed)
    plain, _ = _repair("cp", ch, p, a, s, q, SolverOptions(), False)
    fast, _ = _repair("cp", ch, p, a, s, q, SolverOptions(), True)
    tight, _ = _repair("cp", ch, p, a, s, q, TIGHT, False)
    t_plain, t_fast, t_opt = (r.trace.objective[-1] for r in (plain, fast, tight))
    assert len(fast.trace) < len(plain.trace), (len(fast.trace), len(plain.trace))
    assert t_fast >= t_plain * (1 - 1e-4), (t_fast, t_plain)
    assert t_opt * (1 - 1e-2) <= t_fast <= t_opt * (1 + 1e-6), (t_fast, t_opt)
    assert fast.converged


@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_line_search_iterates_are_feasible_and_monotone(kind):
    """Every iterate of a clustered repair with the line search meets every exact constraint (margins of
    feasibility.constraint_margins, the zero pattern of the clusters included) to 1e-6 and improves the exact
    objective (min UE SINR for CP, max Eve SINR for SP) monotonically."""
    p, ch, a, s, q = _rounded(1, kind)
    res, its = _repair(kind, ch, p, a, s, q, SolverOptions(), True)
    assert len(its) > 3
    sign = 1.0 if kind == "cp" else -1.0
    t_prev = -np.inf
    for it in its[1:]:
        met = evaluate(it["s"], it["q"], ch, p)
        m = constraint_margins(kind, a, it["s"], it["q"], met, p, ch.serving)
        assert min(m.values()) >= -1e-6, m
        t = sign * objective_t(kind, met)
        assert t >= t_prev - 1e-9 * abs(t)
        t_prev = t


def _check_extension(ch, p, a, s1, q1, s2, q2, t2, ext):
    s_x, q_x, met, beta = ext
    assert beta in (0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)
    np.testing.assert_allclose(s_x, np.maximum(s2 + beta * (s2 - s1), 0.0))
    np.testing.assert_allclose(q_x, np.maximum(q2 + beta * (q2 - q1), 0.0))
    assert objective_t("cp", met) > t2
    assert is_feasible("cp", a, s_x, q_x, met, p, line_search.MARGIN_TOL, serving=ch.serving)


def test_extend_step_accepts_only_better_feasible_points():
    """extend_step from two iterates of the plain repair: the point it returns is (s, q) + beta (step) with beta a
    power of two, exactly feasible, with the zero pattern, and better than the last iterate; a step that leads out of
    the budgets (here: the comm powers doubled at once) gives None."""
    p, ch, a, s, q = _rounded(3)
    _, its = _repair("cp", ch, p, a, s, q, SolverOptions(repair_max_iter=20, rate_tol=0.0, rel_tol=1e-9), False)
    found = 0
    for prev, cur in zip(its[1:-1], its[2:], strict=True):  # consecutive iterates of the plain repair
        s1, q1, s2, q2 = prev["s"], prev["q"], cur["s"], cur["q"]
        t2 = objective_t("cp", evaluate(s2, q2, ch, p))
        ext = line_search.extend_step("cp", ch, p, a, s1, q1, s2, q2, t2)
        if ext is None:
            continue
        found += 1
        _check_extension(ch, p, a, s1, q1, s2, q2, t2, ext)
    assert found >= 5, found
    # a C-AP at its full budget: any step that raises its load leaves the budget
    full = s2 / max(s2.sum(axis=1).max(), 1e-300)
    assert line_search.extend_step("cp", ch, p, a, 0.5 * full, q2, full, q2,
                                   objective_t("cp", evaluate(full, q2, ch, p))) is None


@pytest.mark.parametrize(("kind", "clustered", "called"),
                         [("cp", False, False), ("sp", True, False), ("cp", True, True)])
def test_line_search_only_in_the_clustered_cp_repair(monkeypatch, kind, clustered, called):
    """The repair calls the line search for CP with clusters only: the paper's model (cluster_size null) stays bit for
    bit, and SP's repair (whose UE rows are not linear in (s, q)) is unchanged."""
    calls = []

    def record(*args, **kw):
        calls.append(1)
        return None  # no extension: the plain step

    monkeypatch.setattr("secure_isac.cfmmimo.penalty.extend_step", record)
    p = SystemParams(M=12, K=3, L=2, cluster_size=3 if clustered else None)
    r = seeds.rng(3, 0, "layout")
    ch = normalize(channels.large_scale_fading(geometry.draw_layout(p, r), p, r), p)
    a = np.array([1, 0] * 6, dtype=np.int8)
    if clustered:
        a = clusters.serve_every_ue(a, ch.serving)
    s, q = equal_power(a, ch)
    rep = fixed_mode_power(kind, ch, p, a, s, q, SolverOptions(repair_max_iter=5))
    assert len(rep.trace) > 2
    assert bool(calls) == called
