"""The CI scripts wait for a busy dpkg lock instead of failing (another apt process at boot used to break
`make test-cluster` with "Could not get lock /var/lib/dpkg/lock-frontend")."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_apt_get_call_waits_for_the_dpkg_lock():
    calls = 0
    for script in (REPO / ".ci").rglob("*"):
        if not script.is_file():
            continue
        for line in script.read_text(errors="replace").splitlines():
            code = line.split("#", 1)[0]
            # apt-get as a command: at the start of the line, after timeout N, sudo, ; or &&
            if re.search(r"(^\s*|\btimeout\s+\d+\s+|\bsudo\s+|;\s*|&&\s*)apt-get\b", code):
                calls += 1
                assert re.search(r"DPkg::Lock::Timeout=\d+", code), f"{script}: {line.strip()}"
    assert calls >= 2


def _make_dry_run(*args: str) -> str:
    """The commands `make -n <args>` would run (recursive makes included), without running them."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}  # under make test
    return subprocess.run(["make", "-n", "--no-print-directory", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, check=True).stdout


def test_both_routes_run_the_tests_the_same_way():
    """`make test` (the venv route, CI) and the README's conda route both run `make check`: one BLAS thread (deviation
    S2-D17) and the pytest-xdist workers; neither documents a bare `pytest`."""
    check = _make_dry_run("check")
    assert re.search(r"OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python -m pytest\b", check), check
    assert "-n auto" in check and "--dist loadfile" in check, check
    test = _make_dry_run("test")
    assert test.endswith(check) and "/.venv/bin:" in test, test  # check, with the venv first on PATH
    assert "-n 0" in _make_dry_run("check", "TEST_WORKERS=0")
    for doc in ("README.md", "docs/getting-started.md"):
        text = (REPO / doc).read_text()
        conda = text[text.index("mamba env create"):]
        assert conda.splitlines()[1].startswith("make check"), (doc, conda[:300])
        assert not re.search(r"^\s*(\w+=\S+\s+)*pytest\b", text, re.M), doc
    run = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^make test\n", run, re.M) and re.search(r"^make test-cluster\b", run, re.M)
