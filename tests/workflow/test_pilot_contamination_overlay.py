"""config/pilot_contamination.yaml (docs/extensions/pilot-contamination.md): the tau_p sweep of both pilot
assignments plans on the toy configuration (dry run), with the greedy one as the scenario of
config/pilot_contamination_scenarios.yaml."""

from __future__ import annotations

from conftest import REPO, TEST_CONFIG, dry_run

OVERLAY = REPO / "config" / "pilot_contamination.yaml"
GREEDY = ("results/scenarios/greedy_pilots/cfmmimo/sweeps/tau_p.nc",
          "figures/scenarios/greedy_pilots/cfmmimo/sweep_tau_p.png")


def test_pilot_sweep_overlay_plans_both_assignments(tmp_path):
    # 4 layouts per value (a --config override the scenario inherits), in batches of 2 (the toy batch_size)
    counts, text = dry_run(tmp_path, "sweeps", *GREEDY, "--config", "cfmmimo={sweeps: {tau_p: {n_layouts: 4}}}",
                           configfiles=(TEST_CONFIG, OVERLAY))
    values, batches = 5, 2  # tau_p in [1, 2, 3, 4, 6] for each of random (the base) and greedy (the scenario)
    assert counts["cfmmimo_sweep_value"] == 2 * values, text[-3000:]
    assert counts["cfmmimo_sweep"] == 2 and counts["plot"] == 2
    assert counts["cfmmimo_channels"] == 2 * values * batches
    assert counts["cfmmimo_optimise"] == 2 * values * batches * 3  # cp, sp, baseline
    assert "dfbs" not in "".join(counts)  # the overlay drops the study-2 sweep
    assert "variants/tau_p=1/channels" in text and "variants/pilot_assignment=greedy,tau_p=1/channels" in text
