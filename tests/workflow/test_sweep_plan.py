"""Sweeps and scenarios planned in-process (pipeline.registry, pipeline.config): which files a sweep value or a
scenario shares with the default run, the exact values behind every label, and bad input named at once."""

from __future__ import annotations

import json

import pytest
import yaml

from secure_isac.pipeline import registry, sweeps, targets
from secure_isac.pipeline.config import ConfigError, deep_merge, load_scenarios, validate_config
from secure_isac.pipeline.runs import variant
from secure_isac.pipeline.studies import study

from conftest import REPO

CF, DF = study("cfmmimo"), study("dfbs")

DEFAULT = validate_config(yaml.safe_load((REPO / "config" / "config.yaml").read_text()))


def _config(overlay: dict) -> dict:
    return validate_config(deep_merge(DEFAULT, overlay))


def test_default_sweeps_are_the_documented_ones():
    assert {k: v["values"] for k, v in DEFAULT["cfmmimo"]["sweeps"].items()} == {"K": [2, 4, 6, 8], "M": [16, 32, 64]}
    assert DEFAULT["dfbs"]["sweeps"]["n_rf"]["values"] == [4, 6, 8, 10, 12]


def test_a_value_equal_to_the_default_shares_every_file():
    reg = registry.registry(DEFAULT)
    runs = reg.sweeps[("", "cfmmimo", "K")]
    assert list(runs) == ["2", "4", "6", "8"]
    k4 = runs["4"]
    for kind in CF.kinds():
        assert variant(k4, "cfmmimo", kind) == ""
    # its Fig. 4 designs are the default run's first batch
    base_files = set(CF.designs(reg.base, "fig4"))
    assert set(CF.designs(k4, "fig4")) <= base_files
    k8 = runs["8"]
    assert variant(k8, "cfmmimo", "layouts") == "variants/K=8/"
    assert all(f.startswith("results/cfmmimo/variants/K=8/") for f in CF.designs(k8, "fig4"))


def test_an_optimisation_key_reuses_layouts_and_channels():
    cfg = _config({"cfmmimo": {"sweeps": {"nu": {"values": [0.25, 0.5, 1.0], "n_layouts": 50}}}})
    reg = registry.registry(cfg)
    for label, run in reg.sweeps[("", "cfmmimo", "nu")].items():
        assert variant(run, "cfmmimo", "layouts") == "" and variant(run, "cfmmimo", "channels") == ""
        assert variant(run, "cfmmimo", "designs/cp") == ("" if label == "0.5" else f"variants/nu={label}/")
    # shadowing is a channel key: new channels on the default layouts
    cfg = _config({"cfmmimo": {"sweeps": {"shadowing_std_db": {"values": [4.0]}}}})
    run = registry.registry(cfg).sweeps[("", "cfmmimo", "shadowing_std_db")]["4"]
    assert variant(run, "cfmmimo", "layouts") == ""
    assert variant(run, "cfmmimo", "channels") == "variants/shadowing_std_db=4/"


def test_kappa_sweep_uses_the_fig3_designs():
    cfg = _config({"cfmmimo": {"sweeps": {"kappa_db": {"values": [0.0, 10.0], "n_layouts": 50}}}})
    reg = registry.registry(cfg)
    fig3 = set(CF.designs(reg.base, "fig3"))
    for run in reg.sweeps[("", "cfmmimo", "kappa_db")].values():
        assert set(CF.designs(run, "fig4")) <= fig3


