"""A faster Clarabel path for a DPP cvxpy problem that is re-solved many times with new Parameter values.

cvxpy's solve() rebuilds the solver interface on every call. Here cvxpy's own compiled parameter-to-data map
(the `ParamConeProg` of `get_problem_data`) is applied directly to the parameter values, and one Clarabel solver
is updated in place (same sparsity). It relies on cvxpy internals (`reduced_A`, `var_id_to_col`,
`param_id_to_col`, `dims_to_solver_cones`); `compile` checks that the map reproduces cvxpy's own problem data and
reports False on any mismatch or API change, and then the caller uses cvxpy's solve (tests/cfmmimo/test_sca.py pins
this against the installed cvxpy).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import cvxpy as cvx
import numpy as np
import scipy.sparse as sps

# exceptions that signal a change of cvxpy internals (the fast path is then unavailable)
_API_DRIFT = (ImportError, AttributeError, KeyError, IndexError, TypeError, ValueError)
_STATUS = {"Solved": cvx.OPTIMAL, "AlmostSolved": cvx.OPTIMAL_INACCURATE}


class ClarabelFastPath:
    """Apply a compiled cvxpy problem's parameter map and solve with one in-place-updated Clarabel solver."""

    def __init__(self, problem: cvx.Problem, variables: Mapping[str, cvx.Variable],
                 parameters: Mapping[str, cvx.Parameter]):
        self.problem, self.variables, self.parameters = problem, dict(variables), dict(parameters)
        self.available: bool | None = None  # None: not compiled yet
        self._solver, self._eps = None, None

    def reset(self) -> None:
        """Start the next solve from a fresh Clarabel solver (a run depends only on its own inputs)."""
        self._solver = None

    def compile(self, values: Mapping[str, np.ndarray]) -> bool:
        """Compile once with `values` as Parameter values; True if the fast path reproduces cvxpy's data."""
        try:
            from cvxpy.reductions.solvers.conic_solvers.clarabel_conif import dims_to_solver_cones
            from cvxpy.reductions.solvers.conic_solvers.conic_solver import ConicSolver

            for name, value in values.items():
                self.parameters[name].value = value
            data, _, _ = self.problem.get_problem_data(cvx.CLARABEL)
            pp = data[cvx.settings.PARAM_PROB]
            self._cones = dims_to_solver_cones(data[ConicSolver.DIMS])
            self._cols = {n: (pp.var_id_to_col[v.id], v.size, v.shape) for n, v in self.variables.items()}
            self._pcols = {n: (pp.param_id_to_col[v.id], v.size) for n, v in self.parameters.items()}
            self._pvec = np.zeros(pp.total_param_size + 1)
            self._pvec[-1] = 1.0  # constant offset column
            pp.reduced_A.cache(False)
            self._Amap = pp.reduced_A.reduced_mat  # parameter vector -> CSC values of [A | b]
            self._qmap = pp.q  # parameter vector -> [c; d]
            ind, ptr, shape = pp.reduced_A.problem_data_index
            self._nA = int(ptr[-2])
            self._A_pattern = (ind[: self._nA], ptr[:-1], (int(shape[0]), int(shape[1]) - 1))
            self._b_rows = ind[self._nA:]
            self._solver, self._eps = None, None
            # guard against changes of cvxpy internals: the map must reproduce cvxpy's own problem data
            c_ref, _, A_ref, b_ref = pp.apply_parameters()
            c, A_vals, b = self.data(values)
            A = sps.csc_matrix((-A_vals, *self._A_pattern[:2]), shape=self._A_pattern[2])
            scale = 1.0 + max(abs(A_ref).max(), np.abs(b_ref).max(), np.abs(c_ref).max())
            err = max(abs(A - A_ref).max(), np.abs(b - b_ref).max(), np.abs(c - c_ref).max())
            self.available = bool(err <= 1e-12 * scale)
        except _API_DRIFT:
            self.available = False
        return self.available

    def data(self, values: Mapping[str, np.ndarray]):
        """Conic data (c, values of -A in the fixed CSC pattern, b) for the Parameter values `values`."""
        pv = self._pvec
        for name, value in values.items():
            col, size = self._pcols[name]
            pv[col:col + size] = value.ravel(order="F")
        vals = self._Amap @ pv
        c = np.asarray(self._qmap @ pv).ravel()[:-1]
        b = np.zeros(self._A_pattern[2][0])
        b[self._b_rows] = vals[self._nA:]
        return c, -vals[: self._nA], b

    def solve(self, values: Mapping[str, np.ndarray], eps: float) -> tuple[str, Callable, float] | None:
        """(status, get(variable name) -> value, solve time in s), or None if the fast path cannot answer (not
        compiled, unavailable, a solver error or a status other than Solved/AlmostSolved: the caller falls back)."""
        import clarabel

        if self.available is None:
            self.compile(values)
        if not self.available:
            return None
        c, a_vals, b = self.data(values)
        try:
            if self._solver is None or eps != self._eps:
                st = clarabel.DefaultSettings()
                st.verbose, st.presolve_enable = False, False
                st.tol_gap_abs = st.tol_gap_rel = st.tol_feas = eps
                n = c.size
                A = sps.csc_matrix((a_vals, *self._A_pattern[:2]), shape=self._A_pattern[2])
                self._solver = clarabel.DefaultSolver(sps.csc_matrix((n, n)), c, A, b, self._cones, st)
                self._eps = eps
            else:
                self._solver.update(q=c, A=a_vals, b=b)
            t_solve = time.perf_counter()
            res = self._solver.solve()
            t_solve = time.perf_counter() - t_solve
        except (ValueError, TypeError, RuntimeError, ArithmeticError):  # Clarabel refused the data
            self._solver = None
            return None
        status = _STATUS.get(str(res.status))
        if status is None:
            self._solver = None  # next solve starts a fresh solver; the caller's cold retry uses cvxpy
            return None
        x = np.asarray(res.x)

        def get(name):
            off, size, shape = self._cols[name]
            return x[off:off + size].reshape(shape, order="F") if shape else x[off]

        # wall clock around solve(): Clarabel's own solve_time reads ~20 % above it on this machine
        return status, get, float(t_solve)
