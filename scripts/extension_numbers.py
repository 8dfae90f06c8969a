"""Print the numbers that README.md and docs/extensions/*.md quote from the workflow's extension datasets: the
datasets the target `extensions` draws its figures from (pipeline.targets.extension_figures), read from a run folder.

    python scripts/extension_numbers.py [RUN] --pilot | --eve | --coherent

RUN: the folder of a finished `snakemake extensions` run under the configuration that ships the figure
(scripts/refresh_readme_figures.py EXTENSIONS), default the repository root. Means over the shown designs (feasible
ones of the optimised schemes, every baseline design), as in the figures.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import xarray as xr

from secure_isac.cfmmimo.figures import _usable, coherent_design_summary, pilot_contamination_summary

SWEEP = "results/{prefix}cfmmimo/sweeps/{key}.nc"


def pilot(run: Path) -> None:
    sweeps = {how: xr.open_dataset(run / SWEEP.format(prefix=prefix, key="tau_p"))
              for how, prefix in (("random", ""), ("greedy", "scenarios/greedy_pilots/"))}
    s = pilot_contamination_summary(sweeps)
    n = {how: ds.sizes["layout"] for how, ds in sweeps.items()}
    print(f"tau_p sweep, {n} layouts; per-UE average secrecy rate mean +- 95 % CI half-width (bit/s/Hz)")
    for scheme in s["scheme"].values:
        for tau in s["tau_p"].values:
            row = []
            for how in s["assignment"].values:
                one = s.sel(assignment=how, scheme=scheme, tau_p=tau)
                row.append(f"{how}: {float(one['secrecy_mean']):.3f} +- {1.96 * float(one['secrecy_sem']):.3f} "
                           f"(feasible {float(one['feasible']):.2f}, n {int(one['n'])}, Eve max "
                           f"{float(one['rate_eve_max']):.3f}, UE min {float(one['rate_ue_min']):.3f})")
            print(f"  {scheme} tau_p={int(tau)}: " + "; ".join(row))
    a, b = (sweeps[h]["secrecy_mean"].where(_usable(sweeps[h])) for h in ("random", "greedy"))
    d = (b - a)
    print("greedy - random, paired (mean +- 95 % CI):")
    for scheme in s["scheme"].values:
        x = d.sel(scheme=scheme)
        m, half = x.mean("layout").values, 1.96 * x.std("layout", ddof=1).values / np.sqrt(x.count("layout").values)
        print(f"  {scheme}: " + ", ".join(f"tau_p={int(t)} {mm:+.3f} +- {hh:.3f}"
                                          for t, mm, hh in zip(s["tau_p"].values, m, half, strict=True)))


def eve(run: Path) -> None:
    for how, prefix in (("independent", ""), ("colluding", "scenarios/colluding/")):
        ds = xr.open_dataset(run / SWEEP.format(prefix=prefix, key="eve_radius_m"))
        shown = _usable(ds)
        print(f"{how}: {ds.sizes['layout']} layouts per radius; per (scheme, r): feasible, secrecy over unseen "
              "positions (mean), violation rate mean / max, median of max unseen Eve SINR, min UE rate (mean)")
        for scheme in ds["scheme"].values:
            for r in ds["eve_radius_m"].values:
                one, m = ds.sel(scheme=scheme, eve_radius_m=r), shown.sel(scheme=scheme, eve_radius_m=r)
                print(f"  {scheme} r={float(r):g}: feasible {int((one['feasible'] == 1).sum())}/{one.sizes['layout']}"
                      f", secrecy {float(one['secrecy_unseen_mean'].where(m).mean()):.3f}, violations "
                      f"{float(one['eve_violation_rate'].where(m).mean()):.3f} / "
                      f"{float(one['eve_violation_rate'].where(m).max()):.3f}, max Eve SINR median "
                      f"{float(one['sinr_eve_unseen_max'].where(m).median()):.3g}, min UE rate "
                      f"{float(one['rate_ue_min'].where(m).mean()):.3f}")


def coherent(run: Path) -> None:
    rep, coh = (xr.open_dataset(run / f"results/scenarios/{name}/cfmmimo/fig3.nc")
                for name in ("coherent_reported", "coherent_design"))
    schemes = [s for s in coh["scheme"].values if s in rep["scheme"].values]
    s = coherent_design_summary(rep.sel(scheme=schemes), coh.sel(scheme=schemes))
    n = rep.sizes["layout"]
    print(f"{n} layouts per kappa, every design evaluated under coherent combining")
    for scheme in schemes:
        r, c = rep.sel(scheme=scheme), coh.sel(scheme=scheme)
        miss_r, miss_c = int((r["feasible"] != 1).sum()), int((c["feasible"] != 1).sum())
        total = r["feasible"].size
        print(f"  {scheme}: designs missing a constraint (12)/(17) {miss_r} of {total}, coherent {miss_c} of {total}")
        for k in s["kappa_db"].values:
            one = s.sel(scheme=scheme, kappa_db=k)
            print(f"    kappa={float(k):g} dB: feasible {int(r.sel(kappa_db=k)['feasible'].sum())} -> "
                  f"{int(c.sel(kappa_db=k)['feasible'].sum())}, secrecy {float(one['mean_reported']):.3f} -> "
                  f"{float(one['mean_coherent']):.3f}, paired change {float(one['change_mean']):+.3f} +- "
                  f"{float(one['change_ci']):.3f} ({int(one['n_paired'])} layouts)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", nargs="?", type=Path, default=Path(__file__).resolve().parents[1])
    which = ap.add_mutually_exclusive_group(required=True)
    for name in ("pilot", "eve", "coherent"):
        which.add_argument(f"--{name}", action="store_true")
    args = ap.parse_args(argv)
    {"pilot": pilot, "eve": eve, "coherent": coherent}[next(n for n in ("pilot", "eve", "coherent")
                                                           if getattr(args, n))](args.run)


if __name__ == "__main__":
    main()