def test_sweep_values_keep_their_exact_value_and_type():
    cfg = _config({"cfmmimo": {"sweeps": {"varsigma_db": {"values": [1.2345678, 4.0]}}},
                   "dfbs": {"sweeps": {"secrecy_target": {"values": [0.1234567, 3.0]}}}})
    reg = registry.registry(cfg)
    runs = reg.sweeps[("", "cfmmimo", "varsigma_db")]
    assert list(runs) == ["1.2345678", "4"]
    assert sweeps.value_of(runs["1.2345678"], "cfmmimo", "varsigma_db") == 1.2345678
    value_config = json.loads(sweeps.value_config(runs["1.2345678"], "cfmmimo", "varsigma_db", 1.2345678))
    assert value_config["system"]["varsigma_db"] == 1.2345678 and value_config["sweep_value"] == 1.2345678
    druns = reg.sweeps[("", "dfbs", "secrecy_target")]
    assert DF.sweep_point(druns["0.1234567"].config, "secrecy_target") == (20.0, 0.1234567)
    assert (reg.value("power_dbm", "20"), reg.value("secrecy_target", "0.1234567")) == (20.0, 0.1234567)
    # the int of n_rf stays an int in the library's params
    n_rf = registry.registry(DEFAULT).sweeps[("", "dfbs", "n_rf")]["4"]
    assert n_rf.config["dfbs"]["params"]["n_rf"] == 4 and isinstance(n_rf.config["dfbs"]["params"]["n_rf"], int)


def test_dfbs_point_sweep_shares_the_default_references():
    cfg = _config({"dfbs": {"sweeps": {"power_dbm": {"values": [10.0, 20.0]}}}})
    reg = registry.registry(cfg)
    for run in reg.sweeps[("", "dfbs", "power_dbm")].values():
        assert DF.reference_path(run, "aa") == "results/dfbs/references/aa.nc"
    n_rf4 = reg.sweeps[("", "dfbs", "n_rf")]["4"]
    assert DF.reference_path(n_rf4, "aa") == "results/dfbs/variants/n_rf=4/references/aa.nc"


def test_null_drops_a_default_sweep():
    cfg = _config({"cfmmimo": {"sweeps": {"M": None}}, "dfbs": {"sweeps": {"n_rf": None}}})
    assert list(cfg["cfmmimo"]["sweeps"]) == ["K"] and cfg["dfbs"]["sweeps"] == {}


def _scenarios(tmp_path, text: str) -> dict:
    path = tmp_path / "scenarios.yaml"
    path.write_text(text)
    return load_scenarios(DEFAULT, path)


def test_scenarios_are_overlays_with_their_own_sweeps_only(tmp_path):
    scen = _scenarios(tmp_path, "a:\n  cfmmimo:\n    system:\n      nu: 1.0\n"
                                "b:\n  dfbs:\n    sweeps:\n      n_rf:\n        values: [6]\n")
    assert scen["a"]["cfmmimo"]["system"]["nu"] == 1.0 and scen["a"]["cfmmimo"]["sweeps"] == {}
    assert scen["a"]["dfbs"]["sweeps"] == {}
    assert list(scen["b"]["dfbs"]["sweeps"]) == ["n_rf"] and scen["b"]["dfbs"]["sweeps"]["n_rf"]["values"] == [6]
    reg = registry.registry(DEFAULT, scen)
    assert set(reg.runs) == {"", "scenarios/a/", "scenarios/b/"}
    # scenario a changes only a design key: the default layouts and channels, its own designs
    a = reg.scenarios["a"]
    assert variant(a, "cfmmimo", "layouts") == "" and variant(a, "cfmmimo", "designs/cp") == "variants/nu=1/"
    assert variant(a, "dfbs", "designs/aa") == ""  # study 2 is the default run's
    files = targets.scenario_files(reg)
    assert "results/scenarios/b/dfbs/sweeps/n_rf.nc" in files and "results/scenarios/summary.csv" in files
    assert "results/scenarios/a/cfmmimo/fig4.nc" in files
    assert not any(f.startswith("results/cfmmimo/sweeps") for f in files)  # the default run's sweeps are not built


