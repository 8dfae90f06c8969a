"""The claims of both papers under every open choice (`snakemake sensitivity`): the matrix claims x scenarios (CSV,
Markdown, heat map) from each study's claims of every sensitivity run (Study.sensitivity_claims: study 1's with
bootstrap intervals over layouts, and each such value's paired bootstrap difference to the reference: delta,
delta_ci_low, delta_ci_high; study 2 has no random layouts, one deterministic design per point, so its values
carry no sampling interval and its verdicts are those of its claims table)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..cfmmimo.claims import paired_difference
from ..verdicts import MIN_INTERVAL_SAMPLE
from . import markdown, scale
from .studies import NAMES, all_studies
from .summary_text import cell, toy_lines, toy_note
from .verdict_matrix import save_verdict_matrix

MATRIX_COLUMNS = ["scenario", "study", "claim", "paper", "reproduced", "ci_low", "ci_high", "verdict",
                  "verdict_point", "agreement", "feasible_share", "n_layouts", "delta", "delta_ci_low",
                  "delta_ci_high"]
REFERENCE = "reference"


def replicates_path(intervals_csv: str | Path) -> Path:
    """The bootstrap replicates written next to a run's claims_intervals.csv."""
    return Path(intervals_csv).with_name("claims_replicates.csv")


def _ranges(index) -> str:
    """Compact text of integer layout indices: "0-49" or "0-9,20-29"."""
    idx = sorted(int(i) for i in index)
    parts, start = [], None
    for a, b in zip([None, *idx], [*idx, None]):
        if start is None:
            start = b
        elif b is None or b != a + 1:
            parts.append(f"{start}-{a}" if a != start else f"{start}")
            start = b
    return ",".join(parts)


def pairing_key(ds3, ds4, seed: int, n_boot: int) -> str:
    """What makes two runs' bootstrap replicates paired: the same layout indices in fig3 and fig4 (each layout is
    drawn from seeds.rng(seed, layout, "layout"), so equal indices under one seed are the same draws) and the same
    resampling stream seeds.rng(seed, 0, "bootstrap") with the same replicate count."""
    return (f"seed {int(seed)}; n_boot {int(n_boot)}; fig3 layouts {_ranges(ds3['layout'].values)}; "
            f"fig4 layouts {_ranges(ds4['layout'].values)}")


def paired_deltas(intervals: pd.DataFrame, replicates: pd.DataFrame, ref_intervals: pd.DataFrame,
                  ref_replicates: pd.DataFrame, level: float) -> pd.DataFrame:
    """delta, delta_ci_low, delta_ci_high by claim of one run against the reference (cfmmimo.claims.
    paired_difference on the replicate files: row "point", then the replicates), all NaN when the two runs'
    replicates are not paired (their `pairing` keys differ: other layouts, layout counts, seed or replicate count)."""
    keys = {str(t["pairing"].iloc[0]) if "pairing" in t and len(t) else None for t in (intervals, ref_intervals)}
    if len(keys) != 1 or None in keys:
        return pd.DataFrame({"claim": list(intervals["claim"]), "delta": np.nan, "delta_ci_low": np.nan,
                             "delta_ci_high": np.nan})
    return paired_difference(replicates.loc["point"], replicates.drop(index="point"), ref_replicates.loc["point"],
                             ref_replicates.drop(index="point"), level)


def read_replicates(path: Path) -> pd.DataFrame:
    """Replicate file of the claims intervals (studies.cfmmimo_outputs.write_claims_intervals): row "point" (the point
    values), then one row per replicate; the header is the claims' text."""
    return pd.read_csv(path, index_col="replicate", dtype={"replicate": str})


