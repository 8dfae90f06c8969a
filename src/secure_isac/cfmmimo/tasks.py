"""Study-1 pipeline steps without optimisation: layouts, channels and the per-figure aggregates (file in, file out)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from .. import provenance, seeds
from . import datasets
from .channels import large_scale_fading
from .geometry import draw_layout
from .params import SystemParams

log = logging.getLogger(__name__)

# SystemParams fields that only enter the optimisation (closed forms, constraints), never the geometry or the
# large-scale fading; the layout and channel steps ignore them, so changing them does not redraw channels.
OPTIMISATION_ONLY_KEYS = ("N", "tau", "rho_w", "nu", "varsigma_db", "kappa_db", "ue_sinr_form", "prelog")
LAYOUT_KEYS = ("M", "K", "L", "side_m")


def system_params(system: Mapping[str, Any]) -> SystemParams:
    """SystemParams from a config mapping; unknown keys raise ValueError naming them."""
    known = set(SystemParams.__dataclass_fields__)
    unknown = sorted(set(system) - known)
    if unknown:
        raise ValueError(f"system: unknown parameter(s) {unknown}; known: {sorted(known)}")
    return SystemParams(**dict(system))


def provenance_params(config: Mapping[str, Any], digest: str) -> dict:
    return {"config": dict(config), "code_digest": digest}


def write_dataset(ds, out, config, digest, repo, **extra) -> None:
    ds = provenance.stamp(ds, provenance_params(config, digest), datasets.REFERENCES, provenance.git_commit(repo), **extra)
    provenance.write_netcdf(ds, out)
    log.info("wrote %s", out)


def _draw(seed: int, index: int, params: SystemParams):
    """Layout and its large-scale fading from the layout's own stream, so a layout never depends on the job split."""
    r = seeds.rng(seed, int(index), "layout")
    layout = draw_layout(params, r)
    return layout, large_scale_fading(layout, params, r)


def make_layouts(config: Mapping[str, Any], digest: str, out: str | os.PathLike, repo=None) -> None:
    """Positions of one batch of layouts, drawn from seeds.rng(seed, layout, "layout")."""
    params = system_params(config["system"])
    idx = datasets.batch_indices(int(config["batch"]), int(config["batch_size"]))
    layouts = [draw_layout(params, seeds.rng(int(config["seed"]), int(i), "layout")) for i in idx]
    write_dataset(datasets.layout_dataset(layouts, idx), out, config, digest, repo)


def make_channels(config: Mapping[str, Any], digest: str, layout_file, out, repo=None) -> None:
    """Large-scale fading of one batch, continuing each layout's stream after its geometry draw."""
    params = system_params(config["system"])
    (lay,) = provenance.open_intermediates([layout_file])
    idx = lay["layout"].values
    channels = []
    for i in idx:
        layout, ls = _draw(int(config["seed"]), int(i), params)
        stored = datasets.layout_at(lay, int(i))
        if not (np.allclose(layout.ap_xy, stored.ap_xy) and np.allclose(layout.ue_xy, stored.ue_xy)
                and np.allclose(layout.zone_xy, stored.zone_xy)):
            raise RuntimeError(f"{layout_file}: layout {i} differs from its redraw; rebuild the layout file")
        channels.append(ls)
    write_dataset(datasets.channel_dataset(channels, idx), out, config, digest, repo)


def _params_of(config) -> SystemParams:
    return system_params(config["system"])


def aggregate_fig4(config, digest, design_files: Sequence, layout_files: Sequence, channel_files: Sequence, out,
                   repo=None) -> None:
    """Combine the default-kappa design batches of every Fig. 4 scheme into results/cfmmimo/fig4.nc."""
    d, lay, ch = (provenance.open_intermediates(f) for f in (design_files, layout_files, channel_files))
    ds = datasets.fig4_dataset(d, lay, ch, _params_of(config), config["schemes"], int(config["n_layouts"]))
    write_dataset(ds, out, config, digest, repo)


def aggregate_fig3(config, digest, design_files, layout_files, channel_files, out, repo=None) -> None:
    """Combine the kappa-sweep design batches into results/cfmmimo/fig3.nc."""
    d, lay, ch = (provenance.open_intermediates(f) for f in (design_files, layout_files, channel_files))
    ds = datasets.fig3_dataset(d, lay, ch, _params_of(config), config["schemes"], config["kappa_db"],
                               int(config["n_layouts"]))
    write_dataset(ds, out, config, digest, repo)


def aggregate_fig2(config, digest, design_files, layout_file, channel_file, out, repo=None) -> None:
    """Traces and designs of the Fig. 2 layout into results/cfmmimo/fig2.nc."""
    d = provenance.open_intermediates(design_files)
    lay, ch = provenance.open_intermediates([layout_file, channel_file])
    ds = datasets.fig2_dataset(d, lay, ch, _params_of(config), config["schemes"], int(config["layout"]))
    write_dataset(ds, out, config, digest, repo)


def aggregate(figure: str, config, digest, design_files, layout_files, channel_files, out, repo=None) -> None:
    """Aggregate step of figure `figure` (fig2, fig3, fig4) from the design, layout and channel files."""
    if figure == "fig4":
        aggregate_fig4(config, digest, design_files, layout_files, channel_files, out, repo)
    elif figure == "fig3":
        aggregate_fig3(config, digest, design_files, layout_files, channel_files, out, repo)
    elif figure == "fig2":
        (layout_file,), (channel_file,) = layout_files, channel_files
        aggregate_fig2(config, digest, design_files, layout_file, channel_file, out, repo)
    else:
        raise ValueError(f"figure: unknown study-1 dataset {figure!r}; known: fig2, fig3, fig4")
