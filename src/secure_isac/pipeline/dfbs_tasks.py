"""Study-2 pipeline steps: per-scheme reference designs, one design per (scheme, P, R-bar), per-figure aggregates."""

from __future__ import annotations

import logging
import os
from typing import Any, Mapping, Sequence

import numpy as np
import xarray as xr

from .. import provenance
from ..dfbs import datasets as dfbs_datasets
from ..dfbs import reference_io
from ..dfbs.params import DfbsParams, secrecy_target_grid, validate_snr
from ..dfbs.schemes import design, reference_design

log = logging.getLogger(__name__)

POINT_DIMS = ("scheme", "power_dbm", "secrecy_target")
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
    """Fig. 3 grid of the config keys secrecy_start/step/max (dfbs.params.secrecy_target_grid), errors naming them."""
    if step <= 0:
        raise ValueError(f"secrecy_step: must be > 0, got {step}")
    return secrecy_target_grid(params, power_dbm, step, start=start, maximum=maximum).tolist()


def figure_points(figure: str, fig: Mapping[str, Any], params: DfbsParams) -> list[tuple[float, float]]:
    """The (P dBm, R-bar) design points of one figure: Fig. 2 one point, Fig. 3 P x R-bar grid, Fig. 4 P values."""
    powers = [fig["power_dbm"]] if figure == "fig2" else fig["power_dbm"]
    for p in powers:
        validate_snr(params, p)
    if figure == "fig2":
        return [(float(fig["power_dbm"]), float(fig["secrecy_target"]))]
    if figure == "fig4":
        return [(float(p), float(fig["secrecy_target"])) for p in fig["power_dbm"]]
    if figure != "fig3":
        raise ValueError(f"figure: one of {sorted(FIGURE_DIMS)}, got {figure!r}")
    out = []
    for p in fig["power_dbm"]:
        rs = secrecy_targets(params, float(p), float(fig["secrecy_start"]), float(fig["secrecy_step"]),
                             float(fig["secrecy_max"]))
        if not rs:
            raise ValueError(f"secrecy_start: no secrecy target below the bound log2(1 + N_RF P/noise) at P = {p} dBm")
        out += [(float(p), r) for r in rs]
    return out


def run_reference(config: Mapping[str, Any], digest: str, out: str | os.PathLike, repo=None) -> None:
    """Compute one scheme's designs without the secrecy constraint (valid at every P) and write them."""
    params = dfbs_params(config["params"])
    seed = int(config.get("seed", 0))
    ref = reference_design(config["scheme"], params, seed=seed)
    log.info("reference design of %s: %d SDPs, %.1f s", config["scheme"], ref.n_sdp, ref.wall_time_s)
    _write(reference_io.reference_dataset(ref, seed=seed), out, config, digest, repo)


def point_design(config: Mapping[str, Any], reference_file: str | os.PathLike):
    """The design of one scheme at one (P, R-bar), reusing the scheme's stored reference design."""
    params = dfbs_params(config["params"])
    scheme, seed = config["scheme"], int(config.get("seed", 0))
    (ref_ds,) = provenance.open_intermediates([reference_file])
    ref = reference_io.reference_from_dataset(ref_ds, params)
    p, r = float(config["power_dbm"]), float(config["secrecy_target"])
    d = design(scheme, params, p, r, reference=ref, seed=seed)
    log.info("%s P=%g dBm R=%g: feasible=%s status=%s secrecy=%.4g n_sdp=%d wall=%.2fs", scheme, p, r,
             d.feasible, d.solver_status, d.secrecy_rate, d.n_sdp, d.wall_time_s)
    return d


def run_design(config: Mapping[str, Any], digest: str, reference_file, out: str | os.PathLike, repo=None) -> None:
    """Compute one (scheme, P, R-bar) design and write it with dims (scheme, power_dbm, secrecy_target)."""
    params = dfbs_params(config["params"])
    ds = dfbs_datasets.design_dataset([point_design(config, reference_file)], params, dims=POINT_DIMS)
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
    """Combine the point files of one figure into results/dfbs/<figure>.nc (missing grid points: contract fills)."""
    parts = provenance.open_intermediates(files)
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
    _write(ds, out, config, digest, repo)


def _scheme_order(config) -> list[str]:
    order = []
    for s in config["schemes"]:
        order.extend(["random_aa_best", "random_aa_median"] if s == "random_aa" else [s])
    return order
