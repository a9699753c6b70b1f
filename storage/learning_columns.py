"""The learning dashboard's columns on `documents` (migration m008), refreshed on every save."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from postmortem.learning_facts import facts_from_body


def project(db: Database, doc_id: int, data: dict[str, Any], columns: set[str]) -> None:
    """Write one document's learning columns; a database migrated only up to an earlier step has none yet."""
    if "went_well_count" not in columns:
        return
    values = facts_from_body(data)
    assignments = ", ".join(f"[{name}] = ?" for name in values)
    db.execute(f"update documents set {assignments} where id = ?", [*values.values(), doc_id])
