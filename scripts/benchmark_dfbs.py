"""Benchmark of study 2 (dfbs): SDP solve times (CLARABEL vs SCS), time per design, full-sweep estimate.

Usage: .venv/bin/python scripts/benchmark_dfbs.py [--quick] [--full-sweep OUTDIR] [--workers 2]
       .venv/bin/python scripts/benchmark_dfbs.py --design-grid OUTDIR [--compare DIR ...]
       .venv/bin/python scripts/benchmark_dfbs.py --ab BASE_SRC OUTDIR
--full-sweep runs the complete default study-2 sweep (Figs. 2-4, schemes aa and no_aa; random_aa and full_digital
at Fig. 2), writes fig2.nc/fig3.nc/fig4.nc, figures and the claims table into OUTDIR and prints the wall time.
--design-grid times, in this one process and serially, the reference and every design of the default workflow grid
(config/config.yaml: the 31 distinct (P, R-bar) points of Figs. 2-4 per scheme, schemes aa and no_aa) with the
current code: CPU time (time.process_time) and SDPs per point, totals per scheme; it writes the designs
(designs.pkl), fig2/3/4.nc and claims.csv into OUTDIR. --compare DIR then checks these designs against another
--design-grid OUTDIR or a pipeline's results/dfbs directory (designs/<scheme>/p<P>_r<R>.nc, claims.csv): feasibility,
selection, relative matching-error change, secrecy and powers, and the claims verdicts. --ab runs the same grid
before/after in one run: secure_isac from BASE_SRC (e.g. `git archive HEAD src | tar -x -C /tmp/base`, then
/tmp/base/src) and from this checkout in two worker processes, each point timed in both alternately (one heavy
process at a time, same load), then compared; OUTDIR/before and OUTDIR/after get the --design-grid outputs.
"""

from __future__ import annotations

import os

# one BLAS thread, as in the pipeline's jobs (snakemake sets it to the rule's threads): P-SCP amplifies round-off
# (docs/deviations.md S2-D17), so this makes the benchmark's designs equal to the pipeline's
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
    def contexts(kw):  # the settings go to the secrecy-constrained solves this benchmark times (SdrP5.secrecy_opts)
        return {"relaxed N=16": (SdrP5(A, d, h, G, rows=2 * p.n_antennas, cap=1 / p.n_rf, with_u=True, diag_eq=True,
                                       n_rf=p.n_rf, secrecy_opts=kw), {"pen": pen}),
                "fixed N_RF=8": (SdrP5(A[:, sel], d, h[sel], G[:, sel], rows=2 * p.n_antennas, cap=1 / p.n_rf,
                                       with_u=False, diag_eq=True, secrecy_opts=kw), {})}

    base = {"static_regularization_constant": 1e-7}
    opts = {"auto (default)": base, "faer 1 thread": {**base, "direct_solve_method": "faer", "max_threads": 1},
            "qdldl 1 thread": {**base, "direct_solve_method": "qdldl", "max_threads": 1}}
    ctxs = {o: contexts(kw) for o, kw in opts.items()}
    times = {(o, c): [] for o in opts for c in ctxs[o]}
    objs = {(o, c): [] for o in opts for c in ctxs[o]}
    print(f"\n== CLARABEL options, s/SDP (6 Gamma_e values x {repeats}); in use: {sdr.clarabel_opts()} ==")
    for _ in range(repeats):
        for o in opts:
            for c, (ctx, extra) in ctxs[o].items():
                t0 = time.perf_counter()
                objs[(o, c)] += [ctx.solve(gamma_e=g, rbar=2.0, s2=1.0, **extra).objective
                                 for g in np.logspace(-3, 0, 6)]
                times[(o, c)].append((time.perf_counter() - t0) / 6)
    first = next(iter(opts))
    for c in ctxs[first]:
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


# --- --design-grid: CPU per design on the default workflow grid, and before/after comparison ----------------------

GRID_SCHEMES = ("aa", "no_aa")
COMPARED = ("secrecy_rate", "user_sinr", "gamma_e", "eve_info_power_dbm", "illum_joint_min_dbm",
            "illum_sensing_min_dbm", "user_power_dbm")


def grid_points(p: DfbsParams) -> list:
    """The distinct (P, R-bar) points of Figs. 2-4 of config/config.yaml (31 on the default grid), sorted."""
    pts = {(20.0, 2.0)}
    for P in (0.0, 5.0, 10.0):
        pts |= {(P, float(R)) for R in secrecy_target_grid(p, P, 0.5, start=0.5, maximum=10.0)}
    pts |= {(float(P), 2.0) for P in np.arange(0.0, 31.0, 5.0)}
    return sorted(pts)


