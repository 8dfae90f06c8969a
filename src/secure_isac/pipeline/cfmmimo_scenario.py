"""Study-1 scenario steps of the workflow (file in, file out): the layouts of a batch and their large-scale fading.
Every layout comes from its own random stream (seeds.rng(seed, layout, "layout")), so nothing depends on how the
layouts are batched into jobs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import provenance, seeds
from ..cfmmimo import datasets
from ..cfmmimo.channels import large_scale_fading
from ..cfmmimo.geometry import draw_layout
from ..cfmmimo.params import SystemParams


def _draw(seed: int, index: int, params: SystemParams):
    """Layout and its large-scale fading from the layout's own stream, so a layout never depends on the job split."""
    r = seeds.rng(seed, int(index), "layout")
    layout = draw_layout(params, r)
    # a random pilot assignment has its own stream, so the layout stream's draws stay those of every earlier result
    return layout, large_scale_fading(layout, params, r, pilot_rng=seeds.rng(seed, int(index), "pilots"))


def make_layouts(config: Mapping[str, Any], digest: str, out: str | os.PathLike, repo=None) -> None:
    """Positions of one batch of layouts, drawn from seeds.rng(seed, layout, "layout")."""
    params = SystemParams(**config["system"])
    idx = datasets.batch_indices(int(config["batch"]), int(config["batch_size"]))
    layouts = [draw_layout(params, seeds.rng(int(config["seed"]), int(i), "layout")) for i in idx]
    provenance.write_dataset(datasets.layout_dataset(layouts, idx), out, config, digest, repo, datasets.REFERENCES)


def make_channels(config: Mapping[str, Any], digest: str, layout_file, out, repo=None) -> None:
    """Large-scale fading of one batch, continuing each layout's stream after its geometry draw."""
    params = SystemParams(**config["system"])
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
    provenance.write_dataset(datasets.channel_dataset(channels, idx), out, config, digest, repo, datasets.REFERENCES)
