"""Figure styles (config key plot.style) and the figure fixes of issue 26 item 5, checked on the drawn artists of
small synthetic datasets: column width and 8 pt at paper style, titles moved into the file metadata, legends that
hide no data point, curves told apart without colour, axis labels with units, the claims matrix."""

from __future__ import annotations

import functools
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from matplotlib.text import Text

from secure_isac import plotting
from secure_isac.cfmmimo import figures as cf_figures
from secure_isac.dfbs import figures as df_figures
from secure_isac.pipeline import verdict_matrix

ANGLES = np.arange(-90.0, 90.5, 1.0)


# --- synthetic datasets (the variables the figure functions read) ----------------------------------------------
def dfbs_fig2() -> xr.Dataset:
    schemes = ["aa", "no_aa"]
    th = np.deg2rad(ANGLES)
    base = 100 * (1.2 + np.cos(3 * th)) ** 2
    pat = np.stack([base, 0.7 * base])
    # an information beam with many deep nulls: its points cover the lower half of the panel, as at paper scale
    comm = 100 * np.cos(9 * th) ** 2 * np.exp(-np.abs(th))
    return xr.Dataset(
        {"pattern_total": (("scheme", "angle_deg"), pat), "pattern_sensing": (("scheme", "angle_deg"), 0.6 * pat),
         "pattern_comm": (("scheme", "angle_deg"), np.stack([comm, comm])),
         "selected": (("scheme", "antenna"), np.array([[1, 0, 1, 1, 0, 1, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0]])),
         "matching_error": ("scheme", [0.1, 0.2]), "feasible": ("scheme", [1, 1])},
        coords={"scheme": schemes, "angle_deg": ANGLES},
        attrs={"target_angles_deg": [-50.0, 50.0], "eve_angles_deg": [-20.0, 20.0], "user_angle_deg": 0.0,
               "power_dbm": 20.0, "secrecy_target": 2.0})


def dfbs_fig3() -> xr.Dataset:
    """Six curves filling the axes evenly, as at paper scale: no corner is free for a legend inside the axes; the
    AA curve at P = 5 dBm ends (highest R-bar) at the top right."""
    powers, rbar = [0.0, 5.0, 10.0], np.arange(0.5, 5.01, 0.5)
    y = np.empty((2, 3, rbar.size, 2))
    for i in range(len(powers)):
        for s in range(2):
            y[s, i, :, :] = (5.0 * (2 * i + s) - 0.5 * rbar)[:, None]
    y[0, 1, -1, :] = y.max() + 2  # the end point the old legend hid
    feasible = np.ones((2, 3, rbar.size), int)
    return xr.Dataset(
        {"eve_info_power_dbm": (("scheme", "power_dbm", "secrecy_target", "eve"), y),
         "feasible": (("scheme", "power_dbm", "secrecy_target"), feasible),
         "solver_status": (("scheme", "power_dbm", "secrecy_target"), np.full(feasible.shape, "optimal"))},
        coords={"scheme": ["aa", "no_aa"], "power_dbm": powers, "secrecy_target": rbar})


def dfbs_fig4() -> xr.Dataset:
    """The R-P curves of both schemes equal (as at paper scale), the others apart."""
    P = np.array([0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0])
    joint = np.stack([P + 3, P + 1])
    sensing = np.stack([P + 2, P])
    user = np.stack([P - 4, P - 4])
    return xr.Dataset(
        {"illum_joint_min_dbm": (("scheme", "power_dbm"), joint),
         "illum_sensing_min_dbm": (("scheme", "power_dbm"), sensing),
         "user_power_dbm": (("scheme", "power_dbm"), user), "feasible": (("scheme", "power_dbm"), np.ones((2, 7)))},
        coords={"scheme": ["aa", "no_aa"], "power_dbm": P}, attrs={"secrecy_target": 2.0})


