"""Study-1 datasets of the data contract: layout/channel/design batch files and the per-figure datasets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import xarray as xr

from .channels import LargeScale
from .geometry import Layout
from .params import SystemParams

REFERENCES = "arXiv:2603.18635"
# schemes that enforce no constraint: every design is a valid result (its `feasible` flag only records whether
# it happens to meet Eve <= nu and MASR >= kappa); an infeasible design of any other scheme has no rate
UNCONSTRAINED = ("baseline",)

# units and long_name of every variable and coordinate written by this module (contract: all carry both).
META: dict[str, tuple[str, str]] = {
    "layout": ("1", "layout index (random stream key)"),
    "ap": ("1", "access point index m"),
    "ue": ("1", "user equipment index k"),
    "zone": ("1", "sensing zone (potential eavesdropper) index l"),
    "xy": ("1", "Cartesian component"),
    "scheme": ("1", "design scheme"),
    "kappa_db": ("dB", "minimum MASR kappa"),
    "iteration": ("1", "SCA iterate n (0 = initial point)"),
    "ap_xy": ("m", "AP position"),
    "ue_xy": ("m", "UE position"),
    "zone_xy": ("m", "sensing-zone centre (eavesdropper position)"),
    "shadowing_db": ("dB", "shadowing realisation added to the path loss (0 where not applied)"),
    "beta": ("W/W", "large-scale fading AP m to UE k, linear, absolute"),
    "gamma": ("W/W", "LMMSE channel-estimate variance, linear, absolute"),
    "zeta": ("W/W", "sensing-channel gain AP m to zone l, linear, absolute"),
    "sin_theta": ("1", "sine of the angle of departure from AP m to zone l (ULA along x, broadside reference)"),
    "pilot": ("1", "pilot index of UE k; UEs with equal index share a pilot (written only when some do)"),
    "ap_mode": ("1", "AP mode: 1 = communication AP, 0 = sensing AP"),
    "power_c": ("1", "share of AP m's power budget spent on UE k, N gamma_mk eta^c_mk"),
    "power_s": ("1", "share of AP m's power budget spent on zone l, N eta^s_ml"),
    "sinr_ue": ("1", "closed-form UE SINR (corrected eq. (9)), linear"),
    "sinr_eve": ("1", "closed-form eavesdropper SINR (eq. (17)), linear"),
    "masr": ("1", "closed-form mainlobe-to-average-sidelobe ratio (eq. (12)), linear"),
    "rate_ue": ("bit/s/Hz", "UE rate log2(1 + SINR)"),
    "rate_eve": ("bit/s/Hz", "eavesdropper rate log2(1 + SINR)"),
    "secrecy_ue": ("bit/s/Hz", "secrecy rate max(0, rate_ue - max over zones of rate_eve)"),
    "secrecy_avg": ("bit/s/Hz", "per-UE average secrecy rate (1/K) sum_k secrecy_ue"),
    "feasible": ("1", "1 if the design meets every constraint of its problem within tolerance"),
    "solver_status": ("none", "how the solve ended (text)"),
    "solver": ("none", "convex solver used by the SCA steps (text)"),
    "n_iterations": ("1", "number of recorded SCA iterates including the initial point"),
    "repair_start": ("1", "first iterate of the rounding/repair phase (-1 if none)"),
    "rate_ue_min": ("bit/s/Hz", "minimum UE rate min_k R_k at the iterate"),
    "rate_eve_max": ("bit/s/Hz", "maximum eavesdropper rate max_l R_l at the iterate"),
    "secrecy": ("bit/s/Hz", "per-UE average secrecy rate at the iterate"),
    "objective": ("1", "penalised SCA objective t -/+ lambda sum(a - a^2) at the iterate"),
    "binary_distance": ("1", "max_m min(a_m, 1 - a_m) at the iterate"),
    "phase": ("none", "algorithm phase of the iterate: penalty / repair (text)"),
    "secrecy_mean": ("bit/s/Hz", "per-UE average secrecy rate (1/K) sum_k secrecy_ue"),
    "n_comm_aps": ("1", "number of communication APs of the design"),
    # extension: eavesdroppers off the zone centre and colluding eavesdroppers (docs/extensions/eavesdroppers.md)
    "eve_sample": ("1", "unseen eavesdropper placement s (one position per eavesdropper) of the evaluation"),
    "eve_xy": ("m", "eavesdropper position (extension: off the zone centre)"),
    "eve_sample_xy": ("m", "unseen eavesdropper positions of the evaluation, uniform in the disc"),
    "zone_shadowing_db": ("dB", "shadowing realisation of the AP-zone link (zeta_model shadowed), also the "
                                "eavesdropper's"),
    "sinr_eve_guarded": ("1", "Eve SINR the design bounds (CP) or minimises (SP) over its guarded eavesdropper "
                              "positions, linear"),
    "sinr_eve_colluding": ("1", "SINR of the colluding eavesdroppers (maximum-ratio combined, sum over zones), "
                                "linear"),
    "rate_eve_colluding": ("bit/s/Hz", "rate of the colluding eavesdroppers log2(1 + sinr_eve_colluding)"),
    "eve_violation_rate": ("1", "share of the unseen eavesdropper placements whose Eve SINR exceeds the "
                                "design's guarantee (nu for cp and baseline, its guarded level for sp)"),
    "sinr_eve_unseen_max": ("1", "largest Eve SINR over the unseen eavesdropper placements, linear"),
    "secrecy_unseen_mean": ("bit/s/Hz", "per-UE average secrecy rate, mean over the unseen eavesdropper "
                                        "placements"),
    "secrecy_unseen_min": ("bit/s/Hz", "per-UE average secrecy rate, minimum over the unseen eavesdropper "
                                       "placements"),
}
# units of the keys of cfmmimo.system when they are a sweep coordinate
SWEEP_UNITS = {"side_m": "m", "rho_w": "W", "rho_t_w": "W", "varsigma_db": "dB", "kappa_db": "dB", "carrier_mhz": "MHz",
               "bandwidth_hz": "Hz", "noise_figure_db": "dB", "h_ap_m": "m", "h_ue_m": "m", "d0_m": "m", "d1_m": "m",
               "shadowing_std_db": "dB", "tau_p": "symbols", "eve_radius_m": "m", "eve_inner_radius_m": "m",
               "eve_offset_m": "m", "eve_offset_deg": "deg"}
TRACE_VARS = ("rate_ue_min", "rate_eve_max", "secrecy", "objective", "binary_distance")
GEOMETRY_VARS = ("ap_xy", "ue_xy", "zone_xy")
CHANNEL_VARS = ("shadowing_db", "beta", "gamma", "zeta", "sin_theta")
PILOT_VAR = "pilot"  # (layout, ue), only in channel data with shared pilots (docs/extensions/pilot-contamination.md)
DESIGN_VARS = (
    "ap_mode", "power_c", "power_s", "sinr_ue", "sinr_eve", "masr", "rate_ue", "rate_eve", "secrecy_ue",
    "secrecy_avg", "feasible", "solver_status", "solver", "n_iterations", "repair_start",
)
# extension (docs/extensions/eavesdroppers.md): the eavesdroppers' geometry in the channel files and the per-design
# results in the design files, present only when the eavesdropper model is not the paper's
EVE_GEOMETRY_VARS = ("ap_xy", "zone_xy", "eve_xy", "eve_sample_xy", "zone_shadowing_db")
EVE_DESIGN_VARS = ("sinr_eve_guarded", "sinr_eve_colluding", "rate_eve_colluding", "eve_violation_rate",
                   "sinr_eve_unseen_max", "secrecy_unseen_mean", "secrecy_unseen_min")


def annotate(ds: xr.Dataset) -> xr.Dataset:
    """Attach `units` and `long_name` to every variable and coordinate known to META."""
    for name in list(ds.variables):
        if name in META:
            units, long_name = META[name]
            ds[name].attrs.update(units=units, long_name=long_name)
    return ds


def batch_indices(batch: int, batch_size: int) -> np.ndarray:
    """Layout indices of batch `batch`: [batch * batch_size, (batch + 1) * batch_size)."""
    if batch < 0:
        raise ValueError(f"batch: must be >= 0, got {batch}")
    if batch_size < 1:
        raise ValueError(f"batch_size: must be >= 1, got {batch_size}")
    return np.arange(batch * batch_size, (batch + 1) * batch_size)


def n_batches(n_layouts: int, batch_size: int) -> int:
    """Number of full batches covering the first n_layouts layouts."""
    if n_layouts < 1:
        raise ValueError(f"n_layouts: must be >= 1, got {n_layouts}")
    if batch_size < 1:
        raise ValueError(f"batch_size: must be >= 1, got {batch_size}")
    return -(-n_layouts // batch_size)


def system_attrs(params: SystemParams, with_kappa: bool = True) -> dict:
    """Study-1 global attributes of the contract (noise-normalised powers, thresholds, pilot length)."""
    attrs = {
        "n_antennas": np.int64(params.N),
        "rho_norm": float(params.rho_norm),
        "rho_t_norm": float(params.rho_t_norm),
        "tau_t": np.int64(params.tau_t),
        "nu": float(params.nu_lin),  # linear (nu_unit = "db" converted)
        "varsigma_db": float(params.varsigma_db),
        "noise_power_w": float(params.noise_power_w),
        "side_m": float(params.side_m),
        "ue_sinr_form": params.ue_sinr_form,
        "prelog_factor": float(params.prelog_factor),
        "sensing_combining": params.sensing_combining,  # how Eve SINR and MASR were evaluated (S1-P21)
    }
    if params.tau_p is not None or params.pilot_assignment != "orthogonal":  # (the paper's pilots: attrs as before)
        attrs["pilot_assignment"] = params.pilot_assignment
    if with_kappa:
        attrs["kappa_db"] = float(params.kappa_db)
    if params.eve_enabled:  # extension: the eavesdropper model (docs/extensions/eavesdroppers.md)
        attrs.update(eve_position=params.eve_position, eve_design=params.eve_design,
                     eve_collusion=np.int8(params.eve_collusion), eve_offset_m=float(params.eve_offset_m),
                     eve_offset_deg=float(params.eve_offset_deg), eve_radius_m=float(params.eve_radius_m),
                     eve_inner_radius_m=float(params.eve_inner_radius_m))
    if params.clustered:  # user-centric clusters (docs/model.md 1.23); absent = every AP serves every UE
        attrs["cluster_size"] = np.int64(params.cluster_size)
    return attrs


def _index_coords(M: int, K: int, L: int) -> dict:
    return {"ap": np.arange(M), "ue": np.arange(K), "zone": np.arange(L), "xy": np.array(["x", "y"])}


def layout_dataset(layouts: Sequence[Layout], indices: Iterable[int]) -> xr.Dataset:
    """Positions of a batch of layouts, dims (layout, ap/ue/zone, xy)."""
    idx = np.asarray(list(indices), dtype=np.int64)
    if len(idx) != len(layouts) or len(idx) == 0:
        raise ValueError(f"indices: {len(idx)} indices for {len(layouts)} layouts")
    M, K, L = layouts[0].ap_xy.shape[0], layouts[0].ue_xy.shape[0], layouts[0].zone_xy.shape[0]
    ds = xr.Dataset(
        {
            "ap_xy": (("layout", "ap", "xy"), np.stack([lay.ap_xy for lay in layouts])),
            "ue_xy": (("layout", "ue", "xy"), np.stack([lay.ue_xy for lay in layouts])),
            "zone_xy": (("layout", "zone", "xy"), np.stack([lay.zone_xy for lay in layouts])),
        },
        coords={"layout": idx, **_index_coords(M, K, L)},
    )
    return annotate(ds)


def layout_at(ds: xr.Dataset, layout: int) -> Layout:
    """The Layout of index `layout` stored in a layout dataset."""
    sel = ds.sel(layout=layout)
    return Layout(
        ap_xy=np.asarray(sel["ap_xy"].values, dtype=float),
        ue_xy=np.asarray(sel["ue_xy"].values, dtype=float),
        zone_xy=np.asarray(sel["zone_xy"].values, dtype=float),
    )


def channel_dataset(channels: Sequence[LargeScale], indices: Iterable[int]) -> xr.Dataset:
    """Large-scale fading of a batch of layouts, dims (layout, ap, ue/zone)."""
    idx = np.asarray(list(indices), dtype=np.int64)
    if len(idx) != len(channels) or len(idx) == 0:
        raise ValueError(f"indices: {len(idx)} indices for {len(channels)} channel sets")
    M, K = channels[0].beta.shape
    L = channels[0].zeta.shape[1]
    ds = xr.Dataset(
        {
            "shadowing_db": (("layout", "ap", "ue"), np.stack([c.shadowing_db for c in channels])),
            "beta": (("layout", "ap", "ue"), np.stack([c.beta for c in channels])),
            "gamma": (("layout", "ap", "ue"), np.stack([c.gamma for c in channels])),
            "zeta": (("layout", "ap", "zone"), np.stack([c.zeta for c in channels])),
            "sin_theta": (("layout", "ap", "zone"), np.stack([c.sin_theta for c in channels])),
        },
        coords={"layout": idx, **_index_coords(M, K, L)},
    )
    if any(c.pilot is not None for c in channels):  # shared pilots; a layout without reuse stores 0..K-1
        ds[PILOT_VAR] = (("layout", "ue"), np.stack([np.arange(K, dtype=np.int64) if c.pilot is None
                                                     else np.asarray(c.pilot, dtype=np.int64) for c in channels]))
    eves = [getattr(c, "eve", None) for c in channels]
    if any(e is not None for e in eves):
        if any(e is None for e in eves):
            raise ValueError("channels: eavesdropper geometry on some layouts of the batch only")
        dims = {"ap_xy": ("ap", "xy"), "zone_xy": ("zone", "xy"), "eve_xy": ("zone", "xy"),
                "eve_sample_xy": ("eve_sample", "zone", "xy"), "zone_shadowing_db": ("ap", "zone")}
        for name in EVE_GEOMETRY_VARS:
            ds[name] = (("layout", *dims[name]), np.stack([getattr(e, name.replace("eve_sample_xy", "sample_xy"))
                                                           for e in eves]))
        ds = ds.assign_coords(eve_sample=np.arange(ds.sizes["eve_sample"]))
    else:
        ds = ds.drop_vars("xy")
    return annotate(ds)


def large_scale_at(ds: xr.Dataset, layout: int) -> LargeScale:
    """The LargeScale of index `layout` stored in a channel dataset (pilot: None unless some UEs share a pilot)."""
    sel = ds.sel(layout=layout)
    pilot = None
    if PILOT_VAR in sel:
        pilot = np.asarray(sel[PILOT_VAR].values, dtype=np.int64)
        pilot = pilot if np.unique(pilot).size < pilot.size else None
    eve = None
    if "eve_xy" in ds:  # extension: the eavesdroppers' geometry (docs/extensions/eavesdroppers.md)
        from .eavesdroppers import EveGeometry

        eve = EveGeometry(**{name.replace("eve_sample_xy", "sample_xy"): np.asarray(sel[name].values, dtype=float)
                             for name in EVE_GEOMETRY_VARS})
    return LargeScale(**{name: np.asarray(sel[name].values, dtype=float) for name in CHANNEL_VARS}, pilot=pilot,
                      eve=eve)


def _repair_start(phase: np.ndarray) -> int:
    hits = np.flatnonzero(np.asarray(phase).astype(str) == "repair")
    return int(hits[0]) if hits.size else -1


def design_dataset(designs: Sequence, indices: Iterable[int], scheme: str, kappa_db: float, solver: str) -> xr.Dataset:
    """One design batch file: dims (scheme=1, kappa_db=1, layout, ap, ue, zone, iteration); traces NaN-padded."""
    idx = np.asarray(list(indices), dtype=np.int64)
    if len(idx) != len(designs) or len(idx) == 0:
        raise ValueError(f"indices: {len(idx)} indices for {len(designs)} designs")
    for d in designs:
        if d.scheme != scheme:
            raise ValueError(f"scheme: design of scheme {d.scheme!r} in a batch of scheme {scheme!r}")
    M, K = np.shape(designs[0].power_c)
    L = np.shape(designs[0].power_s)[1]
    n_it = max(1, max(len(d.trace) for d in designs))

    def stack(get, dtype=float):
        return np.stack([np.asarray(get(d), dtype=dtype) for d in designs])

    def pad(values, fill, dtype):
        out = np.full((len(designs), n_it), fill, dtype=dtype)
        for i, v in enumerate(values):
            v = np.asarray(v, dtype=dtype)
            out[i, : v.shape[0]] = v
        return out

    lead = ("scheme", "kappa_db", "layout")
    data = {
        "ap_mode": (lead + ("ap",), stack(lambda d: d.ap_mode, np.int8)),
        "power_c": (lead + ("ap", "ue"), stack(lambda d: d.power_c)),
        "power_s": (lead + ("ap", "zone"), stack(lambda d: d.power_s)),
        "sinr_ue": (lead + ("ue",), stack(lambda d: d.metrics.sinr_ue)),
        "sinr_eve": (lead + ("zone",), stack(lambda d: d.metrics.sinr_eve)),
        "masr": (lead + ("zone",), stack(lambda d: d.metrics.masr)),
        "rate_ue": (lead + ("ue",), stack(lambda d: d.metrics.rate_ue)),
        "rate_eve": (lead + ("zone",), stack(lambda d: d.metrics.rate_eve)),
        "secrecy_ue": (lead + ("ue",), stack(lambda d: d.metrics.secrecy_ue)),
        "feasible": (lead, np.array([int(bool(d.feasible)) for d in designs], dtype=np.int8)),
        "solver_status": (lead, np.array([str(d.solver_status) for d in designs], dtype=object)),
        "solver": (lead, np.array([str(solver)] * len(designs), dtype=object)),
        "n_iterations": (lead, np.array([len(d.trace) for d in designs], dtype=np.int64)),
        "repair_start": (lead, np.array([_repair_start(d.trace.phase) for d in designs], dtype=np.int64)),
    }
    for name in EVE_DESIGN_VARS:  # extension: present iff every design of the batch has it
        if all(d.eve is not None and name in d.eve for d in designs):
            data[name] = (lead, np.array([float(d.eve[name]) for d in designs], dtype=float))
    for name in TRACE_VARS:
        data[name] = (lead + ("iteration",), pad([getattr(d.trace, name) for d in designs], np.nan, float))
    data["phase"] = (lead + ("iteration",), pad([d.trace.phase for d in designs], "", object))
    # add the leading length-1 scheme and kappa_db axes
    data = {k: (dims, np.asarray(v)[None, None, ...]) for k, (dims, v) in data.items()}
    ds = xr.Dataset(
        data,
        coords={
            "scheme": np.array([scheme], dtype=object),
            "kappa_db": np.array([float(kappa_db)]),
            "layout": idx,
            "ap": np.arange(M),
            "ue": np.arange(K),
            "zone": np.arange(L),
            "iteration": np.arange(n_it),
        },
    )
    ds["secrecy_avg"] = ds["secrecy_ue"].mean("ue")
    return annotate(ds)


def _strings_to_str(ds: xr.Dataset) -> xr.Dataset:
    """Object/bytes text arrays as numpy str (netCDF round trips give object arrays)."""
    for name in list(ds.variables):
        if ds[name].dtype.kind in "OSU":
            ds[name] = ds[name].astype(str)
    return ds


def _combine_designs(design_sets: Sequence[xr.Dataset], drop_traces: bool = True) -> xr.Dataset:
    parts = []
    for ds in design_sets:
        if drop_traces:
            ds = ds.drop_vars([v for v in (*TRACE_VARS, "phase") if v in ds], errors="ignore")
            ds = ds.drop_dims("iteration", errors="ignore")
        parts.append(_strings_to_str(ds))
    return xr.combine_by_coords(parts, combine_attrs="drop", join="outer", compat="no_conflicts")


def _scenario(layout_sets: Sequence[xr.Dataset], channel_sets: Sequence[xr.Dataset]) -> xr.Dataset:
    geo = xr.combine_by_coords([_strings_to_str(d) for d in layout_sets], combine_attrs="drop",
                               compat="no_conflicts", join="exact")
    ch = xr.combine_by_coords(list(channel_sets), combine_attrs="drop", compat="no_conflicts", join="exact")
    return xr.merge([geo, ch], combine_attrs="drop", compat="no_conflicts", join="exact")


def _check_schemes(ds: xr.Dataset, schemes: Sequence[str], what: str) -> None:
    missing = sorted(set(schemes) - set(ds["scheme"].values.tolist()))
    if missing:
        raise ValueError(f"{what}: design files lack schemes {missing}")


def fig4_dataset(design_sets, layout_sets, channel_sets, params: SystemParams, schemes, n_layouts: int) -> xr.Dataset:
    """Fig. 4 data: designs (scheme, layout, ...) at the default kappa plus geometry and channels of each layout."""
    designs = _combine_designs(design_sets)
    _check_schemes(designs, schemes, "fig4")
    kappas = designs["kappa_db"].values
    if kappas.size != 1 or kappas[0] != params.kappa_db:
        raise ValueError(f"kappa_db: fig4 needs designs at the default kappa {params.kappa_db}, got {kappas.tolist()}")
    designs = designs.isel(kappa_db=0, drop=True).sel(scheme=list(schemes))
    layouts = np.arange(n_layouts)
    ds = xr.merge([_scenario(layout_sets, channel_sets).sel(layout=layouts), designs.sel(layout=layouts)],
                  combine_attrs="drop", compat="no_conflicts", join="exact")
    ds.attrs.update(system_attrs(params, with_kappa=True))
    return annotate(_ordered(ds))


def fig3_dataset(design_sets, layout_sets, channel_sets, params: SystemParams, schemes, kappas_db, n_layouts: int):
    """Fig. 3 data: designs (scheme, kappa_db, layout, ...) over the kappa sweep, the same layouts at every kappa."""
    designs = _combine_designs(design_sets)
    _check_schemes(designs, schemes, "fig3")
    want = np.array(sorted(float(k) for k in kappas_db))
    have = designs["kappa_db"].values
    # exact values: the pipeline hands every design job the configured float, never one parsed from a path
    missing = [k for k in want if k not in have]
    if missing:
        raise ValueError(f"kappa_db: fig3 design files lack kappa values {missing}")
    layouts = np.arange(n_layouts)
    designs = designs.sel(scheme=list(schemes)).sel(kappa_db=want).sel(layout=layouts)
    ds = xr.merge([_scenario(layout_sets, channel_sets).sel(layout=layouts), designs], combine_attrs="drop",
                  compat="no_conflicts", join="exact")
    ds.attrs.update(system_attrs(params, with_kappa=False))
    return annotate(_ordered(ds))


def fig2_dataset(design_sets, layout_ds: xr.Dataset, channel_ds: xr.Dataset, params: SystemParams, schemes,
                 layout: int) -> xr.Dataset:
    """Fig. 2 data: SCA traces (scheme, iteration) and the designs of one layout with its geometry and channels."""
    parts = []
    for ds in design_sets:
        ds = _strings_to_str(ds)
        if layout not in ds["layout"].values:
            raise ValueError(f"layout: {layout} not in a fig2 design file (layouts {ds['layout'].values.tolist()})")
        one = ds.sel(layout=layout).isel(kappa_db=0, drop=True)
        n = int(one["n_iterations"].values.max())
        parts.append(one.isel(iteration=slice(0, max(n, 1))))
    fill = {name: np.nan for name in TRACE_VARS}
    fill["phase"] = ""
    designs = xr.concat(parts, dim="scheme", join="outer", fill_value=fill, combine_attrs="drop")
    designs["phase"] = designs["phase"].fillna("").astype(str)
    _check_schemes(designs, schemes, "fig2")
    designs = designs.sel(scheme=list(schemes))
    scen = _scenario([layout_ds], [channel_ds]).sel(layout=layout)
    ds = xr.merge([scen, designs], combine_attrs="drop", compat="no_conflicts", join="exact")
    ds.attrs.update(system_attrs(params, with_kappa=True))
    return annotate(_ordered(ds))


def _ordered(ds: xr.Dataset) -> xr.Dataset:
    """Canonical variable order (geometry, channels, designs, traces) so equal data give equal bytes."""
    order = [*GEOMETRY_VARS, *CHANNEL_VARS, PILOT_VAR, *DESIGN_VARS, *TRACE_VARS, "phase"]
    names = [n for n in order if n in ds.data_vars] + sorted(n for n in ds.data_vars if n not in order)
    return ds[names]
