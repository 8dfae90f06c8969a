"""Per-design changes between two runs: the distribution of every reported rate's change, per figure and scheme.

For the study-1 figure datasets (results/cfmmimo/fig3.nc, fig4.nc) it prints, per scheme, the number of designs,
feasibility changes, and the quantiles (median, 90 %, 99 %, max) of |change| of the per-UE average secrecy rate,
the min UE rate and the max Eve rate (bit/s/Hz) over the designs feasible in both runs, with the count above
--tol (default 1e-3, the tolerance of the performance issue). For study 2 (results/dfbs/fig3.nc, fig4.nc) the
relative change of the matching error and the absolute change of the secrecy rate. The issue asks for exactly
this distribution whenever a change of stopping rule moves designs (docs/performance.md).

    python scripts/design_changes.py RUN_BEFORE RUN_AFTER [--tol 1e-3]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import xarray as xr


def _quantiles(x: np.ndarray) -> str:
    if x.size == 0:
        return "-"
    q = np.quantile(x, [0.5, 0.9, 0.99, 1.0])
    return " ".join(f"{v:.1e}" for v in q)


def cfmmimo(a: xr.Dataset, b: xr.Dataset, name: str, tol: float) -> None:
    rates = {"secrecy_avg": a["secrecy_avg"], "min UE rate": a["rate_ue"].min("ue"),
             "max Eve rate": a["rate_eve"].max("zone")}
    after = {"secrecy_avg": b["secrecy_avg"], "min UE rate": b["rate_ue"].min("ue"),
             "max Eve rate": b["rate_eve"].max("zone")}
    print(f"\n== cfmmimo {name}: |change| quantiles (median 90% 99% max) over designs feasible in both runs")
    for s in a["scheme"].values:
        fa, fb = a["feasible"].sel(scheme=s).values.astype(bool), b["feasible"].sel(scheme=s).values.astype(bool)
        both = fa & fb
        parts = [f"{str(s):<9} designs {fa.size:>4}  feasible {fa.sum()}->{fb.sum()} (changed {int((fa != fb).sum())})"]
        for key in rates:
            d = np.abs(after[key].sel(scheme=s).values - rates[key].sel(scheme=s).values)[both]
            parts.append(f"{key}: {_quantiles(d)} (> {tol:g}: {int((d > tol).sum())})")
        print("  " + "\n      ".join(parts))


def dfbs(a: xr.Dataset, b: xr.Dataset, name: str, tol: float) -> None:
    print(f"\n== dfbs {name}")
    for s in a["scheme"].values:
        fa, fb = a["feasible"].sel(scheme=s).values.astype(bool), b["feasible"].sel(scheme=s).values.astype(bool)
        both = fa & fb
        ea, eb = a["matching_error"].sel(scheme=s).values, b["matching_error"].sel(scheme=s).values
        rel = (np.abs(eb - ea) / np.abs(ea))[both]
        sec = np.abs(b["secrecy_rate"].sel(scheme=s).values - a["secrecy_rate"].sel(scheme=s).values)[both]
        print(f"  {str(s):<9} designs {fa.size:>3}  feasible {fa.sum()}->{fb.sum()} (changed {int((fa != fb).sum())})"
              f"  matching error rel: {_quantiles(rel)} (> {tol:g}: {int((rel > tol).sum())})"
              f"  secrecy: {_quantiles(sec)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--tol", type=float, default=1e-3)
    args = ap.parse_args()
    for study, fn in (("cfmmimo", cfmmimo), ("dfbs", dfbs)):
        for fig in ("fig3", "fig4"):
            pa, pb = args.before / "results" / study / f"{fig}.nc", args.after / "results" / study / f"{fig}.nc"
            if pa.exists() and pb.exists():
                with xr.open_dataset(pa) as a, xr.open_dataset(pb) as b:
                    fn(a.load(), b.load(), fig, args.tol)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
