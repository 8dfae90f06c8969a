"""Shared figure style and byte-reproducible figure output (Agg backend, PDF without creation date, PNG).

Two styles (config key plot.style): `paper` (IEEE single column: 3.5 in wide, 8 pt text, no titles in the figure,
every series told apart by line style and marker as well as colour, so it survives greyscale printing) and
`screen` (6.4-10 in figures with titles, as before). The plot jobs choose the style once (`use_style`); every figure
function enters `style()` and saves with `save_figure`, so a figure function added later gets the chosen style
without knowing of it: at paper style `save_figure` moves every title into the file's metadata (the caption's
material; a left-aligned axes title is a panel tag and stays), sets every text to 8 pt and the width to one column.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import matplotlib
import numpy as np
from cycler import cycler

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

STYLES = ("paper", "screen")
DEFAULT_STYLE = "paper"  # the config default (pipeline.settings.Plot.style)
COLUMN_WIDTH_IN = 3.5  # IEEE single column
DOUBLE_COLUMN_WIDTH_IN = 7.16  # IEEE two columns (figure*): the claims matrix
PAPER_FONT_PT = 8.0
# a series without an explicit style still differs from its neighbours in line style (greyscale); markers are the
# figure's choice (a marker at every point of a 181-point beampattern would bury it: use markevery)
_PAPER_CYCLE = cycler(color=["#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161"],
                      linestyle=["-", "--", "-.", ":", (0, (5, 1.5, 1, 1.5, 1, 1.5)), (0, (8, 2))])
PAPER_RC: dict[str, object] = {
    **RC_PARAMS,
    "figure.figsize": (COLUMN_WIDTH_IN, 2.6),
    "figure.constrained_layout.use": True,  # legends placed outside the axes stay inside the column width
    "figure.constrained_layout.h_pad": 0.02,
    "figure.constrained_layout.w_pad": 0.02,
    "savefig.dpi": 300,
    "savefig.bbox": "standard",  # the file is exactly one column wide: included at scale 1, text stays 8 pt
    "font.size": PAPER_FONT_PT,
    "axes.titlesize": PAPER_FONT_PT,
    "axes.labelsize": PAPER_FONT_PT,
    "legend.fontsize": PAPER_FONT_PT,
    "legend.title_fontsize": PAPER_FONT_PT,
    "figure.titlesize": PAPER_FONT_PT,
    "xtick.labelsize": PAPER_FONT_PT,
    "ytick.labelsize": PAPER_FONT_PT,
    "legend.handlelength": 2.8,  # long enough to show a dash pattern
    "legend.borderaxespad": 0.3,
    "legend.labelspacing": 0.25,
    "legend.columnspacing": 1.0,
    "legend.borderpad": 0.3,
    "axes.linewidth": 0.6,
    "grid.linewidth": 0.4,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
    "lines.linewidth": 1.0,
    "lines.markersize": 3.5,
    "axes.prop_cycle": _PAPER_CYCLE,
}
STYLE_RC = {"paper": PAPER_RC, "screen": RC_PARAMS}
_ACTIVE: contextvars.ContextVar[str] = contextvars.ContextVar("secure_isac_plot_style", default=DEFAULT_STYLE)

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


# the schemes' names at paper style, where a legend line has about 45 characters at 8 pt
SCHEME_SHORT = {"cp": "CP", "sp": "SP", "baseline": "baseline", "sp_early": "SP, early stop",
                "cp_paper": "CP, paper's SCA", "sp_paper": "SP, paper's SCA"}


def scheme_label(scheme: str) -> str:
    """Legend name of a scheme (short at paper style)."""
    table = SCHEME_SHORT if is_paper() else SCHEME_LABELS
    return table.get(scheme, SCHEME_LABELS.get(scheme, scheme))


# Line style and marker of every scheme: with the colour, each scheme differs from every other in two more ways
# (greyscale prints, colour-blind readers); the SP variants share SP's hue family and differ in dash and marker.
SCHEME_LINES = {
    "cp": ("-", "o"),
    "sp": ("--", "s"),
    "baseline": ("-.", "^"),
    "sp_early": ((0, (5, 1.5, 1, 1.5, 1, 1.5)), "D"),
    "cp_paper": (":", "v"),
    "sp_paper": ((0, (8, 2)), "P"),
    "aa": ("-", "o"),
    "no_aa": ("--", "s"),
    "random_aa": ("-.", "^"),
    "full_digital": (":", "D"),
}


def check_style(name: str) -> str:
    """`name` if it is a figure style, else ValueError naming the key plot.style."""
    if name not in STYLES:
        raise ValueError(f"plot.style: one of {list(STYLES)}, got {name!r}")
    return name


@contextlib.contextmanager
def use_style(name: str) -> Iterator[None]:
    """Context in which `style()` and `save_figure` apply figure style `name` ("paper" or "screen")."""
    token = _ACTIVE.set(check_style(name))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def active_style() -> str:
    """The figure style in force ("paper" unless a `use_style` context says otherwise)."""
    return _ACTIVE.get()


def is_paper() -> bool:
    return active_style() == "paper"


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context applying the rc parameters of the active style (seaborn whitegrid look, fixed fonts)."""
    import seaborn as sns

    with matplotlib.rc_context():
        sns.set_theme(context="paper", style="whitegrid", font_scale=1.0)
        matplotlib.rcParams.update(STYLE_RC[active_style()])
        yield


