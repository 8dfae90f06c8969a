"""secure-isac-compare's output formats: text (the default), Markdown (md), one long table (csv) and JSON, each of
the comparison dict of pipeline.run_differences.comparison."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from . import markdown
from .run_differences import ABSENT, ATOL, RTOL, comparison
from .summary_text import cell


def _verdict_cell(verdict, value) -> str:
    return ABSENT if verdict == ABSENT else f"{verdict} ({cell(value)})"


def _headline_rows(c: dict) -> pd.DataFrame:
    d = c["headlines"]
    return pd.DataFrame({"study": d["study"], "dataset": d["dataset"], "scheme": d["scheme"],
                         "quantity": d["quantity"], "a": d["value_a"], "b": d["value_b"],
                         "difference": d["difference"]})


def _claim_rows(c: dict) -> pd.DataFrame:
    d = c["claims"]
    return pd.DataFrame({"study": d["study"], "claim": d["claim"],
                         "a": [_verdict_cell(v, x) for v, x in zip(d["verdict_a"], d["value_a"])],
                         "b": [_verdict_cell(v, x) for v, x in zip(d["verdict_b"], d["value_b"])]})


def _version_rows(c: dict) -> pd.DataFrame:
    return pd.DataFrame([{"package": p, "a": va or "not recorded", "b": vb or "not recorded"}
                         for p, (va, vb) in c["versions"].items()], columns=["package", "a", "b"])


def _only(c: dict, side: str) -> str:
    part = c["only_a" if side == "A" else "only_b"]
    return ", ".join(dict.fromkeys(f"{s} {d}" for s, d in zip(part["study"], part["dataset"])))


def format_text(c: dict) -> str:
    """The comparison as text (the default of secure-isac-compare)."""
    n_common, n_a, n_b = c["counts"]
    lines = [f"A = {c['a']}", f"B = {c['b']}"]
    lines += [f"warning: {w}" for w in c["warnings"]]
    lines += ["", f"headline numbers that differ ({len(c['headlines'])} of {n_common} in both runs; rtol "
              f"{c['rtol']:g}, atol {c['atol']:g}):"]
    for _, r in c["headlines"].iterrows():
        lines.append(f"  {r['study']:<8} {r['dataset']:<14} {r['scheme']:<16} {r['quantity']:<46} "
                     f"{r['value_a']:>10.4g} -> {r['value_b']:<10.4g} ({r['difference']:+.4g})")
    for side, n in (("A", n_a), ("B", n_b)):
        if n:
            lines.append(f"only in {side} ({n} numbers): {_only(c, side)}")
    lines += ["", f"claims verdicts that changed ({len(c['claims'])}):"]
    for _, r in c["claims"].iterrows():
        lines.append(f"  {r['study']:<8} {r['claim']}: {_verdict_cell(r['verdict_a'], r['value_a'])} -> "
                     f"{_verdict_cell(r['verdict_b'], r['value_b'])}")
    lines += ["", f"configuration keys that differ ({len(c['config'])}):"]
    lines += [f"  note: {note}" for note in c["config_notes"]]
    for _, r in c["config"].iterrows():
        lines.append(f"  {r['study']:<8} {r['key']}: {r['a']} -> {r['b']} ({r['datasets']})")
    lines += ["", f"package versions (and commits) that differ ({len(c['versions'])}):"]
    for p, (va, vb) in c["versions"].items():
        lines.append(f"  {p}: {va or 'not recorded'} -> {vb or 'not recorded'}")
    return "\n".join(lines)


def format_markdown(c: dict) -> str:
    """The comparison as Markdown sections and tables (pipeline.markdown)."""
    n_common, n_a, n_b = c["counts"]
    out = [f"A = `{c['a']}`, B = `{c['b']}`", ""]
    out += [f"**warning: {w}**\n" for w in c["warnings"]]
    sections = (
        (f"Headline numbers that differ ({len(c['headlines'])} of {n_common} in both runs; rtol {c['rtol']:g}, "
         f"atol {c['atol']:g})", _headline_rows(c).map(lambda v: cell(v) if isinstance(v, float) else v)),
        (f"Claims verdicts that changed ({len(c['claims'])})", _claim_rows(c)),
        (f"Configuration keys that differ ({len(c['config'])})", c["config"]),
        (f"Package versions (and commits) that differ ({len(c['versions'])})", _version_rows(c)),
    )
    notes = {sections[2][0]: c["config_notes"]}
    for title, frame in sections:
        out += [f"### {title}", "", markdown.table(frame) if len(frame) else "(none)", ""]
        out += [f"_Note: {note}_\n" for note in notes.get(title, [])]
    out += [f"Only in {side} ({n} numbers): {_only(c, side)}" for side, n in (("A", n_a), ("B", n_b)) if n]
    return "\n".join(out).rstrip() + "\n"


def long_table(c: dict) -> pd.DataFrame:
    """The comparison as one long table (section, study, item, scheme, a, b, difference): section headline,
    only_a / only_b, claim, config, config_note, version, warning."""
    rows = [{"section": "warning", "item": w} for w in c["warnings"]]
    rows += [{"section": "headline", "study": r["study"], "item": f"{r['dataset']}: {r['quantity']}",
              "scheme": r["scheme"], "a": r["a"], "b": r["b"], "difference": r["difference"]}
             for _, r in _headline_rows(c).iterrows()]
    for side in ("a", "b"):
        rows += [{"section": f"only_{side}", "study": r["study"], "item": f"{r['dataset']}: {r['quantity']}",
                  "scheme": r["scheme"], side: r[f"value_{side}"]} for _, r in c[f"only_{side}"].iterrows()]
    rows += [{"section": "claim", "study": r["study"], "item": r["claim"], "a": r["a"], "b": r["b"]}
             for _, r in _claim_rows(c).iterrows()]
    rows += [{"section": "config", "study": r["study"], "item": r["key"], "scheme": r["datasets"], "a": r["a"],
              "b": r["b"]} for _, r in c["config"].iterrows()]
    rows += [{"section": "config_note", "item": note} for note in c["config_notes"]]
    rows += [{"section": "version", "item": r["package"], "a": r["a"], "b": r["b"]}
             for _, r in _version_rows(c).iterrows()]
    return pd.DataFrame(rows, columns=["section", "study", "item", "scheme", "a", "b", "difference"])


def format_json(c: dict) -> str:
    """The comparison as JSON: {a, b, rtol, atol, toy, warnings, counts, config_notes, and each section as a list of
    records}; numbers and booleans as JSON numbers and booleans, in full precision (a configuration value as the
    run recorded it), a missing number null."""
    import json

    def records(frame: pd.DataFrame) -> list[dict]:
        return [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]

    n_common, n_a, n_b = c["counts"]
    doc = {"a": c["a"], "b": c["b"], "rtol": c["rtol"], "atol": c["atol"], "toy": c["toy"],
           "warnings": c["warnings"], "counts": {"in_both": n_common, "only_a": n_a, "only_b": n_b},
           "headlines": records(_headline_rows(c)), "claims": records(_claim_rows(c)),
           "config": records(c["config"]), "config_notes": c["config_notes"],
           "versions": {p: {"a": va, "b": vb} for p, (va, vb) in c["versions"].items()}}
    return json.dumps(doc, indent=2)


def _json_value(value):
    """A cell as JSON: numpy scalars as Python's, NaN as null, an infinity as its text ("inf"; JSON has none).
    (DataFrame.to_json would round floats to 10 decimals: a 1e-12 difference would read 0.)"""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else str(value)
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


FORMATS = {"text": format_text, "md": format_markdown, "json": format_json,
           "csv": lambda c: long_table(c).to_csv(index=False)}


def format_comparison(a: Path, b: Path, rtol: float = RTOL, atol: float = ATOL, fmt: str = "text") -> str:
    """The comparison of runs a and b in `fmt` (FORMATS): headline numbers that differ beyond rtol/atol, numbers
    only one run has, the claims whose verdict changed, the configuration keys and package versions that differ,
    and a warning when a run is a toy configuration."""
    return FORMATS[fmt](comparison(a, b, rtol, atol))
