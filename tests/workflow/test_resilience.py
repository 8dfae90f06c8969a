"""Resilience of the toy run: interruption and restart, a failing job under --keep-going, a corrupt intermediate.

The uninterrupted reference is the session's `toy_run` (conftest.py). Datasets are compared with
xarray's `identical` after dropping the `git_commit` attribute: it records the checkout and legitimately
changes when someone commits between two runs; nothing else in a dataset may differ (no timestamps).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import xarray as xr

from secure_isac.pipeline.studies import all_studies

from conftest import copy_run, snakemake

PLOTS = {st.name: st.plots for st in all_studies()}  # every figure of every study

pytestmark = pytest.mark.slow

DESIGNS = Path("results/cfmmimo/designs")
# In the toy config: fig3 uses batch 0 at kappa 0/2/6 dB, fig4 batches 0-1 at the default kappa (2 dB),
# fig2 batch 0. So sp/kappa0/batch0 feeds only fig3 and cp/kappa2/batch1 feeds only fig4.
ONLY_FIG3 = DESIGNS / "sp" / "kappa0" / "batch0.nc"
ONLY_FIG4 = DESIGNS / "cp" / "kappa2" / "batch1.nc"


def _load(path: Path) -> xr.Dataset:
    with xr.open_dataset(path) as ds:
        ds = ds.load()
    ds.attrs.pop("git_commit", None)
    return ds


def _assert_same_dataset(a: Path, b: Path) -> None:
    xr.testing.assert_identical(_load(a), _load(b))


def _files(root: Path, *subdirs: str) -> set[Path]:
    return {p.relative_to(root) for sub in subdirs for p in (root / sub).rglob("*") if p.is_file()}


def _nc_files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in (root / "results").rglob("*.nc"))


@pytest.fixture(scope="module")
def toy(toy_run):
    """The session's toy run; every run here uses its snapshot Snakefile and config, so code digests match."""
    assert (toy_run.directory / ONLY_FIG3).is_file() and (toy_run.directory / ONLY_FIG4).is_file()
    return toy_run


def _sm(toy, run: Path, *args: str, **kw):
    return snakemake(*args, "--configfile", str(toy.config), snakefile=toy.snakefile, directory=run, **kw)


def test_interrupted_run_restarts_and_matches_uninterrupted(toy, tmp_path):
    """The default toy command, killed with its jobs mid-run, then resumed as documented, ends equal to the
    uninterrupted run. The run to interrupt is a copy of the finished toy run with every study-1 output removed (its
    layouts, channels, designs, datasets, figures and claims): study 1 reruns from its
    first job, study 2 stays done, at a third of a whole toy run's cost."""
    reference = toy.directory
    run = copy_run(reference, tmp_path / "interrupted")
    for sub in ("results/cfmmimo", "figures/cfmmimo"):
        shutil.rmtree(run / sub)
    (run / "results" / "claims.md").unlink()  # the claims of both studies
    cmd = [sys.executable, "-m", "snakemake", "-s", str(toy.snakefile), "--directory", str(run), "--cores", "2",
           "--configfile", str(toy.config)]
    with open(tmp_path / "first.log", "w") as log:
        proc = subprocess.Popen(cmd, cwd=run, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        # interrupt once a few optimisation jobs have finished and others are running
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list((run / DESIGNS).rglob("batch*.nc"))) >= 3:
                break
            time.sleep(0.2)
        assert proc.poll() is None, "the toy run finished before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        time.sleep(1.0)
        proc.kill()  # SIGKILL of the snakemake process: no chance to clean up
    finally:
        # its job processes die with it, like on a lost node (killed mid-write if they were writing)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=60)
    assert not (run / "results" / "cfmmimo" / "fig4.nc").exists(), "interruption came too late to test anything"

    # the documented resume: unlock (the killed process left its lock), then rerun with --rerun-incomplete
    _sm(toy, run, "--unlock")
    _sm(toy, run, "--cores", "2", "--rerun-incomplete", timeout=600)
    dry = _sm(toy, run, "-n", "--cores", "1")
    assert "Nothing to be done" in dry.stdout + dry.stderr

    files = _nc_files(reference)
    assert files == _nc_files(run)
    for rel in files:
        _assert_same_dataset(run / rel, reference / rel)
    for name in ("fig2", "fig3", "fig4"):
        for ext in ("pdf", "png"):
            assert (run / "figures" / "cfmmimo" / f"{name}.{ext}").stat().st_size > 0


