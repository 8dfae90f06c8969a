"""The state of the run directory: damaged intermediates of the requested targets, and datasets of another
configuration under a report.

Snakemake decides what to run from file existence and modification times; it cannot tell a truncated NetCDF file
from a good one. So at the start of building its DAG (the first input function snakemake evaluates, before it
looks at any file) every NetCDF file the requested targets are made from is checked once (`RunRepair`):

- a file that is provably a damaged NetCDF file of this workflow (it starts with the HDF5 or NetCDF signature the
  workflow writes, and the NetCDF library cannot open it: truncated or corrupt) is moved aside to
  .snakemake/damaged/<time>/<its path> (named in a message) so that the run rebuilds it and, its input being
  newer, everything made from it; this happens only in a process that executes jobs and will hold snakemake's lock
  (an allow-list, asked of snakemake itself: a real executor, not a dry run or --touch, the main process, the lock
  on, no other instance's lock in .snakemake/locks); any other command (-n, --list-untracked, --report, --summary,
  ...) only says what a run would do and changes nothing;
- a file that cannot be read at all (permissions, a name too long, an I/O error) or that is not recognisably a
  NetCDF file is reported and left as it is: it may be someone else's;
- files outside the requested targets are not looked at.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from .graph import file_inputs, upstream_files
from .studies import all_studies

DAMAGED_DIR = Path(".snakemake") / "damaged"
LOCK_DIR = Path(".snakemake") / "locks"
# what the workflow's NetCDF writer puts at the start of every file (provenance.write_netcdf: NETCDF4 = HDF5), and
# the classic NetCDF formats
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
NETCDF_CLASSIC_SIGNATURES = (b"CDF\x01", b"CDF\x02", b"CDF\x05")


def use_library(src: str | os.PathLike) -> None:
    """Put the library at `src` first on the PYTHONPATH that Snakemake hands to every job's script, so that the
    scripts run the code the rules' digests hash (the checkout next to the Snakefile), installed or not."""
    src = os.fspath(src)
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if src not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([src, *paths])


def netcdf_state(path: str | os.PathLike) -> tuple[str, str]:
    """("ok" | "absent" | "damaged" | "unreadable", why) of the file at `path`.

    "damaged": it starts with the HDF5 or a NetCDF signature and the NetCDF library cannot open it (a truncated or
    corrupt NetCDF file; opening reads the HDF5 superblock, which records the file's end address). "unreadable": it
    cannot be read (permissions, a name too long, an I/O error, a folder) or holds no NetCDF signature (e.g. empty):
    nothing proves it is a damaged file of this workflow."""
    import netCDF4

    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        return "absent", ""
    except OSError as exc:
        return "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"
    if head != HDF5_SIGNATURE and head[:4] not in NETCDF_CLASSIC_SIGNATURES:
        return "unreadable", "no NetCDF signature" + (" (empty file)" if not head else "")
    try:
        with netCDF4.Dataset(os.fspath(path), "r"):
            return "ok", ""
    except OSError as exc:
        why = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
        # the NetCDF library's own errors have negative codes (the content); positive ones are the system's
        return ("unreadable" if (exc.errno or 0) > 0 else "damaged"), why
    except Exception as exc:  # noqa: BLE001  (any other failure to open a file with the signature: its content)
        return "damaged", f"{type(exc).__name__}: {' '.join(str(exc).split())}"


def moves_allowed(workflow) -> tuple[bool, str]:
    """(True, "") when this snakemake process executes jobs and will hold snakemake's lock, else (False, why).

    Asked of snakemake's own state while it builds its DAG (an allow-list of what executes jobs, never a list of
    flags): the executor is set (only `snakemake` runs that plan jobs set it; --list-untracked, --report, --summary,
    --lint, --dag, ... do not), it is neither the dry-run nor the touch executor, this is the main process (not a
    job's own snakemake on a cluster node), the lock is on (not --nolock), no other snakemake holds a lock here
    (.snakemake/locks is empty) and the file-state cache is not trusted from an earlier run (--trust-io-cache)."""
    if not workflow.is_main_process:
        return False, "not the main snakemake process"
    if getattr(workflow, "executor_plugin", None) is None:
        return False, "this command runs no jobs"
    if workflow.dryrun:
        return False, "a dry run changes nothing"
    if workflow.touch:
        return False, "--touch runs no jobs"
    settings = getattr(workflow, "execution_settings", None)
    if settings is None or not getattr(settings, "lock", False):
        return False, "--nolock: this run holds no lock"
    if getattr(getattr(workflow, "dag_settings", None), "trust_io_cache", False):
        return False, "--trust-io-cache: snakemake would trust its earlier record of the file"
    if LOCK_DIR.is_dir() and any(LOCK_DIR.iterdir()):
        return False, f"another snakemake holds a lock in this directory ({LOCK_DIR}; --unlock if none runs)"
    return True, ""


