"""Bringing an opened database to the current schema: refusing a newer one, the connection's
pragmas (WAL, busy timeout, foreign keys), a backup before an upgrade, then the migrations."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlite_utils import Database

from storage import backup
from storage.backup import MIGRATIONS_TABLE, stamp
from storage.errors import SchemaTooNewError
from storage.migrations import migrations
from storage.tx import write_transaction

_migrated: set[str] = set()
_KNOWN = frozenset(m.name for m in migrations._migrations)
_lock = threading.Lock()


def prepare(db: Database, path: Path) -> Database:
    """Make a fresh connection to `path` ready for use: pragmas set, every migration applied."""
    applied = applied_names(db)
    refuse_newer(db, path, applied)  # before any PRAGMA or migration writes to it
    db.conn.execute("PRAGMA busy_timeout = 5000")
    db.conn.execute("PRAGMA foreign_keys = ON")
    # In WAL mode NORMAL keeps the database consistent through any crash; only a power cut can drop
    # the last moments of commits. It halves save latency (fewer fsyncs).
    db.conn.execute("PRAGMA synchronous = NORMAL")
    key = str(path.resolve())
    # Checked on every connect (a fraction of a millisecond), not once per process: the file may be
    # deleted or replaced by an older backup while a long-running server keeps its memory.
    if key not in _migrated or not set(_KNOWN) <= set(applied):
        with _lock:
            if db.journal_mode != "wal":
                db.enable_wal()
            # A schema upgrade rewrites tables: keep the database as it was, in case it must go back.
            keep_before_upgrade(db, path)
            # Under the write lock, so two processes opening a new file do not both create tables.
            with write_transaction(db):
                migrations.apply(db)
            _migrated.add(key)
    return db


def keep_before_upgrade(db: Database, path: Path) -> Path | None:
    """Before migrations change an existing database, keep a copy: `<db>.pre-<migration>-<timestamp>.bak`."""
    pending = migrations.pending(db)
    if not pending or not migrations.applied(db):
        return None  # up to date, or a new empty file with nothing to lose
    # By path: whoever opens the file may keep it as it was, whatever role their connection will act for.
    return backup.backup(path, path.with_name(f"{path.name}.pre-{pending[0].name}-{stamp()}.bak"))


def applied_names(db: Database) -> list[str]:
    """The migrations recorded in the database, in order (read-only). One query, as sqlite-utils'
    `Migrations.applied` reads it: that one asks for the table list first, and every rerun connects."""
    try:
        rows = db.conn.execute(
            f"select name from {MIGRATIONS_TABLE} where migration_set = ? order by rowid", [migrations.name]
        )
        return [row[0] for row in rows]
    except sqlite3.OperationalError:  # no such table: a new, empty file
        return []


def unknown_migrations(db: Database, applied: list[str] | None = None) -> list[str]:
    """Migrations recorded in the database that this version does not know (read-only)."""
    return [name for name in (applied_names(db) if applied is None else applied) if name not in _KNOWN]


def refuse_newer(db: Database, path: Path, applied: list[str] | None = None) -> None:
    """A newer Debrief may have changed tables in ways this one would corrupt: refuse to touch it."""
    unknown = unknown_migrations(db, applied)
    if unknown:
        db.close()
        raise SchemaTooNewError(
            f"The database {path} was written by a newer Debrief (it has migration "
            f"{unknown[0]}, unknown to this version). Upgrade Debrief, or restore a backup "
            "made by this version; nothing was changed."
        )
