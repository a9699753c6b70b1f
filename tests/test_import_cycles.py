"""No import cycles: the whole source tree's import graph, computed from the source, has none.

One test per top-level package, so a failure names the package that has one (and prints the cycle).
"""

from __future__ import annotations

import pytest
from import_graph import REPO, cycles, first_party_modules, graph, top_level_packages

PACKAGES = top_level_packages(REPO)
MODULES = first_party_modules(REPO, PACKAGES)
CYCLES = cycles(graph(MODULES))


def _touching(package: str) -> list[str]:
    return [" → ".join(c) for c in CYCLES if any(m.split(".")[0] == package for m in c)]


def test_the_graph_covers_the_tree():
    assert {"postmortem", "storage", "exports", "components"} <= set(PACKAGES)
    assert "postmortem.causal" in MODULES and "postmortem.causal_tree" in MODULES


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle_passes_through(package):
    assert _touching(package) == [], "\n".join(["import cycles:", *_touching(package)])


# The checker itself, on a small tree: a rule that cannot fail protects nothing.
def _tree(tmp_path, files: dict[str, str]):
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return graph(first_party_modules(tmp_path, top_level_packages(tmp_path)))


@pytest.mark.parametrize(
    "files, expected",
    [
        (
            {"a/__init__.py": "", "a/x.py": "from a import y\n", "a/y.py": "import a.x\n"},
            [["a.x", "a.y", "a.x"]],
        ),
        (  # an import inside a function is still a cycle
            {
                "a/__init__.py": "",
                "a/x.py": "from a.y import f\n",
                "a/y.py": "def f():\n    from a import x\n",
            },
            [["a.x", "a.y", "a.x"]],
        ),
        (  # relative imports, and a name (not a module) standing for the module that defines it
            {
                "a/__init__.py": "",
                "a/x.py": "from .y import f\n",
                "a/y.py": "from .z import g\nf = 1\n",
                "a/z.py": "from a.x import h\n",
            },
            [["a.x", "a.y", "a.z", "a.x"]],
        ),
        (  # across packages
            {
                "a/__init__.py": "",
                "a/x.py": "import b.y\n",
                "b/__init__.py": "",
                "b/y.py": "from a import x\n",
            },
            [["a.x", "b.y", "a.x"]],
        ),
        (  # type-only imports never run
            {
                "a/__init__.py": "",
                "a/x.py": "from a import y\n",
                "a/y.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from a import x\n",
            },
            [],
        ),
        ({"a/__init__.py": "from a.x import f\n", "a/x.py": "import json\ndef f(): ...\n"}, []),
    ],
)
def test_cycle_finder(tmp_path, files, expected):
    assert cycles(_tree(tmp_path, files)) == expected
