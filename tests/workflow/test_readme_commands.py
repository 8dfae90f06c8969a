"""Every `snakemake ...` command of the README works verbatim: each one runs as a dry run (`-n` added) from the root
of a snapshot clone, with the YAML files the README asks the reader to write (a ```yaml block whose first line is
`# <name>.yaml`) written there first."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from conftest import REPO, snapshot

README = (REPO / "README.md").read_text()
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", README, re.S)
COMMANDS = [line.strip() for lang, body in BLOCKS if lang in ("bash", "sh", "")
            for line in body.splitlines() if line.strip().startswith("snakemake ")]
FILES = {m[1]: body for lang, body in BLOCKS if lang == "yaml" and (m := re.match(r"#\s*(\S+\.ya?ml)\s*\n", body))}
# every target of the workflow a README command may name
TARGETS = {"figures", "sweeps", "scenarios", "sensitivity", "cfmmimo", "dfbs", "cfmmimo_fig2", "cfmmimo_fig3",
           "cfmmimo_fig4", "cfmmimo_layout_map", "dfbs_fig2", "dfbs_fig3", "dfbs_fig4"}


def test_readme_has_the_commands_a_newcomer_needs():
    joined = "\n".join(COMMANDS)
    for needed in ("--configfile config/test.yaml", "sweeps", "scenarios", "sensitivity", "--workflow-profile",
                   "--config "):
        assert needed in joined, needed
    for name in re.findall(r"--configfile (\S+\.ya?ml)", joined) + re.findall(r"file: (\S+\.ya?ml)", joined):
        assert name in FILES or (REPO / name).is_file(), f"README command reads {name}, which it never shows"


@pytest.mark.parametrize("command", COMMANDS)
def test_target_comes_first(command):
    """--configfile and --config take every word after them: no target may follow them."""
    words = shlex.split(command, comments=True)
    options = [i for i, w in enumerate(words) if w in ("--configfile", "--config", "--configfiles")]
    if options:
        assert not TARGETS & set(words[options[0]:]), f"a target follows --config/--configfile in: {command}"


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    root = snapshot(tmp_path_factory.mktemp("readme"))
    for name, body in FILES.items():
        (root / name).write_text(body)
    return root


def dry_run_args(command: str) -> list[str]:
    """The command's arguments with -n (a dry run)."""
    words = shlex.split(command, comments=True)
    return words[1:] if "-n" in words else ["-n", *words[1:]]


def _key(command: str) -> tuple:
    """Commands whose dry runs are the same (they differ only in --cores or the order of words) run once."""
    args = dry_run_args(command)
    drop = {i + 1 for i, w in enumerate(args) if w == "--cores"}
    return tuple(sorted(w for i, w in enumerate(args) if w != "--cores" and i not in drop))


DISTINCT = list({_key(c): c for c in COMMANDS}.values())


@pytest.mark.slow
@pytest.mark.parametrize("command", DISTINCT)
def test_readme_command_dry_run(clone, command):
    args = dry_run_args(command)
    proc = subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=clone, capture_output=True, text=True,
                          timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{command}\n{out[-4000:]}"
    assert "Job stats" in out or "Nothing to be done" in out, out[-2000:]
