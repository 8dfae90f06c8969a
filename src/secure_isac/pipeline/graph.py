"""The file graph: every file any run of the registry can build with the files its job reads, from the same
functions that give the rules their inputs (pipeline.targets, the studies, sweeps). The run directory's checks
(pipeline.files) and the `extensions` target follow its closure (upstream_files)."""

from __future__ import annotations

from collections.abc import Mapping

from . import paths, sweeps
from .registry import Registry
from .studies import all_studies, study
from .targets import (
    extension_figures,
    readings_full_inputs,
    readings_screen_inputs,
    sensitivity_extra,
    sensitivity_inputs,
    summary_inputs,
)


def file_inputs(reg: Registry) -> dict[str, list[str]]:
    """{file any run of the registry can build: the files its job reads}, from the functions that give the rules
    their inputs. What a requested target is made from is the closure of this graph (upstream_files)."""
    graph: dict[str, list[str]] = {}

    def add(out: str, inputs) -> None:
        graph.setdefault(out, list(inputs))

    for prefix, run in reg.runs.items():
        studies = all_studies(reg.studies(prefix))
        for st in studies:
            for figure in st.datasets:
                st.chain(run, figure, add)
                add(st.dataset_path(run, figure), st.dataset_inputs(run, figure))
            for p in st.plots:
                for ext in ("pdf", "png"):
                    add(st.figure_path(run, p, ext), [st.dataset_path(run, st.dataset_of(p))])
            add(st.claims_path(run), [st.dataset_path(run, f) for f in st.claims_data])
        for st in all_studies():
            for out, inputs in st.outputs(run).items():
                add(out, inputs)
        add(paths.fill(paths.CLAIMS_MD, run=prefix), [st.claims_path(run) for st in studies])
    for (prefix, study_name, key), values in reg.sweeps.items():
        run, st = reg.runs[prefix], study(study_name)
        for label, value_run in values.items():
            st.sweep_chain(value_run, key, add)
            add(sweeps.value_path(run, study_name, key, label),
                [f for files in st.sweep_value_inputs(value_run, key).values() for f in files])
        add(sweeps.summary_path(run, study_name, key),
            [sweeps.value_path(run, study_name, key, label) for label in values])
        for path in sweeps.figure_paths(run, study_name, key):
            add(path, [sweeps.summary_path(run, study_name, key)])
    for (_, study_name, name), lines in extension_figures(reg).items():
        for ext in ("pdf", "png"):
            add(study(study_name).extension_path(reg.base, name, ext), list(lines.values()))
    for out in paths.SCENARIO_SUMMARY:
        add(out, summary_inputs(reg))
    for out in paths.SENSITIVITY_MATRIX:
        add(out, dict.fromkeys([*(f for files in sensitivity_inputs(reg).values() for f in files),
                                *sensitivity_extra(reg)]))
    if reg.readings:
        add(paths.READINGS_SCREEN, readings_screen_inputs(reg).values())
        # the full-count runs the screen may pick (which ones is known only once it has run: a checkpoint)
        for out in paths.READINGS:
            add(out, [paths.READINGS_SCREEN, *(f for files in readings_full_inputs(reg, reg.readings).values()
                                               for f in files)])
    return graph


def upstream_files(graph: Mapping[str, list[str]], targets) -> list[str]:
    """`targets` and every file they are made from (file_inputs), each once, targets first."""
    out, todo = {}, list(targets)
    while todo:
        path = todo.pop()
        if path not in out:
            out[path] = None
            todo.extend(graph.get(path, ()))
    return list(out)


def extension_files(reg: Registry) -> list[str]:
    """Target `extensions`: every figure drawn from several runs, its datasets and every file they are made from."""
    graph = file_inputs(reg)
    figures = [study(s).extension_path(reg.base, name, ext) for (_, s, name) in extension_figures(reg)
               for ext in ("pdf", "png")]
    return upstream_files(graph, figures)