@pytest.mark.parametrize(("text", "expected"), [
    ("bad name:\n  seed: 1\n", "scenario name 'bad name'"),
    ("summary:\n  seed: 1\n", "scenario name 'summary'"),
    ("a:\n  cfmmimo:\n    system:\n      Kk: 2\n", "scenario a: invalid configuration:\n  cfmmimo.system.Kk"),
    ("a:\n  cfmmimo:\n    sweeps:\n      Q: {values: [1]}\n", "scenario a: cfmmimo.sweeps.Q"),
    ("a: 3\n", "scenario a: the overlay must be a mapping"),
    ("- a\n- b\n", "must map scenario names to overlays"),
    ("a: [\n", "not valid YAML"),
    ("a:\n  scenarios:\n    file: other.yaml\n", "scenario a: scenarios"),
])
def test_bad_scenarios_are_named(tmp_path, text, expected):
    with pytest.raises(ConfigError) as info:
        _scenarios(tmp_path, text)
    assert expected in str(info.value)
    assert str(tmp_path / "scenarios.yaml") in str(info.value)


def test_shipped_scenarios_file_is_valid_for_both_configs():
    toy = validate_config(deep_merge(DEFAULT, yaml.safe_load((REPO / "config" / "test.yaml").read_text())))
    for cfg in (DEFAULT, toy):
        scen = load_scenarios(cfg, REPO / "config" / "scenarios.yaml")
        assert len(scen) >= 2
        registry.registry(cfg, scen)


def test_jobs_read_their_inputs_from_the_folder_of_their_configuration():
    """A design key changed (nu): designs in a variant folder, reading the default run's channels; a channel key
    changed (shadowing): channels in a variant folder, reading the default run's layouts."""
    cfg = _config({"cfmmimo": {"sweeps": {"nu": {"values": [1.0]}, "shadowing_std_db": {"values": [4.0]}}}})
    reg = registry.registry(cfg)
    assert CF.upstream(reg, "designs/cp", "variants/nu=1/", 3) == "results/cfmmimo/channels/batch3.nc"
    assert CF.upstream(reg, "channels", "variants/shadowing_std_db=4/", 0) == "results/cfmmimo/layouts/batch0.nc"
    assert CF.upstream(reg, "designs/cp", "variants/shadowing_std_db=4/", 0) == (
        "results/cfmmimo/variants/shadowing_std_db=4/channels/batch0.nc")
    assert CF.upstream(reg, "designs/cp", "", 0) == "results/cfmmimo/channels/batch0.nc"


def test_a_solver_option_reruns_only_the_schemes_that_read_it(tmp_path):
    """An SP-only option (sp_stall_window) in a scenario: the SP designs get a variant folder, the CP, paper-CP and
    baseline designs are the default run's files; a CP option reaches every scheme but the baseline."""
    scen = _scenarios(tmp_path, "stall:\n  cfmmimo:\n    solver:\n      sp_stall_window: 5\n"
                                "tol:\n  cfmmimo:\n    solver:\n      rel_tol: 0.001\n")
    reg = registry.registry(DEFAULT, scen)
    stall, tol = reg.scenarios["stall"], reg.scenarios["tol"]
    assert {s: variant(stall, "cfmmimo", f"designs/{s}") for s in CF.schemes} == {
        "cp": "", "sp": "variants/sp_stall_window=5/", "sp_early": "variants/sp_stall_window=5/",
        "cp_paper": "", "sp_paper": "variants/sp_stall_window=5/", "baseline": ""}
    assert {s for s in CF.schemes if variant(tol, "cfmmimo", f"designs/{s}")} == set(CF.schemes) - {"baseline"}
    base4 = set(CF.designs(reg.base, "fig4"))
    mine = CF.designs(stall, "fig4")
    assert {f for f in mine if "/designs/cp/" in f or "/designs/baseline/" in f} <= base4
    assert all(f.startswith("results/cfmmimo/variants/sp_stall_window=5/") for f in mine if "/designs/sp/" in f)
    # the job of a scheme receives only the options it reads (changing another one leaves its params unchanged)
    k0 = DEFAULT["cfmmimo"]["system"]["kappa_db"]
    cp = json.loads(CF.optimise_config(reg.config("cfmmimo", "designs/cp", ""), "cp", k0, 0))
    sp = json.loads(CF.optimise_config(reg.config("cfmmimo", "designs/sp", "variants/sp_stall_window=5/"), "sp", k0, 0))
    assert "sp_stall_window" not in cp["solver"] and sp["solver"]["sp_stall_window"] == 5
    assert cp == json.loads(CF.optimise_config(stall.config, "cp", k0, 0))
    assert CF.upstream(reg, "designs/sp", "variants/sp_stall_window=5/", 0) == "results/cfmmimo/channels/batch0.nc"
    with pytest.raises(ValueError, match="kind"):
        CF.scope(DEFAULT, "designs")  # a design folder belongs to one scheme


