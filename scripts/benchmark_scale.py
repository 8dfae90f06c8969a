"""Study 1 at scale: CPU time of one `cp` and one `sp` design in a fresh process for M = 16 ... 256 (K = M/8).

With --cluster-size C the designs use user-centric clusters (docs/extensions/city-scale.md; the city-scale
measurement: `--M 64 128 256 512 1024 --K-ratio 16 --L 8 --cluster-size 8 --schemes cp`).

Every (code version, M, scheme) runs in its own fresh Python process (one thread, OPENBLAS_NUM_THREADS=1), which
imports the package, draws layout 0 of base seed 2026 (N = 8, L = 2, other parameters default) and runs one design,
timed with time.process_time (CPU). The design time is split into
  compile  cvxpy's compilation of the subproblem (building the DPP problem and ClarabelFastPath.compile),
  solves   the Clarabel solves of the SCA steps (fast path and cvxpy fallbacks; phase 1 goes to "rest"),
  rest     everything else (start, closed forms, parameter updates, rounding/repair bookkeeping, phase-1 LP);
plus the import time of the package (not part of the design). The growth exponent is the least-squares slope of
log(design CPU) over log(M). With --before SRC the same table is printed for another source tree (e.g. the code
before a change, `git worktree` or a copy of `src/`) side by side. Usage:

    python scripts/benchmark_scale.py [--M 16 32 64 128 256] [--schemes cp sp] [--before /tmp/old/src] [--warm 0]
                                      [--K-ratio 8] [--L 2] [--cluster-size C]

--warm n also times n further designs (layouts 1..n) in the same process (compiled problem cached), as in a
workflow job that designs many layouts.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

import numpy as np

BASE_SEED = 2026

WORKER = r"""
import json, resource, sys, time, warnings
t_imp = time.process_time()
import numpy as np
from secure_isac import seeds
from secure_isac.cfmmimo import channels, geometry, sca, sca_clustered, clarabel_fast
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
t_imp = time.process_time() - t_imp
warnings.filterwarnings("ignore")
M, scheme, warm, seed, layout = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
k_ratio, L, cluster = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
acc = {"compile": 0.0, "solve": 0.0, "n_solve": 0, "n_fallback": 0, "ipm": 0}
depth = [0]

def timed(key, fn, count=None):
    def wrapper(*a, **kw):
        if depth[0]:
            return fn(*a, **kw)
        depth[0] += 1
        t = time.process_time()
        try:
            return fn(*a, **kw)
        finally:
            acc[key] += time.process_time() - t
            if count:
                acc[count] += 1
            depth[0] -= 1
    return wrapper

# compile: building the subproblem (cvxpy expression tree, DPP map) and the fast path's compile
sca._Subproblem.__init__ = timed("compile", sca._Subproblem.__init__)
sca_clustered._ClusteredSubproblem.__init__ = timed("compile", sca_clustered._ClusteredSubproblem.__init__)
clarabel_fast.ClarabelFastPath.compile = timed("compile", clarabel_fast.ClarabelFastPath.compile)
_solve = clarabel_fast.ClarabelFastPath.solve
def fast_solve(self, values, eps):
    c0 = acc["compile"]
    t = time.process_time()
    out = _solve(self, values, eps)
    acc["solve"] += time.process_time() - t - (acc["compile"] - c0)
    acc["n_solve"] += 1
    acc["ipm"] += int(getattr(self, "last_iterations", 0) or 0)
    return out
clarabel_fast.ClarabelFastPath.solve = fast_solve
sca._Subproblem._solve_cvxpy = timed("solve", sca._Subproblem._solve_cvxpy, "n_fallback")

