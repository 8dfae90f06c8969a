"""A results package of a run, ready to deposit (e.g. on Zenodo): `make dist` (issue 26 item 11).

One archive, `dist/secure-isac-results-<commit>.tar.gz` (`archive_name`), holds under one top directory of the
same name:

- the run's datasets (every `results/**/*.nc` the `figures` target is made from: the figure datasets of the data
  contract and the layouts, channels and designs behind them), its figures (`figures/<study>/*.{pdf,png}`) and its
  claims tables (`results/<study>/claims.csv`, `results/claims.md`), at their paths in the repository;
- `SHA256SUMS` (`sha256sum -c SHA256SUMS` checks every file above, `sha256sum` format);
- `metadata.json`: the package versions of this environment (`provenance.package_versions`), the git commit, the
  validated configuration and the configuration files it was merged from, which dataset each figure is drawn from
  (`plots`), and the citation (`CITATION.cff`, also as a file of its own).

It refuses, naming what is missing, unless every output of the run exists, and (unless `check=False`) unless
`snakemake -n figures` with the same configuration files has nothing to do, i.e. the outputs are exactly what this
configuration and this code give. It writes only the archive (to a temporary file, renamed when complete); an
existing archive of the same name is kept when it is identical and otherwise refused, never overwritten. The
archive is deterministic: sorted members, fixed owners and times, equal files give equal bytes.

Reproduce a figure from an extracted archive without rerunning anything (docs/workflow.md, "Results package"):
`secure_isac.pipeline.plots.plot_file(study, figure, dataset, out_stem)` with the dataset named in
`metadata.json["plots"]`.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from .. import provenance
from .config import deep_merge, validate_config
from .registry import registry
from .studies import all_studies
from .targets import run_files

ARCHIVE_STEM = "secure-isac-results"
DEFAULT_CONFIG = Path("config", "config.yaml")
CITATION = "CITATION.cff"
TARGET = "figures"  # the snakemake target whose outputs the archive holds
MAX_LISTED = 20  # missing files named one per line; the rest counted


class DistError(RuntimeError):
    """The archive cannot be written (missing or out-of-date outputs, a different archive of the same name)."""


def run_config(root: str | os.PathLike, configfiles: Sequence[str | os.PathLike] = ()) -> dict:
    """The validated configuration of the run in `root`: config/config.yaml with each of `configfiles` (relative to
    `root` unless absolute) merged over it, as snakemake merges them."""
    root = Path(root)
    config: dict = {}
    for name in [DEFAULT_CONFIG, *configfiles]:
        path = root / name
        if not path.is_file():
            raise DistError(f"configfile: {name} does not exist (relative to {root})")
        config = deep_merge(config, yaml.safe_load(path.read_text()) or {})
    return validate_config(config)


def run_outputs(config: dict) -> dict[str, list[str]]:
    """{"datasets": [...], "figures": [...], "claims": [...]}: the files (paths relative to the run directory) of
    the `figures` target of the run of `config` (its scenarios, sweeps and sensitivity runs are other targets)."""
    reg = registry(config)
    files = [f for st in all_studies() for f in run_files(reg.base, st.name)] + ["results/claims.md"]
    files = list(dict.fromkeys(files))
    out: dict[str, list[str]] = {"datasets": [], "figures": [], "claims": []}
    for f in files:
        kind = "datasets" if f.endswith(".nc") else "figures" if f.endswith((".pdf", ".png")) else "claims"
        out[kind].append(f)
    return {k: sorted(v) for k, v in out.items()}


def plot_sources(config: dict) -> dict[str, dict[str, str]]:
    """{figure path (png): {"study", "figure", "dataset"}}: the dataset each figure of the run is drawn from, and the
    arguments of `plots.plot_file` that redraw it."""
    run = registry(config).base
    out = {}
    for st in all_studies():
        for fig in st.plots:
            out[st.figure_path(run, fig, "png")] = {"study": st.name, "figure": fig,
                                                    "dataset": st.dataset_path(run, st.dataset_of(fig))}
    return out


def missing_outputs(root: str | os.PathLike, files: Iterable[str]) -> list[str]:
    """The files of `files` (relative to `root`) that do not exist."""
    return [f for f in files if not (Path(root) / f).is_file()]


def _configfile_args(configfiles: Sequence[str | os.PathLike]) -> list[str]:
    return ["--configfile", *map(str, configfiles)] if configfiles else []


def check_up_to_date(root: str | os.PathLike, configfiles: Sequence[str | os.PathLike] = ()) -> None:
    """Raise DistError unless `snakemake -n figures` (with `configfiles`) in `root` has nothing to do."""
    cmd = [sys.executable, "-m", "snakemake", "-n", TARGET, *_configfile_args(configfiles)]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=900)
    out = proc.stdout + proc.stderr
    if proc.returncode != 0 or "Nothing to be done" not in out:
        command = " ".join(["snakemake", "--cores", "8", TARGET, *_configfile_args(configfiles)])
        raise DistError(f"the outputs in {root} are not those of an up-to-date run (`snakemake -n {TARGET}` has "
                        f"jobs to run, or failed); run `{command}` first.\n{out[-1500:]}")


def sha256(path: str | os.PathLike) -> str:
    """Hex SHA-256 digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def metadata(root: Path, config: dict, configfiles: Sequence[str | os.PathLike], commit: str,
             outputs: dict[str, list[str]], checked: bool) -> dict:
    """The archive's metadata.json (see the module docstring)."""
    citation = root / CITATION
    return {
        "name": archive_name(commit),
        "git_commit": commit,
        "target": TARGET,
        "up_to_date_checked": checked,
        "configfiles": [str(DEFAULT_CONFIG), *map(str, configfiles)],
        "configuration": config,
        "package_versions": provenance.package_versions(),
        "files": {kind: files for kind, files in outputs.items()},
        "plots": plot_sources(config),
        "citation": yaml.safe_load(citation.read_text()) if citation.is_file() else None,
        "checksums": "SHA256SUMS (sha256sum -c SHA256SUMS)",
    }


