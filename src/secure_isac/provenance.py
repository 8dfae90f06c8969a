"""Provenance attributes and byte-reproducible NetCDF output for every dataset the pipeline writes.

Global attributes of every dataset (`stamp`): `source` (package and version), `git_commit`, `config_json` (the
job's configuration and code digest), `references` (the paper's arXiv id) and `versions_json` (Python, numpy,
scipy, cvxpy, clarabel, scs, xarray, netCDF4, snakemake and numpy's BLAS; `dataset_versions` reads it back,
`version_differences` compares two runs). None holds a wall-clock time: equal inputs in one environment give equal
bytes."""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import platform
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

import secure_isac

from . import startup

PACKAGE = "secure-isac"


def source() -> str:
    """Package name and version, the `source` attribute of every dataset."""
    return f"{PACKAGE} {secure_isac.__version__}"


def git_commit(path: str | os.PathLike | None) -> str:
    """Commit of the git repository containing `path` (suffix "-dirty" if tracked files differ), else "unknown"."""
    if path is None:
        return "unknown"
    path = Path(path)
    cwd = path if path.is_dir() else path.parent
    if not cwd.exists():
        return "unknown"
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=20, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "diff", "--quiet", "HEAD", "--"], cwd=cwd, capture_output=True, timeout=20
        ).returncode
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("-dirty" if dirty == 1 else "") if head else "unknown"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


def config_json(params: Mapping[str, Any]) -> str:
    """Canonical JSON (sorted keys) of the parameters that produced a dataset."""
    return json.dumps(_jsonable(params), sort_keys=True, separators=(",", ":"))


# the packages whose versions every dataset records (distribution names): the numerical stack that computes the
# results, the file format's, and the workflow engine's
VERSIONED_PACKAGES = ("numpy", "scipy", "cvxpy", "clarabel", "scs", "xarray", "netCDF4", "snakemake")
NOT_INSTALLED = "not installed"


def blas() -> str:
    """numpy's BLAS: name and version from numpy's build configuration (e.g. "scipy-openblas 0.3.31.188.0"), with
    the kernel OpenBLAS chose at run time for this CPU if threadpoolctl is installed (not a dependency); "unknown"
    if numpy does not say. The kernel and the library decide the round-off (docs/deviations.md S2-D17)."""
    try:
        info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        name = f"{info['name']} {info['version']}"
    except Exception:  # an older numpy or a build without this section  # noqa: BLE001
        return "unknown"
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return name
    kernels = sorted({str(p["architecture"]) for p in threadpool_info()
                      if p.get("internal_api") == "openblas" and p.get("architecture")})
    return f"{name} ({', '.join(kernels)})" if kernels else name


