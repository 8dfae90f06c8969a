"""The reference designs of a study-2 scheme as a dataset, with an exact float64 round trip: the reference job
writes it, every design job of the scheme reads it back (docs/deviations.md S2-D18)."""

from __future__ import annotations

import json

import numpy as np
import xarray as xr

from ..dfbs.params import DfbsParams
from ..dfbs.pscp import PscpResult
from ..dfbs.schemes import DfbsReference
from ..dfbs.sdr import SdpResult


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