class _Grid:
    """The default grid's aa/no_aa designs of this process's secure_isac: CPU (process_time), SDPs, outputs."""

    def __init__(self):
        self.p = DfbsParams()
        self.refs, self.rows, self.designs, self.summary = {}, [], {}, {}

    def reference(self, s: str) -> tuple:
        c0 = time.process_time()
        self.refs[s] = reference_design(s, self.p)
        cpu = time.process_time() - c0
        self.summary[s] = [cpu, self.refs[s].n_sdp, 0.0, 0]
        return cpu, self.refs[s].n_sdp

    def run(self, s: str, P: float, R: float):
        from secure_isac.dfbs.datasets import design_quantities

        c0 = time.process_time()
        d = design(s, self.p, P, R, reference=self.refs[s])
        cpu = time.process_time() - c0
        self.summary[s][2] += cpu
        self.summary[s][3] += d.n_sdp
        self.designs[(s, P, R)] = d
        self.rows.append(dict(scheme=s, P=P, R=R, cpu=cpu, n_sdp=d.n_sdp, pscp_stop=d.pscp_stop,
                              q=design_quantities(d, self.p)))
        return cpu, d

    def write(self, outdir: str) -> None:
        """designs.pkl (per-design quantities, CPU, SDPs), fig2/3/4.nc and claims.csv of the grid designs."""
        import pickle

        from secure_isac.dfbs.claims import claims_table
        from secure_isac.dfbs.datasets import design_dataset

        os.makedirs(outdir, exist_ok=True)
        p = self.p
        with open(os.path.join(outdir, "designs.pkl"), "wb") as f:
            pickle.dump(dict(rows=self.rows, summary={k: tuple(v) for k, v in self.summary.items()}), f)
        fig3 = {P: set(secrecy_target_grid(p, P, 0.5, start=0.5, maximum=10.0)) for P in (0.0, 5.0, 10.0)}
        fig = {"fig2": [d for (s, P, R), d in self.designs.items() if (P, R) == (20.0, 2.0)],
               "fig3": [d for (s, P, R), d in self.designs.items() if R in fig3.get(P, ())],
               "fig4": [d for (s, P, R), d in self.designs.items() if R == 2.0]}
        ds = {k: design_dataset(v, p) for k, v in fig.items()}
        for k, v in ds.items():
            v.to_netcdf(os.path.join(outdir, f"{k}.nc"))
        claims_table(ds["fig2"], ds["fig3"], ds["fig4"]).to_csv(os.path.join(outdir, "claims.csv"), index=False)


def _sel(d) -> str:
    return "".join(str(int(x)) for x in d.selected)


def _print_totals(summary: dict) -> None:
    for s, (rc, rn, c, n) in summary.items():
        print(f"{s:6s} reference {rc:7.2f} s / {rn:4d} SDPs; designs {c:8.2f} s / {n:5d} SDPs; "
              f"scheme total {rc + c:8.2f} s")
    print(f"all    {sum(v[0] + v[2] for v in summary.values()):8.2f} s CPU, "
          f"{sum(v[1] + v[3] for v in summary.values())} SDPs; load average {os.getloadavg()}")


def design_grid(outdir: str) -> None:
    """Reference + every grid design of aa and no_aa, serially in this process; CPU (process_time) and SDPs."""
    g = _Grid()
    pts = grid_points(g.p)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()}; {len(pts)} points per scheme; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    for s in GRID_SCHEMES:
        ref_cpu, ref_n = g.reference(s)
        print(f"\n== {s}: reference {ref_cpu:.2f} s CPU, {ref_n} SDPs ==")
        print(f"{'P dBm':>6s} {'R-bar':>6s} {'CPU s':>8s} {'SDPs':>5s} {'feas':>4s} {'matching error':>16s}  "
              f"selection         P-SCP stop")
        for P, R in pts:
            cpu, d = g.run(s, P, R)
            print(f"{P:6g} {R:6g} {cpu:8.2f} {d.n_sdp:5d} {int(d.feasible):4d} {d.matching_error:16.10f}  {_sel(d)}  "
                  f"{d.pscp_stop if s == 'aa' else ''}", flush=True)
    print("\n== totals (CPU s, process_time) ==")
    _print_totals(g.summary)
    g.write(outdir)


