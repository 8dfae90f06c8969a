"""The one validation route of the workflow configuration, run at parse time before any job or list of jobs.

1. `--config` overrides of nested keys are typed as in a YAML file (`typed_cli_overrides`);
2. the typed classes of pipeline.settings check names, types, bounds, finiteness and the cross-field rules of
   the library's parameter classes, and fill the defaults;
3. the limits on layouts, sweep points and jobs per figure are checked from counts, before any list exists;
4. each study's own checks (pipeline.studies: e.g. study 2's design points, study 1's scheme support) and every
   sweep value in its key's own type.

Every error names the key (dotted path, list items as [i]).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..fields import error_lines
from . import paths
from .errors import ConfigError
from .settings.workflow import FIXED_SECTIONS, WorkflowConfig, plain
from .studies import NAMES, all_studies


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
    studies = all_studies()
    for study in studies:
        study.check_limits(data)
    for study in studies:
        study.check_points(data)
    check_sweeps(data)
    for study in studies:
        study.check_support(data)
    return data


def check_sweeps(config: dict[str, Any]) -> None:
    """Every sweep names a key of its study, every value is valid for that key (its own type, with the rest of the
    configuration) and is replaced by its canonical form (Study.canonical_sweep_value), no two values are equal or
    share a file label, and the limits hold per sweep."""
    from .runs import sweep_label

    lim = config["limits"]
    for study in all_studies():
        keys = study.sweep_keys()
        for key, sweep in config[study.name].get("sweeps", {}).items():
            where = f"{study.name}.sweeps.{key}"
            if key not in keys:
                raise ConfigError(f"{where}: not {study.sweep_keys_text} (known: "
                                  f"{', '.join(sorted(keys, key=str.lower))})")
            n = len(sweep["values"])
            if n > lim["max_points"]:
                raise ConfigError(f"{where}.values: {n} values exceed limits.max_points = {lim['max_points']}")
            values, labels = [], {}
            for i, raw in enumerate(sweep["values"]):
                try:
                    value = study.canonical_sweep_value(config, key, raw)
                    label = sweep_label(value)
                except ValueError as exc:
                    first = str(exc).splitlines()[0]
                    raise ConfigError(f"{where}.values[{i}]: {first}{yaml_number_hint(raw)}") from None
                if label in labels:
                    j = labels[label]
                    raise ConfigError(f"{where}.values[{i}]: {raw!r} is the value of values[{j}] "
                                      f"({sweep['values'][j]!r}) for {key} (each value once)")
                labels[label] = i
                values.append(value)
            sweep["values"] = values
            study.check_sweep_limits(config, key, sweep)


class _UniqueKeyLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses a key given twice in one mapping (PyYAML keeps the last one silently)."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *anchor` merges are not repetitions
                continue
            key = self.construct_object(key_node, deep=True)
            mark = key_node.start_mark
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if first is not None:
                raise _DuplicateKey(key, first, mark)
            seen[key] = mark
        return super().construct_mapping(node, deep)


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key, first, second):
        where = (f"line {first.line + 1}, columns {first.column + 1} and {second.column + 1}"
                 if first.line == second.line else f"lines {first.line + 1} and {second.line + 1}")
        super().__init__(f"key {key!r} is given twice ({where}); a YAML mapping keeps only the last one, so the "
                         "other would be ignored without a word: keep one")


def load_yaml(path: str | os.PathLike, where: str | None = None) -> Any:
    """The YAML (or JSON) file at `path`, refusing a key repeated in a mapping: ConfigError "<where>: key 'x' is
    given twice (lines 3 and 7) ..." (where defaults to the path)."""
    where = where or os.fspath(path)
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise ConfigError(f"{where}: cannot be read ({type(exc).__name__}: {exc.strerror or exc})") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except _DuplicateKey as exc:
        raise ConfigError(f"{where}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML ({' '.join(str(exc).split())})") from None


def check_config_files(paths) -> None:
    """Read every configuration file snakemake merged (config/config.yaml, each --configfile) once more with
    load_yaml: snakemake's own reader keeps the last of two equal keys without a word."""
    for path in paths:
        load_yaml(path, f"configuration file {os.fspath(path)}")


SCENARIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MAX_NAME_LENGTH = 64  # a scenario name is a folder name, a column of the comparison tables and a tick of the matrix


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


def readings_file(config: Mapping[str, Any], workdir: Path, repo: Path) -> Path | None:
    """The readings-search file (sensitivity.readings_file; None: no search), resolved as scenario_file."""
    name = config["sensitivity"].get("readings_file")
    if not name:
        return None
    path = Path(name)
    if path.is_absolute():
        return path
    return workdir / path if (workdir / path).exists() else repo / path


