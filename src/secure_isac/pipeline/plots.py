"""Figures of every study drawn from their datasets (Study.plotters; file in, file out)."""

from __future__ import annotations

import logging
import os

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
