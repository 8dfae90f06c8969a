"""Refresh the locked environment: requirements-lock.txt (pip) and its conda twin environment.lock.yml.

    make lock                      # = python scripts/lock.py --uv <uv>: newest versions pyproject.toml allows
    make lock LOCK_ARGS=--no-upgrade  # keep the current pins, only add/adjust what pyproject.toml now asks
    python scripts/lock.py --check # exit 1 if environment.lock.yml does not match requirements-lock.txt

The pip lock is made by uv (`uv pip compile`, installed from PyPI by `make lock` into .venv/tools): exact versions
with the SHA-256 hash of every file of each release (`pip install --require-hashes`), resolved for PYTHON on
PLATFORM, covering the runtime dependencies and the `dev` and `slurm` extras (what `make test` needs). The conda
twin is environment.yml with every package pinned to the lock's version (conda's `=X.Y.Z`, the release without
post/local parts); conda solves their own dependencies, so only the pip route is hash-checked to the last package.
Standard library only: it runs before any environment exists.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = "requirements-lock.txt"
ENV = "environment.yml"
TWIN = "environment.lock.yml"
PYTHON = "3.11"
PLATFORM = "x86_64-manylinux_2_28"  # Linux x86_64 with glibc >= 2.28 (CI and the project's machines: 2.36)
EXTRAS = ("dev", "slurm")

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
_DEP = re.compile(r"^(\s*-\s+)([A-Za-z0-9][A-Za-z0-9._-]*)(.*)$")


def normalize(name: str) -> str:
    """PEP 503 name: lower case, runs of -_. as one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock_text: str) -> dict[str, str]:
    """{normalized name: version} of every `name==version` line of a pip requirements file."""
    return {normalize(m[1]): m[2] for m in map(_PIN.match, lock_text.splitlines()) if m}


def conda_version(version: str) -> str:
    """The release part of a PEP 440 version (1.7.5.1.post1 -> 1.7.5.1): conda-forge's builds carry no post or
    local segment."""
    m = re.match(r"^\d+(?:\.\d+)*", version)
    if not m:
        raise ValueError(f"cannot read a release from version {version!r}")
    return m[0]


def render_twin(env_text: str, locked: dict[str, str], python: str = PYTHON) -> str:
    """environment.yml with every dependency pinned to its locked version (python to `python`, pip unpinned)."""
    head = [
        f"# GENERATED from {LOCK} by `make lock` (scripts/lock.py): do not edit; tests/test_packaging.py checks it.",
        f"# {ENV} pinned to the versions of the pip lock (Linux x86_64, Python {python}); conda solves the",
        "# dependencies of these packages (the exact, hash-checked environment is the pip lock, `make install`):",
        f"#   mamba env create -f {TWIN} && conda activate secure-isac",
        "#   pip install --no-deps -e . && snakemake --cores 8 figures",
    ]
    out, missing = [], []
    lines = env_text.splitlines()
    while lines and lines[0].startswith("#"):  # environment.yml's own header is replaced by the one above
        lines.pop(0)
    in_deps = False
    for line in lines:
        if re.match(r"^\S", line):
            in_deps = line.startswith("dependencies:")
        m = _DEP.match(line) if in_deps else None
        if m and not line.lstrip().startswith("#"):
            indent, name = m[1], m[2]
            if name == "python":
                line = f"{indent}python={python}"
            elif name != "pip":
                version = locked.get(normalize(name))
                if version is None:
                    missing.append(name)
                    continue
                line = f"{indent}{name}={conda_version(version)}"
        out.append(line)
    if missing:
        raise ValueError(f"{LOCK} has no pin for {', '.join(missing)} (listed in {ENV}): run `make lock`")
    return "\n".join(head + out) + "\n"


def compile_lock(uv: str, upgrade: bool) -> None:
    """Resolve pyproject.toml (+ extras) with uv into LOCK (run from the repository root: relative paths keep the
    command in the lock's header free of this machine's paths)."""
    cmd = [uv, "pip", "compile", "--no-config", "pyproject.toml", *(a for e in EXTRAS for a in ("--extra", e)),
           "--generate-hashes", "--python-version", PYTHON, "--python-platform", PLATFORM,
           *(["--upgrade"] if upgrade else []), "-o", LOCK]
    subprocess.run(cmd, cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uv", help="uv executable: resolve pyproject.toml into the pip lock first")
    ap.add_argument("--no-upgrade", action="store_true", help="with --uv: keep the current pins where allowed")
    ap.add_argument("--check", action="store_true", help=f"only check that {TWIN} matches {LOCK}")
    args = ap.parse_args(argv)
    if args.uv and not args.check:
        compile_lock(args.uv, upgrade=not args.no_upgrade)
    twin = render_twin((ROOT / ENV).read_text(), pins((ROOT / LOCK).read_text()))
    if args.check:
        if (ROOT / TWIN).read_text() != twin:
            print(f"{TWIN} does not match {LOCK}: run `make lock`", file=sys.stderr)
            return 1
        return 0
    (ROOT / TWIN).write_text(twin)
    print(f"wrote {LOCK} and {TWIN}" if args.uv else f"wrote {TWIN}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