def reserved_names(section: str) -> tuple[str, ...]:
    """Names a scenario of `section` cannot take: the files the workflow writes next to the scenario folders
    (results/scenarios/summary.csv, ..., results/sensitivity/claims.csv, ...), their stem, and the sensitivity
    reference; compared without regard to case (a case-insensitive file system would merge them)."""
    # the readings search lives in results/sensitivity/readings/ next to the scenario folders
    files = (paths.SCENARIO_SUMMARY if section == "scenarios" else
             (*paths.SENSITIVITY_MATRIX, paths.READINGS_SCREEN, *paths.READINGS))
    names = [Path(f).name for f in files] + [Path(f).stem for f in files]
    if section == "sensitivity":
        names.append(SENSITIVITY_REFERENCE)
    return tuple(dict.fromkeys(names))


def check_scenario_name(name: Any, where: str, section: str) -> None:
    """A scenario name: letters, digits, '_', '.', '-' (starting with a letter or digit), at most MAX_NAME_LENGTH
    characters, not reserved (reserved_names). ConfigError naming it."""
    reserved = reserved_names(section)
    if not isinstance(name, str) or not SCENARIO_NAME.match(name):
        raise ConfigError(f"{where}: scenario name {name!r} must be letters, digits, '_', '.', '-' (starting with a "
                          "letter or a digit)")
    if len(name) > MAX_NAME_LENGTH:
        raise ConfigError(f"{where}: scenario name {name[:20]!r}... has {len(name)} characters; at most "
                          f"{MAX_NAME_LENGTH} (it names a folder and a column of the comparison)")
    if name.lower() in {r.lower() for r in reserved}:
        raise ConfigError(f"{where}: scenario name {name!r} is reserved (not {', '.join(map(repr, reserved))}: "
                          f"the workflow writes files of that name next to the scenario folders)")


def check_overlay(overlay: Any, where: str) -> Mapping[str, Any]:
    """An overlay is a mapping that leaves the FIXED_SECTIONS alone (they would be ignored, not applied)."""
    overlay = overlay or {}
    if not isinstance(overlay, Mapping):
        raise ConfigError(f"{where}: the overlay must be a mapping, got {type(overlay).__name__}")
    for fixed in FIXED_SECTIONS:
        if fixed in overlay:
            raise ConfigError(f"{where}: {fixed}: an overlay cannot change the {fixed} settings (set them in the "
                              "configuration)")
    return overlay


