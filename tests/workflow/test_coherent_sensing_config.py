"""The coherent-design configuration files (config/coherent_sensing.yaml, the sensing_coherent_design entry of
config/sensitivity.yaml) validate, and solver.sensing_design reruns only the schemes that read it
(cfmmimo.options.FIELDS_READ): the baseline and paper-SCA designs of the coherent-design run are those of the
run that only re-evaluates coherently."""

from __future__ import annotations

import json

import yaml

from secure_isac.pipeline import registry
from secure_isac.pipeline.config import deep_merge, load_scenarios, load_sensitivity, validate_config
from secure_isac.pipeline.runs import variant
from secure_isac.pipeline.studies import study

from conftest import REPO

CF = study("cfmmimo")

DEFAULT = validate_config(yaml.safe_load((REPO / "config" / "config.yaml").read_text()))


def test_coherent_scenarios_file_and_sensitivity_entry_validate():
    scen = load_scenarios(DEFAULT, REPO / "config" / "coherent_sensing.yaml")
    assert list(scen) == ["coherent_reported", "coherent_design"]
    assert scen["coherent_design"]["cfmmimo"]["solver"]["sensing_design"] == "coherent"
    assert scen["coherent_reported"]["cfmmimo"]["solver"]["sensing_design"] == "noncoherent"
    for cfg in scen.values():
        assert cfg["cfmmimo"]["system"]["sensing_combining"] == "coherent"
    toy = validate_config(deep_merge(DEFAULT, yaml.safe_load((REPO / "config" / "test.yaml").read_text())))
    registry.registry(toy, load_scenarios(toy, REPO / "config" / "coherent_sensing.yaml"))
    sens = load_sensitivity(DEFAULT, REPO / "config" / "sensitivity.yaml")
    assert sens["sensing_coherent_design"]["cfmmimo"]["solver"]["sensing_design"] == "coherent"


def test_sensing_design_reruns_only_the_schemes_that_read_it():
    scen = load_scenarios(DEFAULT, REPO / "config" / "coherent_sensing.yaml")
    reg = registry.registry(DEFAULT, scen)
    rep, coh = reg.scenarios["coherent_reported"], reg.scenarios["coherent_design"]
    changed = {s for s in CF.schemes
               if variant(coh, "cfmmimo", f"designs/{s}") != variant(rep, "cfmmimo", f"designs/{s}")}
    assert changed == {"cp", "sp", "sp_early"}
    k0 = DEFAULT["cfmmimo"]["system"]["kappa_db"]
    for scheme in ("baseline", "cp_paper", "sp_paper"):
        assert "sensing_design" not in json.loads(CF.optimise_config(coh.config, scheme, k0, 0))["solver"]
    cp = json.loads(CF.optimise_config(coh.config, "cp", k0, 0))
    assert cp["solver"]["sensing_design"] == "coherent"
