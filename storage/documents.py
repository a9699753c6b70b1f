"""Post-mortem documents: create, read, save with revisions and version checks, soft delete."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from sqlite_utils import Database

from postmortem.import_state import as_imported_draft
from postmortem.models import PostMortem
from storage import tx
from storage.access import SIGNED, Permission, allowed, permission_for_status, require, visible_sql, who
from storage.auditlog import record
from storage.errors import ConflictError, DuplicateError, NotFoundError
from storage.projections import project
from storage.tx import write_transaction


@dataclass(frozen=True)
class Stored:
    id: int
    version: int
    doc: PostMortem
    updated_at: str
    deleted_at: str | None = None


@dataclass(frozen=True)
class Revision:
    version: int
    saved_at: str
    saved_by: str
    title: str


@lru_cache(maxsize=32)
def _parse(body: str) -> PostMortem:
    # Every Streamlit rerun reads the open document; parsing an unchanged body again is wasted work.
    # Callers treat documents as values: every change goes through a validated copy, never mutation.
    return PostMortem.model_validate_json(body)


def _stored(row: dict) -> Stored:
    return Stored(row["id"], row["version"], _parse(row["body"]), row["updated_at"], row["deleted_at"])


def without_names(doc: PostMortem) -> PostMortem:
    """The document as someone who may not see names reads it: no contacts table, no internal names."""
    if not doc.contacts and not doc.header.internal_names:
        return doc
    return doc.model_copy(
        update={"contacts": [], "header": doc.header.model_copy(update={"internal_names": []})}
    )


def _names_kept(db: Database, doc_id: int, doc: PostMortem) -> PostMortem:
    """A save by someone who cannot see names keeps the stored ones (they were never shown, so a
    missing contacts table is not a deletion)."""
    if allowed(db, Permission.SEE_NAMES, doc_id):
        return doc
    stored = _parse(db.execute("select body from documents where id = ?", [doc_id]).fetchone()[0])
    header = doc.header.model_copy(update={"internal_names": stored.header.internal_names})
    return doc.model_copy(update={"contacts": stored.contacts, "header": header})


def _readable(db: Database, doc_id: int, doc: PostMortem) -> PostMortem:
    return doc if allowed(db, Permission.SEE_NAMES, doc_id) else without_names(doc)


def _require_visible(db: Database, doc_id: int) -> None:
    # A document the actor may not see is reported as missing: its existence is not theirs to know.
    if not allowed(db, Permission.VIEW, doc_id):
        raise NotFoundError(f"No post-mortem with id {doc_id}.")


def _body(doc: PostMortem) -> str:
    return doc.model_dump_json()


def create(
    *, db: Database, doc: PostMortem, by: str | None = None, action: str = "create", detail: str = ""
) -> Stored:
    """Store a new post-mortem at version 1, owned by the actor. A document that arrives already
    signed or final needs the sign-off permission, like signing it here would."""
    require(db, Permission.EDIT)
    if doc.sign_offs or doc.header.status.value in SIGNED:
        require(db, Permission.SIGN_OFF)
    body, now, by = _body(doc), tx.now(), who(db, by)
    with write_transaction(db):
        if db.execute("select 1 from documents where incident_id = ?", [doc.header.incident_id]).fetchone():
            raise DuplicateError(f"A post-mortem with incident ID {doc.header.incident_id} already exists.")
        row = {
            "incident_id": doc.header.incident_id,
            "title": doc.header.title,
            "severity": doc.header.severity.value,
            "status": doc.header.status.value,
            "version": 1,
            "body": body,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
            "updated_by": by,
            "created_by": by,
        }
        doc_id = db["documents"].insert(row).last_pk
        _add_revision(db, doc_id, 1, body, now, by)
        project(db, doc_id, body)
        record(db=db, doc_id=doc_id, version=1, action=action, by=by, at=now, detail=detail)
    return Stored(doc_id, 1, doc, now)


def create_imported(*, db: Database, doc: PostMortem, source: str, by: str | None = None) -> Stored:
    """Store a document read from a file (JSON, Markdown): always a draft, whatever the file says; its
    status, sign-offs and Allspaw answer are kept only as a read-only note, and the trail says who
    imported what."""
    draft, notes = as_imported_draft(doc)
    detail = f"from {source}" + (f"; set aside: {' '.join(notes)}" if notes else "")
    return create(db=db, doc=draft, by=by, action="import", detail=detail[:2000])


def _add_revision(db: Database, doc_id: int, version: int, body: str, at: str, by: str) -> None:
    db["revisions"].insert(
        {"doc_id": doc_id, "version": version, "body": body, "saved_at": at, "saved_by": by}
    )


def get(*, db: Database, doc_id: int, include_deleted: bool = False) -> Stored:
    """The current version of one post-mortem, as the actor may read it."""
    row = db.execute_returning_dicts("select * from documents where id = ?", [doc_id])
    if not row or (row[0]["deleted_at"] and not include_deleted):
        raise NotFoundError(f"No post-mortem with id {doc_id}.")
    _require_visible(db, doc_id)
    stored = _stored(row[0])
    return Stored(
        stored.id, stored.version, _readable(db, doc_id, stored.doc), stored.updated_at, stored.deleted_at
    )


def current_version(*, db: Database, doc_id: int) -> int:
    """The stored version number alone (no body read, no parse): enough to tell whether a document a
    caller already holds is still the current one. NotFoundError as `get` raises it."""
    row = db.execute("select version from documents where id = ? and deleted_at is null", [doc_id]).fetchone()
    if row is None:
        raise NotFoundError(f"No post-mortem with id {doc_id}.")
    _require_visible(db, doc_id)
    return row[0]


def find(*, db: Database, key: str | int, include_deleted: bool = False) -> Stored:
    """A post-mortem by its number or its incident ID (e.g. 3 or INC-2026-0042)."""
    text = str(key).strip()
    # An incident ID may itself be all digits (e.g. 20260042): a number only wins if it exists.
    if (
        text.isascii()
        and text.isdigit()
        and db.execute("select 1 from documents where id = ?", [int(text)]).fetchone()
    ):
        return get(db=db, doc_id=int(text), include_deleted=include_deleted)
    rows = db.execute_returning_dicts("select id from documents where incident_id = ?", [text])
    if not rows:
        raise NotFoundError(f"No post-mortem with id or incident ID {text!r}.")
    return get(db=db, doc_id=rows[0]["id"], include_deleted=include_deleted)


def save(
    *, db: Database, doc_id: int, doc: PostMortem, expected_version: int, by: str | None = None
) -> Stored:
    """Write a new version, refusing with ConflictError if the stored one is not `expected_version`."""
    return write_version(
        db=db,
        doc_id=doc_id,
        doc=doc,
        expected_version=expected_version,
        by=by,
        permission=Permission.EDIT,
        action="edit",
    )


def write_version(
    *,
    db: Database,
    doc_id: int,
    doc: PostMortem,
    expected_version: int,
    by: str | None,
    permission: Permission,
    action: str | None,
    detail: str = "",
) -> Stored:
    """The one way a body changes: checks `permission`, the version and the incident ID, writes the
    revision and projections, and (unless `action` is None: the caller records it) an audit row."""
    now, by = tx.now(), who(db, by)
    with write_transaction(db):
        row = db.execute(
            "select version, deleted_at, status from documents where id = ?", [doc_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"No post-mortem with id {doc_id}.")
        require(db, permission, doc_id)
        if (
            action and row[2] != doc.header.status.value
        ):  # a status change outside the workflow still needs its role
            require(db, permission_for_status(row[2], doc.header.status.value), doc_id)
        doc = _names_kept(db, doc_id, doc)
        body = _body(doc)
        if row[0] != expected_version:
            raise ConflictError(doc_id, expected_version, row[0], doc)
        clash = db.execute(
            "select id from documents where incident_id = ? and id != ?", [doc.header.incident_id, doc_id]
        ).fetchone()
        if clash:
            raise DuplicateError(f"Another post-mortem already uses incident ID {doc.header.incident_id}.")
        version = expected_version + 1
        # The row's own columns go through the projection's single UPDATE of the row.
        project(
            db,
            doc_id,
            body,
            row={
                "incident_id": doc.header.incident_id,
                "title": doc.header.title,
                "severity": doc.header.severity.value,
                "status": doc.header.status.value,
                "version": version,
                "body": body,
                "updated_at": now,
                "updated_by": by,
            },
        )
        _add_revision(db, doc_id, version, body, now, by)
        if action:
            record(db=db, doc_id=doc_id, version=version, action=action, by=by, detail=detail, at=now)
    return Stored(doc_id, version, _readable(db, doc_id, doc), now, row[1])


@dataclass(frozen=True)
class Listed:
    id: int
    incident_id: str
    title: str
    severity: str
    status: str
    version: int
    updated_at: str
    trigger: str
    novel: int
    closed_at: str | None
    deleted_at: str | None


def list_documents(*, db: Database, deleted: bool = False) -> list[Listed]:
    """Every post-mortem's list columns, newest change first; `deleted=True` lists the bin instead."""
    where = "deleted_at is not null" if deleted else "deleted_at is null"
    visible, params = visible_sql(db)
    rows = db.execute_returning_dicts(
        "select id, incident_id, title, severity, status, version, updated_at, trigger, novel, closed_at, deleted_at "
        f"from documents where {where} and {visible} order by updated_at desc",
        params,
    )
    return [Listed(**row) for row in rows]


