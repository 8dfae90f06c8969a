"""Markdown rendering of the claims tables (for pasting into the README)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import pandas as pd


def markdown_table(table: pd.DataFrame) -> str:
    """GitHub-flavoured Markdown of a claims table (claim, paper, reproduced, verdict, feasible share)."""
    cols = [c for c in ("claim", "paper", "reproduced", "verdict", "feasible_share") if c in table.columns]

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


def _flat(node, prefix=""):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: node}


def config_mismatches(expected: dict[str, str]) -> list[str]:
    """Datasets on disk made with another configuration than this invocation's.

    expected: {dataset path: the JSON text the workflow hands its aggregate rule as params.config}. Each existing
    dataset's `config_json` attribute records the configuration it was made with; returns one line per dataset
    that differs, naming up to four differing keys with both values."""
    import json

    import xarray as xr

    lines = []
    for path, text in expected.items():
        if not os.path.exists(path):
            continue
        with xr.open_dataset(path) as ds:
            recorded = json.loads(ds.attrs.get("config_json", "{}")).get("config", {})
        want = _flat(json.loads(text))
        have = _flat(recorded)
        diff = [f"{k}: {have.get(k, '(absent)')} in the data, {want.get(k, '(absent)')} now"
                for k in sorted(set(want) | set(have)) if want.get(k) != have.get(k)]
        if diff:
            more = f" (+{len(diff) - 4} more)" if len(diff) > 4 else ""
            lines.append(f"{path}: {'; '.join(diff[:4])}{more}")
    return lines
