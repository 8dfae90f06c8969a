"""The toy run of the whole DAG: contract names/dims/units, provenance, incremental reruns, reproducibility."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from secure_isac import provenance
from secure_isac.pipeline.studies import all_studies

from conftest import REPO, TEST_CONFIG, copy_run, dry_run, job_counts, snakemake

PLOTS = {st.name: st.plots for st in all_studies()}  # every figure of every study
(CF,) = all_studies(("cfmmimo",))

pytestmark = pytest.mark.slow

CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
TOY = yaml.safe_load(TEST_CONFIG.read_text())
GLOBAL_ATTRS = ("source", "git_commit", "config_json", "references", "versions_json")
CF_ATTRS = ("n_antennas", "rho_norm", "rho_t_norm", "tau_t", "nu", "varsigma_db", "noise_power_w")
GEOMETRY = {"ap_xy": ("ap", "xy"), "ue_xy": ("ue", "xy"), "zone_xy": ("zone", "xy"), "shadowing_db": ("ap", "ue"),
            "beta": ("ap", "ue"), "gamma": ("ap", "ue"), "zeta": ("ap", "zone"), "sin_theta": ("ap", "zone")}
DESIGN = {"ap_mode": ("ap",), "power_c": ("ap", "ue"), "power_s": ("ap", "zone"), "sinr_ue": ("ue",),
          "sinr_eve": ("zone",), "masr": ("zone",), "rate_ue": ("ue",), "rate_eve": ("zone",),
          "secrecy_ue": ("ue",), "feasible": (), "solver_status": ()}
UNITS = {"ap_xy": "m", "ue_xy": "m", "zone_xy": "m", "shadowing_db": "dB", "rate_ue": "bit/s/Hz",
         "rate_eve": "bit/s/Hz", "secrecy_ue": "bit/s/Hz", "kappa_db": "dB", "rate_ue_min": "bit/s/Hz",
         "rate_eve_max": "bit/s/Hz", "secrecy": "bit/s/Hz"}


def _toy(key: str, *path):
    node_t, node_c = TOY, CONFIG
    for p in (key, *path):
        node_t = node_t.get(p, {}) if isinstance(node_t, dict) else {}
        node_c = node_c[p]
    return node_t if node_t != {} else node_c


def _open(run: Path, name: str) -> xr.Dataset:
    with xr.open_dataset(run / "results" / "cfmmimo" / name) as ds:
        return ds.load()


def _check_common(ds: xr.Dataset, with_kappa_attr: bool, commit: str) -> None:
    for attr in GLOBAL_ATTRS + CF_ATTRS:
        assert attr in ds.attrs, attr
    assert ds.attrs["references"] == "arXiv:2603.18635"
    assert ds.attrs["source"].startswith("secure-isac ")
    assert ds.attrs["git_commit"] == commit  # the clean clone's HEAD, no "-dirty": the run changed no tracked file
    json.loads(ds.attrs["config_json"])
    # the jobs ran in this environment: the versions they recorded are this process's
    assert provenance.dataset_versions(ds.attrs) == provenance.package_versions()
    assert ("kappa_db" in ds.attrs) == with_kappa_attr
    for name in ds.variables:
        assert "units" in ds[name].attrs and "long_name" in ds[name].attrs, name
        if name in UNITS:
            assert ds[name].attrs["units"] == UNITS[name], name
    assert ds.sizes["xy"] == 2


def _check_designs(ds: xr.Dataset, lead: tuple[str, ...]) -> None:
    for name, extra in DESIGN.items():
        assert ds[name].dims == lead + extra, name
    assert ds["ap_mode"].dtype == np.int8
    ok = ds["feasible"] == 1
    tol = 1e-5
    assert bool(((ds["power_c"].sum("ue") <= ds["ap_mode"] + tol) | ~ok).all())
    assert bool(((ds["power_s"].sum("zone") <= 1 - ds["ap_mode"] + tol) | ~ok).all())
    np.testing.assert_allclose(ds["rate_ue"], np.log2(1 + ds["sinr_ue"]), rtol=1e-9)
    sec = np.maximum(0.0, ds["rate_ue"] - ds["rate_eve"].max("zone"))
    np.testing.assert_allclose(ds["secrecy_ue"], sec, atol=1e-12)


def test_fig4_contract(toy_run):
    run = toy_run.directory
    ds = _open(run, "fig4.nc")
    _check_common(ds, with_kappa_attr=True, commit=toy_run.commit)
    assert list(ds["scheme"].values) == _toy("cfmmimo", "fig4", "schemes")
    assert ds.sizes["layout"] == _toy("cfmmimo", "fig4", "n_layouts")
    system = {**CONFIG["cfmmimo"]["system"], **TOY["cfmmimo"]["system"]}
    assert (ds.sizes["ap"], ds.sizes["ue"], ds.sizes["zone"]) == (system["M"], system["K"], system["L"])
    assert ds.attrs["kappa_db"] == system["kappa_db"] and ds.attrs["n_antennas"] == system["N"]
    for name, dims in GEOMETRY.items():
        assert ds[name].dims == ("layout",) + dims, name
    _check_designs(ds, ("scheme", "layout"))


def test_fig3_contract_and_reuse(toy_run):
    run = toy_run.directory
    ds3, ds4 = _open(run, "fig3.nc"), _open(run, "fig4.nc")
    _check_common(ds3, with_kappa_attr=False, commit=toy_run.commit)
    assert list(ds3["scheme"].values) == _toy("cfmmimo", "fig3", "schemes")
    assert sorted(ds3["kappa_db"].values.tolist()) == sorted(_toy("cfmmimo", "fig3", "kappa_db"))
    assert ds3.sizes["layout"] == _toy("cfmmimo", "fig3", "n_layouts")
    for name, dims in GEOMETRY.items():
        assert ds3[name].dims == ("layout",) + dims, name
    _check_designs(ds3, ("scheme", "kappa_db", "layout"))
    # the same layouts at every kappa, and the default-kappa point is Fig. 4's designs
    layouts = ds3["layout"].values
    for name in GEOMETRY:
        np.testing.assert_array_equal(ds3[name].values, ds4[name].sel(layout=layouts).values)
    k0 = ds4.attrs["kappa_db"]
    for scheme in ds3["scheme"].values:
        np.testing.assert_array_equal(ds3["power_c"].sel(scheme=scheme, kappa_db=k0).values,
                                      ds4["power_c"].sel(scheme=scheme, layout=layouts).values)


def test_fig2_contract(toy_run):
    run = toy_run.directory
    ds = _open(run, "fig2.nc")
    _check_common(ds, with_kappa_attr=True, commit=toy_run.commit)
    for name in ("rate_ue_min", "rate_eve_max", "secrecy", "objective"):
        assert ds[name].dims == ("scheme", "iteration"), name
    assert {"cp", "sp"} <= set(ds["scheme"].values.tolist())
    assert int(ds["layout"]) == _toy("cfmmimo", "fig2", "layout")
    for name, dims in GEOMETRY.items():
        assert ds[name].dims == dims, name
    for scheme in ("cp", "sp"):
        n = int(ds["n_iterations"].sel(scheme=scheme))
        trace = ds["secrecy"].sel(scheme=scheme).values
        assert np.all(np.isfinite(trace[:n])) and np.all(np.isnan(trace[n:]))
        assert int(ds["repair_start"].sel(scheme=scheme)) < n
    # the trace's last iterate is the returned design
    d4 = _open(run, "fig4.nc").sel(layout=int(ds["layout"]))
    for scheme in ("cp", "sp"):
        n = int(ds["n_iterations"].sel(scheme=scheme))
        np.testing.assert_allclose(ds["power_c"].sel(scheme=scheme), d4["power_c"].sel(scheme=scheme))
        assert np.isfinite(ds["rate_ue_min"].sel(scheme=scheme).values[n - 1])


DFBS_DESIGN = {"selected": ("antenna",), "w_re": ("antenna",), "w_im": ("antenna",),
               "rs_re": ("antenna", "antenna_col"), "rs_im": ("antenna", "antenna_col"), "alpha": (),
               "matching_error": (), "pattern_total": ("angle_deg",), "pattern_sensing": ("angle_deg",),
               "pattern_comm": ("angle_deg",), "user_sinr": (), "secrecy_rate": (), "eve_sinr": ("eve",),
               "eve_info_power_dbm": ("eve",), "illum_joint_min_dbm": (), "illum_sensing_min_dbm": (),
               "user_power_dbm": (), "feasible": (), "solver_status": ()}
DFBS_UNITS = {"w_re": "sqrt(mW)", "rs_re": "mW", "alpha": "mW", "pattern_total": "mW", "secrecy_rate": "bit/s/Hz",
              "eve_info_power_dbm": "dBm", "user_power_dbm": "dBm", "power_dbm": "dBm",
              "secrecy_target": "bit/s/Hz"}
DFBS_ATTRS = ("n_antennas", "n_rf", "user_angle_deg", "target_angles_deg", "eve_angles_deg", "noise_dbm",
              "beam_width_deg", "p_max_rule")


@pytest.mark.parametrize(("name", "lead"), [("fig2", ("scheme",)), ("fig3", ("scheme", "power_dbm", "secrecy_target")),
                                            ("fig4", ("scheme", "power_dbm"))])
def test_dfbs_contract(toy_run, name, lead):
    with xr.open_dataset(toy_run.directory / "results" / "dfbs" / f"{name}.nc") as ds:
        ds = ds.load()
    for attr in GLOBAL_ATTRS + DFBS_ATTRS:
        assert attr in ds.attrs, attr
    assert ds.attrs["references"] == "arXiv:2410.01603"
    if name == "fig2":
        assert "power_dbm" in ds.attrs and "secrecy_target" in ds.attrs
    assert {"aa", "no_aa"} <= set(ds["scheme"].values.tolist())
    params = {**CONFIG["dfbs"]["params"], **TOY["dfbs"]["params"]}
    assert ds.sizes["antenna"] == ds.sizes["antenna_col"] == params["n_antennas"]
    assert ds.sizes["eve"] == len(params["eve_angles_deg"])
    for var, extra in DFBS_DESIGN.items():
        assert ds[var].dims == lead + extra, var
    for var in ds.variables:
        assert "units" in ds[var].attrs and "long_name" in ds[var].attrs, var
    for var, units in DFBS_UNITS.items():
        if var in ds.variables:
            assert ds[var].attrs["units"] == units, var
    assert ds["selected"].dtype == np.int8
    ok = ds["feasible"] == 1
    assert bool(ok.any())
    assert bool(((ds["selected"].sum("antenna") == params["n_rf"]) | ~ok).all())
    assert "wall_time_s" not in ds


def test_figures_and_claims_exist(toy_run):
    run = toy_run.directory
    for study, names in PLOTS.items():
        for name in names:
            for ext in ("pdf", "png"):
                path = run / "figures" / study / f"{name}.{ext}"
                assert path.stat().st_size > 1000, path
        table = pd.read_csv(run / "results" / study / "claims.csv")
        assert list(table.columns[:4]) == ["claim", "paper", "reproduced", "verdict"]
        assert set(table["verdict"]) <= {"reproduced", "partly", "not reproduced", "not testable"}
        assert table["feasible_share"].between(0, 1).all()
    assert b"CreationDate" not in (run / "figures" / "cfmmimo" / "fig4.pdf").read_bytes()

    assert len(pd.read_csv(run / "results" / "cfmmimo" / "claims.csv")) >= 6
    md = (run / "results" / "claims.md").read_text()
    header = ["claim", "paper", "reproduced", "verdict", "feasible_share"]  # then the paper's quote (i24a)
    assert [[c.strip() for c in line.strip("|").split("|")][:5] for line in md.splitlines()
            if line.startswith("| claim ")] == [header, header] and "Study 2" in md
    for sub in ("logs/cfmmimo/optimise", "benchmarks/cfmmimo/optimise", "logs/cfmmimo/plot"):
        assert any((run / sub).rglob("*")), sub


def test_toy_run_says_so(toy_run):
    """Issue 26 item 4: fewer layouts than the paper's (config/test.yaml: 2 and 4) label every verdict table."""
    run = toy_run.directory
    label = ("toy configuration (2-4 layouts: cfmmimo fig3 2 of the paper's 50, fig4 4 of the paper's 200): "
             "verdicts not meaningful")
    cf = pd.read_csv(run / "results" / "cfmmimo" / "claims.csv")
    assert list(cf.columns)[-1] == "configuration" and (cf["configuration"] == label).all()
    assert "configuration" not in pd.read_csv(run / "results" / "dfbs" / "claims.csv").columns  # no layouts
    assert (run / "results" / "claims.md").read_text().startswith(f"**{label}**\n")