def revisions(*, db: Database, doc_id: int) -> list[Revision]:
    """Every saved version of one post-mortem, newest first."""
    _require_visible(db, doc_id)
    rows = db.execute_returning_dicts(
        "select version, saved_at, saved_by, json_extract(body, '$.header.title') as title "
        "from revisions where doc_id = ? order by version desc",
        [doc_id],
    )
    if not rows:
        raise NotFoundError(f"No post-mortem with id {doc_id}.")
    return [Revision(**row) for row in rows]


def get_revision(*, db: Database, doc_id: int, version: int) -> PostMortem:
    _require_visible(db, doc_id)
    row = db.execute(
        "select body from revisions where doc_id = ? and version = ?", [doc_id, version]
    ).fetchone()
    if row is None:
        raise NotFoundError(f"Post-mortem {doc_id} has no version {version}.")
    return _readable(db, doc_id, PostMortem.model_validate_json(row[0]))


def restore_revision(
    *, db: Database, doc_id: int, version: int, expected_version: int, by: str | None = None
) -> Stored:
    """Make an earlier version current again, as a new version (history is never rewritten)."""
    old = get_revision(db=db, doc_id=doc_id, version=version)
    return write_version(
        db=db,
        doc_id=doc_id,
        doc=old,
        expected_version=expected_version,
        by=by,
        permission=Permission.EDIT,
        action="restore version",
        detail=f"version {version}",
    )


