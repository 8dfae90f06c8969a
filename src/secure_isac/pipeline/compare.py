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

from .. import provenance
from . import markdown, scale
from .studies import NAMES as STUDIES  # noqa: F401  (the studies a run folder may hold)
from .studies import all_studies
from .studies import study as study_of


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


RTOL, ATOL = 1e-6, 1e-9  # round-off of a rerun on another BLAS / core count is ~1e-9 relative: not a difference


def differs(a, b, rtol: float = RTOL, atol: float = ATOL):
    """Elementwise: |b - a| > atol + rtol |a| (numpy.isclose's rule, NaN equal to NaN)."""
    return ~np.isclose(np.asarray(b, float), np.asarray(a, float), rtol=rtol, atol=atol, equal_nan=True)


def _datasets(root: Path, studies=STUDIES) -> dict[tuple[str, str], Mapping]:
    """{(study, dataset): global attributes} of the contract datasets a run holds."""
    out = {}
    for st in all_studies(studies):
        for name in st.datasets:
            path = root / st.name / f"{name}.nc"
            if path.exists():
                out[(st.name, name)] = dict(_open(path).attrs)
    return out


def _flat(node, prefix: str = "") -> dict:
    if isinstance(node, Mapping):
        out: dict = {}
        for k, v in node.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: node}


def _config(attrs: Mapping) -> dict:
    """The flat configuration a dataset records: its job's config (config_json's "config", provenance.write_dataset;
    the whole of config_json where there is none), without the code digest (code is not configuration)."""
    import json

    try:
        recorded = json.loads(attrs.get("config_json", "{}"))
    except ValueError:
        return {}
    if not isinstance(recorded, Mapping):
        return {}
    config = recorded.get("config", recorded)
    return {k: v for k, v in _flat(config).items() if k != "code_digest"} if isinstance(config, Mapping) else {}


def config_differences(da: Mapping, db: Mapping) -> pd.DataFrame:
    """The configuration keys that differ between two runs' datasets (their config_json), one row per (study, key,
    value in A, value in B) with the datasets where it differs; only datasets both runs hold."""
    rows: dict = {}
    for key in [k for k in da if k in db]:
        a, b = _config(da[key]), _config(db[key])
        for name in sorted(set(a) | set(b)):
            va, vb = a.get(name, ABSENT), b.get(name, ABSENT)
            if va != vb:
                rows.setdefault((key[0], name, str(va), str(vb)), []).append(key[1])
    return pd.DataFrame([{"study": s, "key": k, "a": va, "b": vb, "datasets": ", ".join(ds)}
                         for (s, k, va, vb), ds in rows.items()], columns=["study", "key", "a", "b", "datasets"])


def toy_label(root: Path, attrs: Mapping) -> str:
    """The toy label of a run (pipeline.scale) from the layout counts its datasets record (config_json n_layouts);
    a sensitivity scenario's folder (results/sensitivity/<name>) against the sensitivity run's counts."""
    counts: dict = {}
    for (study, name), a in attrs.items():
        n = _config(a).get("n_layouts")
        if name in study_of(study).layout_figures and n is not None:
            counts.setdefault(study, {})[name] = int(n)
    return scale.label(counts, sensitivity=root.parent.name == "sensitivity")


def _versions(root: Path, attrs: Mapping) -> dict[str, str]:
    """The package versions of a run's datasets (provenance.run_versions) and the commit(s) of this code that
    wrote them (`git_commit`)."""
    try:
        versions = provenance.run_versions(attrs.values())
    except ValueError as exc:  # a damaged versions_json attribute: named, never a traceback
        raise CompareError(f"{root}: {exc}") from None
    commits = sorted({str(a.get("git_commit", "not recorded")) for a in attrs.values()})
    return {**versions, **({"secure-isac (git commit)": " | ".join(commits)} if commits else {})}


def comparison(a: Path, b: Path, rtol: float = RTOL, atol: float = ATOL) -> dict:
    """Everything secure-isac-compare reports of runs a and b: {"a", "b", "toy" (each run's toy label), "warnings",
    "headlines" (numbers that differ beyond rtol/atol), "counts" (compared, only in A, only in B), "only_a",
    "only_b", "claims" (changed verdicts), "config" (config_differences), "versions" (package versions that
    differ: {package: (a, b)})}."""
    h, changed = compare(a, b)
    both = h[h["value_a"].notna() | h["value_b"].notna()]
    only_a = both[both["value_b"].isna() & both["value_a"].notna()]
    only_b = both[both["value_a"].isna() & both["value_b"].notna()]
    common = both[both["value_a"].notna() & both["value_b"].notna()]
    diff = common[differs(common["value_a"], common["value_b"], rtol, atol)]
    da, db = _datasets(a), _datasets(b)
    toy = {"A": toy_label(a, da), "B": toy_label(b, db)}
    warnings = [f"{side} is a {text}" for side, text in toy.items() if text]
    if bool(toy["A"]) != bool(toy["B"]):
        warnings.append("comparing a toy run with a paper-scale run: the differences are mostly those of the "
                        "layout counts")
    versions = provenance.version_differences(_versions(a, da), _versions(b, db))
    return {"a": str(a), "b": str(b), "toy": toy, "warnings": warnings, "rtol": rtol, "atol": atol,
            "headlines": diff, "counts": (len(common), len(only_a), len(only_b)), "only_a": only_a,
            "only_b": only_b, "claims": changed, "config": config_differences(da, db), "versions": versions}