def matrix(inputs: Mapping[str, Sequence[Path]], studies=NAMES, level: float = 0.95) -> pd.DataFrame:
    """Long table (MATRIX_COLUMNS) of every claim under every scenario {name: [each study's claims file
    (Study.sensitivity_claims), in the order of `studies`]}, scenarios in the given order; a study with sampling
    intervals adds the paired bootstrap difference to the "reference" scenario (Study.sensitivity_rows), blank
    without a reference or where the layouts are not shared."""
    rows = []
    ref = inputs.get(REFERENCE)
    for name, files in inputs.items():
        for i, (st, path) in enumerate(zip(all_studies(studies), files, strict=True)):
            table = st.sensitivity_rows(path, ref[i] if ref is not None else None, level)
            table.insert(0, "study", st.name)
            table.insert(0, "scenario", name)
            rows.append(table.reindex(columns=MATRIX_COLUMNS))
    return pd.concat(rows, ignore_index=True)


def _interval(r) -> str:
    if pd.isna(r["ci_low"]):
        return cell(r["reproduced"])
    text = f"{cell(r['reproduced'])} [{cell(r['ci_low'])}, {cell(r['ci_high'])}]"
    if r["scenario"] != REFERENCE and pd.notna(r.get("delta")):
        text += f"; Δ {cell(r['delta'])} [{cell(r['delta_ci_low'])}, {cell(r['delta_ci_high'])}]"
    return text


def matrix_markdown(table: pd.DataFrame, level: float, toy: Mapping[str, str] | None = None) -> str:
    """Per study, claims (rows) x scenarios (columns): verdict, value and bootstrap interval; headed by the toy
    scenarios' labels (`toy`: {scenario: label})."""
    scen = list(dict.fromkeys(table["scenario"]))
    out = toy_lines(toy or {})
    for study, g in table.groupby("study", sort=False):
        rows = [{"claim": claim, **{r["scenario"]: f"**{r['verdict']}** {_interval(r)}" for _, r in h.iterrows()}}
                for claim, h in g.groupby("claim", sort=False)]
        out += [f"### {study}", "", markdown.table(pd.DataFrame(rows, columns=["claim", *scen]), missing="-"), ""]
    out.append(f"Study 1: value [{100 * level:g} % bootstrap interval over layouts]; a verdict is given only when "
               f"the interval supports it and rests on at least {MIN_INTERVAL_SAMPLE} layouts "
               f"(secure_isac.verdicts.interval_verdict), else \"inconclusive\". Δ: the scenario's value minus the "
               f"reference's with its {100 * level:g} % paired bootstrap interval (the layouts resampled jointly: "
               "both runs share them), blank where the layouts are not shared. Study 2 is deterministic.")
    return "\n".join(out) + "\n"


def sensitivity_matrix(inputs: Mapping[str, Sequence[Path]], out_csv: Path, out_md: Path, out_fig: Path,
                       level: float, toy: Mapping[str, str] | None = None,
                       style: str | None = None) -> pd.DataFrame:
    """Write the claims matrix of the sensitivity runs: CSV, Markdown and the figure (out_fig without suffix) in
    figure style `style` (plot.style; None: the active one). `toy`: {scenario: its toy label, "" at the
    sensitivity run's counts} (pipeline.scale); with a toy scenario the CSV has a last column `configuration` (each
    row's scenario label) and the Markdown and the figure say so."""
    from ..plotting import active_style, use_style

    toy = {name: text for name, text in (toy or {}).items() if text}
    table = matrix(inputs, level=level)
    for path in (out_csv, out_md, out_fig):
        path.parent.mkdir(parents=True, exist_ok=True)
    csv = table.assign(**{scale.LABEL_COLUMN: table["scenario"].map(toy)}) if toy else table
    csv.to_csv(out_csv, index=False, float_format="%.6g")
    out_md.write_text(matrix_markdown(table, level, toy))
    # rows by study (a claim only some scenarios test, e.g. cp_paper's Fig. 3 claims, stays with its study)
    long = table.rename(columns={"claim": "item", "scenario": "run", "reproduced": "value"}).sort_values(
        "study", kind="stable")
    with use_style(style or active_style()):
        save_verdict_matrix(long, list(dict.fromkeys(table["scenario"])), out_fig,
                            f"Claims under each open choice (study 1: {100 * level:g} % bootstrap intervals decide)",
                            toy_note(toy))
    return table
