"""Backups through SQLite's online backup API: a consistent copy while the app keeps writing.

`backup` copies every page under a read snapshot, so saves made meanwhile either are in the copy
whole or not at all, and writers are not blocked (WAL). `restore` checks that a file is a Debrief
database before anything is replaced, keeps the replaced database aside, and copies the backup
into the live file with the same API, in one step: a running server sees the old database or the
new one, never a mix. Stopping the server first is still the advice (docs/deploy.md): open
browser sessions would otherwise meet a document that moved back in time.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from postmortem.errors import DebriefError
from storage import access
from storage.access import Permission
from storage.migrations import migrations

MIGRATIONS_TABLE = "_sqlite_migrations"


class InvalidBackupError(DebriefError, ValueError):
    """The file is not a usable Debrief database (not SQLite, damaged, not ours, or too new)."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    documents: int
    migrations: list[str]


def stamp(now: datetime | None = None) -> str:
    """A UTC timestamp for file names: 20261125T210501Z."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def _open(source: Database | str | Path) -> tuple[sqlite3.Connection, bool]:
    if isinstance(source, Database):
        return source.conn, False
    return sqlite3.connect(str(source), timeout=30), True


def backup(source: Database | str | Path, dest: str | Path) -> Path:
    """Copy the database (an open connection or a file) to `dest`, consistently, without stopping writers.
    The copy is written beside `dest` first and renamed, so `dest` is never a half-written file."""
    dest = Path(dest)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    if isinstance(source, Database):
        # A backup holds every name and restricted document: only an admin's connection may take one.
        # A path (the CLI, the pre-migration copy) is already someone with the file in hand.
        access.require(source, Permission.ADMIN)
    conn, owned = _open(source)
    try:
        out = sqlite3.connect(str(partial))
        try:
            conn.backup(out)
            # One self-contained file (no -wal beside it), whatever mode the live database runs in.
            out.execute("PRAGMA journal_mode = DELETE")
        finally:
            out.close()
    finally:
        if owned:
            conn.close()
    os.replace(partial, dest)
    return dest


def to_bytes(source: Database | str | Path) -> bytes:
    """A backup's bytes, for a download button."""
    with tempfile.TemporaryDirectory(prefix="debrief-backup-") as tmp:
        return backup(source, Path(tmp) / "debrief.db").read_bytes()


def verify(path: str | Path) -> BackupInfo:
    """Check that `path` is an intact Debrief database this version can open; raise InvalidBackupError if not."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise InvalidBackupError(f"{path} is not a file with a database in it.")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            check = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
            names = (
                [
                    row[0]
                    for row in conn.execute(
                        f"select name from {MIGRATIONS_TABLE} where migration_set = ? order by rowid",
                        [migrations.name],
                    )
                ]
                if MIGRATIONS_TABLE in tables
                else []
            )
            documents = (
                conn.execute("select count(*) from documents").fetchone()[0] if "documents" in tables else 0
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidBackupError(f"{path} is not a readable SQLite database: {exc}.") from exc
    if check != ["ok"]:
        raise InvalidBackupError(f"{path} is damaged: {'; '.join(check[:3])}.")
    if not names or "documents" not in tables:
        raise InvalidBackupError(
            f"{path} is a SQLite database, but not a Debrief one (no Debrief migrations)."
        )
    known = {m.name for m in migrations._migrations}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise InvalidBackupError(
            f"{path} was written by a newer Debrief (migration {unknown[0]}); upgrade first."
        )
    return BackupInfo(path, path.stat().st_size, documents, names)


def restore(backup_path: str | Path, db_path: str | Path) -> Path | None:
    """Replace the database at `db_path` with a verified backup. Returns where the replaced database
    was kept (`<db>.before-restore-<timestamp>`), or None when there was none."""
    backup_path, db_path = Path(backup_path), Path(db_path)
    if db_path.exists() and backup_path.resolve() == db_path.resolve():
        raise InvalidBackupError(f"{backup_path} is the database itself; choose a backup file.")
    verify(backup_path)
    aside, intact = None, readable(db_path)
    if db_path.exists():
        aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp()}")
        # A damaged database is kept as it is, byte for byte: it may still hold something to recover.
        if intact:
            backup(db_path, aside)
        else:
            shutil.copy2(db_path, aside)
    if db_path.exists() and not intact:
        backup(backup_path, db_path)  # written beside it and renamed over the damaged file
        for leftover in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
            leftover.unlink(missing_ok=True)
        return aside
    db_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        live = sqlite3.connect(str(db_path), timeout=30)
        try:
            source.backup(live)  # one step, under the live database's write lock
        finally:
            live.close()
    finally:
        source.close()
    return aside


def readable(path: Path) -> bool:
    """Does SQLite open `path` as a database (a missing file is not)?"""
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute("select count(*) from sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return True
