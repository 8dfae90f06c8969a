"""The README's "Library use" examples run as printed (one per study)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
SECTION = README[README.index("## Library use"):README.index("\n## ", README.index("## Library use") + 5)]
EXAMPLES = re.findall(r"```python\n(.*?)```", SECTION, re.S)


def test_there_is_one_example_per_study():
    assert len(EXAMPLES) == 2
    assert "secure_isac.cfmmimo" in EXAMPLES[0] and "secure_isac.dfbs" in EXAMPLES[1]
    assert all(len(e.strip().splitlines()) <= 12 for e in EXAMPLES)


@pytest.mark.parametrize("code", EXAMPLES, ids=["cfmmimo", "dfbs"])
def test_example_runs(code):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - the README's own example
    printed = out.getvalue().split()
    assert printed[0] == "True", out.getvalue()  # the design is feasible


def test_readme_sweep_example_is_a_valid_configuration():
    """The README's sweep overlay (section "Sweeps, scenarios and comparing runs") validates and plans."""
    import yaml

    from secure_isac.pipeline import registry
    from secure_isac.pipeline.config import deep_merge, validate_config
    from secure_isac.pipeline.runs import variant

    section = README[README.index("## Sweeps, scenarios"):README.index("## Library use")]
    (block,) = re.findall(r"```yaml\n(.*?)```", section, re.S)
    base = yaml.safe_load((Path(__file__).resolve().parents[1] / "config" / "config.yaml").read_text())
    config = validate_config(deep_merge(base, yaml.safe_load(block)))
    reg = registry.registry(config)
    assert len(reg.sweeps[("", "cfmmimo", "nu")]) == 4 and len(reg.sweeps[("", "dfbs", "beam_width_deg")]) == 3
    # nu shapes no geometry: its values reuse the default layouts and channels
    assert all(variant(r, "cfmmimo", "channels") == "" for r in reg.sweeps[("", "cfmmimo", "nu")].values())
