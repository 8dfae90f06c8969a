"""Study-2 steps of the workflow (file in, file out): each scheme's reference designs (no secrecy constraint,
valid at every P), one design per (scheme, P, R-bar) point, and the per-figure datasets; every design job reads the
reference its scheme's job wrote (its NetCDF form: pipeline.dfbs_reference; docs/deviations.md S2-D18)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from .. import provenance
from ..dfbs import datasets as dfbs_datasets
from ..dfbs.params import DfbsParams
from ..dfbs.schemes import design, reference_design
from .dfbs_reference import reference_dataset, reference_from_dataset

log = logging.getLogger(__name__)

POINT_DIMS = ("scheme", "power_dbm", "secrecy_target")
FIGURE_DIMS = {
    "fig2": ("scheme",),
    "fig3": ("scheme", "power_dbm", "secrecy_target"),
    "fig4": ("scheme", "power_dbm"),
}
# quantities that depend on the wall clock are logged, never written (equal inputs must give equal bytes)
WALL_CLOCK_VARS = ("wall_time_s",)


def _write(ds: xr.Dataset, out, config, digest, repo) -> None:
    provenance.write_dataset(ds, out, config, digest, repo, dfbs_datasets.REFERENCES)


def run_reference(config: Mapping[str, Any], digest: str, out: str | os.PathLike, repo=None) -> None:
    """Compute one scheme's designs without the secrecy constraint (valid at every P) and write them."""
    params = DfbsParams(**config["params"])
    seed = int(config.get("seed", 0))
    ref = reference_design(config["scheme"], params, seed=seed)
    log.info("reference design of %s: %d SDPs, %.1f s", config["scheme"], ref.n_sdp, ref.wall_time_s)
    _write(reference_dataset(ref, seed=seed), out, config, digest, repo)


def point_design(config: Mapping[str, Any], reference_file: str | os.PathLike):
    """The design of one scheme at one (P, R-bar), reusing the scheme's stored reference design."""
    params = DfbsParams(**config["params"])
    scheme, seed = config["scheme"], int(config.get("seed", 0))
    (ref_ds,) = provenance.open_intermediates([reference_file])
    ref = reference_from_dataset(ref_ds, params)
    p, r = float(config["power_dbm"]), float(config["secrecy_target"])
    d = design(scheme, params, p, r, reference=ref, seed=seed)
    log.info("%s P=%g dBm R=%g: feasible=%s status=%s secrecy=%.4g n_sdp=%d wall=%.2fs", scheme, p, r,
             d.feasible, d.solver_status, d.secrecy_rate, d.n_sdp, d.wall_time_s)
    return d


def run_design(config: Mapping[str, Any], digest: str, reference_file, out: str | os.PathLike, repo=None) -> None:
    """Compute one (scheme, P, R-bar) design and write it with dims (scheme, power_dbm, secrecy_target)."""
    params = DfbsParams(**config["params"])
    ds = dfbs_datasets.design_dataset([point_design(config, reference_file)], params, dims=POINT_DIMS)
    ds = ds.drop_vars([v for v in WALL_CLOCK_VARS if v in ds])
    _write(ds, out, config, digest, repo)


def _fills() -> dict:
    return {name: spec[4] for name, spec in dfbs_datasets.VARS.items()}


def aggregate(figure: str, config: Mapping[str, Any], digest: str, files: Sequence, out, repo=None) -> None:
    """Combine the point files of one figure into results/dfbs/<figure>.nc (missing grid points: contract fills)."""
    _write(combine(figure, config, provenance.open_intermediates(files)), out, config, digest, repo)


