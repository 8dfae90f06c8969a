"""Unit tests of the study-1 claims: verdict thresholds on synthetic fig3/fig4 datasets."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from secure_isac.cfmmimo import claims

SCHEMES = ["cp", "sp", "baseline"]


EVE_AT_NU = np.log2(1.5)


def _fig4(cp, sp, base, eve_cp=EVE_AT_NU, feasible=None, nu=0.5):
    n = len(cp)
    sec = np.stack([cp, sp, base])[:, :, None] * np.ones((1, 1, 2))
    rate_eve = np.full((3, n, 2), 0.1)
    rate_eve[0] = eve_cp
    feas = np.ones((3, n), np.int8) if feasible is None else np.asarray(feasible, np.int8)
    return xr.Dataset({"secrecy_ue": (("scheme", "layout", "ue"), sec),
                       "rate_eve": (("scheme", "layout", "zone"), rate_eve),
                       "feasible": (("scheme", "layout"), feas)},
                      coords={"scheme": SCHEMES}, attrs={"nu": nu})


def _fig3(cp_means, sp_means, feasible=None, cp_rate_ue=None, schemes=SCHEMES):
    """Fig. 3 dataset; every scheme but sp gets the CP curves (cp_paper included); the minimum UE rate of CP is
    `cp_rate_ue` (default: its secrecy + log2(1.5), as with an active Eve constraint)."""
    k = np.arange(len(cp_means)) * 2.0
    n = len(schemes)
    curves = np.stack([np.asarray(sp_means if s == "sp" else cp_means, float) for s in schemes])
    sec = curves[:, :, None, None] * np.ones((1, 1, 4, 2))
    ue = np.asarray(cp_means, float) + np.log2(1.5) if cp_rate_ue is None else np.asarray(cp_rate_ue, float)
    rate_ue = np.stack([ue if s != "sp" else np.asarray(sp_means, float) for s in schemes])
    rate_ue = rate_ue[:, :, None, None] * np.ones((1, 1, 4, 2))
    rate_ue[..., 1] += 0.3  # the second UE is better: the claim reads the minimum
    feas = np.ones((n, len(k), 4), np.int8) if feasible is None else np.asarray(feasible, np.int8)
    return xr.Dataset({"secrecy_ue": (("scheme", "kappa_db", "layout", "ue"), sec),
                       "rate_ue": (("scheme", "kappa_db", "layout", "ue"), rate_ue),
                       "feasible": (("scheme", "kappa_db", "layout"), feas)},
                      coords={"scheme": schemes, "kappa_db": k})


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
    assert t["quote"].str.len().min() > 20 and t["quote"].is_unique is False  # both Fig. 3 CP rows quote one sentence
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


def test_cp_above_both_needs_every_level():
    x = np.linspace(0, 1, 100)
    assert claims.cp_above_both(_fig4(3 + x, 2 + x, 1 + x))["verdict"] == "reproduced"
    sp = 2 + x
    sp[-10:] = 10.0  # SP's upper tail above CP: CP above both fails at the top levels only
    d = claims.cp_above_both(_fig4(3 + x, sp, 1 + x))
    assert d["verdict"] == "partly" and d["reproduced"] < 1
    assert claims.cp_above_both(_fig4(1 + x, 2 + x, 3 + x))["verdict"] == "not reproduced"
    # SP below the baseline does not touch CP's claim: that is a claim of its own (the paper words them apart)
    assert claims.cp_above_both(_fig4(3 + x, 1 + x, 2 + x))["verdict"] == "reproduced"


def test_sp_above_baseline_as_the_paper_words_it():
    x = np.linspace(0, 1, 100)
    d = claims.sp_above_baseline(_fig4(3 + x, 2 + x, 1 + x))
    assert d["verdict"] == "reproduced" and d["reproduced"] == 1.0 and d["paper"] == "considerable improvement"
    base = 1 + x
    base[-20:] = 9.0  # the baseline's upper tail above SP: still "improvement over the baseline" at most levels
    d = claims.sp_above_baseline(_fig4(3 + x, 2 + x, base))
    assert d["verdict"] == "reproduced" and 0.5 <= d["reproduced"] < 1
    sp = np.full(100, 1.8)  # SP at its QoS floor, the baseline spread around it: above it at the low levels only
    d = claims.sp_above_baseline(_fig4(3 + x, sp, 1.0 + 1.6 * x))
    assert d["verdict"] == "partly" and 0 < d["reproduced"] < 0.5
    assert claims.sp_above_baseline(_fig4(3 + x, 1 + x, 2 + x))["verdict"] == "not reproduced"


def test_kappa_trends():
    flat = np.full(11, 4.0)
    t = claims.claims_table(_fig3(flat, flat), _fig4(np.ones(5), np.ones(5), np.ones(5)))
    assert _verdict(t, "degrades") == "not reproduced" and _verdict(t, "flat") == "reproduced"
    assert claims.cp_degrades(_fig3(np.linspace(4, 3.6, 11), flat))["verdict"] == "partly"  # 10 % drop
    assert claims.sp_flat(_fig3(flat, np.linspace(4, 3.2, 11)))["verdict"] == "partly"  # -20 %
    assert claims.sp_flat(_fig3(flat, np.linspace(4, 2.0, 11)))["verdict"] == "not reproduced"


def test_cp_ue_rate_degrades_reads_the_minimum_ue_rate():
    """The UE-rate claim can disagree with the secrecy claim: a CP whose Eve rate falls as fast as its UE rates
    (co-location lemma, docs/model.md S1-75) keeps a flat secrecy while its minimum UE rate drops."""
    flat = np.full(11, 4.0)
    ds = _fig3(flat, flat, cp_rate_ue=np.linspace(5.7, 5.2, 11))  # -9 %, the default run's size
    t = claims.claims_table(ds, _fig4(np.ones(5), np.ones(5), np.ones(5)))
    assert _verdict(t, "CP secrecy degrades") == "not reproduced"
    row = t.set_index("claim").filter(like="CP minimum UE rate degrades", axis=0).iloc[0]
    assert row["verdict"] == "partly" and row["reproduced"] == pytest.approx(0.5 / 5.7)
    assert claims.cp_ue_rate_degrades(_fig3(flat, flat, cp_rate_ue=np.linspace(5.0, 3.0, 11)))["verdict"] == \
        "reproduced"
    assert claims.cp_ue_rate_degrades(_fig3(flat, flat, cp_rate_ue=np.full(11, 5.0)))["verdict"] == "not reproduced"
    with pytest.raises(ValueError, match="rate_ue"):
        claims.cp_ue_rate_degrades(_fig3(flat, flat).drop_vars("rate_ue"))


def test_fig3_claims_of_cp_paper_appear_only_where_fig3_runs_it():
    flat = np.full(11, 4.0)
    ds4 = _fig4(np.ones(5), np.ones(5), np.ones(5))
    plain = claims.claims_table(_fig3(flat, flat), ds4)
    assert not plain["claim"].str.contains("cp_paper").any()
    with_paper = claims.claims_table(_fig3(np.linspace(5.0, 2.0, 11), flat,
                                           schemes=["cp", "sp", "baseline", "cp_paper"]), ds4)
    rows = with_paper.set_index("claim").filter(like="CP (cp_paper)", axis=0)
    assert len(rows) == 2 and (rows["verdict"] == "reproduced").all()
    assert len(with_paper) == len(plain) + 2


def test_eve_rate_at_nu():
    target = np.log2(1.5)
    assert claims.cp_eve_rate(_fig4(np.ones(4), np.ones(4), np.ones(4), target))["verdict"] == "reproduced"
    assert claims.cp_eve_rate(_fig4(np.ones(4), np.ones(4), np.ones(4), target - 0.05))["verdict"] == "partly"
    assert claims.cp_eve_rate(_fig4(np.ones(4), np.ones(4), np.ones(4), 0.1))["verdict"] == "not reproduced"


def test_markdown_table_escapes_and_keeps_rows(tmp_path):
    import pandas as pd

    from secure_isac.pipeline.claims import claims_markdown

    pd.DataFrame([{"claim": "a|b", "paper": 5.1, "reproduced": 4.123456, "verdict": "partly", "criterion": "x"}]
                 ).to_csv(tmp_path / "c.csv", index=False)
    claims_markdown([tmp_path / "c.csv"], ["T"], tmp_path / "c.md")
    text = (tmp_path / "c.md").read_text()
    row = [c.strip() for c in text.splitlines()[-1].replace("\\|", "/").strip("|").split("|")]
    assert "### T" in text and "a\\|b" in text and row == ["a/b", "5.1", "4.123", "partly"]


def test_infeasible_designs_make_a_claim_not_testable():
    """Every CP/SP design infeasible (e.g. kappa_db = 40 dB) used to read as zero secrecy, "CP median 0, not
    reproduced"; the claim now says it cannot be tested, with the share it rests on."""
    n = 50
    feas = np.ones((3, n), np.int8)
    feas[:2] = 0  # cp and sp infeasible everywhere; their stored rates are the zero-power markers
    t = claims.claims_table(_fig3(np.full(11, 4.0), np.full(11, 4.0)),
                            _fig4(np.zeros(n), np.zeros(n), np.full(n, 3.0), feasible=feas))
    for word in ("CP median", "SP secrecy above", "CP above SP", "SP above the baseline", "CP Eve rate"):
        assert _verdict(t, word) == "not testable", word
    assert (t.set_index("claim").filter(like="CP median", axis=0)["feasible_share"] == 0).all()


