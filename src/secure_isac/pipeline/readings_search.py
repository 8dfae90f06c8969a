"""The readings file (sensitivity.readings_file): the search for the paper's reading as a full factorial of
sensitivity runs, each combination of the factors' levels validated at parse time like any other run
(pipeline.readings ranks their claims)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import check_overlay, check_scenario_name, deep_merge, own_sweeps, validate_config
from .config_files import load_mapping
from .errors import ConfigError

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
    data = load_mapping(path, where, f"be a mapping with keys {', '.join(READINGS_KEYS)}")
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
                     "full": own_sweeps(full, overlay), "screen": own_sweeps(small, overlay)}
    return {"confirm": confirm if out else 0, "factors": {f: list(t) for f, t in levels.items()},
            "combinations": out}
