"""Recovery of damaged intermediate files at the start of a run, before Snakemake plans the jobs.

Snakemake decides what to run from file existence and modification times; it cannot tell a truncated NetCDF
file from a good one. Every intermediate of the requested figures is therefore opened once at parse time: an
unreadable one is deleted (in a run that executes jobs) so that the run rebuilds it, and everything made from
it is redone because its input is then newer. Missing intermediates are rebuilt because the figure targets list
them. So one run of the documented command repairs any single damaged or deleted intermediate.
"""

from __future__ import annotations

import os
from typing import Iterable, Sequence

from ..provenance import unreadable

# options under which snakemake executes no job (parse-time repairs then only report what a run would do)
_NO_EXEC = {"--dry-run", "--dryrun", "--report", "--summary", "--detailed-summary", "--list-changes", "--lc",
            "--list-rules", "--list-target-rules", "--lt", "--lint", "--dag", "--rulegraph", "--filegraph",
            "--unlock", "--cleanup-metadata", "--cleanup-shadow", "--delete-all-output", "--delete-temp-output",
            "--touch", "--list-code-changes", "--list-params-changes", "--list-input-changes", "--archive",
            "--containerize", "--export-cwl", "--print-compilation", "--d3dag", "--conda-create-envs-only",
            "--create-envs-only", "--list-conda-envs", "--version", "--help"}
_NO_EXEC_SHORT = set("nSDlth")  # -n dry run, -S/-D summaries, -l rules, -t touch, -h help


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