def _load_overlays(config: Mapping[str, Any], path: Path, section: str) -> dict[str, dict]:
    """{name: validated configuration} of the named overlays in `path` merged over `config`; each keeps only the
    sweeps its own overlay names. ConfigError naming `section`.file, the scenario and the key."""
    where = f"{section}.file {path}"
    if not path.is_file():
        raise ConfigError(f"{where}: no such file")
    data = load_yaml(path, where) or {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: must map scenario names to overlays, got {type(data).__name__}")
    out, folded = {}, {}
    for name, overlay in data.items():
        check_scenario_name(name, where, section)
        if name.lower() in folded:
            raise ConfigError(f"{where}: scenario names {folded[name.lower()]!r} and {name!r} differ only in case "
                              "(a case-insensitive file system would give them one folder)")
        folded[name.lower()] = name
        overlay = check_overlay(overlay, f"{where}: scenario {name}")
        try:
            merged = validate_config(deep_merge(config, overlay))
        except ConfigError as exc:
            raise ConfigError(f"{where}: scenario {name}: {exc}") from None
        out[name] = _own_sweeps(merged, overlay)
    return out


def _own_sweeps(merged: dict, overlay: Mapping[str, Any]) -> dict:
    for study in NAMES:  # only the sweeps the overlay itself names
        own = (overlay.get(study) or {}).get("sweeps") or {}
        merged[study]["sweeps"] = {k: v for k, v in merged[study].get("sweeps", {}).items() if k in own}
    return merged


def load_scenarios(config: Mapping[str, Any], path: Path) -> dict[str, dict]:
    """{name: validated configuration} of the named overlays in `path`, each merged over `config` (the validated
    base). A scenario builds only the sweeps its own overlay defines. ConfigError naming the file, the scenario and
    the key."""
    return _load_overlays(config, path, "scenarios")


SENSITIVITY_REFERENCE = "reference"


def load_sensitivity(config: Mapping[str, Any], path: Path) -> dict[str, dict]:
    """{name: validated configuration} of the sensitivity set: "reference" (the configuration with
    sensitivity.overlay, i.e. the default choices at the claims' layout counts) first, then every overlay of
    `path` merged over the reference. ConfigError naming sensitivity.overlay or the file, the scenario and the key."""
    overlay = check_overlay(config["sensitivity"]["overlay"], "sensitivity.overlay")
    try:
        reference = validate_config(deep_merge(config, overlay))
    except ConfigError as exc:
        raise ConfigError(f"sensitivity.overlay: {exc}") from None
    reference = _own_sweeps(reference, overlay)
    return {SENSITIVITY_REFERENCE: reference,
            **_load_overlays(reference, path, "sensitivity")}


READING_LEVEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
READINGS_KEYS = ("factors", "screen", "confirm")


def _leaves(node: Any, prefix: tuple = ()) -> set[tuple]:
    if isinstance(node, Mapping) and node:
        return {leaf for k, v in node.items() for leaf in _leaves(v, (*prefix, k))}
    return {prefix}


def load_readings(reference: Mapping[str, Any], path: Path | None) -> dict[str, Any]:
    """The search for the paper's reading (sensitivity.readings_file): every combination of the factors' levels as
    two sensitivity runs, `screen` (the combination merged over `reference`, the validated sensitivity reference, and
    the file's `screen` overlay: reduced layout counts) and `full` (merged over `reference` alone: the claims' layout
    counts). Returns {"confirm": how many of the best screened combinations run at full count, "factors": {factor:
    [levels]}, "combinations": {name: {"choices": {factor: level}, "screen": config, "full": config}}}; the name is
    the levels joined by '.', in factor order. An empty search ({"confirm": 0, ...}) when `path` is None.
    ConfigError naming the file, the factor, the level and the key, before any combination is built beyond the
    first invalid one."""
    empty = {"confirm": 0, "factors": {}, "combinations": {}}
    if path is None:
        return empty
    where = f"sensitivity.readings_file {path}"
    if not path.is_file():
        raise ConfigError(f"{where}: no such file")
    data = load_yaml(path, where) or {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: must be a mapping with keys {', '.join(READINGS_KEYS)}, got {type(data).__name__}")
    unknown = sorted(set(data) - set(READINGS_KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))} (allowed: "
                          f"{', '.join(READINGS_KEYS)})")
    factors = data.get("factors") or {}
    if not isinstance(factors, Mapping):
        raise ConfigError(f"{where}: factors: must map factor names to {{level: overlay}}, got "
                          f"{type(factors).__name__}")
    confirm = data.get("confirm", 3)
    if isinstance(confirm, bool) or not isinstance(confirm, int) or confirm < 0:
        raise ConfigError(f"{where}: confirm: must be an integer >= 0, got {confirm!r}")
    screen = check_overlay(data.get("screen"), f"{where}: screen")
    levels: dict[str, dict[str, Mapping]] = {}
    owner: dict[tuple, str] = {}
    n = 1
    for factor, table in factors.items():
        if not isinstance(table, Mapping) or len(table) < 2:
            raise ConfigError(f"{where}: factors: {factor}: needs at least two levels {{level: overlay}} (the first "
                              "one the reference's choice), got {table!r}")
        levels[str(factor)] = {}
        for level, overlay in table.items():
            if not READING_LEVEL.match(str(level)):
                raise ConfigError(f"{where}: factors: {factor}: level name {level!r} must be letters, digits, '_' "
                                  "or '-' (it names the combinations' folders)")
            overlay = check_overlay(overlay, f"{where}: factors: {factor}: {level}")
            for leaf in _leaves(overlay) - {()}:
                if owner.get(leaf, factor) != factor:
                    raise ConfigError(f"{where}: factors: {factor} and {owner[leaf]} both set "
                                      f"{'.'.join(map(str, leaf))}; a key belongs to one factor")
                owner[leaf] = factor
            levels[str(factor)][str(level)] = overlay
        n *= len(table)
        if n > int(reference["limits"]["max_jobs"]):
            raise ConfigError(f"{where}: factors: {n} combinations or more (limits.max_jobs = "
                              f"{reference['limits']['max_jobs']}); drop levels or factors")
    out = {}
    for combo in itertools.product(*(list(t.items()) for t in levels.values())):
        name = ".".join(level for level, _ in combo)
        check_scenario_name(name, where, "sensitivity")
        overlay: dict = {}
        for _, level_overlay in combo:
            overlay = deep_merge(overlay, level_overlay)
        try:
            full = validate_config(deep_merge(reference, overlay))
            small = validate_config(deep_merge(full, screen))
        except ConfigError as exc:
            raise ConfigError(f"{where}: combination {name}: {exc}") from None
        out[name] = {"choices": dict(zip(levels, (level for level, _ in combo))),
                     "full": _own_sweeps(full, overlay), "screen": _own_sweeps(small, overlay)}
    return {"confirm": confirm if out else 0, "factors": {f: list(t) for f, t in levels.items()},
            "combinations": out}