def dfbs_sweep() -> xr.Dataset:
    n = np.array([4, 6, 8, 10, 12])
    ds = xr.Dataset(
        {"matching_error": (("scheme", "n_rf"), np.stack([1 / n, 1.2 / n])),
         "eve_info_power_dbm": (("scheme", "n_rf", "eve"), np.stack([-n, -n + 2])[..., None].repeat(2, -1) * 1.0),
         "illum_joint_min_dbm": (("scheme", "n_rf"), np.stack([n + 10, n + 9]) * 1.0),
         "illum_sensing_min_dbm": (("scheme", "n_rf"), np.stack([n + 8, n + 7]) * 1.0),
         "feasible": (("scheme", "n_rf"), np.ones((2, 5), int))},
        coords={"scheme": ["aa", "no_aa"], "n_rf": n}, attrs={"sweep_key": "n_rf", "power_dbm": 20.0,
                                                               "secrecy_target": 2.0})
    ds["n_rf"].attrs["units"] = "1"
    return ds


def cf_fig4() -> xr.Dataset:
    schemes = ["cp", "sp", "baseline", "sp_early", "cp_paper", "sp_paper"]
    rng = np.random.default_rng(0)
    sec = np.sort(rng.uniform(1, 5, (6, 40)), axis=1)
    return xr.Dataset({"secrecy_avg": (("scheme", "layout"), sec), "feasible": (("scheme", "layout"),
                                                                                 np.ones((6, 40), int))},
                      coords={"scheme": schemes, "layout": np.arange(40)}, attrs={"kappa_db": 10.0})


def cf_sweep() -> xr.Dataset:
    nu = np.array([0.25, 0.5, 1.0])
    rng = np.random.default_rng(1)
    shape = (3, 3, 6)
    ds = xr.Dataset({name: (("scheme", "nu", "layout"), rng.uniform(0.5, 4, shape))
                     for name in ("secrecy_mean", "rate_ue_min", "rate_eve_max")},
                    coords={"scheme": ["cp", "sp", "baseline"], "nu": nu, "layout": np.arange(6)},
                    attrs={"sweep_key": "nu"})
    ds["feasible"] = (("scheme", "nu", "layout"), np.ones(shape, int))
    ds["nu"].attrs["units"] = "1"
    return ds


FIGURES = {"dfbs_fig2": (df_figures.plot_fig2, dfbs_fig2), "dfbs_fig3": (df_figures.plot_fig3, dfbs_fig3),
           "dfbs_fig4": (df_figures.plot_fig4, dfbs_fig4), "dfbs_sweep": (df_figures.plot_sweep, dfbs_sweep),
           "cfmmimo_fig4": (cf_figures.plot_fig4, cf_fig4), "cfmmimo_sweep": (cf_figures.plot_sweep, cf_sweep)}


@functools.cache
def drawn(name: str, style: str):
    """The figure `name` drawn at `style` as save_figure would save it (paper: after to_paper); drawn once per
    module (the tests only read it)."""
    plot, data = FIGURES[name]
    with plotting.use_style(style), plotting.style():
        fig = plot(data())
        context = plotting.to_paper(fig) if style == "paper" else ""
        fig.canvas.draw()
    return fig, context


@pytest.fixture(autouse=True, scope="module")
def _close():
    yield
    drawn.cache_clear()
    matplotlib.pyplot.close("all")


def _legends(fig):
    return [*fig.legends, *(ax.get_legend() for ax in fig.get_axes() if ax.get_legend() is not None)]


def _data_points(ax) -> np.ndarray:
    """Display coordinates of every finite data point of the axes' labelled curves."""
    pts = [line.get_xydata() for line in ax.get_lines() if not line.get_label().startswith("_")
           and line.get_xydata().size]
    pts = np.concatenate(pts) if pts else np.empty((0, 2))
    pts = ax.transData.transform(pts[np.isfinite(pts).all(axis=1)])
    box = ax.bbox  # the points drawn: inside the panel
    return pts[(pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)]


