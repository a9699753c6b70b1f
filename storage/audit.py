"""The audit trail: every status change and sign-off of a document, in the order they happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from postmortem.models import PostMortem
from storage.db import write_transaction
from storage.documents import Stored, save


@dataclass(frozen=True)
class Entry:
    id: int
    doc_id: int
    version: int
    at: str
    by: str
    action: str  # "status" | "sign-off" | "reopen" | "allspaw"
    from_status: str
    to_status: str
    reason: str
    detail: str


def record(*, db: Database, doc_id: int, version: int, action: str, by: str, from_status: str = "",
           to_status: str = "", reason: str = "", detail: str = "", at: str | None = None) -> None:
    """Add one row to the trail."""
    with write_transaction(db):
        db["audit"].insert({"doc_id": doc_id, "version": version, "at": at or datetime.now(UTC).isoformat(),
                            "by": by, "action": action, "from_status": from_status, "to_status": to_status,
                            "reason": reason, "detail": detail})


def trail(*, db: Database, doc_id: int) -> list[Entry]:
    """The document's trail, oldest first."""
    rows = db.query("select * from audit where doc_id = ? order by id", [doc_id])
    return [Entry(**row) for row in rows]


def save_status_change(*, db: Database, doc_id: int, before: PostMortem, after: PostMortem, expected_version: int,
                       by: str, reason: str = "") -> Stored:
    """Save a status change (a new revision) and record it, with any new sign-off, in the trail,
    all in one transaction: a stale version refuses the whole change, and a crash leaves neither."""
    with write_transaction(db):
        saved = save(db=db, doc_id=doc_id, doc=after, expected_version=expected_version, by=by)
        old, new = before.header.status.value, after.header.status.value
        action = "reopen" if old in ("final", "published") and new == "draft" else "status"
        record(db=db, doc_id=doc_id, version=saved.version, action=action, by=by, from_status=old,
               to_status=new, reason=reason)
        for sign_off in after.sign_offs[len(before.sign_offs):]:
            record(db=db, doc_id=doc_id, version=saved.version, action="sign-off", by=by,
                   detail=f"{sign_off.role.value}: {sign_off.name} at {sign_off.signed_at:%Y-%m-%d %H:%M} UTC")
    return saved
