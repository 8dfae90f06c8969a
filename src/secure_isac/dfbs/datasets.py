"""xarray datasets of study-2 designs (names fixed by the data contract, results/dfbs/fig{2,3,4}.nc)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from .array import beampattern, steering
from .schemes import DfbsDesign

REFERENCES = "arXiv:2410.01603"


def _dbm(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return 10.0 * np.log10(np.asarray(x, dtype=float))


def design_quantities(d: DfbsDesign, params) -> dict:
    """Every per-design contract variable of one design (patterns in mW, powers in dBm)."""
    N = params.n_antennas
    A = steering(params.grid_deg, N)
    W = np.outer(d.w, d.w.conj())
    X = W + d.rs
    P = 10 ** (d.power_dbm / 10)
    a_t = steering(np.asarray(params.target_angles_deg), N)
    a_e = steering(np.asarray(params.eve_angles_deg), N)
    a_u = steering(params.user_angle_deg, N)
    q = {
        "selected": d.selected.astype(np.int8),
        "w_re": d.w.real, "w_im": d.w.imag,
        "rs_re": d.rs.real, "rs_im": d.rs.imag,
        "alpha": d.alpha,
        "matching_error": d.matching_error,
        "pattern_total": beampattern(X, A), "pattern_sensing": beampattern(d.rs, A), "pattern_comm": beampattern(W, A),
        "user_sinr": d.user_sinr, "secrecy_rate": d.secrecy_rate,
        "eve_sinr": np.asarray(d.eve_sinr, float),
        "eve_info_power_dbm": _dbm(beampattern(W, a_e)),
        "illum_joint_min_dbm": _dbm(beampattern(X, a_t).min()),
        "illum_sensing_min_dbm": _dbm(beampattern(d.rs, a_t).min()),
        "user_power_dbm": _dbm(beampattern(W, a_u[None, :])[0]),
        "gamma_e": d.gamma_e,
        "matching_error_scaled": d.matching_error * P ** 2,
        "n_sdp": d.n_sdp, "wall_time_s": d.wall_time_s, "used_reference": int(d.used_reference),
        "feasible": np.int8(bool(d.feasible)),
        "solver_status": str(d.solver_status),
    }
    return q


VARS = {
    # name: (extra dims, units, long_name, dtype, fill)
    "selected": (("antenna",), "1", "antenna connected to an RF chain", np.int8, 0),
    "w_re": (("antenna",), "sqrt(mW)", "information beamformer w, real part", float, np.nan),
    "w_im": (("antenna",), "sqrt(mW)", "information beamformer w, imaginary part", float, np.nan),
    "rs_re": (("antenna", "antenna_col"), "mW", "sensing covariance R_s, real part", float, np.nan),
    "rs_im": (("antenna", "antenna_col"), "mW", "sensing covariance R_s, imaginary part", float, np.nan),
    "alpha": ((), "mW", "autoscale of the desired pattern", float, np.nan),
    "matching_error": ((), "1", "beampattern matching error, eq. (12), powers divided by P", float, np.nan),
    "pattern_total": (("angle_deg",), "mW", "transmit beampattern a^H (W+R_s) a", float, np.nan),
    "pattern_sensing": (("angle_deg",), "mW", "sensing beampattern a^H R_s a", float, np.nan),
    "pattern_comm": (("angle_deg",), "mW", "information beampattern a^H W a", float, np.nan),
    "user_sinr": ((), "1", "user SINR, eq. (4), linear", float, np.nan),
    "secrecy_rate": ((), "bit/s/Hz", "secrecy rate, eq. (9)", float, np.nan),
    "eve_sinr": (("eve",), "1", "eavesdropper SINR, eq. (8), linear", float, np.nan),
    "eve_info_power_dbm": (("eve",), "dBm", "information power at the eavesdropper a^H W a", float, np.nan),
    "illum_joint_min_dbm": ((), "dBm", "minimum target illumination of W+R_s", float, np.nan),
    "illum_sensing_min_dbm": ((), "dBm", "minimum target illumination of R_s", float, np.nan),
    "user_power_dbm": ((), "dBm", "information power radiated towards the user a^H W a", float, np.nan),
    "gamma_e": ((), "1", "chosen Gamma_e (maximum eavesdropper SINR) of the 1D search", float, np.nan),
    "matching_error_scaled": ((), "mW^2", "matching error in absolute units (times P^2)", float, np.nan),
    "n_sdp": ((), "1", "number of SDP solves of this design", np.int64, 0),
    "wall_time_s": ((), "s", "wall time of this design", float, np.nan),
    "used_reference": ((), "1", "1 if the P-independent design without secrecy constraint was reused", np.int8, 0),
    "feasible": ((), "1", "1 if the design meets every constraint of its problem within tolerance", np.int8, 0),
    "solver_status": ((), "", "how the solve ended", object, "not_run"),
}


def _expand(designs):
    out = []
    for d in designs:
        out.append(d)
        out.extend(d.companions.values())
    return out


def design_dataset(designs: list, params, *, dims: tuple | None = None) -> xr.Dataset:
    """Contract dataset of `designs`; dims default: (scheme,) if one (P, R-bar), (scheme, power_dbm) if one R-bar,
    else (scheme, power_dbm, secrecy_target). Missing combinations: NaN, feasible 0, status 'not_run'."""
    designs = _expand(designs)
    if not designs:
        raise ValueError("designs: at least one design is needed")
    schemes = list(dict.fromkeys(d.scheme for d in designs))
    powers = sorted({float(d.power_dbm) for d in designs})
    targets = sorted({float(d.secrecy_target) for d in designs})
    if dims is None:
        dims = ("scheme",) if len(powers) == 1 and len(targets) == 1 else (
            ("scheme", "power_dbm") if len(targets) == 1 else ("scheme", "power_dbm", "secrecy_target"))
    coords = {"scheme": schemes, "power_dbm": powers, "secrecy_target": targets}
    lead = {k: coords[k] for k in dims}
    shape = tuple(len(v) for v in lead.values())
    N = params.n_antennas
    extra_len = {"antenna": N, "antenna_col": N, "angle_deg": len(params.grid_deg), "eve": len(params.eve_angles_deg)}
    data = {}
    for name, (ed, _units, _long_name, dtype, fill) in VARS.items():
        arr = np.full(shape + tuple(extra_len[e] for e in ed), fill, dtype=dtype)
        data[name] = arr
    seen = set()
    for d in designs:
        key = tuple(lead[k].index(float(getattr(d, k)) if k != "scheme" else d.scheme) for k in dims)
        if key in seen:
            raise ValueError(f"designs: duplicate design for {dict(zip(dims, key))}")
        seen.add(key)
        for name, val in design_quantities(d, params).items():
            data[name][key] = val
    ds = xr.Dataset(
        {name: (dims + VARS[name][0], arr, {"units": VARS[name][1], "long_name": VARS[name][2]})
         for name, arr in data.items()},
        coords={
            **{k: (k, np.asarray(v, dtype=object if k == "scheme" else float)) for k, v in lead.items()},
            "antenna": ("antenna", np.arange(N)),
            "antenna_col": ("antenna_col", np.arange(N)),
            "angle_deg": ("angle_deg", params.grid_deg),
            "eve": ("eve", np.arange(len(params.eve_angles_deg))),
            "eve_angle_deg": ("eve", np.asarray(params.eve_angles_deg, float)),
        },
    )
    ds["scheme"] = ds["scheme"].astype(str)
    units = {"power_dbm": ("dBm", "total transmit power P"), "secrecy_target": ("bit/s/Hz", "secrecy target R-bar"),
             "scheme": ("", "design scheme"), "antenna": ("1", "antenna index"),
             "antenna_col": ("1", "antenna index (column)"), "angle_deg": ("deg", "sample angle of the design grid"),
             "eve": ("1", "eavesdropper index"), "eve_angle_deg": ("deg", "eavesdropper angle")}
    for k, (u, ln) in units.items():
        if k in ds.coords:
            ds[k].attrs.update(units=u, long_name=ln)
    ds.attrs.update(
        n_antennas=N, n_rf=params.n_rf, user_angle_deg=params.user_angle_deg,
        target_angles_deg=np.asarray(params.target_angles_deg, float),
        eve_angles_deg=np.asarray(params.eve_angles_deg, float), noise_dbm=params.noise_dbm,
        beam_width_deg=params.beam_width_deg, p_max_rule=params.p_max_label, tie_break=params.tie_break,
        references=REFERENCES,
    )
    if "power_dbm" not in dims:
        ds.attrs["power_dbm"] = powers[0] if len(powers) == 1 else np.asarray(powers)
    if "secrecy_target" not in dims:
        ds.attrs["secrecy_target"] = targets[0] if len(targets) == 1 else np.asarray(targets)
    return ds