# --- the style ---------------------------------------------------------------------------------------------------
def test_bad_style_names_the_key():
    with pytest.raises(ValueError, match="plot.style"):
        with plotting.use_style("poster"):
            pass


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_paper_style_one_column_8pt_no_titles(name):
    fig, context = drawn(name, "paper")
    assert fig.get_size_inches()[0] == pytest.approx(plotting.COLUMN_WIDTH_IN)
    sizes = {t.get_fontsize() for t in fig.findobj(Text) if t.get_text() and t.get_visible()}
    assert sizes == {plotting.PAPER_FONT_PT}, sizes
    assert not fig.get_suptitle()
    for ax in fig.get_axes():
        assert not ax.get_title(loc="center") and not ax.get_title(loc="right")
        left = ax.get_title(loc="left")
        assert not left or len(left) <= 24, left  # a panel tag, nothing more
    if name in ("dfbs_fig4", "dfbs_sweep", "cfmmimo_sweep"):  # their titles went to the caption text
        assert context
    fig_box = fig.bbox
    for leg in _legends(fig):  # nothing cut off at the column edge
        box = leg.get_window_extent()
        assert box.x0 >= fig_box.x0 - 1 and box.x1 <= fig_box.x1 + 1, (name, box, fig_box)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_screen_style_keeps_its_size_and_titles(name):
    fig, _ = drawn(name, "screen")
    assert fig.get_size_inches()[0] >= 6.4
    if name in ("dfbs_fig4", "dfbs_sweep", "cfmmimo_sweep"):
        assert fig.get_suptitle() or any(ax.get_title() for ax in fig.get_axes())


def test_saved_files_are_one_column_wide_with_the_titles_in_their_metadata(tmp_path):
    from PIL import Image

    with plotting.use_style("paper"):
        pdf, png = plotting.save_figure(df_figures.plot_fig4(dfbs_fig4()), tmp_path / "fig4")
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    assert float(box.group(1)) == pytest.approx(72 * plotting.COLUMN_WIDTH_IN)
    assert b"R-bar = 2.0 bit/s/Hz" in pdf.read_bytes()  # the title, as the PDF's Subject
    image = Image.open(png)
    assert image.size[0] == round(plotting.COLUMN_WIDTH_IN * 300)
    assert "R-bar = 2.0 bit/s/Hz" in image.info["Description"]


@pytest.mark.parametrize("style", ["paper", "screen"])
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_axis_label_has_a_unit(name, style):
    fig, _ = drawn(name, style)
    figure_labels = [fig.get_supxlabel(), fig.get_supylabel()]
    for ax in fig.get_axes():
        for label in (ax.get_xlabel(), ax.get_ylabel(), *figure_labels):
            if label:
                text = " ".join(label.split())
                assert re.search(r"\(.+\)", text) or text.startswith("number of") or text == "CDF", (name, text)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_curves_differ_without_colour(name):
    """Within every panel, the labelled curves differ in line style, marker or marker fill (greyscale)."""
    fig, _ = drawn(name, "paper")
    for ax in fig.get_axes():
        keys = [(str(line.get_linestyle()), str(line.get_dashes() if hasattr(line, "get_dashes") else ""),
                 line.get_marker(), str(line.get_markerfacecolor()) == "white")
                for line in ax.get_lines() if not line.get_label().startswith("_")]
        keys = [(ls, mk, open_) for ls, _, mk, open_ in keys]
        assert len(keys) == len(set(keys)), (name, keys)


# --- the listed fixes --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("style", ["paper", "screen"])
@pytest.mark.parametrize("name", ["dfbs_fig2", "dfbs_fig3", "dfbs_fig4", "cfmmimo_fig4"])
def test_legend_hides_no_data_point(name, style):
    fig, _ = drawn(name, style)
    legends = _legends(fig)
    assert legends
    for ax in fig.get_axes():
        pts = _data_points(ax)
        for leg in legends:
            box = leg.get_window_extent()
            inside = ((pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1))
            assert not inside.any(), (name, pts[inside])


