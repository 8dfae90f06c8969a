"""Deviation codes are prefixed by their study (S1-P5, S2-A1: "A1" used to mean one thing in study 1 and another in
study 2) and every code cited anywhere in the repository is a row of docs/deviations.md, in its study's part.
(docs/model.md's entry headers are checked the same way by tests/test_model_doc.py.)"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEVIATIONS = REPO / "docs" / "deviations.md"
CODE = re.compile(r"\b(S[12])-([APOD]\d{1,2})\b")
LETTERS = {"cfmmimo": "PAO", "dfbs": "AD"}  # the row letters of each study's part
# a bare code right after a citation of the page ("docs/deviations.md O13", "deviations D19, D20") or continuing a
# list of prefixed codes ("S1-P8, P18", "S1-A1 to A8")
BARE_CITED = re.compile(r"deviations?(?:\.md)?:? (?:IDs? )?\(?[APOD]\d{1,2}\b"
                        r"|\bS[12]-[APOD]\d{1,2}(?: \([ivx]+\))?(?:, | and | to |/| - |-|–)[APOD]\d{1,2}\b")
TEXT_SUFFIXES = {".py", ".md", ".smk", ".yaml", ".yml", ".json", ".rst", ".cff", ".toml"}
SKIP = {"README.md", "test_deviation_codes.py"}  # the lead's page (rewritten at merge time), this file's examples


def _rows() -> dict[str, set[str]]:
    study1, study2 = DEVIATIONS.read_text(encoding="utf-8").split("## Study 2", 1)
    return {study: re.findall(r"^\| ([^|]+?) \|", part, re.MULTILINE)
            for study, part in (("S1", study1), ("S2", study2))}


def _files() -> list[Path]:
    roots = [REPO / d for d in ("src", "scripts", "workflow", "tests", "docs", "config", "profiles")]
    files = [p for r in roots for p in r.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES]
    files += [p for p in REPO.iterdir() if p.is_file() and p.suffix in TEXT_SUFFIXES]
    return sorted(p for p in files if p.name not in SKIP and ".venv" not in p.parts)


def test_every_row_carries_its_study_prefix_once():
    rows = _rows()
    for study, ids in rows.items():
        ids = [i for i in ids if i not in ("#", "---")]
        assert ids, study
        wrong = [i for i in ids if not re.fullmatch(rf"{study}-[APOD]\d{{1,2}}", i)]
        assert not wrong, f"rows of {study}'s part without the {study}- prefix: {wrong}"
        assert len(ids) == len(set(ids)), f"{study}: a code used twice"


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_cited_code_is_a_row_of_its_study(path):
    rows = {i for ids in _rows().values() for i in ids}
    text = path.read_text(encoding="utf-8", errors="replace")
    unknown = sorted({f"{s}-{c}" for s, c in CODE.findall(text)} - rows)
    assert not unknown, f"{path.relative_to(REPO)} cites codes that are not rows of docs/deviations.md: {unknown}"
    bare = [m.group(0) for m in BARE_CITED.finditer(text)]
    assert not bare, f"{path.relative_to(REPO)} cites deviation codes without their study prefix: {bare}"


def _bare_in_study_code(text: str, letters: str) -> list[str]:
    """Bare codes of a study's letters in the comments and strings of one of its modules (study 1's paper
    problems "(P1)".."(P5)" excepted)."""
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type not in (tokenize.COMMENT, tokenize.STRING):
            continue
        for m in re.finditer(rf"(?<![\w\-–/.])([{letters}])(\d{{1,2}})\b(?![\w\-–]*\w)", tok.string):
            before = tok.string[m.start() - 1] if m.start() else ""
            if m[1] == "P" and before == "(" and int(m[2]) <= 5:
                continue
            if m[2].startswith("0"):
                continue
            found.append(m.group(0))
    return found


STUDY_CODE = [(p, study) for study in LETTERS for p in sorted((REPO / "src" / "secure_isac" / study).glob("*.py"))]


@pytest.mark.parametrize(("path", "study"), STUDY_CODE, ids=lambda x: getattr(x, "name", x))
def test_study_code_cites_prefixed_codes(path, study):
    bare = _bare_in_study_code(path.read_text(), LETTERS[study])
    assert not bare, f"{path.name}: deviation codes without the study prefix: {bare}"


def test_the_checks_can_fail():
    assert BARE_CITED.search("see docs/deviations.md O13 (i)") and BARE_CITED.search("deviations S1-P8, P18")
    assert not BARE_CITED.search("docs/deviations.md S1-O13 (i), S1-P8 to S1-P10")
    assert _bare_in_study_code('x = 1  # the A1 majorant, problem (P3)\n', "PAO") == ["A1"]
    assert _bare_in_study_code('"""(SDR P5), S2-D17"""\n', "AD") == []