def move_aside(path: str | os.PathLike, stamp: str) -> Path:
    """Move `path` (relative to the working directory) to DAMAGED_DIR/<stamp>/<path>; returns the new path."""
    dest = DAMAGED_DIR / stamp / Path(path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(path, dest)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.move(os.fspath(path), dest)  # results/ on another file system
    return dest


def repair_intermediates(paths: Iterable[str | os.PathLike], delete: bool, stamp: str | None = None,
                         why_not: str = "this command changes nothing") -> list[str]:
    """Check every file of `paths` (netcdf_state); move the damaged ones aside (move_aside) if `delete` (a process
    that executes jobs under the lock, moves_allowed; else say why not); report the unreadable ones and leave them.
    One message per file that is not ok."""
    stamp = stamp or time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
    messages = []
    for path in paths:
        state, why = netcdf_state(path)
        name = os.fspath(path)
        if state == "unreadable":
            messages.append(f"{name} cannot be read as a NetCDF file ({why}): left as it is (not provably a damaged "
                            "file of this workflow); the jobs that read it fail until it is readable or removed")
        elif state == "damaged" and not delete:
            messages.append(f"{name} is a damaged NetCDF file ({why}): left in place ({why_not}); a run that "
                            f"executes jobs moves it to {DAMAGED_DIR}/ and rebuilds it and everything made from it")
        elif state == "damaged":
            try:
                dest = move_aside(path, stamp)
            except OSError as exc:
                messages.append(f"{name} is a damaged NetCDF file ({why}) and could not be moved aside "
                                f"({type(exc).__name__}: {exc.strerror or exc}): left as it is; the jobs that read it "
                                "fail until it is replaced")
            else:
                messages.append(f"{name} is a damaged NetCDF file ({why}): moved to {dest}; this run rebuilds it "
                                "and everything made from it")
    return messages


def requested_files(workflow, graph) -> list[str]:
    """The NetCDF files the requested targets of this snakemake invocation are made from: each target rule's inputs
    (the default target if none is named) or each target file, and everything upstream of them (graph:
    graph.file_inputs)."""
    targets = list(getattr(workflow.dag_settings, "targets", None) or ()) or [workflow.default_target]
    seeds = []
    for target in filter(None, targets):
        if workflow.is_rule(target):
            seeds += [str(f) for f in workflow.get_rule(target).input if isinstance(f, str)]
        else:
            seeds.append(os.path.normpath(os.path.relpath(target)) if os.path.isabs(target) else
                         os.path.normpath(target))
    return [f for f in upstream_files(graph, seeds) if f.endswith(".nc")]


class RunRepair:
    """Called by the first input function snakemake evaluates in a process (common.smk: `gate`), before it looks at
    any file: checks the NetCDF files of the requested targets once, moves the damaged ones aside when the process
    executes jobs (moves_allowed) and returns one message per file that is not ok."""

    def __init__(self, registry):
        self.registry = registry
        self.done = False

    def __call__(self, workflow) -> list[str]:
        if self.done:
            return []
        self.done = True
        if not workflow.is_main_process or not Path("results").is_dir():
            return []
        files = requested_files(workflow, file_inputs(self.registry))
        allowed, why = moves_allowed(workflow)
        return repair_intermediates(files, delete=allowed, why_not=why)


def report_requested(argv: Sequence[str]) -> bool:
    """True if the command line asks for a report of the existing results (`--report`, `--report FILE`,
    `--report=FILE`; argparse accepts no shorter spelling, `--rep...` is ambiguous), not one made after the run
    (`--report-after-run`, whose datasets the run itself brings up to date)."""
    args = list(argv[1:])
    if "--report-after-run" in args:
        return False
    return any(a == "--report" or a.startswith("--report=") for a in args)


def executes_jobs(workflow) -> bool:
    """True when this snakemake process executes jobs and will hold the lock (moves_allowed)."""
    return moves_allowed(workflow)[0]


def prepare_run(registry, argv: Sequence[str]) -> list[str]:
    """Parse-time checks of the run directory for the main snakemake process; returns warnings to print.

    Raises ValueError when the command creates a report (report_requested) from datasets made with another
    configuration (captions and metadata would describe another run). Damaged intermediates are handled when the
    DAG is built (RunRepair), where snakemake knows whether it executes jobs and which targets it builds."""
    if report_requested(argv):
        config = registry.base.config
        expected = {st.dataset_path(registry.base, fig): st.figure_config(config, fig)
                    for st in all_studies() for fig in st.datasets}
        mismatch = config_mismatches(expected)
        if mismatch:
            raise ValueError(
                "the datasets were made with another configuration than this report's:\n  " + "\n  ".join(mismatch)
                + "\nCreate the report with the configuration of the run, e.g. "
                "`snakemake --report report.html --configfile config/test.yaml` after the toy run.")
    return []


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
    that differs, naming up to four differing keys with both values. A dataset that cannot be read is named as such."""
    import xarray as xr

    lines = []
    for path, text in expected.items():
        if not os.path.exists(path):
            continue
        try:
            with xr.open_dataset(path) as ds:
                recorded = json.loads(ds.attrs.get("config_json", "{}")).get("config", {})
        except Exception as exc:  # noqa: BLE001  (a damaged dataset describes no configuration)
            lines.append(f"{path}: cannot be read ({type(exc).__name__}); rebuild it before the report")
            continue
        want = _flat(json.loads(text))
        have = _flat(recorded)
        diff = [f"{k}: {have.get(k, '(absent)')} in the data, {want.get(k, '(absent)')} now"
                for k in sorted(set(want) | set(have)) if want.get(k) != have.get(k)]
        if diff:
            more = f" (+{len(diff) - 4} more)" if len(diff) > 4 else ""
            lines.append(f"{path}: {'; '.join(diff[:4])}{more}")
    return lines
