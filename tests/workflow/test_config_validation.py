"""Bad configuration stops the run before any job (and before any large list is built), naming the key.

Each case runs in-process through registry.parse_time, the function the Snakefile calls on the configuration
snakemake merged (read and merged here by snakemake's own reader and merge: config/config.yaml, config/test.yaml,
the bad file); WIRED cases, one per stage of that function (and the --config route), run through a real
`snakemake -n` too, proving that the Snakefile calls it (and stops before any job)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from snakemake.common.configfile import load_configfile
from snakemake.utils import update_config

from secure_isac.pipeline import registry
from secure_isac.pipeline.errors import ConfigError

from conftest import REPO, TEST_CONFIG, dry_run, snakemake


def _bad_file(tmp_path, override: dict | None, yaml_text: str | None) -> Path:
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml_text if yaml_text is not None else yaml.safe_dump(override))
    return bad


def _fails_in_process(tmp_path, override: dict | None = None, *, yaml_text: str | None = None) -> str:
    """The ConfigError message of the Snakefile's parse-time route for `--configfile config/test.yaml bad.yaml`."""
    files = [REPO / "config" / "config.yaml", TEST_CONFIG, _bad_file(tmp_path, override, yaml_text)]
    config: dict = {}
    for path in files:  # as snakemake merges them: the Snakefile's configfile, then each --configfile in order
        update_config(config, load_configfile(path))
    with pytest.raises(ConfigError) as info:
        registry.parse_time(config, files, tmp_path, REPO)
    return str(info.value)


