"""Claims tables of every study computed from its datasets (Study.claims_table), and their Markdown (file in, file
out)."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .. import provenance
from . import markdown, scale, studies

log = logging.getLogger(__name__)


def write_claims(study: str, data_files: Sequence[str | os.PathLike], out_csv: str | os.PathLike,
                 toy: str = "") -> None:
    """The claims table of `study` from its datasets (Study.claims_data, in that order) as CSV; `toy` (the run's
    scale.run_label, "" at the paper's counts): a toy run's label, in a last column `configuration` of every row."""
    claims_table = studies.study(study).claims_table
    table = claims_table(*provenance.open_intermediates(data_files))
    if toy:
        table[scale.LABEL_COLUMN] = toy
    Path(out_csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False, float_format="%.4g")
    log.info("claims:\n%s", table.to_string(index=False))


def toy_labels(tables: Sequence[pd.DataFrame]) -> list[str]:
    """The distinct toy labels of claims tables (their `configuration` column), in order."""
    found = [str(v) for t in tables if scale.LABEL_COLUMN in t.columns for v in t[scale.LABEL_COLUMN].dropna()]
    return list(dict.fromkeys(v for v in found if scale.is_toy(v)))


def markdown_table(table: pd.DataFrame) -> str:
    """GitHub-flavoured Markdown of a claims table (claim, paper, reproduced, verdict, feasible share and, where the
    table has it, the paper's sentence the claim tests)."""
    cols = [c for c in ("claim", "paper", "reproduced", "verdict", "feasible_share", "quote") if c in table.columns]
    return markdown.table(table[cols].map(lambda v: f"{v:.4g}" if isinstance(v, float) and v == v else v))


def claims_markdown(csv_files: Sequence[str | os.PathLike], titles: Sequence[str], out: str | os.PathLike) -> None:
    """Write one Markdown section per claims CSV (title, then the table), headed by a toy run's label."""
    if len(csv_files) != len(titles):
        raise ValueError(f"titles: {len(titles)} titles for {len(csv_files)} tables")
    tables = [pd.read_csv(f) for f in csv_files]
    head = [f"**{text}**\n" for text in toy_labels(tables)]
    parts = [f"### {title}\n\n{markdown_table(t)}\n" for t, title in zip(tables, titles)]
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text("\n".join(head + parts))
