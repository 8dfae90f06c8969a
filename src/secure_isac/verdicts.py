"""Verdict vocabulary of the claims tables of both studies, and the rule for claims that cannot be tested."""

from __future__ import annotations

REPRODUCED, PARTLY, NOT_REPRODUCED, NOT_TESTABLE = "reproduced", "partly", "not reproduced", "not testable"
INCONCLUSIVE = "inconclusive"
VERDICTS = (REPRODUCED, PARTLY, NOT_REPRODUCED, NOT_TESTABLE)
INTERVAL_VERDICTS = (*VERDICTS, INCONCLUSIVE)
# A claim resting on fewer feasible designs than this share (of the designs it compares) is "not testable":
# infeasible designs have no rate to compare, and the remaining ones are no longer the paper's setting.
FEASIBLE_SHARE_MIN = 0.8


def verdict(ok: bool, partly: bool, share: float = 1.0) -> str:
    """reproduced / partly / not reproduced, or not testable when `share` < FEASIBLE_SHARE_MIN (or NaN)."""
    if not share >= FEASIBLE_SHARE_MIN:
        return NOT_TESTABLE
    return REPRODUCED if ok else PARTLY if partly else NOT_REPRODUCED


# Fewest layouts a bootstrap interval may decide a verdict on: with n layouts the bootstrap distribution has at most
# C(2n - 1, n) distinct resamples and a percentile interval cannot reach beyond the sample's own range (one layout:
# every replicate is the point itself, an "interval" of zero width). Below it an interval verdict is "inconclusive".
MIN_INTERVAL_SAMPLE = 20


def interval_verdict(point: str, replicates, level: float = 0.95, n_samples: int | None = None) -> str:
    """The verdict of a claim whose value carries sampling error (bootstrap over layouts): the point verdict when
    the interval supports it, else "inconclusive".

    `replicates` are the verdicts of the bootstrap replicates. The point verdict stands when at most (1 - level)/2 of
    them differ from it, i.e. when the two-sided `level` percentile interval of the replicates lies inside the
    region of that verdict (for a claim "value >= threshold": the 2.5th percentile is above the threshold for
    "reproduced", the 97.5th below it for "not reproduced"). "not testable" is kept as it is (too few feasible
    designs is not a sampling question). `n_samples`: the number of layouts resampled; fewer than
    MIN_INTERVAL_SAMPLE decide nothing ("inconclusive")."""
    if point == NOT_TESTABLE:
        return NOT_TESTABLE
    reps = list(replicates)
    if not reps or (n_samples is not None and n_samples < MIN_INTERVAL_SAMPLE):
        return INCONCLUSIVE
    disagree = sum(r != point for r in reps) / len(reps)
    return point if disagree <= (1.0 - level) / 2.0 + 1e-12 else INCONCLUSIVE
