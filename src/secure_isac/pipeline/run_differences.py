"""Two runs' differences: headline numbers beyond a tolerance, changed claims verdicts, configuration keys and
package versions (the data secure-isac-compare formats, pipeline.compare_formats)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .. import provenance
from .run_results import (
    STUDIES,
    CompareError,
    claims,
    dataset_attrs,
    headlines,
    recorded_config,
    run_versions,
    toy_label,
)

ABSENT = "absent"
# Jobs record the configuration they read (config_json); a run made before a key was added does not record it, so
# comparing with an older run lists each key added since as "x -> absent": said once, not hidden.
ABSENT_NOTE = "absent = not recorded by that run's code (a key added since it ran)"


def compare(a: Path, b: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(headline differences, changed verdicts) between runs a and b; a claim one run lacks has the verdict
    "absent" there. CompareError naming the folder when a run holds no results at all."""
    ha, hb = headlines(a), headlines(b)
    ca, cb = claims(a), claims(b)
    for root, h, c in ((a, ha, ca), (b, hb, cb)):
        if h.empty and c.empty:
            raise CompareError(f"{root}: no results (no dataset fig2/3/4.nc, sweep or claims.csv under "
                               f"{', '.join(str(root / s) for s in STUDIES)})")
    keys = ["study", "dataset", "scheme", "quantity"]
    h = ha.merge(hb, on=keys, how="outer", suffixes=("_a", "_b"))
    h["difference"] = h["value_b"] - h["value_a"]
    c = ca.merge(cb, on=["study", "claim"], how="outer", suffixes=("_a", "_b"))
    for side in ("a", "b"):
        c[f"verdict_{side}"] = c[f"verdict_{side}"].fillna(ABSENT)
    changed = c[c["verdict_a"] != c["verdict_b"]]
    return h, changed


RTOL, ATOL = 1e-6, 1e-9  # round-off of a rerun on another BLAS / core count is ~1e-9 relative: not a difference


def differs(a, b, rtol: float = RTOL, atol: float = ATOL):
    """Elementwise: |b - a| > atol + rtol |a| (numpy.isclose's rule, NaN equal to NaN)."""
    return ~np.isclose(np.asarray(b, float), np.asarray(a, float), rtol=rtol, atol=atol, equal_nan=True)


def config_differences(da: Mapping, db: Mapping) -> pd.DataFrame:
    """The configuration keys that differ between two runs' datasets (their config_json), one row per (study, key,
    value in A, value in B) with the datasets where it differs; only datasets both runs hold."""
    rows: dict = {}
    for key in [k for k in da if k in db]:
        a, b = recorded_config(da[key]), recorded_config(db[key])
        for name in sorted(set(a) | set(b)):
            va, vb = a.get(name, ABSENT), b.get(name, ABSENT)
            if va != vb:  # grouped by their JSON text (a list is unhashable), kept as the values they are
                group = rows.setdefault((key[0], name, _text(va), _text(vb)), {"a": va, "b": vb, "datasets": []})
                group["datasets"].append(key[1])
    return pd.DataFrame([{"study": s, "key": k, "a": g["a"], "b": g["b"], "datasets": ", ".join(g["datasets"])}
                         for (s, k, _, _), g in rows.items()], columns=["study", "key", "a", "b", "datasets"])


def _text(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def config_notes(config: pd.DataFrame) -> list[str]:
    """The note on "absent" when a configuration key is absent from one run's datasets (ABSENT_NOTE)."""
    return [ABSENT_NOTE] if (config["a"].eq(ABSENT) | config["b"].eq(ABSENT)).any() else []


def comparison(a: Path, b: Path, rtol: float = RTOL, atol: float = ATOL) -> dict:
    """Everything secure-isac-compare reports of runs a and b: {"a", "b", "toy" (each run's toy label), "warnings",
    "headlines" (numbers that differ beyond rtol/atol), "counts" (compared, only in A, only in B), "only_a",
    "only_b", "claims" (changed verdicts), "config" (config_differences), "config_notes" (config_notes),
    "versions" (package versions that differ: {package: (a, b)})}."""
    h, changed = compare(a, b)
    both = h[h["value_a"].notna() | h["value_b"].notna()]
    only_a = both[both["value_b"].isna() & both["value_a"].notna()]
    only_b = both[both["value_a"].isna() & both["value_b"].notna()]
    common = both[both["value_a"].notna() & both["value_b"].notna()]
    diff = common[differs(common["value_a"], common["value_b"], rtol, atol)]
    da, db = dataset_attrs(a), dataset_attrs(b)
    toy = {"A": toy_label(a, da), "B": toy_label(b, db)}
    warnings = [f"{side} is a {text}" for side, text in toy.items() if text]
    if bool(toy["A"]) != bool(toy["B"]):
        warnings.append("comparing a toy run with a paper-scale run: the differences are mostly those of the "
                        "layout counts")
    versions = provenance.version_differences(run_versions(a, da), run_versions(b, db))
    config = config_differences(da, db)
    return {"a": str(a), "b": str(b), "toy": toy, "warnings": warnings, "rtol": rtol, "atol": atol,
            "headlines": diff, "counts": (len(common), len(only_a), len(only_b)), "only_a": only_a,
            "only_b": only_b, "claims": changed, "config": config, "config_notes": config_notes(config),
            "versions": versions}
