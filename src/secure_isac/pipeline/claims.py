"""Claims tables of every study computed from its datasets (Study.claims_table), and their Markdown (file in, file
out)."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .. import provenance
from . import studies

log = logging.getLogger(__name__)


def write_claims(study: str, data_files: Sequence[str | os.PathLike], out_csv: str | os.PathLike) -> None:
    """The claims table of `study` from its datasets (Study.claims_data, in that order) as CSV."""
    claims_table = studies.study(study).claims_table
    table = claims_table(*provenance.open_intermediates(data_files))
    Path(out_csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False, float_format="%.4g")
    log.info("claims:\n%s", table.to_string(index=False))


def markdown_table(table: pd.DataFrame) -> str:
    """GitHub-flavoured Markdown of a claims table (claim, paper, reproduced, verdict, feasible share and, where the
    table has it, the paper's sentence the claim tests)."""
    cols = [c for c in ("claim", "paper", "reproduced", "verdict", "feasible_share", "quote") if c in table.columns]

    def cell(v) -> str:
        text = f"{v:.4g}" if isinstance(v, float) else str(v)
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cell(row[c]) for c in cols) + " |" for _, row in table.iterrows()]
    return "\n".join(lines)


def claims_markdown(csv_files: Sequence[str | os.PathLike], titles: Sequence[str], out: str | os.PathLike) -> None:
    """Write one Markdown section per claims CSV (title, then the table)."""
    if len(csv_files) != len(titles):
        raise ValueError(f"titles: {len(titles)} titles for {len(csv_files)} tables")
    parts = [f"### {title}\n\n{markdown_table(pd.read_csv(f))}\n" for f, title in zip(csv_files, titles)]
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text("\n".join(parts))
