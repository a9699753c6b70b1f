"""DESIGN.md's layering rules, read from the imports and calls of whatever files exist right now."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SQL = {"sqlite3", "sqlite_utils"}
SQL_CALLS = {"execute", "executemany", "executescript", "execute_returning_dicts"}


def _files(*folders: str) -> list[Path]:
    found = []
    for folder in folders:
        found += sorted(p for p in (REPO / folder).rglob("*.py") if "__pycache__" not in p.parts)
    return found


def _id(path: Path) -> str:
    return str(path.relative_to(REPO))


def _is_type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def runtime_imports(path: Path) -> set[str]:
    """Top-level package names imported at run time (imports under `if TYPE_CHECKING:` are type-only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _is_type_checking_block(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__import__"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value.split(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    if "importlib" in names:  # importlib.import_module("sqlite3") hides an import from the rules above
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names.add(first.value.split(".")[0])
    return names


def sql_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"line {node.lineno}: .{node.func.attr}("
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS
    ]


DOMAIN = _files("postmortem")  # its __main__.py reaches the command line by name only (runpy)
CLI_ROOT = _files("cli")
EXPORTS = _files("exports")
STORAGE = _files("storage")
UI = _files("pages", "components")


def _violations(paths: list[Path], forbidden: set[str]) -> dict[str, list[str]]:
    found = {_id(p): sorted(runtime_imports(p) & forbidden) for p in paths}
    return {name: bad for name, bad in found.items() if bad}


def test_the_layers_exist():
    assert DOMAIN and STORAGE, "the rules below would pass vacuously"
    assert {"models.py", "severity.py", "timeline.py"} <= {p.name for p in DOMAIN}


def test_domain_and_export_code_use_no_streamlit_no_sql_no_storage():
    # storage is SQL at one remove: importing it would drag sqlite_utils into the pure layers.
    assert _violations(DOMAIN + EXPORTS, {"streamlit", "storage"} | SQL) == {}
    assert _violations(DOMAIN, {"cli", "components", "pages"}) == {}


def test_the_command_line_root_may_use_storage_but_not_streamlit():
    assert _violations(CLI_ROOT, {"streamlit"} | SQL) == {}


def test_storage_never_imports_streamlit():
    assert _violations(STORAGE, {"streamlit"}) == {}


def test_pages_and_components_import_no_sql_modules():
    assert _violations(UI, SQL) == {}, "call storage instead (a type-only import belongs under TYPE_CHECKING)"


def test_pages_and_components_run_no_sql():
    calls = {_id(p): sql_calls(p) for p in UI}
    assert {name: found for name, found in calls.items() if found} == {}, "call storage instead"


# The checker itself, on small sources: a rule that cannot fail protects nothing.
@pytest.mark.parametrize(
    "source, imported",
    [
        ("import sqlite3", {"sqlite3"}),
        ("import os.path, streamlit as st", {"os", "streamlit"}),
        ("from sqlite_utils.db import Database", {"sqlite_utils"}),
        ("from . import models", set()),
        ("def f():\n    import streamlit\n", {"streamlit"}),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sqlite_utils import Database\n",
            {"typing"},
        ),
        (
            "import typing\nif typing.TYPE_CHECKING:\n    import sqlite3\nelse:\n    import json\n",
            {"typing", "json"},
        ),
        ("import importlib\nm = importlib.import_module('sqlite3')", {"importlib", "sqlite3"}),
        ("m = __import__('streamlit')", {"streamlit"}),
    ],
)
def test_runtime_imports_checker(tmp_path, source, imported):
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert runtime_imports(path) == imported


def test_sql_call_checker(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("db.execute('select 1')\nconn.executemany(q, rows)\nstorage.get(db=db, doc_id=1)\n")
    assert sql_calls(path) == ["line 1: .execute(", "line 2: .executemany("]
