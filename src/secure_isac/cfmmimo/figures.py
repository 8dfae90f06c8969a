"""Study-1 figures (paper Figs. 2-4 and a layout map) drawn from the contract datasets only; each function returns
a matplotlib Figure (pipeline.plots saves it)."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.ticker import MaxNLocator

from ..fields import describe
from ..plotting import (
    SCHEME_COLORS,
    SCHEME_LINES,
    figsize,
    is_paper,
    legend_below,
    panel_grid,
    panel_title,
    scheme_label,
    style,
    sweep_figure,
)
from .datasets import UNCONSTRAINED
from .params import SystemParams

# every scheme its own line style and marker besides its colour (greyscale; the SP variants share a hue family)
_LINESTYLES = {s: ls for s, (ls, _) in SCHEME_LINES.items()}
_MARKERS = {s: mk for s, (_, mk) in SCHEME_LINES.items()}


def _markevery(n: int) -> tuple[int, int] | None:
    """Markers on about ten points of a long curve (every point of a short one)."""
    return None if n <= 12 else (0, max(1, n // 10))


def _legend_all(fig, axes, ncol: int):
    """One legend below every panel with the distinct entries of all of them (no legend covers a curve)."""
    seen: dict[str, object] = {}
    for ax in np.ravel(axes):
        for h, lab in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(lab, h)
    return legend_below(np.ravel(axes)[0], ncol=ncol, handles=list(seen.values()), labels=list(seen))


def _label(scheme: str) -> str:
    return scheme_label(scheme)


def _secrecy_avg(ds: xr.Dataset) -> xr.DataArray:
    return ds["secrecy_avg"] if "secrecy_avg" in ds else ds["secrecy_ue"].mean("ue")


def plot_fig2(ds: xr.Dataset):
    """Fig. 2: min UE rate, max Eve rate and per-UE average secrecy rate vs SCA iteration, one panel per scheme."""
    import matplotlib.pyplot as plt

    panels = [s for s in ("cp", "sp") if s in ds["scheme"].values] or list(ds["scheme"].values[:2])
    nu = float(ds.attrs.get("nu", np.nan))
    varsigma_db = float(ds.attrs.get("varsigma_db", np.nan))
    with style():
        rows, cols = panel_grid(1, len(panels))
        fig, axes = plt.subplots(rows, cols, figsize=figsize((10.0, 4.2), 1.6 * len(panels) + 1.4), sharey=True,
                                 sharex=is_paper(), squeeze=False, layout="constrained")
        for i, (ax, scheme) in enumerate(zip(axes.flat, panels)):
            one = ds.sel(scheme=scheme)
            n = int(one["n_iterations"].values)
            it = one["iteration"].values[:n]
            for var, lab, col, ls, mk in (("rate_ue_min", "UE rate $\\min_k R_k$", "#0173b2", "-", "o"),
                                          ("rate_eve_max", "Eve rate $\\max_l R_{E,l}$", "#d55e00", "--", "s"),
                                          ("secrecy", "per-UE avg. secrecy rate", "#029e73", "-.", "^")):
                ax.plot(it, one[var].values[:n], color=col, ls=ls, marker=mk, markevery=_markevery(n), label=lab)
            rs = int(one["repair_start"].values)
            if rs >= 0:
                ax.axvline(rs, color="0.3", ls="--", lw=1.0,
                           label="rounding + repair" if is_paper() else f"rounding + repair (n = {rs})")
            if scheme == "cp" and np.isfinite(nu):
                ax.axhline(np.log2(1 + nu), color="#d55e00", ls=":", lw=1.0, label="$\\log_2(1+\\nu)$")
            if scheme == "sp" and np.isfinite(varsigma_db):
                ax.axhline(np.log2(1 + 10 ** (varsigma_db / 10)), color="#0173b2", ls=":", lw=1.0,
                           label="$\\log_2(1+\\varsigma)$")
                if "sp_early" in ds["scheme"].values:
                    stop = int(ds.sel(scheme="sp_early")["n_iterations"].values) - 1
                    ax.axvline(stop, color="#cc78bc", ls="-.", lw=1.0, label=f"SP early stop (n = {stop})")
            feasible = "feasible" if int(one["feasible"].values) else "INFEASIBLE"
            panel_title(ax, f"({'abcd'[i]}) {_label(scheme)}" if is_paper() else _label(scheme),
                        f"{feasible} design after {n - 1} iterations", sep="\n", fontsize=9)
            if not is_paper() or i == len(panels) - 1:
                ax.set_xlabel("SCA iteration $n$")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_ylabel("rate (bit/s/Hz)")
        if not is_paper():
            for ax in axes.flat[1:]:
                ax.set_ylabel("")
        # one legend below the panels: inside them it covered the traces
        _legend_all(fig, axes, ncol=2 if is_paper() else 4)
        fig.suptitle(f"Convergence on layout {int(ds['layout'].values)}", fontsize=10)
        return fig


def _usable(ds: xr.Dataset) -> xr.DataArray:
    """Designs shown: feasible ones of the optimised schemes, every design of the baseline (it enforces nothing;
    an infeasible optimised design carries zero power and no meaningful rate)."""
    base = xr.DataArray([str(s) in UNCONSTRAINED for s in ds["scheme"].values], coords={"scheme": ds["scheme"]})
    return (ds["feasible"] == 1) | base


def fig3_summary(ds: xr.Dataset) -> xr.Dataset:
    """Mean, standard error and count over the shown designs (`_usable`) of the per-UE average secrecy rate, and
    the feasible share, per (scheme, kappa_db)."""
    sec = _secrecy_avg(ds).where(_usable(ds))
    n = sec.count("layout")
    return xr.Dataset({"mean": sec.mean("layout"), "sem": sec.std("layout", ddof=1) / np.sqrt(n), "n": n,
                       "feasible": ds["feasible"].mean("layout")})


def plot_fig3(ds: xr.Dataset):
    """Fig. 3: per-UE average secrecy rate vs kappa (mean over layouts, 95 % CI band) for each scheme."""
    import matplotlib.pyplot as plt

    summ = fig3_summary(ds)
    k = ds["kappa_db"].values
    with style():
        fig, ax = plt.subplots(figsize=figsize((6.4, 4.8), 3.4), layout="constrained")
        for scheme in ds["scheme"].values:
            s = summ.sel(scheme=scheme)
            mean, half = s["mean"].values, 1.96 * np.nan_to_num(s["sem"].values)
            col = SCHEME_COLORS.get(str(scheme))
            feas = 100 * s["feasible"].values
            share = f"{feas.min():.0f} %" if feas.min() == feas.max() else f"{feas.min():.0f}-{feas.max():.0f} %"
            what = "meets constraints" if str(scheme) in UNCONSTRAINED else "feasible, shown"
            ax.plot(k, mean, color=col, ls=_LINESTYLES.get(str(scheme), "-"), marker=_MARKERS.get(str(scheme), "o"),
                    label=f"{_label(str(scheme))} ({what}: {share})")
            ax.fill_between(k, mean - half, mean + half, color=col, alpha=0.18, lw=0)
            none = s["n"].values == 0
            if none.any():  # no feasible design at these kappa: an explicit marker, never a zero rate
                ax.scatter(k[none], np.zeros(none.sum()), marker="x", s=60, color=col, clip_on=False, zorder=5,
                           label=f"{_label(str(scheme))}: no feasible design")
        ax.set_xlabel("MASR threshold $\\kappa$ (dB)")
        ax.set_ylabel("per-UE average secrecy rate (bit/s/Hz)")
        ax.set_title(f"mean over the feasible designs of {ds.sizes['layout']} layouts (baseline: all), "
                     "band = 95 % CI of the mean", fontsize=9)
        ax.set_ylim(bottom=0)
        legend_below(ax, ncol=1 if is_paper() else 2)
        return fig


def fig3_decomposition_summary(ds: xr.Dataset) -> xr.Dataset:
    """Per (scheme, kappa_db), over the shown designs (`_usable`): mean and standard error of the per-UE average
    secrecy rate (`secrecy`), of the minimum UE rate min_k R_k (`rate_ue_min`) and of the max-zone Eve rate
    max_l R_l (`rate_eve_max`), the median of the latter (`rate_eve_max_median`) and the count `n` (bit/s/Hz)."""
    shown = _usable(ds)
    out = {}
    for name, value in (("secrecy", _secrecy_avg(ds)), ("rate_ue_min", ds["rate_ue"].min("ue")),
                        ("rate_eve_max", ds["rate_eve"].max("zone"))):
        v = value.where(shown)
        n = v.count("layout")
        out[name] = v.mean("layout")
        out[f"{name}_sem"] = v.std("layout", ddof=1) / np.sqrt(n)
        out["n"] = n
    out["rate_eve_max_median"] = ds["rate_eve"].max("zone").where(shown).median("layout")
    return xr.Dataset(out)


def plot_fig3_decomposition(ds: xr.Dataset):
    """Fig. 3 taken apart (docs/model.md S1-75): per-UE average secrecy rate, minimum UE rate and max-zone Eve rate
    against kappa (means over the shown designs, 95 % CI bands), with the co-location bound on the Eve rate of any
    design meeting MASR >= kappa, f log2(1 + 1/kappa), and CP's Eve constraint f log2(1 + nu)."""
    import matplotlib.pyplot as plt

    from .colocation import eve_rate_bound, implied_kappa_db

    summ = fig3_decomposition_summary(ds)
    k = ds["kappa_db"].values.astype(float)
    nu = float(ds.attrs.get("nu", np.nan))
    f = float(ds.attrs.get("prelog_factor", 1.0))
    paper = is_paper()
    panels = (("secrecy", "secrecy rate\n(bit/s/Hz)" if paper else "per-UE average secrecy rate (bit/s/Hz)",
               "(a) secrecy (Fig. 3)"),
              ("rate_ue_min", "$\\min_k R_k$ (bit/s/Hz)" if paper else "rate $R_k$ of the weakest UE (bit/s/Hz)",
               "(b) minimum UE rate"),
              ("rate_eve_max", "$\\max_l R_{E,l}$ (bit/s/Hz)" if paper else
               "rate $R_{E,l}$ of the strongest Eve (bit/s/Hz)", "(c) max-zone Eve rate (log scale)"))
    with style():
        fig, axes = plt.subplots(*panel_grid(1, 3), figsize=figsize((11.0, 4.2), 5.6), sharex=paper,
                                 layout="constrained")
        for ax, (var, ylabel, title) in zip(axes, panels):
            for scheme in ds["scheme"].values:
                s = summ.sel(scheme=scheme)
                mean, half = s[var].values, 1.96 * np.nan_to_num(s[f"{var}_sem"].values)
                col = SCHEME_COLORS.get(str(scheme))
                ax.plot(k, mean, color=col, ls=_LINESTYLES.get(str(scheme), "-"),
                        marker=_MARKERS.get(str(scheme), "o"), label=_label(str(scheme)))
                ax.fill_between(k, mean - half, mean + half, color=col, alpha=0.18, lw=0)
            if not paper or var == "rate_eve_max":
                ax.set_xlabel("MASR threshold $\\kappa$ (dB)")
            ax.set_ylabel(ylabel)
            panel_title(ax, title, fontsize=9)
        ax = axes[2]
        kk = np.linspace(k.min(), k.max(), 200)
        ax.plot(kk, eve_rate_bound(10 ** (kk / 10), prelog_factor=f), color="k", ls="--", lw=1.2,
                label="bound for MASR $\\geq\\kappa$: $\\log_2(1+1/\\kappa)$")
        if np.isfinite(nu):
            ax.axhline(f * np.log2(1 + nu), color="k", ls=":", lw=1.2, label="CP's Eve limit $\\log_2(1+\\nu)$")
            k_nu = implied_kappa_db(nu)
            if k.min() <= k_nu <= k.max():
                ax.axvline(k_nu, color="0.5", ls="-.", lw=1.0, label=f"$\\kappa = 1/\\nu$ ({k_nu:.2f} dB)")
        ax.set_yscale("log")
        positive = summ["rate_eve_max"].values[summ["rate_eve_max"].values > 0]
        if positive.size:
            ax.set_ylim(bottom=max(positive.min() / 2, 1e-6))
        for a in axes[:2]:
            a.set_ylim(bottom=0)
        # one legend below the panels: no curve hides behind it
        handles, labels = axes[0].get_legend_handles_labels()
        extra_h, extra_l = ax.get_legend_handles_labels()
        legend_below(axes[0], ncol=1 if paper else 3, handles=handles + extra_h[len(handles):],
                     labels=labels + extra_l[len(labels):])
        prelog = "" if f == 1.0 else f", rates with pre-log {f:.3g}"
        fig.suptitle(f"Fig. 3 decomposed: means over the feasible designs of {ds.sizes['layout']} layouts (baseline: "
                     f"all), bands = 95 % CI of the mean{prelog}", fontsize=10)
        return fig


