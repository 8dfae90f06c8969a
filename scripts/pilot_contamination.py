"""Print the numbers of docs/extensions/pilot-contamination.md (extension, not in the paper): CP/SP/baseline designs
against the pilot length tau_p for the random and the greedy pilot assignment, and a Monte Carlo check of a
contaminated CP design.

Every design is cfmmimo.optimise with the workflow's seeds (seed 20260318 as config/config.yaml), i.e. the numbers a
`snakemake sweeps --configfile config/pilot_contamination.yaml` run gives on its first --layouts layouts. Single
process; run it with `nice` on a shared machine.

Usage: python scripts/pilot_contamination.py [--layouts 20] [--tau 1 2 3 4 6] [--draws 50000] [--data PREFIX]

The figure (both assignments against tau_p) is a workflow output (workflow/rules/extensions.smk):
`snakemake extensions --configfile config/pilot_contamination.yaml` draws figures/cfmmimo/pilot_contamination.{pdf,png}
from the workflow's two tau_p sweeps.
"""

import argparse
import time

import numpy as np

from secure_isac.cfmmimo.params import SystemParams
from secure_isac.cfmmimo.pilot_contamination import monte_carlo_check, pilot_sweep

SEED = 20260318


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layouts", type=int, default=20, help="layouts per (assignment, tau_p)")
    ap.add_argument("--tau", type=int, nargs="+", default=[1, 2, 3, 4, 6], help="pilot lengths")
    ap.add_argument("--draws", type=int, default=50_000, help="Monte Carlo channel draws (0: skip the check)")
    ap.add_argument("--data", default=None, help="also write the per-layout datasets to DATA_<assignment>.nc")
    args = ap.parse_args()
    params = SystemParams()

    if args.draws:
        for how, tau_p in (("greedy", 2), ("random", 1)):
            p = SystemParams(tau_p=tau_p, pilot_assignment=how)
            t0 = time.perf_counter()
            mc = monte_carlo_check(p, SEED, 0, "cp", n_draws=args.draws)
            print(f"Monte Carlo check, CP design of layout 0, {how} pilots, tau_p = {tau_p} (pilots {mc.pilot}), "
                  f"{mc.n_draws} draws, {time.perf_counter() - t0:.1f} s")
            print("  UE SINR closed form :", np.array2string(mc.closed_ue, precision=4))
            print("  UE SINR Monte Carlo :", np.array2string(mc.mc_ue, precision=4),
                  f"(max rel. err {np.max(np.abs(mc.closed_ue / mc.mc_ue - 1)):.2%})")
            print("  without the coherent contamination term:", np.array2string(mc.without_term_ue, precision=4),
                  f"(max rel. err {np.max(np.abs(mc.without_term_ue / mc.mc_ue - 1)):.2%})")
            print(f"  Eve SINR max rel. err {np.max(np.abs(mc.closed_eve / mc.mc_eve - 1)):.2%}, MASR "
                  f"{np.max(np.abs(mc.closed_masr / mc.mc_masr - 1)):.2%}, estimate power E|g_hat|^2/(N gamma) in "
                  f"[{mc.gamma_ratio.min():.4f}, {mc.gamma_ratio.max():.4f}]")

    t0 = time.perf_counter()
    sweeps = pilot_sweep(params, args.tau, ("random", "greedy"), args.layouts, seed=SEED)
    print(f"\n{args.layouts} layouts per value, M = {params.M}, N = {params.N}, K = {params.K}, L = {params.L}; "
          f"{time.perf_counter() - t0:.0f} s (shared machine)")
    print("assignment | tau_p | scheme | secrecy mean (95 % CI) | min UE rate | max Eve rate | feasible | s/design")
    for how, ds in sweeps.items():
        for tau_p in ds["tau_p"].values:
            for scheme in ds["scheme"].values:
                one = ds.sel(tau_p=tau_p, scheme=scheme)
                shown = (one["feasible"] == 1) | (scheme == "baseline")
                sec = one["secrecy_mean"].values[shown.values]
                half = 1.96 * sec.std(ddof=1) / np.sqrt(sec.size) if sec.size > 1 else np.nan
                print(f"{how} | {tau_p} | {scheme} | {sec.mean():.3f} (+-{half:.3f}) | "
                      f"{one['rate_ue_min'].values[shown.values].mean():.3f} | "
                      f"{one['rate_eve_max'].values[shown.values].mean():.3f} | "
                      f"{int(one['feasible'].sum())}/{one.sizes['layout']} | {float(one['wall_time_s'].mean()):.2f}")
    if set(sweeps) >= {"random", "greedy"}:  # paired over the same layouts: what the greedy rule buys
        print("tau_p | scheme | secrecy greedy - random, paired mean (95 % CI) | layouts with both feasible")
        g, r = sweeps["greedy"], sweeps["random"]
        for tau_p in g["tau_p"].values:
            for scheme in g["scheme"].values:
                a, b = g.sel(tau_p=tau_p, scheme=scheme), r.sel(tau_p=tau_p, scheme=scheme)
                both = ((a["feasible"] == 1) & (b["feasible"] == 1)).values | (scheme == "baseline")
                d = (a["secrecy_mean"] - b["secrecy_mean"]).values[both]
                half = 1.96 * d.std(ddof=1) / np.sqrt(d.size) if d.size > 1 else np.nan
                print(f"{tau_p} | {scheme} | {d.mean():+.3f} (+-{half:.3f}) | {d.size}")
    if args.data:
        for how, ds in sweeps.items():
            out = ds.copy()
            out["solver_status"] = out["solver_status"].astype(str)
            out.to_netcdf(f"{args.data}_{how}.nc")
        print(f"wrote {args.data}_<assignment>.nc")


if __name__ == "__main__":
    main()
