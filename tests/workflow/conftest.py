"""Shared fixtures of the workflow tests: ONE toy run of the whole DAG per session, in a temporary directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SNAKEFILE = REPO / "Snakefile"
TEST_CONFIG = REPO / "config" / "test.yaml"


def snakemake(*args: str, snakefile: Path = SNAKEFILE, directory: Path, check: bool = True, timeout: float = 600,
              env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m snakemake -s <snakefile> --directory <directory> ...`; return the completed process."""
    cmd = [sys.executable, "-m", "snakemake", "-s", str(snakefile), "--directory", str(directory), *args]
    proc = subprocess.run(cmd, cwd=directory, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-6000:]}")
    return proc


def job_counts(output: str) -> dict[str, int]:
    """Parse the "Job stats" table of a snakemake (dry) run into {rule: count} (without the total)."""
    counts: dict[str, int] = {}
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "Job stats:":
            for row in lines[i + 3:]:
                parts = row.split()
                if len(parts) != 2 or not parts[1].isdigit():
                    break
                if parts[0] != "total":
                    counts[parts[0]] = int(parts[1])
            break
    return counts


def dry_run(directory: Path, *extra: str, snakefile: Path = SNAKEFILE, configfiles=(TEST_CONFIG,)) -> tuple[dict, str]:
    """Dry run of the default target; returns (job counts, combined output)."""
    cfg = ["--configfile", *map(str, configfiles)] if configfiles else []
    directory.mkdir(parents=True, exist_ok=True)
    proc = snakemake("-n", "--cores", "2", *extra, *cfg, snakefile=snakefile, directory=directory)
    text = proc.stdout + proc.stderr
    return job_counts(text), text


SNAPSHOT_ITEMS = ("Snakefile", "workflow", "config", "profiles", "src")


def snapshot(dest: Path) -> Path:
    """Copy of the workflow, configs, profile and library (mtimes kept) whose Snakefile runs its own src/.

    The scripts import secure_isac from the src/ next to the Snakefile they belong to, so a run of the copy is
    consistent with the copy even while people keep editing the shared working tree.
    """
    import shutil

    for name in SNAPSHOT_ITEMS:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


class ToyRun:
    """A complete toy run (config/test.yaml, 2 cores) of the default target in a temporary directory."""

    def __init__(self, directory: Path, source: Path):
        self.directory = directory
        self.source = source  # snapshot of the repository the run used
        self.snakefile = source / "Snakefile"
        self.config = source / "config" / "test.yaml"


@pytest.fixture(scope="session")
def toy_run(tmp_path_factory) -> ToyRun:
    """The session's single toy run: ONE full run (`-s <snapshot>/Snakefile --directory <tmp>`), shared by every
    test that needs outputs."""
    source = snapshot(tmp_path_factory.mktemp("source"))
    run = ToyRun(tmp_path_factory.mktemp("toy_run"), source)
    snakemake("--cores", "2", "--configfile", str(run.config), snakefile=run.snakefile, directory=run.directory,
              timeout=900)
    return run