def combine(figure: str, config: Mapping[str, Any], parts: list) -> xr.Dataset:
    """One figure's dataset from its point datasets (dims of FIGURE_DIMS; a single P or R-bar becomes an attribute)."""
    attrs = {k: v for k, v in parts[0].attrs.items() if k not in ("source", "git_commit", "config_json")}
    fills = _fills()
    # object labels: fixed-width unicode coordinates of different widths would be truncated when combined
    parts = [p.assign_coords(scheme=("scheme", p["scheme"].values.astype(object), p["scheme"].attrs)) for p in parts]
    ints = [n for n, spec in dfbs_datasets.VARS.items() if spec[3] is not object and np.issubdtype(np.dtype(spec[3]),
                                                                                               np.integer)]
    for p in parts:
        p["solver_status"] = p["solver_status"].astype(object)
        for name in ints:
            # float while merging: "no_conflicts" treats only NaN as missing (cast back below)
            p[name] = p[name].astype(float, keep_attrs=True)
    # merge, not combine_by_coords: the Fig. 3 points do not form a hypercube (the R-bar grid depends on P);
    # "override" keeps the variables' units/long_name (the global attributes are replaced below)
    ds = xr.merge(parts, fill_value=np.nan, combine_attrs="override", join="outer", compat="no_conflicts")
    for name in ints:
        if name in ds:
            ds[name] = ds[name].fillna(fills[name]).astype(dfbs_datasets.VARS[name][3], keep_attrs=True)
    status = ds["solver_status"]
    ds["solver_status"] = status.where(status != "nan", fills["solver_status"]).astype(str).assign_attrs(status.attrs)
    ds = ds.sel(scheme=[s for s in _scheme_order(config) if s in ds["scheme"].values.tolist()])
    ds = ds.assign_coords(scheme=("scheme", ds["scheme"].values.astype(str), ds["scheme"].attrs))
    for dim in POINT_DIMS:
        if dim not in FIGURE_DIMS[figure]:
            # one value for the whole figure (Fig. 2: P and R-bar, Fig. 4: R-bar): a global attribute (contract)
            if ds.sizes[dim] != 1:
                raise ValueError(f"{figure}: expected one {dim}, got {ds[dim].values.tolist()}")
            attrs[dim] = float(ds[dim].values[0])
            ds = ds.squeeze(dim, drop=True)
    ds.attrs = attrs
    return ds


SWEEP_VARS = ("matching_error", "eve_info_power_dbm", "illum_joint_min_dbm", "illum_sensing_min_dbm",
              "user_power_dbm", "secrecy_rate", "feasible", "solver_status")


def sweep_value(config: Mapping[str, Any], digest: str, files: Sequence, out, repo=None) -> None:
    """results/dfbs/sweeps/<key>/<label>.nc: every scheme's design at the sweep's (P, R-bar) for one value of the
    swept key (all per-design variables, antenna arrays of the value's own length); the swept key and its exact
    value are global attributes."""
    ds = combine("fig2", config, provenance.open_intermediates(files))
    key, value = config["sweep_key"], config["sweep_value"]
    ds.attrs.update({key: provenance.attr_value(value), "sweep_key": key})
    _write(ds, out, config, digest, repo)


def sweep_summary(config: Mapping[str, Any], digest: str, files: Sequence, out, repo=None) -> None:
    """results/dfbs/sweeps/<key>.nc: the scalar results of every value (dims scheme, <key>) from the value files."""
    parts = provenance.open_intermediates(files)
    key = config["sweep_key"]
    values = list(config.get("values", []))  # the exact values in their own type, in file order
    values = values if len(values) == len(parts) else [p.attrs[key] for p in parts]
    ds = xr.concat([p[list(SWEEP_VARS)].drop_vars(["antenna", "antenna_col", "angle_deg"], errors="ignore")
                    for p in parts], dim=xr.DataArray(values, dims=key, name=key), combine_attrs="drop")
    units = {"power_dbm": "dBm", "noise_dbm": "dBm", "secrecy_target": "bit/s/Hz"}.get(
        key, "deg" if key.endswith("_deg") else "1")
    ds[key].attrs.update(units=units, long_name=f"swept value of {key}")
    ds = ds.transpose("scheme", key, ...)
    keep = ("n_antennas", "n_rf", "user_angle_deg", "target_angles_deg", "eve_angles_deg", "noise_dbm",
            "beam_width_deg", "p_max_rule", "power_dbm", "secrecy_target")
    ds.attrs = {k: v for k, v in parts[0].attrs.items() if k in keep and k != key}
    ds.attrs["sweep_key"] = key
    _write(ds, out, config, digest, repo)


def _scheme_order(config) -> list[str]:
    order = []
    for s in config["schemes"]:
        order.extend(["random_aa_best", "random_aa_median"] if s == "random_aa" else [s])
    return order
