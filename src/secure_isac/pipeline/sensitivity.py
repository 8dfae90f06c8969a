"""The claims of both papers under every open choice (`snakemake sensitivity`): per sensitivity run the study-1
claims with bootstrap intervals over layouts, and the matrix claims x scenarios (CSV, Markdown, heat map) with each
study-1 value's paired bootstrap difference to the reference (delta, delta_ci_low, delta_ci_high).

Study 2 has no random layouts (one deterministic design per point), so its values carry no sampling interval and
its verdicts are those of its claims table."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .. import provenance, seeds
from ..cfmmimo.claims import claims_with_intervals, paired_difference
from ..verdicts import MIN_INTERVAL_SAMPLE
from .compare import _cell, save_verdict_matrix

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


def write_claims_intervals(fig3: Path, fig4: Path, out_csv: Path, *, n_boot: int, level: float, seed: int) -> None:
    """Study-1 claims of one run with `level` bootstrap intervals over its layouts (cfmmimo.claims.
    claims_with_intervals), and the replicate values (replicates_path: replicate x claim) for the paired differences
    of the claims matrix; the resampling stream is seeds.rng(seed, 0, "bootstrap"), the same for every run, so runs
    with equal pairing keys (column `pairing`) resample the same layouts replicate for replicate."""
    ds3, ds4 = provenance.open_intermediates([fig3, fig4])
    reps: list = []
    table = claims_with_intervals(ds3, ds4, n_boot, seeds.rng(seed, 0, "bootstrap"), level, replicates=reps)
    table["pairing"] = pairing_key(ds3, ds4, seed, n_boot)
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False, float_format="%.6g")
    # full precision (the point values too, row "point"): a difference must not carry the rounding of either run
    values = pd.to_numeric(table["reproduced"], errors="coerce").to_numpy(dtype=float)
    full = pd.concat([pd.DataFrame([values], columns=reps[0].columns, index=["point"]), reps[0]])
    full.to_csv(replicates_path(out_csv), index_label="replicate", float_format="%.17g")


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


def _read_replicates(path: Path) -> pd.DataFrame:
    """Replicate file of write_claims_intervals: row "point" (the point values), then one row per replicate; the
    header is the claims' text."""
    return pd.read_csv(path, index_col="replicate", dtype={"replicate": str})


def matrix(inputs: Mapping[str, tuple[Path, Path]], level: float = 0.95) -> pd.DataFrame:
    """Long table (MATRIX_COLUMNS) of every claim under every scenario {name: (study-1 intervals CSV, study-2
    claims CSV)}, scenarios in the given order; study-1 rows carry the paired bootstrap difference to the
    "reference" scenario (paired_deltas; its replicates next to each intervals CSV, replicates_path), blank without
    a reference or where the layouts are not shared."""
    rows = []
    ref = inputs.get(REFERENCE)
    ref_cf = pd.read_csv(ref[0]) if ref is not None else None
    ref_reps = _read_replicates(replicates_path(ref[0])) if ref is not None else None
    for name, (cf_csv, df_csv) in inputs.items():
        cf = pd.read_csv(cf_csv)
        if ref_cf is not None:
            deltas = paired_deltas(cf, _read_replicates(replicates_path(cf_csv)), ref_cf, ref_reps, level)
            cf = cf.merge(deltas, on="claim", how="left")
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
    text = f"{_cell(r['reproduced'])} [{_cell(r['ci_low'])}, {_cell(r['ci_high'])}]"
    if r["scenario"] != REFERENCE and pd.notna(r.get("delta")):
        text += f"; Δ {_cell(r['delta'])} [{_cell(r['delta_ci_low'])}, {_cell(r['delta_ci_high'])}]"
    return text


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
               f"(secure_isac.verdicts.interval_verdict), else \"inconclusive\". Δ: the scenario's value minus the "
               f"reference's with its {100 * level:g} % paired bootstrap interval (the layouts resampled jointly: "
               "both runs share them), blank where the layouts are not shared. Study 2 is deterministic.")
    return "\n".join(out) + "\n"


def sensitivity_matrix(inputs: Mapping[str, tuple[Path, Path]], out_csv: Path, out_md: Path, out_fig: Path,
                       level: float, style: str | None = None) -> pd.DataFrame:
    """Write the claims matrix of the sensitivity runs: CSV, Markdown and the figure (out_fig without suffix) in
    figure style `style` (plot.style; None: the active one)."""
    from ..plotting import active_style, use_style

    table = matrix(inputs, level)
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
