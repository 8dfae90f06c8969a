"""The search for paper 1's reading (`snakemake sensitivity`, sensitivity.readings_file): every combination of the
open choices that moved a verdict, screened at reduced layout counts (point verdicts), the best few re-run at the
claims' full counts with bootstrap intervals and paired differences to the reference; results/sensitivity/
readings.csv (one row per combination) and figures/sensitivity/readings.{pdf,png}.

The combinations are ordinary sensitivity runs (readings_search.load_readings, registry.Reading), so they share
layouts, channels and designs with every other run of equal scope and rerun only what a changed key touches."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..verdicts import MIN_INTERVAL_SAMPLE, PARTLY, REPRODUCED
from .sensitivity import REFERENCE, paired_deltas, read_replicates, replicates_path
from .verdict_matrix import save_verdict_matrix

# Paper 1's claims as the claims table words them (cfmmimo.claims.claims_table), by key; "{cp}" is the CP scheme a
# reading's Fig. 3 claims read ("CP", or "CP (cp_paper)" when the reading runs the paper's SCA in Fig. 3).
PAPER1_CLAIMS = {
    "cp_median": "CP median per-UE average secrecy rate",
    "sp_floor": "SP secrecy above 3.5",
    "cp_above_both": "CP above SP and the baseline",
    "sp_above_baseline": "SP above the baseline",
    "cp_degrades": "{cp} secrecy degrades",
    "cp_ue_rate_degrades": "{cp} minimum UE rate degrades",
    "sp_flat": "SP secrecy flat in kappa",
    "cp_eve_rate": "CP Eve rate at log2(1 + nu)",
}
# rank of a verdict in the screen: reproduced first, then partly; an untestable claim counts as nothing
_SCORE = {REPRODUCED: 1.0, PARTLY: 0.5}


def reading_cp(fig3_schemes) -> str:
    """The CP label of a reading's Fig. 3 claims: the paper's SCA when the reading runs it there (the SCA-variant
    factor), else this reproduction's CP."""
    return "CP (cp_paper)" if "cp_paper" in fig3_schemes else "CP"


def paper1_rows(table: pd.DataFrame, cp: str = "CP") -> pd.DataFrame:
    """The rows of a study-1 claims table (claims or claims intervals CSV) that test paper 1's claims, indexed by
    PAPER1_CLAIMS key. ValueError naming the claim when the table lacks one (a claim renamed in cfmmimo.claims)."""
    out = {}
    for key, start in PAPER1_CLAIMS.items():
        start = start.format(cp=cp)
        hit = table[table["claim"].astype(str).str.startswith(start)]
        if len(hit) != 1:
            raise ValueError(f"claims table: {len(hit)} rows for claim {key!r} (starting {start!r}); "
                             f"claims: {list(table['claim'])}")
        out[key] = hit.iloc[0]
    return pd.DataFrame(out).T


def screen_table(inputs: Mapping[str, str], choices: Mapping[str, Mapping[str, str]],
                 fig3_schemes: Mapping[str, list], n_layouts: Mapping[str, str]) -> pd.DataFrame:
    """One row per combination at the screen's layout counts: its choices, n_reproduced (point verdicts of the 8
    paper-1 claims), score (reproduced 1, partly 0.5) and each claim's verdict and value; sorted best first (score,
    then n_reproduced, then the order of the file), with its rank."""
    rows = []
    for order, (name, path) in enumerate(inputs.items()):
        claims = paper1_rows(pd.read_csv(path), reading_cp(fig3_schemes[name]))
        row = {"combination": name, **choices[name], "stage": "screen", "n_layouts": n_layouts[name]}
        row["n_reproduced"] = int((claims["verdict"] == REPRODUCED).sum())
        row["score"] = float(sum(_SCORE.get(v, 0.0) for v in claims["verdict"]))
        for key, r in claims.iterrows():
            row[key] = r["verdict"]
            row[f"{key}_value"] = pd.to_numeric(r["reproduced"], errors="coerce")
        row["_order"] = order
        rows.append(row)
    table = pd.DataFrame(rows).sort_values(["score", "n_reproduced", "_order"], ascending=[False, False, True],
                                           kind="stable")
    table.insert(1, "rank", np.arange(1, len(table) + 1))
    return table.drop(columns="_order").reset_index(drop=True)


def best(screen: pd.DataFrame, n: int) -> list[str]:
    """The `n` best combinations of a screen table (its first rows)."""
    return [str(x) for x in screen["combination"].head(int(n))]


def write_screen(inputs: Mapping[str, str], choices, fig3_schemes, n_layouts, out_csv: Path) -> pd.DataFrame:
    table = screen_table(inputs, choices, fig3_schemes, n_layouts)
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False, float_format="%.6g")
    return table


