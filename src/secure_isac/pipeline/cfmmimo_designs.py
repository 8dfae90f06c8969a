"""Study-1 design steps of the workflow (file in, file out): one scheme's designs at one kappa on a batch of
layouts (cfmmimo.optimise), and the contract dataset of each figure."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .. import provenance, seeds
from ..cfmmimo import datasets
from ..cfmmimo.design import optimise
from ..cfmmimo.options import SolverOptions
from ..cfmmimo.params import SystemParams

log = logging.getLogger(__name__)


def optimise_batch(config: Mapping[str, Any], digest: str, channel_file, out, repo=None) -> None:
    """Design every layout of a batch with one scheme at one kappa (library: cfmmimo.optimise)."""
    params = SystemParams(**{**config["system"], "kappa_db": float(config["kappa_db"])})
    options = SolverOptions(**config["solver"])
    scheme = str(config["scheme"])
    seed = int(config["seed"])
    (ch,) = provenance.open_intermediates([channel_file])
    idx = ch["layout"].values
    designs = []
    for i in idx:
        t0 = time.perf_counter()
        d = optimise(scheme, datasets.large_scale_at(ch, int(i)), params, seeds.rng(seed, int(i), scheme), options)
        # timings go to the log only: files must not depend on the wall clock
        log.info("layout %d scheme %s kappa %s dB: feasible=%s status=%s iterations=%d secrecy_avg=%.4f "
                 "wall=%.2fs solver=%.2fs", i, scheme, params.kappa_db, d.feasible, d.solver_status, len(d.trace),
                 float(np.mean(d.metrics.secrecy_ue)), time.perf_counter() - t0, d.solver_time_s)
        designs.append(d)
    ds = datasets.design_dataset(designs, idx, scheme, params.kappa_db, options.solver)
    provenance.write_dataset(ds, out, config, digest, repo, datasets.REFERENCES, **datasets.system_attrs(params))


def aggregate(figure: str, config: Mapping[str, Any], digest: str, design_files: Sequence, layout_files: Sequence,
              channel_files: Sequence, out, repo=None) -> None:
    """The contract dataset results/cfmmimo/<figure>.nc (fig2, fig3, fig4) from its design, layout and channel
    files (plan.cf_designs, plan.cf_scenario)."""
    d, lay, ch = (provenance.open_intermediates(f) for f in (design_files, layout_files, channel_files))
    params = SystemParams(**config["system"])  # Fig. 3's config has no kappa_db: the sweep overrides it
    if figure == "fig4":
        ds = datasets.fig4_dataset(d, lay, ch, params, config["schemes"], int(config["n_layouts"]))
    elif figure == "fig3":
        ds = datasets.fig3_dataset(d, lay, ch, params, config["schemes"], config["kappa_db"], int(config["n_layouts"]))
    elif figure == "fig2":
        ds = datasets.fig2_dataset(d, lay[0], ch[0], params, config["schemes"], int(config["layout"]))
    else:
        raise ValueError(f"figure: unknown study-1 dataset {figure!r}; known: fig2, fig3, fig4")
    provenance.write_dataset(ds, out, config, digest, repo, datasets.REFERENCES)


def sweep_value(config: Mapping[str, Any], digest: str, design_files: Sequence, layout_files: Sequence,
                channel_files: Sequence, out, repo=None) -> None:
    """results/cfmmimo/sweeps/<key>/<label>.nc: the Fig. 4 variables (geometry, channels, designs) of one value of
    the swept key; the key and its exact value are global attributes, the contract's system attributes describe
    that value's system."""
    d, lay, ch = (provenance.open_intermediates(f) for f in (design_files, layout_files, channel_files))
    params = SystemParams(**config["system"])
    ds = datasets.fig4_dataset(d, lay, ch, params, config["schemes"], int(config["n_layouts"]))
    key, value = config["sweep_key"], config["sweep_value"]
    attrs = {k: v for k, v in ds.attrs.items() if k != key}
    ds.attrs = {**attrs, **datasets.system_attrs(params), key: provenance.attr_value(value), "sweep_key": key}
    provenance.write_dataset(ds, out, config, digest, repo, datasets.REFERENCES)


def sweep_values(config: Mapping[str, Any], parts: Sequence) -> list:
    """The swept values of a sweep summary in the order of its value files: the sweep section's own `values`
    (checked and typed by pipeline.config), else each file's attribute."""
    values = list(config.get("values", []))
    return values if len(values) == len(parts) else [p.attrs[config["sweep_key"]] for p in parts]


def sweep_summary(config: Mapping[str, Any], digest: str, files: Sequence, out, repo=None) -> None:
    """results/cfmmimo/sweeps/<key>.nc: per-layout results of every value, dims (scheme, <key>, layout):
    secrecy_mean (per-UE average), rate_ue_min, rate_eve_max, n_comm_aps, feasible, solver_status, and the
    eavesdropper extension's per-design results where the values have them (datasets.EVE_DESIGN_VARS)."""
    import xarray as xr

    parts = provenance.open_intermediates(files)
    key = config["sweep_key"]
    rows = []
    eve = [v for v in datasets.EVE_DESIGN_VARS if any(v in p for p in parts)]  # NaN where a value has none
    for p in parts:
        rows.append(xr.Dataset({
            "secrecy_mean": p["secrecy_ue"].mean("ue"),
            "rate_ue_min": p["rate_ue"].min("ue"),
            "rate_eve_max": p["rate_eve"].max("zone"),
            "n_comm_aps": p["ap_mode"].astype("int64").sum("ap"),
            "feasible": p["feasible"],
            "solver_status": p["solver_status"].astype(str),
            **{v: p[v] if v in p else xr.full_like(p["feasible"], np.nan, dtype=float) for v in eve},
        }))
    # the exact values in their own type (booleans too: a NetCDF attribute stores them as 0/1), in file order
    values = sweep_values(config, parts)
    ds = xr.concat(rows, dim=xr.DataArray(values, dims=key, name=key), combine_attrs="drop")
    ds = ds.transpose("scheme", key, "layout")
    ds[key].attrs.update(units=datasets.SWEEP_UNITS.get(key, "1"), long_name=f"swept value of cfmmimo.system.{key}")
    ds = datasets.annotate(ds)
    keep = ("tau_t", "nu", "varsigma_db", "kappa_db", "noise_power_w", "side_m", "ue_sinr_form", "prelog_factor",
            "pilot_assignment", "eve_position", "eve_design", "eve_collusion")  # (pilot_assignment and eve_*: only
    # off the paper's model, datasets.system_attrs)
    ds.attrs = {k: v for k, v in parts[0].attrs.items() if k in keep and k != key}
    ds.attrs["sweep_key"] = key
    provenance.write_dataset(ds, out, config, digest, repo, datasets.REFERENCES)