def _headline_rows(c: dict) -> pd.DataFrame:
    d = c["headlines"]
    return pd.DataFrame({"study": d["study"], "dataset": d["dataset"], "scheme": d["scheme"],
                         "quantity": d["quantity"], "a": d["value_a"], "b": d["value_b"],
                         "difference": d["difference"]})


def _claim_rows(c: dict) -> pd.DataFrame:
    d = c["claims"]
    return pd.DataFrame({"study": d["study"], "claim": d["claim"],
                         "a": [_verdict_cell(v, x) for v, x in zip(d["verdict_a"], d["value_a"])],
                         "b": [_verdict_cell(v, x) for v, x in zip(d["verdict_b"], d["value_b"])]})


def _version_rows(c: dict) -> pd.DataFrame:
    return pd.DataFrame([{"package": p, "a": va or "not recorded", "b": vb or "not recorded"}
                         for p, (va, vb) in c["versions"].items()], columns=["package", "a", "b"])


def _only(c: dict, side: str) -> str:
    part = c["only_a" if side == "A" else "only_b"]
    return ", ".join(dict.fromkeys(f"{s} {d}" for s, d in zip(part["study"], part["dataset"])))


def format_text(c: dict) -> str:
    """The comparison as text (the default of secure-isac-compare)."""
    n_common, n_a, n_b = c["counts"]
    lines = [f"A = {c['a']}", f"B = {c['b']}"]
    lines += [f"warning: {w}" for w in c["warnings"]]
    lines += ["", f"headline numbers that differ ({len(c['headlines'])} of {n_common} in both runs; rtol "
              f"{c['rtol']:g}, atol {c['atol']:g}):"]
    for _, r in c["headlines"].iterrows():
        lines.append(f"  {r['study']:<8} {r['dataset']:<14} {r['scheme']:<16} {r['quantity']:<46} "
                     f"{r['value_a']:>10.4g} -> {r['value_b']:<10.4g} ({r['difference']:+.4g})")
    for side, n in (("A", n_a), ("B", n_b)):
        if n:
            lines.append(f"only in {side} ({n} numbers): {_only(c, side)}")
    lines += ["", f"claims verdicts that changed ({len(c['claims'])}):"]
    for _, r in c["claims"].iterrows():
        lines.append(f"  {r['study']:<8} {r['claim']}: {_verdict_cell(r['verdict_a'], r['value_a'])} -> "
                     f"{_verdict_cell(r['verdict_b'], r['value_b'])}")
    lines += ["", f"configuration keys that differ ({len(c['config'])}):"]
    for _, r in c["config"].iterrows():
        lines.append(f"  {r['study']:<8} {r['key']}: {r['a']} -> {r['b']} ({r['datasets']})")
    lines += ["", f"package versions (and commits) that differ ({len(c['versions'])}):"]
    for p, (va, vb) in c["versions"].items():
        lines.append(f"  {p}: {va or 'not recorded'} -> {vb or 'not recorded'}")
    return "\n".join(lines)


def format_markdown(c: dict) -> str:
    """The comparison as Markdown sections and tables (pipeline.markdown)."""
    n_common, n_a, n_b = c["counts"]
    out = [f"A = `{c['a']}`, B = `{c['b']}`", ""]
    out += [f"**warning: {w}**\n" for w in c["warnings"]]
    sections = (
        (f"Headline numbers that differ ({len(c['headlines'])} of {n_common} in both runs; rtol {c['rtol']:g}, "
         f"atol {c['atol']:g})", _headline_rows(c).map(lambda v: cell(v) if isinstance(v, float) else v)),
        (f"Claims verdicts that changed ({len(c['claims'])})", _claim_rows(c)),
        (f"Configuration keys that differ ({len(c['config'])})", c["config"]),
        (f"Package versions (and commits) that differ ({len(c['versions'])})", _version_rows(c)),
    )
    for title, frame in sections:
        out += [f"### {title}", "", markdown.table(frame) if len(frame) else "(none)", ""]
    out += [f"Only in {side} ({n} numbers): {_only(c, side)}" for side, n in (("A", n_a), ("B", n_b)) if n]
    return "\n".join(out).rstrip() + "\n"