def readings_table(screen: pd.DataFrame, full: Mapping[str, str], fig3_schemes: Mapping[str, list],
                   level: float) -> pd.DataFrame:
    """readings.csv: the screen table with, for the combinations re-run at full count (`full`: {name or
    "reference": claims intervals CSV}), the interval verdicts (full_n_reproduced, full_<claim> verdict,
    full_<claim>_value / _ci_low / _ci_high) and the paired difference of each value to the sensitivity reference
    (full_<claim>_delta, _delta_ci_low, _delta_ci_high; blank where the layouts are not shared)."""
    out = screen.copy()
    ref = full.get(REFERENCE)
    ref_cf = pd.read_csv(ref) if ref is not None else None
    ref_reps = read_replicates(replicates_path(ref)) if ref is not None else None
    for name, path in full.items():
        if name == REFERENCE:
            continue
        cf = pd.read_csv(path)
        if ref_cf is not None:
            cf = cf.merge(paired_deltas(cf, read_replicates(replicates_path(path)), ref_cf, ref_reps, level),
                          on="claim", how="left")
        claims = paper1_rows(cf, reading_cp(fig3_schemes[name]))
        i = out.index[out["combination"] == name]
        out.loc[i, "full_n_layouts"] = str(cf["n_layouts"].iloc[0])
        out.loc[i, "full_n_reproduced"] = int((claims["verdict"] == REPRODUCED).sum())
        for key, r in claims.iterrows():
            out.loc[i, f"full_{key}"] = r["verdict"]
            for col in ("reproduced", "ci_low", "ci_high", "delta", "delta_ci_low", "delta_ci_high"):
                tag = "value" if col == "reproduced" else col
                out.loc[i, f"full_{key}_{tag}"] = pd.to_numeric(r.get(col, np.nan), errors="coerce")
    return out


def _figure(table: pd.DataFrame, factors: list[str], out_stem: Path) -> None:
    """Claims matrix: the full-count re-runs on top (value, 95 % interval and interval verdict per claim), below them
    every combination of the screen, best first, by its point verdicts (compact rows; values in readings.csv). Rows
    are combinations named by their levels, columns paper 1's eight claims (numbered, their text below a panel)."""
    claims = {key: text.format(cp="CP") for key, text in PAPER1_CLAIMS.items()}
    long = []
    for _, r in table.iterrows():
        name = ".".join(str(r[f]) for f in factors)
        stages = [("screen", "")] + ([("full", "full_")] if pd.notna(r.get("full_n_reproduced")) else [])
        for stage, pre in stages:
            n = int(r[f"{pre}n_reproduced"])
            run = f"#{r['rank']} {name} ({n}/{len(PAPER1_CLAIMS)})"
            for key, text in claims.items():
                row = {"study": stage, "item": text, "run": run, "value": r[f"{pre}{key}_value"],
                       "verdict": r[f"{pre}{key}"]}
                if pre:
                    row.update(ci_low=r.get(f"full_{key}_ci_low"), ci_high=r.get(f"full_{key}_ci_high"))
                long.append(row)
    long = pd.DataFrame(long)
    long["study"] = long["study"].map({"full": "re-run at full count", "screen": "screen (all combinations)"})
    long = long.sort_values("study", kind="stable")  # full-count rows first
    counts = f"screen {table['n_layouts'].iloc[0]}"
    if "full_n_layouts" in table and table["full_n_layouts"].notna().any():
        counts += f"; full {table['full_n_layouts'].dropna().iloc[0]}"
    toy = min(int(n) for n in re.findall(r"\d+", counts)) < MIN_INTERVAL_SAMPLE
    toy_tag = f"TOY SIZE (< {MIN_INTERVAL_SAMPLE} layouts) - " if toy else ""
    title = (f"{toy_tag}Paper 1's claims under combinations of the open choices ({' . '.join(factors)}; "
             f"layouts: {counts}; full rows: 95 % interval verdicts)")
    runs = list(dict.fromkeys(long["run"]))
    save_verdict_matrix(long, runs, out_stem, title, compact={"screen (all combinations)"})


def write_readings(screen_csv: Path, full: Mapping[str, str], fig3_schemes: Mapping[str, list], factors: list[str],
                   level: float, out_csv: Path, out_fig: Path) -> pd.DataFrame:
    """Write readings.csv and its figure (out_fig without suffix) from the screen and the full-count re-runs."""
    table = readings_table(pd.read_csv(screen_csv, dtype={f: str for f in factors}), full, fig3_schemes, level)
    for path in (out_csv, out_fig):
        path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False, float_format="%.6g")
    _figure(table, factors, out_fig)
    return table


def resisting_claims(table: pd.DataFrame) -> list[str]:
    """Paper-1 claims no full-count re-run reproduces (interval verdicts)."""
    full = table[table.get("full_n_reproduced", pd.Series(dtype=float)).notna()] if "full_n_reproduced" in table \
        else table.iloc[0:0]
    return [k for k in PAPER1_CLAIMS if not (full.get(f"full_{k}", pd.Series(dtype=str)) == REPRODUCED).any()]

