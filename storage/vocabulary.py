"""The team's additions to the failure-class list, and the filters each user saved on the archive."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlite_utils import Database

from postmortem import failure_classes
from storage.access import Permission, actor_of, require
from storage.tx import write_transaction


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def team_failure_classes(*, db: Database) -> list[str]:
    """Classes the team added, oldest first."""
    return [row[0] for row in db.execute("select name from failure_classes order by added_at, name")]


def all_failure_classes(*, db: Database, current: str = "") -> list[str]:
    """The defaults, the team's classes and `current` (a document's own older value), without repeats."""
    return failure_classes.merged(team_failure_classes(db=db), current)


def add_failure_class(*, db: Database, name: str) -> str:
    """Add a class to the team's list; ValueError when it is empty, too long or already there."""
    require(db, Permission.EDIT)
    with write_transaction(db):
        cleaned = failure_classes.clean_new_class(name, all_failure_classes(db=db))
        db["failure_classes"].insert(
            {
                "name": cleaned,
                "key": failure_classes.key(cleaned),
                "added_by": actor_of(db).identity,
                "added_at": _now(),
            }
        )
    return cleaned


def save_filter(*, db: Database, name: str, value: dict) -> None:
    """Remember a filter for the connection's user (one per name; saving again replaces it)."""
    require(db, Permission.VIEW)
    with write_transaction(db):
        db["saved_filters"].upsert(
            {"identity": actor_of(db).identity, "name": name, "value": json.dumps(value), "saved_at": _now()},
            pk=("identity", "name"),
        )


def saved_filter(*, db: Database, name: str) -> dict | None:
    """The connection's user's filter of that name, or None."""
    row = db.execute(
        "select value from saved_filters where identity = ? and name = ?", [actor_of(db).identity, name]
    ).fetchone()
    return json.loads(row[0]) if row else None