def long_table(c: dict) -> pd.DataFrame:
    """The comparison as one long table (section, study, item, scheme, a, b, difference): section headline,
    only_a / only_b, claim, config, version, warning."""
    rows = [{"section": "warning", "item": w} for w in c["warnings"]]
    rows += [{"section": "headline", "study": r["study"], "item": f"{r['dataset']}: {r['quantity']}",
              "scheme": r["scheme"], "a": r["a"], "b": r["b"], "difference": r["difference"]}
             for _, r in _headline_rows(c).iterrows()]
    for side in ("a", "b"):
        rows += [{"section": f"only_{side}", "study": r["study"], "item": f"{r['dataset']}: {r['quantity']}",
                  "scheme": r["scheme"], side: r[f"value_{side}"]} for _, r in c[f"only_{side}"].iterrows()]
    rows += [{"section": "claim", "study": r["study"], "item": r["claim"], "a": r["a"], "b": r["b"]}
             for _, r in _claim_rows(c).iterrows()]
    rows += [{"section": "config", "study": r["study"], "item": r["key"], "scheme": r["datasets"], "a": r["a"],
              "b": r["b"]} for _, r in c["config"].iterrows()]
    rows += [{"section": "version", "item": r["package"], "a": r["a"], "b": r["b"]}
             for _, r in _version_rows(c).iterrows()]
    return pd.DataFrame(rows, columns=["section", "study", "item", "scheme", "a", "b", "difference"])


def format_json(c: dict) -> str:
    """The comparison as JSON: {a, b, rtol, atol, toy, warnings, counts, and each section as a list of records}."""
    import json

    def records(frame: pd.DataFrame) -> list[dict]:
        return json.loads(frame.to_json(orient="records"))

    n_common, n_a, n_b = c["counts"]
    doc = {"a": c["a"], "b": c["b"], "rtol": c["rtol"], "atol": c["atol"], "toy": c["toy"],
           "warnings": c["warnings"], "counts": {"in_both": n_common, "only_a": n_a, "only_b": n_b},
           "headlines": records(_headline_rows(c)), "claims": records(_claim_rows(c)),
           "config": records(c["config"]),
           "versions": {p: {"a": va, "b": vb} for p, (va, vb) in c["versions"].items()}}
    return json.dumps(doc, indent=2)


FORMATS = {"text": format_text, "md": format_markdown, "json": format_json,
           "csv": lambda c: long_table(c).to_csv(index=False)}


def format_comparison(a: Path, b: Path, rtol: float = RTOL, atol: float = ATOL, fmt: str = "text") -> str:
    """The comparison of runs a and b in `fmt` (FORMATS): headline numbers that differ beyond rtol/atol, numbers
    only one run has, the claims whose verdict changed, the configuration keys and package versions that differ,
    and a warning when a run is a toy configuration."""
    return FORMATS[fmt](comparison(a, b, rtol, atol))


def scenario_summary(roots: Mapping[str, Path], out_csv: Path, out_md: Path, out_fig: Path,
                     studies=STUDIES, toy: Mapping[str, str] | None = None, style: str | None = None) -> None:
    """The scenario comparison: headline numbers and claims of every run (the default first) side by side, as a
    long CSV (kind, study, item, scheme, run, value, verdict; with a toy run among them, a last column
    `configuration` holding each row's run label), a Markdown table and the claims matrix in figure style `style`
    (plot.style; None: the active one). `toy`: {run: its toy label, "" at the paper's counts} (pipeline.scale)."""
    from ..plotting import active_style, use_style

    toy = {name: text for name, text in (toy or {}).items() if text}
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
    if toy:
        table.assign(**{scale.LABEL_COLUMN: table["run"].map(toy)}).to_csv(out_csv, index=False)
    else:
        table.to_csv(out_csv, index=False)
    out_md.write_text(summary_markdown(table, list(roots), toy))
    with use_style(style or active_style()):
        save_verdict_matrix(table[table["kind"] == "claim"], list(roots), out_fig,
                            "Claims verdicts per scenario (value in each cell)", toy_note(toy))


def toy_lines(toy: Mapping[str, str]) -> list[str]:
    """Bold Markdown lines "**<runs>: toy configuration (...): verdicts not meaningful**", one per distinct label of
    the toy runs."""
    runs: dict[str, list[str]] = {}
    for name, text in toy.items():
        if text:
            runs.setdefault(text, []).append(name)
    return [f"**{', '.join(names)}: {text}**\n" for text, names in runs.items()]


