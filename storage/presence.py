"""Who else has a document open: each browser session writes a heartbeat; silence means gone.

One row per session (a session shows one document at a time). A row not refreshed for
`GONE_AFTER` seconds counts as gone and is pruned by the next heartbeat, so a closed tab or a
server restart needs no clean-up of its own.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from storage.access import Permission, require
from storage.tx import write_transaction

GONE_AFTER = 45.0  # seconds: three missed heartbeats of the wizard's 15 s


@dataclass(frozen=True)
class Presence:
    identity: str
    step: str
    seen_at: float


def heartbeat(
    *, db: Database, session_key: str, doc_id: int, identity: str, step: str, now: float | None = None
) -> None:
    """Record that this session shows `doc_id` at `step` now, and prune sessions gone silent."""
    require(db, Permission.VIEW, doc_id)
    now = time.time() if now is None else now
    with write_transaction(db):
        db.execute("delete from presence where seen_at < ?", [now - GONE_AFTER])
        db.execute(
            "insert into presence (session_key, doc_id, identity, step, seen_at) values (?, ?, ?, ?, ?) "
            "on conflict(session_key) do update set doc_id = excluded.doc_id, identity = excluded.identity, "
            "step = excluded.step, seen_at = excluded.seen_at",
            [session_key, doc_id, identity, step, now],
        )


def others(
    *, db: Database, doc_id: int, session_key: str, now: float | None = None, gone_after: float = GONE_AFTER
) -> list[Presence]:
    """The other sessions showing `doc_id`, heard from within `gone_after` seconds, most recent first."""
    now = time.time() if now is None else now
    rows = db.execute(
        "select identity, step, seen_at from presence where doc_id = ? and session_key != ? and seen_at >= ? "
        "order by seen_at desc",
        [doc_id, session_key, now - gone_after],
    ).fetchall()
    return [Presence(*row) for row in rows]


def leave(*, db: Database, session_key: str) -> None:
    """Forget this session (it closed the document)."""
    with write_transaction(db):
        db.execute("delete from presence where session_key = ?", [session_key])


def active_sessions(*, db: Database, now: float | None = None) -> int:
    """How many browser sessions showed any document within GONE_AFTER seconds (0 when the table is absent,
    as in a database from before presence existed)."""
    if not db["presence"].exists():
        return 0
    now = time.time() if now is None else now
    return db.execute("select count(*) from presence where seen_at >= ?", [now - GONE_AFTER]).fetchone()[0]


def active_sessions_in(path: str | Path, now: float | None = None) -> int:
    """`active_sessions` of the database file at `path`, read without migrating or writing it; 0 when it
    cannot be read (a damaged file has nobody working in it)."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0
    try:
        return active_sessions(db=Database(conn), now=now)
    except sqlite3.DatabaseError:
        return 0
    finally:
        conn.close()
