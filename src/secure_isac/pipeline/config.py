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
import re
from collections.abc import Mapping
from pathlib import Path
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
    check_sweeps(data)
    check_clusters(data)
    return data


def check_clusters(config: Mapping[str, Any]) -> None:
    """User-centric clusters (cfmmimo.system.cluster_size < M, docs/extensions/city-scale.md) are designed by cp, sp,
    sp_early and baseline only: a paper-faithful scheme in a figure or sweep with clusters is refused at parse time."""
    cf = config["cfmmimo"]

    def clustered(system) -> bool:
        size = system.get("cluster_size")
        return size is not None and size < system["M"]

    uses = [(f"cfmmimo.{fig}.schemes", cf[fig]["schemes"], cf["system"]) for fig in ("fig2", "fig3", "fig4")]
    for key, sweep in (cf.get("sweeps") or {}).items():
        if sweep is not None:
            uses += [(f"cfmmimo.sweeps.{key}.schemes", sweep["schemes"], {**cf["system"], key: value})
                     for value in sweep["values"]]
    for where, schemes, system in uses:
        paper = [s for s in schemes if s in ("cp_paper", "sp_paper")]
        if paper and clustered(system):
            raise ConfigError(f"{where}: {', '.join(paper)} cannot serve user-centric clusters (cfmmimo.system."
                              f"cluster_size = {system['cluster_size']} < M = {system['M']}); use cp, sp, sp_early, "
                              "baseline")


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


