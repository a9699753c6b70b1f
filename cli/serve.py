"""serve: start the app (Streamlit) from wherever Debrief is installed, not from the current folder."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import click

from cli.errors import UserError
from cli.options import runtime, shared_options

# Where the packaging ships app.py and pages/ as package data in an installed wheel.
APP_PACKAGE = "debrief_app"


def _candidates() -> list[Path]:
    # A source checkout (or an editable install): app.py sits beside the cli package.
    found = [Path(__file__).resolve().parent.parent / "app.py"]
    spec = importlib.util.find_spec(APP_PACKAGE)
    if spec and spec.submodule_search_locations:
        found += [Path(folder) / "app.py" for folder in spec.submodule_search_locations]
    return found


def app_path() -> Path:
    """The app's entry script, with its pages/ folder beside it: in the source tree, else in the
    installed `debrief_app` package."""
    for script in _candidates():
        if script.is_file() and (script.parent / "pages").is_dir():
            return script
    raise UserError(
        f"cannot find the app (app.py and pages/) beside {Path(__file__).parent}; reinstall Debrief."
    )


def streamlit_command(script: Path, port: int, extra: tuple[str, ...], db: Path | None = None) -> list[str]:
    """The Streamlit command line; arguments after `--` come after ours, so they can override them,
    and the database goes to the app as its own `--db` argument."""
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *extra,
    ]
    if db:
        command += ["--db", str(db)] if "--" in extra else ["--", "--db", str(db)]
    return command


@click.command(
    "serve",
    help="Start the app in a web server (Streamlit) from the installed code; stop it with Ctrl+C.",
    epilog="Arguments after -- go to Streamlit, e.g. debrief serve -- --server.address 127.0.0.1",
)
@shared_options(with_json=False)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="the port to listen on"
)
@click.argument("extra", nargs=-1, type=click.UNPROCESSED, metavar="[-- STREAMLIT ARGS]")
def serve(port: int, extra: tuple[str, ...]) -> None:
    rt = runtime()
    script = app_path()
    db = rt.db.expanduser().resolve() if rt.db else None  # resolved before the folder changes
    sys.stdout.flush()
    sys.stderr.flush()
    # The server replaces this process: Ctrl+C, `kill PID` and a service manager all reach Streamlit
    # itself, and it inherits the environment (the app reads its settings from it once more).
    os.chdir(script.parent)
    os.execv(sys.executable, streamlit_command(script, port, extra, db))
