"""The scenario summary: headline numbers and claims of every scenario run (the default first) side by side,
results/scenarios/summary.{csv,md} and the claims matrix figures/scenarios/summary (workflow rule
scenario_summary). secure-isac-compare (pipeline.compare) compares two runs in detail from the same tables."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from . import markdown, scale
from .run_results import STUDIES, claims, headlines
from .summary_text import cell, toy_lines, toy_note
from .verdict_matrix import save_verdict_matrix


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
