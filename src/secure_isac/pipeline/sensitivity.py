"""The claims of both papers under every open choice (`snakemake sensitivity`): per sensitivity run the study-1
claims with bootstrap intervals over layouts, and the matrix claims x scenarios (CSV, Markdown, heat map).

Study 2 has no random layouts (one deterministic design per point), so its values carry no sampling interval and
its verdicts are those of its claims table."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .. import provenance, seeds
from ..cfmmimo.claims import claims_with_intervals
from ..verdicts import MIN_INTERVAL_SAMPLE
from .compare import _cell, save_verdict_matrix

MATRIX_COLUMNS = ["scenario", "study", "claim", "paper", "reproduced", "ci_low", "ci_high", "verdict",
                  "verdict_point", "agreement", "feasible_share", "n_layouts"]


def write_claims_intervals(fig3: Path, fig4: Path, out_csv: Path, *, n_boot: int, level: float, seed: int) -> None:
    """Study-1 claims of one run with `level` bootstrap intervals over its layouts (cfmmimo.claims.
    claims_with_intervals); the resampling stream is seeds.rng(seed, 0, "bootstrap"), the same for every run."""
    ds3, ds4 = provenance.open_intermediates([fig3, fig4])
    table = claims_with_intervals(ds3, ds4, n_boot, seeds.rng(seed, 0, "bootstrap"), level)
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False, float_format="%.6g")


def matrix(inputs: Mapping[str, tuple[Path, Path]]) -> pd.DataFrame:
    """Long table (MATRIX_COLUMNS) of every claim under every scenario {name: (study-1 intervals CSV, study-2
    claims CSV)}, scenarios in the given order."""
    rows = []
    for name, (cf_csv, df_csv) in inputs.items():
        cf = pd.read_csv(cf_csv)
        cf.insert(0, "study", "cfmmimo")
        df = pd.read_csv(df_csv)
        df.insert(0, "study", "dfbs")
        df["ci_low"] = df["ci_high"] = np.nan
        df["verdict_point"], df["agreement"], df["n_layouts"] = df["verdict"], np.nan, "deterministic"
        for table in (cf, df):
            table.insert(0, "scenario", name)
            rows.append(table.reindex(columns=MATRIX_COLUMNS))
    return pd.concat(rows, ignore_index=True)


def _interval(r) -> str:
    if pd.isna(r["ci_low"]):
        return _cell(r["reproduced"])
    return f"{_cell(r['reproduced'])} [{_cell(r['ci_low'])}, {_cell(r['ci_high'])}]"


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


def sensitivity_matrix(inputs: Mapping[str, tuple[Path, Path]], out_csv: Path, out_md: Path, out_fig: Path,
                       level: float) -> pd.DataFrame:
    """Write the claims matrix of the sensitivity runs: CSV, Markdown and the heat map (out_fig without suffix)."""
    table = matrix(inputs)
    for path in (out_csv, out_md, out_fig):
        path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False, float_format="%.6g")
    out_md.write_text(matrix_markdown(table, level))
    # rows by study (a claim only some scenarios test, e.g. cp_paper's Fig. 3 claims, stays with its study)
    long = table.rename(columns={"claim": "item", "scenario": "run", "reproduced": "value"}).sort_values(
        "study", kind="stable")
    save_verdict_matrix(long, list(dict.fromkeys(table["scenario"])), out_fig,
                        f"Claims under each open choice (study 1: {100 * level:g} % bootstrap intervals decide)")
    return table
