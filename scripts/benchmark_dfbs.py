"""Benchmark of study 2 (dfbs): SDP solve times (CLARABEL vs SCS), time per design, full-sweep estimate.

Usage: .venv/bin/python scripts/benchmark_dfbs.py [--quick] [--full-sweep OUTDIR] [--workers 2]
--full-sweep runs the complete default study-2 sweep (Figs. 2-4, schemes aa and no_aa; random_aa and full_digital
at Fig. 2), writes fig2.nc/fig3.nc/fig4.nc, figures and the claims table into OUTDIR and prints the wall time.
"""

from __future__ import annotations

import os

# one BLAS thread, as in the pipeline's jobs (snakemake sets it to the rule's threads): P-SCP amplifies round-off
# (docs/deviations.md D17), so this makes the benchmark's designs equal to the pipeline's
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import collections  # noqa: E402
import multiprocessing  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402

import numpy as np  # noqa: E402

warnings.filterwarnings("ignore", module="cvxpy")

from secure_isac.dfbs import array as ar  # noqa: E402
from secure_isac.dfbs.params import DfbsParams, secrecy_target_grid  # noqa: E402
from secure_isac.dfbs.schemes import design, reference_design  # noqa: E402
from secure_isac.dfbs.sdr import SdrP5  # noqa: E402


def solver_table(p: DfbsParams) -> None:
    """Time per SDP and objective agreement of CLARABEL and SCS on the relaxed and a fixed-selection problem."""
    A = ar.steering(p.grid_deg, p.n_antennas)
    d = ar.params_desired_pattern(p)
    h, G = ar.user_channel(p), ar.eve_channels(p)
    sel = np.arange(p.n_rf)
    gammas = np.logspace(-3, 0, 6)
    print("\n== SDP solve time (s) and objective spread, s2 = 1 (P = sigma^2), R-bar = 2 ==")
    for name, mk in (
        ("relaxed N=16 compact", lambda s: SdrP5(A, d, h, G, rows=2 * p.n_antennas, cap=1 / p.n_rf, with_u=True,
                                                 diag_eq=True, n_rf=p.n_rf, solver=s, fallback=s)),
        ("relaxed N=16 two-cone", lambda s: SdrP5(A, d, h, G, rows=2 * p.n_antennas, cap=1 / p.n_rf, with_u=True,
                                                  diag_eq=True, n_rf=p.n_rf, solver=s, fallback=s, compact=False)),
        ("fixed N_RF=8 compact", lambda s: SdrP5(A[:, sel], d, h[sel], G[:, sel], rows=2 * p.n_antennas,
                                                 cap=1 / p.n_rf, with_u=False, diag_eq=True, solver=s, fallback=s)),
        ("unconstrained relaxed", None),
    ):
        vals = {}
        for solver in ("CLARABEL", "SCS"):
            if mk is None:
                ctx = SdrP5(A, d, h, G, rows=2 * p.n_antennas, cap=1 / p.n_rf, with_u=True, diag_eq=True, n_rf=p.n_rf,
                            solver=solver, fallback=solver)
                ctx.solve()
                t0 = time.perf_counter()
                objs = [ctx.solve().objective for _ in range(4)]
                dt = (time.perf_counter() - t0) / 4
            else:
                ctx = mk(solver)
                ctx.solve(gamma_e=0.1, rbar=2.0, s2=1.0)  # compile once
                t0 = time.perf_counter()
                objs = [ctx.solve(gamma_e=g, rbar=2.0, s2=1.0).objective for g in gammas]
                dt = (time.perf_counter() - t0) / len(gammas)
            vals[solver] = np.array(objs)
            print(f"{name:24s} {solver:9s} {dt:7.3f} s/SDP")
        rel = np.max(np.abs(vals["SCS"] - vals["CLARABEL"]) / np.abs(vals["CLARABEL"]))
        print(f"{name:24s} max relative objective difference SCS vs CLARABEL: {rel:.1e}")


