"""Opening the database: where it lives, and a connection that acts for one user."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from sqlite_utils import Database

from storage import access, schema
from storage.errors import MissingFolderError

DB_ENV = "DEBRIEF_DB"


def default_path(configured: Path | None = None) -> Path:
    """The configured database (postmortem.settings: --db or $DEBRIEF_DB), else debrief.db in the
    user's data directory."""
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir("debrief", appauthor=False)) / "debrief.db"


def connect(path: str | Path | None = None, *, actor: access.Actor) -> Database:
    """A new connection (SQLite connections are thread-bound) at the current schema, acting for
    `actor`: every storage call on it checks that actor's role. The single-user mode passes
    `access.LOCAL`; there is no default, so no caller acts as the admin by forgetting to say who."""
    path = Path(path) if path else default_path()
    _ensure_folder(path)
    db = schema.prepare(Database(path), path)
    return access.bind(db, actor)


def _ensure_folder(path: Path) -> None:
    """The configured default folder is made on first use; a folder named by hand that does not
    exist is almost always a typo, and creating it would scatter databases around the disk."""
    if path.parent.is_dir():
        return
    if path == default_path():
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    raise MissingFolderError(f"The folder {path.parent} does not exist; create it first or fix the path.")
