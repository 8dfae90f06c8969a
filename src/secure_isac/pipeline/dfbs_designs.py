"""Study-2 steps of the workflow (file in, file out): each scheme's reference designs (no secrecy constraint,
valid at every P), one design per (scheme, P, R-bar) point, and the per-figure datasets; plus the NetCDF form of
the reference, so that every design job reads the reference its scheme's job wrote (docs/deviations.md S2-D18)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from .. import provenance
from ..dfbs import datasets as dfbs_datasets
from ..dfbs.params import DfbsParams
from ..dfbs.pscp import PscpResult
from ..dfbs.schemes import DfbsReference, design, reference_design
from ..dfbs.sdr import SdpResult

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


# --- the reference designs as a dataset (exact float64 round trip) ----------------------------------------------


def _params_json(params: DfbsParams) -> str:
    return json.dumps(params.to_dict(), sort_keys=True)


def _cplx(ds: xr.Dataset, name: str) -> np.ndarray:
    return ds[f"{name}_re"].values + 1j * ds[f"{name}_im"].values


def reference_dataset(ref: DfbsReference, *, seed: int = 0) -> xr.Dataset:
    """Dataset of every candidate of `ref`: selection, unconstrained SDP result, P-SCP iterates and trace."""
    p = ref.params
    N = p.n_antennas
    C = len(ref.candidates)
    n_it = [len(c["iterates"]) for c in ref.candidates]
    n_tr = [len(c["pscp"].objective) if c["pscp"] is not None else 0 for c in ref.candidates]
    I, T = max(n_it + [1]), max(n_tr + [1])
    sel = np.zeros((C, N), np.int8)
    # the unconstrained solution lives on the selected sub-array (reduced form): K x K with K = len(selection)
    K = max(len(c["selection"]) for c in ref.candidates)
    X = np.full((C, K, K), np.nan + 0j)
    it = np.full((C, I, N, N), np.nan + 0j)
    u_unc = np.full((C, N), np.nan)
    u_ps = np.full((C, N), np.nan)
    trace_obj = np.full((C, T), np.nan)
    trace_g = np.full((C, T), np.nan)
    scal = {k: np.zeros(C) for k in ("objective", "alpha")}
    ints = {k: np.zeros(C, np.int64) for k in ("has_pscp", "pscp_n_iter", "pscp_converged", "pscp_feasible",
                                               "pscp_n_sdp", "unc_feasible")}
    status, pscp_status, pscp_stop = [], [], []
    for c, cand in enumerate(ref.candidates):
        sel[c, np.asarray(cand["selection"])] = 1
        r: SdpResult = cand["unconstrained"]
        status.append(r.status)
        ints["unc_feasible"][c] = int(r.feasible)
        scal["objective"][c], scal["alpha"][c] = r.objective, r.alpha
        if r.X is not None:
            k = r.X.shape[0]
            X[c, :k, :k] = r.X
        if r.u is not None:
            u_unc[c] = r.u
        for k, x in enumerate(cand["iterates"]):
            it[c, k] = x
        ps: PscpResult | None = cand["pscp"]
        pscp_status.append("" if ps is None else ps.status)
        pscp_stop.append("" if ps is None else ps.stop_reason)
        if ps is not None:
            ints["has_pscp"][c] = 1
            ints["pscp_n_iter"][c], ints["pscp_n_sdp"][c] = ps.n_iter, ps.n_sdp
            ints["pscp_converged"][c], ints["pscp_feasible"][c] = int(ps.converged), int(ps.feasible)
            u_ps[c] = ps.u
            trace_obj[c, : len(ps.objective)] = ps.objective
            trace_g[c, : len(ps.binary_distance)] = ps.binary_distance
    cn, an, bn = "candidate", "antenna", "antenna_col"
    data = {
        "start": ((cn,), np.array([str(c["start"]) for c in ref.candidates], dtype=object)),
        "selected": ((cn, an), sel),
        "unc_status": ((cn,), np.array(status, dtype=object)),
        "unc_objective": ((cn,), scal["objective"]),
        "unc_alpha": ((cn,), scal["alpha"]),
        "unc_x_re": ((cn, "sub", "sub_col"), X.real), "unc_x_im": ((cn, "sub", "sub_col"), X.imag),
        "unc_u": ((cn, an), u_unc),
        "n_iterates": ((cn,), np.array(n_it, np.int64)),
        "iterate_x_re": ((cn, "iterate", an, bn), it.real), "iterate_x_im": ((cn, "iterate", an, bn), it.imag),
        "pscp_status": ((cn,), np.array(pscp_status, dtype=object)),
        "pscp_stop_reason": ((cn,), np.array(pscp_stop, dtype=object)),
        "pscp_u": ((cn, an), u_ps),
        "pscp_objective": ((cn, "trace"), trace_obj),
        "pscp_binary_distance": ((cn, "trace"), trace_g),
        **{k: ((cn,), v) for k, v in ints.items()},
    }
    ds = xr.Dataset(data, coords={cn: np.arange(C), an: np.arange(N), bn: np.arange(N)})
    ds.attrs.update(scheme=ref.scheme, params_json=_params_json(p), n_sdp=int(ref.n_sdp), seed=int(seed),
                    description="designs without the secrecy constraint, powers normalised by P (valid at every P)")
    return ds


def reference_from_dataset(ds: xr.Dataset, params: DfbsParams) -> DfbsReference:
    """Inverse of reference_dataset; ValueError if the file was computed for other parameters."""
    if ds.attrs.get("params_json") != _params_json(params):
        raise ValueError("reference: the file was computed for different dfbs params; rebuild it")
    X, it = _cplx(ds, "unc_x"), _cplx(ds, "iterate_x")
    cands = []
    for c in range(ds.sizes["candidate"]):
        selection = np.flatnonzero(ds["selected"].values[c])
        k = len(selection)
        Xc = X[c, :k, :k]
        u = ds["unc_u"].values[c]
        unc = SdpResult(str(ds["unc_status"].values[c]), bool(ds["unc_feasible"].values[c]),
                        float(ds["unc_objective"].values[c]), Xc if np.isfinite(Xc).all() else None, None, None,
                        float(ds["unc_alpha"].values[c]), u if np.isfinite(u).all() else None, 0.0)
        iterates = [it[c, k] for k in range(int(ds["n_iterates"].values[c]))]
        ps = None
        if ds["has_pscp"].values[c]:
            n = int(ds["pscp_n_iter"].values[c])
            ps = PscpResult(u=ds["pscp_u"].values[c].copy(), selection=selection,
                            objective=ds["pscp_objective"].values[c, :n].tolist(),
                            binary_distance=ds["pscp_binary_distance"].values[c, :n].tolist(),
                            iterates=iterates, n_iter=n, converged=bool(ds["pscp_converged"].values[c]),
                            feasible=bool(ds["pscp_feasible"].values[c]), status=str(ds["pscp_status"].values[c]),
                            n_sdp=int(ds["pscp_n_sdp"].values[c]),
                            stop_reason=str(ds["pscp_stop_reason"].values[c]))
        cands.append(dict(start=str(ds["start"].values[c]), selection=selection, unconstrained=unc,
                          iterates=iterates, pscp=ps))
    seed = ds.attrs.get("seed")
    return DfbsReference(str(ds.attrs["scheme"]), params, cands, int(ds.attrs["n_sdp"]), 0.0,
                         seed=None if seed is None else int(seed))