def clarabel_table(p: DfbsParams, repeats: int = 3) -> None:
    """Time per SDP of CLARABEL linear solvers (round robin over the options, fair under a varying load)."""
    from secure_isac.dfbs import sdr

    A = ar.steering(p.grid_deg, p.n_antennas)
    d = ar.params_desired_pattern(p)
    h, G = ar.user_channel(p), ar.eve_channels(p)
    sel = np.arange(p.n_rf)
    pen = p.eta_max * (1 - 2 * np.random.default_rng(0).uniform(0, 1, p.n_antennas))  # late P-SCP iterations
    ctxs = {"relaxed N=16": (SdrP5(A, d, h, G, rows=2 * p.n_antennas, cap=1 / p.n_rf, with_u=True, diag_eq=True,
                                   n_rf=p.n_rf), {"pen": pen}),
            "fixed N_RF=8": (SdrP5(A[:, sel], d, h[sel], G[:, sel], rows=2 * p.n_antennas, cap=1 / p.n_rf,
                                   with_u=False, diag_eq=True), {})}
    base = {"static_regularization_constant": 1e-7}
    opts = {"auto (default)": base, "faer 1 thread": {**base, "direct_solve_method": "faer", "max_threads": 1},
            "qdldl 1 thread": {**base, "direct_solve_method": "qdldl", "max_threads": 1}}
    used = sdr.CLARABEL_OPTS
    times = {(o, c): [] for o in opts for c in ctxs}
    objs = {(o, c): [] for o in opts for c in ctxs}
    print(f"\n== CLARABEL options, s/SDP (6 Gamma_e values x {repeats}); in use: {used} ==")
    try:
        for _ in range(repeats):
            for o, kw in opts.items():
                sdr.CLARABEL_OPTS = kw
                for c, (ctx, extra) in ctxs.items():
                    t0 = time.perf_counter()
                    objs[(o, c)] += [ctx.solve(gamma_e=g, rbar=2.0, s2=1.0, **extra).objective
                                     for g in np.logspace(-3, 0, 6)]
                    times[(o, c)].append((time.perf_counter() - t0) / 6)
    finally:
        sdr.CLARABEL_OPTS = used
    first = next(iter(opts))
    for c in ctxs:
        for o in opts:
            a, b = np.array(objs[(first, c)]), np.array(objs[(o, c)])
            print(f"{c:14s} {o:16s} median {np.median(times[(o, c)]):.4f} s/SDP, max rel. objective difference "
                  f"to {first}: {np.max(np.abs(a - b) / np.abs(a)):.1e}")


def _run(job):
    scheme, params, P, R, ref = job
    return design(scheme, params, P, R, reference=ref)


