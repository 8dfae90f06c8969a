"""The state of the run directory, checked at parse time: damaged intermediates, and datasets of another
configuration under a report.

Recovery of damaged intermediate files at the start of a run, before Snakemake plans the jobs.

Snakemake decides what to run from file existence and modification times; it cannot tell a truncated NetCDF
file from a good one. Every intermediate of the requested figures is therefore opened once at parse time: an
unreadable one is deleted (in a run that executes jobs) so that the run rebuilds it, and everything made from
it is redone because its input is then newer. Missing intermediates are rebuilt because the figure targets list
them. So one run of the documented command repairs any single damaged or deleted intermediate.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence

from ..provenance import unreadable

# options under which snakemake executes no job (parse-time repairs then only report what a run would do)
_NO_EXEC = {"--dry-run", "--dryrun", "--report", "--summary", "--detailed-summary", "--list-changes", "--lc",
            "--list-rules", "--list-target-rules", "--lt", "--lint", "--dag", "--rulegraph", "--filegraph",
            "--unlock", "--cleanup-metadata", "--cleanup-shadow", "--delete-all-output", "--delete-temp-output",
            "--touch", "--list-code-changes", "--list-params-changes", "--list-input-changes", "--archive",
            "--containerize", "--export-cwl", "--print-compilation", "--d3dag", "--conda-create-envs-only",
            "--create-envs-only", "--list-conda-envs", "--version", "--help"}
_NO_EXEC_SHORT = set("nSDlth")  # -n dry run, -S/-D summaries, -l rules, -t touch, -h help


def use_library(src: str | os.PathLike) -> None:
    """Put the library at `src` first on the PYTHONPATH that Snakemake hands to every job's script, so that the
    scripts run the code the rules' digests hash (the checkout next to the Snakefile), installed or not."""
    src = os.fspath(src)
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if src not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([src, *paths])


def executes_jobs(argv: Sequence[str]) -> bool:
    """False if the command line asks for a dry run, a report, a summary or another mode that runs no job."""
    for arg in argv[1:]:
        if arg.split("=", 1)[0] in _NO_EXEC:
            return False
        if arg.startswith("-") and not arg.startswith("--") and arg[1:].isalpha() and _NO_EXEC_SHORT & set(arg[1:]):
            return False
    return True


def repair_intermediates(paths: Iterable[str | os.PathLike], delete: bool) -> list[str]:
    """Open every existing file of `paths`; delete the unreadable ones if `delete`. Returns one message per file."""
    messages = []
    for path in paths:
        why = unreadable(path)
        if why is None:
            continue
        if delete:
            os.remove(path)
            messages.append(f"{os.fspath(path)} is unreadable ({why}): deleted, this run rebuilds it and its "
                            "downstream")
        else:
            messages.append(f"{os.fspath(path)} is unreadable ({why}): the next run that executes jobs deletes "
                            "and rebuilds it")
    return messages


def prepare_run(registry, argv: Sequence[str]) -> list[str]:
    """Parse-time checks of the run directory for the main snakemake process; returns warnings to print.

    Deletes unreadable NetCDF intermediates of every run of the registry (plan.Registry: the base run's figures,
    the sweeps, the scenarios, the sensitivity runs) when the command runs jobs (else only lists them), and raises
    ValueError when the command creates a report from datasets made with another configuration (captions and
    metadata would describe another run)."""
    from .plan import PLOTS, figure_config, run_files, sweep_files

    files = [f for study in PLOTS for f in run_files(registry.base, study)]
    for prefix, run in registry.runs.items():
        files += sweep_files(registry, prefix)
        if prefix:
            files += [f for study in registry.studies(prefix) for f in run_files(run, study)]
    files = [f for f in dict.fromkeys(files) if f.endswith(".nc")]
    messages = repair_intermediates(files, delete=executes_jobs(argv))
    if "--report" in argv:
        config = registry.base.config
        expected = {f"results/{study}/{fig}.nc": figure_config(config, study, fig)
                    for study in PLOTS for fig in ("fig2", "fig3", "fig4")}
        mismatch = config_mismatches(expected)
        if mismatch:
            raise ValueError(
                "the datasets were made with another configuration than this report's:\n  " + "\n  ".join(mismatch)
                + "\nCreate the report with the configuration of the run, e.g. "
                "`snakemake --report report.html --configfile config/test.yaml` after the toy run.")
    return messages


def _flat(node, prefix=""):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: node}


def config_mismatches(expected: dict[str, str]) -> list[str]:
    """Datasets on disk made with another configuration than this invocation's.

    expected: {dataset path: the JSON text the workflow hands its aggregate job as params.config}. Each existing
    dataset's `config_json` attribute records the configuration it was made with; returns one line per dataset
    that differs, naming up to four differing keys with both values."""
    import xarray as xr

    lines = []
    for path, text in expected.items():
        if not os.path.exists(path):
            continue
        with xr.open_dataset(path) as ds:
            recorded = json.loads(ds.attrs.get("config_json", "{}")).get("config", {})
        want = _flat(json.loads(text))
        have = _flat(recorded)
        diff = [f"{k}: {have.get(k, '(absent)')} in the data, {want.get(k, '(absent)')} now"
                for k in sorted(set(want) | set(have)) if want.get(k) != have.get(k)]
        if diff:
            more = f" (+{len(diff) - 4} more)" if len(diff) > 4 else ""
            lines.append(f"{path}: {'; '.join(diff[:4])}{more}")
    return lines