def test_dfbs_fig3_aa_end_point_at_5_dbm_is_visible():
    fig, _ = drawn("dfbs_fig3", "paper")
    ax = fig.get_axes()[0]
    (line,) = [ln for ln in ax.get_lines() if ln.get_label().startswith("with AA, P = 5 dBm")]
    end = ax.transData.transform(line.get_xydata()[-1:])[0]
    for leg in _legends(fig):
        assert not leg.get_window_extent().contains(*end)


def test_dfbs_fig4_coinciding_user_power_lines_are_told_apart():
    fig, _ = drawn("dfbs_fig4", "paper")
    ax = fig.get_axes()[0]
    aa = next(ln for ln in ax.get_lines() if ln.get_label().startswith("AA R-P"))
    no_aa = next(ln for ln in ax.get_lines() if ln.get_label().startswith("w/o AA R-P"))
    np.testing.assert_array_equal(aa.get_ydata(), no_aa.get_ydata())  # they coincide
    assert aa.get_linestyle() != no_aa.get_linestyle()
    assert no_aa.get_markersize() > 1.5 * aa.get_markersize()  # a ring around each AA marker
    assert str(no_aa.get_markerfacecolor()) == "white"
    assert aa.get_zorder() > no_aa.get_zorder()  # AA drawn on top
    assert "within" in aa.get_label()  # and the legend says they coincide


def test_cfmmimo_fig4_sp_variants_not_by_colour_alone():
    fig, _ = drawn("cfmmimo_fig4", "paper")
    ax = fig.get_axes()[0]
    lines = {ln.get_label().split(" (")[0]: ln for ln in ax.get_lines() if not ln.get_label().startswith("_")}
    sp = [lines[k] for k in ("SP", "SP, early stop", "SP, paper's SCA")]
    assert len({ln.get_marker() for ln in sp}) == 3
    assert len({str(ln.get_linestyle()) + str(ln._dash_pattern) for ln in sp}) == 3


@pytest.mark.parametrize("key,units,description,expected", [
    ("n_rf", "1", "Number of RF chains N_RF (selected antennas).", r"number of RF chains $N_\mathrm{RF}$"),
    ("nu", "1", "Maximum eavesdropper SINR of CP, linear; .inf switches the eavesdropper constraint off.",
     r"maximum eavesdropper SINR of CP $\nu$ (linear)"),
    ("power_dbm", "dBm", "Total power P in dBm.", "total power $P$ (dBm)"),
    ("tau_p", "symbols", "Pilot length tau_p in symbols (null = K + L).", r"pilot length $\tau_p$ (symbols)"),
    ("K", "1", "Number of single-antenna UEs (not stated in the paper).", "number of single-antenna UEs $K$"),
])
def test_sweep_axis_labels_from_the_settings(key, units, description, expected):
    assert plotting.axis_label(key, units, description) == expected


@pytest.mark.parametrize("name,expected", [("dfbs_sweep", r"$N_\mathrm{RF}$"), ("cfmmimo_sweep", r"$\nu$")])
def test_sweep_x_label_is_no_raw_key(name, expected):
    fig, _ = drawn(name, "screen")
    labels = {ax.get_xlabel() for ax in fig.get_axes() if ax.get_xlabel()}
    assert labels and all(expected in lab for lab in labels), labels


def test_sweep_n_rf_y_labels_clear_of_the_title():
    fig, _ = drawn("dfbs_sweep", "screen")
    title = fig._suptitle.get_window_extent()
    for ax in fig.get_axes():
        assert not ax.yaxis.label.get_window_extent().overlaps(title)


