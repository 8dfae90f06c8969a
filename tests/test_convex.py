"""secure_isac.convex: the one cache of compiled problems, solve() with its retry policy, and the guarded use of
cvxpy's private solver cache (a release outside the checked range falls back to cold solves)."""

from __future__ import annotations

import numpy as np
import pytest

from secure_isac import convex
from secure_isac.startup import cvx


class FakeProblem:
    """Stands in for a cvxpy Problem: answers each solve() from a script of outcomes and records the calls."""

    def __init__(self, script):
        self.script, self.calls = list(script), []
        self.status, self.solver_stats = None, None
        self._solver_cache = {"CLARABEL": object()}

    def solve(self, **kwargs):
        self.calls.append(kwargs)
        answer = self.script.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        self.status = answer


def test_compiled_cache_builds_once_and_bounds_a_family():
    convex.clear_compiled()
    built = []

    def build(i):
        built.append(i)
        return object()

    a = convex.compiled(("fam", 1), lambda: build(1))
    assert convex.compiled(("fam", 1), lambda: build(1)) is a and built == [1]
    for i in range(2, 5):
        convex.compiled(("fam", i), lambda i=i: build(i), limit=2)
    # the 4th entry found 3 > limit entries and emptied the family first: entry 1 is built again
    assert convex.compiled(("fam", 1), lambda: build(1)) is not a
    convex.compiled(("other", 1), lambda: build("x"))
    convex.clear_compiled()
    assert convex._COMPILED == {}


def test_solve_policy_retries_what_it_names_and_reports_the_last_attempt():
    attempts = [convex.Attempt("CLARABEL", {"tol": 1}, warm_start=True), convex.Attempt("SCS", warm_start=False)]
    # an error the policy names: the next attempt answers
    p = FakeProblem([cvx.SolverError("boom"), "optimal"])
    out = convex.solve(p, attempts, convex.Retry(errors=(cvx.SolverError,)))
    assert (out.status, out.error, out.attempt, out.ok) == ("optimal", None, 1, True)
    assert p.calls == [{"solver": "CLARABEL", "tol": 1, "warm_start": True}, {"solver": "SCS", "warm_start": False}]
    # a bad status is the answer unless the policy retries it; with forget, the solver state is dropped after it
    p = FakeProblem(["infeasible", "optimal"])
    assert convex.solve(p, attempts, convex.Retry()).status == "infeasible" and len(p.calls) == 1
    p = FakeProblem(["infeasible", "optimal"])
    out = convex.solve(p, attempts, convex.Retry(bad_status=True, forget=True))
    assert out.status == "optimal" and p._solver_cache == {}
    # every attempt raised: the last error, no status
    err = cvx.SolverError("again")
    out = convex.solve(FakeProblem([cvx.SolverError("x"), err]), attempts, convex.Retry(errors=(cvx.SolverError,)))
    assert out.status is None and out.error is err and out.attempt == 1 and not out.ok
    # an error the policy does not name propagates
    with pytest.raises(ZeroDivisionError):
        convex.solve(FakeProblem([ZeroDivisionError()]), attempts, convex.Retry(errors=(cvx.SolverError,)))
    with pytest.raises(ValueError, match="attempts"):
        convex.solve(FakeProblem([]), [], convex.Retry())


def test_unknown_cvxpy_release_touches_no_private_state_and_solves_cold(monkeypatch):
    assert convex.cvxpy_internals_known(), "the installed cvxpy is outside convex.CVXPY_KNOWN (pyproject's range)"
    p = FakeProblem(["optimal"])
    state = p._solver_cache
    monkeypatch.setattr(convex, "cvxpy_internals_known", lambda: False)
    assert convex.forget_solver_state(p) is False and p._solver_cache is state and state
    convex.solve(p, [convex.Attempt("CLARABEL", warm_start=True)], convex.Retry())
    assert p.calls == [{"solver": "CLARABEL", "warm_start": False}]
    monkeypatch.undo()
    assert convex.forget_solver_state(p) is True and p._solver_cache == {}
    assert convex._release("1.9.3") == (1, 9) and convex._release("1.10.0rc1") == (1, 10)


def test_cold_fallback_gives_the_same_solution_as_a_cleared_warm_start(monkeypatch):
    """The fallback (every attempt cold) depends only on the data, as the cleared warm start does: same numbers."""
    x = cvx.Variable(3)
    c = cvx.Parameter(3)
    problem = cvx.Problem(cvx.Minimize(c @ x + cvx.sum_squares(x)), [x >= -1, cvx.sum(x) == 1])
    answers = []
    for known in (True, False):
        monkeypatch.setattr(convex, "cvxpy_internals_known", lambda known=known: known)
        for values in ([1.0, -2.0, 0.5], [0.3, 0.1, -0.4]):
            c.value = np.array(values)
            convex.forget_solver_state(problem)
            out = convex.solve(problem, [convex.Attempt("CLARABEL", warm_start=True)], convex.Retry())
            assert out.ok
            answers.append(x.value.copy())
    np.testing.assert_array_equal(np.array(answers[:2]), np.array(answers[2:]))


def test_clarabel_fast_path_is_off_on_an_unknown_release(monkeypatch):
    from secure_isac.cfmmimo import clarabel_fast

    monkeypatch.setattr(clarabel_fast, "cvxpy_internals_known", lambda: False)
    x = cvx.Variable(2)
    c = cvx.Parameter(2)
    path = clarabel_fast.ClarabelFastPath(cvx.Problem(cvx.Minimize(c @ x), [x >= 0, cvx.sum(x) <= 1]), {"x": x},
                                          {"c": c})
    assert path.compile({"c": np.array([1.0, 2.0])}) is False and path.solve({"c": np.ones(2)}, 1e-8) is None
