"""Shared fixtures of the workflow tests: ONE toy run of the whole DAG per session, in a temporary directory."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
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

    @property
    def console(self) -> str:
        """What the toy command printed (stdout and stderr), whichever worker built the run."""
        return console_file(self.directory).read_text()


def console_file(directory: Path) -> Path:
    """Where the build of a run directory keeps its console output: beside it, not in it."""
    return directory.parent / f"{directory.name}.console.txt"


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """A directory `build(directory)` filled, built ONCE per test session: under pytest-xdist (`make test`), once
    across the workers, in their shared base temporary folder, the first worker to ask building it under a file lock
    while the others wait for it; a failed build is raised again by every worker that asks (not retried).

    Tests must not modify what it holds (they copy it first: `copy_run`)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:  # a plain pytest run: this session's own temporary folder
        directory = tmp_path_factory.mktemp(name)
        build(directory)
        return directory
    root = tmp_path_factory.getbasetemp().parent  # pytest-N/, shared by the workers popen-gw0, popen-gw1, ...
    directory, failed = root / name, root / f"{name}.failed"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed (also if the worker dies)
        if failed.exists():
            raise AssertionError(f"{name}: built by another worker, which failed:\n{failed.read_text()}")
        if not (root / f"{name}.done").exists():
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir()
            try:
                build(directory)
            except BaseException as exc:
                failed.write_text(f"{type(exc).__name__}: {exc}")
                raise
            (root / f"{name}.done").touch()
    return directory


def _copy_present(src: str, dest: str) -> None:
    """copy2 that skips a file removed since copytree listed its folder (another worker's transient file)."""
    try:
        shutil.copy2(src, dest)
    except FileNotFoundError:
        if Path(src).exists():
            raise


def copy_run(src: Path, dest: Path) -> Path:
    """Copy of a finished run directory to be modified by a test (mtimes and snakemake metadata kept), without
    .snakemake/locks and lock files (git's index.lock): another worker's command in the shared run may hold (and
    remove) one meanwhile, which would lock the copy or vanish while copied; any other file that vanishes between
    listing and copying (a transient file of such a command) is skipped."""
    shutil.copytree(src, dest, symlinks=True, ignore=shutil.ignore_patterns("locks", "*.lock"),
                    copy_function=_copy_present)
    return dest


def _build_toy_run(directory: Path) -> None:
    snapshot(directory)
    proc = subprocess.run([sys.executable, "-m", "snakemake", *README_TOY_COMMAND], cwd=directory,
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise AssertionError(f"toy run failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-6000:]}")
    console_file(directory).write_text(proc.stdout + proc.stderr)  # what the user saw (beside the clone: its
    # `git status` stays what the run left)


@pytest.fixture(scope="session")
def toy_run(tmp_path_factory) -> ToyRun:
    """The session's single toy run: ONE full run of the README's toy command from a snapshot clone's root
    (`snakemake --cores 2 --configfile config/test.yaml`), shared by every test that needs outputs (and by every
    pytest-xdist worker: `built_once`). Read-only: a test that runs anything but a dry run works on a copy."""
    return ToyRun(built_once(tmp_path_factory, "clone", _build_toy_run))
