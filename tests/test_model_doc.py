"""docs/model.md names real code and real tests: every backticked `secure_isac.<dotted name>` resolves to an object,
every backticked `tests/<path>.py::<test>` is a test defined in that file, and every section names a test.

Renaming or removing a function or a test that the page cites makes one of these tests fail.
"""

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "model.md"
DEVIATIONS = ROOT / "docs" / "deviations.md"

CODE_REF = re.compile(r"`(secure_isac(?:\.[A-Za-z_][A-Za-z0-9_]*)+)`")
TEST_REF = re.compile(r"`(tests/[A-Za-z0-9_/]+\.py)::([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]`]*\])?`")
SECTION = re.compile(r"^### (.+)$", re.MULTILINE)
ENTRY = re.compile(r"^\*\*(S[12])-(\d{2}) [^*]+\*\*(.*)$", re.MULTILINE)
DEVIATION_ID = re.compile(r"\b(S[12]-[APOD]\d{1,2})\b")

MIN_CODE_REFS = 40
MIN_TEST_REFS = 30


def _text() -> str:
    return DOC.read_text(encoding="utf-8")


def _code_refs() -> list[str]:
    return sorted(set(CODE_REF.findall(_text())))


def _test_refs() -> list[tuple[str, str]]:
    return sorted(set(TEST_REF.findall(_text())))


def _sections() -> list[tuple[str, str]]:
    """(heading, body) of every level-3 section (a body runs to the next heading of level 2 or 3)."""
    text = _text()
    heads = list(SECTION.finditer(text))
    out = []
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        nxt = re.search(r"^## ", text[h.end():end], re.MULTILINE)
        out.append((h.group(1), text[h.end(): h.end() + nxt.start()] if nxt else text[h.end():end]))
    return out


def _entries() -> list[tuple[str, str, str]]:
    """(label, header line, block) of every equation entry ("**S1-07 Name.** paper: ... · deviation: ...")."""
    text = _text()
    heads = list(ENTRY.finditer(text))
    out = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        nxt = re.search(r"^#{2,3} ", text[m.end():end], re.MULTILINE)
        block = text[m.start(): m.end() + nxt.start()] if nxt else text[m.start():end]
        out.append((f"{m.group(1)}-{m.group(2)}", m.group(3), block))
    return out


def resolve(dotted: str):
    """The object named by a dotted path: the longest importable module prefix, then attributes (a method or
    property of a class is looked up on the class)."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError as exc:
            if exc.name is not None and not ".".join(parts[:i]).startswith(exc.name):
                raise  # a module that exists failed to import one of its own dependencies
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)  # AttributeError names the missing part
        return obj
    raise ModuleNotFoundError(dotted)


def defined_tests(path: Path) -> set[str]:
    """Names of the test functions of a test module (module level and inside classes), found with ast."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            names.add(node.name)
    return names


@pytest.mark.parametrize("dotted", _code_refs())
def test_code_reference_exists(dotted):
    assert resolve(dotted) is not None, dotted


@pytest.mark.parametrize("path,name", _test_refs(), ids=[f"{p}::{n}" for p, n in _test_refs()])
def test_test_reference_exists(path, name):
    file = ROOT / path
    assert file.is_file(), f"{path}: no such test file"
    assert name in defined_tests(file), f"{path}: defines no test named {name}"


def test_enough_references():
    assert len(_code_refs()) >= MIN_CODE_REFS, f"only {len(_code_refs())} distinct function references"
    assert len(_test_refs()) >= MIN_TEST_REFS, f"only {len(_test_refs())} distinct test references"


def test_every_section_names_a_test_and_a_function():
    sections = _sections()
    assert len(sections) >= 20, [h for h, _ in sections]
    for heading, body in sections:
        assert TEST_REF.search(body), f"section {heading!r} names no test"
        assert CODE_REF.search(body), f"section {heading!r} names no function"


def test_every_equation_entry_is_complete():
    """Each entry states the paper's equation number (or "(none)"), its deviation IDs (or "none"), a function
    and a test; labels are numbered S1-01, S1-02, ... and S2-01, ... without gaps."""
    entries = _entries()
    assert entries, "no equation entries found"
    for label, header, block in entries:
        assert "paper:" in header and "deviation:" in header, f"{label}: header lacks 'paper:' or 'deviation:'"
        assert CODE_REF.search(block), f"{label}: no function"
        assert TEST_REF.search(block), f"{label}: no test"
    for study in ("S1", "S2"):
        numbers = [int(lab.split("-")[1]) for lab, _, _ in entries if lab.startswith(study)]
        assert numbers == list(range(1, len(numbers) + 1)), f"{study}: entries not numbered 1..n"


def test_deviation_ids_exist():
    """Every deviation ID in an entry header is a row of docs/deviations.md, in the same study's part, and carries
    its study's prefix (S1-, S2-)."""
    dev = DEVIATIONS.read_text(encoding="utf-8")
    study1, study2 = dev.split("## Study 2", 1)
    rows = {study: set(re.findall(r"^\| (S[12]-[APOD]\d{1,2}) \|", part, re.MULTILINE))
            for study, part in (("S1", study1), ("S2", study2))}
    for label, header, _ in _entries():
        cited = header.split("deviation:", 1)[1]
        assert not re.search(r"(?<![\w-])[APOD]\d{1,2}\b", cited), f"{label}: a deviation ID without its study prefix"
        ids = DEVIATION_ID.findall(cited)
        missing = [i for i in ids if i not in rows[label[:2]]]
        assert not missing, f"{label}: deviation IDs {missing} are not rows of docs/deviations.md"
