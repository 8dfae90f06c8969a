"""The documented examples run as printed: the library examples of docs/getting-started.md (one per study) and the
README's sweep overlay (section "Add a sweep"), which validates and plans."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
GUIDE = (ROOT / "docs" / "getting-started.md").read_text()


def section(text: str, heading: str) -> str:
    """The text of a `## heading` section, up to the next `## ` heading."""
    start = text.index(f"## {heading}")
    end = text.find("\n## ", start + 3)
    return text[start:] if end < 0 else text[start:end]


EXAMPLES = re.findall(r"```python\n(.*?)```", section(GUIDE, "Use the library"), re.S)


def test_there_is_one_example_per_study():
    assert len(EXAMPLES) == 2
    assert "secure_isac.cfmmimo" in EXAMPLES[0] and "secure_isac.dfbs" in EXAMPLES[1]
    assert all(len(e.strip().splitlines()) <= 12 for e in EXAMPLES)


@pytest.mark.parametrize("code", EXAMPLES, ids=["cfmmimo", "dfbs"])
def test_example_runs(code):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/getting-started.md", "exec"), {})  # noqa: S102 - the guide's own example
    printed = out.getvalue().split()
    assert printed[0] == "True", out.getvalue()  # the design is feasible


def test_readme_sweep_example_is_a_valid_configuration():
    """The README's sweep overlay validates and plans (the README's dry-run test runs it through Snakemake too)."""
    import yaml

    from secure_isac.pipeline import registry
    from secure_isac.pipeline.config import deep_merge, validate_config
    from secure_isac.pipeline.runs import variant

    (block,) = re.findall(r"```yaml\n(.*?)```", section(README, "Add a sweep"), re.S)
    base = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config = validate_config(deep_merge(base, yaml.safe_load(block)))
    reg = registry.registry(config)
    assert len(reg.sweeps[("", "cfmmimo", "nu")]) == 4 and len(reg.sweeps[("", "dfbs", "beam_width_deg")]) == 3
    # nu shapes no geometry: its values reuse the default layouts and channels
    assert all(variant(r, "cfmmimo", "channels") == "" for r in reg.sweeps[("", "cfmmimo", "nu")].values())
