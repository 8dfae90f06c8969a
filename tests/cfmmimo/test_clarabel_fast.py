"""Study 1 at scale: compilation of the SCA subproblems (clarabel_fast.compile_problem / format_cone_rows, the per-UE
cx Parameters of sca._Subproblem) gives cvxpy's own conic data entry for entry; the decoupled form
(docs/deviations.md S1-O13: decoupled fixed-mode step, no u >= 0 rows) solves the same subproblems; the start's
draws."""

import cvxpy as cvx
import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo import channels, geometry, sca
from secure_isac.cfmmimo import start as init
from secure_isac.cfmmimo.clarabel_fast import compile_problem, format_cone_rows, same_reduced_map
from secure_isac.cfmmimo.closed_forms import evaluate, normalize
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.cfmmimo.penalty import objective_t, relaxed_sca
from secure_isac.cfmmimo.solvers import clear_compiled


def _random_values(sub, seed=0):
    rng = np.random.default_rng(seed)
    return {name: rng.random(p.shape) + 0.1 for name, p in sub.P.items()}


def _cone_program(problem):
    """cvxpy's cone program before the solver's formatting, and the solver reduction."""
    chain = problem._construct_chain(solver=cvx.CLARABEL)
    prog = problem
    for red in chain.reductions[:-1]:
        prog, _ = red.apply(prog)
    return prog, chain.solver


@pytest.mark.parametrize("kind", ["cp", "sp"])
@pytest.mark.parametrize("form", ["corrected", "printed"])
@pytest.mark.parametrize("shape", [(6, 2, 2), (12, 3, 3), (32, 4, 2)])
def test_format_cone_rows_equals_cvxpy_formatting(kind, form, shape):
    """The O(nnz) row ordering gives cvxpy's ConicSolver.format_constraints map exactly (values, pattern, and the
    order of the terms of every entry), hence the same problem data bit for bit."""
    sub = sca._Subproblem(kind, *shape, form)
    for name, value in _random_values(sub).items():
        sub.P[name].value = value
    prog, solver = _cone_program(sub.problem)
    ours = format_cone_rows(prog)
    ref = solver.format_constraints(prog, solver.EXP_CONE_ORDER)
    assert same_reduced_map(ours, ref)
    c1, d1, A1, b1 = ours.apply_parameters()
    c2, d2, A2, b2 = ref.apply_parameters()
    assert np.array_equal(c1, c2) and d1 == d2 and np.array_equal(b1, b2)
    assert (A1 != A2).nnz == 0 and np.array_equal(A1.indices, A2.indices) and np.array_equal(A1.indptr, A2.indptr)
    assert ours.cone_dims.soc == ref.cone_dims.soc and ours.cone_dims.nonneg == ref.cone_dims.nonneg


def test_format_cone_rows_with_equality_rows():
    """Zero (equality) rows are negated as cvxpy does; a cone with scalar X (axis 0) is interleaved."""
    x = cvx.Variable(3)
    y = cvx.Variable()
    p1, p2 = cvx.Parameter(3), cvx.Parameter(nonneg=True)
    cons = [cvx.multiply(p1, x) == 1, x >= -p2, cvx.SOC(y + 2, x[0] - p2), cvx.SOC(p2 * y + 3, x, axis=0)]
    problem = cvx.Problem(cvx.Minimize(cvx.sum(x) + y), cons)
    p1.value, p2.value = np.array([1.0, -2.0, 0.5]), 0.3
    prog, solver = _cone_program(problem)
    assert same_reduced_map(format_cone_rows(prog), solver.format_constraints(prog, solver.EXP_CONE_ORDER))