def test_console_is_quiet_and_ends_with_the_outputs(toy_run):
    """Issue 26 item 7: no "Shell command: None" after every job (printshellcmds with script: rules); the last
    lines of the run say where its figures and claims are (the Snakefile's onsuccess)."""
    text = toy_run.console
    assert "Shell command" not in text and "Finished jobid" in text
    tail = text[text.rindex("Outputs of this run"):].splitlines()
    assert tail[0] == f"Outputs of this run (in {toy_run.directory}):"
    for name, plots in PLOTS.items():  # each study's figures, by name
        assert f"    figures/{name}/: {', '.join(sorted(plots))}" in tail, tail
    assert tail.index("    results/claims.md") < tail.index("    results/cfmmimo/claims.csv")
    assert len(tail) <= 12, tail  # snakemake's own last lines (log file, elapsed time) follow


def test_toy_command_leaves_the_clone_clean(toy_run):
    """The README's toy command, run from a clone's root, writes only ignored outputs: no tracked file changes
    (the README's images live in docs/figures/, never in the run's figures/)."""
    import subprocess

    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=toy_run.directory,
                            capture_output=True, text=True, check=True).stdout
    assert status == "", status
    assert (toy_run.directory / "figures" / "cfmmimo" / "fig4.png").is_file()
    tracked = subprocess.run(["git", "ls-files", "figures", "results"], cwd=toy_run.directory, capture_output=True,
                             text=True, check=True).stdout
    assert tracked == "", tracked