def test_keep_going_failure_leaves_other_results_and_names_log(toy, tmp_path):
    reference = toy.directory
    run = copy_run(reference, tmp_path / "failing")
    before = _files(run, "results", "figures")
    # two independent branches to redo, one that will fail and one that must still complete. Snakemake does
    # not rebuild missing intermediates whose consumers are up to date, so each branch goes down to its
    # final targets (figure files; the claims table needs both branches).
    fig3, fig4 = Path("results/cfmmimo/fig3.nc"), Path("results/cfmmimo/fig4.nc")
    plots3 = {Path(f"figures/cfmmimo/fig3.{ext}") for ext in ("pdf", "png")}
    plots4 = {Path(f"figures/cfmmimo/fig4.{ext}") for ext in ("pdf", "png")}
    claims = Path("results/cfmmimo/claims.csv")
    for rel in {ONLY_FIG3, ONLY_FIG4, fig3, fig4, claims} | plots3 | plots4:
        (run / rel).unlink()
    failing = "designs/sp/kappa0/batch0"
    assert failing in str(ONLY_FIG3)
    # the fault is injected from the test side (faults/sitecustomize.py): the workflow's scripts carry no hook
    faults = str(Path(__file__).parent / "faults")
    env = {"SECURE_ISAC_FAIL_JOB": failing,
           "PYTHONPATH": os.pathsep.join(filter(None, (faults, os.environ.get("PYTHONPATH"))))}
    proc = _sm(toy, run, "--cores", "2", "--keep-going", check=False, env=env)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]

    # the failure is reported with its log, and the log says why
    log = Path("logs/cfmmimo/optimise/sp/kappa0/batch0.log")
    assert str(log) in out, out[-3000:]
    assert "fault injected" in (run / log).read_text()

    # the independent branch still ran to its figures, identical to the reference
    _assert_same_dataset(run / ONLY_FIG4, reference / ONLY_FIG4)
    _assert_same_dataset(run / fig4, reference / fig4)
    assert all((run / p).stat().st_size > 0 for p in plots4)
    # every other result is still in place
    assert before - _files(run, "results", "figures") == {ONLY_FIG3, fig3, claims} | plots3

    # what remains to do is the failed job and its downstream, not the branch that succeeded
    dry = _sm(toy, run, "-n", "--cores", "1").stdout
    assert "cfmmimo_optimise" in dry and "results/cfmmimo/fig3.nc" in dry and "results/cfmmimo/claims.csv" in dry, \
        dry[-3000:]
    assert "output: results/cfmmimo/fig4.nc" not in dry and "output: figures/cfmmimo/fig4.pdf" not in dry, dry[-3000:]


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # as by a full disk or a copy cut short


# study-1 and study-2 intermediates, damaged (truncated) or deleted, in two runs: no damage of one run is repaired
# as a side effect of another's (the designs of channels/batch0 are rebuilt from it, so the deleted batch-0 design
# is in the other run; the aa reference's designs are all aa, the deleted design is no_aa)
DAMAGE = {
    "designs-and-reference": [
        ("truncate", ONLY_FIG4),
        ("delete", DESIGNS / "cp" / "kappa2" / "batch0.nc"),
        ("truncate", Path("results/dfbs/references/aa.nc")),  # read by every aa design job
    ],
    "channels-and-design": [
        ("truncate", Path("results/cfmmimo/channels/batch0.nc")),
        ("delete", Path("results/dfbs/designs/no_aa/p5_r2.nc")),
    ],
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=list(DAMAGE))
def test_one_run_repairs_damaged_intermediates(toy, tmp_path, damage):
    """The documented recovery: run the same command again. One run ends with every contract output present and
    equal to the undisturbed run's, and nothing is built from a damaged file."""
    reference = toy.directory
    run = copy_run(reference, tmp_path / "damaged")
    for how, rel in damage:
        target = run / rel
        assert target.is_file()
        if how == "truncate":
            _truncate(target)
        else:
            target.unlink()
    truncated = [rel for how, rel in damage if how == "truncate"]

    # a dry run reports every damaged file (and changes nothing)
    dry = _sm(toy, run, "-n", "--cores", "1")
    for rel in truncated:
        assert f"{rel} is a damaged NetCDF file" in dry.stdout + dry.stderr and (run / rel).exists(), rel

    proc = _sm(toy, run, "--cores", "2")
    out = proc.stdout + proc.stderr
    assert "latency" not in out
    for rel in truncated:  # moved aside, not deleted, and named
        (aside,) = (run / ".snakemake" / "damaged").glob(f"*/{rel}")
        assert f"moved to {aside.relative_to(run)}" in out, rel
    assert "Nothing to be done" in _sm(toy, run, "-n", "--cores", "1").stdout
    assert _nc_files(run) == _nc_files(reference)
    for f in _nc_files(reference):
        _assert_same_dataset(run / f, reference / f)
    for study, names in PLOTS.items():
        for name in names:
            assert (run / "figures" / study / f"{name}.png").stat().st_size > 0