def sweep_jobs(p: DfbsParams, refs: dict, fig2_schemes, fig34_schemes):
    jobs = {"fig2": [(s, p, 20.0, 2.0, refs[s]) for s in fig2_schemes], "fig3": [], "fig4": []}
    for P in (0.0, 5.0, 10.0):
        for R in secrecy_target_grid(p, P):
            jobs["fig3"] += [(s, p, P, float(R), refs[s]) for s in fig34_schemes]
    for P in np.arange(0.0, 31.0, 5.0):
        jobs["fig4"] += [(s, p, float(P), 2.0, refs[s]) for s in fig34_schemes]
    return jobs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the solver table")
    ap.add_argument("--full-sweep", default=None, help="run the full default sweep and write results here")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    p = DfbsParams()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()}")
    if not args.quick:
        solver_table(p)
        clarabel_table(p)
    print("\n== reference designs (no secrecy constraint, valid at every P) ==")
    refs = {}
    for s in ("aa", "no_aa", "random_aa", "full_digital"):
        t0 = time.perf_counter()
        refs[s] = reference_design(s, p)
        print(f"{s:14s} {time.perf_counter() - t0:7.2f} s, {refs[s].n_sdp} SDPs")
    print("\n== single designs ==")
    for s, P, R in (("aa", 20, 2), ("no_aa", 20, 2), ("no_aa", 0, 2), ("aa", 0, 2), ("aa", 0, 3)):
        t0 = time.perf_counter()
        d = design(s, p, P, R, reference=refs[s])
        dt = time.perf_counter() - t0
        print(f"{s:6s} P={P:2d} dBm R={R}: {dt:7.2f} s (load {os.getloadavg()[0]:.1f}), {d.n_sdp:4d} SDPs "
              f"({dt / max(d.n_sdp, 1):.3f} s/SDP), "
              f"reference reused: {d.used_reference}, feasible {d.feasible}, L = {d.matching_error:.4f}"
              + (f", P-SCP stop {d.pscp_stop}" if s == "aa" else ""))
    jobs = sweep_jobs(p, refs, ("aa", "no_aa", "random_aa", "full_digital"), ("aa", "no_aa"))
    n = sum(len(v) for v in jobs.values())
    print(f"\nfull default sweep: {n} designs "
          f"(fig2 {len(jobs['fig2'])}, fig3 {len(jobs['fig3'])}, fig4 {len(jobs['fig4'])})")
    if args.full_sweep is None:
        return
    from secure_isac.dfbs.claims import claims_table
    from secure_isac.dfbs.datasets import design_dataset
    from secure_isac.dfbs.figures import plot_fig2, plot_fig3, plot_fig4
    from secure_isac.plotting import save_figure

    os.makedirs(args.full_sweep, exist_ok=True)
    t0 = time.perf_counter()
    flat = [(k, j) for k, v in jobs.items() for j in v]
    # longest jobs first (binding low-P AA designs) so the two workers finish together
    order = sorted(range(len(flat)), key=lambda i: (flat[i][1][0] != "aa", flat[i][1][2], -flat[i][1][3]))
    results = [None] * len(flat)
    # spawn: forking after the solvers started their thread pools can deadlock the workers
    with ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("spawn")) as ex:
        futs = {i: ex.submit(_run, flat[i][1]) for i in order}
        for n_done, (i, f) in enumerate(futs.items(), start=1):
            results[i] = f.result()
            r = results[i]
            print(f"[{time.perf_counter() - t0:7.1f} s] {n_done}/{len(flat)} {flat[i][0]} {r.scheme} "
                  f"P={r.power_dbm:g} R={r.secrecy_target:g}: {r.wall_time_s:.1f} s, {r.n_sdp} SDPs, "
                  f"feasible={r.feasible}, ref={r.used_reference}"
                  + (f", P-SCP stop {r.pscp_stop}" if r.scheme == "aa" else ""), flush=True)
    wall = time.perf_counter() - t0
    ref_time = sum(r.wall_time_s for r in refs.values())
    ds = {}
    for k in jobs:
        ds[k] = design_dataset([r for (kk, _), r in zip(flat, results) if kk == k], p)
        ds[k].to_netcdf(os.path.join(args.full_sweep, f"{k}.nc"))
    for name, plot in (("fig2", plot_fig2), ("fig3", plot_fig3), ("fig4", plot_fig4)):
        save_figure(plot(ds[name]), os.path.join(args.full_sweep, name))
    tab = claims_table(ds["fig2"], ds["fig3"], ds["fig4"])
    tab.to_csv(os.path.join(args.full_sweep, "claims.csv"), index=False)
    times = np.array([r.wall_time_s for r in results])
    sdps = np.array([r.n_sdp for r in results])
    print(f"full sweep wall time: {wall:.1f} s on {args.workers} workers (+ {ref_time:.1f} s reference designs); "
          f"design time: median {np.median(times):.2f} s, max {times.max():.1f} s; total SDPs {sdps.sum()}; "
          f"reference reused in {sum(r.used_reference for r in results)}/{len(results)} designs; load average "
          f"{os.getloadavg()}")
    stops = collections.Counter(x.split(":")[1] for r in results if r.scheme == "aa" for x in r.pscp_stop.split(","))
    print(f"P-SCP stop reasons over the aa designs (per start): {dict(stops)}")
    import pandas as pd

    with pd.option_context("display.max_colwidth", 200, "display.width", 250):
        print(tab[["claim", "verdict", "reproduced"]].to_string())


if __name__ == "__main__":
    main()
