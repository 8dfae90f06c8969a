"""Study-2 figures drawn from the contract datasets (the claims table is in dfbs_claims, so that editing a plot
never reruns it)."""

from __future__ import annotations

import logging
import os

from .. import provenance
from ..dfbs import figures

log = logging.getLogger(__name__)

PLOTTERS = {"fig2": figures.plot_fig2, "fig3": figures.plot_fig3, "fig4": figures.plot_fig4}


def plot_file(figure: str, data_file: str | os.PathLike, out_stem: str | os.PathLike) -> None:
    """Draw study-2 figure `figure` (fig2, fig3, fig4) from its NetCDF file into out_stem.{pdf,png}."""
    if figure not in PLOTTERS:
        raise ValueError(f"figure: unknown study-2 figure {figure!r}; known: {sorted(PLOTTERS)}")
    (ds,) = provenance.open_intermediates([data_file])
    PLOTTERS[figure](ds, out_stem)
    log.info("wrote %s.{pdf,png}", out_stem)
