"""Study 1 (cfmmimo) in the workflow: layouts -> large-scale fading -> designs (scheme x kappa x batch) -> one
dataset per figure; a sweep value is the Fig. 4 variables of one value of a cfmmimo.system key.

Its jobs (workflow/rules/cfmmimo.smk) read three scopes: the layouts the geometry keys and the seed, the channels
also the path-loss keys, the designs of a scheme also the optimisation keys and the solver options that scheme
reads (cfmmimo.options.FIELDS_READ) and the system keys it reads (all but cfmmimo.schemes.SYSTEM_KEYS_NOT_READ), so
changing an SP-only option or SP's QoS floor varsigma_db leaves the CP and baseline designs in place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ...cfmmimo.options import options_of_scheme
from ...cfmmimo.params import SystemParams
from ...cfmmimo.schemes import SCHEMES, SYSTEM_KEYS_NOT_READ
from ..runs import Run, as_json
from .base import Add
from .cfmmimo_files import CfmmimoFiles

# SystemParams keys that shape the geometry (layout jobs) and those that enter only the optimisation (designs):
# the layout and channel jobs ignore the latter, so changing them redraws nothing
LAYOUT_KEYS = ("M", "K", "L", "side_m")
OPTIMISATION_ONLY_KEYS = ("N", "tau", "rho_w", "nu", "nu_unit", "varsigma_db", "kappa_db", "ue_sinr_form", "prelog",
                          "sensing_combining", "cluster_size")


def _system(config: Mapping, keep=None, drop=()) -> dict:
    system = dict(config["cfmmimo"]["system"])
    if keep is not None:
        system = {k: v for k, v in system.items() if k in keep}
    return {k: v for k, v in system.items() if k not in drop}


class Cfmmimo(CfmmimoFiles):
    """Study 1 behind the Study protocol: its configuration, scopes and job configs, sweeps and outputs here; its
    path templates and files in CfmmimoFiles (cfmmimo_files), its checks, cluster requests and job-side outputs in
    the sibling modules cfmmimo_checks, cfmmimo_cluster and cfmmimo_outputs, imported where they are used."""

    name = "cfmmimo"
    job_code = {"plot": ("secure_isac.cfmmimo.figures",), "claims": ("secure_isac.cfmmimo.claims",)}
    title = "Study 1: cell-free massive MIMO ISAC"
    claims_title = "Study 1 (cfmmimo, arXiv:2603.18635)"
    schemes = SCHEMES
    plots = ("fig2", "fig3", "fig4", "layout_map", "fig3_decomposition")
    plot_dataset = {"layout_map": "fig2", "fig3_decomposition": "fig3"}  # plots drawn from another plot's dataset
    claims_data = ("fig3", "fig4")
    readings_search = True  # paper 1's claims under every combination of its open choices (pipeline.readings)
    wildcards = {"batch": r"[0-9]+"}
    sweep_keys_text = "a key of cfmmimo.system"
    layout_figures = ("fig3", "fig4")  # Fig. 2 shows one layout whatever the run's size

    # --- configuration -------------------------------------------------------------------------------------------
    def section(self) -> type:
        from ..settings.cfmmimo import Cfmmimo

        return Cfmmimo

    def sensitivity_overlay(self) -> dict:
        # Fig. 3's claims compare cp and sp between the smallest and the largest kappa (cfmmimo.claims.kappa_change)
        return {"fig3": {"kappa_db": [0.0, 20.0], "schemes": ["cp", "sp"]},
                "fig4": {"n_layouts": 100, "schemes": ["cp", "sp", "baseline"]}}

    def readme_blocks(self) -> dict:
        from ..settings.cfmmimo import solver_scopes

        return {"solver scopes": solver_scopes}

    def check_limits(self, config: Mapping[str, Any]) -> None:
        from .cfmmimo_checks import check_limits

        check_limits(config)

    def check_support(self, config: Mapping[str, Any]) -> None:
        from .cfmmimo_checks import check_support

        check_support(config)

    def sweep_keys(self) -> tuple[str, ...]:
        return tuple(SystemParams.__pydantic_fields__)  # every field of cfmmimo.system

    def canonical_sweep_value(self, config: Mapping[str, Any], key: str, value: Any) -> Any:
        from ..settings.sections import plain

        return plain(getattr(SystemParams(**{**config["cfmmimo"]["system"], key: value}), key))

    def check_sweep_limits(self, config: Mapping[str, Any], key: str, sweep: Mapping[str, Any]) -> None:
        from .cfmmimo_checks import check_sweep_limits

        check_sweep_limits(config, key, sweep)

    # --- scopes and job configs (its files: CfmmimoFiles) ---------------------------------------------------------
    def kinds(self) -> tuple[str, ...]:
        """layouts, channels and designs/<scheme> (a design folder's scope depends on its scheme's options)."""
        return ("layouts", "channels", *(f"designs/{s}" for s in SCHEMES))

    def scope(self, config: Mapping[str, Any], kind: str) -> dict:
        cf = config["cfmmimo"]
        batch = {"seed": config["seed"], "batch_size": cf["batch_size"]}
        if kind == "layouts":
            return {**batch, "system": _system(config, keep=LAYOUT_KEYS)}
        if kind == "channels":
            return {**batch, "system": _system(config, drop=OPTIMISATION_ONLY_KEYS)}
        if kind.startswith("designs/"):  # the design's kappa is in its path
            scheme = kind[len("designs/"):]
            # the optimisation keys the scheme reads, with every channel key (its input file): e.g. no varsigma_db
            # for cp, cp_paper and the baseline, whose designs at two varsigma levels are identical
            return {**batch, "solver": options_of_scheme(cf["solver"], scheme),
                    "system": _system(config, drop=("kappa_db", *SYSTEM_KEYS_NOT_READ[scheme]))}
        raise ValueError(f"kind: unknown study-1 intermediate kind {kind!r}; known: {self.kinds()}")

    def layout_config(self, config: Mapping, batch: int) -> str:
        return as_json({**self.scope(config, "layouts"), "batch": int(batch)})

    def channel_config(self, config: Mapping, batch: int) -> str:
        return as_json({**self.scope(config, "channels"), "batch": int(batch)})

    def optimise_config(self, config: Mapping, scheme: str, kappa_db: float, batch: int) -> str:
        # the point's exact kappa; the default kappa_db is dropped so that changing it leaves other points alone
        return as_json({**self.scope(config, f"designs/{scheme}"), "batch": int(batch), "scheme": scheme,
                        "kappa_db": float(kappa_db)})

    def figure_config(self, config: Mapping[str, Any], figure: str) -> str:
        """Config of a figure's aggregate (Fig. 3 sweeps kappa, so it does not depend on the default kappa_db)."""
        cf = config["cfmmimo"]
        drop = ("kappa_db",) if figure == "fig3" else ()
        return as_json({**cf[figure], "batch_size": cf["batch_size"], "seed": config["seed"],
                        "system": _system(config, drop=drop)})

    # --- cluster requests (profiles/slurm): derived from the problem size, within the limit the profile states -----
    def optimise_runtime(self, config: Mapping, limit: int | None = None) -> int:
        """SLURM runtime (minutes) of one cfmmimo_optimise job (cfmmimo_cluster.optimise_runtime)."""
        from .cfmmimo_cluster import optimise_runtime

        return optimise_runtime(config, limit)

    def optimise_mem_mb(self, config: Mapping, scheme: str) -> int:
        """SLURM memory (MB) of one cfmmimo_optimise job of `scheme` (cfmmimo_cluster.optimise_mem_mb)."""
        from .cfmmimo_cluster import optimise_mem_mb

        return optimise_mem_mb(config, scheme)

    # --- sweeps: each value is Fig. 4 with the sweep's layouts and schemes ---------------------------------------
    def with_sweep_value(self, config: dict, key: str, value: Any, sweep: Mapping[str, Any]) -> None:
        config["cfmmimo"]["system"][key] = value
        config["cfmmimo"]["fig4"] = {"n_layouts": sweep["n_layouts"], "schemes": sweep["schemes"]}

    def sweep_value_of(self, config: Mapping[str, Any], key: str) -> Any:
        return config["cfmmimo"]["system"][key]

    def sweep_value_inputs(self, value_run: Run, key: str) -> dict[str, list[str]]:
        return self.figure_inputs(value_run, "fig4")

    def sweep_value_scope(self, value_run: Run, key: str) -> dict:
        return json.loads(self.figure_config(value_run.config, "fig4"))

    def sweep_summary_scope(self, run: Run, key: str) -> dict:
        return {"seed": run.config["seed"], "system": _system(run.config, drop=(key,))}

    def sweep_chain(self, value_run: Run, key: str, add: Add) -> None:
        self.chain(value_run, "fig4", add)

    # --- outputs (job side) --------------------------------------------------------------------------------------
    def plotters(self) -> dict:
        from ...cfmmimo.figures import PLOTTERS

        return PLOTTERS

    # --- figures drawn from several runs (the extensions, docs/extensions/) ----------------------------------------
    def extension_figures(self, runs, swept) -> dict[str, dict[str, str]]:
        """eve_uncertainty, pilot_contamination and coherent_design (studies.cfmmimo_extensions)."""
        from .cfmmimo_extensions import extension_figures

        return extension_figures(self, runs, swept, LAYOUT_KEYS)

    def extension_plotters(self) -> dict:
        from ...cfmmimo import figures

        def pilot(data):  # K (the pilot lengths with orthogonal pilots are shaded) from the sweep's configuration
            system = json.loads(next(iter(data.values())).attrs["config_json"])["config"]["system"]
            return figures.plot_pilot_contamination(data, schemes=("cp",), K=int(system["K"]))

        return {"eve_uncertainty": figures.plot_eve_uncertainty,
                "pilot_contamination": pilot,
                "coherent_design": lambda data: figures.plot_coherent_design(data["reported"], data["coherent"])}

    def claims_table(self, *datasets):
        from ...cfmmimo.claims import claims_table

        return claims_table(*datasets)

    def headlines(self, folder, open_dataset, sweeps: bool) -> list[dict]:
        from .cfmmimo_outputs import headlines

        return headlines(folder, open_dataset, sweeps)

    def sensitivity_rows(self, csv_path, reference=None, level: float = 0.95):
        from .cfmmimo_outputs import sensitivity_rows

        return sensitivity_rows(csv_path, reference, level)


STUDY = Cfmmimo()
