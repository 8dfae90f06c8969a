"""Study-2 pipeline steps: the designs of one job (figure x scheme [x P]) and the per-figure aggregates."""

from __future__ import annotations

import logging
import math
import os
from typing import Any, Mapping, Sequence

import numpy as np
import xarray as xr

from .. import provenance
from ..dfbs import datasets as dfbs_datasets
from ..dfbs.params import DfbsParams
from ..dfbs.schemes import design, reference_design

log = logging.getLogger(__name__)

FIGURE_DIMS = {
    "fig2": ("scheme",),
    "fig3": ("scheme", "power_dbm", "secrecy_target"),
    "fig4": ("scheme", "power_dbm"),
}
# quantities that depend on the wall clock are logged, never written (equal inputs must give equal bytes)
WALL_CLOCK_VARS = ("wall_time_s",)


def dfbs_params(params: Mapping[str, Any]) -> DfbsParams:
    """DfbsParams from a config mapping (lists become tuples); unknown keys raise ValueError naming them."""
    known = {f for f in DfbsParams.__dataclass_fields__ if f != "extra"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValueError(f"params: unknown parameter(s) {unknown}; known: {sorted(known)}")
    return DfbsParams(**{k: tuple(v) if isinstance(v, list) else v for k, v in params.items()})


def secrecy_targets(params: DfbsParams, power_dbm: float, start: float, step: float, maximum: float) -> list[float]:
    """Fig. 3 grid: start, start + step, ... while below log2(1 + N_RF P / noise) and not above `maximum`."""
    if step <= 0:
        raise ValueError(f"secrecy_step: must be > 0, got {step}")
    bound = math.log2(1.0 + params.n_rf * 10 ** ((power_dbm - params.noise_dbm) / 10.0))
    out, i = [], 0
    while True:
        r = round(start + i * step, 10)
        if r >= bound or r > maximum + 1e-12:
            return out
        out.append(r)
        i += 1


def job_designs(config: Mapping[str, Any]) -> list:
    """Every design of one job; the Fig. 3 scan of one P stops at the first infeasible secrecy target (kept)."""
    figure, scheme, seed = config["figure"], config["scheme"], int(config["seed"])
    if figure not in FIGURE_DIMS:
        raise ValueError(f"figure: one of {sorted(FIGURE_DIMS)}, got {figure!r}")
    params = dfbs_params(config["params"])
    ref = reference_design(scheme, params, seed=seed)
    log.info("reference design of %s: %d SDPs, %.1f s", scheme, ref.n_sdp, ref.wall_time_s)

    def one(p, r):
        d = design(scheme, params, p, r, reference=ref, seed=seed)
        log.info("%s P=%g dBm R=%g: feasible=%s status=%s secrecy=%.4g n_sdp=%d wall=%.2fs", scheme, p, r,
                 d.feasible, d.solver_status, d.secrecy_rate, d.n_sdp, d.wall_time_s)
        return d

    if figure == "fig2":
        return [one(float(config["power_dbm"]), float(config["secrecy_target"]))]
    if figure == "fig4":
        return [one(float(p), float(config["secrecy_target"])) for p in config["power_dbm"]]
    p = float(config["power_dbm"])
    designs = []
    for r in secrecy_targets(params, p, float(config["secrecy_start"]), float(config["secrecy_step"]),
                             float(config["secrecy_max"])):
        designs.append(one(p, r))
        if not designs[-1].feasible:
            break
    if not designs:
        raise ValueError(f"secrecy_start: no secrecy target below the bound at P = {p} dBm")
    return designs


def run_designs(config: Mapping[str, Any], digest: str, out: str | os.PathLike, repo=None) -> None:
    """Compute one job's designs and write them as a contract-shaped dataset."""
    params = dfbs_params(config["params"])
    ds = dfbs_datasets.design_dataset(job_designs(config), params, dims=FIGURE_DIMS[config["figure"]])
    ds = ds.drop_vars([v for v in WALL_CLOCK_VARS if v in ds])
    _write(ds, out, config, digest, repo)


def _write(ds: xr.Dataset, out, config, digest, repo) -> None:
    ds = provenance.stamp(ds, {"config": dict(config), "code_digest": digest}, dfbs_datasets.REFERENCES,
                          provenance.git_commit(repo))
    provenance.write_netcdf(ds, out)
    log.info("wrote %s", out)


def _fills() -> dict:
    return {name: spec[4] for name, spec in dfbs_datasets.VARS.items()}


def aggregate(figure: str, config: Mapping[str, Any], digest: str, files: Sequence, out, repo=None) -> None:
    """Combine the job files of one figure into results/dfbs/<figure>.nc (missing grid points: contract fills)."""
    parts = provenance.open_intermediates(files)
    attrs = {k: v for k, v in parts[0].attrs.items() if k not in ("source", "git_commit", "config_json")}
    fills = _fills()
    # object labels: fixed-width unicode coordinates of different widths would be truncated when combined
    parts = [p.assign_coords(scheme=("scheme", p["scheme"].values.astype(object), p["scheme"].attrs)) for p in parts]
    for p in parts:
        p["solver_status"] = p["solver_status"].astype(object)
    # "override" keeps the variables' units/long_name (the global attributes are replaced below)
    ds = xr.combine_by_coords(parts, fill_value=fills, combine_attrs="override", join="outer", compat="no_conflicts")
    for name, (_, _, _, dtype, fill) in dfbs_datasets.VARS.items():
        if name in ds and dtype is not object and np.issubdtype(np.dtype(dtype), np.integer):
            ds[name] = ds[name].fillna(fill).astype(dtype, keep_attrs=True)
    status = ds["solver_status"]
    ds["solver_status"] = status.where(status != "nan", fills["solver_status"]).astype(str).assign_attrs(status.attrs)
    ds = ds.sel(scheme=[s for s in _scheme_order(config) if s in ds["scheme"].values.tolist()])
    ds = ds.assign_coords(scheme=("scheme", ds["scheme"].values.astype(str), ds["scheme"].attrs))
    ds.attrs = attrs
    _write(ds, out, config, digest, repo)


def _scheme_order(config) -> list[str]:
    order = []
    for s in config["schemes"]:
        order.extend(["random_aa_best", "random_aa_median"] if s == "random_aa" else [s])
    return order
