"""`make dist` (secure_isac.pipeline.dist, issue 26 item 11): the results package of a run.

Fabricated runs (tiny files at the paths of config/test.yaml's outputs, in a temporary git repository) check the
refusals, the archive's members, checksums and metadata, determinism and that nothing but the archive is written;
the session's toy run checks the whole path: the up-to-date check through snakemake, the archive of a real run, and
the documented way (docs/workflow.md) to redraw a figure from the extracted archive without rerunning."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from secure_isac import provenance
from secure_isac.pipeline import dist

from conftest import REPO

TOY = ["config/test.yaml"]


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def fake_run(tmp_path):
    """A git repository with the configuration and citation of this one, and no run outputs yet."""
    root = tmp_path / "repo"
    for rel in ("config/config.yaml", "config/test.yaml", "CITATION.cff"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, root / rel)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "fake")
    return root


def _outputs():
    return dist.run_outputs(dist.run_config(REPO, TOY))


def _fabricate(root: Path, skip: tuple[str, ...] = ()) -> list[str]:
    files = [f for kind in ("datasets", "figures", "claims") for f in _outputs()[kind]]
    for f in files:
        if f not in skip:
            (root / f).parent.mkdir(parents=True, exist_ok=True)
            (root / f).write_bytes(f"content of {f}\n".encode())
    return files


def test_outputs_are_the_runs_datasets_figures_and_claims():
    out = _outputs()
    assert {"results/cfmmimo/fig3.nc", "results/cfmmimo/fig4.nc", "results/dfbs/fig2.nc"} <= set(out["datasets"])
    assert any(f.startswith("results/cfmmimo/designs/") for f in out["datasets"])  # the intermediates too
    assert all(f.endswith(".nc") for f in out["datasets"])
    assert {"figures/cfmmimo/fig3.pdf", "figures/cfmmimo/fig3_decomposition.png", "figures/dfbs/fig4.png"} <= \
        set(out["figures"])
    assert out["claims"] == ["results/cfmmimo/claims.csv", "results/claims.md", "results/dfbs/claims.csv"]
    assert not any("scenarios/" in f or "sensitivity/" in f or "/sweeps/" in f for v in out.values() for f in v)


def test_refuses_naming_what_is_missing_and_writes_nothing(fake_run, tmp_path):
    out_dir = tmp_path / "dist"
    with pytest.raises(dist.DistError, match=r"(?s)of the run's \d+ outputs are missing.*results/.*and \d+ more"):
        dist.build_archive(fake_run, out_dir, TOY, check=False)
    files = _fabricate(fake_run, skip=("results/cfmmimo/fig3.nc", "figures/dfbs/fig2.png"))
    with pytest.raises(dist.DistError) as err:
        dist.build_archive(fake_run, out_dir, TOY, check=False)
    message = str(err.value)
    assert f"2 of the run's {len(files)} outputs are missing" in message
    assert "  results/cfmmimo/fig3.nc\n" in message and "  figures/dfbs/fig2.png\n" in message
    assert "snakemake --cores 8 figures --configfile config/test.yaml" in message
    assert not out_dir.exists()


def test_bad_configfile_is_named(fake_run, tmp_path):
    with pytest.raises(dist.DistError, match="configfile: config/nope.yaml does not exist"):
        dist.build_archive(fake_run, tmp_path / "dist", ["config/nope.yaml"], check=False)


def test_archive_members_checksums_and_metadata(fake_run, tmp_path):
    files = _fabricate(fake_run)
    path = dist.build_archive(fake_run, tmp_path / "dist", TOY, check=False)
    head = _git(fake_run, "rev-parse", "HEAD").strip()
    name = f"secure-isac-results-{head[:12]}"
    assert path == tmp_path / "dist" / f"{name}.tar.gz"
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == [path.name]  # no temporary file left
    with tarfile.open(path) as tar:
        members = {m.name: m for m in tar.getmembers()}
        assert set(members) == {f"{name}/{f}" for f in [*files, "SHA256SUMS", "metadata.json", "CITATION.cff"]}
        assert {(m.mtime, m.uid, m.gid, m.mode) for m in members.values()} == {(0, 0, 0, 0o644)}
        read = {n[len(name) + 1:]: tar.extractfile(m).read() for n, m in members.items()}
    for f in files:
        assert read[f] == (fake_run / f).read_bytes()
    sums = dict(reversed(line.split("  ", 1)) for line in read["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files)
    assert all(sums[f] == hashlib.sha256(f"content of {f}\n".encode()).hexdigest() for f in files)
    meta = json.loads(read["metadata.json"])
    assert meta["name"] == name and meta["git_commit"] == head and meta["up_to_date_checked"] is False
    assert meta["package_versions"] == provenance.package_versions()
    assert {"python", "numpy", "cvxpy", "snakemake", "blas"} <= set(meta["package_versions"])
    test_cfg = yaml.safe_load((REPO / "config" / "test.yaml").read_text())
    assert meta["configfiles"] == ["config/config.yaml", "config/test.yaml"]
    assert meta["configuration"]["cfmmimo"]["fig4"]["n_layouts"] == test_cfg["cfmmimo"]["fig4"]["n_layouts"]
    assert meta["configuration"] == json.loads(json.dumps(dist.run_config(REPO, TOY), default=str))
    assert meta["citation"]["title"] == yaml.safe_load((REPO / "CITATION.cff").read_text())["title"]
    assert read["CITATION.cff"] == (REPO / "CITATION.cff").read_bytes()
    assert meta["plots"]["figures/cfmmimo/fig3_decomposition.png"] == {
        "study": "cfmmimo", "figure": "fig3_decomposition", "dataset": "results/cfmmimo/fig3.nc"}
    assert meta["plots"]["figures/cfmmimo/layout_map.png"]["dataset"] == "results/cfmmimo/fig2.nc"
    assert set(meta["plots"]) == {f for f in files if f.endswith(".png")}
    assert not _git(fake_run, "status", "--porcelain", "--untracked-files=no")  # no tracked file touched


def test_sha256sum_checks_the_extracted_archive(fake_run, tmp_path):
    if shutil.which("sha256sum") is None:
        pytest.skip("no sha256sum (coreutils) on this machine")
    _fabricate(fake_run)
    path = dist.build_archive(fake_run, tmp_path / "dist", TOY, check=False)
    with tarfile.open(path) as tar:
        tar.extractall(tmp_path / "x", filter="data")
    (top,) = (tmp_path / "x").iterdir()
    ok = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=top, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (top / "results/claims.md").write_text("tampered\n")
    bad = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=top, capture_output=True, text=True)
    assert bad.returncode != 0 and "results/claims.md: FAILED" in bad.stdout


def test_deterministic_and_never_overwrites_a_different_archive(fake_run, tmp_path):
    _fabricate(fake_run)
    path = dist.build_archive(fake_run, tmp_path / "dist", TOY, check=False)
    first = path.read_bytes()
    assert dist.build_archive(fake_run, tmp_path / "dist", TOY, check=False) == path  # identical: kept
    assert path.read_bytes() == first
    (fake_run / "results/cfmmimo/fig3.nc").write_bytes(b"another run\n")
    with pytest.raises(dist.DistError, match="exists and differs from this run's archive"):
        dist.build_archive(fake_run, tmp_path / "dist", TOY, check=False)
    assert path.read_bytes() == first
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == [path.name]
    other = dist.build_archive(fake_run, tmp_path / "other", TOY, check=False)
    assert other.name == path.name and other.read_bytes() != first


def test_command_line_refuses_with_one_message(fake_run, tmp_path):
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "dist.py"), "--configfile", *TOY, "--no-check",
                           "--output", str(tmp_path / "d")], cwd=fake_run, capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.startswith("make dist: ") and "outputs are missing" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_make_dist_target_runs_the_script():
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^dist: .*\n\t.*scripts/dist\.py \$\(DIST_ARGS\)", makefile, re.M)


# --- the toy run ----------------------------------------------------------------------------------------------------

DOC = (REPO / "docs" / "workflow.md").read_text()
REDRAW = DOC.split("### Reproduce a figure from the archive without rerunning", 1)[1].split("\n## ", 1)[0]


@pytest.fixture(scope="module")
def toy_archive(toy_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    before = _git(toy_run.directory, "status", "--porcelain")
    path = dist.build_archive(toy_run.directory, out, TOY)  # with the up-to-date check (snakemake -n figures)
    assert _git(toy_run.directory, "status", "--porcelain") == before
    return path


@pytest.mark.slow
def test_toy_run_archive_and_redraw_a_figure_as_documented(toy_run, toy_archive, tmp_path, monkeypatch):
    assert toy_archive.name == f"secure-isac-results-{toy_run.commit[:12]}.tar.gz"
    with tarfile.open(toy_archive) as tar:
        tar.extractall(tmp_path, filter="data")
    top = tmp_path / toy_archive.name.removesuffix(".tar.gz")
    meta = json.loads((top / "metadata.json").read_text())
    assert meta["up_to_date_checked"] is True and meta["git_commit"] == toy_run.commit
    for line in (top / "SHA256SUMS").read_text().splitlines():
        digest, rel = line.split("  ", 1)
        assert hashlib.sha256((toy_run.directory / rel).read_bytes()).hexdigest() == digest, rel
    (block,) = re.findall(r"```python\n(.*?)```", REDRAW, re.S)
    assert re.search(r"```bash\n.*sha256sum -c SHA256SUMS", REDRAW, re.S)
    monkeypatch.chdir(top)
    exec(compile(block, "docs/workflow.md", "exec"), {})  # noqa: S102 - the docs' own example
    assert (top / "redrawn/fig3.png").read_bytes() == (top / "figures/cfmmimo/fig3.png").read_bytes()
    assert (top / "redrawn/fig3.pdf").read_bytes() == (top / "figures/cfmmimo/fig3.pdf").read_bytes()


@pytest.mark.slow
def test_toy_run_out_of_date_is_refused(toy_run, tmp_path):
    """The same files under another configuration are not that run's outputs: snakemake -n has jobs to run (nu
    changes the designs' params, not their paths)."""
    overlay = tmp_path / "nu.yaml"
    overlay.write_text("cfmmimo:\n  system:\n    nu: 0.6\n")
    assert dist.run_outputs(dist.run_config(toy_run.directory, [*TOY, str(overlay)])) == _outputs()
    with pytest.raises(dist.DistError, match=r"not those of an up-to-date run"):
        dist.build_archive(toy_run.directory, tmp_path / "dist", [*TOY, str(overlay)])
    assert not (tmp_path / "dist").exists()
