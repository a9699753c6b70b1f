"""storage/ has no import cycles, read from the source: who imports whom among its modules."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

STORAGE = Path(__file__).resolve().parents[1] / "storage"
MODULES = {p.stem if p.stem != "__init__" else "": p for p in sorted(STORAGE.glob("*.py"))}


def _name(module: str) -> str:
    return f"storage.{module}" if module else "storage"


def _imported(tree: ast.AST) -> set[str]:
    """The storage modules one file imports, anywhere in it (an import inside a function dodges a
    cycle at run time but is still a cycle of the design); imports only for type checkers are left out."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            node.body = []  # ast.walk visits children after this, so the type-only imports are skipped
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "storage"}
        elif isinstance(node, ast.ImportFrom) and node.module == "storage":
            # `from storage import x` names module x when there is one, else something __init__ exports.
            found |= {_name(a.name) if a.name in MODULES else "storage" for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("storage."):
            found.add(node.module)
    return found


def import_graph() -> dict[str, set[str]]:
    """Each storage module → the storage modules it imports."""
    return {
        _name(module): _imported(ast.parse(path.read_text(encoding="utf-8"))) - {_name(module)}
        for module, path in MODULES.items()
    }


def test_the_graph_is_read_from_real_imports():
    graph = import_graph()
    # Known edges, so an empty or broken reading cannot pass the cycle test below.
    assert "storage.documents" in graph["storage"]
    assert {"storage.projections", "storage.tx"} <= graph["storage.documents"]
    assert {"storage.backup", "storage.migrations", "storage.tx"} <= graph["storage.schema"]


def test_storage_has_no_import_cycles():
    try:
        order = list(graphlib.TopologicalSorter(import_graph()).static_order())
    except graphlib.CycleError as error:
        pytest.fail(f"storage/ imports in a circle: {' -> '.join(error.args[1])}")
    assert set(order) >= {_name(m) for m in MODULES}


@pytest.mark.parametrize("module", ["storage.tx", "storage.migrations", "storage.errors"])
def test_the_bottom_modules_import_nothing_else_of_storage(module):
    """Transactions and the clock, the frozen migrations and the errors sit under everything else."""
    assert import_graph()[module] == set()


def test_a_cycle_is_found_when_there_is_one():
    with pytest.raises(graphlib.CycleError):
        list(graphlib.TopologicalSorter({"a": {"b"}, "b": {"a"}}).static_order())
    tree = ast.parse("def f():\n    from storage.documents import save\n")
    assert _imported(tree) == {"storage.documents"}
