"""One import direction: workflow scripts -> pipeline -> study packages (cfmmimo, dfbs) -> shared helpers.

The study packages do no file I/O and know no configuration (arrays in, arrays and dataclasses out); only the
pipeline layer knows config mappings, file paths and job granularity; scripts are thin adapters of one pipeline
function each, with no sys.path manipulation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from secure_isac.pipeline.digest import imported_modules

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "secure_isac"
LAYER = {"pipeline": 3, "cfmmimo": 2, "dfbs": 2}  # everything else under secure_isac/ is a shared helper (1)
IO_MODULES = {"secure_isac.provenance"}  # NetCDF and log files: pipeline layer only
IO_CALLS = {"to_netcdf", "open_dataset", "open_mfdataset", "savefig", "write_text", "write_bytes", "to_csv"}


def _module(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    return imported_modules(_module(path), path)  # the resolver the code digests use (pipeline.digest)


def _layer(module: str) -> tuple[int, str]:
    part = module.split(".")[1] if module.count(".") else ""
    return LAYER.get(part, 1), part


FILES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(SRC)) for p in FILES])
def test_imports_point_down_the_layers(path):
    level, part = _layer(_module(path))
    for imported in _imports(path):
        other, other_part = _layer(imported)
        assert other <= level, f"{_module(path)} (layer {level}) imports {imported} (layer {other})"
        if level == 2:
            assert other_part in (part, "") or other == 1, f"{_module(path)} imports the other study: {imported}"
            assert imported not in IO_MODULES and not imported.startswith(tuple(IO_MODULES)), imported


@pytest.mark.parametrize("path", [p for p in FILES if _layer(_module(p))[0] == 2],
                         ids=lambda p: str(p.relative_to(SRC)))
def test_study_packages_do_no_file_io(path):
    calls = {n.func.attr for n in ast.walk(ast.parse(path.read_text()))
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    names = {n.func.id for n in ast.walk(ast.parse(path.read_text()))
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert not calls & IO_CALLS and "open" not in names, f"{path.name}: {sorted(calls & IO_CALLS)}"


SCRIPTS = sorted((REPO / "workflow" / "scripts").glob("*.py"))


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_scripts_are_thin_adapters_of_the_pipeline(path):
    text = path.read_text()
    tree = ast.parse(text)
    assert "sys.path" not in text
    targets = {m for m in _imports_script(tree)} - {"secure_isac.provenance"}
    assert targets and all(m.startswith("secure_isac.pipeline.") for m in targets), targets
    assert len(text.splitlines()) <= 25


def test_no_import_cycle():
    """The package's import graph is acyclic, function-level imports counted: no module hides a cycle by importing
    inside a function (imports inside functions remain for start-up time, never to dodge a cycle)."""
    graph = {_module(p): {m for m in _imports(p) if m != _module(p)} for p in FILES}
    done, path = set(), []

    def visit(node):
        if node in path:
            cycle = path[path.index(node):] + [node]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if node in done or node not in graph:
            return
        path.append(node)
        for nxt in sorted(graph[node]):
            visit(nxt)
        path.pop()
        done.add(node)

    for module in sorted(graph):
        visit(module)


def _imports_script(tree) -> set[str]:
    return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
            and n.module.startswith("secure_isac")}


def test_public_library_api():
    import secure_isac.cfmmimo as cf
    import secure_isac.dfbs as df

    for name in ("SystemParams", "SolverOptions", "draw_layout", "large_scale_fading", "optimise", "evaluate"):
        assert callable(getattr(cf, name)), name
    for name in ("DfbsParams", "reference_design", "design"):
        assert callable(getattr(df, name)), name