def test_second_dry_run_nothing_to_do(toy_run):
    run = toy_run.directory
    counts, text = dry_run(run, snakefile=toy_run.snakefile, configfiles=(toy_run.config,))
    assert "Nothing to be done" in text, text[-3000:]
    assert counts == {}


def test_changing_one_kappa_reschedules_only_that_point(toy_run, tmp_path):
    run = toy_run.directory
    kappas = list(_toy("cfmmimo", "fig3", "kappa_db"))
    default = CONFIG["cfmmimo"]["system"]["kappa_db"]
    changed = next(k for k in kappas if k != default)
    new = [k if k != changed else max(kappas) + 3.0 for k in kappas]
    override = tmp_path / "override.yaml"
    override.write_text(yaml.safe_dump({"cfmmimo": {"fig3": {"kappa_db": new}}}))
    counts, text = dry_run(run, snakefile=toy_run.snakefile, configfiles=(toy_run.config, override))
    n_fig3_batches = -(-_toy("cfmmimo", "fig3", "n_layouts") // _toy("cfmmimo", "batch_size"))
    n_schemes = len(_toy("cfmmimo", "fig3", "schemes"))
    # Fig. 3 and its decomposition are drawn from fig3.nc
    fig3_plots = [p for p in CF.plots if CF.dataset_of(p) == "fig3"]
    assert counts == {"cfmmimo_optimise": n_schemes * n_fig3_batches, "cfmmimo_aggregate": 1,
                      "plot": len(fig3_plots), "claims": 1, "claims_markdown": 1, "figures": 1}, text[-3000:]
    assert "results/cfmmimo/fig3.nc" in text and "figures/cfmmimo/fig3.png" in text


def _clone(toy_run, tmp_path: Path) -> Path:
    """Copy (mtimes kept) of the sources the toy run used, to be edited by a test."""
    clone = tmp_path / "clone"
    copy_run(toy_run.source, clone)
    return clone


def test_code_digests_rerun_exactly_the_users(toy_run, tmp_path):
    run = toy_run.directory
    clone = _clone(toy_run, tmp_path)
    # an identical copy (other path, touched script) reruns nothing
    (clone / "workflow" / "scripts" / "cfmmimo_plot.py").touch()
    counts, text = dry_run(run, snakefile=clone / "Snakefile", configfiles=(toy_run.config,))
    assert counts == {}, text[-3000:]
    # editing the plotting module reruns only the plots
    with open(clone / "src" / "secure_isac" / "plotting.py", "a") as fh:
        fh.write("\n# edited by test\n")
    counts, text = dry_run(run, snakefile=clone / "Snakefile", configfiles=(toy_run.config,))
    # the one plot rule: the 5 + 3 figures of both studies (plotting.py is their shared style), nothing else
    assert counts == {"plot": sum(len(v) for v in PLOTS.values()), "figures": 1}, text[-3000:]


def test_editing_a_caption_reruns_nothing(toy_run, tmp_path):
    """The report's captions (pipeline/studies/captions/<study>.py) are report-only text: no job's params or code
    digest holds them, so editing one reruns no job (a caption in a rule's params reran every plot of every run)."""
    clone = _clone(toy_run, tmp_path)
    for name in PLOTS:
        with open(clone / "src" / "secure_isac" / "pipeline" / "studies" / "captions" / f"{name}.py", "a") as fh:
            fh.write("\nCAPTIONS = {**CAPTIONS, 'fig2': 'edited by test'}\n")
    counts, text = dry_run(toy_run.directory, snakefile=clone / "Snakefile", configfiles=(toy_run.config,))
    assert counts == {}, text[-3000:]


def test_editing_the_optimiser_reruns_optimisation_and_downstream(toy_run, tmp_path):
    run = toy_run.directory
    clone = _clone(toy_run, tmp_path)
    with open(clone / "src" / "secure_isac" / "cfmmimo" / "design.py", "a") as fh:
        fh.write("\n# edited by test\n")
    counts, text = dry_run(run, snakefile=clone / "Snakefile", configfiles=(toy_run.config,))
    assert "cfmmimo_layouts" not in counts and "cfmmimo_channels" not in counts, text[-3000:]
    full = job_counts(toy_run.console)  # what the toy command ran from an empty folder
    assert counts["cfmmimo_optimise"] == full["cfmmimo_optimise"]
    # the three study-1 datasets, its five figures and its claims table (not study 2's)
    assert counts["cfmmimo_aggregate"] == 3 and counts["plot"] == len(CF.plots) and counts["claims"] == 1, \
        counts
    assert "dfbs_design" not in counts and "dfbs_aggregate" not in counts


def test_editing_one_study_reruns_none_of_the_other_studys_jobs(toy_run, tmp_path):
    """Each job's code digest hashes only its own study's code (the generic plot and claims jobs included): editing
    study 2's package reruns no job writing a study-1 file (issue 23; before, the cell-free plots and claims)."""
    run = toy_run.directory
    clone = _clone(toy_run, tmp_path)
    with open(clone / "src" / "secure_isac" / "dfbs" / "__init__.py", "a") as fh:
        fh.write("\n# edited by test\n")
    counts, text = dry_run(run, snakefile=clone / "Snakefile", configfiles=(toy_run.config,))
    outputs = [line for line in text.splitlines() if line.strip().startswith("output:")]
    assert counts.get("dfbs_aggregate") == 3 and outputs, text[-3000:]
    assert not any("cfmmimo" in line for line in outputs), [o for o in outputs if "cfmmimo" in o]
    assert not any(rule.startswith("cfmmimo") for rule in counts), counts


def test_rerun_gives_equal_bytes(toy_run, tmp_path):
    run = toy_run.directory
    copy = tmp_path / "copy"
    copy_run(run, copy)
    files = ["results/cfmmimo/fig2.nc", "figures/cfmmimo/fig2.pdf", "figures/cfmmimo/fig2.png",
             "figures/cfmmimo/layout_map.pdf"]
    before = {f: (copy / f).read_bytes() for f in files}
    snakemake("--cores", "2", "--configfile", str(toy_run.config), "--forcerun", "results/cfmmimo/fig2.nc",
              "figures/cfmmimo/fig2.pdf", "figures/cfmmimo/layout_map.pdf", directory=copy,
              snakefile=toy_run.snakefile)
    for f in files:
        assert (copy / f).read_bytes() == before[f], f
    assert filecmp.cmp(copy / files[0], run / files[0], shallow=False)


def test_git_commit_of_the_repository():
    from secure_isac.provenance import git_commit

    commit = git_commit(REPO / "workflow" / "scripts")
    assert commit == "unknown" or len(commit.split("-")[0]) == 40
    assert git_commit(REPO.parent / "definitely-not-a-repo") == "unknown"


def test_report_has_figures_captions_and_tables(toy_run, tmp_path):
    report = tmp_path / "report.html"
    proc = snakemake("--configfile", str(toy_run.config), "--report", str(report), snakefile=toy_run.snakefile,
                     directory=toy_run.directory)
    assert "Missing metadata" not in proc.stdout + proc.stderr
    html = report.read_text(errors="replace")
    for text in ("fig2.png", "fig3.png", "fig4.png", "layout_map.png", "claims.csv", "empirical CDF",
                 "arXiv:2603.18635", "Study 2", "beampatterns"):
        assert text in html, text
    assert "toy configuration (2-4 layouts: cfmmimo fig3 2 of the paper" in html  # the captions say so
    n4 = _toy("cfmmimo", "fig4", "n_layouts")
    assert f'empirical CDF over <tt class=\\"docutils literal\\">{n4}</tt> layouts' in html, \
        "the Fig. 4 caption gives the toy run's layout count"


def test_report_refuses_another_configuration(toy_run, tmp_path):
    """`snakemake --report` without the toy run's --configfile used to exit 0 with 144 "Missing metadata"
    warnings and captions saying 200 layouts over figures with 4: it now refuses, naming what differs."""
    report = tmp_path / "report.html"
    proc = snakemake("--report", str(report), snakefile=toy_run.snakefile, directory=toy_run.directory, check=False)
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0 and not report.exists()
    assert "another configuration" in text and "results/cfmmimo/fig4.nc" in text and "n_layouts" in text, text[-3000:]
    assert "--configfile" in text


def test_dry_run_reasons_explain_a_params_change(toy_run, tmp_path):
    """The README's advice: `snakemake -n` names the reason of every job (here: a solver option changed)."""
    override = tmp_path / "override.yaml"
    override.write_text(yaml.safe_dump({"cfmmimo": {"solver": {"rel_tol": 0.001}}}))
    counts, text = dry_run(toy_run.directory, snakefile=toy_run.snakefile, configfiles=(toy_run.config, override))
    assert counts["cfmmimo_optimise"] > 0 and "cfmmimo_layouts" not in counts
    assert "reason: Params have changed since last execution" in text and '"rel_tol":0.001' in text
    guide = (REPO / "docs" / "workflow.md").read_text()
    assert "`snakemake -n figures`" in guide and "Do not rely on `snakemake --list-changes params`" in guide


def test_dfbs_point_file_equals_in_process_design(toy_run):
    """A design made by the pipeline (reference written by one job, read back by another) equals the library's
    in-process design at the same point: results do not depend on how the work is split into jobs."""
    import warnings

    from secure_isac.dfbs.params import DfbsParams
    from secure_isac.dfbs.schemes import design, reference_design

    warnings.filterwarnings("ignore", module="cvxpy")
    params = DfbsParams(**{**CONFIG["dfbs"]["params"], **TOY["dfbs"]["params"]})
    p = float(_toy("dfbs", "fig3", "power_dbm")[0])
    r = 1.5  # binding at the toy's lowest P: P-SCP runs (the reference's iterates fail R-bar)
    with xr.open_dataset(toy_run.directory / "results" / "dfbs" / "designs" / "aa" / f"p{p:g}_r{r:g}.nc") as ds:
        ds = ds.load().squeeze(("power_dbm", "secrecy_target")).sel(scheme="aa")
    d = design("aa", params, p, r, reference=reference_design("aa", params))
    assert not d.used_reference and d.feasible and int(ds["feasible"]) == 1
    np.testing.assert_array_equal(ds["selected"].values, d.selected)
    np.testing.assert_array_equal(ds["w_re"].values + 1j * ds["w_im"].values, d.w)
    np.testing.assert_array_equal(ds["rs_re"].values + 1j * ds["rs_im"].values, d.rs)
    assert float(ds["matching_error"]) == d.matching_error and int(ds["n_sdp"]) == d.n_sdp


def test_dfbs_new_secrecy_targets_add_only_their_points(toy_run, tmp_path):
    """Raising secrecy_max schedules only the new (scheme, P, R-bar) designs and Fig. 3's downstream steps."""
    run = toy_run.directory
    f3 = {k: _toy("dfbs", "fig3", k) for k in ("power_dbm", "secrecy_step", "secrecy_max")}
    override = tmp_path / "override.yaml"
    override.write_text(yaml.safe_dump({"dfbs": {"fig3": {"secrecy_max": f3["secrecy_max"] + f3["secrecy_step"]}}}))
    counts, text = dry_run(run, snakefile=toy_run.snakefile, configfiles=(toy_run.config, override))
    n_schemes = len(_toy("dfbs", "fig3", "schemes"))
    params = {**CONFIG["dfbs"]["params"], **TOY["dfbs"]["params"]}
    new_r = f3["secrecy_max"] + f3["secrecy_step"]
    # a new R-bar exists only at powers whose bound log2(1 + N_RF P/noise) lies above it
    n_new = sum(new_r < np.log2(1 + params["n_rf"] * 10 ** ((p - params["noise_dbm"]) / 10)) for p in f3["power_dbm"])
    assert n_new >= 1
    assert counts == {"dfbs_design": n_schemes * n_new, "dfbs_aggregate": 1, "plot": 1,
                      "claims": 1, "claims_markdown": 1, "figures": 1}, text[-3000:]


def test_sweep_values_reach_the_library_exactly(toy_run, tmp_path):
    """kappa = 1.7609126 used to be rounded to 1.76091 by its path label (then Fig. 3's aggregate failed with a
    KeyError after every design job had run), and 1.0 / 1.0000001 shared one file. Labels are now one-to-one and
    the exact configured value reaches the optimiser and the datasets; the same for a study-2 power."""
    run = tmp_path / "run"
    copy_run(toy_run.directory, run)
    kappas = [0.0, 1.7609126, 1.0, 1.0000001]
    override = tmp_path / "override.yaml"
    override.write_text(yaml.safe_dump({"cfmmimo": {"fig3": {"kappa_db": kappas, "schemes": ["cp", "sp", "baseline"]}},
                                        "dfbs": {"fig4": {"power_dbm": [5.0, 20.0000001]}}}))
    snakemake("cfmmimo_fig3", "dfbs_fig4", "--cores", "2", "--configfile", str(toy_run.config), str(override),
              snakefile=toy_run.snakefile, directory=run, timeout=600)
    with xr.open_dataset(run / "results" / "cfmmimo" / "fig3.nc") as ds:
        ds = ds.load()
    assert ds["kappa_db"].values.tolist() == sorted(kappas)
    ok = ds["feasible"].sel(scheme="cp", kappa_db=1.7609126).values == 1
    masr = ds["masr"].sel(scheme="cp", kappa_db=1.7609126).min("zone").values[ok]
    assert ok.any() and np.all(masr >= 10 ** (1.7609126 / 10) * (1 - 1e-4))  # optimised at the exact value
    for k in (1.0, 1.0000001):
        assert (run / f"results/cfmmimo/designs/cp/kappa{k:.8g}/batch0.nc").is_file()
    with xr.open_dataset(run / "results" / "dfbs" / "fig4.nc") as ds:
        assert ds["power_dbm"].values.tolist() == [5.0, 20.0000001]
    with xr.open_dataset(run / "results" / "dfbs" / "designs" / "aa" / "p20.0000001_r2.nc") as ds:
        assert json.loads(ds.attrs["config_json"])["config"]["power_dbm"] == 20.0000001


def test_plot_style_reruns_only_the_figures(toy_run):
    """The default style is paper (IEEE column width); plot.style reaches the plot jobs as a param, so switching it
    reruns the figures and nothing else."""
    import re

    pdf = (toy_run.directory / "figures" / "dfbs" / "fig4.pdf").read_bytes()
    width = float(re.search(rb"/MediaBox \[\s*0 0 ([\d.]+)", pdf).group(1))
    assert width == 252.0  # 3.5 in
    counts, text = dry_run(toy_run.directory, "--config", "plot={style: screen}", snakefile=toy_run.snakefile,
                           configfiles=(toy_run.config,))
    assert counts == {"plot": sum(len(v) for v in PLOTS.values()), "figures": 1}, text[-3000:]
