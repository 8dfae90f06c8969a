"""The docs site (mkdocs.yml, docs/): every page is in the nav, `mkdocs build --strict` passes (a broken link or
anchor, a page missing from the nav, an API name that does not resolve or a docstring parameter that is not in the
signature fails it), and no page of the built site shows a broken image. The README's links to files of the
repository resolve."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text())


def nav_pages(nav) -> list[str]:
    """Every page path of a mkdocs nav (nested lists of {title: path or list})."""
    out = []
    for item in nav:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            out += nav_pages(value) if isinstance(value, list) else [value]
    return out


def test_every_page_under_docs_is_in_the_nav():
    """A page added under docs/ (e.g. docs/extensions/new.md) must be listed in mkdocs.yml's nav (or excluded
    there explicitly); a nav entry must name an existing page."""
    excluded = [line.strip().strip("/") for line in CONFIG.get("exclude_docs", "").splitlines() if line.strip()]
    excluded += list(CONFIG.get("not_in_nav", "").split())
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
             if not any(p.relative_to(DOCS).as_posix().startswith(e) for e in excluded)}
    listed = nav_pages(CONFIG["nav"])
    assert len(listed) == len(set(listed)), "a page is listed twice in the nav"
    assert pages - set(listed) == set(), f"pages missing from mkdocs.yml's nav: {sorted(pages - set(listed))}"
    assert set(listed) - pages == set(), f"nav entries without a page: {sorted(set(listed) - pages)}"
    assert CONFIG["validation"]["nav"]["omitted_files"] == "warn"  # so that `mkdocs build --strict` checks it too


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site built by `mkdocs build --strict` into a temporary directory (the repository stays untouched)."""
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    return out


def test_mkdocs_build_strict(site):
    for page in ("index.html", "getting-started.html", "workflow.html", "findings.html", "api/cfmmimo.html",
                 "api/dfbs.html", "configuration.html", "extensions/pilot-contamination.html"):
        assert (site / page).is_file(), page


def test_api_reference_renders_units_and_parameters(site):
    """The API pages carry the numpydoc sections and the parameter classes' fields (from their declarations)."""
    cf = (site / "api" / "cfmmimo.html").read_text()
    df = (site / "api" / "dfbs.html").read_text()
    import secure_isac.cfmmimo
    import secure_isac.dfbs

    for package, html in ((secure_isac.cfmmimo, cf), (secure_isac.dfbs, df)):
        for name in package.__all__:  # every public name has its entry, under its defining module
            module = package._EXPORTS[name]
            assert f'id="{package.__name__}.{module}.{name}"' in html, f"{package.__name__}.{name} is not rendered"
    # a field of each parameter class with its unit and bounds; the numpydoc sections of a function
    assert "Downlink power per AP in W." in cf and "2 &lt;= M &lt;= 4096" in cf
    assert "Width of each box of the desired beampattern in degrees." in df
    assert "Parameters:" in cf and "Returns:" in cf and "Raises:" in cf
    # every numpydoc section was parsed: none fell back to Markdown text (a "Parameters" heading with dashes)
    assert not re.search(r'id="[^"]*--(parameters|returns|raises|attributes)"', cf + df)


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.src: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.src.append(dict(attrs).get("src") or "")


def images(html: str) -> list[str]:
    parser = _Images()
    parser.feed(html)
    return parser.src


def test_no_broken_images(site):
    """Every <img> of every built page points to a file of the site (no remote image: the site works offline)."""
    broken, count = [], 0
    for page in site.rglob("*.html"):
        for src in images(page.read_text()):
            count += 1
            url = urlparse(src)
            if url.scheme == "data":
                continue
            if url.scheme or url.netloc or not url.path:
                broken.append(f"{page.relative_to(site)}: {src!r} (not a file of the site)")
            elif not (page.parent / unquote(url.path)).resolve().is_file():
                broken.append(f"{page.relative_to(site)}: {src}")
    assert count >= 10  # the figures, findings and extension pages show images
    assert not broken, "broken images:\n" + "\n".join(broken)


def test_image_check_catches_a_broken_image(tmp_path):
    """The check above can fail: a page whose image file is missing is reported."""
    (tmp_path / "p.html").write_text('<p><img alt="x" src="figures/missing.png"><img src="ok.png"></p>')
    (tmp_path / "ok.png").write_bytes(b"")
    srcs = images((tmp_path / "p.html").read_text())
    assert srcs == ["figures/missing.png", "ok.png"]
    assert [s for s in srcs if not (tmp_path / s).is_file()] == ["figures/missing.png"]


def test_readme_links_resolve():
    """Every relative link and image of README.md, Markdown or HTML (<img src>, <a href>), names a file of the
    repository (anchors: a heading there)."""
    readme = (ROOT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)\s]+)\)", readme) + re.findall(r'(?:src|href)="([^"]+)"', readme)
    assert targets
    for target in targets:
        if re.match(r"^[a-z]+://", target) or target.startswith("#"):
            continue
        path, _, anchor = target.partition("#")
        assert (ROOT / path).is_file(), f"README.md links to a missing file: {target}"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", (ROOT / path).read_text(), re.M)
            slugs = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}
            assert anchor in slugs, f"README.md links to a missing heading: {target}"


def test_readme_is_short():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 150