def figsize(screen: tuple[float, float], paper_height: float | None = None) -> tuple[float, float]:
    """Figure size in inches: `screen` at screen style; one column wide and `paper_height` tall (default the rc
    height) at paper style."""
    if is_paper():
        return COLUMN_WIDTH_IN, paper_height or float(PAPER_RC["figure.figsize"][1])
    return screen


def panel_grid(nrows: int, ncols: int) -> tuple[int, int]:
    """Rows and columns of a panel grid: a single row of panels is stacked into a column at paper style (one column
    wide leaves no room side by side)."""
    return (ncols, 1) if is_paper() and nrows == 1 and ncols > 1 else (nrows, ncols)


def panel_title(ax, tag: str, detail: str = "", sep: str = "; ", **kw) -> None:
    """Title of one panel: at screen style tag and detail as the axes title; at paper style the short tag alone,
    left-aligned (it stays in the figure), the detail for the caption (moved into the file metadata on saving)."""
    if is_paper():
        ax.set_title(tag, loc="left")
        if detail:
            ax.set_title(detail)
    else:
        ax.set_title(f"{tag}{sep}{detail}" if detail else tag, **kw)


def legend_below(ax, ncol: int = 1, handles=None, labels=None, **kw):
    """The legend of `ax` (or the given handles and labels) below every panel of its figure (above them if the
    figure has one x label for all panels), so that it hides no data point (constrained layout keeps it inside the
    figure)."""
    fig = ax.get_figure()
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    # under a figure-wide x label the legend would cover it (constrained layout stacks neither): above the panels
    loc = "outside upper center" if fig.get_supxlabel() else "outside lower center"
    leg = fig.legend(handles, labels, loc=loc, ncol=ncol, **kw)
    leg._layout_kw = {"loc": loc, **kw}  # to draw it again with fewer columns (_fit_legends)
    from matplotlib.lines import Line2D

    for h in leg.legend_handles:  # a curve's markevery would hide its marker in the legend
        if isinstance(h, Line2D):
            h.set_markevery(None)
    return leg


def _context_text(fig) -> str:
    """The figure's titles (suptitle, then each axes' titles) as one caption text."""
    parts = []
    sup = fig.get_suptitle()
    if sup:
        parts.append(sup)
    axes = [ax for ax in fig.get_axes() if ax.get_label() != "<colorbar>"]
    for ax in axes:
        for loc in ("left", "center", "right"):
            t = ax.get_title(loc=loc)
            if t:
                parts.append(" ".join(t.split()))
    return "; ".join(" ".join(p.split()) for p in parts)


