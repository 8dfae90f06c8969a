"""The claims of both papers under every open choice (`snakemake sensitivity`): the matrix claims x scenarios (CSV,
Markdown, heat map) from each study's claims of every sensitivity run (Study.sensitivity_claims: study 1's with
bootstrap intervals over layouts; study 2 has no random layouts, one deterministic design per point, so its values
carry no sampling interval and its verdicts are those of its claims table)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..verdicts import MIN_INTERVAL_SAMPLE
from . import markdown, scale
from .compare import cell, save_verdict_matrix, toy_lines, toy_note
from .studies import NAMES, all_studies

MATRIX_COLUMNS = ["scenario", "study", "claim", "paper", "reproduced", "ci_low", "ci_high", "verdict",
                  "verdict_point", "agreement", "feasible_share", "n_layouts"]


def matrix(inputs: Mapping[str, Sequence[Path]], studies=NAMES) -> pd.DataFrame:
    """Long table (MATRIX_COLUMNS) of every claim under every scenario {name: [each study's claims file
    (Study.sensitivity_claims), in the order of `studies`]}, scenarios in the given order."""
    rows = []
    for name, files in inputs.items():
        for st, path in zip(all_studies(studies), files, strict=True):
            table = st.sensitivity_rows(path)
            table.insert(0, "study", st.name)
            table.insert(0, "scenario", name)
            rows.append(table.reindex(columns=MATRIX_COLUMNS))
    return pd.concat(rows, ignore_index=True)


def _interval(r) -> str:
    if pd.isna(r["ci_low"]):
        return cell(r["reproduced"])
    return f"{cell(r['reproduced'])} [{cell(r['ci_low'])}, {cell(r['ci_high'])}]"


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
               f"(secure_isac.verdicts.interval_verdict), else \"inconclusive\". Study 2 is deterministic.")
    return "\n".join(out) + "\n"


def sensitivity_matrix(inputs: Mapping[str, Sequence[Path]], out_csv: Path, out_md: Path, out_fig: Path,
                       level: float, toy: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Write the claims matrix of the sensitivity runs: CSV, Markdown and the heat map (out_fig without suffix).
    `toy`: {scenario: its toy label, "" at the sensitivity run's counts} (pipeline.scale); with a toy scenario the
    CSV has a last column `configuration` (each row's scenario label) and the Markdown and the figure say so."""
    toy = {name: text for name, text in (toy or {}).items() if text}
    table = matrix(inputs)
    for path in (out_csv, out_md, out_fig):
        path.parent.mkdir(parents=True, exist_ok=True)
    csv = table.assign(**{scale.LABEL_COLUMN: table["scenario"].map(toy)}) if toy else table
    csv.to_csv(out_csv, index=False, float_format="%.6g")
    out_md.write_text(matrix_markdown(table, level, toy))
    # rows by study (a claim only some scenarios test, e.g. cp_paper's Fig. 3 claims, stays with its study)
    long = table.rename(columns={"claim": "item", "scenario": "run", "reproduced": "value"}).sort_values(
        "study", kind="stable")
    save_verdict_matrix(long, list(dict.fromkeys(table["scenario"])), out_fig,
                        f"Claims under each open choice (study 1: {100 * level:g} % bootstrap intervals decide)",
                        toy_note(toy))
    return table
