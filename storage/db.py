"""Opening the database: where it lives, WAL, busy timeout, migrations, write transactions."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import platformdirs
from sqlite_utils import Database

from storage import access, backup
from storage.errors import MissingFolderError, SchemaTooNewError
from storage.migrations import migrations

DB_ENV = "DEBRIEF_DB"
_migrated: set[str] = set()
_lock = threading.Lock()


def default_path(configured: Path | None = None) -> Path:
    """The configured database (postmortem.settings: --db or $DEBRIEF_DB), else debrief.db in the
    user's data directory."""
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir("debrief", appauthor=False)) / "debrief.db"


def connect(path: str | Path | None = None, *, actor: access.Actor | None = None) -> Database:
    """A new connection (SQLite connections are thread-bound), migrated whenever migrations are pending."""
    path = Path(path) if path else default_path()
    _ensure_folder(path)
    db = Database(path)
    _refuse_newer_schema(db, path)  # before any PRAGMA or migration writes to it
    db.conn.execute("PRAGMA busy_timeout = 5000")
    db.conn.execute("PRAGMA foreign_keys = ON")
    # In WAL mode NORMAL keeps the database consistent through any crash; only a power cut can drop
    # the last moments of commits. It halves save latency (fewer fsyncs).
    db.conn.execute("PRAGMA synchronous = NORMAL")
    key = str(path.resolve())
    # Checked on every connect (a fraction of a millisecond), not once per process: the file may be
    # deleted or replaced by an older backup while a long-running server keeps its memory.
    if key not in _migrated or migrations.pending(db):
        with _lock:
            if db.journal_mode != "wal":
                db.enable_wal()
            # A schema upgrade rewrites tables: keep the database as it was, in case it must go back.
            backup.before_upgrade(db, path)
            # Under the write lock, so two processes opening a new file do not both create tables.
            with write_transaction(db):
                migrations.apply(db)
            _migrated.add(key)
    return access.bind(db, actor) if actor is not None else db


def _ensure_folder(path: Path) -> None:
    """The configured default folder is made on first use; a folder named by hand that does not
    exist is almost always a typo, and creating it would scatter databases around the disk."""
    if path.parent.is_dir():
        return
    if path == default_path():
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    raise MissingFolderError(f"The folder {path.parent} does not exist; create it first or fix the path.")


def unknown_migrations(db: Database) -> list[str]:
    """Migrations recorded in the database that this version does not know (read-only)."""
    known = {m.name for m in migrations._migrations}
    return [m.name for m in migrations.applied(db) if m.name not in known]


def _refuse_newer_schema(db: Database, path: Path) -> None:
    """A newer Debrief may have changed tables in ways this one would corrupt: refuse to touch it."""
    unknown = unknown_migrations(db)
    if unknown:
        db.close()
        raise SchemaTooNewError(
            f"The database {path} was written by a newer Debrief (it has migration "
            f"{unknown[0]}, unknown to this version). Upgrade Debrief, or restore a backup "
            "made by this version; nothing was changed."
        )


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One transaction that takes the write lock at once, so a read-check-write cannot interleave.
    Inside another write transaction it nests as a savepoint, so callers can compose saves."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    else:
        db.conn.execute("COMMIT")