def test_compile_problem_feeds_cvxpy_cache():
    """compile_problem checks itself against cvxpy's formatting (small problems) and leaves its compiled program in
    the problem's cvxpy cache: problem.solve and get_problem_data re-use it and give cvxpy's own data."""
    sub = sca._Subproblem("cp", 8, 2, 2, "corrected")
    for name, value in _random_values(sub).items():
        sub.P[name].value = value
    data = compile_problem(sub.problem, check=True)
    cached = sub.problem._cache.param_prog
    assert cached is data[cvx.settings.PARAM_PROB]
    again, _, _ = sub.problem.get_problem_data(cvx.CLARABEL)
    assert sub.problem._cache.param_prog is cached  # no recompilation
    fresh = sca._Subproblem("cp", 8, 2, 2, "corrected")
    for name, value in _random_values(sub).items():
        fresh.P[name].value = value
    ref, _, _ = fresh.problem.get_problem_data(cvx.CLARABEL)  # cvxpy's own compilation
    assert np.array_equal(again[cvx.settings.C], ref[cvx.settings.C])
    assert np.array_equal(again[cvx.settings.B], ref[cvx.settings.B])
    assert (again[cvx.settings.A] != ref[cvx.settings.A]).nnz == 0


def test_fast_path_falls_back_to_cvxpy_compilation(monkeypatch):
    """If the own formatting fails (changed cvxpy internals), compile uses cvxpy's get_problem_data and the fast
    path stays available."""
    from secure_isac.cfmmimo import clarabel_fast

    def broken(prog):
        raise AttributeError("ParamConeProg changed")

    monkeypatch.setattr(clarabel_fast, "format_cone_rows", broken)
    sub = sca._Subproblem("sp", 8, 2, 2, "corrected")
    assert sub.fast.compile(_random_values(sub)) is True


def test_per_ue_parameter_columns_give_the_same_data():
    """x_k(u) written with one Parameter column per UE (sca._Subproblem) has the conic data of
    sum(multiply(C, u), axis=0), the form cvxpy compiles in O((M K)^2)."""
    M, K = 7, 3
    rng = np.random.default_rng(2)
    C = rng.random((M, K))

    def data(split):
        u = cvx.Variable((M, K))
        t = cvx.Variable()
        if split:
            cols = [cvx.Parameter(M, nonneg=True) for _ in range(K)]
            for k in range(K):
                cols[k].value = C[:, k]
            lin = cvx.hstack([cols[k] @ u[:, k] for k in range(K)])
        else:
            P = cvx.Parameter((M, K), nonneg=True, value=C)
            lin = cvx.sum(cvx.multiply(P, u), axis=0)
        problem = cvx.Problem(cvx.Maximize(t), [u >= 0, cvx.sum(u) <= 1, lin >= t])
        d, _, _ = problem.get_problem_data(cvx.CLARABEL)
        return d

    d1, d2 = data(True), data(False)
    for key in (cvx.settings.C, cvx.settings.B):
        assert np.array_equal(d1[key], d2[key])
    A1, A2 = d1[cvx.settings.A], d2[cvx.settings.A]
    assert (A1 != A2).nnz == 0 and np.array_equal(A1.indices, A2.indices) and np.array_equal(A1.indptr, A2.indptr)


def _instance(M, K, seed, **kw):
    p = SystemParams(M=M, K=K, L=2, **kw)
    r = seeds.rng(seed, 0, "layout")
    ls = channels.large_scale_fading(geometry.draw_layout(p, r), p, r)
    return p, normalize(ls, p)


