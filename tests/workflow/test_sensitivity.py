"""The sensitivity target end to end on the toy configuration (config/test.yaml with config/sensitivity_test.yaml):
every sensitivity run's claims (study 1 with bootstrap intervals), the claims matrix (CSV, Markdown, heat map), work
shared with the default run, and the sensitivity runs under their own folders."""

from __future__ import annotations

import pandas as pd
import pytest
import xarray as xr

from secure_isac.cfmmimo.claims import claims_table
from secure_isac.verdicts import INTERVAL_VERDICTS

from conftest import copy_run, job_counts, snakemake

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sens_run(toy_run, tmp_path_factory):
    """`snakemake --cores 2 sensitivity --configfile config/test.yaml` after the default toy run (a copy)."""
    directory = tmp_path_factory.mktemp("sensitivity") / "run"
    copy_run(toy_run.directory, directory)
    snakefile, config = directory / "Snakefile", directory / "config" / "test.yaml"
    # what it plans: the run's own job table and job list (the same as a dry run's, without another DAG build)
    proc = snakemake("--cores", "2", "sensitivity", "--configfile", str(config), snakefile=snakefile,
                     directory=directory, timeout=900)
    text = proc.stdout + proc.stderr
    return directory, job_counts(text), text


def test_matrix_has_every_claim_under_every_scenario(sens_run):
    directory, _, _ = sens_run
    table = pd.read_csv(directory / "results/sensitivity/claims.csv")
    assert list(dict.fromkeys(table["scenario"])) == ["reference", "no_wrap_around", "tie_smallest",
                                                      "cp_paper_relaxed_start"]
    for scen, g in table.groupby("scenario"):
        # 8 claims; Fig. 3 with cp_paper adds its two Fig. 3 CP claims (cfmmimo.claims.CP_SCHEMES)
        n_cf = 10 if scen == "cp_paper_relaxed_start" else 8
        assert (g["study"] == "cfmmimo").sum() == n_cf and (g["study"] == "dfbs").sum() >= 1, scen
    assert set(table["verdict"]) <= set(INTERVAL_VERDICTS)
    cf = table[table["study"] == "cfmmimo"]
    numeric = pd.to_numeric(cf["reproduced"], errors="coerce").notna()
    assert (cf.loc[numeric, "ci_low"] <= cf.loc[numeric, "reproduced"].astype(float) + 1e-12).all()
    assert (cf.loc[numeric, "ci_high"] >= cf.loc[numeric, "reproduced"].astype(float) - 1e-12).all()
    # the point verdict of each run is the claims table of its own datasets
    for scen in ("reference", "no_wrap_around", "cp_paper_relaxed_start"):
        ds3, ds4 = (xr.load_dataset(directory / f"results/sensitivity/{scen}/cfmmimo/{f}.nc") for f in ("fig3", "fig4"))
        assert list(cf[cf["scenario"] == scen]["verdict_point"]) == list(claims_table(ds3, ds4)["verdict"])
    md = (directory / "results/sensitivity/claims.md").read_text()
    header = next(line for line in md.splitlines() if line.startswith("| claim "))
    assert [c.strip() for c in header.strip("|").split("|")] == [
        "claim", "reference", "no_wrap_around", "tie_smallest", "cp_paper_relaxed_start"]
    assert "| CP (cp_paper) secrecy degrades" in md  # the extra rows read "-" under the other scenarios
    # a toy sensitivity run (4 layouts in Fig. 4, the sensitivity run's 100) says so, in every output
    label = ("toy configuration (2-4 layouts: cfmmimo fig3 2 of the sensitivity run's 50, fig4 4 of the sensitivity "
             "run's 100)")
    assert md.startswith(f"**reference, no_wrap_around, tie_smallest, cp_paper_relaxed_start: {label}: "
                         "verdicts not meaningful**"), md[:300]
    assert table["configuration"].str.startswith("toy configuration (").all()
    assert (directory / "figures/sensitivity/claims.png").stat().st_size > 10_000
    # the untouched study's rows are the reference's, value for value
    ref, nw = (table[(table["scenario"] == s) & (table["study"] == "dfbs")] for s in ("reference", "no_wrap_around"))
    assert list(nw["reproduced"]) == list(ref["reproduced"]) and list(nw["verdict"]) == list(ref["verdict"])
    # study 2's Fig. 3 claims read AA only, so the sensitivity runs design AA only there (sensitivity.overlay)
    assert list(xr.load_dataset(directory / "results/sensitivity/tie_smallest/dfbs/fig3.nc").scheme.values) == ["aa"]


def test_report_covers_the_sensitivity_matrix(sens_run, tmp_path):
    """Issue 26 item 9: `snakemake --report ... sensitivity` has the Sensitivity page (the matrix as figure and
    table), labelled toy."""
    directory, _, _ = sens_run
    report = tmp_path / "report.html"
    snakemake("--configfile", str(directory / "config" / "test.yaml"), "--report", str(report), "sensitivity",
              snakefile=directory / "Snakefile", directory=directory)
    html = report.read_text(errors="replace")
    for text in ('"Sensitivity": {', '"Claims matrix": [', "claims.png", "claims.csv",
                 "Sensitivity of the claims to every open choice",
                 "reference: toy configuration (2-4 layouts"):
        assert text in html, text