def _add(tar: tarfile.TarFile, name: str, data: bytes | Path) -> None:
    """Add `data` (bytes, or a file streamed from disk) as `name`, with fixed owner, mode and time."""
    info = tarfile.TarInfo(name)
    info.size = data.stat().st_size if isinstance(data, Path) else len(data)
    info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = 0, 0o644, 0, 0, "", ""
    if isinstance(data, Path):
        with open(data, "rb") as f:
            tar.addfile(info, f)
    else:
        tar.addfile(info, io.BytesIO(data))


def archive_name(commit: str) -> str:
    """`secure-isac-results-<first 12 hex digits of the commit>` (+ "-dirty" when tracked files differ from it)."""
    dirty = commit.endswith("-dirty")
    return f"{ARCHIVE_STEM}-{commit.removesuffix('-dirty')[:12]}{'-dirty' if dirty else ''}"


def build_archive(root: str | os.PathLike = ".", out_dir: str | os.PathLike | None = None,
                  configfiles: Sequence[str | os.PathLike] = (), check: bool = True) -> Path:
    """Write the results package of the run in `root` (configuration: config/config.yaml + `configfiles`) to
    `out_dir` (default `root`/dist) and return its path; DistError (nothing written) naming what is missing."""
    root = Path(root).resolve()
    out_dir = Path(out_dir) if out_dir is not None else root / "dist"
    config = run_config(root, configfiles)
    outputs = run_outputs(config)
    files = [f for kind in ("datasets", "figures", "claims") for f in outputs[kind]]
    missing = missing_outputs(root, files)
    if missing:
        listed = "\n".join(f"  {f}" for f in missing[:MAX_LISTED])
        more = f"\n  ... and {len(missing) - MAX_LISTED} more" if len(missing) > MAX_LISTED else ""
        command = " ".join(["snakemake", "--cores", "8", TARGET, *_configfile_args(configfiles)])
        raise DistError(f"{len(missing)} of the run's {len(files)} outputs are missing in {root}:\n{listed}{more}\n"
                        f"run `{command}` (`make figures` for the default run) first; nothing was written.")
    if check:
        check_up_to_date(root, configfiles)
    commit = provenance.git_commit(root)
    name = archive_name(commit)
    sums = "".join(f"{sha256(root / f)}  {f}\n" for f in files)
    meta = json.dumps(metadata(root, config, configfiles, commit, outputs, check), indent=2, sort_keys=True,
                      default=str) + "\n"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.tar.gz"
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=out_dir)
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz, \
                tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for f in files:
                _add(tar, f"{name}/{f}", root / f)
            _add(tar, f"{name}/SHA256SUMS", sums.encode())
            _add(tar, f"{name}/metadata.json", meta.encode())
            if (root / CITATION).is_file():
                _add(tar, f"{name}/{CITATION}", root / CITATION)
        if target.exists():
            if sha256(target) != sha256(tmp):
                raise DistError(f"{target} exists and differs from this run's archive; move it away (or pass "
                                "another output directory) first: it is not overwritten.")
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of `make dist` (scripts/dist.py)."""
    ap = argparse.ArgumentParser(description="Pack a run's datasets, figures and claims (SHA-256 checksums, "
                                             "metadata) into dist/secure-isac-results-<commit>.tar.gz.")
    ap.add_argument("--configfile", nargs="+", default=[], metavar="FILE",
                    help="the run's configuration files over config/config.yaml (as given to snakemake)")
    ap.add_argument("--output", default=None, metavar="DIR", help="directory of the archive (default: dist)")
    ap.add_argument("--no-check", action="store_true",
                    help="skip the `snakemake -n figures` check that the outputs are up to date")
    ap.add_argument("--root", default=".", help="the run directory (default: the current directory)")
    args = ap.parse_args(argv)
    try:
        path = build_archive(args.root, args.output, args.configfile, check=not args.no_check)
    except DistError as exc:
        print(f"make dist: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB); check it with: tar -xzf {path.name} && "
          f"cd {path.name.removesuffix('.tar.gz')} && sha256sum -c SHA256SUMS")
    return 0