def test_claims_use_feasible_designs_only():
    rng = np.random.default_rng(1)
    cp = 5.1 + 0.1 * rng.standard_normal(100)
    feas = np.ones((3, 100), np.int8)
    feas[0, :15] = 0  # 15 % infeasible CP designs carry zero rates
    cp[:15] = 0.0
    d = claims.cp_median(_fig4(cp, np.full(100, 2.0), np.full(100, 1.0), feasible=feas))
    assert d["reproduced"] == pytest.approx(np.median(cp[15:])) and d["verdict"] == "reproduced"
    assert d["feasible_share"] == pytest.approx(0.85)
    feas[0, :25] = 0  # below the 80 % threshold
    assert claims.cp_median(_fig4(cp, np.full(100, 2.0), np.full(100, 1.0), feasible=feas))["verdict"] == \
        "not testable"
    # the baseline enforces no constraint: all its designs count whatever its feasible flag says
    feas = np.ones((3, 100), np.int8)
    feas[2] = 0
    x = np.linspace(0, 1, 100)
    d = claims.cp_above_both(_fig4(3 + x, 2 + x, 1 + x, feasible=feas))
    assert d["verdict"] == "reproduced" and d["feasible_share"] == 1.0


def test_eve_claim_is_not_testable_without_the_eve_constraint():
    d = claims.cp_eve_rate(_fig4(np.ones(4), np.ones(4), np.ones(4), nu=np.inf))
    assert d["verdict"] == "not testable"