@pytest.mark.parametrize("kind", ["cp", "sp"])
@pytest.mark.parametrize("form", ["corrected", "printed"])
@pytest.mark.parametrize("u_rows", [True, False])
def test_decoupled_fixed_mode_step_solves_the_fixed_mode_subproblem(kind, form, u_rows, seed=2):
    """The fixed-mode step (set_point(fixed=a)) solves the subproblem with a_lo = a_hi = a: the same optimal t as
    that pinned form asked for 1e-11 (it stops at reduced accuracy, ~1e-7 relative) and a point that meets the
    exact constraints, in well under 60 % of the interior-point iterations of the pinned form at the default
    accuracy."""
    p, ch = _instance(12, 3, seed, ue_sinr_form=form)
    st = init.feasible_start(kind, ch, p, seeds.rng(seed, 0, kind), SolverOptions())
    assert st.ok
    a = st.a_draw.astype(float)
    s0, q0 = st.s * a[:, None], st.q * (1 - a)[:, None]
    sub = sca._Subproblem(kind, 12, 3, 2, form, u_rows=u_rows)
    sub.set_channel(ch, p.nu, p.kappa)
    t0 = objective_t(kind, evaluate(s0, q0, ch, p))
    ref_sub = sca.subproblem(kind, 12, 3, 2, form)  # pinned, with the u >= 0 rows (the earlier form)
    assert ref_sub.u_rows
    ref_sub.set_channel(ch, p.nu, p.kappa)
    ref_sub.set_point(a, s0, q0, t0, 0.0, a, a, p.varsigma)
    _, ref, _ = ref_sub.solve("CLARABEL", 1e-11)
    sub.fast.reset()
    sub.set_point(a, s0, q0, t0, 0.0, a, a, p.varsigma)
    _, pinned, _ = sub.solve("CLARABEL", None)
    it_pinned = sub.fast.last_iterations
    sub.fast.reset()
    sub.set_point(a, s0, q0, t0, 0.0, None, None, p.varsigma, fixed=a)
    status, new, _ = sub.solve("CLARABEL", None)
    assert status == "optimal" and ref is not None and new is not None and pinned is not None
    assert sub.fast.last_iterations < 0.6 * it_pinned
    np.testing.assert_allclose(new.t, ref.t, rtol=2e-6)
    # the new point (decoupled variables set to 0) meets the exact constraints of the fixed-mode problem
    s1, q1 = new.s * a[:, None], new.q * (1 - a)[:, None]
    met = evaluate(s1, q1, ch, p)
    assert np.all(s1.sum(axis=1) <= a + 1e-7) and np.all(q1.sum(axis=1) <= 1 - a + 1e-7)
    assert np.all(met.masr >= p.kappa * (1 - 1e-6))
    if kind == "cp":
        assert np.all(met.sinr_eve <= p.nu * (1 + 1e-6)) and np.min(met.sinr_ue) >= new.t * (1 - 1e-6)
    else:
        assert np.min(met.sinr_ue) >= p.varsigma * (1 - 1e-6) and np.max(met.sinr_eve) <= new.t * (1 + 1e-6)
    with pytest.raises(ValueError, match="lam"):
        sub.set_point(a, s0, q0, t0, 0.5, None, None, p.varsigma, fixed=a)


@pytest.mark.parametrize("kind", ["cp", "sp"])
@pytest.mark.parametrize("form", ["corrected", "printed"])
def test_penalty_step_without_u_rows_has_the_same_solution(kind, form, seed=3):
    """Without the (implied) u >= 0 rows a penalty step has the same optimal t and the same effective powers."""
    p, ch = _instance(12, 3, seed, ue_sinr_form=form)
    st = init.feasible_start(kind, ch, p, seeds.rng(seed, 0, kind), SolverOptions())
    assert st.ok
    t0 = objective_t(kind, evaluate(st.s, st.q, ch, p))
    sols = []
    for u_rows in (True, False):
        sub = sca._Subproblem(kind, 12, 3, 2, form, u_rows=u_rows)
        sub.set_channel(ch, p.nu, p.kappa)
        sub.set_point(st.a, st.s, st.q, t0, 0.5 * t0, np.zeros(12), np.ones(12), p.varsigma)
        status, sol, _ = sub.solve("CLARABEL", None)
        assert status == "optimal"
        sols.append(sol)
    np.testing.assert_allclose(sols[1].t, sols[0].t, rtol=1e-6)
    # the powers of a step need not be unique; the closed-form objective at the new points agrees
    obj = [objective_t(kind, evaluate(x.s, x.q, ch, p)) for x in sols]
    np.testing.assert_allclose(obj[1], obj[0], rtol=1e-5)
    np.testing.assert_allclose(sols[1].s, sols[0].s, atol=1e-3 * sols[0].s.max())


def test_u_rows_kept_at_every_configured_size():
    """The paper size, the K and M sweeps of config/config.yaml and the toy configuration keep the u >= 0 rows (and
    so their penalty paths, S1-O13 (ii))."""
    for M, K in [(32, 4), (10, 2), (16, 4), (64, 4), (32, 2), (32, 8)]:
        assert not sca.large_form(M, K)
        assert sca.subproblem("cp", M, K, 2).u_rows
    for M, K in [(64, 8), (128, 16), (256, 32)]:
        assert sca.large_form(M, K)
    assert not sca.subproblem("cp", 64, 8, 2).u_rows


