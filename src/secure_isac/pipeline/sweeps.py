"""Sweeps: one run per value of a swept key (the study says how a value changes its run, Study.with_sweep_value),
the files of each value and of the sweep's summary, and the params of their jobs."""

from __future__ import annotations

from typing import Any

from . import paths
from .runs import Run, as_json, copy_config, sweep_label
from .studies import study


def value_runs(run: Run, study_name: str, key: str) -> dict[str, Run]:
    """{value label: the run of that value}: the run's configuration with the swept key at the value (and the
    figure the study computes per value)."""
    st, out = study(study_name), {}
    sweep = run.config[study_name]["sweeps"][key]
    for value in sweep["values"]:
        config = copy_config(run.config)
        st.with_sweep_value(config, key, value, sweep)
        label = sweep_label(value)
        if label in out:
            raise ValueError(f"{study_name}.sweeps.{key}.values: two values share the file label {label!r}")
        out[label] = Run(config, run.base, run.prefix)
    return out


def value_of(value_run: Run, study_name: str, key: str) -> Any:
    """The exact value of the swept key in a sweep value's run."""
    return study(study_name).sweep_value_of(value_run.config, key)


def value_path(run: Run, study_name: str, key: str, label: str) -> str:
    return paths.fill(paths.SWEEP_VALUE, run=run.prefix, study=study_name, key=key, label=label)


def summary_path(run: Run, study_name: str, key: str) -> str:
    return paths.fill(paths.SWEEP, run=run.prefix, study=study_name, key=key)


def figure_paths(run: Run, study_name: str, key: str) -> list[str]:
    """The sweep's figure, figures/<run><study>/sweep_<key>.{pdf,png}."""
    return [paths.fill(paths.FIGURE, run=run.prefix, study=study_name, figure=f"sweep_{key}", ext=ext)
            for ext in ("pdf", "png")]


def value_inputs(value_run: Run, study_name: str, key: str) -> dict[str, list[str]]:
    """Input files of one sweep value's dataset."""
    return study(study_name).sweep_value_inputs(value_run, key)


def value_config(value_run: Run, study_name: str, key: str, value: Any) -> str:
    """params.config of a sweep value's dataset: what its study reads, the swept key and its exact value."""
    return as_json({**study(study_name).sweep_value_scope(value_run, key), "sweep_key": key, "sweep_value": value})


def summary_config(run: Run, study_name: str, key: str) -> str:
    """params.config of a sweep's summary dataset: the sweep's section and what its study reads of the run."""
    section = run.config[study_name]["sweeps"][key]
    return as_json({**section, **study(study_name).sweep_summary_scope(run, key), "sweep_key": key})
