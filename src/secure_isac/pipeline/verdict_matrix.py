"""The claims matrix figure of the scenario summary, the sensitivity matrix and the readings search: one panel per
study, runs by claims, each cell the verdict by colour and glyph and the value on a scale of its own per claim."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

VERDICT_COLORS = {"reproduced": "#029e73", "partly": "#ece133", "not reproduced": "#d55e00",
                  "not testable": "#949494", "inconclusive": "#56b4e9"}
# the verdict by glyph as well as by colour (greyscale prints, colour-blind readers)
VERDICT_GLYPHS = {"reproduced": "\u2713", "partly": "\u25d0", "not reproduced": "\u2717", "not testable": "\u2013",
                  "inconclusive": "?"}


def sig3(value) -> str:
    """A number to 3 significant digits ("5.18", "-0.00916", "-5.73e-5"); text (study 2 lists evidence as text)
    and missing values give ""."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    if not np.isfinite(v):
        return "" if np.isnan(v) else str(v)
    text = f"{v:.3g}"
    if "e" in text:  # 1.23e-05 -> 1.23e-5: two characters fewer in a narrow cell
        mantissa, exp = text.split("e")
        text = f"{mantissa}e{int(exp)}"
    return text


def _fold_identical(g: pd.DataFrame, runs: list[str]) -> tuple[list[str], list[str]]:
    """Runs shown as rows and runs folded into the first (every claim with the first run's value, interval and
    verdict: e.g. a scenario that changes only the other study)."""
    cols = [c for c in ("value", "verdict", "ci_low", "ci_high") if c in g]

    def key(run):
        part = g[g["run"] == run].set_index("item")[cols].sort_index()
        return part.astype(str).to_dict("split")["data"], list(part.index)

    present = [r for r in runs if (g["run"] == r).any()]
    if not present:
        return [], []
    first = key(present[0])
    shown = [present[0]] + [r for r in present[1:] if key(r) != first]
    return shown, [r for r in present[1:] if r not in shown]


_KEY_WIDTH = 85  # characters per line of a claims key: 8 pt text right of the run names within 7.16 in


def save_verdict_matrix(claims_long: pd.DataFrame, runs: list[str], out_stem: Path, title: str,
                        note: str = "", compact=()) -> None:
    """The claims matrix (`verdict_matrix_figure`) saved as out_stem.{pdf,png}, two columns wide at paper style;
    `note` (a toy label) under the title; the panels named in `compact` as verdicts only."""
    from ..plotting import DOUBLE_COLUMN_WIDTH_IN, save_figure, style

    with style():
        save_figure(verdict_matrix_figure(claims_long, runs, title, note, compact), out_stem,
                    width=DOUBLE_COLUMN_WIDTH_IN)


_ROW_IN, _COMPACT_ROW_IN = 0.36, 0.17  # inches per row: value, interval and glyph; glyph only


