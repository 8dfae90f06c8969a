"""Unit tests of the study-1 claims: verdict thresholds on synthetic fig3/fig4 datasets."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from secure_isac.cfmmimo import claims

SCHEMES = ["cp", "sp", "baseline"]


def _fig4(cp, sp, base, eve_cp=np.log2(1.5)):
    n = len(cp)
    sec = np.stack([cp, sp, base])[:, :, None] * np.ones((1, 1, 2))
    rate_eve = np.full((3, n, 2), 0.1)
    rate_eve[0] = eve_cp
    return xr.Dataset({"secrecy_ue": (("scheme", "layout", "ue"), sec),
                       "rate_eve": (("scheme", "layout", "zone"), rate_eve)},
                      coords={"scheme": SCHEMES}, attrs={"nu": 0.5})


def _fig3(cp_means, sp_means):
    k = np.arange(len(cp_means)) * 2.0
    sec = np.stack([cp_means, sp_means, np.ones_like(cp_means)])[:, :, None, None] * np.ones((1, 1, 4, 2))
    return xr.Dataset({"secrecy_ue": (("scheme", "kappa_db", "layout", "ue"), sec)},
                      coords={"scheme": SCHEMES, "kappa_db": k})


def _verdict(table, word):
    return table.set_index("claim").filter(like=word, axis=0)["verdict"].iloc[0]


def test_paper_like_results_are_reproduced():
    rng = np.random.default_rng(0)
    cp = 5.1 + 0.3 * rng.standard_normal(200)
    sp = 4.2 + 0.2 * rng.standard_normal(200)
    base = 1.0 + 0.2 * rng.standard_normal(200)
    t = claims.claims_table(_fig3(np.linspace(5.0, 2.0, 11), np.full(11, 4.0)), _fig4(cp, sp, base))
    assert list(t.columns[:4]) == ["claim", "paper", "reproduced", "verdict"]
    assert (t["verdict"] == "reproduced").all(), t
    assert t.loc[0, "reproduced"] == pytest.approx(np.median(cp))


@pytest.mark.parametrize(("median", "verdict"), [(5.1, "reproduced"), (4.65, "reproduced"), (4.5, "partly"),
                                                 (3.9, "partly"), (3.7, "not reproduced"), (6.5, "not reproduced")])
def test_cp_median_thresholds(median, verdict):
    ds = _fig4(np.full(9, median), np.full(9, 1.0), np.full(9, 0.5))
    assert claims.cp_median(ds)["verdict"] == verdict


def test_sp_floor_uses_lower_tail():
    sp = np.r_[np.full(20, 2.0), np.full(80, 4.0)]  # median above 3.5, 10th percentile not
    d = claims.sp_floor(_fig4(np.full(100, 6.0), sp, np.full(100, 1.0)))
    assert d["verdict"] == "partly" and d["reproduced"] == pytest.approx(np.quantile(sp, 0.1))
    d = claims.sp_floor(_fig4(np.full(100, 6.0), np.full(100, 1.8), np.full(100, 1.0)))
    assert d["verdict"] == "not reproduced"


def test_ordering_needs_every_level():
    x = np.linspace(0, 1, 100)
    assert claims.ordering(_fig4(3 + x, 2 + x, 1 + x))["verdict"] == "reproduced"
    sp = 2 + x
    sp[-10:] = 10.0  # SP's upper tail above CP: order fails at the top levels only
    d = claims.ordering(_fig4(3 + x, sp, 1 + x))
    assert d["verdict"] == "partly" and d["reproduced"] < 1
    assert claims.ordering(_fig4(1 + x, 2 + x, 3 + x))["verdict"] == "not reproduced"


def test_kappa_trends():
    flat = np.full(11, 4.0)
    t = claims.claims_table(_fig3(flat, flat), _fig4(np.ones(5), np.ones(5), np.ones(5)))
    assert _verdict(t, "degrades") == "not reproduced" and _verdict(t, "flat") == "reproduced"
    assert claims.cp_degrades(_fig3(np.linspace(4, 3.6, 11), flat))["verdict"] == "partly"  # 10 % drop
    assert claims.sp_flat(_fig3(flat, np.linspace(4, 3.2, 11)))["verdict"] == "partly"  # -20 %
    assert claims.sp_flat(_fig3(flat, np.linspace(4, 2.0, 11)))["verdict"] == "not reproduced"


def test_eve_rate_at_nu():
    target = np.log2(1.5)
    assert claims.cp_eve_rate(_fig4(np.ones(4), np.ones(4), np.ones(4), target))["verdict"] == "reproduced"
    assert claims.cp_eve_rate(_fig4(np.ones(4), np.ones(4), np.ones(4), target - 0.05))["verdict"] == "partly"
    assert claims.cp_eve_rate(_fig4(np.ones(4), np.ones(4), np.ones(4), 0.1))["verdict"] == "not reproduced"


def test_markdown_table_escapes_and_keeps_rows(tmp_path):
    import pandas as pd

    from secure_isac.pipeline.report import claims_markdown

    pd.DataFrame([{"claim": "a|b", "paper": 5.1, "reproduced": 4.123456, "verdict": "partly", "criterion": "x"}]
                 ).to_csv(tmp_path / "c.csv", index=False)
    claims_markdown([tmp_path / "c.csv"], ["T"], tmp_path / "c.md")
    text = (tmp_path / "c.md").read_text()
    assert "### T" in text and "a\\|b" in text and "| 5.1 | 4.123 | partly |" in text
