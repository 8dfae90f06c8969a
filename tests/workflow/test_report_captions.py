"""The report's captions (pipeline.report, each study's pipeline/studies/captions/<study>.py), built in-process from
a registry: one per figure and claims table of every run, the run's own values and toy label filled in, a
scenario's named; only a command that makes a report carries them."""

from __future__ import annotations

import re

import pytest
import yaml

from secure_isac.pipeline import registry, report, scale
from secure_isac.pipeline.config import deep_merge, load_scenarios, validate_config
from secure_isac.pipeline.studies import all_studies

from conftest import REPO

DEFAULT = validate_config(yaml.safe_load((REPO / "config" / "config.yaml").read_text()))
TOY = validate_config(deep_merge(DEFAULT, yaml.safe_load((REPO / "config" / "test.yaml").read_text())))


def _captions(config, scenarios=None):
    reg = registry.registry(config, scenarios)
    return reg, report.captions(reg, lambda prefix, studies: scale.run_label(reg.runs[prefix].config, studies))


def test_every_figure_and_claims_table_of_every_run_has_its_caption():
    reg, cap = _captions(TOY, load_scenarios(TOY, REPO / "config" / "scenarios.yaml"))
    files = cap["files"]
    for prefix in reg.runs:
        for st in all_studies(reg.studies(prefix)):
            for figure in (*st.plots, "claims"):
                text = files[report.key(prefix, st.name, figure)]
                assert st.title.split(":")[0] in text, (prefix, st.name, figure)  # "Study 1", "Study 2"
                assert not re.search(r"\{\w+(\[\w+\])?\}", text), text  # every field filled in
    for prefix, st, key in reg.sweeps:
        assert f"sweep of ``{key}``" in files[report.key(prefix, st, f"sweep_{key}")]
    assert [s.split(" (``")[0] for s in cap["studies"]] == ["study 1", "study 2"]


def test_captions_carry_the_runs_values_toy_label_and_name(tmp_path):
    overlay = {"strict_sensing": {"cfmmimo": {"system": {"kappa_db": 10.0}, "fig4": {"n_layouts": 3}}}}
    (tmp_path / "scenarios.yaml").write_text(yaml.safe_dump(overlay))
    scenarios = load_scenarios(TOY, tmp_path / "scenarios.yaml")
    reg, cap = _captions(TOY, scenarios)
    files = cap["files"]
    base, scen = files["cfmmimo/fig4"], files["scenarios/strict_sensing/cfmmimo/fig4"]
    assert f"CDF over ``{TOY['cfmmimo']['fig4']['n_layouts']}`` layouts" in base
    assert "``results/cfmmimo/fig4.nc``" in base
    # the scenario's own count and folder (the templates used to show the default run's values)
    assert "CDF over ``3`` layouts" in scen and "results/scenarios/strict_sensing/cfmmimo/fig4.nc" in scen
    assert scen.startswith("**toy configuration (") and "Scenario ``strict_sensing``" in scen
    assert files["cfmmimo/claims"].startswith("**toy configuration (2-4 layouts")
    # study 2 has no random layouts: never a toy; its captions carry its own configuration values
    assert "toy" not in files["dfbs/fig2"] and f"P = ``{TOY['dfbs']['fig2']['power_dbm']}`` dBm" in files["dfbs/fig2"]
    _, paper = _captions(DEFAULT)
    assert not paper["files"]["cfmmimo/fig4"].startswith("**")


@pytest.mark.parametrize(("argv", "makes"), [
    (["snakemake", "--report", "r.html"], True), (["snakemake", "--report=r.html"], True),
    (["snakemake", "--report-after-run", "--report", "r.html", "--cores", "2"], True),
    (["snakemake", "--cores", "2"], False), (["snakemake", "-n", "figures"], False),
])
def test_only_a_report_carries_the_captions(argv, makes):
    assert report.makes_report(argv) is makes
