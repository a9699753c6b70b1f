"""Markdown post-mortems imported with the files beside them (a folder or a zip): each document and
the pictures attached to it are stored in one transaction, so a document that cannot be created
leaves no blob behind.

`import_markdown_bundle` is the one call for a command line: uploads in, created drafts out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from postmortem.evidence import Accepted
from postmortem.mdimport import with_incident_id
from postmortem.mdimport.bundle import gather
from postmortem.mdimport.with_files import WithFiles, import_with_files
from postmortem.models import PostMortem
from storage import blobs
from storage.documents import Stored, create_imported, find, next_incident_id
from storage.errors import NotFoundError, PermissionDenied
from storage.tx import write_transaction


@dataclass(frozen=True)
class Imported:
    path: str  # the Markdown file's path in the folder or zip
    stored: Stored | None  # None when it was not created
    pictures: list[str]  # one line per picture: attached, missing or refused
    error: str = ""


def create_with_files(
    *, db: Database, doc: PostMortem, files: Sequence[Accepted], source: str, by: str | None = None
) -> Stored:
    """Store `files` and the imported draft whose attachments name them, all or nothing."""
    with write_transaction(db):
        for item in files:
            blobs.put(db=db, item=item)
        return create_imported(db=db, doc=doc, source=source, by=by)


def free_incident_id(*, db: Database, written: str) -> str:
    """The ID written in the document when no post-mortem has it yet, else the next free one."""
    if written:
        try:
            find(db=db, key=written, include_deleted=True)
        except NotFoundError:
            return written
    return next_incident_id(db=db, year=datetime.now(UTC).year)


def _store(db: Database, one: WithFiles, source: str, by: str | None) -> Imported:
    if one.result is None:
        return Imported(one.path, None, [], one.error)
    try:
        doc = with_incident_id(one.result.doc, free_incident_id(db=db, written=one.result.source_incident_id))
        stored = create_with_files(db=db, doc=doc, files=one.files, source=f"{source} {one.path}", by=by)
    except (ValueError, PermissionDenied) as error:  # a taken ID, a role that may not create: as said
        return Imported(one.path, None, one.pictures, str(error))
    return Imported(one.path, stored, one.pictures)


def import_markdown_bundle(
    *,
    db: Database,
    uploads: Iterable[tuple[str, bytes]],
    tz: str = "UTC",
    source: str = "Markdown folder",
    by: str | None = None,
) -> tuple[list[Imported], list[str]]:
    """Every Markdown file among `uploads` (name, bytes: a folder's files named by their path in it,
    or zip files) as a draft with the pictures it shows from the files beside it attached. Returns
    one outcome per Markdown file, and the lines on what was left out of the upload itself."""
    bundle = gather(uploads)
    outcomes = [
        _store(db, import_with_files(path, data, bundle.files, tz), source, by)
        for path, data in bundle.documents
    ]
    return outcomes, bundle.problems
