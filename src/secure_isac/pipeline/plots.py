"""Figures of every study drawn from their datasets (Study.plotters; file in, file out), and the figures drawn from
several runs' datasets (Study.extension_plotters)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from .. import provenance
from ..plotting import active_style, save_figure, use_style
from . import studies

log = logging.getLogger(__name__)


def plot_file(study: str, figure: str, data_file: str | os.PathLike, out_stem: str | os.PathLike,
              style: str | None = None) -> None:
    """Draw figure `figure` of `study` from its dataset into out_stem.{pdf,png} in figure style `style` ("paper" or
    "screen", config key plot.style; None: the active one, secure_isac.plotting)."""
    plotters = studies.study(study).plotters()
    figure = "sweep" if figure.startswith("sweep_") else figure  # figures/<study>/sweep_<key> of a sweep dataset
    if figure not in plotters:
        raise ValueError(f"figure: unknown {study} figure {figure!r}; known: {sorted(plotters)}")
    with use_style(style or active_style()):  # a bad style stops here, before the dataset is read
        (ds,) = provenance.open_intermediates([data_file])
        save_figure(plotters[figure](ds), out_stem)
    log.info("wrote %s.{pdf,png}", out_stem)


def plot_extension_file(study: str, figure: str, data_files: Mapping[str, str | os.PathLike],
                        out_stem: str | os.PathLike, style: str | None = None) -> None:
    """Draw a figure of `study` drawn from several runs' datasets (Study.extension_plotters; one line per label of
    `data_files`, {line label: dataset}) into out_stem.{pdf,png} in figure style `style` (as plot_file)."""
    plotters = studies.study(study).extension_plotters()
    if figure not in plotters:
        raise ValueError(f"figure: unknown {study} extension figure {figure!r}; known: {sorted(plotters)}")
    if not data_files:
        raise ValueError(f"data_files: the {study} figure {figure!r} needs at least one dataset")
    with use_style(style or active_style()):
        datasets = provenance.open_intermediates(list(data_files.values()))
        toy = extension_toy_label(study, datasets)
        save_figure(plotters[figure](dict(zip(data_files, datasets, strict=True))), out_stem, toy=toy)
    log.info("wrote %s.{pdf,png}%s", out_stem, f" ({toy})" if toy else "")


def extension_toy_label(study: str, datasets) -> str:
    """The toy label of a figure drawn from several runs' `datasets` (pipeline.scale; "" at the paper's counts): each
    point of such a figure is a mean over layouts, like a point of the study's layout figures, so a dataset with
    fewer layouts than the smallest of the paper's counts (Study.paper_layouts) makes it a toy. A study without
    random layouts (no paper counts) never is."""
    from .scale import TOY_NOTE

    paper = studies.study(study).paper_layouts()
    counts = [int(ds.sizes["layout"]) for ds in datasets if "layout" in ds.sizes]
    if not paper or not counts or min(counts) >= min(paper.values()):
        return ""
    n = sorted(set(counts))
    n = f"{n[0]}" if len(n) == 1 else f"{n[0]}-{n[-1]}"
    return f"toy configuration ({n} layouts per point, the paper's {min(paper.values())}): {TOY_NOTE}"
