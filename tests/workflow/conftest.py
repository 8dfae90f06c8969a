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
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n"
                             f"{proc.stderr[-6000:]}")
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


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def snapshot(dest: Path) -> Path:
    """A fresh git repository holding what a commit of the working tree would hold (mtimes kept).

    The files are those git would commit (tracked and untracked-but-not-ignored, as listed by git), committed
    once, so a run from its root is a run in a fresh clone: its scripts import the snapshot's own src/, its
    datasets record the snapshot's commit, and `git status` afterwards shows whether the run touched a tracked
    file. People can keep editing the shared working tree meanwhile.
    """
    import shutil

    listed = _git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=REPO).split("\0")
    for rel in filter(None, listed):
        src = REPO / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    _git("init", "-q", cwd=dest)
    _git("add", "-A", cwd=dest)
    _git("-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "snapshot", cwd=dest)
    return dest


# The README's toy command, run from the repository root exactly as written there.
README_TOY_COMMAND = ("--cores", "2", "--configfile", "config/test.yaml")


class ToyRun:
    """A complete toy run (config/test.yaml, 2 cores) of the default target, from the root of a snapshot clone."""

    def __init__(self, source: Path):
        self.directory = source  # the run's working directory is the clone's root, as in the README
        self.source = source  # snapshot of the repository the run used
        self.snakefile = source / "Snakefile"
        self.config = source / "config" / "test.yaml"
        self.commit = _git("rev-parse", "HEAD", cwd=source).strip()


@pytest.fixture(scope="session")
def toy_run(tmp_path_factory) -> ToyRun:
    """The session's single toy run: ONE full run of the README's toy command from a snapshot clone's root
    (`snakemake --cores 2 --configfile config/test.yaml`), shared by every test that needs outputs."""
    run = ToyRun(snapshot(tmp_path_factory.mktemp("clone")))
    proc = subprocess.run([sys.executable, "-m", "snakemake", *README_TOY_COMMAND], cwd=run.directory,
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise AssertionError(f"toy run failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-6000:]}")
    run.console = proc.stdout + proc.stderr  # what the user saw
    return run
