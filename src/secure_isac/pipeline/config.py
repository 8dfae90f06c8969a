"""The one validation route of the workflow configuration, run at parse time before any job or list of jobs.

1. `--config` overrides of nested keys are typed as in a YAML file (`typed_cli_overrides`);
2. the typed classes of pipeline.settings check names, types, bounds, finiteness and the cross-field rules of
   the library's parameter classes, and fill the defaults;
3. the limits on layouts, sweep points and jobs per figure are checked from counts, before any list exists;
4. the study-2 design points of every figure are checked (P over the noise, a non-empty Fig. 3 R-bar grid).

Every error names the key (dotted path, list items as [i]).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import yaml
from pydantic import ValidationError

from ..fields import error_lines
from .settings import WorkflowConfig, plain


class ConfigError(ValueError):
    """A configuration value the workflow cannot run with; the message names the key."""


def typed_cli_overrides(overrides: Mapping[str, Any]) -> dict:
    """`--config key={nested: value}` overrides with their nested values typed as in a YAML file.

    Snakemake parses a nested `--config` value with YAML's BaseLoader, which keeps every scalar inside it as
    text ('3', 'true'); top-level values are already typed. Each nested scalar is re-read with yaml.safe_load,
    so `--config 'cfmmimo={batch_size: 3}'` means the same as the YAML file `cfmmimo: {batch_size: 3}`.
    """

    def typed(value):
        if isinstance(value, Mapping):
            return {k: typed(v) for k, v in value.items()}
        if isinstance(value, list):
            return [typed(v) for v in value]
        if isinstance(value, str):
            return yaml.safe_load(value) if value.strip() else value
        return value

    return {k: typed(v) if isinstance(v, (Mapping, list)) else v for k, v in overrides.items()}


def yaml_number_hint(value: Any) -> str:
    """Hint for a number written as text, e.g. 1e3, which YAML 1.1 (PyYAML) reads as a string."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return ""
        return (f" (YAML 1.1 reads {value!r} as text: write numbers in exponent form with a dot and a signed "
                f"exponent, e.g. 1.0e+3 or 1.0e-6)")
    return ""


def validate_config(config: Mapping[str, Any]) -> dict:
    """The validated configuration with every default filled in, as plain data; ConfigError naming the key."""
    try:
        typed = WorkflowConfig.model_validate(dict(config))
    except ValidationError as exc:
        lines = [line + yaml_number_hint(err.get("input"))
                 for line, err in zip(error_lines(exc), exc.errors())]
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(lines[:8])) from None
    data = plain(typed)
    check_limits(data)
    check_points(data)
    return data


def check_limits(config: Mapping[str, Any]) -> None:
    """Bounds on layouts, sweep points and design jobs per figure, from counts computed before any list exists."""
    lim = config["limits"]
    max_layouts, max_points, max_jobs = (int(lim[k]) for k in ("max_layouts", "max_points", "max_jobs"))
    cf = config["cfmmimo"]
    bs = int(cf["batch_size"])

    def need(count, limit, key, what, limit_key):
        if count > limit:
            raise ConfigError(f"{key}: {count} {what} exceed limits.{limit_key} = {limit} (raise limits.{limit_key} "
                              f"if you mean it)")

    need(bs, max_layouts, "cfmmimo.batch_size", "layouts per batch", "max_layouts")
    need(int(cf["fig2"]["layout"]) + 1, max_layouts, "cfmmimo.fig2.layout", "layouts (index + 1)", "max_layouts")
    for fig in ("fig3", "fig4"):
        n = int(cf[fig]["n_layouts"])
        need(n, max_layouts, f"cfmmimo.{fig}.n_layouts", "layouts", "max_layouts")
        kappas = len(cf[fig]["kappa_db"]) if fig == "fig3" else 1
        need(kappas, max_points, f"cfmmimo.{fig}.kappa_db", "sweep points", "max_points")
        jobs = len(cf[fig]["schemes"]) * kappas * -(-n // bs)
        need(jobs, max_jobs, f"cfmmimo.{fig}", "design jobs (schemes x kappa x batches)", "max_jobs")
    df = config["dfbs"]
    n4 = len(df["fig4"]["power_dbm"])
    need(n4, max_points, "dfbs.fig4.power_dbm", "design points", "max_points")
    need(n4 * len(df["fig4"]["schemes"]), max_jobs, "dfbs.fig4", "design jobs (schemes x P)", "max_jobs")
    n3 = sum(secrecy_grid_size(df, p) for p in df["fig3"]["power_dbm"])
    need(n3, max_points, "dfbs.fig3.secrecy_step", "(P, R-bar) design points", "max_points")
    need(n3 * len(df["fig3"]["schemes"]), max_jobs, "dfbs.fig3", "design jobs (schemes x P x R-bar)", "max_jobs")


def secrecy_grid_size(df: Mapping[str, Any], power_dbm: float) -> int:
    """Upper bound on the length of the Fig. 3 R-bar grid at P (dfbs.params.secrecy_target_grid), by arithmetic."""
    p, f3 = df["params"], df["fig3"]
    snr = 10.0 ** ((float(power_dbm) - float(p["noise_dbm"])) / 10.0)
    edge = min(math.log2(1.0 + int(p["n_rf"]) * snr), float(f3["secrecy_max"]))
    start, step = float(f3["secrecy_start"]), float(f3["secrecy_step"])
    return max(0, math.floor((edge - start) / step) + 2)


def check_points(config: Mapping[str, Any]) -> None:
    """The study-2 design points of every figure exist and are solvable (P / noise in range, Fig. 3 grid)."""
    from .plan import df_points

    for fig in ("fig2", "fig3", "fig4"):
        try:
            df_points(config, fig)
        except ValueError as exc:
            raise ConfigError(f"dfbs.{fig}.{exc}") from None
