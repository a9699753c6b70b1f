"""The `debrief` group itself: its three ways in (the console script, `python -m cli`, `python -m
postmortem`), shared options anywhere on the line, the one place errors are translated, `serve`, and
the rules that keep the command line out of the domain package."""

from __future__ import annotations

import ast
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import click
import pytest
from cli_helpers import invoke

import storage
from cli import serve
from cli.main import debrief
from postmortem import language
from postmortem.errors import DebriefError

REPO = Path(__file__).resolve().parents[1]


def _env(**extra: str) -> dict[str, str]:
    """The environment of a child process that runs this checkout's code (not the venv's install)."""
    return {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8", **extra}


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)


# --- The ways in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["cli", "postmortem"])
def test_python_dash_m_runs_the_group_from_any_folder(tmp_path, module):
    db = tmp_path / "a.db"
    help_ = _run([sys.executable, "-m", module, "--help"], tmp_path, _env())
    assert (
        help_.returncode == 0 and f"python -m {module}" in help_.stdout and "timeline-import" in help_.stdout
    )
    made = _run([sys.executable, "-m", module, "demo", "--db", str(db), "--json"], tmp_path, _env())
    assert made.returncode == 0, made.stderr
    assert [r["created"] for r in json.loads(made.stdout)] == [True, True, True]
    missing = _run([sys.executable, "-m", module], tmp_path, _env())
    assert (
        missing.returncode == 2
        and missing.stderr == f"error: Missing command. (see 'python -m {module} --help')\n"
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """This checkout built and installed (not editable) into a folder, console script included."""
    target = tmp_path_factory.mktemp("installed")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return target


def test_the_debrief_script_runs_the_installed_code(installed, tmp_path):
    script = installed / "bin" / "debrief"
    assert script.read_text().startswith(f"#!{sys.executable}")
    env = {**os.environ, "PYTHONPATH": str(installed)}  # the installed copy, not this checkout
    where = _run([str(script), "--db", str(tmp_path / "a.db"), "demo"], tmp_path, env)
    assert where.returncode == 0 and where.stdout.count("Created #") == 3, where.stderr
    listed = _run([str(script), "list", "--json", "--db", str(tmp_path / "a.db")], tmp_path, env)
    assert len(json.loads(listed.stdout)) == 3
    code = "import cli, sys; print(cli.__file__)"
    assert _run([sys.executable, "-c", code], tmp_path, env).stdout.startswith(str(installed))


# --- Shared options and the one error translator --------------------------------------------------


def test_json_and_db_work_before_or_after_the_command(tmp_path):
    db = str(tmp_path / "a.db")
    assert invoke(["--db", db, "new", "--title", "Before"]).exit_code == 0
    before = invoke(["--json", "--db", db, "list"])
    after = invoke(["list", "--json", "--db", db])
    assert json.loads(before.stdout) == json.loads(after.stdout)
    assert [row["title"] for row in json.loads(after.stdout)] == ["Before"]


class _Refused(DebriefError):
    pass


@pytest.mark.parametrize(
    "raised, line",
    [
        (_Refused("The review is closed."), "error: The review is closed.\n"),
        (storage.NotFoundError("No such thing."), "error: No such thing.\n"),
        (RuntimeError("boom\nsecond line"), "error: list stopped: RuntimeError: boom second line\n"),
    ],
)
def test_every_exception_of_a_command_is_one_error_line_and_exit_2(tmp_path, monkeypatch, raised, line):
    def refuse(**_):
        raise raised

    monkeypatch.setattr(storage, "list_documents", refuse)
    result = invoke(["list", "--db", str(tmp_path / "a.db")])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", line)


def test_help_exits_0_with_nothing_on_stderr():
    result = invoke(["--help"])
    assert result.exit_code == 0 and "notify" in result.stdout and result.stderr == ""


# --- serve ------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(args: list[str], cwd: Path, env: dict[str, str]) -> bytes:
    """Start `serve`, wait for /_stcore/health, stop it; the health answer."""
    port = _free_port()
    proc = subprocess.Popen(
        [*args, "serve", "--port", str(port), "--", "--server.address", "127.0.0.1"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read().decode()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    return answer.read()
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server never answered")
    finally:
        proc.terminate()  # serve replaced itself with Streamlit, so this reaches the server
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_serve_starts_the_app_of_this_checkout_from_another_folder(tmp_path):
    env = _env()
    assert _healthy([sys.executable, "-m", "cli", "--db", str(tmp_path / "a.db")], tmp_path, env) == b"ok"


def test_serve_finds_the_app_shipped_as_package_data(installed, tmp_path):
    shipped = tmp_path / "data" / serve.APP_PACKAGE
    (shipped / "pages").mkdir(parents=True)
    (shipped / "__init__.py").write_text("")
    (shipped / "app.py").write_text("import streamlit as st\nst.write('shipped')\n")
    env = {**os.environ, "PYTHONPATH": f"{installed}{os.pathsep}{tmp_path / 'data'}"}
    assert _healthy([str(installed / "bin" / "debrief")], tmp_path, env) == b"ok"


def test_app_path_prefers_the_source_tree_then_the_package(tmp_path, monkeypatch):
    assert serve.app_path() == REPO / "app.py"
    shipped = tmp_path / serve.APP_PACKAGE
    (shipped / "pages").mkdir(parents=True)
    (shipped / "__init__.py").write_text("")
    (shipped / "app.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert serve._candidates()[-1] == shipped / "app.py"


def test_serve_without_an_app_is_one_error_line(monkeypatch, tmp_path):
    monkeypatch.setattr(serve, "_candidates", lambda: [tmp_path / "app.py"])
    result = invoke(["serve"])
    assert result.exit_code == 2 and result.stderr.startswith("error: cannot find the app")


def test_serve_puts_extra_arguments_after_its_own_and_the_database_last(tmp_path):
    command = serve.streamlit_command(REPO / "app.py", 8600, ("--server.address", "127.0.0.1"))
    assert command[1:5] == ["-m", "streamlit", "run", str(REPO / "app.py")]
    assert command[-2:] == ["--server.address", "127.0.0.1"] and "8600" in command
    db = tmp_path / "a.db"
    assert "--db" not in serve.streamlit_command(REPO / "app.py", 1, ())
    assert serve.streamlit_command(REPO / "app.py", 1, (), db)[-3:] == ["--", "--db", str(db)]
    given = serve.streamlit_command(REPO / "app.py", 1, ("--", "--x"), db)
    assert given[-4:] == ["--", "--x", "--db", str(db)]


def _help_texts(group: click.Group) -> list[str]:
    ctx = click.Context(group)
    texts = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        texts += [command.help or "", command.epilog or ""]
        texts += [p.help or "" for p in command.params if isinstance(p, click.Option)]
        if isinstance(command, click.Group):
            texts += _help_texts(command)
    return texts


def test_every_help_text_passes_the_blameless_language_checks():
    texts = _help_texts(debrief)
    assert len(texts) > 100
    assert language.check_text("\n".join(texts), path="help") == []


# --- Layering -----------------------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_domain_package_never_imports_the_command_line():
    found = {str(p.relative_to(REPO)) for p in (REPO / "postmortem").rglob("*.py") if "cli" in _imports(p)}
    assert found == set()
    shim = (REPO / "postmortem" / "__main__.py").read_text()
    assert 'run_module("cli"' in shim and len(shim.strip().splitlines()) <= 6


ENVIRONMENT = {("os", "environ"), ("os", "getenv"), ("sys", "argv")}


def _reads_environment(path: Path) -> list[str]:
    """The functions (or "<module>") that touch os.environ, os.getenv or sys.argv."""
    found = []

    def visit(node: ast.AST, where: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            where = node.name
        if isinstance(node, ast.Attribute) and (getattr(node.value, "id", ""), node.attr) in ENVIRONMENT:
            found.append(where)
        for child in ast.iter_child_nodes(node):
            visit(child, where)

    visit(ast.parse(path.read_text(encoding="utf-8")), "<module>")
    return found


def test_no_module_of_cli_reads_the_environment_itself():
    # The settings module reads it, once, when cli/context.py's load_settings asks.
    readers = {str(p.relative_to(REPO)): _reads_environment(p) for p in (REPO / "cli").rglob("*.py")}
    assert {name: found for name, found in readers.items() if found} == {}
    assert "Settings.load(" in (REPO / "cli" / "context.py").read_text()


def test_a_setting_that_cannot_be_used_is_one_error_line(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_HOLIDAYS_COUNTRY", "Atlantis")
    result = invoke(["list", "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: DEBRIEF_HOLIDAYS_COUNTRY") and result.stderr.count("\n") == 1
    assert not (tmp_path / "a.db").exists()


def test_the_environment_checker_sees_a_read(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import os, sys\nA = os.getenv('A')\ndef f():\n    return os.environ['X'], sys.argv\n")
    assert _reads_environment(probe) == ["<module>", "f", "f"]