def check_sweeps(config: Mapping[str, Any]) -> None:
    """Every sweep names a key of its study and every value is valid for it; the limits hold per sweep."""
    from ..cfmmimo.params import SystemParams
    from ..dfbs.params import DfbsParams, validate_snr
    from .plan import DF_POINT_KEYS

    lim = config["limits"]
    cf, df = config["cfmmimo"], config["dfbs"]
    for key, sweep in cf.get("sweeps", {}).items():
        where = f"cfmmimo.sweeps.{key}"
        if key not in SystemParams.__pydantic_fields__:
            known = ", ".join(SystemParams.__pydantic_fields__)
            raise ConfigError(f"{where}: not a key of cfmmimo.system (known: {known})")
        for i, value in enumerate(sweep["values"]):
            try:
                SystemParams(**{**cf["system"], key: value})
            except ValueError as exc:
                raise ConfigError(f"{where}.values[{i}]: {exc}{yaml_number_hint(value)}") from None
        n = len(sweep["values"])
        if n > lim["max_points"]:
            raise ConfigError(f"{where}.values: {n} values exceed limits.max_points = {lim['max_points']}")
        if sweep["n_layouts"] > lim["max_layouts"]:
            raise ConfigError(f"{where}.n_layouts: {sweep['n_layouts']} layouts exceed limits.max_layouts = "
                              f"{lim['max_layouts']}")
        jobs = n * len(sweep["schemes"]) * -(-int(sweep["n_layouts"]) // int(cf["batch_size"]))
        if jobs > lim["max_jobs"]:
            raise ConfigError(f"{where}: {jobs} design jobs (values x schemes x batches) exceed limits.max_jobs = "
                              f"{lim['max_jobs']}")
    scalar = {name for name, info in DfbsParams.__pydantic_fields__.items()
              if not str(info.annotation).startswith(("tuple", "typing.Annotated[tuple"))}
    for key, sweep in df.get("sweeps", {}).items():
        where = f"dfbs.sweeps.{key}"
        if key not in scalar and key not in DF_POINT_KEYS:
            raise ConfigError(f"{where}: not a scalar key of dfbs.params, power_dbm or secrecy_target (known: "
                              f"{', '.join(sorted(scalar | set(DF_POINT_KEYS)))})")
        if len(sweep["values"]) > lim["max_points"]:
            raise ConfigError(f"{where}.values: {len(sweep['values'])} values exceed limits.max_points = "
                              f"{lim['max_points']}")
        for i, value in enumerate(sweep["values"]):
            try:
                params = DfbsParams(**{**df["params"], **({} if key in DF_POINT_KEYS else {key: value})})
                power = value if key == "power_dbm" else sweep["power_dbm"]
                if key in DF_POINT_KEYS and (isinstance(value, (bool, str)) or not -100 <= float(value) <= 100):
                    raise ValueError(f"{key}: must be a number in [-100, 100], got {value!r}")
                validate_snr(params, power)
            except ValueError as exc:
                raise ConfigError(f"{where}.values[{i}]: {exc}{yaml_number_hint(value)}") from None


SCENARIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def deep_merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict:
    """`overlay` merged over `base` as snakemake merges config files: mappings key by key, anything else replaced."""
    out = dict(base)
    for key, value in overlay.items():
        out[key] = deep_merge(base[key], value) if isinstance(value, Mapping) and isinstance(base.get(key), Mapping) \
            else value
    return out


def scenario_file(config: Mapping[str, Any], workdir: Path, repo: Path, section: str = "scenarios") -> Path:
    """The scenarios file of the configuration (`section`: "scenarios" or "sensitivity"): relative paths against
    the working directory, else the repository."""
    path = Path(config[section]["file"])
    if path.is_absolute():
        return path
    return workdir / path if (workdir / path).exists() else repo / path


def _load_overlays(config: Mapping[str, Any], path: Path, section: str, reserved: tuple[str, ...]) -> dict[str, dict]:
    """{name: validated configuration} of the named overlays in `path` merged over `config`; each keeps only the
    sweeps its own overlay names. ConfigError naming `section`.file, the scenario and the key."""
    where = f"{section}.file {path}"
    if not path.is_file():
        raise ConfigError(f"{where}: no such file")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML ({exc})") from None
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: must map scenario names to overlays, got {type(data).__name__}")
    out = {}
    for name, overlay in data.items():
        if not isinstance(name, str) or not SCENARIO_NAME.match(name) or name in reserved:
            raise ConfigError(f"{where}: scenario name {name!r} must be letters, digits, '_', '.', '-' (not "
                              f"{' or '.join(repr(r) for r in reserved)})")
        overlay = overlay or {}
        if not isinstance(overlay, Mapping):
            raise ConfigError(f"{where}: scenario {name}: the overlay must be a mapping, got {type(overlay).__name__}")
        for fixed in ("scenarios", "sensitivity"):
            if fixed in overlay:
                raise ConfigError(f"{where}: scenario {name}: {fixed}: a scenario cannot change the {fixed} "
                                  "settings (set them in the configuration)")
        try:
            merged = validate_config(deep_merge(config, overlay))
        except ConfigError as exc:
            raise ConfigError(f"{where}: scenario {name}: {exc}") from None
        out[name] = _own_sweeps(merged, overlay)
    return out


def _own_sweeps(merged: dict, overlay: Mapping[str, Any]) -> dict:
    for study in ("cfmmimo", "dfbs"):  # only the sweeps the overlay itself names
        own = (overlay.get(study) or {}).get("sweeps") or {}
        merged[study]["sweeps"] = {k: v for k, v in merged[study].get("sweeps", {}).items() if k in own}
    return merged


def load_scenarios(config: Mapping[str, Any], path: Path) -> dict[str, dict]:
    """{name: validated configuration} of the named overlays in `path`, each merged over `config` (the validated
    base). A scenario builds only the sweeps its own overlay defines. ConfigError naming the file, the scenario and
    the key."""
    return _load_overlays(config, path, "scenarios", ("summary",))


SENSITIVITY_REFERENCE = "reference"


def load_sensitivity(config: Mapping[str, Any], path: Path) -> dict[str, dict]:
    """{name: validated configuration} of the sensitivity set: "reference" (the configuration with
    sensitivity.overlay, i.e. the default choices at the claims' layout counts) first, then every overlay of
    `path` merged over the reference. ConfigError naming sensitivity.overlay or the file, the scenario and the key."""
    overlay = config["sensitivity"]["overlay"]
    try:
        reference = validate_config(deep_merge(config, overlay))
    except ConfigError as exc:
        raise ConfigError(f"sensitivity.overlay: {exc}") from None
    reference = _own_sweeps(reference, overlay)
    return {SENSITIVITY_REFERENCE: reference,
            **_load_overlays(reference, path, "sensitivity", (SENSITIVITY_REFERENCE, "claims"))}
