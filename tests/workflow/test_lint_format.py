"""Static checks: snakemake --lint, snakefmt --check and ruff (config in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO, TEST_CONFIG, snakemake


def test_snakemake_lint_clean(tmp_path):
    proc = snakemake("--lint", "--configfile", str(TEST_CONFIG), directory=tmp_path, check=False)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text[-4000:]
    assert "Lints for" not in text, text[-4000:]


def test_ruff_clean():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_snakefmt_check():
    proc = subprocess.run([sys.executable, "-m", "snakefmt", "--check", "Snakefile", "workflow"], cwd=REPO,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
