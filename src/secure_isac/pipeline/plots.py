"""Figures of every study drawn from their datasets (Study.plotters; file in, file out)."""

from __future__ import annotations

import logging
import os

from .. import provenance
from ..plotting import save_figure
from . import studies

log = logging.getLogger(__name__)


def plot_file(study: str, figure: str, data_file: str | os.PathLike, out_stem: str | os.PathLike) -> None:
    """Draw figure `figure` of `study` from its dataset into out_stem.{pdf,png}."""
    plotters = studies.study(study).plotters()
    figure = "sweep" if figure.startswith("sweep_") else figure  # figures/<study>/sweep_<key> of a sweep dataset
    if figure not in plotters:
        raise ValueError(f"figure: unknown {study} figure {figure!r}; known: {sorted(plotters)}")
    (ds,) = provenance.open_intermediates([data_file])
    save_figure(plotters[figure](ds), out_stem)
    log.info("wrote %s.{pdf,png}", out_stem)
