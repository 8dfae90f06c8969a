"""Toy runs say so: a run whose layout counts are below the paper's carries TOY_NOTE in every table of verdicts.

The paper's counts are declared once, as each study's default figure sizes (Study.paper_layouts: the default
`n_layouts` of its layout figures); a run with fewer layouts in any of them is a *toy configuration* and its claims
tables, claims.md, the scenario summary, the sensitivity matrix, secure-isac-compare and the report say
"toy configuration (N layouts): verdicts not meaningful". A study without random layouts (study 2: one
deterministic design per point) is never a toy by this rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .studies import NAMES, all_studies

TOY_NOTE = "verdicts not meaningful"
LABEL_COLUMN = "configuration"  # the column of a toy run's claims CSV that holds its label (absent otherwise)


def below_paper(counts: Mapping[str, Mapping[str, int]], sensitivity: bool = False) -> dict[str, dict]:
    """{study: {figure: (layouts, the paper's layouts)}} of every layout figure of `counts` ({study: {figure:
    layouts}}) below the paper's count (`sensitivity`: the default sensitivity run's counts, Study.paper_layouts)."""
    out: dict[str, dict] = {}
    for st in all_studies(tuple(counts)):
        paper = st.paper_layouts(sensitivity)
        low = {f: (int(n), paper[f]) for f, n in counts[st.name].items() if f in paper and int(n) < paper[f]}
        if low:
            out[st.name] = low
    return out


def label(counts: Mapping[str, Mapping[str, int]], sensitivity: bool = False) -> str:
    """"toy configuration (N layouts: <study> <figure> n of the paper's p, ...): verdicts not meaningful" when a
    count of `counts` ({study: {figure: layouts}}) is below the paper's, else ""."""
    low = below_paper(counts, sensitivity)
    if not low:
        return ""
    ns = sorted({n for figs in low.values() for n, _ in figs.values()})
    n = f"{ns[0]}" if len(ns) == 1 else f"{ns[0]}-{ns[-1]}"
    ref = "the sensitivity run's" if sensitivity else "the paper's"
    details = "; ".join(f"{study} " + ", ".join(f"{f} {k} of {ref} {p}" for f, (k, p) in figs.items())
                        for study, figs in low.items())
    return f"toy configuration ({n} layouts: {details}): {TOY_NOTE}"


def run_label(config: Mapping[str, Any], studies=NAMES, sensitivity: bool = False) -> str:
    """label() of a run's configuration over `studies`."""
    return label({st.name: st.layout_counts(config) for st in all_studies(tuple(studies))}, sensitivity)


def is_toy(text: str) -> bool:
    return bool(text) and TOY_NOTE in text