def test_optimise_runtime_request_grows_with_the_system_size():
    """SLURM runtime of one cfmmimo_optimise job: 15 min at paper size (batch 50), linear in M K above it."""
    assert CF.optimise_runtime(DEFAULT) == 15
    small = _config({"cfmmimo": {"system": {"M": 8, "K": 2}, "batch_size": 2}})
    assert CF.optimise_runtime(small) == 5
    big = _config({"cfmmimo": {"system": {"M": 128, "K": 16}}})
    assert CF.optimise_runtime(big) == 16 * 15
    # user-centric clusters (docs/extensions/city-scale.md): M (K + 2L)^2 / 2e5 instead of M K / 128
    city = _config({"cfmmimo": {"system": {"M": 512, "K": 32, "L": 8, "cluster_size": 8}, "batch_size": 5,
                                "fig4": {"schemes": ["cp", "sp", "baseline"]}}})
    assert CF.optimise_runtime(city) == -(-int(2 * 9 * 5 * 512 * 48**2 / 2e5) // 60) == 9
    dense = _config({"cfmmimo": {"system": {"M": 512, "K": 32, "L": 8, "cluster_size": 512}, "batch_size": 5,
                                 "sweeps": {"M": None}}})
    assert CF.optimise_runtime(dense) == 2 * 9 * 5 * 128 // 60  # cluster_size = M: every AP serves every UE


def test_sensitivity_runs_stay_out_of_the_scenario_targets():
    """The sensitivity set (reference + config/sensitivity.yaml) lives under results/sensitivity/<name>/; the
    `scenarios` target and its comparison do not build or read it; the reference shares the default run's Fig. 4
    designs (its overlay only cuts layouts and schemes)."""
    from pathlib import Path

    from secure_isac.pipeline.config import load_sensitivity

    sens = load_sensitivity(DEFAULT, REPO / "config" / "sensitivity.yaml")
    assert list(sens)[0] == "reference" and "zeta_two_way" in sens
    reg = registry.registry(DEFAULT, {}, sensitivity=sens)
    assert reg.runs["sensitivity/reference/"] is reg.sensitivity["reference"]
    assert reg.studies("sensitivity/nu_db/") == ("cfmmimo", "dfbs")
    assert not any("sensitivity/" in f for f in targets.scenario_files(reg) + targets.summary_inputs(reg))
    inputs = targets.sensitivity_inputs(reg)
    assert list(inputs)[0] == "reference"
    # nu_db changes study 1 only: its study-2 claims are the reference's (same configuration, same datasets)
    assert inputs["nu_db"] == ["results/sensitivity/nu_db/cfmmimo/claims_intervals.csv",
                               "results/sensitivity/reference/dfbs/claims.csv"]
    assert inputs["tie_smallest"] == ["results/sensitivity/reference/cfmmimo/claims_intervals.csv",
                                      "results/sensitivity/tie_smallest/dfbs/claims.csv"]
    ref = reg.sensitivity["reference"]
    assert set(CF.designs(ref, "fig4")) <= set(CF.designs(reg.base, "fig4"))
    assert variant(reg.sensitivity["zeta_two_way"], "cfmmimo", "layouts") == ""  # the switch shapes no geometry
    assert variant(reg.sensitivity["zeta_two_way"], "cfmmimo", "channels") != ""
    assert Path(REPO / "config" / "sensitivity.yaml").is_file()
