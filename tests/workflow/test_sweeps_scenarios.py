"""Sweeps and scenarios end to end on the toy configuration (config/test.yaml and the shipped
config/scenarios.yaml), on a copy of the session's toy run: datasets by the contract, figures, the scenario
comparison, exact job counts (work shared with the default run, nothing done twice) and the compare command."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from secure_isac.pipeline.studies import all_studies

from conftest import copy_run, dry_run, job_counts, snakemake

PLOTS = {st.name: st.plots for st in all_studies()}  # every figure of every study

pytestmark = pytest.mark.slow

TARGETS = ("sweeps", "scenarios")


class SweepRun:
    def __init__(self, directory, snakefile, config, planned: dict, planned_text: str):
        self.directory, self.snakefile, self.config = directory, snakefile, config
        self.planned, self.planned_text = planned, planned_text

    def open(self, rel: str) -> xr.Dataset:
        with xr.open_dataset(self.directory / rel) as ds:
            return ds.load()


@pytest.fixture(scope="module")
def sweep_run(toy_run, tmp_path_factory) -> SweepRun:
    """`snakemake --cores 2 --configfile config/test.yaml sweeps scenarios` after the default toy run (a copy)."""
    directory = tmp_path_factory.mktemp("sweeps") / "run"
    copy_run(toy_run.directory, directory)
    snakefile, config = directory / "Snakefile", directory / "config" / "test.yaml"
    # what it plans: the run's own job table and job list (the same as a dry run's, without another DAG build)
    proc = snakemake("--cores", "2", *TARGETS, "--configfile", str(config), snakefile=snakefile, directory=directory,
                     timeout=900)
    text = proc.stdout + proc.stderr
    return SweepRun(directory, snakefile, config, job_counts(text), text)


def test_sweeps_and_scenarios_schedule_only_new_work(sweep_run):
    """After the default run: K = 2, M = 10 and n_rf = 4 are the default values (their files are the default
    run's), so the sweeps draw one new layout batch per other value and design 3 schemes on it; the scenarios redo
    only what they change (strict_sensing: the kappa-10 designs of Figs. 2 and 4; loose_antenna_cap: study 2)."""
    c = sweep_run.planned
    # sweeps: K = 3 and M = 8 (one batch of 2 layouts each), n_rf = 2
    assert c["cfmmimo_layouts"] == 2 and c["cfmmimo_channels"] == 2, sweep_run.planned_text[-3000:]
    # 6 sweep designs + strict_sensing at kappa 10: Fig. 4 (6 schemes x 2 batches; Fig. 2 reads Fig. 4's batch 0)
    assert c["cfmmimo_optimise"] == 6 + 12
    assert c["cfmmimo_sweep_value"] == 4 and c["cfmmimo_sweep"] == 2
    assert c["dfbs_sweep_value"] == 2 and c["dfbs_sweep"] == 1
    # references: n_rf = 2 (aa, no_aa) and the loose cap (aa, no_aa)
    assert c["dfbs_reference"] == 4
    assert c["cfmmimo_aggregate"] == 6 and c["dfbs_aggregate"] == 6  # 3 datasets x 2 scenarios per study
    n_plots = sum(len(v) for v in PLOTS.values())  # every figure of both studies
    assert c["plot"] == 3 + 2 * n_plots and c["claims"] == 4 and c["claims_markdown"] == 2
    assert c["scenario_summary"] == 1
    assert "output: results/cfmmimo/layouts/batch0.nc" not in sweep_run.planned_text


def test_cfmmimo_sweep_datasets(sweep_run):
    ds = sweep_run.open("results/cfmmimo/sweeps/K.nc")
    assert ds["secrecy_mean"].dims == ("scheme", "K", "layout")
    assert list(ds["K"].values) == [2, 3] and list(ds["scheme"].values) == ["cp", "sp", "baseline"]
    for name in ("secrecy_mean", "rate_ue_min", "rate_eve_max", "n_comm_aps", "feasible", "solver_status"):
        assert name in ds and "units" in ds[name].attrs, name
    for label, value in (("2", 2), ("3", 3)):
        one = sweep_run.open(f"results/cfmmimo/sweeps/K/{label}.nc")
        assert one.attrs["K"] == value and one.sizes["ue"] == value and one.attrs["sweep_key"] == "K"
        # the summary is this file's numbers
        np.testing.assert_allclose(ds["secrecy_mean"].sel(K=value), one["secrecy_ue"].mean("ue"))
        np.testing.assert_array_equal(ds["n_comm_aps"].sel(K=value), one["ap_mode"].astype(int).sum("ap"))
        np.testing.assert_allclose(ds["rate_eve_max"].sel(K=value), one["rate_eve"].max("zone"))
    # K = 2 is the default run's Fig. 4 (same layouts, same designs)
    fig4 = sweep_run.open("results/cfmmimo/fig4.nc")
    two = sweep_run.open("results/cfmmimo/sweeps/K/2.nc")
    np.testing.assert_array_equal(two["ap_xy"], fig4["ap_xy"].isel(layout=slice(0, 2)))
    np.testing.assert_array_equal(two["power_c"].sel(scheme="cp"), fig4["power_c"].sel(scheme="cp").isel(
        layout=slice(0, 2)))
    # M = 8: its own layouts drawn from the same seeds, the first 8 APs of the M = 10 draw
    m8, m10 = sweep_run.open("results/cfmmimo/sweeps/M/8.nc"), sweep_run.open("results/cfmmimo/sweeps/M/10.nc")
    assert m8.sizes["ap"] == 8 and m8.attrs["M"] == 8 and m8.attrs["n_antennas"] == m10.attrs["n_antennas"]
    np.testing.assert_array_equal(m8["ap_xy"], m10["ap_xy"].isel(ap=slice(0, 8)))


def test_dfbs_sweep_datasets(sweep_run):
    ds = sweep_run.open("results/dfbs/sweeps/n_rf.nc")
    assert ds["matching_error"].dims == ("scheme", "n_rf") and list(ds["n_rf"].values) == [2, 4]
    assert ds["eve_info_power_dbm"].dims == ("scheme", "n_rf", "eve")
    for name in ("illum_joint_min_dbm", "illum_sensing_min_dbm", "user_power_dbm", "secrecy_rate", "feasible",
                 "solver_status"):
        assert name in ds, name
    two = sweep_run.open("results/dfbs/sweeps/n_rf/2.nc")
    assert two.attrs["n_rf"] == 2
    # every design can be read back: exactly n_rf antennas selected per scheme, feasible designs meet R-bar
    assert (two["selected"].sum("antenna") == 2).all()
    ok = two["feasible"].values == 1
    assert (two["secrecy_rate"].values[ok] >= ds.attrs["secrecy_target"] - 1e-4).all()
    # n_rf = 4 is the toy default: the Fig. 2 design point of the default run, the same numbers
    fig2 = sweep_run.open("results/dfbs/fig2.nc")
    np.testing.assert_allclose(ds["matching_error"].sel(n_rf=4), fig2["matching_error"])


def test_sweep_figures_and_scenario_outputs_exist(sweep_run):
    d = sweep_run.directory
    for rel in ("figures/cfmmimo/sweep_K.png", "figures/cfmmimo/sweep_M.pdf", "figures/dfbs/sweep_n_rf.png",
                "figures/scenarios/summary.png", "figures/scenarios/summary.pdf", "results/scenarios/summary.md",
                "results/scenarios/strict_sensing/claims.md"):
        assert (d / rel).stat().st_size > 1000, rel
    for name in ("strict_sensing", "loose_antenna_cap"):
        for study, figs in PLOTS.items():
            for f in figs:
                assert (d / f"figures/scenarios/{name}/{study}/{f}.png").is_file()
            assert (d / f"results/scenarios/{name}/{study}/claims.csv").is_file()
    # next to, never over, the default run: its datasets are unchanged by the scenarios
    ds = sweep_run.open("results/cfmmimo/fig4.nc")
    assert ds.attrs["kappa_db"] == 2.0
    assert sweep_run.open("results/scenarios/strict_sensing/cfmmimo/fig4.nc").attrs["kappa_db"] == 10.0


def test_scenario_summary_holds_every_run_and_verdict(sweep_run):
    table = pd.read_csv(sweep_run.directory / "results/scenarios/summary.csv")
    # a toy run: every row says which run's label it carries (the default run's columns are these, without it)
    assert list(table.columns) == ["kind", "study", "item", "scheme", "run", "value", "verdict", "configuration"]
    assert table["configuration"].str.endswith("verdicts not meaningful").all()
    assert set(table["run"]) == {"default", "strict_sensing", "loose_antenna_cap"}
    claims = table[table["kind"] == "claim"]
    for run, path in (("default", "results"), ("strict_sensing", "results/scenarios/strict_sensing")):
        for study in ("cfmmimo", "dfbs"):
            own = pd.read_csv(sweep_run.directory / path / study / "claims.csv")
            mine = claims[(claims["run"] == run) & (claims["study"] == study)]
            assert list(mine["verdict"]) == list(own["verdict"]), (run, study)
    # strict_sensing changes only study 1, loose_antenna_cap only study 2 (study 1 shared byte for byte)
    pivot = claims.pivot_table(index=["study", "item"], columns="run", values="verdict", aggfunc="first")
    assert (pivot.loc["dfbs", "strict_sensing"] == pivot.loc["dfbs", "default"]).all()
    assert (pivot.loc["cfmmimo", "loose_antenna_cap"] == pivot.loc["cfmmimo", "default"]).all()
    md = (sweep_run.directory / "results/scenarios/summary.md").read_text()
    header = next(line for line in md.splitlines() if line.startswith("| study "))
    assert [c.strip() for c in header.strip("|").split("|")][-3:] == ["default", "strict_sensing", "loose_antenna_cap"]
    assert md.startswith("**default, strict_sensing, loose_antenna_cap: toy configuration (2-4 layouts"), md[:300]


def _compare(d, *args) -> subprocess.CompletedProcess:
    """The compare command of the run's own library (the snapshot's src/)."""
    return subprocess.run([sys.executable, "-m", "secure_isac.pipeline.compare", *map(str, args)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(d / "src")})


def test_compare_command_reports_the_changed_verdicts(sweep_run):
    d = sweep_run.directory
    table = pd.read_csv(d / "results/scenarios/summary.csv")
    claims = table[table["kind"] == "claim"].pivot_table(index=["study", "item"], columns="run", values="verdict",
                                                         aggfunc="first")
    changed = claims[claims["default"] != claims["strict_sensing"]]
    assert len(changed) > 0  # the toy's kappa-10 designs are infeasible often enough to change a verdict
    proc = _compare(d, d, d / "results/scenarios/strict_sensing")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"claims verdicts that changed ({len(changed)}):" in out, out
    for (_study, item), row in changed.iterrows():
        assert f"{item}: {row['default']}" in out and f"-> {row['strict_sensing']}" in out, (item, out)
    assert "cfmmimo  fig4" in out and "median per-UE average secrecy" in out
    # a run compared with itself: nothing differs
    same = _compare(d, d, d).stdout
    assert "headline numbers that differ (0 of" in same and "claims verdicts that changed (0):" in same
    bad = _compare(d, d, d / "nothing")
    assert bad.returncode == 2 and "nothing" in bad.stderr


def test_report_covers_sweeps_and_scenarios(sweep_run, tmp_path):
    """Issue 26 item 9: `snakemake --report` of the sweeps and scenarios has their pages (categories Sweeps and
    Scenarios), the scenario comparison included, and says the run is a toy."""
    report = tmp_path / "report.html"
    snakemake("--configfile", str(sweep_run.config), "--report", str(report), "figures", *TARGETS,
              snakefile=sweep_run.snakefile, directory=sweep_run.directory)
    html = report.read_text(errors="replace")
    for text in ('"Sweeps"', '"Scenarios"', '"Comparison"', "strict_sensing: Study 1", "loose_antenna_cap: Study 2",
                 "sweep_K.png", "sweep_M.png", "sweep_n_rf.png", "summary.png", "summary.csv",
                 "Scenario comparison: the claims verdicts", "toy configuration (2-4 layouts"):
        assert text in html, text


def test_second_run_has_nothing_to_do(sweep_run):
    counts, text = dry_run(sweep_run.directory, *TARGETS, snakefile=sweep_run.snakefile,
                           configfiles=(sweep_run.config,))
    assert counts == {}, text[-3000:]


def test_adding_a_sweep_value_or_a_scenario_schedules_only_its_jobs(sweep_run, tmp_path):
    d = sweep_run.directory
    more = tmp_path / "more.yaml"
    more.write_text(yaml.safe_dump({"cfmmimo": {"sweeps": {"K": {"values": [2, 3, 4], "n_layouts": 2}}}}))
    counts, text = dry_run(d, "sweeps", snakefile=sweep_run.snakefile, configfiles=(sweep_run.config, more))
    # K = 4: its layouts, channels, 3 designs and dataset; the K summary and figure; K = 2, 3 untouched
    assert counts == {"cfmmimo_layouts": 1, "cfmmimo_channels": 1, "cfmmimo_optimise": 3, "cfmmimo_sweep_value": 1,
                      "cfmmimo_sweep": 1, "plot": 1, "sweeps": 1}, text[-3000:]
    scen = tmp_path / "scenarios.yaml"
    scen.write_text((d / "config" / "scenarios.yaml").read_text()
                    + "\nhigh_threshold:\n  cfmmimo:\n    system:\n      nu: 1.0\n")
    extra = tmp_path / "scen.yaml"
    extra.write_text(yaml.safe_dump({"scenarios": {"file": str(scen)}}))
    counts, text = dry_run(d, "scenarios", snakefile=sweep_run.snakefile, configfiles=(sweep_run.config, extra))
    # the new scenario: study-1 designs on the default layouts (nu is a design key), its datasets, figures and
    # claims; study 2 is the default run's; the comparison is redone
    assert "cfmmimo_layouts" not in counts and "cfmmimo_channels" not in counts, text[-3000:]
    assert "dfbs_design" not in counts and "dfbs_reference" not in counts
    assert counts["cfmmimo_aggregate"] == 3 and counts["dfbs_aggregate"] == 3
    assert counts["plot"] == sum(len(v) for v in PLOTS.values())
    assert counts["scenario_summary"] == 1 and counts["claims"] == 2
    assert "results/cfmmimo/variants/nu=1/designs" in text
