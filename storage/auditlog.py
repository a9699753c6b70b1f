"""Adding a row to the audit trail. Kept apart from storage/audit.py so that documents.py, which
audit.py builds on, can record its own changes. Rows are only ever inserted: triggers refuse
UPDATE and DELETE of the table (migration m009)."""

from __future__ import annotations

from sqlite_utils import Database

from storage import tx
from storage.tx import write_transaction


def record(
    *,
    db: Database,
    doc_id: int | None,
    version: int | None,
    action: str,
    by: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    detail: str = "",
    at: str | None = None,
) -> None:
    """Add one row to the trail."""
    with write_transaction(db):
        db.execute(
            "insert into audit (doc_id, version, at, by, action, from_status, to_status, reason, detail) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                doc_id,
                version,
                at or tx.now(),
                by,
                action,
                from_status,
                to_status,
                reason,
                detail,
            ],
        )
