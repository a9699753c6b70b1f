"""The audit trail: who changed what and when, in the order it happened. Rows are only ever added
(triggers refuse UPDATE and DELETE). A document's trail is for those who may see the document; the
whole trail (role and share changes included) is for admins."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from postmortem.models import PostMortem
from storage import comments
from storage.access import Permission, allowed, permission_for_status, require, who
from storage.auditlog import record
from storage.documents import Stored, get, write_version
from storage.errors import NotFoundError
from storage.tx import write_transaction

# The rows of the review workflow; `trail(..., actions=None)` adds edits, deletions, exports.
WORKFLOW = ("status", "sign-off", "reopen", "allspaw")

__all__ = [
    "WORKFLOW",
    "Entry",
    "may_export",
    "permission_for_status",
    "record",
    "record_export",
    "save_allspaw",
    "save_status_change",
    "trail",
    "whole_trail",
]


@dataclass(frozen=True)
class Entry:
    id: int
    doc_id: int | None
    version: int | None
    at: str
    by: str
    action: str  # "status" | "sign-off" | "reopen" | "allspaw" | "create" | "edit" | "role" | "share" | ...
    from_status: str
    to_status: str
    reason: str
    detail: str


def trail(*, db: Database, doc_id: int, actions: tuple[str, ...] | None = WORKFLOW) -> list[Entry]:
    """The document's trail, oldest first: the workflow rows, or every row with `actions=None`."""
    if not allowed(db, Permission.VIEW, doc_id):
        raise NotFoundError(f"No post-mortem with id {doc_id}.")
    where, params = "doc_id = ?", [doc_id]
    if actions is not None:
        where += f" and action in ({', '.join('?' * len(actions))})"
        params += list(actions)
    rows = db.query(f"select * from audit where {where} order by id", params)
    return [Entry(**row) for row in rows]


def whole_trail(
    *, db: Database, action: str = "", by: str = "", doc_id: int | None = None, limit: int = 1000
) -> list[Entry]:
    """Every row, newest first, optionally only one action, person or document (admins only)."""
    require(db, Permission.ADMIN)
    clauses, params = ["1"], []
    for column, value in (("action", action), ("by", by), ("doc_id", doc_id)):
        if value not in ("", None):
            clauses.append(f"[{column}] = ?")
            params.append(value)
    rows = db.query(
        f"select * from audit where {' and '.join(clauses)} order by id desc limit ?", [*params, limit]
    )
    return [Entry(**row) for row in rows]


def _permission_for(before: PostMortem, after: PostMortem) -> Permission:
    if after.sign_offs != before.sign_offs:
        return Permission.SIGN_OFF
    return permission_for_status(before.header.status, after.header.status)


def _only_status_changed(stored: PostMortem, after: PostMortem) -> bool:
    """True when `after` is the stored document with a new status and sign-offs, nothing else."""
    same = after.model_copy(
        update={
            "header": after.header.model_copy(update={"status": stored.header.status}),
            "sign_offs": stored.sign_offs,
        }
    )
    return same == stored


def save_status_change(
    *,
    db: Database,
    doc_id: int,
    before: PostMortem,
    after: PostMortem,
    expected_version: int,
    by: str | None = None,
    reason: str = "",
) -> Stored:
    """Save a status change (a new revision) and record it, with any new sign-off, in the trail,
    all in one transaction: a stale version refuses the whole change, and a crash leaves neither.
    Signing needs SIGN_OFF; a change that also edits content needs EDIT as well."""
    with write_transaction(db):
        permission = _permission_for(before, after)
        require(db, permission, doc_id)
        if permission is Permission.SIGN_OFF and not _only_status_changed(
            get(db=db, doc_id=doc_id).doc, after
        ):
            require(db, Permission.EDIT, doc_id)
        if after.header.status.value == "final" and before.header.status.value != "final":
            comments.refuse_final_with_open_threads(db, doc_id)
        saved = write_version(
            db=db,
            doc_id=doc_id,
            doc=after,
            expected_version=expected_version,
            by=by,
            permission=permission,
            action=None,
        )
        by = who(db, by)
        old, new = before.header.status.value, after.header.status.value
        action = "reopen" if old in ("final", "published") and new == "draft" else "status"
        record(
            db=db,
            doc_id=doc_id,
            version=saved.version,
            action=action,
            by=by,
            from_status=old,
            to_status=new,
            reason=reason,
        )
        for sign_off in after.sign_offs[len(before.sign_offs) :]:
            record(
                db=db,
                doc_id=doc_id,
                version=saved.version,
                action="sign-off",
                by=by,
                detail=f"{sign_off.role.value}: {sign_off.name} at {sign_off.signed_at:%Y-%m-%d %H:%M} UTC",
            )
    return saved


def save_allspaw(
    *, db: Database, doc_id: int, doc: PostMortem, expected_version: int, by: str | None = None
) -> Stored:
    """Save the Allspaw test's answer: the document's editors may, and so may a reviewer on any post-mortem
    they can see (asking it is part of the review), as long as nothing else changes."""
    permission = Permission.EDIT if allowed(db, Permission.EDIT, doc_id) else Permission.SIGN_OFF
    if permission is Permission.SIGN_OFF:
        stored = get(db=db, doc_id=doc_id).doc
        if doc.model_copy(update={"allspaw": stored.allspaw}) != stored:
            require(db, Permission.EDIT, doc_id)
    answer = doc.allspaw
    detail = f"{answer.role}: {'yes' if answer.fair else 'no'}" if answer else ""
    return write_version(
        db=db,
        doc_id=doc_id,
        doc=doc,
        expected_version=expected_version,
        by=by,
        permission=permission,
        action="allspaw",
        detail=detail,
    )


NAMED_AUDIENCES = ("regulator",)  # exports that name people: only for those who may see names


def may_export(*, db: Database, doc_id: int, audience: str) -> bool:
    return audience not in NAMED_AUDIENCES or allowed(db, Permission.SEE_NAMES, doc_id)


def needs_record(*, db: Database, doc_id: int, audience: str) -> bool:
    """Exports worth a row: any of a restricted document, and the regulator's (it carries names)."""
    if audience == "regulator":
        return True
    row = db.execute("select coalesce(restricted, 0) from documents where id = ?", [doc_id]).fetchone()
    return bool(row and row[0])


def record_export(
    *, db: Database, doc_id: int, version: int, audience: str, fmt: str, by: str | None = None
) -> None:
    """Refuse an export the actor may not make; note one of a restricted document or for the regulator."""
    if not may_export(db=db, doc_id=doc_id, audience=audience):
        require(db, Permission.SEE_NAMES, doc_id)
    if needs_record(db=db, doc_id=doc_id, audience=audience):
        record(
            db=db,
            doc_id=doc_id,
            version=version,
            action="export",
            by=who(db, by),
            detail=f"{audience} · {fmt}",
        )


def actions(*, db: Database) -> list[str]:
    """The kinds of entry in the trail, for the admin page's filter."""
    require(db, Permission.ADMIN)
    return [row[0] for row in db.execute("select distinct action from audit order by action")]