def _set_deleted(db: Database, doc_id: int, value: str | None, action: str) -> None:
    with write_transaction(db):
        row = db.execute("select version from documents where id = ?", [doc_id]).fetchone()
        if row is None:
            raise NotFoundError(f"No post-mortem with id {doc_id}.")
        require(db, Permission.EDIT, doc_id)
        db.execute("update documents set deleted_at = ? where id = ?", [value, doc_id])
        record(db=db, doc_id=doc_id, version=row[0], action=action, by=who(db, None))


def delete(*, db: Database, doc_id: int) -> None:
    """Move a post-mortem to the bin; nothing is erased and `undelete` brings it back."""
    _set_deleted(db, doc_id, tx.now(), "delete")


def undelete(*, db: Database, doc_id: int) -> None:
    _set_deleted(db, doc_id, None, "undelete")


def loads(text: str) -> PostMortem:
    """Parse a document from JSON text (raises pydantic.ValidationError or ValueError)."""
    json.loads(text)  # a plain JSON syntax error reads better than pydantic's
    return PostMortem.model_validate_json(text)


def next_incident_id(*, db: Database, year: int) -> str:
    """The next free ID of the form INC-YYYY-NNNN."""
    prefix = f"INC-{year}-"
    rows = db.execute("select incident_id from documents where incident_id like ?", [prefix + "%"]).fetchall()
    numbers = [int(r[0][len(prefix) :]) for r in rows if r[0][len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"
