"""Figures drawn from several runs' datasets (workflow/rules/extensions.smk, Study.extension_figures): the overlays of
the extensions plan their figure from the sweep (or Fig. 3) datasets of the base run and its scenarios, one line per
run; the default configuration has none; a toy run draws one from the workflow's own datasets."""

from __future__ import annotations

import re

import numpy as np
import pytest
import xarray as xr
from PIL import Image

from secure_isac.pipeline import config as wconfig
from secure_isac.pipeline.runs import Run
from secure_isac.pipeline.settings import workflow as settings
from secure_isac.pipeline.studies import study

from conftest import REPO, TEST_CONFIG, dry_run, snakemake

EVE = REPO / "config" / "eve_uncertainty.yaml"
PILOTS = REPO / "config" / "pilot_contamination.yaml"


def _inputs(text: str, figure: str) -> list[str]:
    """The data inputs of the dry run's extension_plot job that writes figures/cfmmimo/<figure>.png."""
    for block in text.split("rule ")[1:]:  # one job per block, however the console separates them
        if block.startswith("extension_plot:") and f"figures/cfmmimo/{figure}.png" in block:
            return re.search(r"input: ([^\n]+)", block).group(1).split(", ")
    raise AssertionError(f"no extension_plot job for {figure}:\n{text[-3000:]}")


def _runs(base_overlay: dict, scenarios: dict[str, dict]) -> list[Run]:
    base = wconfig.deep_merge(settings.defaults(), base_overlay)
    return [Run(base, base, ""), *(Run(wconfig.deep_merge(base, over), base, f"scenarios/{name}/")
                                   for name, over in scenarios.items())]


def test_eve_overlay_plans_the_radius_figure_from_both_sweeps(tmp_path):
    counts, text = dry_run(tmp_path, "extensions", configfiles=(TEST_CONFIG, EVE))
    assert counts["extension_plot"] == 1, text[-3000:]
    assert sorted(_inputs(text, "eve_uncertainty")) == [
        "results/cfmmimo/sweeps/eve_radius_m.nc", "results/scenarios/colluding/cfmmimo/sweeps/eve_radius_m.nc"]
    assert counts["cfmmimo_sweep"] == 2 and "plot" not in counts  # the sweeps' own figures are not asked for


def test_coherent_scenarios_plan_the_coherent_design_figure(tmp_path):
    counts, text = dry_run(tmp_path, "extensions", "--config", "scenarios={file: config/coherent_sensing.yaml}")
    assert counts["extension_plot"] == 1, text[-3000:]
    assert sorted(_inputs(text, "coherent_design")) == ["results/scenarios/coherent_design/cfmmimo/fig3.nc",
                                                        "results/scenarios/coherent_reported/cfmmimo/fig3.nc"]


def test_extension_figures_of_the_study():
    """One line per run that has the data, labelled by its model; a second run with the same model gets its scenario
    name; the coherent figure needs exactly one run of each design on the same layouts; the default run has none."""
    cf = study("cfmmimo")
    assert cf.extension_figures(_runs({}, {}), {"": set()}) == {}
    eve = {"cfmmimo": {"system": {"eve_position": "disc", "eve_radius_m": 20.0, "eve_design": "robust_bound"}}}
    runs = _runs(eve, {"colluding": {"cfmmimo": {"system": {"eve_collusion": True}}},
                       "again": {"cfmmimo": {"system": {"eve_collusion": True}}}, "none": {}})
    swept = {"": {"eve_radius_m"}, "scenarios/colluding/": {"eve_radius_m"}, "scenarios/again/": {"eve_radius_m"},
             "scenarios/none/": set()}
    assert cf.extension_figures(runs, swept) == {"eve_uncertainty": {
        "independent": "results/cfmmimo/sweeps/eve_radius_m.nc",
        "colluding": "results/scenarios/colluding/cfmmimo/sweeps/eve_radius_m.nc",
        "colluding, scenarios/again": "results/scenarios/again/cfmmimo/sweeps/eve_radius_m.nc"}}
    # the radius sweep of eavesdroppers at the centre has no unseen positions to draw
    assert cf.extension_figures(_runs({}, {}), {"": {"eve_radius_m"}}) == {}
    pilots = _runs({"cfmmimo": {"system": {"pilot_assignment": "random"}}},
                   {"greedy_pilots": {"cfmmimo": {"system": {"pilot_assignment": "greedy"}}}})
    got = cf.extension_figures(pilots, {"": {"tau_p"}, "scenarios/greedy_pilots/": {"tau_p"}})
    assert got == {"pilot_contamination": {"random": "results/cfmmimo/sweeps/tau_p.nc",
                                           "greedy": "results/scenarios/greedy_pilots/cfmmimo/sweeps/tau_p.nc"}}
    coherent = {"coherent_reported": {"cfmmimo": {"system": {"sensing_combining": "coherent"}}},
                "coherent_design": {"cfmmimo": {"system": {"sensing_combining": "coherent"},
                                                "solver": {"sensing_design": "coherent"}}}}
    got = cf.extension_figures(_runs({}, coherent), {})
    assert got == {"coherent_design": {"reported": "results/scenarios/coherent_reported/cfmmimo/fig3.nc",
                                       "coherent": "results/scenarios/coherent_design/cfmmimo/fig3.nc"}}
    other_layouts = {**coherent, "coherent_design": {"cfmmimo": {**coherent["coherent_design"]["cfmmimo"],
                                                                 "fig3": {"n_layouts": 7}}}}
    assert cf.extension_figures(_runs({}, other_layouts), {}) == {}
    assert cf.extension_figures(_runs({}, {"coherent_reported": coherent["coherent_reported"]}), {}) == {}
    assert set(cf.extension_plotters()) == {"eve_uncertainty", "pilot_contamination", "coherent_design"}
    assert study("dfbs").extension_figures(runs, swept) == {}


