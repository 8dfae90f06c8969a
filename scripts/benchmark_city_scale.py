"""Study 1, city scale (issue 25 section 4; docs/extensions/city-scale.md): prints the measured numbers against the
issue's targets.

1. One `cp` design at M = 1024, K = 64, L = 8, cluster_size = 8 on one core (target <= 60 s).
2. The growth exponent of a `cp` design with fixed cluster size from M = 64 to 1024, K = M / 16 (target <= 1.3):
   least squares of log(design CPU) over log(M), medians over the layouts.
   Each design runs in its own fresh process, one BLAS thread (scripts/benchmark_scale.py's worker: layout i of base
   seed 2026, N = 8, other parameters default), timed with time.process_time (CPU, not wall: the machine may be
   shared).
3. With --workflow-log LOG: the per-layout design times of a workflow run (the cfmmimo_optimise job logs, e.g. of
   `snakemake --cores 2 cfmmimo_fig4 --configfile config/city_scale.yaml`) and the extrapolation to 50 layouts on
   2 cores (target 30 min).
The loss against unclustered designs (M <= 256) is scripts/benchmark_clusters.py (figure and table). Usage:

    OPENBLAS_NUM_THREADS=1 python scripts/benchmark_city_scale.py [--M 64 128 256 512 1024] [--layouts 3]
        [--cluster-size 8] [--jobs 1] [--workflow-log logs/cfmmimo/optimise] [--n-layouts 50] [--cores 2]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark_scale import exponent, run_one  # noqa: E402

TARGET_S, TARGET_EXP, TARGET_WF_MIN = 60.0, 1.3, 30.0
LOG_LINE = re.compile(r"layout (\d+) scheme (\w+) kappa \S+ dB: feasible=(\w+) .* wall=([\d.]+)s")


def design_cpu(Ms, layouts: int, cluster_size: int, k_ratio: int, L: int, jobs: int = 1) -> dict:
    """{M: [worker rows]}: one fresh process per (M, layout), `jobs` of them at a time (CPU times are per process)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {(M, i): pool.submit(run_one, None, M, "cp", 0, i, k_ratio, L, cluster_size)
                   for M in Ms for i in range(layouts)}
    out = {}
    for M in Ms:
        out[M] = [futures[(M, i)].result()["rows"][0] for i in range(layouts)]
        cpu = [r["cpu"] for r in out[M]]
        print(f"  M = {M:5d} K = {M // k_ratio:3d}: design CPU {', '.join(f'{c:.1f}' for c in cpu)} s "
              f"(median {np.median(cpu):.1f}); feasible {sum(r['feasible'] for r in out[M])}/{layouts}; "
              f"SCA iterations {', '.join(str(r['iterations']) for r in out[M])}; "
              f"peak RSS {max(r['max_rss_mb'] for r in out[M]):.0f} MB", flush=True)
    return out


def workflow_job_cpu(bench_dir: Path, log_dir: Path) -> dict:
    """{scheme: [CPU s per layout]} of the completed cfmmimo_optimise jobs: Snakemake's benchmark cpu_time of the job
    (benchmarks/cfmmimo/optimise/<scheme>/kappa*/batch*.tsv) over the layouts its log reports."""
    out: dict = {}
    for f in sorted(bench_dir.rglob("batch*.tsv")):
        scheme = f.relative_to(bench_dir).parts[0]
        rows = f.read_text().splitlines()
        cpu = float(rows[-1].split("\t")[rows[0].split("\t").index("cpu_time")])
        log = log_dir / f.relative_to(bench_dir).with_suffix(".log")
        n = len(LOG_LINE.findall(log.read_text(errors="replace"))) if log.is_file() else 0
        if n:
            out.setdefault(scheme, []).append(cpu / n)
    return out


