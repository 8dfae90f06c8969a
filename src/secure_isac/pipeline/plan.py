"""What the workflow computes and in which files: job granularity, the configuration each job gets, file paths.

The rerun policy lives here: every job receives only the keys it depends on (as canonical JSON params), so that
changing a key reruns exactly the jobs that use it (config/README.md, "what reruns"). Paths are relative to the
run's working directory; the exact configured values reach the library through these configs, never parsed back
from a path (labels.value_label).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..dfbs.params import DfbsParams, secrecy_target_grid, validate_snr
from .labels import label_map, value_label
from .settings import CF_SCHEMES, DF_SCHEMES  # noqa: F401  (the scheme vocabulary of the paths)

# --- study 1 (cfmmimo) -------------------------------------------------------------------------------------------
CF = "results/cfmmimo"
CF_FIGURES = ("fig2", "fig3", "fig4")  # datasets; the layout map is drawn from fig2.nc
CF_PLOTS = ("fig2", "fig3", "fig4", "layout_map")
# SystemParams keys that shape the geometry (layout jobs) and those that enter only the optimisation (designs):
# the layout and channel jobs ignore the latter, so changing them redraws nothing
LAYOUT_KEYS = ("M", "K", "L", "side_m")
OPTIMISATION_ONLY_KEYS = ("N", "tau", "rho_w", "nu", "varsigma_db", "kappa_db", "ue_sinr_form", "prelog")


def as_json(value: Any) -> str:
    """Canonical JSON text of a job's config (params compare as text, independent of dict order)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def cf_batches(config: Mapping, n_layouts: int) -> list[int]:
    """Layout batches covering the first n_layouts layouts."""
    return list(range(-(-int(n_layouts) // int(config["cfmmimo"]["batch_size"]))))


def cf_fig2_batch(config: Mapping) -> int:
    return int(config["cfmmimo"]["fig2"]["layout"]) // int(config["cfmmimo"]["batch_size"])


def cf_kappas(config: Mapping) -> dict[str, float]:
    """Every kappa a design job can be asked for, by path label (the default point and the Fig. 3 sweep)."""
    cf = config["cfmmimo"]
    return label_map([cf["system"]["kappa_db"], *cf["fig3"]["kappa_db"]])


def cf_design_path(scheme: str, kappa_db: float, batch: int) -> str:
    return f"{CF}/designs/{scheme}/kappa{value_label(kappa_db)}/batch{batch}.nc"


def cf_batch_path(kind: str, batch: int) -> str:
    return f"{CF}/{kind}/batch{batch}.nc"


def _system(config: Mapping, keep=None, drop=()) -> dict:
    system = dict(config["cfmmimo"]["system"])
    if keep is not None:
        system = {k: v for k, v in system.items() if k in keep}
    return {k: v for k, v in system.items() if k not in drop}


def _batch_config(config: Mapping, batch: int) -> dict:
    return {"seed": config["seed"], "batch": int(batch), "batch_size": config["cfmmimo"]["batch_size"]}


def cf_layout_config(config: Mapping, batch: int) -> str:
    return as_json({**_batch_config(config, batch), "system": _system(config, keep=LAYOUT_KEYS)})


def cf_channel_config(config: Mapping, batch: int) -> str:
    return as_json({**_batch_config(config, batch), "system": _system(config, drop=OPTIMISATION_ONLY_KEYS)})


def cf_optimise_config(config: Mapping, scheme: str, kappa_db: float, batch: int) -> str:
    # the sweep point's exact kappa; the default kappa_db is dropped so that changing it leaves other points alone
    return as_json({**_batch_config(config, batch), "scheme": scheme, "kappa_db": float(kappa_db),
                    "system": _system(config, drop=("kappa_db",)), "solver": config["cfmmimo"]["solver"]})


def cf_figure_config(config: Mapping, figure: str) -> str:
    """Config of a figure's aggregate (Fig. 3 sweeps kappa, so it does not depend on the default kappa_db)."""
    cf = config["cfmmimo"]
    drop = ("kappa_db",) if figure == "fig3" else ()
    return as_json({**cf[figure], "batch_size": cf["batch_size"], "seed": config["seed"],
                    "system": _system(config, drop=drop)})


def cf_designs(config: Mapping, figure: str) -> list[str]:
    """Design batch files of a figure (Fig. 2 and Fig. 3's default point reuse Fig. 4's files)."""
    cf = config["cfmmimo"]
    k0 = cf["system"]["kappa_db"]
    if figure == "fig2":
        return [cf_design_path(s, k0, cf_fig2_batch(config)) for s in cf["fig2"]["schemes"]]
    kappas = cf["fig3"]["kappa_db"] if figure == "fig3" else [k0]
    return [cf_design_path(s, k, b) for s in cf[figure]["schemes"] for k in kappas
            for b in cf_batches(config, cf[figure]["n_layouts"])]


def cf_scenario(config: Mapping, figure: str, kind: str) -> list[str]:
    """Layout or channel batch files of a figure."""
    if figure == "fig2":
        return [cf_batch_path(kind, cf_fig2_batch(config))]
    return [cf_batch_path(kind, b) for b in cf_batches(config, config["cfmmimo"][figure]["n_layouts"])]


# --- study 2 (dfbs) ----------------------------------------------------------------------------------------------
DF = "results/dfbs"
DF_FIGURES = ("fig2", "fig3", "fig4")


def df_points(config: Mapping, figure: str) -> list[tuple[float, float]]:
    """The (P dBm, R-bar) design points of one figure: Fig. 2 one point, Fig. 3 the P x R-bar grid (R-bar below
    log2(1 + N_RF P/noise), at most secrecy_max), Fig. 4 the P values. ValueError naming the key of an empty grid
    or a P out of range."""
    df = config["dfbs"]
    fig = df[figure]
    params = DfbsParams(**df["params"])
    powers = [fig["power_dbm"]] if figure == "fig2" else fig["power_dbm"]
    for p in powers:
        validate_snr(params, p)
    if figure == "fig2":
        return [(float(fig["power_dbm"]), float(fig["secrecy_target"]))]
    if figure == "fig4":
        return [(float(p), float(fig["secrecy_target"])) for p in fig["power_dbm"]]
    out = []
    for p in fig["power_dbm"]:
        rs = secrecy_target_grid(params, float(p), float(fig["secrecy_step"]), start=float(fig["secrecy_start"]),
                                 maximum=float(fig["secrecy_max"])).tolist()
        if not rs:
            raise ValueError(f"secrecy_start: no secrecy target below the bound log2(1 + N_RF P/noise) at P = {p} dBm")
        out += [(float(p), r) for r in rs]
    return out


def df_point_labels(config: Mapping) -> dict[tuple[str, str], tuple[float, float]]:
    """Every (P, R-bar) point of the three figures by its path labels -> the exact configured values."""
    return {(value_label(p), value_label(r)): (p, r) for f in DF_FIGURES for p, r in df_points(config, f)}


def df_design_path(scheme: str, power_dbm: float, secrecy_target: float) -> str:
    return f"{DF}/designs/{scheme}/p{value_label(power_dbm)}_r{value_label(secrecy_target)}.nc"


def df_reference_path(scheme: str) -> str:
    return f"{DF}/references/{scheme}.nc"


def df_designs(config: Mapping, figure: str) -> list[str]:
    return [df_design_path(s, p, r) for s in config["dfbs"][figure]["schemes"] for p, r in df_points(config, figure)]


def df_scheme_config(config: Mapping, scheme: str) -> str:
    # the seed matters only for random_aa: other schemes do not rerun when it changes
    cfg = {"scheme": scheme, "params": config["dfbs"]["params"]}
    if scheme == "random_aa":
        cfg["seed"] = config["seed"]
    return as_json(cfg)


def df_design_config(config: Mapping, scheme: str, power_dbm: float, secrecy_target: float) -> str:
    return as_json({**json.loads(df_scheme_config(config, scheme)), "power_dbm": float(power_dbm),
                    "secrecy_target": float(secrecy_target)})


def df_figure_config(config: Mapping, figure: str) -> str:
    df = config["dfbs"]
    return as_json({**df[figure], "seed": config["seed"], "params": df["params"]})


# --- both studies ------------------------------------------------------------------------------------------------
def figure_config(config: Mapping, study: str, figure: str) -> str:
    """The params.config JSON of a figure's aggregate job (also what its dataset records in config_json)."""
    return cf_figure_config(config, figure) if study == "cfmmimo" else df_figure_config(config, figure)


def intermediates(config: Mapping, study: str, plot: str) -> list[str]:
    """Every NetCDF file a plot is made from (layouts, channels, designs or references and design points) and its
    dataset. The targets list them: one that is missing (or deleted at parse time as unreadable, pipeline.files)
    is rebuilt even when the figures made from it are still present."""
    figure = "fig2" if plot == "layout_map" else plot
    if study == "cfmmimo":
        files = [*cf_designs(config, figure), *cf_scenario(config, figure, "layouts"),
                 *cf_scenario(config, figure, "channels")]
        return [*files, f"{CF}/{figure}.nc"]
    refs = [df_reference_path(s) for s in config["dfbs"][figure]["schemes"]]
    return [*refs, *df_designs(config, figure), f"{DF}/{figure}.nc"]


PLOTS = {"cfmmimo": CF_PLOTS, "dfbs": DF_FIGURES}
