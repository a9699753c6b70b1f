"""Databases as older versions of Debrief left them, for the upgrade tests.

The schema is built with the shipped migrations themselves (frozen, so a database stopped before
migration N is exactly what a Debrief of that time made); documents are written the way the first
version wrote them, with raw SQL and no projections, and the migrations in between fill their columns.
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from postmortem.models import PostMortem
from storage.migrations import migrations

FIRST = "m001_documents_and_revisions"
NAMES = [m.name for m in migrations._migrations]


def first_schema(path: Path) -> Database:
    """A database with only the first migration applied."""
    db = Database(path)
    migrations.apply(db, stop_before=NAMES[1])
    return db


def insert_raw(db: Database, versions: list[PostMortem]) -> int:
    """One document at the first schema: its row (the last version) and one revision per version,
    saved a minute apart from 10:01."""
    last = versions[-1]
    doc_id = db.execute(
        "insert into documents (incident_id, title, severity, status, version, body, created_at, updated_at) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            last.header.incident_id,
            last.header.title,
            last.header.severity.value,
            last.header.status.value,
            len(versions),
            last.model_dump_json(),
            "2026-03-04T10:00:00.000+00:00",
            "2026-03-04T11:00:00.000+00:00",
        ],
    ).lastrowid
    for version, doc in enumerate(versions, start=1):
        db.execute(
            "insert into revisions (doc_id, version, body, saved_at, saved_by) values (?, ?, ?, ?, ?)",
            [doc_id, version, doc.model_dump_json(), f"2026-03-04T10:{version:02d}:00.000+00:00", "local"],
        )
    db.conn.commit()
    return doc_id


def database_before(path: Path, migration: str, documents: list[list[PostMortem]]) -> Database:
    """A database stopped just before `migration`, holding `documents` (each a list of its versions),
    written at the first schema and carried forward by the migrations in between."""
    db = first_schema(path)
    for versions in documents:
        insert_raw(db, versions)
    migrations.apply(db, stop_before=migration)
    assert [m.name for m in migrations.applied(db)] == NAMES[: NAMES.index(migration)]
    return db