def to_paper(fig, width: float = COLUMN_WIDTH_IN) -> str:
    """Bring a drawn figure to paper style in place: the titles move out of the figure (returned as the caption
    text; a left-aligned axes title is a panel tag and stays, panels without one get (a), (b), ... when the figure has
    several), every text is set to 8 pt, the figure is `width` wide (a wider figure keeps its height scaled, at
    least the rc height)."""
    from matplotlib.text import Text

    context = _context_text(fig)
    if fig.get_suptitle():
        fig.suptitle("")
    axes = [ax for ax in fig.get_axes() if ax.get_label() != "<colorbar>" and ax.get_visible()]
    tagged = len(axes) > 1 and any(ax.get_title(loc="center") for ax in axes)
    for i, ax in enumerate(axes):
        ax.set_title("", loc="center")
        ax.set_title("", loc="right")
        if tagged and not ax.get_title(loc="left"):
            ax.set_title(f"({'abcdefghijklmnopqrstuvwxyz'[i % 26]})", loc="left")
    for text in fig.findobj(Text):
        if text.get_text():
            text.set_fontsize(PAPER_FONT_PT)
    w, h = fig.get_size_inches()
    if abs(w - width) > 1e-9:
        fig.set_size_inches(width, max(h * width / w, float(PAPER_RC["figure.figsize"][1])))
    _fit_legends(fig)
    return context


def _fit_legends(fig) -> None:
    """Fewer legend columns while a legend is wider than the figure (at 8 pt a screen legend's columns overflow):
    the legend is drawn again from its own entries with one column less."""
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.get_axes() if ax.get_legend() is not None)]
    for leg in legends:
        while leg._ncols > 1:
            fig.canvas.draw()
            if leg.get_window_extent().width <= fig.bbox.width:
                break
            parent, kw = leg.parent, getattr(leg, "_layout_kw", {"loc": leg._loc})
            handles, labels = leg.legend_handles, [t.get_text() for t in leg.texts]
            ncols = leg._ncols - 1
            leg.remove()
            leg = parent.legend(handles, labels, ncol=ncols, **kw)
            leg._layout_kw = kw


def mark_toy(fig, label: str) -> None:
    """Say on the figure itself that it was drawn from a toy configuration: `label` (pipeline.scale's toy label) at
    the top, where the layout engine makes room for it (the suptitle slot, which paper style empties), and a faint
    "toy" across every panel, readable at any size and in greyscale. Call it after `to_paper` (which would shrink
    the mark to 8 pt and move the label into the caption)."""
    import textwrap

    sup = fig.get_suptitle()
    text = textwrap.fill(label, 58 if is_paper() else 110)  # 8 pt within one column (3.5 in)
    fig.suptitle(f"{sup}\n{text}" if sup else text, fontsize=PAPER_FONT_PT if is_paper() else 9, color="0.15")
    for ax in fig.get_axes():
        if ax.get_visible() and ax.get_label() != "<colorbar>":
            ax.text(0.5, 0.5, "toy", transform=ax.transAxes, ha="center", va="center", rotation=25,
                    fontsize=26 if is_paper() else 40, color="0.55", alpha=0.3, zorder=0.5)


def save_figure(fig, out_stem: str | os.PathLike, *, width: float = COLUMN_WIDTH_IN,
                toy: str = "") -> tuple[Path, Path]:
    """Write `out_stem`.pdf (no creation date, so equal data give equal bytes) and `out_stem`.png; close `fig`.

    Saved under the active style: the savefig.* and pdf.* rc parameters are read at save time; at paper style the
    figure is first brought to `width` inches, 8 pt and no titles (`to_paper`), the titles going into the files'
    metadata (PDF Subject, PNG Description) for the caption. `toy` (a toy label, "" for none) is drawn on the
    figure (`mark_toy`) and leads the metadata."""
    stem = Path(out_stem)
    if stem.suffix in (".pdf", ".png"):
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)
    pdf, png = stem.with_suffix(".pdf"), stem.with_suffix(".png")
    pdf_meta, png_meta = {"CreationDate": None, "ModDate": None}, {"Software": None}
    with style():
        context = to_paper(fig, width) if is_paper() else ""
        if toy:
            mark_toy(fig, toy)
        context = "; ".join(t for t in (toy, context) if t)
        if context:
            pdf_meta["Subject"] = context
            png_meta["Description"] = context
        fig.savefig(pdf, format="pdf", metadata=pdf_meta)
        fig.savefig(png, format="png", metadata=png_meta)
    plt.close(fig)
    return pdf, png


