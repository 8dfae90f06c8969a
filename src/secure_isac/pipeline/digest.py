"""Code digests: every rule's params carry a hash of its script and of every library module it imports.

Snakemake's `code` rerun trigger compares only the script's mtime and ignores the library, so the workflow hands
each rule the SHA-256 of its script and of the static import closure of the modules it names (function-local
imports and parent packages included) as a param: editing a module reruns exactly the rules that use it and their
downstream, while touching a file without changing it, or a checkout elsewhere, reruns nothing.

A study's facade module (pipeline.studies.<name>) imports each job's library code inside the method the job calls;
a generic job hashes the facade `shallow` (its file and its module-level imports) plus the library modules its
study names for that job (Study.job_code), so that restyling the figures does not rerun the claims.
"""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from pathlib import Path

PACKAGE = "secure_isac"


def module_file(src: Path, name: str) -> Path | None:
    """The source file of module `name` under `src` (a package's __init__.py), or None if there is none."""
    path = src.joinpath(*name.split("."))
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    return None


def _nodes(tree: ast.AST, local: bool):
    """Every node of `tree`; without `local`, none inside a function body (module- and class-level code only)."""
    if local:
        yield from ast.walk(tree)
        return
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


def imported_modules(name: str, file: Path, local: bool = True) -> set[str]:
    """Absolute names of the package's modules imported anywhere in `file` (relative imports resolved); without
    `local`, only those imported outside function bodies."""
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _nodes(ast.parse(file.read_text(), filename=str(file)), local):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m.split(".")[0] == PACKAGE}


def module_closure(src: Path, names, shallow=()) -> list[Path]:
    """Files of the given modules, of everything they import (transitively) and of their parent packages; of the
    `shallow` modules the file and the closure of their module-level imports only."""
    todo, seen, files = [*names, *shallow], set(), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))
        file = module_file(src, name)
        if file is None:
            continue
        files.add(file)
        todo.extend(imported_modules(name, file, local=name not in shallow or name in names))
    return sorted(files)


@cache
def code_digest(repo: Path, script: str, *modules: str, shallow: tuple[str, ...] = ()) -> str:
    """sha256 over workflow/scripts/<script> and the import closure of `modules` (and the shallow closure of
    `shallow`, module_closure) in <repo>/src (relative paths and contents, so the digest does not depend on where
    the checkout lives)."""
    repo = Path(repo)
    h = hashlib.sha256()
    for file in [repo / "workflow" / "scripts" / script, *module_closure(repo / "src", modules, shallow)]:
        for part in (str(file.relative_to(repo)).encode(), file.read_bytes()):
            h.update(part)
            h.update(b"\0")
    return h.hexdigest()
