"""Figures 2-4 of study 2 from the contract datasets; each function returns a matplotlib Figure (pipeline.plots
saves it under the project style, secure_isac.plotting)."""

from __future__ import annotations

import numpy as np

from ..plotting import SCHEME_COLORS, style, sweep_figure

_NAMES = {"aa": "with AA", "no_aa": "w/o AA", "random_aa_best": "random AA (best)",
          "random_aa_median": "random AA (median)", "full_digital": "fully digital"}


def _db(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return 10 * np.log10(np.maximum(np.asarray(x, float), 1e-12))


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

        fig, axes = plt.subplots(len(schemes), 1, figsize=(6.4, 2.6 * len(schemes)), sharex=True, sharey=True)
        axes = np.atleast_1d(axes)
        th = ds.angle_deg.values
        for ax, s in zip(axes, schemes):
            d = ds.sel(scheme=s)
            ax.plot(th, _db(d.pattern_total), color="k", label="total $a^H(W+R_s)a$")
            ax.plot(th, _db(d.pattern_sensing), color="#0173b2", label="sensing $a^H R_s a$")
            ax.plot(th, _db(d.pattern_comm), color="#de8f05", label="information $a^H W a$")
            _markers(ax, ds)
            sel = "".join(str(int(v)) for v in d.selected.values)
            result = (f"matching error {float(d.matching_error):.3f}" if int(d.feasible) == 1
                      else "INFEASIBLE (no design to draw)")
            ax.set_title(f"({'abcd'[list(schemes).index(s)]}) {_NAMES.get(s, s)}; selection {sel}; {result}")
            ax.set_ylabel("beampattern gain (dBm)")
            ax.set_ylim(-40, None)
        axes[-1].set_xlabel(r"angle $\theta$ (deg)")
        axes[0].legend(loc="lower center", ncol=3, fontsize=7)
        fig.suptitle(f"P = {ds.attrs.get('power_dbm')} dBm, R-bar = {ds.attrs.get('secrecy_target')} bit/s/Hz")
        return fig


def plot_fig3(ds):
    """Fig. 3: information power at the eavesdroppers vs R-bar; one curve per P, AA solid, w/o AA dashed."""
    with style():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots()
        colors = ["#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc"]
        for i, p in enumerate(ds.power_dbm.values):
            for s, ls, mk in (("aa", "-", "o"), ("no_aa", "--", "s")):
                if s not in ds.scheme.values:
                    continue
                d = ds.sel(scheme=s, power_dbm=p)
                ok = d.feasible.values == 1
                run = d.solver_status.values != "not_run"  # grid points of this P (the R-bar grid depends on P)
                # infeasible (P, R-bar) points have no design: left out, counted in the legend
                ax.plot(ds.secrecy_target.values[ok], d.eve_info_power_dbm.isel(eve=0).values[ok], ls=ls, marker=mk,
                        color=colors[i % len(colors)],
                        label=f"{_NAMES[s]}, P = {p:g} dBm ({int(ok.sum())}/{int(run.sum())} feasible)")
        ax.set_xlabel(r"secrecy rate threshold $\bar R$ (bit/s/Hz)")
        ax.set_ylabel("information power at eavesdroppers (dBm)")
        ax.legend(fontsize=7)
        return fig


def plot_fig4(ds):
    """Fig. 4: minimum target illumination (joint, sensing) and user radiated power vs P."""
    with style():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots()
        P = ds.power_dbm.values
        for var, lab, mk in (("illum_joint_min_dbm", "I-P (joint)", "o"),
                             ("illum_sensing_min_dbm", "I-P (sensing)", "^"),
                             ("user_power_dbm", "R-P", "s")):
            for s, ls in (("aa", "-"), ("no_aa", "--")):
                if s not in ds.scheme.values:
                    continue
                d = ds.sel(scheme=s)
                y = np.where(d.feasible.values == 1, d[var].values, np.nan)
                ax.plot(P, y, ls=ls, marker=mk, color=SCHEME_COLORS.get(s, "k"),
                        label=f"{'AA' if s == 'aa' else 'w/o AA'} {lab}")
        ax.set_xlabel("total power P (dBm)")
        ax.set_ylabel("power (dBm)")
        bad = {str(s): int((ds.sel(scheme=s).feasible.values != 1).sum()) for s in ds.scheme.values}
        missing = ", ".join(f"{_NAMES.get(s, s)} {n}" for s, n in bad.items() if n)
        ax.set_title(f"R-bar = {ds.attrs.get('secrecy_target')} bit/s/Hz"
                     + (f"; infeasible P left out: {missing}" if missing else ""))
        ax.legend(fontsize=7, ncol=2)
        return fig


def plot_sweep(ds):
    """A study-2 sweep (results/dfbs/sweeps/<key>.nc): matching error, information power at the eavesdroppers
    (largest over them), minimum target illumination (joint and sensing) and feasibility against the swept value,
    one curve per scheme; infeasible designs are not drawn."""

    key = ds.attrs["sweep_key"]
    with style():
        fig, axes, x = sweep_figure(ds[key], ["matching error (normalised by P)",
                                              "information power at\nthe eavesdroppers, max (dBm)",
                                              "minimum target illumination (dBm)", "feasible (1) / infeasible (0)"])
        for s in ds.scheme.values:
            d = ds.sel(scheme=s)
            ok = d.feasible.values == 1
            col, mk = SCHEME_COLORS.get(str(s), "k"), "o" if s == "aa" else "s"
            ls = "-" if s == "aa" else "--"

            def on(v, ok=ok):
                return np.where(ok, np.asarray(v, float), np.nan)

            name = _NAMES.get(str(s), str(s))
            axes[0, 0].plot(x, on(d.matching_error.values), color=col, ls=ls, marker=mk, label=name)
            axes[0, 1].plot(x, on(d.eve_info_power_dbm.max("eve").values), color=col, ls=ls, marker=mk)
            axes[1, 0].plot(x, on(d.illum_joint_min_dbm.values), color=col, ls=ls, marker=mk, label=f"{name}, joint")
            axes[1, 0].plot(x, on(d.illum_sensing_min_dbm.values), color=col, ls=":", marker=mk,
                            label=f"{name}, sensing")
            axes[1, 1].plot(x, ok.astype(float), color=col, ls=ls, marker=mk, label=name)
        axes[1, 1].set_ylim(-0.05, 1.05)
        axes[0, 0].legend(loc="best")
        axes[1, 0].legend(loc="best", fontsize=7)
        fig.suptitle(f"Sweep of {key} at P = {ds.attrs.get('power_dbm')} dBm, R-bar = "
                     f"{ds.attrs.get('secrecy_target')} bit/s/Hz", fontsize=10)
        return fig


PLOTTERS = {"fig2": plot_fig2, "fig3": plot_fig3, "fig4": plot_fig4, "sweep": plot_sweep}
