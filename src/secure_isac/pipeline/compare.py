"""Runs compared side by side: headline numbers per dataset and scheme, and the claims verdicts.

`secure-isac-compare RUN_A RUN_B` prints the headline differences and every claims verdict that changed between two
runs. A run is a folder holding results/<study>/ (a run's working directory) or <study>/ directly (a scenario's
results/scenarios/<name>/). The scenario summary (results/scenarios/summary.{csv,md}, figures/scenarios/summary)
is built from the same tables.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .studies import NAMES as STUDIES  # noqa: F401  (the studies a run folder may hold)
from .studies import all_studies


class CompareError(ValueError):
    """A run folder or one of its files cannot be compared; the message names it (one line)."""


def results_root(path: str | Path) -> Path:
    """The folder that holds <study>/claims.csv of a run or scenario folder."""
    path = Path(path)
    for root in (path / "results", path):
        if any((root / s).is_dir() for s in STUDIES):
            return root
    raise FileNotFoundError(f"{path}: no results/<study>/ or <study>/ folder of a run")


def _open(path: Path):
    import xarray as xr

    try:
        with xr.open_dataset(path) as ds:
            return ds.load()
    except Exception as exc:  # noqa: BLE001  (a damaged or foreign file: named, never a traceback)
        raise CompareError(f"{path}: cannot be read as a NetCDF dataset ({type(exc).__name__}: "
                           f"{' '.join(str(exc).split())[:200]})") from None


CLAIMS_COLUMNS = ("claim", "reproduced", "verdict")


def _read_claims(path: Path) -> pd.DataFrame:
    try:
        table = pd.read_csv(path)
    except Exception as exc:  # noqa: BLE001  (an unparsable table: named, never a traceback)
        raise CompareError(f"{path}: cannot be read as a claims table ({type(exc).__name__}: "
                           f"{' '.join(str(exc).split())[:200]})") from None
    missing = [c for c in CLAIMS_COLUMNS if c not in table.columns]
    if missing:
        raise CompareError(f"{path}: not a claims table (no column {', '.join(missing)})")
    return table


def headlines(root: Path, sweeps: bool = True, studies=STUDIES) -> pd.DataFrame:
    """Headline numbers of a run: (study, dataset, scheme, quantity, value), each study's (Study.headlines); with
    `sweeps`, also of every sweep summary found in the run (the scenario summary leaves them out: it reads only the
    files it declares)."""
    rows = []
    for st in all_studies(studies):
        rows += [{"study": st.name, **row} for row in st.headlines(root / st.name, _open, sweeps)]
    return pd.DataFrame(rows, columns=["study", "dataset", "scheme", "quantity", "value"])


def claims(root: Path, studies=STUDIES) -> pd.DataFrame:
    """Every claims row of a run: (study, claim, value, verdict, feasible_share)."""
    parts = []
    for study in studies:
        path = root / study / "claims.csv"
        if path.exists():
            table = _read_claims(path)
            if "feasible_share" not in table.columns:
                table["feasible_share"] = np.nan
            table.insert(0, "study", study)
            parts.append(table.rename(columns={"reproduced": "value"}))
    cols = ["study", "claim", "value", "verdict", "feasible_share"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


ABSENT = "absent"


def compare(a: Path, b: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(headline differences, changed verdicts) between runs a and b; a claim one run lacks has the verdict
    "absent" there. CompareError naming the folder when a run holds no results at all."""
    ha, hb = headlines(a), headlines(b)
    ca, cb = claims(a), claims(b)
    for root, h, c in ((a, ha, ca), (b, hb, cb)):
        if h.empty and c.empty:
            raise CompareError(f"{root}: no results (no dataset fig2/3/4.nc, sweep or claims.csv under "
                               f"{', '.join(str(root / s) for s in STUDIES)})")
    keys = ["study", "dataset", "scheme", "quantity"]
    h = ha.merge(hb, on=keys, how="outer", suffixes=("_a", "_b"))
    h["difference"] = h["value_b"] - h["value_a"]
    c = ca.merge(cb, on=["study", "claim"], how="outer", suffixes=("_a", "_b"))
    for side in ("a", "b"):
        c[f"verdict_{side}"] = c[f"verdict_{side}"].fillna(ABSENT)
    changed = c[c["verdict_a"] != c["verdict_b"]]
    return h, changed


