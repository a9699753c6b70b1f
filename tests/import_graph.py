"""The source tree's imports as a graph of modules, read with ast (nothing is imported to find them).

Shared by the cycle test and the packaging test: one reading of "what does this file import".
Imports inside functions count (a function-level import that dodges a cycle is still a cycle);
imports under `if TYPE_CHECKING:` do not (they never run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def is_type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _runtime_nodes(node: ast.AST) -> Iterator[ast.AST]:
    if is_type_checking_block(node):
        for child in node.orelse:
            yield from _runtime_nodes(child)
        return
    yield node
    for child in ast.iter_child_nodes(node):
        yield from _runtime_nodes(child)


def imported_names(source: str, module: str, is_package: bool = False) -> set[str]:
    """Dotted names a module's code imports at run time, relative imports resolved: `from a.b import c`
    gives `a.b.c`, which stands for module `a.b` when `c` is a name defined there."""
    names: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}".rstrip(".") if base else anchor
            names.update(f"{base}.{alias.name}" if alias.name != "*" else base for alias in node.names)
    return names


def first_party_modules(root: Path, packages: list[str]) -> dict[str, Path]:
    """Every module of these top-level packages under `root`, by dotted name."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def top_level_packages(root: Path) -> list[str]:
    """The folders at the top of the tree that are packages (they hold an __init__.py), tests aside."""
    return sorted(
        p.name for p in root.iterdir() if (p / "__init__.py").is_file() and p.name not in {"tests", "build"}
    )


def graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Each module with the first-party modules it imports (a name that is not a module, such as a
    function in `from pkg import fn`, stands for the module that defines it)."""
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(path.read_text(encoding="utf-8"), name, path.name == "__init__.py"):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        edges[name] = targets
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a → … → a) for every group of modules that import each other (Tarjan's strongly
    connected components), sorted so a failure reads the same on every run."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted((_one_cycle(group, edges) for group in groups), key=lambda c: c[0])


def _one_cycle(group: set[str], edges: dict[str, set[str]]) -> list[str]:
    """A shortest way from the group's first module back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(edges[node] & group):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"{sorted(group)} is strongly connected but holds no cycle through {start}")