def test_kappa_trend_with_an_infeasible_kappa_point():
    feas = np.ones((3, 11, 4), np.int8)
    feas[0, -1] = 0  # no feasible CP design at the largest kappa
    d = claims.cp_degrades(_fig3(np.full(11, 4.0), np.full(11, 4.0), feasible=feas))
    assert d["verdict"] == "not testable" and d["feasible_share"] == 0.0


def test_figures_leave_infeasible_designs_out():
    """Fig. 3/4 draw the feasible designs (never an infeasible one as a zero rate) and say how many there are."""
    from secure_isac.cfmmimo import figures

    n = 20
    feas = np.ones((3, n), np.int8)
    feas[0] = 0
    feas[1, :5] = 0
    ds4 = _fig4(np.zeros(n), np.r_[np.zeros(5), np.full(n - 5, 2.0)], np.full(n, 1.0), feasible=feas)
    ds4.attrs["kappa_db"] = 40.0
    from secure_isac.plotting import use_style

    with use_style("screen"):  # the screen style's wording (paper style shortens "feasible")
        fig = figures.plot_fig4(ds4)
    ax = fig.axes[0]
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("no feasible design" in t and "0/20 feasible" in t for t in labels), labels
    assert any("15/20 feasible" in t and "median 2.00" in t for t in labels), labels
    sp_line = [ln for ln in ax.get_lines() if "15/20" in ln.get_label()][0]
    assert np.min(sp_line.get_xdata()) == 2.0  # the five infeasible SP designs are not drawn at zero
    feas3 = np.ones((3, 11, 4), np.int8)
    feas3[0, -2:] = 0
    summ = figures.fig3_summary(_fig3(np.full(11, 4.0), np.full(11, 4.0), feasible=feas3))
    assert np.isnan(summ["mean"].sel(scheme="cp").values[-2:]).all()
    assert (summ["n"].sel(scheme="cp").values[-2:] == 0).all()


def test_fig3_decomposition_figure():
    """Fig. 3 decomposed (docs/model.md S1-75): three panels with units, every scheme and both reference lines in
    the legend, the bound drawn as log2(1 + 1/kappa), infeasible designs left out of the means."""
    from secure_isac.cfmmimo import figures

    ds = _fig3(np.linspace(5.0, 4.0, 11), np.full(11, 1.8))
    k = ds["kappa_db"].values
    bound = np.log2(1 + np.minimum(0.5, 10 ** (-k / 10)))
    eve = np.broadcast_to(bound[None, :, None, None], (3, 11, 4, 2)).copy()
    eve[:, :, :, 1] *= 0.5  # the second zone is weaker: the figure reads the max over zones
    ds["rate_eve"] = (("scheme", "kappa_db", "layout", "zone"), eve)
    ds["feasible"].loc[{"scheme": "cp", "kappa_db": 20.0, "layout": 0}] = 0
    ds["rate_ue"].loc[{"scheme": "cp", "kappa_db": 20.0, "layout": 0}] = 0.0  # the zero-power marker
    ds.attrs.update(nu=0.5, prelog_factor=1.0)
    summ = figures.fig3_decomposition_summary(ds)
    assert summ["rate_ue_min"].sel(scheme="cp", kappa_db=20.0) == pytest.approx(4.0 + np.log2(1.5))
    assert int(summ["n"].sel(scheme="cp", kappa_db=20.0)) == 3
    np.testing.assert_allclose(summ["rate_eve_max"].sel(scheme="cp"), bound)
    from secure_isac.plotting import use_style

    with use_style("screen"):  # every panel with its own x label (paper style: one x label, short names)
        fig = figures.plot_fig3_decomposition(ds)
    axes = fig.axes
    assert len(axes) == 3
    for ax in axes:
        assert "(bit/s/Hz)" in ax.get_ylabel() and "(dB)" in ax.get_xlabel()
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    for word in ("CP", "SP", "Baseline", "log_2(1+1/\\kappa)", "log_2(1+\\nu)", "1/\\nu"):
        assert any(word in lab for lab in labels), (word, labels)
    line = next(ln for ln in axes[2].get_lines() if "1/\\kappa" in ln.get_label())
    x, y = line.get_xdata(), line.get_ydata()
    np.testing.assert_allclose(y, np.log2(1 + 10 ** (-x / 10)))
    assert axes[2].get_yscale() == "log"