def plot_fig4(ds: xr.Dataset):
    """Fig. 4: empirical CDF over layouts of the per-UE average secrecy rate for each scheme."""
    import matplotlib.pyplot as plt

    sec = _secrecy_avg(ds).where(_usable(ds))
    with style():
        fig, ax = plt.subplots(figsize=figsize((6.4, 5.0), 3.9), layout="constrained")
        for scheme in ds["scheme"].values:
            x = np.sort(sec.sel(scheme=scheme).values)
            x = x[np.isfinite(x)]
            n_feas = int((ds["feasible"].sel(scheme=scheme) == 1).sum())
            n = ds.sizes["layout"]
            if str(scheme) in UNCONSTRAINED:
                count = f"{n_feas}/{n} meet constr." if is_paper() else f"meets constraints on {n_feas}/{n}"
            else:
                count = f"{n_feas}/{n} feas." if is_paper() else f"{n_feas}/{n} feasible"
            if x.size == 0:  # nothing to draw: say so in the legend instead of a curve at zero
                ax.plot([], [], color=SCHEME_COLORS.get(str(scheme)), ls=":",
                        label=f"{_label(str(scheme))}: no feasible design ({count})")
                continue
            y = np.arange(1, x.size + 1) / x.size
            # line style and marker per scheme: the SP variants' colours are shades of one hue
            ax.step(np.r_[x[0], x], np.r_[0.0, y], where="post", color=SCHEME_COLORS.get(str(scheme)),
                    ls=_LINESTYLES.get(str(scheme), "-"), marker=_MARKERS.get(str(scheme), "o"),
                    markevery=(1, max(1, x.size // 8)), mfc="white" if str(scheme).endswith(("_early", "_paper"))
                    else None, label=f"{_label(str(scheme))} (median {np.median(x):.2f}; {count})")
        ax.set_xlabel("per-UE average secrecy rate (bit/s/Hz)")
        ax.set_ylabel("CDF")
        ax.set_ylim(0, 1)
        title = (f"{ds.sizes['layout']} layouts, $\\kappa$ = {ds.attrs.get('kappa_db', float('nan')):g} dB; "
                 "CDF over the feasible designs (baseline: all)")
        if "cluster_size" in ds.attrs:  # user-centric clusters (not in the paper): say which network this is
            title += (f"\nM = {ds.sizes['ap']} APs, K = {ds.sizes['ue']} UEs, L = {ds.sizes['zone']} zones; each UE "
                      f"served by its {int(ds.attrs['cluster_size'])} strongest APs")
        ax.set_title(title, fontsize=9)
        # below the axes: the steep CDFs leave no free corner
        legend_below(ax, ncol=1 if is_paper() else 2)
        return fig


def plot_layout_map(ds: xr.Dataset):
    """Layout map of one layout: C-APs and S-APs of the CP and SP designs, UEs and sensing zones (Eves)."""
    import matplotlib.pyplot as plt

    panels = [s for s in ("cp", "sp") if s in ds["scheme"].values]
    side = float(ds.attrs.get("side_m", np.nanmax(ds["ap_xy"].values)))
    with style():
        fig, axes = plt.subplots(*panel_grid(1, len(panels)), figsize=figsize((10.0, 5.8), 3.1 * len(panels) + 0.7),
                                 squeeze=False, layout="constrained")
        for i, (ax, scheme) in enumerate(zip(axes.flat, panels)):
            one = ds.sel(scheme=scheme)
            mode = one["ap_mode"].values.astype(int)
            ap = ds["ap_xy"].values
            load = np.where(mode == 1, one["power_c"].sum("ue").values, one["power_s"].sum("zone").values)
            size = 20 + 80 * np.clip(load, 0, 1)
            ax.scatter(ap[mode == 1, 0], ap[mode == 1, 1], s=size[mode == 1], c="#0173b2", marker="o",
                       label="C-AP (communication)", edgecolors="k", linewidths=0.4)
            ax.scatter(ap[mode == 0, 0], ap[mode == 0, 1], s=size[mode == 0], c="#d55e00", marker="^",
                       label="S-AP (sensing)", edgecolors="k", linewidths=0.4)
            ue = ds["ue_xy"].values
            ax.scatter(ue[:, 0], ue[:, 1], c="k", marker="x", s=50, label="UE", clip_on=False)
            zone = ds["zone_xy"].values
            ax.scatter(zone[:, 0], zone[:, 1], facecolors="none", edgecolors="#cc78bc", marker="o", s=400,
                       linewidths=1.5, label="sensing zone" if "eve_xy" in ds else "sensing zone / Eve", clip_on=False)
            eve_off = "eve_xy" in ds  # extension: eavesdroppers off the zone centre (docs/extensions/eavesdroppers.md)
            for l, (x, y) in enumerate(zone):
                ax.annotate(f"zone {l}" if eve_off else f"Eve {l}", (x, y), xytext=(8, 8), textcoords="offset points",
                            fontsize=8)
            if eve_off:
                eve = ds["eve_xy"].values
                ax.scatter(eve[:, 0], eve[:, 1], c="#cc78bc", marker="*", s=90, edgecolors="k", linewidths=0.4,
                           label="eavesdropper", clip_on=False)
                radius = float(ds.attrs.get("eve_radius_m", 0.0))
                for x, y in zone if radius > 0 else []:
                    ax.add_patch(plt.Circle((x, y), radius, fill=False, ls=":", color="#cc78bc", lw=1.0))
            sec = float(one["secrecy_ue"].mean("ue"))
            result = f"avg. secrecy {sec:.2f} bit/s/Hz" if int(one["feasible"]) == 1 else "INFEASIBLE design"
            panel_title(ax, f"({'abcd'[i]}) {_label(scheme)}" if is_paper() else _label(scheme),
                        f"{int(mode.sum())} C-APs, {int((1 - mode).sum())} S-APs, {result}", sep="\n", fontsize=9)
            ax.set_xlim(0, side)
            ax.set_ylim(0, side)
            ax.set_aspect("equal")
            ax.set_xlabel("x (m)")
            ax.set_ylabel("y (m)")
        # below the maps: inside, it covered the APs of a corner
        legend_below(axes.flat[0], ncol=2 if is_paper() else 4, markerscale=0.7)
        fig.suptitle(f"Layout {int(ds['layout'].values)} (marker size = used share of the AP power budget)",
                     fontsize=10)
        return fig


def plot_sweep(ds: xr.Dataset):
    """A study-1 sweep (results/cfmmimo/sweeps/<key>.nc): per-UE average secrecy (mean over the shown designs with
    a 95 % CI band, median dashed), minimum UE rate, maximum Eve rate and feasible share against the swept value,
    one curve per scheme. Shown designs: the feasible ones of the optimised schemes, all of the baseline."""

    key = ds.attrs["sweep_key"]
    shown = _usable(ds)
    with style():
        paper = is_paper()
        fig, axes, x = sweep_figure(ds[key], [
            "secrecy rate\n(bit/s/Hz)" if paper else "per-UE average secrecy rate (bit/s/Hz)",
            "min. UE rate,\nmean (bit/s/Hz)" if paper else "minimum UE rate (bit/s/Hz), mean",
            "max. Eve rate,\nmean (bit/s/Hz)" if paper else "maximum Eve rate (bit/s/Hz), mean",
            "feasible\ndesigns (%)" if paper else "feasible designs (%)"], describe(SystemParams))
        for scheme in ds["scheme"].values:
            s = str(scheme)
            one = ds.sel(scheme=scheme)
            mask = shown.sel(scheme=scheme)
            col, ls, mk = SCHEME_COLORS.get(s), _LINESTYLES.get(s, "-"), _MARKERS.get(s, "o")
            sec = one["secrecy_mean"].where(mask)
            n = sec.count("layout")
            mean = sec.mean("layout").values
            half = 1.96 * np.nan_to_num((sec.std("layout", ddof=1) / np.sqrt(n)).values)
            axes[0, 0].plot(x, mean, color=col, ls=ls, marker=mk, label=_label(s))
            axes[0, 0].fill_between(x, mean - half, mean + half, color=col, alpha=0.18, lw=0)
            axes[0, 0].plot(x, sec.median("layout").values, color=col, ls=":", lw=0.8)
            axes[0, 1].plot(x, one["rate_ue_min"].where(mask).mean("layout").values, color=col, ls=ls, marker=mk)
            axes[1, 0].plot(x, one["rate_eve_max"].where(mask).mean("layout").values, color=col, ls=ls, marker=mk)
            axes[1, 1].plot(x, 100 * (one["feasible"] == 1).mean("layout").values, color=col, ls=ls, marker=mk,
                            label=_label(s) + (" (meets constraints)" if s in UNCONSTRAINED else ""))
            if "eve_violation_rate" in ds:  # extension: eavesdroppers off the zone centre
                axes[1, 1].plot(x, 100 * one["eve_violation_rate"].where(mask).mean("layout").values, color=col,
                                ls="-.", marker="x", label=f"{_label(s)}: Eve SINR violations on unseen positions")
            if "secrecy_unseen_mean" in ds:
                axes[0, 0].plot(x, one["secrecy_unseen_mean"].where(mask).mean("layout").values, color=col, ls="-.",
                                marker="x", lw=1.0)
        axes[0, 0].set_title("mean (band: 95 % CI), median dotted"
                             + ("; dash-dot: mean over unseen Eve positions" if "secrecy_unseen_mean" in ds else ""),
                             fontsize=9)
        if "eve_violation_rate" in ds:
            axes[1, 1].set_ylabel("feasible designs; violations, dash-dot (%)")
        axes[1, 1].set_ylim(-3, 103)
        legend_below(axes[1, 1], ncol=min(3, len(ds["scheme"])))
        fig.suptitle(f"Sweep of {key}: {ds.sizes['layout']} layouts per value; optimised schemes over their "
                     "feasible designs", fontsize=10)
        return fig


def plot_eve_uncertainty(runs):
    """Eavesdroppers off the zone centre (extension, docs/extensions/eavesdroppers.md): CP and SP secrecy and
    feasibility against the uncertainty radius, one line style per run (e.g. {"independent": sweep, "colluding":
    sweep}, each a study-1 sweep summary over eve_radius_m, results/.../cfmmimo/sweeps/eve_radius_m.nc). Panels: the
    per-UE average secrecy rate (mean over the unseen eavesdropper placements of each layout, then over the feasible
    designs), the feasible share, the share of unseen placements above each design's guarantee, and the minimum UE
    rate."""
    names = list(runs)
    if not names:
        raise ValueError("runs: need at least one sweep summary")
    first = runs[names[0]]
    key = first.attrs.get("sweep_key", "eve_radius_m")
    styles = ["-", "--", "-.", ":"]
    with style():
        # at one column (paper style) the panels are 1.6 in wide: short labels, the legend below the panels (the
        # top stays free for a toy label)
        fig, axes, x = sweep_figure(first[key], [
            "per-UE avg. secrecy rate\n(bit/s/Hz), unseen Eve", "feasible designs (%)",
            "unseen Eve positions above\nthe guarantee (%)", "minimum UE rate (bit/s/Hz)"] if is_paper() else [
            "per-UE avg. secrecy rate (bit/s/Hz),\nmean over unseen Eve positions", "feasible designs (%)",
            "unseen Eve positions above the\ndesign's guarantee (%)", "minimum UE rate (bit/s/Hz), mean"])
        for i, name in enumerate(names):
            ds = runs[name]
            if "secrecy_unseen_mean" not in ds or ds.attrs.get("sweep_key", key) != key:
                raise ValueError(f"runs[{name!r}]: not a sweep of {key} with unseen eavesdropper positions")
            xs = np.asarray(ds[key].values, dtype=float)
            shown = _usable(ds)
            for scheme in ds["scheme"].values:
                s = str(scheme)
                one, mask = ds.sel(scheme=scheme), shown.sel(scheme=scheme)
                kw = dict(color=SCHEME_COLORS.get(s), ls=styles[i % len(styles)], marker=_MARKERS.get(s, "o"))
                axes[0, 0].plot(xs, one["secrecy_unseen_mean"].where(mask).mean("layout").values,
                                label=f"{_label(s)}, {name}", **kw)
                axes[0, 1].plot(xs, 100 * (one["feasible"] == 1).mean("layout").values, **kw)
                axes[1, 0].plot(xs, 100 * one["eve_violation_rate"].where(mask).mean("layout").values, **kw)
                axes[1, 1].plot(xs, one["rate_ue_min"].where(mask).mean("layout").values, **kw)
        axes[0, 1].set_ylim(-3, 103)
        axes[1, 0].set_ylim(bottom=-1)
        if is_paper():
            fig.set_size_inches(fig.get_size_inches()[0], 4.8)
            handles, labels = axes[0, 0].get_legend_handles_labels()
            fig.legend(handles, labels, loc="outside lower center", ncol=2, handlelength=3.5)
        else:
            axes[0, 0].legend(loc="best", fontsize=7, handlelength=3.5)  # long enough to show the run's line style
        if key == "eve_radius_m":
            for ax in axes[1]:
                ax.set_xlabel("disc radius r (m)" if is_paper() else
                              "radius of the eavesdroppers' disc around the zone centre, r (m)")
            if is_paper():
                fig.supxlabel("")  # sweep_figure's shared label: each column has its own short one
        n = first.sizes["layout"]
        design = first.attrs.get("eve_design", "")
        fig.suptitle("Eavesdroppers uniform in a disc around each zone centre (not in the paper): "
                     f"{n} layouts per radius" + (f", designs {design}" if design else "")
                     + "; optimised schemes over their feasible designs",
                     fontsize=10)
        return fig


def pilot_contamination_summary(sweeps) -> xr.Dataset:
    """Per (assignment, scheme, tau_p): mean, standard error and count of the per-UE average secrecy rate over the
    shown designs (`_usable`), the mean maximum Eve rate and minimum UE rate over the same designs, and the feasible
    share. sweeps: {pilot assignment: a tau_p sweep dataset (results/cfmmimo/sweeps/tau_p.nc of a run with that
    pilot_assignment, dims (scheme, tau_p, layout))} (docs/extensions/pilot-contamination.md)."""
    parts = []
    for name, ds in sweeps.items():
        if "tau_p" not in ds.dims:
            raise ValueError(f"sweeps[{name!r}]: not a tau_p sweep (dims {dict(ds.sizes)})")
        shown = _usable(ds)
        sec = ds["secrecy_mean"].where(shown)
        n = sec.count("layout")
        parts.append(xr.Dataset({
            "secrecy_mean": sec.mean("layout"), "secrecy_sem": sec.std("layout", ddof=1) / np.sqrt(n), "n": n,
            "rate_eve_max": ds["rate_eve_max"].where(shown).mean("layout"),
            "rate_ue_min": ds["rate_ue_min"].where(shown).mean("layout"),
            "feasible": (ds["feasible"] == 1).mean("layout"),
        }).expand_dims(assignment=[str(name)]))
    return xr.concat(parts, dim="assignment", join="outer")


_ASSIGNMENT_STYLE = {"random": ("#0173b2", "o", "-"), "greedy": ("#d55e00", "s", "--"),
                     "orthogonal": ("#029e73", "^", ":")}


def plot_pilot_contamination(sweeps, schemes=("cp",), K: int | None = None, nu: float | None = None):
    """Pilot contamination (extension, not in the paper): per-UE average secrecy rate (mean, 95 % CI band) and
    maximum Eve rate against the pilot length tau_p, one curve per pilot assignment (and scheme); sweeps as in
    `pilot_contamination_summary`. Pilot lengths >= K (orthogonal pilots for every assignment) are shaded."""
    import matplotlib.pyplot as plt

    summ = pilot_contamination_summary(sweeps)
    first = next(iter(sweeps.values()))
    K = int(first["ue"].size) if K is None and "ue" in first.dims else K
    nu = float(first.attrs.get("nu", np.nan)) if nu is None else nu
    x = summ["tau_p"].values.astype(float)
    with style():
        fig, axes = plt.subplots(*panel_grid(1, 2), figsize=figsize((10.0, 4.0), 4.6), layout="constrained")
        for name in summ["assignment"].values:
            col, mk, ls = _ASSIGNMENT_STYLE.get(str(name), ("0.3", "D", "-."))
            for scheme in schemes:
                one = summ.sel(assignment=name, scheme=scheme)
                mean = one["secrecy_mean"].values
                half = 1.96 * np.nan_to_num(one["secrecy_sem"].values)
                lab = f"{name} pilots, {_label(scheme)}" if len(schemes) > 1 else f"{name} pilot assignment"
                axes[0].plot(x, mean, color=col, marker=mk, ls=ls, label=lab)
                axes[0].fill_between(x, mean - half, mean + half, color=col, alpha=0.15, lw=0)
                axes[1].plot(x, one["rate_eve_max"].values, color=col, marker=mk, ls=ls, label=lab)
        if np.isfinite(nu):
            axes[1].axhline(np.log2(1 + nu), color="0.3", ls=":", lw=1.0, label="$\\log_2(1+\\nu)$ (CP limit)")
        for ax in axes:
            if K is not None:
                ax.axvspan(K - 0.5, x.max() + 0.5, color="0.85", alpha=0.5, lw=0,
                           label=f"$\\tau_p \\geq K$ = {K}: orthogonal pilots" if ax is axes[0] else None)
            ax.set_xlabel("pilot length $\\tau_p$ (symbols)")
            ax.set_xticks(x, [f"{v:g}" for v in x])
            ax.set_xlim(x.min() - 0.5, x.max() + 0.5)
        # at one column's panel height the long label would be clipped
        axes[0].set_ylabel("per-UE avg. secrecy rate (bit/s/Hz)" if is_paper()
                           else "per-UE average secrecy rate (bit/s/Hz)")
        axes[1].set_ylabel("maximum Eve rate (bit/s/Hz), mean")
        high = np.nanmax(summ["secrecy_mean"].sel(scheme=list(schemes)).values)
        axes[0].set_ylim(0, 1.15 * high if np.isfinite(high) and high > 0 else None)  # room above the top point
        top = np.nanmax([np.nanmax(summ["rate_eve_max"].sel(scheme=list(schemes)).values), np.log2(1 + nu)
                         if np.isfinite(nu) else 0.0])
        axes[1].set_ylim(0, 1.25 * top if np.isfinite(top) and top > 0 else 1.0)  # the CP limit is not the frame
        axes[0].legend(loc="lower right")
        axes[1].legend(loc="best")
        n = int(first.sizes.get("layout", 0))
        fig.suptitle(f"Pilot contamination (not in the paper): {', '.join(_label(s) for s in schemes)}, {n} layouts "
                     "per value, mean over feasible designs (band: 95 % CI)", fontsize=10)
        return fig


def coherent_design_summary(reported: xr.Dataset, coherent: xr.Dataset) -> xr.Dataset:
    """Per (scheme, kappa_db), from two Fig. 3 datasets on the same layouts, both evaluated under coherent sensing
    combining: `reported` holds the (12)/(17) designs (cfmmimo.solver.sensing_design: noncoherent), `coherent` the
    designs optimised under coherent combining (sensing_design: coherent). Variables (suffix _reported / _coherent):
    feasible share, mean and 95 % CI half-width of the per-UE average secrecy rate over the feasible designs; and
    the paired change coherent - reported over the layouts where both are feasible (mean, CI half-width, count)."""
    out = {}
    pair = (reported["feasible"] == 1) & (coherent["feasible"] == 1)
    for name, ds in (("reported", reported), ("coherent", coherent)):
        sec = _secrecy_avg(ds).where(ds["feasible"] == 1)
        n = sec.count("layout")
        out[f"feasible_{name}"] = ds["feasible"].mean("layout")
        out[f"mean_{name}"] = sec.mean("layout")
        out[f"ci_{name}"] = 1.96 * sec.std("layout", ddof=1) / np.sqrt(n)
    diff = (_secrecy_avg(coherent) - _secrecy_avg(reported)).where(pair)
    n = diff.count("layout")
    out["change_mean"] = diff.mean("layout")
    out["change_ci"] = 1.96 * diff.std("layout", ddof=1) / np.sqrt(n)
    out["n_paired"] = n
    return xr.Dataset(out)


def plot_coherent_design(reported: xr.Dataset, coherent: xr.Dataset):
    """Designs that hold under coherent sensing combining (not in the paper; docs/extensions/coherent-sensing.md):
    two Fig. 3 datasets on the same layouts and kappa grid, both evaluated with the coherent closed forms (system
    key sensing_combining: coherent), `reported` from the (12)/(17) designs, `coherent` from the designs optimised
    under coherent combining (solver key sensing_design: coherent). Panels: (a) per-UE average secrecy rate over
    the designs that meet their constraints under coherent combining (mean, 95 % CI band), (b) the share of such
    designs, (c) the paired change coherent - (12)/(17) design on the layouts where both are feasible (mean,
    95 % CI). Solid: coherent designs; dashed: (12)/(17) designs; one colour and marker per scheme."""
    import matplotlib.pyplot as plt

    # the baseline optimises nothing (equal power, either sensing model): the same design in both runs
    schemes = [s for s in coherent["scheme"].values if s in reported["scheme"].values and s not in UNCONSTRAINED]
    if not schemes:
        raise ValueError("reported, coherent: the two datasets share no scheme")
    if not np.array_equal(reported["layout"].values, coherent["layout"].values):
        raise ValueError("reported, coherent: the datasets must hold the same layouts")
    kap = np.intersect1d(reported["kappa_db"].values, coherent["kappa_db"].values)
    rep, coh = reported.sel(kappa_db=kap, scheme=schemes), coherent.sel(kappa_db=kap, scheme=schemes)
    summ = coherent_design_summary(rep, coh)
    with style():
        fig, axes = plt.subplots(*panel_grid(1, 3), figsize=figsize((12.0, 4.0), 6.4), layout="constrained")
        for scheme in schemes:
            s = summ.sel(scheme=scheme)
            col, mk, lab = SCHEME_COLORS.get(str(scheme)), _MARKERS.get(str(scheme), "o"), _label(str(scheme))
            names = ("coherent design", "(12)/(17) design") if is_paper() else ("designed coherent",
                                                                                "designed (12)/(17)")
            designs = (("coherent", "-", names[0]), ("reported", "--", names[1]))
            for which, ls, what in designs:
                mean, half = s[f"mean_{which}"].values, np.nan_to_num(s[f"ci_{which}"].values)
                axes[0].plot(kap, mean, color=col, ls=ls, marker=mk, mfc="none" if ls == "--" else col,
                             label=f"{lab}, {what}")
                axes[0].fill_between(kap, mean - half, mean + half, color=col, alpha=0.12, lw=0)
                axes[1].plot(kap, 100 * s[f"feasible_{which}"].values, color=col, ls=ls, marker=mk,
                             mfc="none" if ls == "--" else col, label=f"{lab}, {what}")
            mean, half = s["change_mean"].values, np.nan_to_num(s["change_ci"].values)
            axes[2].errorbar(kap, mean, yerr=half, color=col, marker=mk, capsize=3,
                             label=f"{lab} ({int(s['n_paired'].min())}-{int(s['n_paired'].max())} paired layouts)")
        axes[2].axhline(0.0, color="0.3", lw=0.8)
        # one column (paper style): a label that fits the panel height, the legend of (a) and (b) below the panels
        axes[0].set_ylabel("per-UE avg. secrecy\nrate (bit/s/Hz)" if is_paper()
                           else "per-UE average secrecy rate (bit/s/Hz)")
        axes[0].set_title("(a) mean over the designs feasible under\ncoherent combining (band: 95 % CI)", fontsize=9)
        axes[1].set_ylabel("designs meeting their constraints (%)")
        lowest = 100 * float(min(summ["feasible_reported"].min(), summ["feasible_coherent"].min()))
        axes[1].set_ylim(max(-3.0, lowest - 12.0), 103)
        axes[1].set_title("(b) MASR, Eve / QoS and budgets met\nunder coherent combining", fontsize=9)
        axes[2].set_ylabel("secrecy rate change (bit/s/Hz)")
        axes[2].set_title("(c) coherent - (12)/(17) design, paired on the\nlayouts where both are feasible "
                          "(mean, 95 % CI)", fontsize=9)
        for ax in axes:
            ax.set_xlabel("MASR threshold $\\kappa$ (dB)")
        if is_paper():
            handles, labels = axes[1].get_legend_handles_labels()
            fig.legend(handles, labels, loc="outside lower center", ncol=2)
        else:
            axes[1].legend(loc="lower left", fontsize=7)
        axes[2].legend(loc="best", fontsize=7)
        fig.suptitle(f"Designs under coherent sensing combining (not in the paper): {coherent.sizes['layout']} "
                     "layouts, every design evaluated with the coherent closed forms", fontsize=10)
        return fig


def plot_cluster_loss(ds: xr.Dataset):
    """Cost of user-centric clusters (not in the paper; docs/extensions/city-scale.md): per-UE average secrecy rate
    and minimum UE rate of CP designs with clusters and with every AP serving every UE on the same layouts against
    M (mean over the layouts with a 95 % CI band), and the relative loss of the clustered designs (per layout, mean
    and 95 % CI; feasible in both only).

    ds (scripts/benchmark_clusters.py): variables secrecy_avg, rate_ue_min, feasible over (cluster_size, M,
    layout); cluster_size 0 = every AP serves every UE; attrs K_ratio, L."""
    import matplotlib.pyplot as plt

    sizes = [int(c) for c in ds["cluster_size"].values]
    full = ds.sel(cluster_size=0)
    M = ds["M"].values
    colors = {0: "#0173b2"}
    markers = {0: "o"}
    with style():
        fig, axes = plt.subplots(1, 3, figsize=(11.0, 3.8), layout="constrained")
        for c in sizes:
            one = ds.sel(cluster_size=c)
            ok = one["feasible"] == 1
            col = colors.get(c, "#d55e00")
            lab = "every AP serves every UE" if c == 0 else f"clusters of {c} APs"
            for ax, var in zip(axes[:2], ("secrecy_avg", "rate_ue_min")):
                v = one[var].where(ok)
                n = v.count("layout")
                mean = v.mean("layout").values
                half = 1.96 * np.nan_to_num((v.std("layout", ddof=1) / np.sqrt(n)).values)
                ax.plot(M, mean, color=col, marker=markers.get(c, "s"), ls="-" if c == 0 else "--", label=lab)
                ax.fill_between(M, mean - half, mean + half, color=col, alpha=0.18, lw=0)
            if c == 0:
                continue
            both = ok & (full["feasible"] == 1)
            loss = 100 * (1 - one["secrecy_avg"] / full["secrecy_avg"]).where(both)
            n = loss.count("layout")
            mean = loss.mean("layout").values
            half = 1.96 * np.nan_to_num((loss.std("layout", ddof=1) / np.sqrt(n)).values)
            axes[2].errorbar(M, mean, yerr=half, color=col, marker="s", capsize=3,
                             label=f"clusters of {c} APs ({int(n.min())}-{int(n.max())} layouts feasible in both)")
        axes[0].set_ylabel("per-UE average secrecy rate (bit/s/Hz)")
        axes[1].set_ylabel("minimum UE rate (bit/s/Hz)")
        axes[2].set_ylabel("secrecy loss against every AP serving (%)")
        axes[2].axhline(0.0, color="0.5", lw=0.8)
        for ax in axes:
            ax.set_xscale("log", base=2)
            ax.set_xticks(M, [str(int(m)) for m in M])
            ax.set_xlabel("number of APs $M$")
        axes[0].legend(loc="best")
        axes[2].legend(loc="best", fontsize=7)
        K = [int(m) // int(ds.attrs.get("K_ratio", 1)) for m in M]
        fig.suptitle(f"CP designs with and without user-centric clusters on the same {ds.sizes['layout']} layouts "
                     f"per M (K = {', '.join(map(str, K))} UEs, L = {ds.attrs.get('L', '?')} zones); "
                     "feasible designs, band / bars = 95 % CI of the mean", fontsize=9)
        return fig


PLOTTERS = {"fig2": plot_fig2, "fig3": plot_fig3, "fig4": plot_fig4, "layout_map": plot_layout_map,
            "fig3_decomposition": plot_fig3_decomposition, "sweep": plot_sweep}
