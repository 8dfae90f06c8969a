"""Where CP becomes infeasible in kappa (docs/model.md S1-76), from a Fig. 3 dataset: the MASR ceiling kappa* of
every layout (the largest smallest-MASR any CP design reaches; CP is infeasible at kappa >= kappa*), and CP designed
at kappa values beyond Fig. 3's range on the first layouts (same streams as the workflow's design jobs), to see how
close the optimiser gets to that limit and what the claims' quantities do on the way.

Usage: python scripts/kappa_limit.py results/cfmmimo/fig3.nc [--kappa 20 30 40] [--layouts 10] [--scheme cp]
Prints a table; writes nothing.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import xarray as xr

from secure_isac import seeds
from secure_isac.cfmmimo.closed_forms import normalize
from secure_isac.cfmmimo.colocation import masr_ceiling
from secure_isac.cfmmimo.datasets import large_scale_at
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("fig3", help="a Fig. 3 dataset (results/cfmmimo/fig3.nc or a sensitivity run's)")
    ap.add_argument("--kappa", type=float, nargs="*", default=[20.0, 25.0, 30.0, 35.0, 40.0], help="kappa in dB")
    ap.add_argument("--layouts", type=int, default=10, help="layouts designed at each kappa (the first ones)")
    ap.add_argument("--scheme", default="cp")
    args = ap.parse_args(argv)

    with xr.open_dataset(args.fig3) as ds:
        ds = ds.load()
    config = json.loads(ds.attrs["config_json"])["config"]
    base = SystemParams(**config["system"])
    seed = int(config["seed"])
    layouts = ds["layout"].values
    t0 = time.perf_counter()
    ceil = np.array([masr_ceiling(normalize(large_scale_at(ds, int(i)), base)) for i in layouts], dtype=object)
    kstar_db = 10 * np.log10(np.array([c[0] for c in ceil], dtype=float))
    exact = np.array([c[1] for c in ceil])
    print(f"MASR ceiling kappa* over {len(layouts)} layouts ({time.perf_counter() - t0:.0f} s): min "
          f"{kstar_db.min():.1f} dB, 10 % {np.quantile(kstar_db, 0.1):.1f}, 20 % {np.quantile(kstar_db, 0.2):.1f}, "
          f"median {np.median(kstar_db):.1f}, max {kstar_db.max():.1f} dB; exact (an AP left unused) on "
          f"{exact.sum()}/{exact.size}")
    first = layouts[: args.layouts]
    print(f"{args.scheme} on layouts {first[0]}..{first[-1]} (kappa* of these: "
          f"{np.round(kstar_db[: len(first)], 1).tolist()} dB)")
    print("kappa_dB | beyond kappa* | feasible | mean min UE rate | mean max Eve rate | mean secrecy | starts | CPU s")
    for k in args.kappa:
        params = SystemParams(**{**config["system"], "kappa_db": k})
        rows, starts, t1 = [], {}, time.process_time()
        for i in first:
            d = optimise(args.scheme, large_scale_at(ds, int(i)), params, seeds.rng(seed, int(i), args.scheme),
                         SolverOptions())
            method = d.solver_status.split(";")[0].removeprefix("start=")
            starts[method] = starts.get(method, 0) + 1
            m = d.metrics
            rows.append((d.feasible, m.rate_ue.min(), m.rate_eve.max(), m.secrecy_ue.mean()))
        feas = np.array([r[0] for r in rows])
        vals = np.array([r[1:] for r in rows])[feas] if feas.any() else np.full((1, 3), np.nan)
        beyond = int(np.sum(k >= kstar_db[: len(first)]))
        print(f"{k:g} | {beyond}/{len(first)} | {feas.sum()}/{len(first)} | {vals[:, 0].mean():.3f} | "
              f"{vals[:, 1].mean():.4f} | {vals[:, 2].mean():.3f} | {starts} | {time.process_time() - t1:.0f}")


if __name__ == "__main__":
    main()