def toy_note(toy: Mapping[str, str]) -> str:
    """One line for a figure: which runs are toy configurations ("" if none)."""
    names = [n for n, text in toy.items() if text]
    return f"toy configuration ({', '.join(names)}): {scale.TOY_NOTE}" if names else ""


def cell(value) -> str:
    """A value in 4 significant digits, or its text (claims tables hold text evidence too)."""
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return str(value)


def summary_markdown(table: pd.DataFrame, runs: list[str], toy: Mapping[str, str] | None = None) -> str:
    """Claims (verdict and value) and headline numbers, one column per run, headed by the toy runs' labels."""
    cl = table[table["kind"] == "claim"]
    claim_rows = [{"study": study, "claim": item,
                   **{n: f"{r['verdict']} ({cell(r['value'])})" for n, r in zip(g["run"], g.to_dict("records"))}}
                  for (study, item), g in cl.groupby(["study", "item"], sort=False)]
    hl = table[table["kind"] == "headline"]
    headline_rows = [{"study": study, "quantity": item, "scheme": scheme,
                      **{n: cell(v) for n, v in zip(g["run"], g["value"])}}
                     for (study, item, scheme), g in hl.groupby(["study", "item", "scheme"], sort=False)]
    claims_md = markdown.table(pd.DataFrame(claim_rows, columns=["study", "claim", *runs]), missing="-")
    headlines_md = markdown.table(pd.DataFrame(headline_rows, columns=["study", "quantity", "scheme", *runs]),
                                  missing="-")
    return "\n".join([*toy_lines(toy or {}), "### Claims", "", claims_md, "", "### Headline numbers", "",
                      headlines_md]) + "\n"


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
                        note: str = "") -> None:
    """The claims matrix (`verdict_matrix_figure`) saved as out_stem.{pdf,png}, two columns wide at paper style;
    `note` (a toy label) under the title."""
    from ..plotting import DOUBLE_COLUMN_WIDTH_IN, save_figure, style

    with style():
        save_figure(verdict_matrix_figure(claims_long, runs, title, note), out_stem, width=DOUBLE_COLUMN_WIDTH_IN)


def verdict_matrix_figure(claims_long: pd.DataFrame, runs: list[str], title: str, note: str = ""):
    """Claims matrix, one panel per study: rows are runs, columns the study's numbered claims (their text below the
    panel). Each cell: the verdict by colour and glyph, the value to 3 significant digits and, on a scale of its own
    per claim, the value (dot), its interval (bar; when claims_long has ci_low/ci_high) and the paper's value (tick;
    when it has `paper`); a claim a run does not test is a blank cell. Runs equal in every claim to the first are
    folded into one note. `note` (a toy label) goes under the title. claims_long: study, item, run, value,
    verdict[, ci_low, ci_high, paper]."""
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
        if blank:  # e.g. cp_paper's Fig. 3 claims in the runs that do not compute them
            handles.append(Patch(facecolor="white", edgecolor="0.6", label="not tested in this run"))
        fig.legend(handles=handles, loc="outside lower center", ncol=4)
        head = title + "; cell scale per claim"
        fig.suptitle(f"{head}\n{textwrap.fill(note, _KEY_WIDTH)}" if note else head, fontsize=9)
        return fig


def main(argv: list[str] | None = None) -> int:
    """Console script secure-isac-compare: headline differences and changed claims verdicts of two runs."""
    ap = argparse.ArgumentParser(prog="secure-isac-compare", description=main.__doc__)
    ap.add_argument("run_a", help="run folder (holding results/) or scenario folder (results/scenarios/<name>)")
    ap.add_argument("run_b")
    ap.add_argument("--rtol", type=_tolerance, default=RTOL, help="relative tolerance of a headline difference "
                    f"(|b - a| > atol + rtol |a| counts; default {RTOL:g})")
    ap.add_argument("--atol", type=_tolerance, default=ATOL, help=f"absolute tolerance (default {ATOL:g})")
    ap.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default text)")
    args = ap.parse_args(argv)
    try:
        c = comparison(results_root(args.run_a), results_root(args.run_b), args.rtol, args.atol)
    except (FileNotFoundError, CompareError) as exc:
        print(f"secure-isac-compare: {exc}", file=sys.stderr)
        return 2
    for w in c["warnings"]:
        if args.format != "text":  # the text output carries them itself; a machine format keeps them in its data
            print(f"secure-isac-compare: warning: {w}", file=sys.stderr)
    try:
        print(FORMATS[args.format](c), end="" if args.format == "csv" else "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `secure-isac-compare a b | head`: the reader left; no traceback at exit either
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _tolerance(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: a tolerance is a number >= 0")
    return value


if __name__ == "__main__":
    sys.exit(main())
