"""Write transactions and the clock every stored time comes from. Imports nothing else of storage,
so every module can use it without a cycle."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlite_utils import Database


def now() -> str:
    """The time stored on a save, a comment or an audit row: UTC, ISO 8601, to the millisecond, so
    stored times sort and compare as text."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


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
