"""Attached files as content-addressed blobs in the same database: stored once per digest, named by
the documents' attachments, never deleted while a revision refers to them (the bin included).

Reading a blob goes through the document that refers to it: whoever may read the document may read
its blobs, and nobody else learns a blob exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from postmortem.evidence import Accepted, digest_of
from storage import tx
from storage.access import Permission, allowed, require, who
from storage.errors import NotFoundError
from storage.tx import write_transaction

# Every digest any version of one document names; revisions hold the bodies, so the history counts.
_REFERRED = (
    "select distinct json_extract(a.value, '$.digest') from revisions r, "
    "json_each(r.body, '$.attachments') a where r.doc_id = ?"
)
_CURRENT = (
    "select json_extract(a.value, '$.digest') from documents d, "
    "json_each(d.body, '$.attachments') a where d.id = ?"
)


@dataclass(frozen=True)
class Blob:
    digest: str
    media_type: str
    data: bytes


def put(*, db: Database, item: Accepted, doc_id: int | None = None) -> str:
    """Store a checked file (once: the same bytes again store nothing) and return its digest.
    With `doc_id`, the actor must be allowed to change that document; without, to start one."""
    require(db, Permission.EDIT, doc_id)
    if digest_of(item.data) != item.digest:
        raise ValueError("The file's digest does not match its bytes; it was not stored.")
    with write_transaction(db):
        db.execute(
            "insert or ignore into blobs (digest, media_type, size, data, stored_at, stored_by) "
            "values (?, ?, ?, ?, ?, ?)",
            [
                item.digest,
                item.media_type.value,
                item.size,
                item.data,
                tx.now(),
                who(db, None),
            ],
        )
    return item.digest


def _visible_document(db: Database, doc_id: int, include_deleted: bool) -> None:
    row = db.execute("select deleted_at from documents where id = ?", [doc_id]).fetchone()
    if row is None or (row[0] and not include_deleted) or not allowed(db, Permission.VIEW, doc_id):
        raise NotFoundError(f"No post-mortem with id {doc_id}.")


def get(*, db: Database, doc_id: int, digest: str, include_deleted: bool = False) -> Blob:
    """A blob the document (any of its versions) refers to, if the actor may read the document."""
    _visible_document(db, doc_id, include_deleted)
    # The current version answers most asks without reading the history's bodies.
    if digest not in _digests(db, _CURRENT, doc_id) and digest not in _digests(db, _REFERRED, doc_id):
        raise NotFoundError(f"Post-mortem {doc_id} has no attachment {digest[:12]}.")
    row = db.execute("select media_type, data from blobs where digest = ?", [digest]).fetchone()
    if row is None:
        raise NotFoundError(f"The attachment {digest[:12]} is missing from the database.")
    return Blob(digest, row[0], row[1])


def _digests(db: Database, query: str, doc_id: int) -> set[str]:
    return {row[0] for row in db.execute(query, [doc_id]) if row[0]}


def referred(*, db: Database, doc_id: int) -> set[str]:
    """The digests every version of the document names (what its history keeps)."""
    _visible_document(db, doc_id, include_deleted=True)
    return _digests(db, _REFERRED, doc_id)


def current(*, db: Database, doc_id: int) -> set[str]:
    """The digests the document's current version names."""
    _visible_document(db, doc_id, include_deleted=True)
    return _digests(db, _CURRENT, doc_id)


def document_bytes(*, db: Database, doc_id: int) -> tuple[int, int]:
    """(bytes, files) the current version's attachments take, each blob counted once: what the
    per-document limit (postmortem.evidence.room_for) is checked against."""
    digests = current(db=db, doc_id=doc_id)
    if not digests:
        return 0, 0
    marks = ", ".join("?" for _ in digests)
    size = db.execute(
        f"select coalesce(sum(size), 0) from blobs where digest in ({marks})", list(digests)
    ).fetchone()[0]
    return size, len(digests)


def unreferenced(*, db: Database) -> list[str]:
    """Blobs no version of any document names (an upload whose save never came), for an admin's clean-up."""
    require(db, Permission.ADMIN)
    return [
        row[0]
        for row in db.execute(
            "select digest from blobs where digest not in (select json_extract(a.value, '$.digest') "
            "from revisions r, json_each(r.body, '$.attachments') a where json_extract(a.value, '$.digest') is not null)"
        )
    ]