def ab_worker(outdir: str) -> None:
    """--ab-worker: answer one JSON command per stdin line (reference / design / write) with one JSON line."""
    import json
    import sys

    g = _Grid()
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "reference":
            cpu, n = g.reference(cmd["scheme"])
            out = dict(cpu=cpu, n_sdp=n)
        elif cmd["op"] == "design":
            cpu, d = g.run(cmd["scheme"], cmd["P"], cmd["R"])
            out = dict(cpu=cpu, n_sdp=d.n_sdp, feasible=bool(d.feasible), me=float(d.matching_error), sel=_sel(d),
                       stop=d.pscp_stop)
        else:
            g.write(outdir)
            out = dict(summary=g.summary)
        print(json.dumps(out), flush=True)
        if cmd["op"] == "write":
            return


def ab_grid(base_src: str, outdir: str) -> None:
    """Before/after in one run: two worker processes, one importing secure_isac from base_src (e.g. a `git archive`
    of the last commit), one from this checkout's src; every reference and design is timed in both, alternately and
    one at a time (the same machine load for both), then the designs are compared."""
    import json
    import subprocess
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    srcs = {"before": os.path.abspath(base_src), "after": os.path.join(os.path.dirname(here), "src")}
    workers = {}
    for tag, src in srcs.items():
        env = dict(os.environ, PYTHONPATH=src, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        workers[tag] = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--ab-worker",
                                         os.path.join(outdir, tag)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, env=env, cwd="/")

    def ask(tag, **cmd):
        w = workers[tag]
        w.stdin.write(json.dumps(cmd) + "\n")
        w.stdin.flush()
        return json.loads(w.stdout.readline())

    p = DfbsParams()
    pts = grid_points(p)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()}; {len(pts)} points per scheme; "
          f"before = secure_isac from {srcs['before']}, after = {srcs['after']}")
    tot = {t: {s: [0.0, 0, 0.0, 0] for s in GRID_SCHEMES} for t in srcs}
    k = 0
    for s in GRID_SCHEMES:
        r = {t: ask(t, op="reference", scheme=s) for t in srcs}
        for t in srcs:
            tot[t][s][:2] = [r[t]["cpu"], r[t]["n_sdp"]]
        print(f"\n== {s}: reference CPU before {r['before']['cpu']:.2f} s / {r['before']['n_sdp']} SDPs, "
              f"after {r['after']['cpu']:.2f} s / {r['after']['n_sdp']} SDPs ==")
        print(f"{'P dBm':>6s} {'R-bar':>6s} {'CPU before':>10s} {'after':>7s} {'SDPs before':>11s} {'after':>5s} "
              f"{'feas':>5s} {'sel':>4s} {'rel dME':>8s}  P-SCP stop (after)")
        for P, R in pts:
            order = ("before", "after") if k % 2 == 0 else ("after", "before")  # alternate who goes first
            k += 1
            r = {t: ask(t, op="design", scheme=s, P=P, R=R) for t in order}
            b, a = r["before"], r["after"]
            for t in srcs:
                tot[t][s][2] += r[t]["cpu"]
                tot[t][s][3] += r[t]["n_sdp"]
            dme = abs(a["me"] - b["me"]) / abs(b["me"]) if np.isfinite(b["me"]) and np.isfinite(a["me"]) else (
                0.0 if np.isnan(a["me"]) == np.isnan(b["me"]) else np.inf)
            print(f"{P:6g} {R:6g} {b['cpu']:10.2f} {a['cpu']:7.2f} {b['n_sdp']:11d} {a['n_sdp']:5d} "
                  f"{int(b['feasible'])}->{int(a['feasible'])} {'=' if a['sel'] == b['sel'] else 'DIFF':>4s} "
                  f"{dme:8.1e}  {a['stop'] if s == 'aa' else ''}", flush=True)
    for t in srcs:
        ask(t, op="write")
        workers[t].wait()
    print("\n== totals (CPU s, process_time; reference + designs) ==")
    for t in srcs:
        print(f"-- {t}")
        _print_totals(tot[t])
    for s in GRID_SCHEMES:
        b, a = tot["before"][s], tot["after"][s]
        print(f"{s:6s} speed-up {(b[0] + b[2]) / max(a[0] + a[2], 1e-9):.2f}x, SDPs {b[1] + b[3]} -> {a[1] + a[3]}")
    bt = sum(v[0] + v[2] for v in tot["before"].values())
    at = sum(v[0] + v[2] for v in tot["after"].values())
    print(f"all    speed-up {bt / max(at, 1e-9):.2f}x ({bt:.1f} s -> {at:.1f} s CPU)")
    compare(os.path.join(outdir, "after"), os.path.join(outdir, "before"))


