"""Pilot contamination study (extension, not in the paper; docs/extensions/pilot-contamination.md): designs against
the pilot length for each pilot assignment, on the layouts and random streams the workflow uses, and a Monte Carlo
check of one contaminated design. Used by scripts/pilot_contamination.py."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

import numpy as np
import xarray as xr

from .. import seeds
from .channels import large_scale_fading
from .closed_forms import effective_powers, evaluate, normalize
from .datasets import SWEEP_UNITS, annotate
from .design import optimise
from .geometry import draw_layout
from .montecarlo import simulate_layout
from .options import SolverOptions
from .params import SystemParams


def layout_channels(params: SystemParams, seed: int, layout: int):
    """Layout and large-scale fading of layout `layout` from the workflow's streams (pipeline.cfmmimo_scenario):
    geometry and shadowing from seeds.rng(seed, layout, "layout"), a random pilot assignment from
    seeds.rng(seed, layout, "pilots")."""
    r = seeds.rng(seed, layout, "layout")
    lay = draw_layout(params, r)
    return lay, large_scale_fading(lay, params, r, pilot_rng=seeds.rng(seed, layout, "pilots"))


def pilot_sweep(params: SystemParams, tau_values: Sequence[int], assignments: Sequence[str], n_layouts: int,
                schemes: Sequence[str] = ("cp", "sp", "baseline"), seed: int = 20260318,
                options: SolverOptions | None = None, log=None) -> dict[str, xr.Dataset]:
    """{assignment: dataset with dims (scheme, tau_p, layout)} in the format of the workflow's sweep summary
    (results/cfmmimo/sweeps/tau_p.nc): secrecy_mean, rate_ue_min, rate_eve_max, n_comm_aps, feasible,
    solver_status, plus wall_time_s per design. Every design is cfmmimo.optimise with the workflow's seeds, so the
    numbers equal a `snakemake sweeps` run of the same configuration. A tau_p >= K gives every assignment orthogonal
    pilots (channels.assign_pilots), so those values are designed once and shared (they are bit-identical)."""
    options = SolverOptions() if options is None else options
    for i, v in enumerate(tau_values):
        dataclasses.replace(params, tau_p=v, pilot_assignment=assignments[0])  # ValueError naming tau_p at once
        if isinstance(v, bool) or int(v) != v:
            raise ValueError(f"tau_values[{i}]: must be an integer, got {v!r}")
    if n_layouts < 1:
        raise ValueError(f"n_layouts: must be >= 1, got {n_layouts}")
    cache: dict = {}
    out = {}
    for how in assignments:
        rows = {name: np.empty((len(schemes), len(tau_values), n_layouts), dtype=dt) for name, dt in (
            ("secrecy_mean", float), ("rate_ue_min", float), ("rate_eve_max", float), ("n_comm_aps", np.int64),
            ("feasible", np.int8), ("solver_status", object), ("wall_time_s", float))}
        for j, tau_p in enumerate(tau_values):
            p = dataclasses.replace(params, tau_p=int(tau_p), pilot_assignment=how)
            key = ("orthogonal", int(tau_p)) if not p.pilot_reuse else (how, int(tau_p))
            for i in range(n_layouts):
                ls = None
                for s_idx, scheme in enumerate(schemes):
                    if (key, i, scheme) not in cache:
                        ls = layout_channels(p, seed, i)[1] if ls is None else ls
                        t0 = time.perf_counter()
                        d = optimise(scheme, ls, p, seeds.rng(seed, i, scheme), options)
                        cache[(key, i, scheme)] = (d, time.perf_counter() - t0)
                        if log is not None:
                            log(f"{how} tau_p={tau_p} layout {i} {scheme}: feasible={d.feasible} "
                                f"secrecy={np.mean(d.metrics.secrecy_ue):.3f} ({cache[(key, i, scheme)][1]:.2f} s)")
                    d, wall = cache[(key, i, scheme)]
                    m = d.metrics
                    vals = (float(np.mean(m.secrecy_ue)), float(np.min(m.rate_ue)), float(np.max(m.rate_eve)),
                            int(np.sum(d.ap_mode)), int(bool(d.feasible)), str(d.solver_status), wall)
                    for name, v in zip(rows, vals):
                        rows[name][s_idx, j, i] = v
        ds = xr.Dataset({k: (("scheme", "tau_p", "layout"), v) for k, v in rows.items()},
                        coords={"scheme": np.array(schemes, dtype=object), "tau_p": np.asarray(tau_values),
                                "layout": np.arange(n_layouts)})
        ds["tau_p"].attrs.update(units=SWEEP_UNITS["tau_p"], long_name="swept value of cfmmimo.system.tau_p")
        ds["wall_time_s"].attrs.update(units="s", long_name="wall time of the design")
        ds = annotate(ds)
        ds.attrs.update(sweep_key="tau_p", pilot_assignment=how, nu=float(params.nu_lin), K=int(params.K),
                        seed=int(seed))
        out[how] = ds
    return out


@dataclasses.dataclass(frozen=True)
class MonteCarloCheck:
    """Closed forms (with the pilot-contamination term) and the Monte Carlo of the literal model at one design."""

    pilot: np.ndarray | None
    closed_ue: np.ndarray
    mc_ue: np.ndarray
    without_term_ue: np.ndarray  # the closed form without the coherent contamination term (what it would miss)
    closed_eve: np.ndarray
    mc_eve: np.ndarray
    closed_masr: np.ndarray
    mc_masr: np.ndarray
    gamma_ratio: np.ndarray  # sampled E||g_hat||^2 / (N gamma), (M, K)
    n_draws: int


def monte_carlo_check(params: SystemParams, seed: int, layout: int, scheme: str = "cp", n_draws: int = 50_000,
                      options: SolverOptions | None = None, mc_seed: int = 0) -> MonteCarloCheck:
    """Design layout `layout` with `scheme` and compare its closed-form UE SINR (with the contamination term), Eve
    SINR and MASR with montecarlo.simulate_layout (shared pilots, LMMSE, MRT; random sensing phases; channel
    draws from numpy.random.default_rng(mc_seed))."""
    _, ls = layout_channels(params, seed, layout)
    d = optimise(scheme, ls, params, seeds.rng(seed, layout, scheme), options)
    a = np.asarray(d.ap_mode, dtype=float)
    gamma = np.asarray(ls.gamma)
    N = params.N
    with np.errstate(divide="ignore", invalid="ignore"):  # eta from the effective powers (s = N gamma a eta^c)
        eta_c = np.where(a[:, None] > 0, d.power_c / (N * gamma), 0.0)
        eta_s = np.where(a[:, None] < 1, d.power_s / N, 0.0)
    s, q = effective_powers(a, eta_c, eta_s, gamma, N)
    ch = normalize(ls, params)
    met = evaluate(s, q, ch, params)
    bare = evaluate(s, q, dataclasses.replace(ch, pilot=None), params)
    mc = simulate_layout(ls, params, a, eta_c, eta_s, n_draws=n_draws, rng=np.random.default_rng(mc_seed))
    return MonteCarloCheck(ls.pilot, met.sinr_ue, mc.sinr_ue, bare.sinr_ue, met.sinr_eve, mc.sinr_eve, met.masr,
                           mc.masr, mc.gamma_hat / gamma, n_draws)