p = SystemParams(M=M, K=M // k_ratio, N=8, L=L, cluster_size=cluster or None)

def recheck(d, ls, p):
    # the design's constraints re-checked here from its powers (closed forms, feas_tol 1e-4, the clusters)
    from secure_isac.cfmmimo.closed_forms import evaluate, normalize
    from secure_isac.cfmmimo.feasibility import is_feasible
    ch = normalize(ls, p)
    kind = "baseline" if scheme == "baseline" else scheme[:2]
    return bool(is_feasible(kind, d.ap_mode, d.power_c, d.power_s, evaluate(d.power_c, d.power_s, ch, p), p, 1e-4,
                            serving=ch.serving))
rows = []
for i in range(layout, layout + warm + 1):
    r = seeds.rng(seed, i, "layout")
    ls = channels.large_scale_fading(geometry.draw_layout(p, r), p, r)
    for k in ("compile", "solve", "n_solve", "n_fallback", "ipm"):
        acc[k] = 0 * acc[k]
    t, t_wall = time.process_time(), time.perf_counter()
    d = optimise(scheme, ls, p, seeds.rng(seed, i, scheme), SolverOptions())
    cpu, wall = time.process_time() - t, time.perf_counter() - t_wall
    rows.append({"cpu": cpu, "wall": wall, "compile": acc["compile"], "solve": acc["solve"],
                 "rest": cpu - acc["compile"] - acc["solve"],
                 "n_solve": acc["n_solve"], "n_fallback": acc["n_fallback"], "ipm": acc["ipm"],
                 "iterations": len(d.trace) - 1, "feasible": bool(d.feasible),
                 "min_rate": float(np.min(d.metrics.rate_ue)), "max_eve_rate": float(np.max(d.metrics.rate_eve)),
                 "secrecy": float(np.mean(d.metrics.secrecy_ue)), "min_secrecy": float(np.min(d.metrics.secrecy_ue)),
                 "recheck": recheck(d, ls, p),
                 "status": d.solver_status[:90],
                 "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
print(json.dumps({"import": t_imp, "rows": rows}))
"""


def run_one(src: str | None, M: int, scheme: str, warm: int, layout: int = 0, k_ratio: int = 8, L: int = 2,
            cluster: int = 0) -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    if src:
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    argv = [sys.executable, "-c", WORKER, str(M), scheme, str(warm), str(BASE_SEED), str(layout), str(k_ratio), str(L),
            str(cluster)]
    out = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"worker M={M} {scheme} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def exponent(Ms, times) -> float:
    return float(np.polyfit(np.log(Ms), np.log(times), 1)[0])


def _median(rows, key):
    return float(np.median([r[key] for r in rows]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--M", type=int, nargs="+", default=[16, 32, 64, 128, 256])
    ap.add_argument("--schemes", nargs="+", default=["cp", "sp"])
    ap.add_argument("--layouts", type=int, default=1,
                    help="layouts 0..n-1, each in its own fresh process; the table shows medians")
    ap.add_argument("--before", default=None, help="source tree (the directory holding secure_isac) of the old code")
    ap.add_argument("--skip-before-above", type=int, default=None,
                    help="do not run the old code for M above this (too slow or too much memory)")
    ap.add_argument("--warm", type=int, default=0, help="further designs in the same process (next layouts)")
    ap.add_argument("--json", default=None, help="also write all raw numbers to this file")
    ap.add_argument("--K-ratio", type=int, default=8, help="K = M / K_RATIO UEs")
    ap.add_argument("--L", type=int, default=2, help="sensing zones")
    ap.add_argument("--cluster-size", type=int, default=0,
                    help="user-centric cluster size (0: every AP serves every UE)")
    args = ap.parse_args()
    with open("/proc/loadavg") as fh:
        load = fh.read().split()[:3]
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"# benchmark_scale  {now}  {platform.machine()}  cores={os.cpu_count()}  load average {' '.join(load)}  "
          f"(CPU s: time.process_time of a fresh worker process, one thread; {args.layouts} layout(s) per row, "
          f"median; K = M/{args.K_ratio}, L = {args.L}, cluster_size = {args.cluster_size or 'all APs'})", flush=True)
    versions = [("before", args.before), ("after", None)] if args.before else [("now", None)]
    res: dict = {}
    for scheme in args.schemes:
        for M in args.M:
            for label, src in versions:
                if label == "before" and args.skip_before_above is not None and M > args.skip_before_above:
                    continue
                res[(label, scheme, M)] = [
                    run_one(src, M, scheme, args.warm, i, args.K_ratio, args.L, args.cluster_size)
                    for i in range(args.layouts)]
    hdr = (f"{'scheme':>6} {'M':>4} {'K':>3} {'code':>6} {'design CPU':>10} {'compile':>8} {'solves':>8} {'rest':>7} "
           f"{'iter':>5} {'solves#':>7} {'IPM':>5} {'import':>6} {'feasible':>8} {'min UE rate':>11} {'warm CPU':>9} "
           f"{'RSS MB':>7}")
    print(hdr)
    for scheme in args.schemes:
        for M in args.M:
            for label, _ in versions:
                if (label, scheme, M) not in res:
                    continue
                runs = res[(label, scheme, M)]
                first = [r["rows"][0] for r in runs]
                warm = [w["cpu"] for r in runs for w in r["rows"][1:]]
                ipm = _median(first, "ipm")
                print(f"{scheme:>6} {M:>4} {M // args.K_ratio:>3} {label:>6} {_median(first, 'cpu'):>10.2f} "
                      f"{_median(first, 'compile'):>8.2f} {_median(first, 'solve'):>8.2f} "
                      f"{_median(first, 'rest'):>7.2f} "
                      f"{_median(first, 'iterations'):>5.0f} {_median(first, 'n_solve'):>7.0f} "
                      f"{ipm if ipm else '-':>5} {np.median([r['import'] for r in runs]):>6.2f} "
                      f"{sum(f['feasible'] for f in first):>4d}/{len(first):<3d} {_median(first, 'min_rate'):>11.4f} "
                      f"{np.median(warm) if warm else float('nan'):>9.2f} "
                      f"{max(r['rows'][0].get('max_rss_mb', 0) for r in runs):>7.0f}", flush=True)
    print("growth exponent of the design CPU in M (least squares over log M of the medians):")
    for scheme in args.schemes:
        for label, _ in versions:
            Ms = [M for M in args.M if (label, scheme, M) in res]
            if len(Ms) >= 2:
                t = [_median([r["rows"][0] for r in res[(label, scheme, M)]], "cpu") for M in Ms]
                print(f"  {scheme:>3} {label:>6} (M = {Ms[0]}...{Ms[-1]}): {exponent(Ms, t):.2f}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({f"{k[0]}/{k[1]}/{k[2]}": v for k, v in res.items()}, fh, indent=1)


if __name__ == "__main__":
    main()
