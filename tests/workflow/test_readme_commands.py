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
    """Commands whose dry runs differ only in their targets, --cores or the order of words run as one dry run of all
    their targets (each DAG build of the paper-scale configuration costs seconds; a target that fails alone fails
    the dry run of several)."""
    args = dry_run_args(command)
    drop = {i + 1 for i, w in enumerate(args) if w == "--cores"}
    return tuple(sorted(w for i, w in enumerate(args) if w != "--cores" and i not in drop and w not in TARGETS))


GROUPS: dict[tuple, list[str]] = {}
for _command in COMMANDS:
    GROUPS.setdefault(_key(_command), []).append(_command)


def group_args(commands: list[str]) -> list[str]:
    """The first command's arguments with -n, its targets replaced by every target of the group (first, in order)."""
    targets = list(dict.fromkeys(w for c in commands for w in dry_run_args(c) if w in TARGETS))
    return [*targets, *(w for w in dry_run_args(commands[0]) if w not in TARGETS)]


def test_every_readme_command_is_dry_run_with_its_own_options_and_targets():
    """The grouping drops no command, and each command's words (but --cores N) are in its group's dry run."""
    assert sorted(c for g in GROUPS.values() for c in g) == sorted(COMMANDS)
    for commands in GROUPS.values():
        args = group_args(commands)
        for c in commands:
            words = dry_run_args(c)
            cores = {j for i, w in enumerate(words) if w == "--cores" for j in (i, i + 1)}
            assert {w for i, w in enumerate(words) if i not in cores} <= set(args), (c, args)


@pytest.mark.slow
@pytest.mark.parametrize("commands", list(GROUPS.values()), ids=[" + ".join(
    shlex.split(c, comments=True)[1] for c in g) for g in GROUPS.values()])
def test_readme_command_dry_run(clone, commands):
    args = group_args(commands)
    proc = subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=clone, capture_output=True, text=True,
                          timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{commands}\n{out[-4000:]}"
    assert "Job stats" in out or "Nothing to be done" in out, out[-2000:]
