"""pyproject.toml ships what the code needs: every package folder, every file read from a package
folder, every third-party distribution the shipped code imports, and the app's scripts as debrief_app.

The wheel itself is built, installed outside the tree and run by .ci/wheel.
"""

from __future__ import annotations

import importlib.metadata
import sys
import tomllib
from fnmatch import fnmatch

import pytest
from import_graph import REPO, first_party_modules, imported_names, top_level_packages
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = CONFIG["tool"]["setuptools"]
PACKAGES: list[str] = SETUPTOOLS["packages"]
PACKAGE_DIR: dict[str, str] = SETUPTOOLS["package-dir"]
APP = "debrief_app"
NOT_SHIPPED = {"bench"}  # benchmarks read tests/data and write results.json in the checkout


def _folder(package: str) -> str:
    """Where a package's files are in the source tree (package-dir, else its dotted path)."""
    if package in PACKAGE_DIR:
        return PACKAGE_DIR[package]
    head, _, tail = package.rpartition(".")
    return f"{_folder(head)}/{tail}" if head else package


def _library_tops() -> list[str]:
    return sorted({p.split(".")[0] for p in PACKAGES} - {APP})


def _shipped_modules() -> dict[str, object]:
    """Every module the wheel holds: the library packages, app.py and the pages."""
    modules = first_party_modules(REPO, _library_tops())
    modules[f"{APP}.app"] = REPO / "app.py"
    modules.update({f"{APP}.pages.{p.stem}": p for p in sorted((REPO / "pages").glob("*.py"))})
    return modules


def _files_in(folder: str) -> list[str]:
    """Every file below a folder, relative to it (caches aside; the top of the tree: only its own)."""
    root = REPO / folder
    found = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    if folder == ".":
        found = [p for p in found if p.parent == root or p.parent.name == ".streamlit"]
    return sorted(str(p.relative_to(root)) for p in found)


def test_every_top_level_package_ships_but_the_benchmarks():
    assert set(top_level_packages(REPO)) - NOT_SHIPPED == set(_library_tops())


def test_every_folder_of_a_shipped_package_is_listed():
    # A subpackage left out of the list installs without its modules (issue 16: postmortem.chat).
    on_disk = {
        ".".join(init.parent.relative_to(REPO).parts)
        for top in _library_tops()
        for init in (REPO / top).rglob("__init__.py")
    }
    assert on_disk == {p for p in PACKAGES if p.split(".")[0] != APP}


def test_the_app_scripts_ship_unmoved_as_debrief_app():
    assert {APP, f"{APP}.pages"} <= set(PACKAGES)
    assert (REPO / _folder(APP) / "app.py").is_file()
    assert sorted((REPO / _folder(f"{APP}.pages")).glob("*.py")), "no page scripts where pages/ is mapped"
    # Only app.py is a module at the top of the tree, so nothing else lands in debrief_app by accident.
    assert [p.name for p in (REPO / _folder(APP)).glob("*.py")] == ["app.py"]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_file_read_from_a_package_folder_is_package_data(package):
    """Anything tracked in a package's own folder that is not Python must match its package-data
    globs: code reads such files next to itself (rules, demo documents, scripts for the browser)."""
    folder = _folder(package)
    globs = SETUPTOOLS.get("package-data", {}).get(package, [])
    own = [f for f in _files_in(folder) if not f.endswith(".py") and not _in_subpackage(package, f)]
    if package == APP:  # the top of the tree: only what the app itself reads from there
        own = [f for f in own if f.startswith(".streamlit/config")]
    assert [f for f in own if not any(fnmatch(f, g) for g in globs)] == []


def _in_subpackage(package: str, relative: str) -> bool:
    parts = relative.split("/")
    return any(".".join([package, *parts[:n]]) in PACKAGES for n in range(1, len(parts)))


def _third_party_imports() -> dict[str, str]:
    """Each top-level name the shipped code imports from outside itself and the standard library,
    with the first module that imports it."""
    first_party = {*_library_tops(), APP, "__future__"}
    where: dict[str, str] = {}
    for name, path in _shipped_modules().items():
        for imported in imported_names(path.read_text(encoding="utf-8"), name, path.name == "__init__.py"):
            top = imported.split(".")[0]
            if top not in sys.stdlib_module_names and top not in first_party:
                where.setdefault(top, name)
    return where


def test_the_walk_sees_the_imports_it_checks():
    # A walk that found nothing would find everything declared.
    assert {"streamlit", "docx", "PIL", "sqlite_utils", "pydantic"} <= set(_third_party_imports())


def test_every_imported_distribution_is_declared():
    declared = {canonicalize_name(Requirement(r).name) for r in CONFIG["project"]["dependencies"]}
    where = _third_party_imports()
    distributions = importlib.metadata.packages_distributions()
    unknown = {top: module for top, module in where.items() if top not in distributions}
    assert unknown == {}, "imported but installed by no distribution"
    missing = {
        top: (distributions[top], module)
        for top, module in where.items()
        if not declared & {canonicalize_name(d) for d in distributions[top]}
    }
    assert missing == {}, "imported by shipped code but not in pyproject's dependencies"
