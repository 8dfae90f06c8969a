"""Study 1's configuration checks at parse time (pipeline.config asks the Cfmmimo facade, which delegates here):
limits.* on its counts before any list is built, and every scheme of a figure or a sweep able to design for its
system (ConfigError naming the key)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...cfmmimo.params import SystemParams
from ..errors import ConfigError, check_count


def check_limits(config: Mapping[str, Any]) -> None:
    """limits.* on study 1's counts (layouts per batch and per figure, kappa points, design jobs), from counts
    computed before any list is built (ConfigError naming the key)."""
    lim, cf = config["limits"], config["cfmmimo"]
    max_layouts, max_points, max_jobs = (int(lim[k]) for k in ("max_layouts", "max_points", "max_jobs"))
    bs = int(cf["batch_size"])
    check_count(bs, max_layouts, "cfmmimo.batch_size", "layouts per batch", "max_layouts")
    check_count(int(cf["fig2"]["layout"]) + 1, max_layouts, "cfmmimo.fig2.layout", "layouts (index + 1)",
                "max_layouts")
    for fig in ("fig3", "fig4"):
        n = int(cf[fig]["n_layouts"])
        check_count(n, max_layouts, f"cfmmimo.{fig}.n_layouts", "layouts", "max_layouts")
        kappas = len(cf[fig]["kappa_db"]) if fig == "fig3" else 1
        check_count(kappas, max_points, f"cfmmimo.{fig}.kappa_db", "sweep points", "max_points")
        jobs = len(cf[fig]["schemes"]) * kappas * -(-n // bs)
        check_count(jobs, max_jobs, f"cfmmimo.{fig}", "design jobs (schemes x kappa x batches)", "max_jobs")


def check_support(config: Mapping[str, Any]) -> None:
    """cfmmimo.design.check_scheme_supports: the paper-faithful SCA has no pilot contamination, no robust grid
    no colluding eavesdroppers and no user-centric clusters; the coherent design has no eavesdropper off the zone
    centre and no user-centric clusters."""
    from ...cfmmimo.design import check_scheme_supports, sensing_model
    from ...cfmmimo.options import SolverOptions

    cf = config["cfmmimo"]
    uses = [(f"cfmmimo.{fig}.schemes", cf[fig]["schemes"], cf["system"]) for fig in ("fig2", "fig3", "fig4")]
    uses += [(f"cfmmimo.sweeps.{key}.schemes", sweep["schemes"], {**cf["system"], key: value})
             for key, sweep in cf.get("sweeps", {}).items() for value in sweep["values"]]
    options = SolverOptions(**cf["solver"])
    for where, schemes, system in uses:
        params = SystemParams(**system)
        for scheme in schemes:
            try:
                check_scheme_supports(scheme, params, None, sensing_model(scheme, options))
            except ValueError as exc:
                raise ConfigError(f"{where}: {exc}") from None


def check_sweep_limits(config: Mapping[str, Any], key: str, sweep: Mapping[str, Any]) -> None:
    """limits.* on one study-1 sweep: its layouts and its design jobs (values x schemes x batches)."""
    lim, where = config["limits"], f"cfmmimo.sweeps.{key}"
    if sweep["n_layouts"] > lim["max_layouts"]:
        raise ConfigError(f"{where}.n_layouts: {sweep['n_layouts']} layouts exceed limits.max_layouts "
                          f"= {lim['max_layouts']}")
    jobs = len(sweep["values"]) * len(sweep["schemes"]) * -(-int(sweep["n_layouts"])
                                                             // int(config["cfmmimo"]["batch_size"]))
    if jobs > lim["max_jobs"]:
        raise ConfigError(f"{where}: {jobs} design jobs (values x schemes x batches) exceed "
                          f"limits.max_jobs = {lim['max_jobs']}")