def _verdict_cell(verdict, value) -> str:
    return ABSENT if verdict == ABSENT else f"{verdict} ({cell(value)})"


def format_comparison(a: Path, b: Path, tol: float = 1e-9) -> str:
    """Text report: headline numbers that differ, datasets only one run has, then the claims whose verdict
    changed."""
    h, changed = compare(a, b)
    both = h[h["value_a"].notna() | h["value_b"].notna()]
    only_a = both[both["value_b"].isna() & both["value_a"].notna()]
    only_b = both[both["value_a"].isna() & both["value_b"].notna()]
    diff = both[both["value_a"].notna() & both["value_b"].notna() & ~(np.abs(both["difference"]) <= tol)]
    lines = [f"A = {a}", f"B = {b}", "",
             f"headline numbers that differ ({len(diff)} of {len(both) - len(only_a) - len(only_b)} in both runs):"]
    for _, r in diff.iterrows():
        lines.append(f"  {r['study']:<8} {r['dataset']:<14} {r['scheme']:<16} {r['quantity']:<46} "
                     f"{r['value_a']:>10.4g} -> {r['value_b']:<10.4g} ({r['difference']:+.4g})")
    for name, part in (("A", only_a), ("B", only_b)):
        if len(part):
            sets = ", ".join(dict.fromkeys(f"{s} {d}" for s, d in zip(part["study"], part["dataset"])))
            lines.append(f"only in {name} ({len(part)} numbers): {sets}")
    lines += ["", f"claims verdicts that changed ({len(changed)}):"]
    for _, r in changed.iterrows():
        lines.append(f"  {r['study']:<8} {r['claim']}: {_verdict_cell(r['verdict_a'], r['value_a'])} -> "
                     f"{_verdict_cell(r['verdict_b'], r['value_b'])}")
    return "\n".join(lines)


def scenario_summary(roots: Mapping[str, Path], out_csv: Path, out_md: Path, out_fig: Path,
                     studies=STUDIES, style: str | None = None) -> None:
    """The scenario comparison: headline numbers and claims of every run (the default first) side by side, as a
    long CSV (kind, study, item, scheme, run, value, verdict), a Markdown table and the claims matrix in figure
    style `style` (plot.style; None: the active one)."""
    from ..plotting import active_style, use_style

    rows = []
    for name, root in roots.items():
        for _, r in headlines(root, sweeps=False, studies=studies).iterrows():
            rows.append({"kind": "headline", "study": r["study"], "item": f"{r['dataset']}: {r['quantity']}",
                         "scheme": r["scheme"], "run": name, "value": r["value"], "verdict": ""})
        for _, r in claims(root, studies).iterrows():
            rows.append({"kind": "claim", "study": r["study"], "item": r["claim"], "scheme": "", "run": name,
                         "value": r["value"], "verdict": r["verdict"]})
    table = pd.DataFrame(rows, columns=["kind", "study", "item", "scheme", "run", "value", "verdict"])
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False)
    out_md.write_text(summary_markdown(table, list(roots)))
    with use_style(style or active_style()):
        save_verdict_matrix(table[table["kind"] == "claim"], list(roots), out_fig,
                            "Claims verdicts per scenario (value in each cell)")


def cell(value) -> str:
    """A value in 4 significant digits, or its text (claims tables hold text evidence too)."""
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return str(value)


