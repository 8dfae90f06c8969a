"""Runs and the part of the configuration each intermediate depends on.

A *run* is one full configuration: the base run (the configuration given to snakemake), a named scenario (an
overlay of it, results under results/scenarios/<name>/), a sensitivity scenario (results/sensitivity/<name>/), or
one value of a sweep. Every intermediate file depends on a *scope*, the part of the configuration its job reads
(a study declares its kinds of intermediates and their scopes, Study.scope). Intermediates of a run whose scope
equals the base run's live in the base run's folders, so a scenario or sweep value that leaves a scope unchanged
reuses those files; any other scope gets its own folder results/<study>/variants/<label>/, named after the keys it
changes. Every job receives only its scope (canonical JSON params), so changing a key reruns exactly the jobs that
use it (config/README.md, "what reruns"). The exact configured values reach the library through these configs,
never parsed back from a path (labels.value_label).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .labels import value_label
from .studies import NAMES, study


def as_json(value: Any) -> str:
    """Canonical JSON text of a job's config (params compare as text, independent of dict order)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def copy_config(config: Mapping) -> dict:
    """A deep copy of a (plain, JSON-able) configuration."""
    return json.loads(as_json(config))


@dataclass(frozen=True)
class Run:
    """One configuration the workflow computes: the base run, a scenario or a sweep value."""

    config: dict
    base: dict = field(repr=False)
    prefix: str = ""  # results/<prefix><study>/...: "" for the base run, "scenarios/<name>/" for a scenario

    def results(self, study: str) -> str:
        return f"results/{self.prefix}{study}"

    def figures(self, study: str) -> str:
        return f"figures/{self.prefix}{study}"


def flat(node: Any, prefix: str = "") -> dict:
    """A nested mapping as {"a.b.c": leaf}."""
    if isinstance(node, Mapping):
        out: dict = {}
        for k, v in node.items():
            out.update(flat(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: node}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return value_label(value)
    if isinstance(value, (list, tuple)):
        return "_".join(_text(v) for v in value)
    return str(value)


def sweep_label(value: Any) -> str:
    """File label of a (canonical, pipeline.config.sweep_value) sweep value: numbers as labels.value_label, booleans
    as true/false, text as it is."""
    return _text(value)


_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-=,")


def variant_label(mine: Mapping, base: Mapping) -> str:
    """Folder name of a scope that differs from the base run's: the changed keys and values ("K=8",
    "system.nu=2,solver.rel_tol=0.001" if two sections differ), or a hash when that text is long or unsafe."""
    a, b = flat(mine), flat(base)
    changed = sorted(k for k in set(a) | set(b) if a.get(k, None) != b.get(k, None))
    sections = {k.split(".")[0] for k in changed}
    keys = {k: (k.split(".")[-1] if len(sections) == 1 else k) for k in changed}
    text = ",".join(f"{keys[k]}={_text(a.get(k, 'none'))}" for k in changed)
    if not text or len(text) > 80 or not set(text) <= _SAFE:
        text = "h" + hashlib.sha256(as_json(mine).encode()).hexdigest()[:12]
    return text


def variant(run: Run, study_name: str, kind: str) -> str:
    """"" if the run's scope of `kind` (an intermediate kind of the study, Study.kinds) is the base run's (the files
    are shared), else "variants/<label>/"."""
    st = study(study_name)
    mine, base = st.scope(run.config, kind), st.scope(run.base, kind)
    return "" if mine == base else f"variants/{variant_label(mine, base)}/"


def scenario_prefix(name: str) -> str:
    return f"scenarios/{name}/"


def sensitivity_prefix(name: str) -> str:
    return f"sensitivity/{name}/"


def readings_prefix(stage: str, name: str) -> str:
    """Run prefix of a readings-search combination at stage "screen" or "full"."""
    return f"sensitivity/readings/{stage}/{name}/"


def run_studies(prefix: str, scenario_studies) -> tuple[str, ...]:
    """The studies a run builds: a scenario's (scenarios.studies), every study for the default and sensitivity runs."""
    return tuple(scenario_studies) if prefix.startswith("scenarios/") else NAMES
