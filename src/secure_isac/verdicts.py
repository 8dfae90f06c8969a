"""Verdict vocabulary of the claims tables of both studies, and the rule for claims that cannot be tested."""

from __future__ import annotations

REPRODUCED, PARTLY, NOT_REPRODUCED, NOT_TESTABLE = "reproduced", "partly", "not reproduced", "not testable"
VERDICTS = (REPRODUCED, PARTLY, NOT_REPRODUCED, NOT_TESTABLE)
# A claim resting on fewer feasible designs than this share (of the designs it compares) is "not testable":
# infeasible designs have no rate to compare, and the remaining ones are no longer the paper's setting.
FEASIBLE_SHARE_MIN = 0.8


def verdict(ok: bool, partly: bool, share: float = 1.0) -> str:
    """reproduced / partly / not reproduced, or not testable when `share` < FEASIBLE_SHARE_MIN (or NaN)."""
    if not share >= FEASIBLE_SHARE_MIN:
        return NOT_TESTABLE
    return REPRODUCED if ok else PARTLY if partly else NOT_REPRODUCED
