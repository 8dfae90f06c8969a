"""The studies the workflow knows, each one module behind the `Study` protocol (studies/base.py).

The generic pipeline (runs, registry, targets, sweeps, config, compare, claims, plots, the rules) asks a study for
everything study-specific and never branches on a study's name; adding a study is its module here (listed in
NAMES) and its rules file (workflow/rules/<name>.smk), see docs/architecture.md. The study modules are imported on
first use, by name, so that a job of one study never imports (and its code digest never hashes) another study.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from .base import Study

NAMES = ("cfmmimo", "dfbs")  # in the order of the papers: tables, reports and matrices list the studies so

__all__ = ["NAMES", "Study", "all_studies", "study"]


@cache
def study(name: str) -> Study:
    """The Study called `name` (its module's STUDY). ValueError naming the known studies."""
    if name not in NAMES:
        raise ValueError(f"study: unknown study {name!r}; known: {', '.join(NAMES)}")
    return import_module(f"{__name__}.{name}").STUDY


def all_studies(names=NAMES) -> tuple[Study, ...]:
    """The Study of every name of `names` (default: all), in that order."""
    return tuple(study(n) for n in names)


def readings_study() -> Study:
    """The study whose claims the search for the paper's reading tests (Study.readings_search)."""
    (found,) = [s for s in all_studies() if s.readings_search]
    return found
