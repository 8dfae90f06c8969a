"""Markdown rendering of the claims tables (for pasting into the README)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import pandas as pd


def markdown_table(table: pd.DataFrame) -> str:
    """GitHub-flavoured Markdown of a claims table (claim, paper, reproduced, verdict); '|' escaped."""
    cols = [c for c in ("claim", "paper", "reproduced", "verdict") if c in table.columns]

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
