"""config/eve_uncertainty.yaml (eavesdroppers off the zone centre, docs/extensions/eavesdroppers.md): its sweep over
the radius and its colluding scenario plan the jobs the overlay implies (dry runs), and a paper-SCA scheme under a
robust grid stops at validation, naming the scheme list."""

from __future__ import annotations

import pytest
import yaml

from secure_isac.pipeline import config as wconfig
from secure_isac.pipeline.settings import workflow as settings

from conftest import REPO, dry_run

OVERLAY = REPO / "config" / "eve_uncertainty.yaml"
SCENARIOS = REPO / "config" / "eve_uncertainty_scenarios.yaml"


def _sweep(doc: dict) -> dict:
    return doc["cfmmimo"]["sweeps"]["eve_radius_m"]


def test_overlay_sweep_dry_run(tmp_path):
    over = yaml.safe_load(OVERLAY.read_text())
    sweep = _sweep(over)
    assert sweep["values"][0] == 0.0 and max(sweep["values"]) == 50.0
    counts, text = dry_run(tmp_path, "sweeps", configfiles=(OVERLAY,))
    batches = -(-sweep["n_layouts"] // over["cfmmimo"].get("batch_size", settings.defaults()["cfmmimo"]["batch_size"]))
    n = len(sweep["values"])
    # every radius has its own channels (the eavesdroppers' geometry), the layouts are shared; no other sweep
    assert counts["cfmmimo_optimise"] == n * len(sweep["schemes"]) * batches, text[-3000:]
    assert counts["cfmmimo_channels"] == n * batches and counts["cfmmimo_layouts"] == batches
    assert counts["cfmmimo_sweep_value"] == n and counts["cfmmimo_sweep"] == 1 and counts["plot"] == 1
    assert not any(k.startswith("dfbs") for k in counts)


def test_overlay_colluding_scenario_dry_run(tmp_path):
    scen = yaml.safe_load(SCENARIOS.read_text())
    assert scen["colluding"]["cfmmimo"]["system"]["eve_collusion"] is True
    assert _sweep(scen["colluding"]) == _sweep(yaml.safe_load(OVERLAY.read_text()))  # the same radii and layouts
    _, text = dry_run(tmp_path, "scenarios", configfiles=(OVERLAY,))
    assert "results/scenarios/colluding/cfmmimo/sweeps/eve_radius_m.nc" in text


def test_paper_sca_under_a_robust_grid_stops_at_validation():
    cfg = wconfig.deep_merge(settings.defaults(), yaml.safe_load(OVERLAY.read_text()))
    wconfig.validate_config(cfg)
    cfg["cfmmimo"]["fig4"]["schemes"] = ["cp", "sp", "baseline", "cp_paper"]
    with pytest.raises(wconfig.ConfigError, match=r"fig4\.schemes: eve_design: the paper's SCA \(cp_paper\)"):
        wconfig.validate_config(cfg)


def test_overlay_sensitivity_set_is_its_own(tmp_path):
    """The overlay's sensitivity set (config/eve_uncertainty_sensitivity.yaml) plans its three design choices plus
    the reference; the default set, merged over this overlay, would list schemes the model refuses (the paper's SCA
    under a grid, the coherent design with eavesdroppers off the centre) and stop at parse time."""
    over = yaml.safe_load(OVERLAY.read_text())
    assert over["sensitivity"]["file"] == "config/eve_uncertainty_sensitivity.yaml"
    _, text = dry_run(tmp_path, "sensitivity", configfiles=(OVERLAY,))
    for name in ("reference", "eve_design_centre", "eve_design_robust", "eve_colluding"):
        assert f"results/sensitivity/{name}/" in text, text[-3000:]
    cfg = wconfig.deep_merge(settings.defaults(), over)
    cfg["sensitivity"]["file"] = "config/sensitivity.yaml"
    base = wconfig.validate_config(cfg)
    with pytest.raises(wconfig.ConfigError, match="cp_paper"):
        wconfig.load_sensitivity(base, REPO / "config" / "sensitivity.yaml")
