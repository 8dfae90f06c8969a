"""Every documented way to select a scenarios or sensitivity file works verbatim (issue 26 item 10).

Snakemake's `--config` does not take dotted keys: `--config scenarios.file=x.yaml` stops with "Config entry must
start with a valid identifier". The docs (README, docs/, the headers of the YAML files under config/) give the form
`--config 'scenarios={file: x.yaml}'` (a YAML flow mapping, merged over the section); each such command found there
runs here as a dry run (`-n`) from the root of a snapshot clone, like the README's commands
(tests/workflow/test_readme_commands.py)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest
import yaml

from conftest import REPO, snapshot

# where a reader meets the scenarios / sensitivity file: the README, the docs site's pages and config/*.yaml headers
DOCS = sorted([REPO / "README.md", *(REPO / "docs").rglob("*.md"), *(REPO / "config").glob("*.yaml"),
               REPO / "config" / "README.md"])
# one command on one line (in a code block, or in a YAML comment): snakemake ... --config '<section>={file: ...}'
COMMAND = re.compile(r"snakemake [^`\n#]*?--config '(?:scenarios|sensitivity)=\{file: [^}\n]+\}'")
DOTTED = re.compile(r"--config\s+['\"]?(?:scenarios|sensitivity)\.file=")


def documented_commands() -> dict[str, list[str]]:
    """{command: [files that show it]} of every documented file-selecting command."""
    found: dict[str, list[str]] = {}
    for path in DOCS:
        for m in COMMAND.finditer(path.read_text()):
            found.setdefault(m.group(0), []).append(str(path.relative_to(REPO)))
    return found


COMMANDS = documented_commands()


def test_no_page_or_file_header_tells_the_dotted_form():
    offenders = [str(p.relative_to(REPO)) for p in DOCS if DOTTED.search(p.read_text())]
    assert not offenders, f"--config scenarios.file=... fails in Snakemake; documented in {offenders}"


def test_the_form_is_documented_where_readers_look():
    shown = {f for files in COMMANDS.values() for f in files}
    for needed in ("README.md", "docs/workflow.md", "config/scenarios.yaml", "config/coherent_sensing.yaml",
                   "docs/extensions/coherent-sensing.md"):
        assert needed in shown, f"{needed} shows no working command selecting a scenarios file"
    for command in COMMANDS:
        words = shlex.split(command)
        assert words.index("--config") > 1, f"the target must come before --config: {command}"
        name = re.search(r"file: ([^}]+)\}", command).group(1).strip()
        assert (REPO / name).is_file() or name.startswith("my_"), f"{command} (in {COMMANDS[command]}): no {name}"


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    root = snapshot(tmp_path_factory.mktemp("scenario_files"))
    # the README's own scenarios file, which it asks the reader to write
    readme = (REPO / "README.md").read_text()
    for m in re.finditer(r"```yaml\n#\s*(my_\S+\.ya?ml)\s*\n(.*?)```", readme, re.S):
        (root / m.group(1)).write_text(f"# {m.group(1)}\n{m.group(2)}")
    return root


def _snakemake(clone, args):
    return subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=clone, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.slow
def test_the_dotted_form_fails_in_snakemake(clone):
    """What the docs say about the dotted key stays true (if Snakemake ever takes it, the docs can say so)."""
    proc = _snakemake(clone, ["-n", "scenarios", "--config", "scenarios.file=config/scenarios.yaml"])
    assert proc.returncode != 0
    assert "valid identifier" in proc.stdout + proc.stderr


def _without_cores(command: str) -> tuple[str, ...]:
    words = shlex.split(command)
    drop = {j for i, w in enumerate(words) if w == "--cores" for j in (i, i + 1)}
    return tuple(w for i, w in enumerate(words) if i not in drop)


# commands that differ only in --cores have the same dry run: one of them runs
DISTINCT = sorted({_without_cores(c): c for c in sorted(COMMANDS)}.values())


@pytest.mark.slow
@pytest.mark.parametrize("command", DISTINCT)
def test_documented_command_dry_run(clone, command):
    words = shlex.split(command)
    name = re.search(r"file: ([^}]+)\}", command).group(1).strip()
    assert (clone / name).is_file(), name
    proc = _snakemake(clone, ["-n", *words[1:]])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{command} (in {COMMANDS[command]})\n{out[-4000:]}"
    assert "Job stats" in out, out[-2000:]
    # the file's scenarios are the ones scheduled (not config/scenarios.yaml's)
    section = "scenarios" if "'scenarios=" in command else "sensitivity"
    names = [k for k in yaml.safe_load((clone / name).read_text()) if k != "reference"]
    for scenario in names:
        assert f"results/{section}/{scenario}/" in out, f"{scenario} of {name} not scheduled by: {command}"
