"""The claims of both papers under every open choice (`snakemake sensitivity`): the matrix claims x scenarios (CSV,
Markdown, heat map) from each study's claims of every sensitivity run (Study.sensitivity_claims: study 1's with
bootstrap intervals over layouts; study 2 has no random layouts, one deterministic design per point, so its values
carry no sampling interval and its verdicts are those of its claims table)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..verdicts import MIN_INTERVAL_SAMPLE
from .compare import cell, save_verdict_matrix
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


def matrix_markdown(table: pd.DataFrame, level: float) -> str:
    """Per study, claims (rows) x scenarios (columns): verdict, value and bootstrap interval."""
    scen = list(dict.fromkeys(table["scenario"]))
    out = []
    for study, g in table.groupby("study", sort=False):
        out += [f"### {study}", "", "| claim | " + " | ".join(scen) + " |", "|---|" + "---|" * len(scen)]
        for claim, h in g.groupby("claim", sort=False):
            cells = {r["scenario"]: f"**{r['verdict']}** {_interval(r)}" for _, r in h.iterrows()}
            out.append(f"| {str(claim).replace('|', '/')} | " + " | ".join(cells.get(s, "-") for s in scen) + " |")
        out.append("")
    out.append(f"Study 1: value [{100 * level:g} % bootstrap interval over layouts]; a verdict is given only when "
               f"the interval supports it and rests on at least {MIN_INTERVAL_SAMPLE} layouts "
               f"(secure_isac.verdicts.interval_verdict), else \"inconclusive\". Study 2 is deterministic.")
    return "\n".join(out) + "\n"


def sensitivity_matrix(inputs: Mapping[str, Sequence[Path]], out_csv: Path, out_md: Path, out_fig: Path,
                       level: float, style: str | None = None) -> pd.DataFrame:
    """Write the claims matrix of the sensitivity runs: CSV, Markdown and the figure (out_fig without suffix) in
    figure style `style` (plot.style; None: the active one)."""
    from ..plotting import active_style, use_style

    table = matrix(inputs)
    for path in (out_csv, out_md, out_fig):
        path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False, float_format="%.6g")
    out_md.write_text(matrix_markdown(table, level))
    # rows by study (a claim only some scenarios test, e.g. cp_paper's Fig. 3 claims, stays with its study)
    long = table.rename(columns={"claim": "item", "scenario": "run", "reproduced": "value"}).sort_values(
        "study", kind="stable")
    with use_style(style or active_style()):
        save_verdict_matrix(long, list(dict.fromkeys(table["scenario"])), out_fig,
                            f"Claims under each open choice (study 1: {100 * level:g} % bootstrap intervals decide)")
    return table