def test_sensitivity_shares_work_with_the_default_run(sens_run):
    """The reference's Fig. 4 designs are the default run's (same layouts, configuration and schemes); only the
    switched choices get their own layouts/channels/designs: no_wrap_around its channels, tie_smallest study 2."""
    _, c, text = sens_run
    assert c.get("cfmmimo_layouts", 0) == 0, text[-3000:]
    assert c["cfmmimo_channels"] == 2  # no_wrap_around: fig4's 2 batches (fig3's batch is fig4's batch 0)
    # a scenario reads the reference's claims of the study it leaves unchanged: no study-1 claims of tie_smallest,
    # no study-2 datasets of no_wrap_around
    assert c["claims_intervals"] == 3 and c["sensitivity_matrix"] == 1
    assert "results/sensitivity/tie_smallest/cfmmimo/" not in text
    assert "results/sensitivity/no_wrap_around/dfbs/" not in text
    assert c["dfbs_reference"] == 2  # tie_smallest: aa, no_aa
    assert "output: results/cfmmimo/fig4.nc" not in text


def test_cp_paper_relaxed_start_runs_only_cp_paper(sens_run):
    """A cp_paper-only solver option (options.FIELDS_READ): the scenario designs cp_paper at Fig. 3's levels, from
    the relaxed start, and takes cp, sp and Fig. 4 from the reference's files."""
    directory, _, text = sens_run
    ds3 = xr.load_dataset(directory / "results/sensitivity/cp_paper_relaxed_start/cfmmimo/fig3.nc")
    assert list(ds3.scheme.values) == ["cp", "sp", "cp_paper"]
    status = ds3["solver_status"].sel(scheme="cp_paper").values.ravel()
    assert all(str(s).startswith(("start=relaxed;", "start=phase1;")) for s in status), status
    assert all(str(s).startswith("start=") and "relaxed" not in str(s).split(";")[0]
               for s in ds3["solver_status"].sel(scheme="cp").values.ravel())
    designs = [line.split("output: ")[1] for line in text.splitlines() if "output: " in line and "/designs/" in line]
    assert designs and all("/designs/cp_paper/" in f for f in designs if "paper_start" in f), designs


def test_paired_deltas_in_the_matrix(sens_run):
    """Every study-1 row has a paired difference to the reference (all runs share the toy's layouts and seed): 0 on
    [0, 0] for the reference and for tie_smallest (it reads the reference's study-1 claims), a finite interval around
    the point difference for no_wrap_around; study 2 has none."""
    directory, _, _ = sens_run
    table = pd.read_csv(directory / "results/sensitivity/claims.csv")
    cf = table[table["study"] == "cfmmimo"]
    for scen in ("reference", "tie_smallest"):
        rows = cf[cf["scenario"] == scen][["delta", "delta_ci_low", "delta_ci_high"]].dropna()
        assert len(rows) >= 7 and (rows.to_numpy() == 0.0).all(), scen
    nw = cf[(cf["scenario"] == "no_wrap_around")].dropna(subset=["delta"])
    assert len(nw) >= 7
    assert ((nw["delta_ci_low"] <= nw["delta"] + 1e-9) & (nw["delta"] <= nw["delta_ci_high"] + 1e-9)).all()
    diff = nw.set_index("claim")["reproduced"].astype(float) - cf[cf["scenario"] == "reference"].set_index(
        "claim")["reproduced"].astype(float)
    assert (abs(diff.loc[nw["claim"]].to_numpy() - nw["delta"].to_numpy()) < 1e-4).all()
    assert table[table["study"] == "dfbs"]["delta"].isna().all()


def test_readings_search_toy(sens_run):
    """config/readings_test.yaml: 2 x 2 combinations screened (point verdicts), the best one re-run at the toy's full
    counts with intervals (inconclusive: fewer than MIN_INTERVAL_SAMPLE layouts) and paired deltas; one row per
    combination, and the figure."""
    from secure_isac.pipeline.readings import PAPER1_CLAIMS

    directory, _, _ = sens_run
    screen = pd.read_csv(directory / "results/sensitivity/readings/screen.csv")
    table = pd.read_csv(directory / "results/sensitivity/readings.csv")
    assert len(table) == 4 and set(table["combination"]) == {"vs4.ours", "vs4.paper", "vs12.ours", "vs12.paper"}
    assert list(table["combination"]) == list(screen["combination"]) and list(table["rank"]) == [1, 2, 3, 4]
    assert set(table[list(PAPER1_CLAIMS)].stack()) <= set(INTERVAL_VERDICTS)
    full = table[table["full_n_reproduced"].notna()]
    assert list(full["combination"]) == [table["combination"].iloc[0]]
    assert set(full[[f"full_{k}" for k in PAPER1_CLAIMS]].stack()) <= {"inconclusive", "not testable"}
    assert full[[f"full_{k}_delta" for k in PAPER1_CLAIMS]].notna().sum(axis=1).iloc[0] >= 6
    # the screen's point verdicts are those of each combination's own claims table
    for _, r in table.iterrows():
        claims = pd.read_csv(directory / f"results/sensitivity/readings/screen/{r['combination']}/cfmmimo/claims.csv")
        assert int((claims["verdict"] == "reproduced").sum()) >= 0
        cp = "CP (cp_paper)" if r["sca"] == "paper" else "CP"
        row = claims[claims["claim"].str.startswith(f"{cp} secrecy degrades")]
        assert row["verdict"].iloc[0] == r["cp_degrades"], r["combination"]
    assert (directory / "figures/sensitivity/readings.png").stat().st_size > 10_000