# symbols of the swept keys (the settings' descriptions give the quantity and unit, the datasets the unit)
SYMBOLS = {"K": "$K$", "M": "$M$", "N": "$N$", "L": "$L$", "nu": r"$\nu$", "varsigma_db": r"$\varsigma$",
           "kappa_db": r"$\kappa$", "tau": r"$\tau$", "tau_p": r"$\tau_p$", "side_m": "$D$", "rho_w": r"$\rho$",
           "rho_t_w": r"$\rho_t$", "carrier_mhz": "$f_c$", "bandwidth_hz": "$B$", "n_rf": r"$N_\mathrm{RF}$",
           "n_antennas": "$N$", "power_dbm": "$P$", "secrecy_target": r"$\bar R$", "noise_dbm": r"$\sigma^2$",
           "kappa": r"$\kappa$", "d0_m": "$d_0$", "d1_m": "$d_1$", "h_ap_m": r"$h_\mathrm{AP}$",
           "h_ue_m": r"$h_\mathrm{UE}$", "shadowing_std_db": r"$\sigma_\mathrm{sh}$"}
_UNIT_WORDS = r"dBm|dB|m|W|Hz|MHz|degrees|deg|symbols|bit/s/Hz"


def _quantity(description: str) -> str:
    """The quantity named by a settings description ("Number of RF chains N_RF (selected antennas)." -> "number of
    RF chains"): its first clause without the unit and the trailing symbol; "" when that is long."""
    text = re.split(r"[.;(]|, ", description, maxsplit=1)[0]
    text = re.sub(rf"\s+in ({_UNIT_WORDS})\b.*$", "", text).strip()
    text = re.sub(r"\s+(N_RF|tau_p|tau|R-bar|[A-Z])$", "", text).strip()
    if not text or len(text) > 40:
        return ""
    return text if text[1:2].isupper() else text[0].lower() + text[1:]


def axis_label(key: str, units: str = "", description: str = "") -> str:
    """Axis label of a configured key: quantity, symbol and unit ("total power $P$ (dBm)", "number of RF chains
    $N_\\mathrm{RF}$"); the unit from the dataset (`units`, "1" for none), "linear" for a linear ratio; counts
    carry no unit."""
    symbol = SYMBOLS.get(key, "")
    quantity = _quantity(description)
    name = " ".join(p for p in (quantity, symbol) if p) or key.replace("_", " ")
    if units in ("", "1"):
        units = "linear" if "linear" in description.lower() else ""
    return f"{name} ({units})" if units else name


def sweep_axis(coord, descriptions: Mapping[str, str] | None = None) -> tuple[np.ndarray, list[str] | None, str]:
    """x positions, tick labels and axis label of a sweep coordinate: numbers are placed at their values (a tick at
    each of up to 12 values), text values (e.g. a swept option) at 0, 1, ... with their text as ticks; the label is
    `axis_label` of the key (descriptions: {key: settings description})."""
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
    label = axis_label(str(coord.name), str(coord.attrs.get("units", "")), (descriptions or {}).get(coord.name, ""))
    return x, ticks, label


def sweep_figure(coord, ylabels, descriptions: Mapping[str, str] | None = None):
    """A 2 x 2 figure of four quantities against a sweep coordinate (call inside `style()`): the y labels of the
    panels in reading order, the swept value on the shared x axis. Returns (figure, axes, x positions)."""
    x, ticks, xlabel = sweep_axis(coord, descriptions)
    fig, axes = plt.subplots(2, 2, figsize=figsize((10.0, 7.0), 4.2), sharex=True, layout="constrained")
    for ax, label in zip(axes.flat, ylabels):
        ax.set_ylabel(label)
    for ax in axes[1]:
        if not is_paper():
            ax.set_xlabel(xlabel)
        if ticks:
            ax.set_xticks(x, ticks)
    if is_paper():  # one label under both columns: a column of a 3.5 in figure is narrower than the label
        fig.supxlabel(xlabel)
    return fig, axes, x
