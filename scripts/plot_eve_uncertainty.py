"""CP and SP secrecy and feasibility against the eavesdroppers' uncertainty radius, one line style per run
(cfmmimo.figures.plot_eve_uncertainty; docs/extensions/eavesdroppers.md), from study-1 sweep summaries over
eve_radius_m, e.g. after `snakemake --configfile config/eve_uncertainty.yaml sweeps scenarios`:

    python scripts/plot_eve_uncertainty.py independent=results/cfmmimo/sweeps/eve_radius_m.nc \
        colluding=results/scenarios/colluding/cfmmimo/sweeps/eve_radius_m.nc --out figures/cfmmimo/eve_uncertainty
"""

from __future__ import annotations

import argparse

import xarray as xr

from secure_isac.cfmmimo.figures import plot_eve_uncertainty
from secure_isac.plotting import save_figure


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="+", help="NAME=PATH of a sweep summary over eve_radius_m")
    ap.add_argument("--out", required=True, help="output stem (writes .pdf and .png)")
    args = ap.parse_args()
    runs = {}
    for item in args.runs:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            ap.error(f"runs: expected NAME=PATH, got {item!r}")
        with xr.open_dataset(path) as ds:
            runs[name] = ds.load()
    pdf, png = save_figure(plot_eve_uncertainty(runs), args.out)
    print(f"wrote {pdf} and {png}")


if __name__ == "__main__":
    main()