# --- the claims matrix -------------------------------------------------------------------------------------------
def claims_long() -> pd.DataFrame:
    rows = []
    for run, shift in (("reference", 0.0), ("alt", 0.5), ("same", 0.0)):
        rows += [
            {"study": "cfmmimo", "item": "CP median (Fig. 4)", "run": run, "value": 5.18132 + shift,
             "verdict": "reproduced", "ci_low": 5.1 + shift, "ci_high": 5.25 + shift, "paper": 5.1},
            {"study": "cfmmimo", "item": "SP flat", "run": run, "value": -5.729e-05, "verdict":
             "not reproduced" if shift else "partly", "ci_low": -1e-4, "ci_high": 1e-5, "paper": 0.0},
            {"study": "dfbs", "item": "sensing gain higher with AA", "run": run, "value": "AA 3 dB above",
             "verdict": "inconclusive" if shift else "not testable", "ci_low": np.nan, "ci_high": np.nan,
             "paper": np.nan}]
    return pd.DataFrame(rows)


def test_claims_matrix_panels_glyphs_digits_and_intervals():
    with plotting.use_style("paper"), plotting.style():
        fig = verdict_matrix.verdict_matrix_figure(claims_long(), ["reference", "alt", "same"], "claims")
        plotting.to_paper(fig, plotting.DOUBLE_COLUMN_WIDTH_IN)
        fig.canvas.draw()
    panels = [ax for ax in fig.get_axes() if ax.axison]
    assert len(panels) == 2  # one per study
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert "5.18" in texts and "5.68" in texts and "-5.73e-5" in texts  # 3 significant digits
    for verdict in ("reproduced", "partly", "not reproduced", "not testable", "inconclusive"):
        assert verdict_matrix.VERDICT_GLYPHS[verdict] in texts  # every verdict by glyph as well as colour
    # run "same" equals the reference in every claim: folded into a note, not a row
    rows = [t.get_text() for t in panels[0].get_yticklabels()]
    assert rows == ["reference", "alt"]
    assert any("same" in t and "identical" in t for t in texts)
    # intervals drawn: a horizontal segment per study-1 cell, the value's dot inside it
    segments = [ln for ln in panels[0].get_lines() if len(ln.get_xdata()) == 2
                and ln.get_ydata()[0] == ln.get_ydata()[1]]
    assert len(segments) == 4
    assert fig.get_size_inches()[0] == pytest.approx(plotting.DOUBLE_COLUMN_WIDTH_IN)
    assert {t.get_fontsize() for t in fig.findobj(Text) if t.get_text()} == {plotting.PAPER_FONT_PT}


def test_claims_matrix_compact_panel_shows_every_run_by_verdict_only():
    """The readings screen's 64 combinations: a compact panel keeps every run as a row (none folded), draws the
    verdict glyph without value or interval, in rows under half as tall; the other panel keeps its values."""
    with plotting.use_style("paper"), plotting.style():
        full = verdict_matrix.verdict_matrix_figure(claims_long(), ["reference", "alt", "same"], "claims")
        fig = verdict_matrix.verdict_matrix_figure(claims_long(), ["reference", "alt", "same"], "claims",
                                                   compact={"cfmmimo"})
        for f in (full, fig):
            plotting.to_paper(f, plotting.DOUBLE_COLUMN_WIDTH_IN)
            f.canvas.draw()
    compact, other = [ax for ax in fig.get_axes() if ax.axison]
    assert [t.get_text() for t in compact.get_yticklabels()] == ["reference", "alt", "same"]  # nothing folded
    cell_texts = [t.get_text() for t in compact.texts]
    assert cell_texts and set(cell_texts) <= set(verdict_matrix.VERDICT_GLYPHS.values())
    assert not compact.get_lines()  # no value dots, no intervals
    assert "5.18" not in cell_texts
    assert set(verdict_matrix.VERDICT_GLYPHS.values()) & {t.get_text() for t in other.texts}  # dfbs panel as before

    def row_in(f, ax, rows):
        return ax.get_position().height * f.get_size_inches()[1] / rows

    full_cf = [ax for ax in full.get_axes() if ax.axison][0]
    assert row_in(fig, compact, 3) < 0.6 * row_in(full, full_cf, 2)


def test_sig3():
    assert [verdict_matrix.sig3(v) for v in (5.18132, -0.009158, -5.729e-05, 1.0, "text", np.nan)] == \
        ["5.18", "-0.00916", "-5.73e-5", "1", "", ""]
