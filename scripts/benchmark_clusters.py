"""Study 1, user-centric clusters (docs/extensions/city-scale.md): the secrecy lost against designs in which every AP
serves every UE, on the same layouts, where both run (M <= 256), and the CPU time of each design.

For every M and layout i (layout stream of base seed 2026, K = M / K_RATIO, L zones, other parameters default) one `cp`
design with cluster_size = C and one with every AP serving every UE (same layout, same random stream), in this process
(--jobs: several at a time), one BLAS thread; time.process_time per design (the clustered problem is compiled for every
layout, the unclustered one once per shape). Prints the table and writes the dataset (netCDF) and the figure
(cfmmimo.figures.plot_cluster_loss). Usage:

    OPENBLAS_NUM_THREADS=1 python scripts/benchmark_clusters.py [--M 64 128 256] [--layouts 20] [--cluster-size 8]
        [--K-ratio 16] [--L 8] [--jobs 1] [--out results/benchmarks/cluster_loss]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import time
import warnings
from pathlib import Path

import numpy as np

BASE_SEED = 2026


NAMES = ("secrecy_avg", "rate_ue_min", "rate_eve_max", "feasible", "cpu_s", "n_iterations")


def _pair(M: int, i: int, cluster_size: int, k_ratio: int, L: int) -> list[tuple]:
    """Layout i at M: the values of NAMES for the clustered design and for every AP serving (one process)."""
    from secure_isac import seeds
    from secure_isac.cfmmimo import channels, geometry
    from secure_isac.cfmmimo.design import optimise
    from secure_isac.cfmmimo.options import SolverOptions
    from secure_isac.cfmmimo.params import SystemParams

    warnings.filterwarnings("ignore")
    rows = []
    for c in (cluster_size, 0):
        p = SystemParams(M=M, K=M // k_ratio, L=L, cluster_size=c or None)
        r = seeds.rng(BASE_SEED, i, "layout")
        ls = channels.large_scale_fading(geometry.draw_layout(p, r), p, r)
        t = time.process_time()
        d = optimise("cp", ls, p, seeds.rng(BASE_SEED, i, "cp"), SolverOptions())
        cpu = time.process_time() - t
        rows.append((float(np.mean(d.metrics.secrecy_ue)), float(np.min(d.metrics.rate_ue)),
                     float(np.max(d.metrics.rate_eve)), float(d.feasible), cpu, float(len(d.trace))))
    return rows


def design_table(Ms, layouts: int, cluster_size: int, k_ratio: int, L: int, jobs: int = 1):
    """xarray Dataset (cluster_size in (C, 0), M, layout): secrecy_avg, rate_ue_min, rate_eve_max, feasible, cpu_s,
    n_iterations. One (M, layout) pair per task, `jobs` processes at a time (CPU times are per process)."""
    from concurrent.futures import ProcessPoolExecutor

    import xarray as xr

    sizes = [cluster_size, 0]
    out = {n: np.full((2, len(Ms), layouts), np.nan) for n in NAMES}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {(j, i): pool.submit(_pair, M, i, cluster_size, k_ratio, L)
                   for j, M in enumerate(Ms) for i in range(layouts)}
        for (j, i), fut in futures.items():
            for c_i, vals in enumerate(fut.result()):
                for n, v in zip(NAMES, vals, strict=True):
                    out[n][c_i, j, i] = v
            print(f"  M = {Ms[j]:4d} layout {i:3d}: secrecy clustered {out['secrecy_avg'][0, j, i]:.4f} "
                  f"({out['cpu_s'][0, j, i]:.1f} s), every AP {out['secrecy_avg'][1, j, i]:.4f} "
                  f"({out['cpu_s'][1, j, i]:.1f} s)", flush=True)
    ds = xr.Dataset({n: (("cluster_size", "M", "layout"), v) for n, v in out.items()},
                    coords={"cluster_size": sizes, "M": np.asarray(Ms), "layout": np.arange(layouts)})
    units = {"secrecy_avg": "bit/s/Hz", "rate_ue_min": "bit/s/Hz", "rate_eve_max": "bit/s/Hz", "feasible": "1",
             "cpu_s": "s", "n_iterations": "1"}
    for n, u in units.items():
        ds[n].attrs["units"] = u
    ds["cluster_size"].attrs["long_name"] = "serving APs per UE (0 = every AP)"
    ds.attrs.update(K_ratio=k_ratio, L=L, scheme="cp", base_seed=BASE_SEED)
    return ds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--M", type=int, nargs="+", default=[64, 128, 256])
    ap.add_argument("--layouts", type=int, default=20)
    ap.add_argument("--cluster-size", type=int, default=8)
    ap.add_argument("--K-ratio", type=int, default=16, help="K = M / K_RATIO UEs")
    ap.add_argument("--L", type=int, default=8, help="sensing zones")
    ap.add_argument("--jobs", type=int, default=1, help="processes at a time (one (M, layout) pair each)")
    ap.add_argument("--out", default="results/benchmarks/cluster_loss",
                    help="writes OUT.nc and OUT.png (parent folders are created)")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    with open("/proc/loadavg") as fh:
        load = " ".join(fh.read().split()[:3])
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"# benchmark_clusters  {now}  {platform.machine()}  cores={os.cpu_count()}  load average {load}  "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}", flush=True)
    ds = design_table(args.M, args.layouts, args.cluster_size, args.K_ratio, args.L, args.jobs)
    from secure_isac.cfmmimo.figures import plot_cluster_loss

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    ds.to_netcdf(out.with_suffix(".nc"))
    fig = plot_cluster_loss(ds)
    fig.savefig(out.with_suffix(".png"), dpi=150)
    c = args.cluster_size
    print(f"\nCP designs, {args.layouts} layouts per M, K = M/{args.K_ratio}, L = {args.L}; clusters of {c} APs vs "
          "every AP serving every UE (means over the layouts feasible in both; loss = 1 - clustered/every AP, per "
          "layout)")
    print(f"{'M':>5} {'K':>4} {'feasible C/all':>14} {'secrecy C':>10} {'secrecy all':>11} {'loss % mean':>11} "
          f"{'loss % median':>13} {'loss % max':>10} {'min rate C':>10} {'min rate all':>12} {'CPU C (s)':>9} "
          f"{'CPU all (s)':>11}")
    for M in args.M:
        one = ds.sel(M=M)
        f_c, f_a = (one["feasible"].sel(cluster_size=v).values == 1 for v in (c, 0))
        both = f_c & f_a
        sc, sa = (one["secrecy_avg"].sel(cluster_size=v).values[both] for v in (c, 0))
        rc, ra = (one["rate_ue_min"].sel(cluster_size=v).values[both] for v in (c, 0))
        loss = 100 * (1 - sc / sa)
        cpu_c, cpu_a = (np.median(one["cpu_s"].sel(cluster_size=v).values) for v in (c, 0))
        print(f"{M:>5} {M // args.K_ratio:>4} {f'{f_c.sum()}/{f_a.sum()}':>14} {sc.mean():>10.4f} {sa.mean():>11.4f} "
              f"{loss.mean():>11.2f} {np.median(loss):>13.2f} {loss.max():>10.2f} {rc.mean():>10.4f} "
              f"{ra.mean():>12.4f} {cpu_c:>9.2f} {cpu_a:>11.2f}")
    print(f"wrote {out.with_suffix('.nc')} and {out.with_suffix('.png')}")


if __name__ == "__main__":
    main()
