"""The interval verdict rule on constructed data: a claim is "reproduced" / "not reproduced" only when its bootstrap
interval over layouts supports it, else "inconclusive" (secure_isac.verdicts.interval_verdict,
cfmmimo.claims.claims_with_intervals)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from secure_isac.cfmmimo import claims as cl
from secure_isac.verdicts import INCONCLUSIVE, NOT_REPRODUCED, NOT_TESTABLE, PARTLY, REPRODUCED, interval_verdict


def test_interval_verdict_rule():
    assert interval_verdict(REPRODUCED, [REPRODUCED] * 98 + [PARTLY] * 2) == REPRODUCED  # 2 % < 2.5 % disagree
    assert interval_verdict(REPRODUCED, [REPRODUCED] * 97 + [PARTLY] * 3) == INCONCLUSIVE
    assert interval_verdict(NOT_REPRODUCED, [NOT_REPRODUCED] * 100) == NOT_REPRODUCED
    assert interval_verdict(NOT_REPRODUCED, [NOT_REPRODUCED] * 90 + [PARTLY] * 10, level=0.8) == NOT_REPRODUCED
    assert interval_verdict(NOT_TESTABLE, [REPRODUCED] * 10) == NOT_TESTABLE
    assert interval_verdict(REPRODUCED, []) == INCONCLUSIVE


def _datasets(cp_secrecy: np.ndarray, rng: np.random.Generator) -> tuple[xr.Dataset, xr.Dataset]:
    """fig4-like and fig3-like datasets with the given CP per-UE average secrecy rates over layouts."""
    n = cp_secrecy.size
    schemes = ["cp", "sp", "baseline"]
    sec = np.vstack([cp_secrecy, np.full(n, 1.8), np.full(n, 0.5)])
    nu = 0.5
    eve = np.full((3, n, 2), np.log2(1 + nu))
    ds4 = xr.Dataset({"secrecy_avg": (("scheme", "layout"), sec), "feasible": (("scheme", "layout"), np.ones((3, n))),
                      "rate_eve": (("scheme", "layout", "zone"), eve)},
                     coords={"scheme": schemes, "layout": np.arange(n)}, attrs={"nu": nu})
    k = np.array([0.0, 10.0, 20.0])
    sec3 = np.broadcast_to(sec[:, None, :], (3, 3, n)).copy() + 0.01 * rng.standard_normal((3, 3, n))
    rate_ue = np.stack([sec3 + np.log2(1 + nu), sec3 + 1.0], axis=-1)  # two UEs, the claim reads the minimum
    ds3 = xr.Dataset({"secrecy_avg": (("scheme", "kappa_db", "layout"), sec3),
                      "rate_ue": (("scheme", "kappa_db", "layout", "ue"), rate_ue),
                      "feasible": (("scheme", "kappa_db", "layout"), np.ones((3, 3, n)))},
                     coords={"scheme": schemes, "kappa_db": k, "layout": np.arange(n)})
    return ds3, ds4


@pytest.mark.parametrize("center, spread, expect", [
    (5.1, 0.2, REPRODUCED),  # median at the paper's value, narrow interval
    (5.1 * 1.10, 1.0, INCONCLUSIVE),  # median at the 10 % edge: the interval straddles it
    (8.0, 0.2, NOT_REPRODUCED),  # far beyond 25 %
])
def test_cp_median_verdict_follows_its_interval(center, spread, expect):
    rng = np.random.default_rng(1)
    cp = center + spread * rng.standard_normal(200)
    ds3, ds4 = _datasets(cp, rng)
    table = cl.claims_with_intervals(ds3, ds4, 300, np.random.default_rng(2))
    row = table.iloc[0]
    assert row["claim"].startswith("CP median")
    assert row["verdict"] == expect, row.to_dict()
    assert row["ci_low"] <= row["reproduced"] <= row["ci_high"]
    # the interval is the bootstrap spread of the median: about 1.25 sigma / sqrt(n) either side
    half = (row["ci_high"] - row["ci_low"]) / 2
    assert 0.5 * 1.96 * 1.25 * spread / np.sqrt(200) < half < 2.0 * 1.96 * 1.25 * spread / np.sqrt(200)


def test_interval_table_keeps_the_point_values():
    rng = np.random.default_rng(3)
    ds3, ds4 = _datasets(5.0 + 0.3 * rng.standard_normal(60), rng)
    point = cl.claims_table(ds3, ds4)
    table = cl.claims_with_intervals(ds3, ds4, 100, np.random.default_rng(4))
    assert list(table["claim"]) == list(point["claim"])
    assert list(table["verdict_point"]) == list(point["verdict"])
    np.testing.assert_array_equal(table["reproduced"].astype(float), point["reproduced"].astype(float))
    assert set(table["verdict"]) <= {REPRODUCED, PARTLY, NOT_REPRODUCED, NOT_TESTABLE, INCONCLUSIVE}
    with pytest.raises(ValueError, match="n_boot"):
        cl.claims_with_intervals(ds3, ds4, 0, np.random.default_rng(0))


def test_fig3_claims_read_cp_and_sp_at_the_end_levels_only():
    """The sensitivity overlay runs Fig. 3 with cp and sp at the smallest and largest kappa only (settings.
    _default_sensitivity_overlay): the claims and their intervals must not change when Fig. 3 is cut to that.
    If a claim starts to read another level or scheme, this fails and the overlay must follow."""
    rng = np.random.default_rng(5)
    ds3, ds4 = _datasets(5.0 + 0.3 * rng.standard_normal(40), rng)
    ds3 = ds3.assign_coords(kappa_db=[0.0, 5.0, 20.0])  # uneven: an OLS slope would see the middle level
    # a CP curve that falls by 25 % end to end with a bump in between, and a baseline that would change any claim
    # reading it
    ds3["secrecy_avg"].loc[{"scheme": "cp"}] *= np.array([1.0, 1.4, 0.75])[:, None]
    ds3["rate_ue"].loc[{"scheme": "cp"}] *= np.array([1.0, 1.4, 0.75])[:, None, None]
    ds3["secrecy_avg"].loc[{"scheme": "baseline"}] = 9.0
    ds3["rate_ue"].loc[{"scheme": "baseline"}] = 9.0
    full = cl.claims_with_intervals(ds3, ds4, 200, np.random.default_rng(6))
    cut = cl.claims_with_intervals(ds3.sel(kappa_db=[0.0, 20.0], scheme=["cp", "sp"]), ds4, 200,
                                   np.random.default_rng(6))
    for col in ("verdict", "verdict_point", "agreement"):
        assert list(cut[col]) == list(full[col]), col
    for col in ("reproduced", "ci_low", "ci_high"):
        np.testing.assert_array_equal(pd.to_numeric(cut[col], errors="coerce"),
                                      pd.to_numeric(full[col], errors="coerce"))
    rows = full.set_index("claim")
    for what in ("CP secrecy degrades", "CP minimum UE rate degrades"):  # by 25 %: the case is not trivial
        assert rows.filter(like=what, axis=0)["verdict_point"].iloc[0] == REPRODUCED, what


@pytest.mark.parametrize("n", [1, 19])
def test_too_few_layouts_decide_no_verdict(n):
    """D15: with one layout every replicate is the point ("reproduced" with the interval [0.696, 0.696]); an interval
    verdict needs at least verdicts.MIN_INTERVAL_SAMPLE layouts, below it "inconclusive" (the point verdict kept)."""
    from secure_isac.verdicts import MIN_INTERVAL_SAMPLE

    rng = np.random.default_rng(5)
    ds3, ds4 = _datasets(np.full(n, 5.1), rng)
    table = cl.claims_with_intervals(ds3, ds4, 40, np.random.default_rng(6))
    assert table.iloc[0]["verdict_point"] == REPRODUCED
    assert set(table["verdict"]) <= {INCONCLUSIVE, NOT_TESTABLE}
    assert interval_verdict(REPRODUCED, [REPRODUCED] * 100, n_samples=MIN_INTERVAL_SAMPLE) == REPRODUCED
    assert interval_verdict(REPRODUCED, [REPRODUCED] * 100, n_samples=MIN_INTERVAL_SAMPLE - 1) == INCONCLUSIVE
