"""Compiled convex problems of both studies: the one cache of built problems, the one `solve` (with the retry policy
each caller states), and the one place that reaches into cvxpy's private state (guarded by a version check).

Problems are DPP (built once per shape with cvxpy Parameters, re-solved with new values) and live in `compiled`'s
cache for the life of the process. A design must depend only on its own inputs, never on what the process solved
before (docs/deviations.md S1-O9, S2-D17): `forget_solver_state` drops cvxpy's solver object of a problem before a
run, and the callers solve cold where cvxpy would warm-start from an earlier solve.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import TypeVar

OK_STATUSES = ("optimal", "optimal_inaccurate")  # cvxpy.OPTIMAL, cvxpy.OPTIMAL_INACCURATE
# cvxpy's warning for a solve that ended at reduced accuracy: the status (optimal_inaccurate) records it instead
INACCURATE_WARNING = "Solution may be inaccurate"

T = TypeVar("T")
_COMPILED: dict[str, dict[tuple, object]] = {}  # family (key[0]) -> {key: built object}


def compiled(key: tuple, build: Callable[[], T], *, limit: int | None = None) -> T:
    """The object cached under `key` (a tuple whose first entry names its family, e.g. ("sca", kind, M, K, L,
    form) or ("sdr", ...)), built by `build()` on first use. limit: when a new entry would join a family already
    holding more than `limit` entries, the family is emptied first (caches keyed by data, e.g. study 2's
    per-selection contexts)."""
    family = _COMPILED.setdefault(str(key[0]), {})
    obj = family.get(key)
    if obj is None:
        if limit is not None and len(family) > limit:
            family.clear()
        obj = family[key] = build()
    return obj  # type: ignore[return-value]


def clear_compiled() -> None:
    """Forget every compiled problem (tests use it to start from a fresh process state)."""
    _COMPILED.clear()


# cvxpy releases whose private solver cache (Problem._solver_cache, a dict of solver objects kept between solves)
# this module clears; the lower bound and the exclusive upper bound follow pyproject.toml's cvxpy range
CVXPY_KNOWN = ((1, 5), (1, 10))


def _release(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split(".")[:2]:
        digits = "".join(c for c in part if c.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


@cache
def cvxpy_internals_known() -> bool:
    """True if the installed cvxpy is a release whose private solver cache this module knows (CVXPY_KNOWN)."""
    try:
        release = _release(version("cvxpy"))
    except PackageNotFoundError:
        return False
    return CVXPY_KNOWN[0] <= release < CVXPY_KNOWN[1]


def forget_solver_state(problem) -> bool:
    """Drop cvxpy's solver object of `problem` (kept between solves for warm starts), so that the next solve depends
    only on its own data; True if done. On a cvxpy release outside CVXPY_KNOWN, or one without that dict, nothing
    private is touched and False is returned: `solve` then makes every attempt cold (warm_start=False), which
    depends only on the data as well, at some cost in speed."""
    state = getattr(problem, "_solver_cache", None) if cvxpy_internals_known() else None
    if not isinstance(state, dict):
        return False
    state.clear()
    return True


@dataclass(frozen=True)
class Attempt:
    """One try of `solve`: the solver, its keyword options and cvxpy's warm_start (None: cvxpy's default)."""

    solver: str
    options: Mapping = field(default_factory=dict)
    warm_start: bool | None = None


@dataclass(frozen=True)
class Retry:
    """When `solve` moves on to its next attempt. errors: exception types of problem.solve that end an attempt (any
    other propagates); bad_status: a returned status outside OK_STATUSES ends it too (else only a missing status
    does); forget: drop the solver state (forget_solver_state) after a failed attempt."""

    errors: tuple[type[BaseException], ...] = ()
    bad_status: bool = False
    forget: bool = False


@dataclass
class Outcome:
    """What the last attempt gave: `status` if it returned (cvxpy's status text), `error` if it raised; `attempt`
    its index; `solve_time` the solver's own time (the wall time where it reports none) over every attempt, s."""

    status: str | None
    error: BaseException | None
    attempt: int
    solve_time: float

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES


def solve(problem, attempts: Sequence[Attempt], retry: Retry) -> Outcome:
    """Solve `problem` with the first of `attempts` that succeeds under `retry`; never raises for the errors the
    policy names (the outcome says what happened)."""
    if not attempts:
        raise ValueError("attempts: at least one")
    cold = not cvxpy_internals_known()
    out = Outcome(None, None, -1, 0.0)
    for i, attempt in enumerate(attempts):
        kwargs = dict(attempt.options)
        warm = False if cold else attempt.warm_start
        if warm is not None:
            kwargs["warm_start"] = warm
        t_wall = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=INACCURATE_WARNING, category=UserWarning)
                problem.solve(solver=attempt.solver, **kwargs)
        except retry.errors as exc:
            out = Outcome(None, exc, i, out.solve_time + time.perf_counter() - t_wall)
        else:
            stats = problem.solver_stats
            took = stats.solve_time if stats is not None and stats.solve_time is not None else None
            status = None if problem.status is None else str(problem.status)
            out = Outcome(status, None, i, out.solve_time + (time.perf_counter() - t_wall if took is None else took))
            if status is not None and (out.ok or not retry.bad_status):
                return out
        if retry.forget:
            forget_solver_state(problem)
    return out

