"""Replacing the whole database with a backup: the admin's call, and never a silent one.

The role is checked on the live database before anything is touched. One audit row is written into
the live database just before it is replaced (so the copy kept aside, `<db>.before-restore-<time>`,
ends with it), and one into the restored database (so the trail people read afterwards says who
restored what, and where the replaced database went).
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from storage import backup
from storage.access import LOCAL, Actor, Permission, actor_of, require
from storage.auditlog import record
from storage.db import connect
from storage.errors import PermissionDenied

ACTION = "restore backup"


def restore_backup(
    *, db: Database | None, db_path: str | Path, backup_path: str | Path, actor: Actor | None = None
) -> Path | None:
    """Replace the database at `db_path` with a verified backup, as the actor bound to `db` (admins
    only). `db` is None only when the live database is missing or unreadable: then nobody's role can
    be read from it, and only the local user of the no-sign-in mode (`actor` LOCAL) may go ahead.
    Returns where the replaced database was kept, or None when there was none."""
    actor = actor_of(db) if db is not None else (actor or LOCAL)
    if db is not None:
        require(db, Permission.ADMIN)
    elif actor != LOCAL:
        raise PermissionDenied(
            f"{actor.identity} may not restore: the live database cannot be read to check "
            "the role. Restore it without sign-in (DEBRIEF_AUTH=none) from the server's shell."
        )
    name = Path(backup_path).name
    info = backup.verify(backup_path)  # a bad file is refused before the live database gets a row
    if db is not None:
        record(
            db=db,
            doc_id=None,
            version=None,
            action=ACTION,
            by=actor.identity,
            detail=f"this database was replaced by {name} ({info.documents} post-mortems)",
        )
    aside = backup.restore(backup_path, db_path)
    restored = connect(db_path, actor=actor)  # migrates an older backup first, so the audit table is current
    try:
        kept = f"the replaced database is kept as {aside}" if aside else "there was no database before"
        record(
            db=restored,
            doc_id=None,
            version=None,
            action=ACTION,
            by=actor.identity,
            detail=f"restored from {name} ({info.documents} post-mortems); {kept}",
        )
    finally:
        restored.close()
    return aside
