"""The pip and conda dependency lists must not drift apart; the lock covers pyproject.toml and its conda twin
matches it."""

import re
import tomllib
from pathlib import Path

import pytest
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


def _specs(reqs) -> dict[str, str]:
    return {_name(r): re.sub(r"\s+", "", r.strip()[len(_name(r)):].split(";")[0]) for r in reqs}


def test_environment_yml_has_pyprojects_version_ranges():
    """The same ranges too, e.g. cvxpy's upper bound (conda accepts pip's `>=a,<b` syntax)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_specs = _specs(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        pip_specs |= _specs(extra)
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_specs = _specs(d for d in env["dependencies"] if isinstance(d, str) and _name(d) not in {"python", "pip"})
    assert conda_specs == pip_specs


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


def _lock_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("lock_script", ROOT / "scripts" / "lock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lock_pins_every_requirement_within_pyprojects_ranges():
    """requirements-lock.txt (`make lock`) pins every runtime dependency and the dev and slurm extras (what
    `make test` installs) to a version pyproject.toml allows: a new or tightened dependency fails here until the
    lock is refreshed."""
    from packaging.requirements import Requirement

    lock = _lock_script()
    pins = lock.pins((ROOT / lock.LOCK).read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"]) + [r for e in lock.EXTRAS for r in project["optional-dependencies"][e]]
    assert set(lock.EXTRAS) == set(project["optional-dependencies"])
    for req in map(Requirement, reqs):
        name = lock.normalize(req.name)
        assert name in pins, f"{name} is not in {lock.LOCK}: run `make lock`"
        assert req.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} outside {req}"
    assert "secure-isac" not in pins  # the project itself is installed from the checkout (--no-deps -e .)


def test_lock_is_hashed_and_for_the_documented_target():
    """Every pin carries SHA-256 hashes (pip's --require-hashes refuses the file otherwise), nothing is left
    unpinned, no machine-local index or path is recorded, and the header states the Python and platform."""
    lock = _lock_script()
    text = (ROOT / lock.LOCK).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2] if text.startswith("#") else text)
    entries = [e for e in entries if not e.startswith("#")]
    assert len(entries) == len(lock.pins(text)) > 50
    for entry in entries:
        assert "==" in entry.splitlines()[0] and "--hash=sha256:" in entry, entry.splitlines()[0]
    assert "file:" not in text and "--index-url" not in text and "--find-links" not in text
    assert f"--python-version {lock.PYTHON}" in text and f"--python-platform {lock.PLATFORM}" in text
    assert re.search(r"^cvxpy==1\.9\.", text, re.M)  # the version the code's use of cvxpy internals was tested with


def test_conda_twin_matches_the_lock():
    """environment.lock.yml is exactly what `make lock` renders from the lock and environment.yml."""
    lock = _lock_script()
    twin = lock.render_twin((ROOT / lock.ENV).read_text(), lock.pins((ROOT / lock.LOCK).read_text()))
    assert (ROOT / lock.TWIN).read_text() == twin, "environment.lock.yml is stale: run `make lock`"
    env = yaml.safe_load(twin)
    assert env["name"] == "secure-isac" and f"python={lock.PYTHON}" in env["dependencies"]
    pinned = [d for d in env["dependencies"] if isinstance(d, str) and d not in (f"python={lock.PYTHON}", "pip")]
    assert pinned and all(re.fullmatch(r"[a-z0-9-]+=\d+(\.\d+)*", d) for d in pinned), pinned


def test_conda_twin_renderer_reports_staleness():
    """The check can fail: a lock that lacks a package of environment.yml, or pins another version, gives another
    twin (or an error naming the package)."""
    lock = _lock_script()
    env_text = (ROOT / lock.ENV).read_text()
    pins = lock.pins((ROOT / lock.LOCK).read_text())
    assert lock.render_twin(env_text, {**pins, "numpy": "0.0.1"}) != lock.render_twin(env_text, pins)
    with pytest.raises(ValueError, match="seaborn"):
        lock.render_twin(env_text, {k: v for k, v in pins.items() if k != "seaborn"})
    assert lock.conda_version("1.7.5.1.post1") == "1.7.5.1" and lock.conda_version("2026.9.0") == "2026.9.0"
    assert lock.pins("Foo_Bar==1.2 \\\n    --hash=sha256:00\n# x==2\n") == {"foo-bar": "1.2"}
