"""Path labels of configured numbers: one-to-one with the float64 value, so a value never changes on its way
through a file name (the pipeline looks the exact value up by its label, it never parses a path)."""

from __future__ import annotations

import math
from collections.abc import Iterable


def value_label(x: float) -> str:
    """Filesystem-safe text of a number, one-to-one with its float64 value.

    Integral values print as integers (2.0 -> "2", -3.0 -> "-3"), every other value as Python's shortest
    round-trip repr ("1.7609126", "1e-05", "-inf"), so float(label) == x exactly and two different values never
    share a label. -0.0 prints as "0" (it equals 0.0). NaN has no label (ValueError).
    """
    v = float(x)
    if math.isnan(v):
        raise ValueError(f"value_label: NaN has no label (got {x!r})")
    if math.isfinite(v) and v == int(v) and abs(v) < 2.0**53:
        return str(int(v))
    return repr(v)


def label_map(values: Iterable[float]) -> dict[str, float]:
    """{label: exact value} of configured values (equal values, e.g. 0.0 and -0.0, share one entry)."""
    return {value_label(v): float(v) for v in values}
