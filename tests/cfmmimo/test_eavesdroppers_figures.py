"""Figures of the eavesdropper extension (docs/extensions/eavesdroppers.md) draw from their datasets: the sweep
figure with the violation and unseen-secrecy lines, the colluding-vs-independent figure against the radius, and the
layout map with the eavesdroppers."""

from __future__ import annotations

import dataclasses

import matplotlib
import numpy as np
import pytest
import xarray as xr

matplotlib.use("Agg")

from secure_isac import seeds  # noqa: E402
from secure_isac.cfmmimo import datasets  # noqa: E402
from secure_isac.cfmmimo.channels import large_scale_fading  # noqa: E402
from secure_isac.cfmmimo.design import optimise  # noqa: E402
from secure_isac.cfmmimo.figures import plot_eve_uncertainty, plot_layout_map, plot_sweep  # noqa: E402
from secure_isac.cfmmimo.geometry import draw_layout  # noqa: E402
from secure_isac.cfmmimo.options import SolverOptions  # noqa: E402
from secure_isac.cfmmimo.params import SystemParams  # noqa: E402


@pytest.fixture(autouse=True)
def _screen_style():
    """These tests read the screen style's wording (paper style shortens scheme names and moves titles out)."""
    from secure_isac.plotting import use_style

    with use_style("screen"):
        yield


def _summary(seed: int) -> xr.Dataset:
    """A sweep summary over eve_radius_m as pipeline.cfmmimo_designs.sweep_summary writes it (random values)."""
    r = np.random.default_rng(seed)
    radii = np.array([0.0, 20.0, 50.0])
    dims = ("scheme", "eve_radius_m", "layout")
    shape = (2, radii.size, 5)
    ds = xr.Dataset({name: (dims, r.uniform(0, 5, shape)) for name in (
        "secrecy_mean", "rate_ue_min", "rate_eve_max", "secrecy_unseen_mean", "secrecy_unseen_min")},
        coords={"scheme": ["cp", "sp"], "eve_radius_m": radii, "layout": np.arange(5)})
    ds["eve_violation_rate"] = (dims, r.uniform(0, 0.2, shape))
    ds["feasible"] = (dims, (r.uniform(size=shape) > 0.1).astype(np.int8))
    ds["eve_radius_m"].attrs.update(units="m")
    ds.attrs.update(sweep_key="eve_radius_m", eve_design="robust_bound")
    return ds


def _texts(fig) -> str:
    out = []
    for ax in fig.axes:
        out += [ax.get_xlabel(), ax.get_ylabel()]
        leg = ax.get_legend()
        out += [t.get_text() for t in leg.get_texts()] if leg else []
    out += [t.get_text() for leg in fig.legends for t in leg.get_texts()]  # legends below the axes (plotting.py)
    return " | ".join(out)


def test_colluding_vs_independent_figure():
    fig = plot_eve_uncertainty({"independent": _summary(0), "colluding": _summary(1)})
    text = _texts(fig)
    assert "disc around the zone centre, r (m)" in text and "not in the paper" in fig.get_suptitle()
    assert "colluding" in text and "SP (security-prioritised), independent" in text
    assert "above the" in text and "feasible designs (%)" in text
    with pytest.raises(ValueError, match="runs"):
        plot_eve_uncertainty({"x": _summary(0).drop_vars("secrecy_unseen_mean")})


def test_colluding_vs_independent_figure_at_one_column():
    """Paper style (3.5 in): the legend below the panels (not over the data), a short radius label per column."""
    from secure_isac.plotting import use_style

    with use_style("paper"):
        fig = plot_eve_uncertainty({"independent": _summary(0), "colluding": _summary(1)})
    assert [ax.get_legend() for ax in fig.axes] == [None] * 4 and len(fig.legends) == 1
    assert [ax.get_xlabel() for ax in fig.axes[2:]] == ["disc radius r (m)"] * 2


def test_sweep_figure_shows_the_violation_rate():
    text = _texts(plot_sweep(_summary(0)))
    assert "violations" in text and "unseen positions" in text


def test_layout_map_shows_the_eavesdroppers():
    p = SystemParams(M=10, N=4, K=2, L=2, side_m=300.0, eve_position="disc", eve_radius_m=20.0, eve_eval_samples=5)
    r = seeds.rng(7, 0, "layout")
    lay = draw_layout(p, r)
    ls = large_scale_fading(lay, p, r)
    opts = SolverOptions(max_iter=6, repair_max_iter=4, max_draws=50)
    parts = [datasets.design_dataset([optimise(s, ls, p, seeds.rng(7, 0, s), opts)], [0], s, p.kappa_db, "CLARABEL")
             for s in ("cp", "sp", "sp_early")]
    ds = datasets.fig2_dataset(parts, datasets.layout_dataset([lay], [0]), datasets.channel_dataset([ls], [0]), p,
                               ["cp", "sp", "sp_early"], 0)
    assert ds.attrs["eve_radius_m"] == 20.0 and "eve_xy" in ds
    text = _texts(plot_layout_map(ds))
    assert "eavesdropper" in text and "sensing zone" in text
    assert not dataclasses.replace(p, eve_position="centre", eve_radius_m=0.0).eve_enabled
