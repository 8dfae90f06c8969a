"""The pip and conda dependency lists must not drift apart."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        pip_names |= {_name(r) for r in extra}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_names = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert pip_names == conda_names, (
        f"only in pyproject: {sorted(pip_names - conda_names)}; "
        f"only in environment.yml: {sorted(conda_names - pip_names)}"
    )


def test_python_floor_matches():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert project["requires-python"] == ">=3.11"
    assert "python>=3.11" in env["dependencies"]


def test_compare_console_script():
    """`secure-isac-compare` is declared and points at a callable; installed by `make install` (pip -e)."""
    import importlib
    import shutil
    import subprocess

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    target = project["scripts"]["secure-isac-compare"]
    module, func = target.split(":")
    assert callable(getattr(importlib.import_module(module), func))
    exe = shutil.which("secure-isac-compare")
    if exe:  # installed (make install): its help names both arguments
        out = subprocess.run([exe, "--help"], capture_output=True, text=True, check=True).stdout
        assert "run_a" in out and "run_b" in out