def _state(root: Path) -> dict:
    """(size, mtime, first bytes) of every file under results/ and figures/."""
    return {p: (p.stat().st_size, p.stat().st_mtime_ns, p.read_bytes()[:64])
            for sub in ("results", "figures") for p in (root / sub).rglob("*") if p.is_file()}


def test_commands_that_run_no_jobs_change_nothing(toy, tmp_path):
    """D2: --list-untracked deleted a damaged file (a deny-list of flags missed it). Every command that runs no job
    only names the damaged file; the run directory is left exactly as it was."""
    run = copy_run(toy.directory, tmp_path / "nojobs")
    rel = Path("results/cfmmimo/channels/batch0.nc")
    _truncate(run / rel)
    before = _state(run)
    damaged = (run / rel).read_bytes()
    outputs = {}
    for args in (["-n"], ["--dry-run", "--quiet"], ["--list-untracked"], ["--summary"], ["--detailed-summary"],
                 ["--dag"], ["--list-changes", "params"], ["--report=report.html"], ["--touch"]):
        proc = _sm(toy, run, "--cores", "1", *args, check=False)
        outputs[" ".join(args)] = proc.stdout + proc.stderr
        if args != ["--touch"]:  # --touch exists to mark outputs up to date (their mtimes), nothing else
            assert _state(run) == before, args
        assert (run / rel).read_bytes() == damaged and not (run / ".snakemake" / "damaged").exists(), args
    for args, out in outputs.items():  # each names the file and what a run would do, without a traceback
        assert "Traceback" not in out, (args, out[-2000:])
        assert f"{rel} is a damaged NetCDF file" in out and "left in place" in out, (args, out[-2000:])


def test_only_the_requested_targets_files_are_looked_at(toy, tmp_path):
    """D2: a damaged file of another target (a sweep value file, a study-2 design) is neither moved nor named by a
    run of one figure; the requested figure's own damaged file is."""
    run = copy_run(toy.directory, tmp_path / "targets")
    other = run / "results" / "cfmmimo" / "sweeps" / "K" / "3.nc"
    other.parent.mkdir(parents=True)
    other.write_bytes((run / ONLY_FIG3).read_bytes()[:500])
    _truncate(run / "results" / "dfbs" / "designs" / "aa" / "p5_r2.nc")
    _truncate(run / ONLY_FIG3)
    before = {p: p.read_bytes() for p in (other, run / "results/dfbs/designs/aa/p5_r2.nc")}
    proc = _sm(toy, run, "--cores", "2", "cfmmimo_fig3")
    out = proc.stdout + proc.stderr
    assert {p: p.read_bytes() if p.exists() else None for p in before} == before
    assert f"{ONLY_FIG3} is a damaged NetCDF file" in out and "moved to .snakemake/damaged/" in out
    assert "sweeps/K/3.nc" not in out and "p5_r2.nc" not in out
    _assert_same_dataset(run / ONLY_FIG3, toy.directory / ONLY_FIG3)


def test_a_damaged_file_that_cannot_be_moved_is_named_in_one_line(toy, tmp_path):
    """D14: every target failed with a PermissionError traceback when a damaged file could not be deleted. When it
    cannot be moved aside (here .snakemake/damaged is a file, as a read-only folder would refuse it), one line says
    so and the run goes on; another snakemake's lock keeps the file in place too."""
    run = copy_run(toy.directory, tmp_path / "stuck")
    _truncate(run / ONLY_FIG4)
    (run / ".snakemake" / "damaged").write_text("not a folder")
    proc = _sm(toy, run, "--cores", "1", "dfbs_fig2")
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out and f"{ONLY_FIG4}" not in out  # not a file of the requested target
    proc = _sm(toy, run, "--cores", "1", "--keep-going", check=False)
    out = proc.stdout + proc.stderr
    assert "pipeline/files.py" not in out and "common.smk" not in out, out[-3000:]  # no traceback of the check
    (line,) = [x for x in out.splitlines() if "could not be moved aside" in x]
    assert line.startswith(f"{ONLY_FIG4} is a damaged NetCDF file") and "left as it is" in line
    assert (run / ONLY_FIG4).exists()
    # the job that reads it fails naming it; everything else is done
    assert f"{ONLY_FIG4} (unreadable" in out and "results/cfmmimo/fig4.nc" in out
    assert "Nothing to be done" in _sm(toy, run, "--cores", "1", "-n", "dfbs", "cfmmimo_fig3").stdout
    (run / ".snakemake" / "damaged").unlink()
    (run / ".snakemake" / "locks").mkdir(exist_ok=True)
    (run / ".snakemake" / "locks" / "0.input.lock").write_text("/elsewhere/input.nc\n")
    proc = _sm(toy, run, "--cores", "1", check=False)
    out = proc.stdout + proc.stderr
    assert "another snakemake holds a lock" in out and (run / ONLY_FIG4).exists(), out[-3000:]
