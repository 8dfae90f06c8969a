"""Shared figure style and byte-reproducible figure output (Agg backend, PDF without creation date, PNG)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")  # headless and deterministic; set before pyplot is imported anywhere in this process

import matplotlib.pyplot as plt  # noqa: E402

# The project's single matplotlibrc (rc syntax), applied by `style()` to every figure of both studies.
RC_PARAMS: dict[str, object] = {
    "backend": "Agg",
    "figure.figsize": (6.4, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.05,
    "font.family": "DejaVu Sans",
    "font.size": 10.0,
    "axes.titlesize": 10.0,
    "axes.labelsize": 10.0,
    "legend.fontsize": 8.5,
    "legend.frameon": True,
    "legend.framealpha": 0.9,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "axes.grid": True,
    "grid.alpha": 0.35,
    "grid.linestyle": ":",
    "lines.linewidth": 1.6,
    "lines.markersize": 5.0,
    "pdf.fonttype": 42,
    "svg.hashsalt": "secure-isac",
    "image.cmap": "viridis",
}

# Colour-blind-safe (seaborn "colorblind") colour per scheme, shared by every figure.
SCHEME_COLORS = {
    "cp": "#0173b2",
    "sp": "#de8f05",
    "baseline": "#029e73",
    "sp_early": "#d55e00",
    "cp_paper": "#cc78bc",
    "sp_paper": "#ca9161",
    "aa": "#0173b2",
    "no_aa": "#de8f05",
    "random_aa": "#029e73",
    "full_digital": "#949494",
}
SCHEME_LABELS = {
    "cp": "CP (comm.-prioritised)",
    "sp": "SP (security-prioritised)",
    "baseline": "Baseline (equal power)",
    "sp_early": "SP, early stop",
    "cp_paper": "CP, paper's SCA",
    "sp_paper": "SP, paper's SCA",
    "aa": "with AA",
    "no_aa": "w/o AA",
    "random_aa": "random AA",
    "full_digital": "fully digital",
}


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context applying the project's rc parameters (seaborn whitegrid look, fixed fonts)."""
    import seaborn as sns

    with matplotlib.rc_context():
        sns.set_theme(context="paper", style="whitegrid", font_scale=1.0)
        matplotlib.rcParams.update(RC_PARAMS)
        yield


def save_figure(fig, out_stem: str | os.PathLike) -> tuple[Path, Path]:
    """Write `out_stem`.pdf (no creation date, so equal data give equal bytes) and `out_stem`.png; close `fig`.

    Saved under the project style: the savefig.* and pdf.* rc parameters are read at save time."""
    stem = Path(out_stem)
    if stem.suffix in (".pdf", ".png"):
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)
    pdf, png = stem.with_suffix(".pdf"), stem.with_suffix(".png")
    with style():
        fig.savefig(pdf, format="pdf", metadata={"CreationDate": None, "ModDate": None})
        fig.savefig(png, format="png", metadata={"Software": None})
    plt.close(fig)
    return pdf, png


def sweep_axis(coord) -> tuple[np.ndarray, list[str] | None, str]:
    """x positions, tick labels and axis label of a sweep coordinate: numbers are placed at their values (a tick at
    each of up to 12 values), text values (e.g. a swept option) at 0, 1, ... with their text as ticks; the label is
    the key and its unit (none for 1)."""
    values = coord.values
    try:
        if values.dtype == bool:
            raise TypeError("a switch is categorical")
        x = np.asarray(values, dtype=float)
        if not np.all(np.isfinite(x)):
            raise ValueError("an infinite value (a switched-off constraint) has no place on a number line")
        ticks = [f"{v:g}" for v in x] if len(x) <= 12 else None  # a tick at every value of a short sweep
    except (TypeError, ValueError):
        x = np.arange(len(values), dtype=float)
        ticks = [str(v).lower() if isinstance(v, (bool, np.bool_)) else
                 f"{v:g}" if isinstance(v, (float, np.floating)) else str(v) for v in values]
    units = str(coord.attrs.get("units", ""))
    label = coord.name if units in ("", "1") else f"{coord.name} ({units})"
    return x, ticks, label


def sweep_figure(coord, ylabels):
    """A 2 x 2 figure of four quantities against a sweep coordinate (call inside `style()`): the y labels of the
    panels in reading order, the swept value on the shared x axis. Returns (figure, axes, x positions)."""
    x, ticks, xlabel = sweep_axis(coord)
    fig, axes = plt.subplots(2, 2, figsize=(10.0, 7.0), sharex=True, layout="constrained")
    for ax, label in zip(axes.flat, ylabels):
        ax.set_ylabel(label)
    for ax in axes[1]:
        ax.set_xlabel(xlabel)
        if ticks:
            ax.set_xticks(x, ticks)
    return fig, axes, x
