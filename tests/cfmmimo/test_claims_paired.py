"""Paired bootstrap differences of the study-1 claims to the sensitivity reference (cfmmimo.claims.paired_difference
through the pipeline route: each run's replicates from its own claims_with_intervals call on the shared resampling
stream; pipeline.sensitivity.matrix), against an explicit paired bootstrap that resamples the layouts of both runs
jointly, and against closed forms (an identical scenario: delta 0 on [0, 0]; a constant shift c of a quantile claim:
delta c on [c, c])."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_claims_intervals import _datasets

from secure_isac.cfmmimo import claims as cl
from secure_isac.pipeline import sensitivity as sens
from secure_isac.pipeline.studies.cfmmimo import write_claims_intervals

N_BOOT, LEVEL, SEED = 200, 0.95, 11


def _pipeline_route(scen, ref):
    """delta table as the workflow builds it: two independent claims_with_intervals calls on equal streams."""
    out = []
    for ds3, ds4 in (scen, ref):
        reps: list = []
        table = cl.claims_with_intervals(ds3, ds4, N_BOOT, np.random.default_rng(SEED), LEVEL, replicates=reps)
        out.append((table.set_index("claim")["reproduced"], reps[0]))
    (p, r), (p0, r0) = out
    return cl.paired_difference(p, r, p0, r0, LEVEL).set_index("claim")


def _explicit_paired(scen, ref, rng):
    """Brute force: per replicate one draw of fig3 and fig4 layout indices, applied to both runs."""
    s3, s4 = (cl.claim_data(d) for d in scen)
    r3, r4 = (cl.claim_data(d) for d in ref)
    n3, n4 = s3.n_layouts, s4.n_layouts
    diffs = []
    for _ in range(N_BOOT):
        i3, i4 = rng.integers(0, n3, n3), rng.integers(0, n4, n4)
        a = cl.claims_table(s3.layouts(i3), s4.layouts(i4)).set_index("claim")["reproduced"].astype(float)
        b = cl.claims_table(r3.layouts(i3), r4.layouts(i4)).set_index("claim")["reproduced"].astype(float)
        diffs.append(a - b)
    diffs = pd.DataFrame(diffs)
    point = (cl.claims_table(s3, s4).set_index("claim")["reproduced"].astype(float)
             - cl.claims_table(r3, r4).set_index("claim")["reproduced"].astype(float))
    lo, hi = np.nanpercentile(diffs, [2.5, 97.5], axis=0)
    return pd.DataFrame({"delta": point, "delta_ci_low": lo, "delta_ci_high": hi}, index=diffs.columns)


def _pair(n=40, seed=1):
    """A reference and a scenario on the same 40 layouts: the scenario's CP secrecy is the reference's plus a
    layout-dependent change (so the paired interval is much narrower than the two runs' own intervals)."""
    rng = np.random.default_rng(seed)
    ref = _datasets(5.0 + 0.8 * rng.standard_normal(n), rng)
    scen = tuple(d.copy(deep=True) for d in ref)
    wobble = 0.05 * rng.standard_normal(n)
    scen[1]["secrecy_avg"].loc[{"scheme": "cp"}] = ref[1]["secrecy_avg"].sel(scheme="cp").values * 1.1 + wobble
    scen[1]["secrecy_avg"].loc[{"scheme": "sp"}] = 1.8 + 0.3 * rng.standard_normal(n)
    scen[0]["secrecy_avg"].loc[{"scheme": "cp"}] = ref[0]["secrecy_avg"].sel(scheme="cp").values * np.array(
        [1.0, 0.9, 0.8])[:, None]
    return scen, ref


def test_paired_difference_equals_an_explicit_paired_bootstrap():
    scen, ref = _pair()
    got = _pipeline_route(scen, ref)
    want = _explicit_paired(scen, ref, np.random.default_rng(SEED))
    assert list(got.index) == list(want.index)
    for col in ("delta", "delta_ci_low", "delta_ci_high"):
        np.testing.assert_allclose(got[col].to_numpy(float), want[col].to_numpy(float), rtol=0, atol=1e-12,
                                   err_msg=col)
    # pairing matters: the CP median's difference is 10 % of a median near 5 plus a small wobble, so its paired
    # interval is far narrower than the same difference resampled independently (the 0.8 spread of the layouts)
    row = got.filter(like="CP median", axis=0).iloc[0]
    assert row["delta_ci_low"] <= row["delta"] <= row["delta_ci_high"]
    assert row["delta_ci_high"] - row["delta_ci_low"] < 0.15


def test_identical_scenario_has_zero_difference_on_a_zero_interval():
    _, ref = _pair()
    got = _pipeline_route(ref, ref)
    numeric = got["delta"].notna()
    assert numeric.sum() >= 7
    assert (got.loc[numeric, ["delta", "delta_ci_low", "delta_ci_high"]].to_numpy() == 0.0).all()


@pytest.mark.parametrize("c", [0.37, -1.25])
def test_constant_shift_gives_the_shift_on_a_zero_width_interval(c):
    """A shift c of every SP secrecy rate of fig4 moves every quantile of it by c: the SP 10th-percentile claim
    differs by c in every paired replicate (an unpaired bootstrap would give an interval of the quantile's spread)."""
    scen, ref = _pair()  # the scenario's SP rates spread over layouts (an unpaired interval would be wide)
    ref = (ref[0], scen[1].copy(deep=True))
    scen = (ref[0], scen[1].copy(deep=True))
    scen[1]["secrecy_avg"].loc[{"scheme": "sp"}] = ref[1]["secrecy_avg"].sel(scheme="sp").values + c
    row = _pipeline_route(scen, ref).filter(like="SP secrecy above 3.5", axis=0).iloc[0]
    np.testing.assert_allclose(row[["delta", "delta_ci_low", "delta_ci_high"]].to_numpy(float), c, atol=1e-12)


def test_replicate_counts_must_match():
    with pytest.raises(ValueError, match="replicates"):
        cl.paired_difference(pd.Series({"a": 1.0}), pd.DataFrame({"a": [1.0, 2.0]}), pd.Series({"a": 1.0}),
                             pd.DataFrame({"a": [1.0]}))


def _write_run(directory, ds3, ds4, seed=SEED):
    directory.mkdir(parents=True)
    for name, ds in (("fig3", ds3), ("fig4", ds4)):
        ds.to_netcdf(directory / f"{name}.nc", engine="netcdf4")
    out = directory / "claims_intervals.csv"
    write_claims_intervals(directory / "fig3.nc", directory / "fig4.nc", out, n_boot=N_BOOT, level=LEVEL, seed=seed)
    df = directory / "dfbs_claims.csv"
    pd.DataFrame({"claim": ["x"], "paper": [1.0], "reproduced": [1.0], "verdict": ["reproduced"],
                  "feasible_share": [1.0]}).to_csv(df, index=False)
    return out, df


def test_matrix_deltas_through_the_files(tmp_path):
    """The matrix reads each run's replicates from disk: the deltas equal the in-memory route; a run on other
    layouts (another layout index set) or another seed gets blank deltas; study 2 has none."""
    scen, ref = _pair()
    shifted = tuple(d.assign_coords(layout=d["layout"].values + 100) for d in scen)
    inputs = {"reference": _write_run(tmp_path / "reference", *ref), "scen": _write_run(tmp_path / "scen", *scen),
              "other_layouts": _write_run(tmp_path / "other", *shifted),
              "reseeded": _write_run(tmp_path / "reseeded", *scen, seed=SEED + 1)}
    table = sens.matrix(inputs, level=LEVEL)
    cf = table[table["study"] == "cfmmimo"].set_index(["scenario", "claim"])
    seeds_rng = _pipeline_route_with_stream(scen, ref)
    got = cf.loc["scen"][["delta", "delta_ci_low", "delta_ci_high"]]
    np.testing.assert_allclose(got.to_numpy(float), seeds_rng.loc[got.index].to_numpy(float), atol=1e-9)
    assert (cf.loc["reference"][["delta", "delta_ci_low", "delta_ci_high"]].fillna(0.0).to_numpy() == 0.0).all()
    for blank in ("other_layouts", "reseeded"):
        assert cf.loc[blank][["delta", "delta_ci_low", "delta_ci_high"]].isna().all().all(), blank
    assert table[table["study"] == "dfbs"]["delta"].isna().all()
    assert "Δ" in sens.matrix_markdown(table, LEVEL)


def _pipeline_route_with_stream(scen, ref):
    from secure_isac import seeds

    out = []
    for ds3, ds4 in (scen, ref):
        reps: list = []
        table = cl.claims_with_intervals(ds3, ds4, N_BOOT, seeds.rng(SEED, 0, "bootstrap"), LEVEL, replicates=reps)
        out.append((table.set_index("claim")["reproduced"], reps[0]))
    (p, r), (p0, r0) = out
    return cl.paired_difference(p, r, p0, r0, LEVEL).set_index("claim")[["delta", "delta_ci_low", "delta_ci_high"]]