def _load_designs(src: str) -> dict:
    """(scheme, P, R) -> design quantities, from a --design-grid OUTDIR or a pipeline results/dfbs directory."""
    import glob
    import pickle

    import xarray as xr

    if os.path.exists(os.path.join(src, "designs.pkl")):
        with open(os.path.join(src, "designs.pkl"), "rb") as f:
            rows = pickle.load(f)["rows"]
        return {(r["scheme"], r["P"], r["R"]): dict(r["q"], cpu=r["cpu"]) for r in rows}
    out = {}
    for fn in glob.glob(os.path.join(src, "designs", "*", "*.nc")):
        with xr.open_dataset(fn) as ds:
            ds = ds.squeeze()
            key = (str(ds.scheme.values), float(ds.power_dbm), float(ds.secrecy_target))
            out[key] = {k: ds[k].values for k in ds.data_vars}
    return out


def compare(new: str, old: str) -> None:
    """Acceptance check of the designs in `new` against `old` (feasibility, selection, matching error, metrics)."""
    import pandas as pd

    warnings.filterwarnings("ignore", "All-NaN", RuntimeWarning)  # quantities of infeasible designs are NaN
    a, b = _load_designs(new), _load_designs(old)
    keys = sorted(set(a) & set(b))
    print(f"\n== compare {new} against {old}: {len(keys)} common designs "
          f"(only new {len(set(a) - set(b))}, only old {len(set(b) - set(a))}) ==")
    worst, n_bad = 0.0, 0
    for k in keys:
        x, y = a[k], b[k]
        fe = int(x["feasible"]) == int(y["feasible"])
        se = np.array_equal(np.asarray(x["selected"]), np.asarray(y["selected"]))
        me_x, me_y = float(x["matching_error"]), float(y["matching_error"])
        both = np.isfinite(me_x) and np.isfinite(me_y)
        rel = abs(me_x - me_y) / abs(me_y) if both else (0.0 if np.isnan(me_x) == np.isnan(me_y) else np.inf)
        worst = max(worst, rel)
        dq = {c: float(np.nanmax(np.abs(np.asarray(x[c], float) - np.asarray(y[c], float)), initial=0.0))
              for c in COMPARED}
        bad = not (fe and se and rel <= 1e-3)
        n_bad += bad
        if bad or rel > 1e-6:
            print(f"{'MOVED' if bad else 'moved'} {k}: feasible {int(y['feasible'])}->{int(x['feasible'])}, "
                  f"selection equal {se}, matching error {me_y:.10g} -> {me_x:.10g} (rel {rel:.1e}), "
                  + ", ".join(f"{c} {v:.1e}" for c, v in dq.items()))
    print(f"designs with changed feasibility/selection or matching error > 1e-3 relative: {n_bad}; "
          f"max relative matching-error change {worst:.2e}")
    for c in COMPARED:
        m = max(float(np.nanmax(np.abs(np.asarray(a[k][c], float) - np.asarray(b[k][c], float)), initial=0.0))
                for k in keys)
        print(f"  max |difference| {c}: {m:.2e}")
    ca, cb = os.path.join(new, "claims.csv"), os.path.join(old, "claims.csv")
    if os.path.exists(ca) and os.path.exists(cb):
        ta, tb = pd.read_csv(ca), pd.read_csv(cb)
        same = list(ta["claim"]) == list(tb["claim"]) and list(ta["verdict"]) == list(tb["verdict"])
        print(f"claims verdicts unchanged: {same}; reproduced text unchanged: "
              f"{list(ta['reproduced']) == list(tb['reproduced'])}")
        for (_, r1), (_, r2) in zip(ta.iterrows(), tb.iterrows()):
            if r1["verdict"] != r2["verdict"] or r1["reproduced"] != r2["reproduced"]:
                print(f"  {r1['claim']}: {r2['verdict']} -> {r1['verdict']}\n    old: {r2['reproduced']}\n"
                      f"    new: {r1['reproduced']}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the solver table")
    ap.add_argument("--full-sweep", default=None, help="run the full default sweep and write results here")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--design-grid", default=None, help="time aa/no_aa on the default grid, write results here")
    ap.add_argument("--compare", nargs="*", default=[], help="compare the --design-grid designs with these dirs")
    ap.add_argument("--ab", nargs=2, metavar=("BASE_SRC", "OUTDIR"), default=None,
                    help="time the grid with secure_isac from BASE_SRC (before) and this checkout (after), alternately")
    ap.add_argument("--ab-worker", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.ab_worker is not None:
        ab_worker(args.ab_worker)
        return
    if args.ab is not None:
        ab_grid(*args.ab)
        return
    if args.design_grid is not None:
        if not os.path.exists(os.path.join(args.design_grid, "designs.pkl")) or not args.compare:
            design_grid(args.design_grid)
        for other in args.compare:
            compare(args.design_grid, other)
        return
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