def _fails(tmp_path, override: dict | None = None, *extra: str, yaml_text: str | None = None) -> str:
    """The output of a real `snakemake -n` with the bad file, which must fail before any job."""
    bad = _bad_file(tmp_path, override, yaml_text)
    # a short timeout: every check runs at parse time (the unbounded sweeps used to grow to 24 GB here)
    proc = snakemake("-n", "--cores", "1", *extra, "--configfile", str(TEST_CONFIG), str(bad), directory=tmp_path,
                     check=False, timeout=120)
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0, text[-3000:]
    assert not (tmp_path / "results").exists() and not (tmp_path / "logs").exists()
    return text


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"cfmmimo": {"system": {"M": "many"}}}, "cfmmimo.system.M"),
        ({"cfmmimo": {"fig3": {"n_layout": 3}}}, "n_layout"),
        ({"cfmmimo": {"solver": {"solver": "MOSEK"}}}, "cfmmimo.solver.solver"),
        ({"seeed": 1}, "seeed"),
        ({"cfmmimo": {"system": {"d0_m": 80.0}}}, "d0_m"),
        # schema and library used to disagree: these passed the schema and failed (or ran wrong) later
        ({"cfmmimo": {"system": {"M": 1}}}, "cfmmimo.system.M"),
        ({"cfmmimo": {"system": {"noise_figure_db": -500.0}}}, "cfmmimo.system.noise_figure_db"),
        ({"dfbs": {"fig2": {"power_dbm": 1000.0}}}, "dfbs.fig2.power_dbm"),
        ({"dfbs": {"fig2": {"power_dbm": 90.0}, "params": {"noise_dbm": -20.0}}}, "power_dbm"),
        ({"dfbs": {"params": {"grid_step_deg": 500.0}}}, "dfbs.params.grid_step_deg"),
        ({"dfbs": {"params": {"grid_step_deg": 12.0}}}, "grid_step_deg"),
        ({"dfbs": {"params": {"target_angles_deg": [-50.0, -20.0, -20.0, 20.0]}}}, "target_angles_deg"),
        ({"dfbs": {"params": {"eve_angles_deg": [20.0, 20.0]}}}, "eve_angles_deg"),
        ({"dfbs": {"params": {"grid_start_deg": 0.0}}}, "target_angles_deg"),
        ({"cfmmimo": {"fig3": {"kappa_db": [0.0, math.nan]}}}, "cfmmimo.fig3.kappa_db[1]"),
        ({"cfmmimo": {"fig3": {"kappa_db": [0.0, -math.inf]}}}, "cfmmimo.fig3.kappa_db[1]"),
        ({"dfbs": {"fig4": {"power_dbm": [5.0, math.inf]}}}, "dfbs.fig4.power_dbm[1]"),
        ({"cfmmimo": {"system": {"nu": math.nan}}}, "cfmmimo.system.nu"),
        ({"cfmmimo": {"system": {"kappa_db": math.inf}}}, "cfmmimo.system.kappa_db"),
        ({"cfmmimo": {"fig3": {"kappa_db": []}}}, "cfmmimo.fig3.kappa_db"),
        ({"cfmmimo": {"fig3": {"kappa_db": [1.0, 1.0]}}}, "cfmmimo.fig3.kappa_db"),
        ({"dfbs": {"params": {"n_antennas": 1000000}}}, "dfbs.params.n_antennas"),
        # unbounded sweeps: stopped by the limits before any list of jobs exists, with the count
        ({"dfbs": {"fig3": {"secrecy_step": 1.0e-9}}}, "dfbs.fig3.secrecy_step"),
        ({"dfbs": {"fig3": {"secrecy_step": 0.001}}}, "limits.max_points"),
        ({"cfmmimo": {"fig4": {"n_layouts": 1000000000}}}, "cfmmimo.fig4.n_layouts"),
        ({"cfmmimo": {"fig4": {"n_layouts": 20000}}}, "limits.max_layouts"),
        ({"cfmmimo": {"fig3": {"n_layouts": 9000}, "batch_size": 1}}, "limits.max_jobs"),
        # sweeps: the key and every value checked like the configuration itself, before any job
        ({"cfmmimo": {"sweeps": {"Kx": {"values": [2, 3]}}}}, "cfmmimo.sweeps.Kx"),
        ({"cfmmimo": {"sweeps": {"K": {"values": [2, 0]}}}}, "cfmmimo.sweeps.K.values[1]"),
        ({"cfmmimo": {"sweeps": {"K": {"values": []}}}}, "cfmmimo.sweeps.K.values"),
        ({"cfmmimo": {"sweeps": {"M": {"values": [8], "n_layouts": 10**9}}}}, "cfmmimo.sweeps.M.n_layouts"),
        ({"dfbs": {"sweeps": {"n_rff": {"values": [2]}}}}, "dfbs.sweeps.n_rff"),
        ({"dfbs": {"sweeps": {"target_angles_deg": {"values": [1.0]}}}}, "dfbs.sweeps.target_angles_deg"),
        ({"dfbs": {"sweeps": {"power_dbm": {"values": [5.0, 1000.0]}}}}, "dfbs.sweeps.power_dbm.values[1]"),
        ({"dfbs": {"sweeps": {"n_rf": {"values": [4], "schemes": ["aa", "sdr"]}}}}, "dfbs.sweeps.n_rf.schemes"),
        ({"scenarios": {"file": "config/no-such-scenarios.yaml"}}, "no-such-scenarios.yaml: no such file"),
        # pilot contamination (docs/extensions/pilot-contamination.md); the toy configuration has K = 2
        ({"cfmmimo": {"system": {"tau_p": 0, "pilot_assignment": "random"}}}, "cfmmimo.system.tau_p"),
        ({"cfmmimo": {"system": {"pilot_assignment": "rand"}}}, "cfmmimo.system.pilot_assignment"),
        ({"cfmmimo": {"system": {"tau_p": 200, "pilot_assignment": "random"}}}, "cfmmimo.system.tau_p"),
        ({"cfmmimo": {"sweeps": {"tau_p": {"values": [2, 1]}}}}, "cfmmimo.sweeps.tau_p.values[1]: pilot_assignment"),
        ({"cfmmimo": {"system": {"tau_p": 1, "pilot_assignment": "greedy"}}}, "cfmmimo.fig4.schemes: tau_p"),
        # user-centric clusters: the size is bounded by M, and the paper-faithful schemes cannot serve clusters
        ({"cfmmimo": {"system": {"cluster_size": 33}}}, "cfmmimo.system.cluster_size"),
        ({"cfmmimo": {"system": {"cluster_size": 2.5}}}, "cfmmimo.system.cluster_size"),
        ({"cfmmimo": {"system": {"cluster_size": 4}}}, "cfmmimo.fig4.schemes: cluster_size: user-centric"),
        ({"cfmmimo": {"sweeps": {"cluster_size": {"values": [2, 4], "schemes": ["cp_paper"]}}}},
         "cfmmimo.sweeps.cluster_size.schemes: cluster_size:"),
        # clusters with pilot reuse or with designs optimised under coherent sensing: refused, naming both keys
        ({"cfmmimo": {"system": {"M": 8, "K": 4, "cluster_size": 2, "tau_p": 2, "pilot_assignment": "random"}}},
         "cluster_size, tau_p: user-centric clusters"),
        ({"cfmmimo": {"system": {"cluster_size": 4}, "fig2": {"schemes": ["cp", "sp"]},
                      "fig3": {"schemes": ["cp", "sp"]}, "fig4": {"schemes": ["cp", "sp", "baseline"]},
                      "solver": {"sensing_design": "coherent"}}},
         "cfmmimo.fig2.schemes: cluster_size, sensing_design: user-centric clusters"),
    ],
)
def test_bad_config_fails_before_any_job(tmp_path, override, expected):
    text = _fails_in_process(tmp_path, override)
    assert expected in text, text


