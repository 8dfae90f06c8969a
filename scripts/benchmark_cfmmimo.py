"""Benchmark of the study-1 CP optimiser (prints numbers; never part of the test suite).

Sections: one CP design at paper size; the median over N layouts (wall, solver time, solver share, min SINR);
the growth with M = 16, 32, 64, 128 (K = M/8) and its fitted exponent; the "plain" variant (the problem is
re-canonicalised by cvxpy at every SCA iteration, literal schedule of docs/deviations.md S1-O2) on the same layouts
and the speed-up; optionally (--solvers) CLARABEL vs SCS at paper size. Usage:

    python scripts/benchmark_cfmmimo.py [--layouts 20] [--scaling-layouts 5] [--no-plain] [--solvers]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform

import numpy as np

from secure_isac import seeds
from secure_isac.cfmmimo import channels, geometry, sca
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.feasibility import constraint_margins
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams

BASE_SEED = 2026


def layouts(p: SystemParams, n: int):
    out = []
    for i in range(n):
        r = seeds.rng(BASE_SEED, i, "layout")
        out.append(channels.large_scale_fading(geometry.draw_layout(p, r), p, r))
    return out


def run(p, lss, options, scheme="cp"):
    """Designs for every layout: arrays of wall, solver time, min SINR, worst constraint margin, feasible."""
    rows = []
    for i, ls in enumerate(lss):
        d = optimise(scheme, ls, p, seeds.rng(BASE_SEED, i, scheme), options)
        marg = constraint_margins("cp", d.ap_mode, d.power_c, d.power_s, d.metrics, p)
        rows.append((d.wall_time_s, d.solver_time_s, float(np.min(d.metrics.sinr_ue)), min(marg.values()),
                     float(d.feasible), len(d.trace) - 1))
    return np.array(rows)


def summary(label, r):
    print(f"{label:34s} median wall {np.median(r[:, 0]):.3f} s  median solver {np.median(r[:, 1]):.3f} s  "
          f"solver share {r[:, 1].sum() / r[:, 0].sum():.2f}  median min-SINR {np.median(r[:, 2]):.2f}  "
          f"mean min-SINR {np.mean(r[:, 2]):.2f}  feasible {r[:, 4].mean():.2f}  "
          f"median iterations {np.median(r[:, 5]):.0f}  worst margin {r[:, 3].min():.1e}")


def _plain_solve(self, solver, eps, fast=True):
    """Plain variant: push the values and let cvxpy re-canonicalise the whole problem (ignore_dpp) every call."""
    for name, value in self._vals.items():
        self.P[name].value = value
    try:
        self.problem.solve(solver=solver, ignore_dpp=True, **sca.solver_opts(solver, eps))
    except sca.cvx.SolverError as exc:
        return f"solver_error: {exc}", None, 0.0
    st = self.problem.solver_stats
    if self.problem.status not in sca.OK_STATUSES:
        return str(self.problem.status), None, float(st.solve_time or 0.0)
    return str(self.problem.status), self._values(lambda n: self.var[n].value), float(st.solve_time or 0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layouts", type=int, default=20)
    ap.add_argument("--scaling-layouts", type=int, default=5)
    ap.add_argument("--no-plain", action="store_true")
    ap.add_argument("--solvers", action="store_true", help="also compare CLARABEL and SCS at paper size")
    ap.add_argument("--solver-layouts", type=int, default=3)
    ap.add_argument("--only-solvers", action="store_true")
    args = ap.parse_args()
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"# benchmark_cfmmimo  {now}  {platform.processor() or platform.machine()}  cores={os.cpu_count()}  "
          f"load={os.getloadavg()[0]:.2f}  python {platform.python_version()}")
    opts = SolverOptions()
    p = SystemParams()
    lss = layouts(p, max(args.layouts, args.solver_layouts))
    if args.only_solvers:
        args.solvers, args.no_plain = True, True
    else:
        timing(args, p, lss, opts)
    if args.solvers:
        n = args.solver_layouts
        optimise("cp", lss[0], p, seeds.rng(BASE_SEED, 0, "cp"), opts)
        for label, o in (("CLARABEL (tol 1e-8)", SolverOptions()),
                         ("SCS eps 1e-5", SolverOptions(solver="SCS", solver_eps=1e-5)),
                         ("SCS eps 1e-6", SolverOptions(solver="SCS"))):
            summary(label + f", {n} layouts", run(p, lss[:n], o))


def timing(args, p, lss, opts) -> None:
    """Default CP timing, the growth with M and the plain variant."""
    lss = lss[: args.layouts]
    optimise("cp", lss[0], p, seeds.rng(BASE_SEED, 0, "cp"), opts)  # first call compiles the shape
    d = optimise("cp", lss[0], p, seeds.rng(BASE_SEED, 0, "cp"), opts)
    print(f"one cp design (M,N,K,L)=(32,8,4,2): wall {d.wall_time_s:.3f} s, solver {d.solver_time_s:.3f} s, "
          f"solver share {d.solver_time_s / d.wall_time_s:.2f}, iterations {len(d.trace) - 1}, "
          f"min SINR {np.min(d.metrics.sinr_ue):.2f}")
    fast = run(p, lss, opts)
    summary(f"cp, {args.layouts} layouts (default)", fast)

    walls = []
    Ms = (16, 32, 64, 128)
    for M in Ms:
        pm = SystemParams(M=M, K=M // 8)
        lm = layouts(pm, args.scaling_layouts)
        optimise("cp", lm[0], pm, seeds.rng(BASE_SEED, 0, "cp"), opts)  # compile outside the timing
        r = run(pm, lm, opts)
        summary(f"cp M={M:3d} K={M // 8:2d} ({args.scaling_layouts} layouts)", r)
        walls.append(np.median(r[:, 0]))
    slope = np.polyfit(np.log(Ms), np.log(walls), 1)[0]
    print(f"growth exponent (median wall ~ M^e, M = {Ms}): e = {slope:.2f}")

    if not args.no_plain:
        orig = sca._Subproblem.solve
        sca._Subproblem.solve = _plain_solve
        try:
            plain = run(p, lss, SolverOptions.spec_schedule())
        finally:
            sca._Subproblem.solve = orig
        summary("plain (rebuild, spec schedule)", plain)
        print(f"speed-up (median wall plain / default): {np.median(plain[:, 0]) / np.median(fast[:, 0]):.1f}x; "
              f"min-SINR default - plain: median {np.median(fast[:, 2] - plain[:, 2]):+.2f}, "
              f"layouts where default >= plain: {np.mean(fast[:, 2] >= plain[:, 2] * (1 - 1e-3)):.2f}")
        spec = run(p, lss, SolverOptions.spec_schedule())
        summary("cached DPP, spec schedule", spec)


if __name__ == "__main__":
    main()