def test_decoupled_fixed_mode_up_from_its_key():
    """The decoupled fixed-mode step everywhere by default (S1-O13 (i)); SolverOptions.pinned_form_max_mk keeps the
    pinned step (a_lo = a_hi = modes) up to that M K, and the surrogate follows it."""
    from secure_isac.cfmmimo.corrected import CorrectedSurrogate

    for M, K in [(32, 4), (10, 2), (64, 8), (256, 32)]:
        assert sca.decoupled_fixed_mode(M, K, SolverOptions().pinned_form_max_mk)
        assert sca.decoupled_fixed_mode(M, K, 256) is (M * K > 256)
    p, ch = _instance(10, 2, 4)
    for pinned_max, decoupled in ((0, True), (20, False), (19, True)):
        sur = CorrectedSurrogate("cp", ch, p, SolverOptions(pinned_form_max_mk=pinned_max))
        assert sur.decoupled is decoupled and sur.sub.u_rows
    with pytest.raises(ValueError, match="pinned_form_max_mk"):
        SolverOptions(pinned_form_max_mk=-1)


@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_fixed_mode_run_keeps_modes_and_zeroes_the_other_mode(kind):
    p, ch = _instance(10, 2, 4)
    st = init.feasible_start(kind, ch, p, seeds.rng(4, 0, kind), SolverOptions())
    res = relaxed_sca(kind, ch, p, st.a, st.s, st.q, SolverOptions(), fixed_a=st.a_draw, max_iter=10)
    a = st.a_draw
    assert np.array_equal(res.a, a.astype(float))
    assert np.all(res.s[a == 0] == 0) and np.all(res.q[a == 1] == 0)


@pytest.mark.parametrize("pinned_max", [0, 10**6])
def test_results_do_not_depend_on_compiled_problem_reuse(pinned_max):
    """A design is the same in a fresh process state and after other designs of the same shape (fresh solver,
    every parameter set per step, also after fixed-mode steps of either form)."""
    from secure_isac.cfmmimo.design import optimise

    p = SystemParams(M=10, N=4, K=2, L=2, side_m=300.0)
    o = SolverOptions(max_iter=12, repair_max_iter=8, max_draws=50, pinned_form_max_mk=pinned_max)

    def design(i, scheme):
        r = seeds.rng(11, i, "layout")
        ls = channels.large_scale_fading(geometry.draw_layout(p, r), p, r)
        return optimise(scheme, ls, p, seeds.rng(11, i, scheme), o)

    clear_compiled()
    first = design(1, "sp")
    for i in (0, 2):
        design(i, "cp")
        design(i, "sp")
    again = design(1, "sp")
    assert np.array_equal(first.power_c, again.power_c) and np.array_equal(first.power_s, again.power_s)


@pytest.mark.parametrize("kappa_db", [2.0, 14.0])
def test_mode_draws_test_the_same_metrics_as_evaluate(kappa_db):
    """cp_mode_draws computes only Eve SINR and MASR of the 61 scalings (the functions `evaluate` uses): the same
    draw, scaling and first draw as the test on the full metrics, also when no draw passes."""
    from secure_isac.cfmmimo.baseline import equal_power

    p, ch = _instance(16, 2, 7, kappa_db=kappa_db)
    o = SolverOptions(max_draws=40)

    def reference(rng):
        first = None
        for _ in range(o.max_draws):
            a = init.draw_modes(16, rng)
            first = a if first is None else first
            s, q = equal_power(a, ch)
            met = evaluate(init.C_GRID[:, None, None] * s, q, ch, p)
            ok = (np.max(met.sinr_eve, axis=-1) <= p.nu) & (np.min(met.masr, axis=-1) >= p.kappa)
            if ok.any():
                return a, init.C_GRID[int(np.argmax(ok))] * s, q, first
        return None, None, None, first

    for i in range(5):
        got = init.cp_mode_draws(ch, p, seeds.rng(3, i, "cp"), o)
        ref = reference(seeds.rng(3, i, "cp"))
        for x, y in zip(got, ref, strict=True):
            assert (x is None and y is None) or np.array_equal(x, y)