def test_unknown_extension_figure_is_named():
    from secure_isac.pipeline.plots import plot_extension_file

    with pytest.raises(ValueError, match="^figure: unknown cfmmimo extension figure 'nope'"):
        plot_extension_file("cfmmimo", "nope", {"a": "x.nc"}, "out")


def test_toy_pilot_contamination_figure_from_the_workflow_datasets(tmp_path):
    """A real toy run of `extensions` with the pilot overlay: both assignments' tau_p sweeps (2 values, 2 layouts, CP)
    and the two-assignment figure drawn from them; afterwards nothing is left to do."""
    import xarray as xr

    config = ("--configfile", str(TEST_CONFIG), str(PILOTS), "--config",
              "cfmmimo={sweeps: {tau_p: {values: [1, 4], n_layouts: 2, schemes: [cp]}}}")
    snakemake("--cores", "2", "extensions", *config, directory=tmp_path, timeout=900)
    for ext in ("pdf", "png"):
        assert (tmp_path / "figures" / "cfmmimo" / f"pilot_contamination.{ext}").stat().st_size > 0
    log = (tmp_path / "logs" / "cfmmimo" / "plot" / "pilot_contamination.log").read_text()
    assert "wrote figures/cfmmimo/pilot_contamination.{pdf,png}" in log
    # a toy run's figure says so, in the image and in its metadata (2 layouts per point, the paper's 50)
    label = "toy configuration (2 layouts per point, the paper's 50): verdicts not meaningful"
    assert f"({label})" in log
    assert Image.open(tmp_path / "figures" / "cfmmimo" / "pilot_contamination.png").info["Description"].startswith(
        label)
    for prefix, how in (("", "random"), ("scenarios/greedy_pilots/", "greedy")):
        ds = xr.open_dataset(tmp_path / "results" / prefix / "cfmmimo" / "sweeps" / "tau_p.nc")
        assert ds.attrs["pilot_assignment"] == how and [int(v) for v in ds["tau_p"].values] == [1, 4]
    again = snakemake("-n", "--cores", "2", "extensions", *config, directory=tmp_path)
    assert "extension_plot" not in again.stdout + again.stderr


def test_extension_toy_label_from_the_layouts_per_point():
    """An extension figure is a toy when a dataset it draws has fewer layouts per point than the paper's smallest
    count (study 1: Fig. 3's 50); study 2 has no random layouts and never is."""
    from secure_isac.pipeline.plots import extension_toy_label

    def ds(n):
        return xr.Dataset({"feasible": ("layout", np.ones(n))})

    assert extension_toy_label("cfmmimo", [ds(50), ds(50)]) == ""
    assert extension_toy_label("cfmmimo", [ds(50), ds(4)]) == (
        "toy configuration (4-50 layouts per point, the paper's 50): verdicts not meaningful")
    assert extension_toy_label("cfmmimo", [ds(20)]).startswith("toy configuration (20 layouts per point")
    assert extension_toy_label("dfbs", [ds(2)]) == ""


@pytest.mark.parametrize("style", ["paper", "screen"])
def test_save_figure_draws_the_toy_label_on_the_figure(tmp_path, style):
    """The toy label is on the image (the top line, kept at paper style, which moves the titles out) with a faint
    "toy" across each panel, and leads the PNG's description; without a label the figure has neither."""
    import matplotlib.pyplot as plt

    from secure_isac.plotting import save_figure, use_style

    label = "toy configuration (2 layouts per point, the paper's 50): verdicts not meaningful"
    seen = {}
    with use_style(style):
        for name, toy in (("toy", label), ("full", "")):
            fig, ax = plt.subplots()
            ax.plot([0, 1], [0, 1])
            fig.suptitle("a title")
            save_figure(fig, tmp_path / name, toy=toy)  # closed, still readable
            seen[name] = (fig.get_suptitle(), [t.get_text() for t in ax.texts],
                          Image.open(tmp_path / f"{name}.png").info.get("Description", ""))
    (sup, texts, desc), (sup_full, texts_full, desc_full) = seen["toy"], seen["full"]
    assert " ".join(sup.split()).endswith(label) and texts == ["toy"] and desc.startswith(label)
    assert "toy" not in sup_full and texts_full == [] and "toy" not in desc_full