@functools.cache
def package_versions() -> dict[str, str]:
    """{"python": ..., <each of VERSIONED_PACKAGES>: installed version or "not installed", "blas": blas()}.

    Versions come from the installed distributions' metadata (no package is imported for it); cached per process."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = NOT_INSTALLED
    versions["blas"] = blas()
    return versions


def versions_json(versions: Mapping[str, str] | None = None) -> str:
    """Canonical JSON of `versions` (default: this process's package_versions()), the `versions_json` attribute."""
    return json.dumps(dict(package_versions() if versions is None else versions), sort_keys=True,
                      separators=(",", ":"))


def dataset_versions(attrs: Mapping[str, Any]) -> dict[str, str]:
    """The package versions recorded in a dataset's global attributes (`ds.attrs`); {} for a dataset written
    before versions were recorded."""
    text = attrs.get("versions_json")
    if text is None:
        return {}
    try:
        versions = json.loads(str(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"versions_json attribute is not JSON: {exc}") from exc
    if not isinstance(versions, dict):
        raise ValueError(f"versions_json attribute is not a JSON object: {text!r}")
    return {str(k): str(v) for k, v in versions.items()}


def run_versions(datasets_attrs: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The package versions of a run from the global attributes of its datasets: each package's version, or the
    distinct versions joined by " | " (sorted) where the datasets of one run disagree (e.g. a job rerun after an
    upgrade). Datasets that record no versions (written before `versions_json` existed) are left out; a package
    that only some of the others record counts as "not recorded" in the rest."""
    recorded = [dataset_versions(a) for a in datasets_attrs]
    recorded = [v for v in recorded if v] or [{}]
    names = sorted(set().union(*recorded))
    return {n: " | ".join(sorted({v.get(n, "not recorded") for v in recorded})) for n in names}


def version_differences(a: Mapping[str, str], b: Mapping[str, str]) -> dict[str, tuple[str | None, str | None]]:
    """{package: (version in a, version in b)} for every package whose version differs between two runs (or
    datasets), in name order; None where one side does not record the package. Empty if they agree."""
    return {n: (a.get(n), b.get(n)) for n in sorted(set(a) | set(b)) if a.get(n) != b.get(n)}


def stamp(ds: xr.Dataset, params: Mapping[str, Any], references: str, commit: str, **extra: Any) -> xr.Dataset:
    """Return `ds` with the contract's global provenance attributes (no wall-clock time anywhere): `source`,
    `git_commit`, `config_json`, `references` and `versions_json` (package_versions(): Python, numpy, scipy, cvxpy,
    clarabel, scs, xarray, netCDF4, snakemake and numpy's BLAS)."""
    out = ds.copy()
    attrs = dict(out.attrs)
    attrs.update(
        source=source(),
        git_commit=str(commit),
        config_json=config_json(params),
        references=str(references),
        versions_json=versions_json(),
    )
    for key, value in extra.items():
        attrs[key] = _attr_value(value)
    out.attrs = attrs
    return out


def attr_value(value: Any) -> Any:
    """A value as a NetCDF global attribute can hold it: booleans as int8 0/1 (NetCDF has no boolean attribute),
    lists as arrays, everything else as it is."""
    if isinstance(value, bool) or isinstance(value, np.bool_):
        return np.int8(value)
    if isinstance(value, (list, tuple)):
        return np.asarray(value)
    return value


_attr_value = attr_value


def write_netcdf(ds: xr.Dataset, path: str | os.PathLike) -> None:
    """Write `ds` atomically (temp file + rename) so that a killed job never leaves a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        ds.to_netcdf(tmp, engine="netcdf4", format="NETCDF4")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_dataset(ds: xr.Dataset, out, config: Mapping[str, Any], digest: str, repo, references: str,
                  **attrs: Any) -> None:
    """Stamp `ds` with the provenance of the job that made it (its config and code digest, the git commit, the
    paper) and write it atomically."""
    ds = stamp(ds, {"config": dict(config), "code_digest": digest}, references, git_commit(repo), **attrs)
    write_netcdf(ds, out)
    logging.getLogger("secure_isac.pipeline").info("wrote %s", out)


class CorruptIntermediateError(RuntimeError):
    """An input file of a pipeline step is missing or unreadable (nothing is deleted here: the next snakemake run
    that executes jobs moves a damaged NetCDF file of its targets aside before it plans the jobs and rebuilds it,
    pipeline.files)."""


def unreadable(path: str | os.PathLike) -> str | None:
    """Why an existing file is not a readable NetCDF file (e.g. truncated), or None if it opens (or is absent).

    Opening reads the HDF5 superblock, which records the file's end address, so a truncated file fails here."""
    import netCDF4

    try:
        with netCDF4.Dataset(os.fspath(path), "r"):
            return None
    except FileNotFoundError:
        return None
    except Exception as exc:  # any open failure means the file is unusable  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}".splitlines()[0]


def open_intermediates(paths: Iterable[str | os.PathLike]) -> list[xr.Dataset]:
    """Load every file fully; raise CorruptIntermediateError naming each missing or unreadable one.

    Unreadable files are not touched here: several jobs may read the same file, and the next run moves a damaged
    one aside and rebuilds it before planning (deleting from one reader made the others fail with a missing input)."""
    datasets, bad = [], []
    for p in paths:
        if not os.path.exists(p):
            bad.append((os.fspath(p), "missing"))
            continue
        try:
            with xr.open_dataset(p, engine="netcdf4") as ds:
                datasets.append(ds.load())
        except Exception as exc:  # any read failure means the file is unusable  # noqa: BLE001
            bad.append((os.fspath(p), f"unreadable: {type(exc).__name__}: {exc}".splitlines()[0]))
    if bad:
        lines = "\n".join(f"  {p} ({why})" for p, why in bad)
        raise CorruptIntermediateError(
            f"input file(s) missing or unreadable:\n{lines}\nRun the same snakemake command again: it moves a "
            "damaged NetCDF file of its targets to .snakemake/damaged/ and rebuilds it and everything made from it "
            "(a file it cannot read at all is named and left to you)."
        )
    return datasets


def job_cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children since the process started, in s."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextlib.contextmanager
def log_to(path: str | os.PathLike) -> Iterator[logging.Logger]:
    """Send logging and warnings of one pipeline step to `path`; record any exception before re-raising it."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    logger = logging.getLogger("secure_isac.pipeline")
    try:
        yield logger
    except BaseException:
        logger.exception("step failed")
        raise
    finally:
        # the job's whole CPU time (imports included): Snakemake's benchmark files sample it every 30 s and miss the
        # last interval (scripts/profile_run.py reads this line instead)
        logger.info("job CPU: %.3f s", job_cpu_seconds())
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def end_job() -> None:
    """End a workflow script's process once its outputs are written: call it as the last statement of a workflow
    script, outside `log_to` (a failing script never reaches it and exits the normal way). Every output is written
    and closed by then (xarray's to_netcdf, matplotlib's savefig and `open` contexts close their files); logging and
    the standard streams are flushed and the process ends at once (startup.fast_exit: the interpreter's teardown
    costs ~0.2 s of CPU per job and does nothing a finished job needs), or, with the start-up speed-ups switched
    off, the interpreter shuts down the normal way."""
    startup.fast_exit()
