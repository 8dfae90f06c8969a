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
                     studies=STUDIES) -> None:
    """The scenario comparison: headline numbers and claims of every run (the default first) side by side, as a
    long CSV (kind, study, item, scheme, run, value, verdict), a Markdown table and a verdict heat map."""
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
    save_verdict_matrix(table[table["kind"] == "claim"], list(roots), out_fig,
                        "Claims verdicts per scenario (value in each cell)")


def _number(value) -> str:
    """A numeric value in 4 digits; text values (study 2 lists its evidence as text) are left out of a cell."""
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return ""


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


def save_verdict_matrix(claims_long: pd.DataFrame, runs: list[str], out_stem: Path, title: str) -> None:
    """Heat map claims x runs coloured by verdict, each cell annotated with the value (claims_long: study, item,
    run, value, verdict)."""
    import textwrap

    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from ..plotting import save_figure, style

    items = list(dict.fromkeys(zip(claims_long["study"], claims_long["item"])))
    verdicts = list(VERDICT_COLORS)
    grid = np.full((len(items), len(runs)), np.nan)
    text = [["" for _ in runs] for _ in items]
    for _, r in claims_long.iterrows():
        i, j = items.index((r["study"], r["item"])), runs.index(r["run"])
        grid[i, j] = verdicts.index(r["verdict"]) if r["verdict"] in verdicts else np.nan
        text[i][j] = _number(r["value"])
    with style():
        # 0.8 in per run keeps the widest value ("-0.006747" at 7 pt) inside its cell; wider cells made the matrix
        # of the 19 sensitivity runs 29 in wide and unreadable when shown whole
        fig, ax = plt.subplots(figsize=(4.5 + 0.8 * len(runs), 1.4 + 0.45 * len(items)), layout="constrained")
        ax.imshow(np.ma.masked_invalid(grid), cmap=ListedColormap(list(VERDICT_COLORS.values())), vmin=-0.5,
                  vmax=len(verdicts) - 0.5, aspect="auto")
        for i in range(len(items)):
            for j in range(len(runs)):
                ax.text(j, i, text[i][j], ha="center", va="center", fontsize=7)
        ax.set_xticks(range(len(runs)), runs, rotation=30, ha="right")
        ax.set_yticks(range(len(items)), [textwrap.fill(f"{s}: {c}", 55) for s, c in items], fontsize=7)
        ax.grid(False)
        handles = [Patch(color=c, label=v) for v, c in VERDICT_COLORS.items()]
        if np.isnan(grid).any():  # a claim some runs do not test (e.g. cp_paper's Fig. 3 claims): a blank cell
            handles.append(Patch(facecolor="white", edgecolor="0.6", label="not tested in this run"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7, title="verdict",
                  title_fontsize=7)
        ax.set_title(title, fontsize=9)
        save_figure(fig, out_stem)


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