def verdict_matrix_figure(claims_long: pd.DataFrame, runs: list[str], title: str, note: str = "", compact=()):
    """Claims matrix, one panel per study: rows are runs, columns the study's numbered claims (their text below the
    panel). Each cell: the verdict by colour and glyph, the value to 3 significant digits and, on a scale of its own
    per claim, the value (dot), its interval (bar; when claims_long has ci_low/ci_high) and the paper's value (tick;
    when it has `paper`); a claim a run does not test is a blank cell. Runs equal in every claim to the first are
    folded into one note. `note` (a toy label) goes under the title. A panel whose study is in `compact` (e.g. the
    64 combinations of the readings screen) draws each cell as its verdict only (colour and glyph, rows a third as
    tall; the values are in the table the figure is drawn from) and folds nothing. claims_long: study, item, run,
    value, verdict[, ci_low, ci_high, paper]."""
    import textwrap

    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    from ..plotting import DOUBLE_COLUMN_WIDTH_IN, is_paper, style

    width = DOUBLE_COLUMN_WIDTH_IN
    studies = list(dict.fromkeys(claims_long["study"]))
    panels = []
    for study in studies:
        g = claims_long[claims_long["study"] == study]
        items = list(dict.fromkeys(g["item"]))
        if study in compact:
            shown, folded = [r for r in runs if (g["run"] == r).any()], []
        else:
            shown, folded = _fold_identical(g, runs)
        panels.append((study, g, items, shown, folded))
    key_line_in = 0.15
    heights = []
    for study, _, items, shown, folded in panels:
        row_in = _COMPACT_ROW_IN if study in compact else _ROW_IN
        key_lines = sum(len(textwrap.wrap(f"{i + 1}: {c}", _KEY_WIDTH)) for i, c in enumerate(items))
        if folded:
            key_lines += len(textwrap.wrap(f"identical to x in every claim: {', '.join(folded)}", _KEY_WIDTH))
        heights += [0.3 + row_in * len(shown), 0.05 + key_line_in * key_lines]
    with style():
        fig = plt.figure(figsize=(width, sum(heights) + 0.5), layout="constrained")
        blank = False
        grid = fig.add_gridspec(len(heights), 1, height_ratios=heights)
        for k, (study, g, items, shown, folded) in enumerate(panels):
            ax = fig.add_subplot(grid[2 * k])
            key_ax = fig.add_subplot(grid[2 * k + 1])
            key_ax.axis("off")
            ax.set_xlim(-0.5, len(items) - 0.5)
            ax.set_ylim(len(shown) - 0.5, -0.5)
            ax.grid(False)
            ax.set_xticks(range(len(items)), [str(i + 1) for i in range(len(items))])
            ax.xaxis.tick_top()
            ax.tick_params(length=0)
            ax.set_yticks(range(len(shown)), shown)
            small = study in compact
            ax.set_xlabel(f"{study}: claim (numbered below)")
            ax.xaxis.set_label_position("top")
            for j, item in enumerate(items):
                rows = g[g["item"] == item]
                ends = [pd.to_numeric(rows[c], errors="coerce") for c in ("value", "ci_low", "ci_high", "paper")
                        if c in rows]
                finite = pd.concat(ends).to_numpy(dtype=float) if ends else np.array([])
                finite = finite[np.isfinite(finite)]
                lo, hi = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)

                def pos(v, j=j, lo=lo, hi=hi):
                    frac = 0.5 if hi <= lo else (float(v) - lo) / (hi - lo)
                    return j - 0.22 + 0.64 * frac

                for i, run in enumerate(shown):
                    r = rows[rows["run"] == run]
                    if r.empty:  # a claim this run does not test: a blank cell
                        blank = True
                        continue
                    r = r.iloc[0]
                    verdict = str(r["verdict"])
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=VERDICT_COLORS.get(verdict, "white"),
                                           alpha=0.45, edgecolor="white", lw=1.0 if not small else 0.5))
                    if small:
                        ax.text(j, i, VERDICT_GLYPHS.get(verdict, ""), ha="center", va="center")
                        continue
                    ax.text(j, i - 0.16, sig3(r["value"]), ha="center", va="center")
                    ax.text(j - 0.44, i + 0.17, VERDICT_GLYPHS.get(verdict, ""), ha="left", va="center")
                    value = pd.to_numeric(pd.Series([r["value"]]), errors="coerce").iloc[0]
                    if "paper" in r and np.isfinite(pd.to_numeric(pd.Series([r["paper"]]), errors="coerce").iloc[0]):
                        x = pos(r["paper"])
                        ax.plot([x, x], [i + 0.06, i + 0.3], color="0.2", ls="-", lw=0.9)
                    if "ci_low" in r and np.isfinite(pd.to_numeric(pd.Series([r["ci_low"], r["ci_high"]]),
                                                                   errors="coerce")).all():
                        ax.plot([pos(r["ci_low"]), pos(r["ci_high"])], [i + 0.18, i + 0.18], color="k", ls="-",
                                lw=1.2, solid_capstyle="butt")
                    if np.isfinite(value):
                        ax.plot([pos(value)], [i + 0.18], "o", color="k", ms=3.0)
            key = [textwrap.fill(f"{i + 1}: {c}", _KEY_WIDTH, subsequent_indent="    ") for i, c in enumerate(items)]
            if folded:
                key.append(textwrap.fill(f"identical to {shown[0]} in every claim: {', '.join(folded)}", _KEY_WIDTH))
            # sized by its line count above, kept out of the layout (else a long line squeezes the matrix)
            key_ax.text(0, 1, "\n".join(key), ha="left", va="top", transform=key_ax.transAxes,
                        fontsize=8 if is_paper() else 7.5).set_in_layout(False)
        handles = [Patch(facecolor=c, alpha=0.45, label=f"{VERDICT_GLYPHS[v]} {v}") for v, c in VERDICT_COLORS.items()]
        handles.append(plt.Line2D([], [], color="k", marker="o", ms=3.0, ls="-", lw=1.2,
                                  label="value, interval (scale per claim)"))
        if "paper" in claims_long and pd.to_numeric(claims_long["paper"], errors="coerce").notna().any():
            handles.append(plt.Line2D([], [], color="0.2", marker="|", ls="", ms=6, label="paper's value"))
        if blank:  # e.g. cp_paper's Fig. 3 claims in the runs that do not compute them
            handles.append(Patch(facecolor="white", edgecolor="0.6", label="not tested in this run"))
        fig.legend(handles=handles, loc="outside lower center", ncol=4)
        head = title + "; cell scale per claim"
        fig.suptitle(f"{head}\n{textwrap.fill(note, _KEY_WIDTH)}" if note else head, fontsize=9)
        return fig
