"""A faster Clarabel path for a DPP cvxpy problem that is re-solved many times with new Parameter values.

cvxpy's solve() rebuilds the solver interface on every call. Here cvxpy's own compiled parameter-to-data map
(the `ParamConeProg` of `get_problem_data`) is applied directly to the parameter values, and one Clarabel solver
is updated in place (same sparsity). It relies on cvxpy internals (`reduced_A`, `var_id_to_col`,
`param_id_to_col`, `dims_to_solver_cones`); `compile` uses them only on the cvxpy releases they were checked in
(convex.cvxpy_internals_known), checks that the map reproduces cvxpy's own problem data and reports False on any
mismatch or API change, and then the caller uses cvxpy's solve (tests/cfmmimo/test_sca.py pins
this against the installed cvxpy).

Compilation (`compile_problem`) runs cvxpy's reduction chain up to the cone program and then orders the cone rows
for the solver itself (`format_cone_rows`, O(nnz)): cvxpy's `ConicSolver.format_constraints` does the same row
permutation as a sparse product whose work space is (variables + 1) x (parameters + 1) entries per second-order-cone
constraint, i.e. O((M K)^2) time and memory for the SCA subproblems (8 s and 3 GB at M = 256, K = 32). The result
is the same tensor entry for entry (checked against cvxpy's own formatting on small problems at every compile and in
tests/cfmmimo/test_clarabel_fast.py), and it is handed to the problem's cvxpy cache, so that `problem.solve` (the
fallback) re-uses it.

scipy.sparse, clarabel and cvxpy's internals are imported where they are used: a job that solves nothing (a
baseline design, an aggregate) does not load them (docs/performance.md, job start-up).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import numpy as np

from ..convex import cvxpy_internals_known
from ..startup import cvx

# exceptions that signal a change of cvxpy internals (the fast path is then unavailable)
_API_DRIFT = (ImportError, AttributeError, KeyError, IndexError, TypeError, ValueError, AssertionError)
_STATUS = {"Solved": "optimal", "AlmostSolved": "optimal_inaccurate"}  # cvxpy.OPTIMAL, cvxpy.OPTIMAL_INACCURATE
# compile also runs cvxpy's own formatting and compares (guard against changed internals) while its work space
# (variables + 1) x (parameters + 1) stays below this (paper size: 2.6e5; M = 64, K = 8: 2.1e6; M = 128, K = 16: 2.2e7)
CHECK_FORMAT_LIMIT = 4_000_000


def format_cone_rows(prog):
    """The ParamConeProg `prog` (cvxpy's cone program after ConeMatrixStuffing) with its rows in the solver's order,
    as `cvxpy.reductions.solvers.conic_solvers.conic_solver.ConicSolver.format_constraints` makes them, in O(nnz).

    The problem-data tensor has a row per (constraint row r, variable column j) (index r + rows j, j = n for the
    offset) and a column per parameter entry. Formatting negates the rows of Zero constraints and interleaves the
    rows of each second-order cone [t; X] (axis 0) into (t_i, X[:, i]) per cone; NonNeg rows stay. cvxpy does this
    as a sparse product (dropping zeros in the cone rows); here each entry is moved to its new row directly and the
    entries are ordered as that product orders them, so that the reduced map is the same entry for entry."""
    import scipy.sparse as sps
    from cvxpy.constraints import SOC, NonNeg, Zero
    from cvxpy.reductions.dcp2cone.cone_matrix_stuffing import ParamConeProg

    heights = [sum(arg.size for arg in c.args) for c in prog.constraints]
    rows, n1 = int(sum(heights)), int(prog.x.size) + 1
    A = prog.A
    if A.shape[0] != rows * n1:
        raise ValueError(f"problem-data tensor has {A.shape[0]} rows, expected {rows} x {n1}")
    perm = np.arange(rows, dtype=np.int64)
    negate = np.zeros(rows, dtype=bool)
    cone = np.zeros(rows, dtype=bool)
    off = 0
    for c, h in zip(prog.constraints, heights, strict=True):
        if type(c) is Zero:
            negate[off:off + h] = True
        elif type(c) is SOC:
            if c.axis != 0:
                raise ValueError("SOC must be lowered to axis 0")
            t, X = c.args
            nc = t.size
            xd = X.shape[0] if X.shape else 1
            if nc * xd != X.size:
                raise ValueError("SOC arguments of inconsistent size")
            new = np.empty(h, dtype=np.int64)
            new[:nc] = np.arange(nc) * (xd + 1)  # t_i first in cone i
            new[nc:] = (np.arange(nc)[:, None] * (xd + 1) + 1 + np.arange(xd)[None, :]).ravel()  # X[:, i] after it
            perm[off:off + h] = off + new
            cone[off:off + h] = True
        elif type(c) is not NonNeg:
            raise ValueError(f"unsupported constraint {type(c).__name__}")
        off += h
    coo = A.tocoo()
    row, pcol, val = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    r, j = row % rows, row // rows
    val = np.where(negate[r], -val, val)
    keep = ~(cone[r] & (val == 0))  # the product drops zeros in the cone rows
    r, j, pcol, val = r[keep], j[keep], pcol[keep], val[keep]
    rnew = perm[r]
    # order of cvxpy's result: by new row, then by column j + n1 pcol of the reshaped tensor, ascending in the
    # NonNeg/Zero rows (row slices) and descending in the cone rows (scipy's csr_matmat emits a row in reverse)
    col2 = j + n1 * pcol
    order = np.lexsort((np.where(cone[r], -col2, col2), rnew))
    A_new = sps.coo_array((val[order], ((rnew + rows * j)[order], pcol[order])), shape=A.shape)
    return ParamConeProg(prog.q, prog.x, A_new, prog.variables, prog.var_id_to_col, prog.constraints,
                         prog.parameters, prog.param_id_to_col, P=prog.P, formatted=True,
                         lower_bounds=prog.lower_bounds, upper_bounds=prog.upper_bounds, lb_tensor=prog.lb_tensor,
                         ub_tensor=prog.ub_tensor, dir_cones=prog.dir_cones)


def same_reduced_map(p1, p2) -> bool:
    """The two formatted ParamConeProgs have the same parameter-to-data map, entry for entry."""
    a, b = p1.reduced_A, p2.reduced_A
    a.cache(False)
    b.cache(False)
    ma, mb = a.reduced_mat, b.reduced_mat
    return (ma.shape == mb.shape and a.problem_data_index[2] == b.problem_data_index[2]
            and all(np.array_equal(x, y) for x, y in (
                (ma.data, mb.data), (ma.indices, mb.indices), (ma.indptr, mb.indptr),
                (a.problem_data_index[0], b.problem_data_index[0]),
                (a.problem_data_index[1], b.problem_data_index[1]))))


def compile_problem(problem: cvx.Problem, check: bool | None = None):
    """Compile `problem` for CLARABEL as get_problem_data does, with `format_cone_rows` in place of cvxpy's
    formatting; the compiled program goes into the problem's cvxpy cache (problem.solve re-uses it).

    check: also format with cvxpy and require the same map (None: while the work space is below
    CHECK_FORMAT_LIMIT). Returns get_problem_data's data dict; ValueError if the check fails."""
    chain = problem._construct_chain(solver=cvx.CLARABEL)
    prog, inverse = problem, []
    for red in chain.reductions[:-1]:
        prog, inv = red.apply(prog)
        inverse.append(inv)
    formatted = format_cone_rows(prog)
    if check is None:
        check = (prog.x.size + 1) * (prog.total_param_size + 1) <= CHECK_FORMAT_LIMIT
    if check and not same_reduced_map(formatted, chain.solver.format_constraints(prog, chain.solver.EXP_CONE_ORDER)):
        raise ValueError("format_cone_rows differs from cvxpy's format_constraints")
    data, _ = chain.solver.apply(formatted)
    cache = problem._cache
    cache.invalidate()
    cache.key = cache.make_key(cvx.CLARABEL, False, False, None)
    cache.solving_chain = chain
    problem._solver_cache = {}
    problem.solver_context = chain.solver_context
    cache.param_prog, cache.inverse_data = formatted, inverse
    return data


class ClarabelFastPath:
    """Apply a compiled cvxpy problem's parameter map and solve with one in-place-updated Clarabel solver."""

    def __init__(self, problem: cvx.Problem, variables: Mapping[str, cvx.Variable],
                 parameters: Mapping[str, cvx.Parameter]):
        self.problem, self.variables, self.parameters = problem, dict(variables), dict(parameters)
        self.available: bool | None = None  # None: not compiled yet
        self._solver, self._eps = None, None
        self.last_iterations = 0

    def reset(self) -> None:
        """Start the next solve from a fresh Clarabel solver (a run depends only on its own inputs)."""
        self._solver = None

    def compile(self, values: Mapping[str, np.ndarray]) -> bool:
        """Compile once with `values` as Parameter values; True if the fast path reproduces cvxpy's data.

        `compile_problem` first; if it fails (changed cvxpy internals), cvxpy's own get_problem_data."""
        import scipy.sparse as sps

        if not cvxpy_internals_known():  # a cvxpy release whose internals were not checked: cvxpy's own solve
            self.available = False
            return False
        try:
            from cvxpy.reductions.solvers.conic_solvers.clarabel_conif import dims_to_solver_cones
            from cvxpy.reductions.solvers.conic_solvers.conic_solver import ConicSolver

            for name, value in values.items():
                self.parameters[name].value = value
            try:
                data = compile_problem(self.problem)
            except _API_DRIFT:
                self.problem._cache.invalidate()
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
        import scipy.sparse as sps

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
            self.last_iterations = int(res.iterations)  # interior-point iterations (benchmarks)
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