# one case per stage of registry.parse_time (schema, limits, sweeps, scenarios file, a key given twice) through
# snakemake: the Snakefile calls it, with the files snakemake read, before any job
WIRED = [
    ({"cfmmimo": {"system": {"M": "many"}}}, None, "cfmmimo.system.M"),
    ({"cfmmimo": {"fig4": {"n_layouts": 20000}}}, None, "limits.max_layouts"),
    ({"cfmmimo": {"sweeps": {"K": {"values": [2, 0]}}}}, None, "cfmmimo.sweeps.K.values[1]"),
    ({"scenarios": {"file": "config/no-such-scenarios.yaml"}}, None, "no-such-scenarios.yaml: no such file"),
    (None, "seed: 1\ncfmmimo: {}\nseed: 2\n", "key 'seed' is given twice (lines 1 and 3"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("override", "yaml_text", "expected"), WIRED, ids=["schema", "limits", "sweeps", "scenarios",
                                                                          "twice"])
def test_the_snakefile_stops_at_a_bad_config(tmp_path, override, yaml_text, expected):
    text = _fails(tmp_path, override, yaml_text=yaml_text)
    assert expected in text, text[-3000:]


def test_yaml_1_1_number_gets_a_hint(tmp_path):
    text = _fails_in_process(tmp_path, yaml_text="cfmmimo:\n  system:\n    rho_w: 1e3\n")
    assert "cfmmimo.system.rho_w" in text and "1.0e+3" in text, text


def test_nested_config_override_is_typed(tmp_path):
    """`--config 'cfmmimo={batch_size: 3}'` means the YAML value 3 (it used to arrive as the text '3')."""
    counts, text = dry_run(tmp_path, "--config", "cfmmimo={batch_size: 3, fig4: {n_layouts: 6}}")
    # 6 layouts in batches of 3: 2 layout batches (the toy's fig3 and fig2 layouts lie in batch 0)
    assert counts["cfmmimo_layouts"] == 2, text[-3000:]
    (tmp_path / "bad").mkdir()
    text = _fails(tmp_path / "bad", None, "--config", "cfmmimo={system: {M: 1}}", yaml_text="{}")
    assert "cfmmimo.system.M" in text, text[-3000:]


def test_quoted_text_in_a_config_file_stays_text(tmp_path):
    """Only --config values are re-typed: a quoted '8' in a --configfile is text and rejected naming the key (it used
    to be re-read as the number 8 and accepted)."""
    text = _fails_in_process(tmp_path, yaml_text="cfmmimo: {fig4: {n_layouts: '8'}}\n")
    assert "cfmmimo.fig4.n_layouts" in text, text


def test_switches_of_the_ngo_special_case_are_accepted(tmp_path):
    counts, text = dry_run(tmp_path, "--config", "cfmmimo={system: {nu: .inf, kappa_db: -.inf}}")
    assert counts["cfmmimo_optimise"] > 0, text[-3000:]
    assert "kappa-inf" in text