def summary_markdown(table: pd.DataFrame, runs: list[str]) -> str:
    """Claims (verdict and value) and headline numbers, one column per run."""
    lines = ["### Claims", "", "| study | claim | " + " | ".join(runs) + " |", "|---|---|" + "---|" * len(runs)]
    cl = table[table["kind"] == "claim"]
    for (study, item), g in cl.groupby(["study", "item"], sort=False):
        cells = {r["run"]: f"{r['verdict']} ({cell(r['value'])})" for _, r in g.iterrows()}
        lines.append(f"| {study} | {item.replace('|', '/')} | " + " | ".join(cells.get(n, "-") for n in runs) + " |")
    lines += ["", "### Headline numbers", "", "| study | quantity | scheme | " + " | ".join(runs) + " |",
              "|---|---|---|" + "---|" * len(runs)]
    hl = table[table["kind"] == "headline"]
    for (study, item, scheme), g in hl.groupby(["study", "item", "scheme"], sort=False):
        cells = {r["run"]: cell(r["value"]) for _, r in g.iterrows()}
        lines.append(f"| {study} | {item} | {scheme} | " + " | ".join(cells.get(n, "-") for n in runs) + " |")
    return "\n".join(lines) + "\n"


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


def save_verdict_matrix(claims_long: pd.DataFrame, runs: list[str], out_stem: Path, title: str) -> None:
    """The claims matrix (`verdict_matrix_figure`) saved as out_stem.{pdf,png}, two columns wide at paper style."""
    from ..plotting import DOUBLE_COLUMN_WIDTH_IN, save_figure, style

    with style():
        save_figure(verdict_matrix_figure(claims_long, runs, title), out_stem, width=DOUBLE_COLUMN_WIDTH_IN)


def verdict_matrix_figure(claims_long: pd.DataFrame, runs: list[str], title: str):
    """Claims matrix, one panel per study: rows are runs, columns the study's numbered claims (their text below the
    panel). Each cell: the verdict by colour and glyph, the value to 3 significant digits and, on a scale of its own
    per claim, the value (dot), its interval (bar; when claims_long has ci_low/ci_high) and the paper's value (tick;
    when it has `paper`). Runs equal in every claim to the first are folded into one note. claims_long: study, item,
    run, value, verdict[, ci_low, ci_high, paper]."""
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
        shown, folded = _fold_identical(g, runs)
        panels.append((study, g, items, shown, folded))
    row_in, key_line_in = 0.36, 0.15
    heights = []
    for _, _, items, shown, folded in panels:
        key_lines = sum(len(textwrap.wrap(f"{i + 1}: {c}", _KEY_WIDTH)) for i, c in enumerate(items))
        if folded:
            key_lines += len(textwrap.wrap(f"identical to x in every claim: {', '.join(folded)}", _KEY_WIDTH))
        heights += [0.3 + row_in * len(shown), 0.05 + key_line_in * key_lines]
    with style():
        fig = plt.figure(figsize=(width, sum(heights) + 0.5), layout="constrained")
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
                        continue
                    r = r.iloc[0]
                    verdict = str(r["verdict"])
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=VERDICT_COLORS.get(verdict, "white"),
                                           alpha=0.45, edgecolor="white", lw=1.0))
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
        handles += [plt.Line2D([], [], color="k", marker="o", ms=3.0, ls="-", lw=1.2,
                               label="value, interval (scale per claim)"),
                    plt.Line2D([], [], color="0.2", marker="|", ls="", ms=6, label="paper's value")]
        fig.legend(handles=handles, loc="outside lower center", ncol=4)
        fig.suptitle(title + "; cell scale per claim", fontsize=9)
        return fig


def main(argv: list[str] | None = None) -> int:
    """Console script secure-isac-compare: headline differences and changed claims verdicts of two runs."""
    ap = argparse.ArgumentParser(prog="secure-isac-compare", description=main.__doc__)
    ap.add_argument("run_a", help="run folder (holding results/) or scenario folder (results/scenarios/<name>)")
    ap.add_argument("run_b")
    args = ap.parse_args(argv)
    try:
        text = format_comparison(results_root(args.run_a), results_root(args.run_b))
    except (FileNotFoundError, CompareError) as exc:
        print(f"secure-isac-compare: {exc}", file=sys.stderr)
        return 2
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
