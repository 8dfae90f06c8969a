"""Figures 2-4 of study 2 from the contract datasets; each function returns a matplotlib Figure (pipeline.plots
saves it under the project style, secure_isac.plotting)."""

from __future__ import annotations

import numpy as np

from ..fields import describe
from ..plotting import SCHEME_COLORS, SCHEME_LINES, figsize, is_paper, legend_below, panel_title, style, sweep_figure
from .params import DfbsParams

_NAMES = {"aa": "with AA", "no_aa": "w/o AA", "random_aa_best": "random AA (best)",
          "random_aa_median": "random AA (median)", "full_digital": "fully digital"}


def _db(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return 10 * np.log10(np.maximum(np.asarray(x, float), 1e-12))


# quantities a study-2 sweep can run over besides dfbs.params (pipeline.settings.DfSweep), for the axis label
_SWEEP_KEYS = {"power_dbm": "Total power P in dBm.", "secrecy_target": "Secrecy target R-bar in bit/s/Hz."}
# one marker per total power P (Fig. 3): with the line style per scheme, every curve differs in greyscale
_P_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
# Fig. 4 curves of two schemes that agree within this many dB coincide on the plot: the legend says so
COINCIDE_DB = 0.05


def _markers(ax, ds):
    for i, t in enumerate(np.atleast_1d(ds.attrs["target_angles_deg"])):
        ax.axvline(t, color="0.55", ls=":", lw=0.9, label="targets" if i == 0 else None)
    for i, e in enumerate(np.atleast_1d(ds.attrs["eve_angles_deg"])):
        ax.axvline(e, color="#d55e00", ls="--", lw=0.9, label="eavesdroppers" if i == 0 else None)
    ax.axvline(float(ds.attrs["user_angle_deg"]), color="#029e73", ls="-.", lw=0.9, label="user")


def plot_fig2(ds):
    """Fig. 2: total, sensing and information beampatterns (dB re 1 mW) with and without AA."""
    schemes = [s for s in ("aa", "no_aa", "full_digital", "random_aa_best") if s in ds.scheme.values]
    with style():
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(len(schemes), 1, figsize=figsize((6.4, 2.6 * len(schemes) + 0.6),
                                                                 1.45 * len(schemes) + 1.1),
                                 sharex=True, sharey=True, layout="constrained")
        axes = np.atleast_1d(axes)
        th = ds.angle_deg.values
        every = (0, max(1, len(th) // 12))  # markers on every twelfth of the curve: greyscale, not clutter
        for ax, s in zip(axes, schemes):
            d = ds.sel(scheme=s)
            ax.plot(th, _db(d.pattern_total), color="k", label="total $a^H(W+R_s)a$")
            ax.plot(th, _db(d.pattern_sensing), color="#0173b2", ls="--", marker="^", markevery=every,
                    label="sensing $a^H R_s a$")
            ax.plot(th, _db(d.pattern_comm), color="#de8f05", ls="-.", marker="s", mfc="white",
                    markevery=(every[1] // 2, every[1]), label="information $a^H W a$")
            _markers(ax, ds)
            sel = "".join(str(int(v)) for v in d.selected.values)
            result = (f"matching error {float(d.matching_error):.3f}" if int(d.feasible) == 1
                      else "INFEASIBLE (no design to draw)")
            panel_title(ax, f"({'abcd'[list(schemes).index(s)]}) {_NAMES.get(s, s)}", f"selection {sel}; {result}")
            ax.set_ylabel("gain (dBm)" if is_paper() else "beampattern gain (dBm)")
            ax.set_ylim(-40, None)
        axes[-1].set_xlabel(r"angle $\theta$ (deg)")
        # below the panels: inside them it covered the curves
        legend_below(axes[0], ncol=2 if is_paper() else 3)
        fig.suptitle(f"P = {ds.attrs.get('power_dbm')} dBm, R-bar = {ds.attrs.get('secrecy_target')} bit/s/Hz")
        return fig


def plot_fig3(ds):
    """Fig. 3: information power at the eavesdroppers vs R-bar; one curve per P, AA solid, w/o AA dashed."""
    with style():
        import matplotlib.pyplot as plt

        n_curves = len(ds.power_dbm) * len(ds.scheme)
        fig, ax = plt.subplots(figsize=figsize((6.4, 4.2 + 0.12 * n_curves), 2.4 + 0.15 * n_curves),
                               layout="constrained")
        colors = ["#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc"]
        for s in ("aa", "no_aa"):  # one legend column per scheme
            if s not in ds.scheme.values:
                continue
            for i, p in enumerate(ds.power_dbm.values):
                d = ds.sel(scheme=s, power_dbm=p)
                ok = d.feasible.values == 1
                run = d.solver_status.values != "not_run"  # grid points of this P (the R-bar grid depends on P)
                # infeasible (P, R-bar) points have no design: left out, counted in the legend; marker per P,
                # AA solid and filled, w/o AA dashed and open (greyscale)
                col = colors[i % len(colors)]
                ax.plot(ds.secrecy_target.values[ok], d.eve_info_power_dbm.isel(eve=0).values[ok],
                        ls="-" if s == "aa" else "--", marker=_P_MARKERS[i % len(_P_MARKERS)], color=col,
                        mfc=col if s == "aa" else "white",
                        label=f"{_NAMES[s]}, P = {p:g} dBm ({int(ok.sum())}/{int(run.sum())} feasible)")
        ax.set_xlabel(r"secrecy rate threshold $\bar R$ (bit/s/Hz)")
        ax.set_ylabel("info. power at Eves (dBm)" if is_paper() else "information power at eavesdroppers (dBm)")
        # below the axes: inside, it hid the end point of the AA curve at P = 5 dBm
        legend_below(ax, ncol=1 if is_paper() else 2)
        return fig


def plot_fig4(ds):
    """Fig. 4: minimum target illumination (joint, sensing) and user radiated power vs P."""
    with style():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=figsize((6.4, 4.6), 3.3), layout="constrained")
        P = ds.power_dbm.values
        schemes = [s for s in ("no_aa", "aa") if s in ds.scheme.values]  # AA drawn last: on top where they meet
        for var, lab, mk in (("illum_joint_min_dbm", "I-P (joint)", "o"),
                             ("illum_sensing_min_dbm", "I-P (sensing)", "^"),
                             ("user_power_dbm", "R-P", "s")):
            ys = {s: np.where(ds.sel(scheme=s).feasible.values == 1, ds.sel(scheme=s)[var].values, np.nan)
                  for s in schemes}
            for s in schemes:
                # w/o AA: dashed, large open markers under AA's solid line and small filled markers, so a curve
                # lying on the other (the R-P curves do) still shows as a ring around each AA marker
                aa = s == "aa"
                note = ""
                if aa and "no_aa" in ys and np.any(np.isfinite(ys["aa"])) and np.nanmax(
                        np.abs(ys["aa"] - ys["no_aa"])) < COINCIDE_DB:
                    note = f" (= w/o AA within {COINCIDE_DB:g} dB)"
                ms = float(plt.rcParams["lines.markersize"])
                ax.plot(P, ys[s], ls="-" if aa else "--", marker=mk, color=SCHEME_COLORS.get(s, "k"),
                        mfc=SCHEME_COLORS.get(s, "k") if aa else "white", ms=ms if aa else 2.0 * ms,
                        mew=1.0 if aa else 1.2, zorder=3 if aa else 2,
                        label=f"{'AA' if aa else 'w/o AA'} {lab}{note}")
        ax.set_xlabel("total power P (dBm)")
        ax.set_ylabel("power (dBm)")
        bad = {str(s): int((ds.sel(scheme=s).feasible.values != 1).sum()) for s in ds.scheme.values}
        missing = ", ".join(f"{_NAMES.get(s, s)} {n}" for s, n in bad.items() if n)
        ax.set_title(f"R-bar = {ds.attrs.get('secrecy_target')} bit/s/Hz"
                     + (f"; infeasible P left out: {missing}" if missing else ""))
        handles, labels = ax.get_legend_handles_labels()
        order = sorted(range(len(labels)), key=lambda i: not labels[i].startswith("AA"))  # a column per scheme
        legend_below(ax, ncol=2, handles=[handles[i] for i in order], labels=[labels[i] for i in order])
        return fig


def plot_sweep(ds):
    """A study-2 sweep (results/dfbs/sweeps/<key>.nc): matching error, information power at the eavesdroppers
    (largest over them), minimum target illumination (joint and sensing) and feasibility against the swept value,
    one curve per scheme; infeasible designs are not drawn."""

    key = ds.attrs["sweep_key"]
    with style():
        paper = is_paper()
        fig, axes, x = sweep_figure(ds[key], [
            "matching error\n(normalised by P)" if paper else "matching error (normalised by P)",
            "info. power at\nEves, max (dBm)" if paper else "information power at\nthe eavesdroppers, max (dBm)",
            "min. target\nillumination (dBm)" if paper else "minimum target illumination (dBm)",
            "feasible (1) /\ninfeasible (0)" if paper else "feasible (1) / infeasible (0)"],
            {**describe(DfbsParams), **_SWEEP_KEYS})
        for s in ds.scheme.values:
            d = ds.sel(scheme=s)
            ok = d.feasible.values == 1
            col = SCHEME_COLORS.get(str(s), "k")
            ls, mk = SCHEME_LINES.get(str(s), ("-", "o"))

            def on(v, ok=ok):
                return np.where(ok, np.asarray(v, float), np.nan)

            name = _NAMES.get(str(s), str(s))
            axes[0, 0].plot(x, on(d.matching_error.values), color=col, ls=ls, marker=mk, label=name)
            axes[0, 1].plot(x, on(d.eve_info_power_dbm.max("eve").values), color=col, ls=ls, marker=mk)
            axes[1, 0].plot(x, on(d.illum_joint_min_dbm.values), color=col, ls=ls, marker=mk, label=f"{name}, joint")
            axes[1, 0].plot(x, on(d.illum_sensing_min_dbm.values), color=col, ls=":", marker=mk, mfc="white",
                            label=f"{name}, sensing")
            axes[1, 1].plot(x, ok.astype(float), color=col, ls=ls, marker=mk, label=name)
        axes[1, 1].set_ylim(-0.05, 1.05)
        # one legend below the panels (every scheme, joint and sensing illumination): no curve hides behind it
        legend_below(axes[1, 0], ncol=2)
        fig.suptitle(f"Sweep of {key} at P = {ds.attrs.get('power_dbm')} dBm, R-bar = "
                     f"{ds.attrs.get('secrecy_target')} bit/s/Hz", fontsize=10)
        return fig


PLOTTERS = {"fig2": plot_fig2, "fig3": plot_fig3, "fig4": plot_fig4, "sweep": plot_sweep}
