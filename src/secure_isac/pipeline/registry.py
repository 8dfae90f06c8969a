"""The registry of every run one snakemake invocation knows, and the lookups its rules need."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import sweeps
from .config import (
    check_config_files,
    load_scenarios,
    load_sensitivity,
    readings_file,
    scenario_file,
    validate_config,
)
from .readings_search import load_readings
from .runs import Run, as_json, readings_prefix, run_studies, scenario_prefix, sensitivity_prefix, variant
from .studies import NAMES, all_studies


@dataclass
class Registry:
    """Every run of one snakemake invocation: the base run, the scenarios (by folder prefix), the sensitivity
    scenarios, the sweep values, the configuration behind every variant folder of every study, and the exact
    value behind every coordinate label of a path (kappa, P, R-bar, ...)."""

    base: Run
    scenarios: dict[str, Run]  # name -> run
    scenario_studies: tuple[str, ...]
    sweeps: dict[tuple[str, str, str], dict[str, Run]]  # (run prefix, study, key) -> {value label: value run}
    variants: dict[tuple[str, str, str], dict]  # (study, kind, variant) -> a configuration with that scope
    coordinates: dict[str, dict[str, Any]]  # wildcard -> {path label: exact value}
    sensitivity: dict[str, Run] = field(default_factory=dict)  # name -> run (results/sensitivity/<name>/)
    readings: dict[str, Reading] = field(default_factory=dict)  # combination name -> its screen and full runs
    readings_confirm: int = 0  # how many of the best screened combinations run at full count

    @property
    def runs(self) -> dict[str, Run]:
        """run prefix ("", "scenarios/<name>/", "sensitivity/<name>/" or "sensitivity/readings/{screen,full}/
        <name>/") -> run."""
        readings = [r for c in self.readings.values() for r in (c.screen, c.full)]
        return {"": self.base, **{r.prefix: r for r in [*self.scenarios.values(), *self.sensitivity.values(),
                                                         *readings]}}

    def studies(self, prefix: str) -> tuple[str, ...]:
        return run_studies(prefix, self.scenario_studies)

    def sweep_keys(self) -> set[str]:
        return {key for (_, _, key) in self.sweeps}

    def config(self, study: str, kind: str, variant_label: str) -> dict:
        """A configuration behind the folder `variant_label` of a study's intermediates of `kind`."""
        return self.variants[(study, kind, variant_label)]

    def value(self, wildcard: str, label: str) -> Any:
        """The exact value behind a coordinate's path label (e.g. kappa_db "2" -> 2.0)."""
        return self.coordinates[wildcard][label]

    def variant_labels(self) -> set[str]:
        return {v for (_, _, v) in self.variants}


def _register(table: dict, key: tuple[str, str, str], config: dict, scope_of: dict) -> None:
    """table[key] = (config, scope text); two scopes whose params text differs (not only their values: 2 and 2.0
    too) behind one variant folder are an error, never a silent choice of one of them."""
    scope_of = as_json(scope_of)
    if key in table and table[key][1] != scope_of:
        raise ValueError(f"the variant folder {key[2]!r} of {key[1]} would hold two different configurations; "
                         "make the values of the scenarios or sweeps that differ there differ in their text too")
    table.setdefault(key, (config, scope_of))


@dataclass(frozen=True)
class Reading:
    """One combination of the readings search (readings_search.load_readings): its levels by factor, its run at the
    screen's reduced layout counts and its run at the claims' full counts (only requested when it ranks among the
    best of the screen)."""

    name: str
    choices: dict
    screen: Run
    full: Run


def registry(config: Mapping, scenarios: Mapping[str, dict] | None = None,
             scenario_studies=NAMES, sensitivity: Mapping[str, dict] | None = None,
             readings: Mapping[str, Any] | None = None) -> Registry:
    """The registry of the base configuration, the scenarios {name: validated configuration}, the sensitivity
    scenarios (config.load_sensitivity), the readings search (readings_search.load_readings) and all their sweeps (a
    scenario's own sweeps, of its studies only)."""
    base = Run(dict(config), dict(config))
    scen = {name: Run(c, base.config, scenario_prefix(name)) for name, c in (scenarios or {}).items()}
    sens = {name: Run(c, base.config, sensitivity_prefix(name)) for name, c in (sensitivity or {}).items()}
    readings = readings or {"confirm": 0, "combinations": {}}
    combos = {name: Reading(name, dict(c["choices"]), Run(c["screen"], base.config, readings_prefix("screen", name)),
                            Run(c["full"], base.config, readings_prefix("full", name)))
              for name, c in readings["combinations"].items()}
    sens_runs = [*sens.values(), *(r for c in combos.values() for r in (c.screen, c.full))]
    swept = {}
    for run in [base, *scen.values(), *sens_runs]:
        for study in run_studies(run.prefix, scenario_studies):
            for key in run.config[study].get("sweeps", {}):
                swept[(run.prefix, study, key)] = sweeps.value_runs(run, study, key)
    runs = [base, *scen.values(), *sens_runs]
    values = [v for d in swept.values() for v in d.values()]
    variants: dict = {}
    for run in [*runs, *values]:
        for study in all_studies():
            for kind in study.kinds():
                _register(variants, (study.name, kind, variant(run, study.name, kind)), run.config,
                          study.scope(run.config, kind))
    coordinates: dict = {}
    for study in all_studies():
        for wildcard, labels in study.coordinates(runs, swept).items():
            coordinates.setdefault(wildcard, {}).update(labels)
    return Registry(base, scen, tuple(scenario_studies), swept, {k: c for k, (c, _) in variants.items()},
                    coordinates, sens, combos, int(readings["confirm"]))


def parse_time(config: Mapping, configfiles: Iterable[Path], workdir: Path, repo: Path) -> tuple[dict, Registry]:
    """Everything the Snakefile does with the configuration snakemake merged (config/config.yaml, every --configfile,
    then the typed --config values) before any rule exists: every config file read once more (a key given twice),
    the one validation route, the scenarios, sensitivity and readings files, and the registry of every run.

    Returns (the validated configuration, its registry); ConfigError naming the key otherwise. One function, so that
    the tests check the parse-time validation in-process (tests/workflow/test_config_validation.py) on the code the
    Snakefile runs; a few real snakemake runs there prove that the Snakefile calls it."""
    check_config_files(configfiles)
    validated = validate_config(config)
    sensitivity = load_sensitivity(validated, scenario_file(validated, workdir, repo, "sensitivity"))
    return validated, registry(
        validated,
        load_scenarios(validated, scenario_file(validated, workdir, repo)),
        validated["scenarios"]["studies"],
        sensitivity,
        load_readings(sensitivity["reference"], readings_file(validated, workdir, repo)),
    )