def workflow_layouts(log_dir: Path) -> dict:
    """{scheme: [wall s per layout]} from the cfmmimo_optimise job logs under log_dir."""
    out: dict = {}
    for f in sorted(log_dir.rglob("*.log")):
        for m in LOG_LINE.finditer(f.read_text(errors="replace")):
            out.setdefault(m.group(2), []).append(float(m.group(4)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--M", type=int, nargs="+", default=[64, 128, 256, 512, 1024])
    ap.add_argument("--layouts", type=int, default=3, help="layouts 0..n-1 per M, each in a fresh process")
    ap.add_argument("--cluster-size", type=int, default=8)
    ap.add_argument("--K-ratio", type=int, default=16, help="K = M / K_RATIO UEs")
    ap.add_argument("--L", type=int, default=8, help="sensing zones")
    ap.add_argument("--workflow-log", type=Path, default=None, help="folder of a workflow run's job logs")
    ap.add_argument("--n-layouts", type=int, default=50, help="layouts of the full workflow run (extrapolation)")
    ap.add_argument("--cores", type=int, default=2, help="cores of the full workflow run (extrapolation)")
    ap.add_argument("--jobs", type=int, default=1, help="design processes at a time")
    ap.add_argument("--json", type=Path, default=None, help="write the worker rows {M: [rows]} to this file")
    ap.add_argument("--load", type=Path, nargs="+", default=[],
                    help="rows of earlier runs (--json files): their M values are not run again")
    ap.add_argument("--skip-designs", action="store_true", help="only the workflow log part")
    args = ap.parse_args()
    with open("/proc/loadavg") as fh:
        load = " ".join(fh.read().split()[:3])
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"# benchmark_city_scale  {now}  {platform.machine()}  cores={os.cpu_count()}  load average {load} "
          "(a shared machine: CPU times are less noisy than wall times, but neither is a quiet-machine number)",
          flush=True)
    if not args.skip_designs:
        c = args.cluster_size
        print(f"cp designs, cluster_size = {c}, K = M/{args.K_ratio}, L = {args.L}, N = 8, {args.layouts} layout(s) "
              "per M, one fresh single-thread process each:")
        import json

        loaded = {int(M): r for f in args.load for M, r in json.loads(f.read_text()).items()}
        rows = {**loaded, **design_cpu([M for M in args.M if M not in loaded], args.layouts, c, args.K_ratio, args.L,
                                       args.jobs)}
        rows = {M: rows[M] for M in sorted(rows)}
        if args.json:
            args.json.write_text(json.dumps(rows))
        if loaded:
            print(f"  (M = {', '.join(map(str, sorted(loaded)))} from {', '.join(map(str, args.load))})")
        med = {M: float(np.median([r["cpu"] for r in rows[M]])) for M in rows}
        if 1024 in med:
            worst = max(r["cpu"] for r in rows[1024])
            print(f"TARGET 1: one cp design at M = 1024, K = {1024 // args.K_ratio}, L = {args.L}, cluster_size = {c}: "
                  f"median {med[1024]:.1f} s CPU, worst {worst:.1f} s (target <= {TARGET_S:.0f} s): "
                  f"{'met' if worst <= TARGET_S else 'median met' if med[1024] <= TARGET_S else 'NOT met'}")
        if len(med) >= 2:
            e = exponent(list(med), list(med.values()))
            print(f"TARGET 2: growth exponent of the design CPU, M = {min(med)}...{max(med)}: {e:.2f} "
                  f"(target <= {TARGET_EXP}): {'met' if e <= TARGET_EXP else 'NOT met'}")
            Ms = sorted(med)
            steps = ", ".join(f"{a}->{b}: {np.log(med[b] / med[a]) / np.log(b / a):.2f}" for a, b in zip(Ms, Ms[1:]))
            print(f"  local exponents {steps}")
    if args.workflow_log is not None:
        per = workflow_layouts(args.workflow_log)
        if not per:
            print(f"no design log lines under {args.workflow_log}")
            return
        total = 0.0
        print(f"workflow job logs {args.workflow_log}: wall s per layout (the jobs ran {args.cores} at a time on a "
              "shared machine):")
        for scheme, w in sorted(per.items()):
            print(f"  {scheme:>8}: {len(w)} layouts, median {np.median(w):.1f} s, mean {np.mean(w):.1f} s, "
                  f"max {np.max(w):.1f} s")
            total += float(np.mean(w))
        bench = args.workflow_log.parent.parent.parent / "benchmarks" / args.workflow_log.relative_to(
            args.workflow_log.parent.parent.parent / "logs")
        cpu = workflow_job_cpu(bench, args.workflow_log) if bench.is_dir() else {}
        for scheme, c in sorted(cpu.items()):
            print(f"  {scheme:>8}: CPU per layout of the completed jobs (job cpu_time / layouts, start-up included): "
                  f"{', '.join(f'{x:.1f}' for x in c)} s")
        wall = total * args.n_layouts / args.cores / 60
        print(f"  wall-time extrapolation (meaningless on a loaded machine): {wall:.1f} min")
        if cpu:
            est = sum(float(np.mean(c)) for c in cpu.values()) * args.n_layouts / args.cores / 60.0
            print(f"TARGET 3: {args.n_layouts} layouts x ({', '.join(sorted(cpu))}) on {args.cores} idle cores, from "
                  f"the completed jobs' CPU per layout: {est:.1f} min of design work (target {TARGET_WF_MIN:.0f} min; "
                  "without channel, aggregation and plot jobs; a scheme without a completed job is missing)")


if __name__ == "__main__":
    main()
