"""scripts/refresh_readme_figures.py (make readme-figures): every figure beyond the papers that the workflow draws
(Study.extension_plotters) has a shipped configuration under which `extensions` draws it and a place in
docs/extensions/, where the README and the extension pages show it."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from secure_isac.pipeline.studies import all_studies

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("refresh", ROOT / "scripts" / "refresh_readme_figures.py")
refresh = importlib.util.module_from_spec(spec)
spec.loader.exec_module(refresh)


def test_every_extension_figure_has_its_configuration_and_docs_copy():
    plotted = {name for st in all_studies() for name in st.extension_plotters()}
    assert set(refresh.EXTENSIONS) == plotted
    for name, args in refresh.EXTENSIONS.items():
        assert refresh.command(name)[0] == "extensions"
        (path,) = re.findall(r"config/[\w.]+\.yaml", " ".join(args))
        assert (ROOT / path).is_file()
        (rel,) = refresh.pngs(name)
        dest = refresh.destination(name, rel)
        assert dest == ROOT / "docs" / "extensions" / f"{name}.png"
        assert dest.is_file(), f"{dest} missing: make readme-figures TARGETS={name} in a checkout that ran it"
    assert refresh.destination("figures", Path("cfmmimo", "fig3.png")) == ROOT / "docs" / "figures" / "cfmmimo" / (
        "fig3.png")
