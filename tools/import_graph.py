"""Print the import graph between idnews packages (or modules), read from the source without importing it.

An import is *eager* when it runs as the module is imported (the module body, class bodies, ``if``/``try``
blocks), *lazy* when it sits inside a function, and *typing* when it is under ``if TYPE_CHECKING:``.
Imports of a package's own modules are left out of the package graph.

    python tools/import_graph.py              # package -> packages it imports (lazy ones marked)
    python tools/import_graph.py --modules    # the same, one line per module
    python tools/import_graph.py --json       # machine-readable, every module with its three import sets
"""
from __future__ import annotations

import argparse
import ast
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "idnews"
KINDS = ("eager", "lazy", "typing")


@dataclass
class Imports:
    """The idnews modules one module imports, by kind."""

    eager: set[str] = field(default_factory=set)
    lazy: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def discover(root: Path = PACKAGE_ROOT) -> dict[str, Path]:
    """Every module of the package at ``root`` by dotted name."""
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(nodes: Iterable[ast.AST], kind: str) -> Iterator[tuple[str, ast.Import | ast.ImportFrom]]:
    """``(kind, import statement)`` for every import under ``nodes``."""
    for node in nodes:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield kind, node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from _walk(node.body, "lazy" if kind == "eager" else kind)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _walk(node.body, "typing")
            yield from _walk(node.orelse, kind)
        else:  # class bodies, if/try/with blocks and except handlers run at import time
            for _, value in ast.iter_fields(node):
                if isinstance(value, list):
                    yield from _walk([v for v in value if isinstance(v, (ast.stmt, ast.excepthandler))], kind)


def _targets(node: ast.Import | ast.ImportFrom, current: str, is_package: bool, known: set[str]) -> list[str]:
    """The idnews modules an import statement loads (``from pkg import mod`` names ``pkg.mod``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == "idnews"]
    base = node.module or ""
    if node.level:
        anchor = current.split(".") if is_package else current.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    if base.split(".")[0] != "idnews":
        return []
    found = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known]
    return found if len(found) == len(node.names) else [base, *found]


def module_imports(root: Path = PACKAGE_ROOT) -> dict[str, Imports]:
    """For every module of the package at ``root``: the idnews modules it imports, eagerly, lazily, for typing."""
    modules = discover(root)
    known = set(modules)
    graph: dict[str, Imports] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        imports = Imports()
        for kind, node in _walk(tree.body, "eager"):
            for target in _targets(node, name, path.name == "__init__.py", known):
                if target != name:
                    getattr(imports, kind).add(target)
        graph[name] = imports
    return graph


def unit_of(module: str) -> str:
    """The package or top-level module a module belongs to: ``idnews.summarization.base`` ->
    ``idnews.summarization``, ``idnews.text`` -> ``idnews.text``."""
    return ".".join(module.split(".")[:2])


def package_graph(graph: dict[str, Imports]) -> dict[str, Imports]:
    """``graph`` folded onto the units of :func:`unit_of`; an import that is eager anywhere is only eager."""
    folded: dict[str, Imports] = {}
    for module, imports in graph.items():
        entry = folded.setdefault(unit_of(module), Imports())
        for kind in KINDS:
            getattr(entry, kind).update(unit_of(t) for t in getattr(imports, kind))
    for unit, entry in folded.items():
        for kind in KINDS:
            getattr(entry, kind).discard(unit)
        entry.lazy -= entry.eager
        entry.typing -= entry.eager | entry.lazy
    return folded


def render(graph: dict[str, Imports]) -> str:
    lines = []
    for name in sorted(graph):
        imports = graph[name]
        lines.append(f"{name} -> {', '.join(sorted(imports.eager)) or '(nothing)'}")
        for kind in ("lazy", "typing"):
            if getattr(imports, kind):
                lines.append(f"    {kind}: {', '.join(sorted(getattr(imports, kind)))}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", action="store_true", help="one line per module instead of per package")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    graph = module_imports()
    if not args.modules:
        graph = package_graph(graph)
    if args.json:
        print(json.dumps({m: {k: sorted(getattr(i, k)) for k in KINDS} for m, i in sorted(graph.items())}, indent=2))
    else:
        print(render(graph))
    return 0


if __name__ == "__main__":
    sys.exit(main())
