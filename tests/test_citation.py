"""Licence and citation metadata: CITATION.cff is valid CFF 1.2.0 and agrees with pyproject.toml and the datasets.

The schema is the official CFF 1.2.0 schema (citation-file-format/citation-file-format, tag 1.2.0, schema.json,
CC-BY-4.0), vendored in tests/data so that the check runs offline; jsonschema validates it (cffconvert 2.0.0, the
current release, pins jsonschema < 4 and would downgrade the environment's)."""

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "data" / "cff-1.2.0.schema.json").read_text())


def _cff() -> dict:
    # CFF is YAML 1.2; safe_load's YAML 1.1 dates would not be strings, so the file quotes or avoids them
    return yaml.safe_load((ROOT / "CITATION.cff").read_text())


def _errors(doc: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_citation_cff_is_valid_cff_1_2_0():
    assert _errors(_cff()) == []


@pytest.mark.parametrize("breakage", ["no authors", "unknown key", "bad licence", "bad url"])
def test_schema_check_rejects_broken_files(breakage):
    """The check can fail: each of these breakages of the real file is reported."""
    doc = _cff()
    if breakage == "no authors":
        del doc["authors"]
    elif breakage == "unknown key":
        doc["licence"] = "BSD-3-Clause"
    elif breakage == "bad licence":
        doc["license"] = "BSD-3"
    else:
        doc["references"][0]["url"] = "arxiv 2603.18635"
    assert _errors(doc)


def test_citation_agrees_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    cff = _cff()
    assert cff["version"] == project["version"]
    assert cff["license"] == project["license"] == "BSD-3-Clause"
    assert "LICENSE" in project["license-files"]
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "software"


def test_license_file_is_bsd_3_clause():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("BSD 3-Clause License")
    assert "Copyright (c) 2026, The secure-isac developers" in text
    assert "Neither the name of the copyright holder" in text  # the third clause


def test_references_are_the_two_papers_the_datasets_cite():
    """Both papers, with authors and arXiv ids; the ids are those in every dataset's `references` attribute."""
    from secure_isac.cfmmimo.datasets import REFERENCES as CFMMIMO
    from secure_isac.dfbs.datasets import REFERENCES as DFBS

    refs = _cff()["references"]
    ids = [i["value"] for r in refs for i in r["identifiers"]]
    assert ids == [CFMMIMO, DFBS]
    for ref, arxiv in zip(refs, ids, strict=True):
        assert ref["url"] == f"https://arxiv.org/abs/{arxiv.removeprefix('arXiv:')}"
        assert all(a["family-names"] and a["given-names"] for a in ref["authors"])
    assert [a["family-names"] for a in refs[0]["authors"]] == ["Wang", "Takahashi", "Ochiai"]
    assert [a["family-names"] for a in refs[1]["authors"]] == ["Shi", "Li", "Lin", "Liang", "Han"]
