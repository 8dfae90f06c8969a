"""Checks of the merged workflow configuration that run at parse time, before any job or large list exists.

The JSON schema (workflow/schemas/config.schema.yaml) checks names, types and per-key bounds; this module adds
what a schema cannot say: finiteness, `--config` overrides of nested keys, job-count limits computed from the
configuration before any list of paths is built, and the cross-field rules of the library's parameter classes.
Every error names the key.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import yaml

# the only keys that may hold an infinite value: nu = .inf switches the eavesdropper constraint off,
# kappa_db = -.inf the MASR constraint (docs/ngo-special-case.md)
INFINITE_OK = {("cfmmimo", "system", "nu"): math.inf, ("cfmmimo", "system", "kappa_db"): -math.inf}


class ConfigError(ValueError):
    """A configuration value the workflow cannot run with; the message names the key."""


def _path(keys) -> str:
    out = ""
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


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


def check_finite(config: Mapping[str, Any]) -> None:
    """Reject NaN and infinities anywhere in the configuration, but for the switches in INFINITE_OK."""

    def walk(node, keys):
        if isinstance(node, Mapping):
            for k, v in node.items():
                walk(v, keys + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, keys + (i,))
        elif isinstance(node, float) and not math.isfinite(node):
            if INFINITE_OK.get(keys) == node:
                return
            allowed = [f"{_path(k)} = {v}" for k, v in INFINITE_OK.items()]
            raise ConfigError(f"{_path(keys)}: {node} is not a finite number (infinite values are allowed only "
                              f"as the switches {', '.join(allowed)})")

    walk(config, ())


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


def _dotted(path) -> str:
    return _path(tuple(path)) or "<config>"


def check_schema(config: Mapping[str, Any], schema: Mapping[str, Any]) -> None:
    """JSON-schema errors as one ConfigError naming the key (dotted path), with a hint for numbers written as text."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: (len(e.path), list(map(str, e.path))))
    if not errors:
        return
    lines = []
    for e in errors[:5]:
        if e.validator == "additionalProperties":
            unknown = sorted(set(e.instance) - set(e.schema.get("properties", {})))
            where = ".".join(map(str, e.path))
            keys = ", ".join(f"{where}.{k}" if where else k for k in unknown)
            lines.append(f"{keys}: unknown key (known here: {', '.join(sorted(e.schema.get('properties', {})))})")
        else:
            lines.append(f"{_dotted(e.path)}: {e.message}{yaml_number_hint(e.instance)}")
    raise ConfigError("invalid configuration:\n  " + "\n  ".join(lines))


def check_library(config: Mapping[str, Any]) -> None:
    """Cross-field rules of the library's parameter classes (e.g. d0_m < d1_m, tau > K + L), at parse time."""
    from ..cfmmimo.batch import solver_options
    from ..cfmmimo.tasks import system_params
    from .dfbs_tasks import dfbs_params, figure_points

    cf, df = config["cfmmimo"], config["dfbs"]
    for name, build, value in (("cfmmimo.system", system_params, cf["system"]),
                               ("cfmmimo.solver", solver_options, cf["solver"]),
                               ("dfbs.params", dfbs_params, df["params"])):
        try:
            build(value)
        except ValueError as exc:
            raise ConfigError(f"{name}.{exc}") from None
    for fig in ("fig3", "fig4"):
        missing = {"cp", "sp", "baseline"} - set(cf[fig]["schemes"])
        if missing:
            raise ConfigError(f"cfmmimo.{fig}.schemes: the claims table needs {sorted(missing)}")
    if not {"cp", "sp"} <= set(cf["fig2"]["schemes"]):
        raise ConfigError("cfmmimo.fig2.schemes: must contain cp and sp")
    params = dfbs_params(df["params"])
    for fig in ("fig2", "fig3", "fig4"):
        missing = {"aa", "no_aa"} - set(df[fig]["schemes"])
        if missing:
            raise ConfigError(f"dfbs.{fig}.schemes: the claims table needs {sorted(missing)}")
        try:
            figure_points(fig, df[fig], params)  # an empty Fig. 3 R-bar grid fails here, naming secrecy_start
        except ValueError as exc:
            raise ConfigError(f"dfbs.{fig}.{exc}") from None


def check_config(config: Mapping[str, Any], schema: Mapping[str, Any]) -> None:
    """Every parse-time check, cheapest first; the first failure raises ConfigError naming the key."""
    check_schema(config, schema)
    check_finite(config)
    check_limits(config)
    check_library(config)
