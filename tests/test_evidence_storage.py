"""Attached files in the database: stored once by digest, named by revisions (never copied), kept
through the bin, carried by backups, and readable only by whoever may read their document."""

from __future__ import annotations

import sqlite3

import pytest

import storage
from bench.attachments import photo_like
from postmortem.evidence import AttachmentRefused, accept, room_for
from postmortem.models import AttachedTo, PostMortem
from storage import backup, blobs, users
from storage.access import bind
from storage.errors import NotFoundError, PermissionDenied
from tests import evidence_samples as samples


def attach(doc: PostMortem, kept, **fields) -> PostMortem:
    """The document with one more attachment pointing at `kept`'s blob."""
    return doc.model_copy(update={"attachments": [*doc.attachments, kept.attachment(**fields)]})


@pytest.fixture(scope="module")
def original() -> bytes:
    return photo_like(1, size=(320, 240))


@pytest.fixture
def graph(original):
    return accept(original, "latency.jpg")


@pytest.fixture
def stored(db, doc, graph):
    """A document at version 2 whose current version names `graph`."""
    created = storage.create(db=db, doc=doc)
    blobs.put(db=db, item=graph, doc_id=created.id)
    return storage.save(
        db=db, doc_id=created.id, doc=attach(doc, graph, alt="p99 latency"), expected_version=1
    )


def _blob_rows(db) -> int:
    return db.execute("select count(*) from blobs").fetchone()[0]


def test_a_blob_is_read_back_as_stored(db, stored, graph):
    blob = blobs.get(db=db, doc_id=stored.id, digest=graph.digest)
    assert (blob.data, blob.media_type) == (graph.data, "image/jpeg")


def test_a_gps_photo_reaches_storage_without_its_metadata(db, stored):
    photo = accept(samples.jpeg_with_gps(), "IMG_0001.jpg")
    blobs.put(db=db, item=photo, doc_id=stored.id)
    doc = attach(stored.doc, photo, alt="whiteboard")
    storage.save(db=db, doc_id=stored.id, doc=doc, expected_version=stored.version)
    data = blobs.get(db=db, doc_id=stored.id, digest=photo.digest).data
    assert b"Exif" not in data and b"PhoneCo" not in data


def test_the_same_bytes_are_stored_once(db, stored, graph, original):
    again = accept(original, "copy of latency.jpg")
    assert again.digest == graph.digest
    assert blobs.put(db=db, item=again, doc_id=stored.id) == graph.digest
    assert _blob_rows(db) == 1


def test_revisions_name_blobs_and_never_copy_them(db, stored, graph):
    bodies_before = db.execute("select sum(length(body)) from revisions").fetchone()[0]
    doc = stored.doc
    for version in range(stored.version, stored.version + 5):  # five more saves, caption edits
        first = doc.attachments[0].model_copy(update={"caption": f"Edit {version}"})
        doc = doc.model_copy(update={"attachments": [first]})
        storage.save(db=db, doc_id=stored.id, doc=doc, expected_version=version)
    assert _blob_rows(db) == 1
    growth = db.execute("select sum(length(body)) from revisions").fetchone()[0] - bodies_before
    body = len(doc.model_dump_json())
    assert graph.size > 2 * body  # so a copied blob could not hide in the margin below
    assert growth < 5 * (body + 200)
    assert blobs.referred(db=db, doc_id=stored.id) == {graph.digest}


def test_a_removed_attachment_stays_readable_through_history(db, stored, graph):
    removed = storage.save(
        db=db,
        doc_id=stored.id,
        doc=stored.doc.model_copy(update={"attachments": []}),
        expected_version=stored.version,
    )
    assert blobs.current(db=db, doc_id=stored.id) == set()
    assert blobs.document_bytes(db=db, doc_id=stored.id) == (0, 0)
    assert blobs.get(db=db, doc_id=stored.id, digest=graph.digest).data == graph.data  # version 2 names it
    assert blobs.unreferenced(db=db) == []
    storage.restore_revision(
        db=db, doc_id=stored.id, version=stored.version, expected_version=removed.version
    )
    assert blobs.current(db=db, doc_id=stored.id) == {graph.digest}


def test_size_per_document_counts_each_blob_once(db, stored, graph):
    pdf = accept(samples.pdf(), "runbook.pdf")
    blobs.put(db=db, item=pdf, doc_id=stored.id)
    doc = attach(attach(stored.doc, pdf), graph, target=AttachedTo.EVENT, target_id=stored.doc.timeline[0].id)
    storage.save(db=db, doc_id=stored.id, doc=doc, expected_version=stored.version)
    size, files = blobs.document_bytes(db=db, doc_id=stored.id)
    assert (size, files) == (graph.size + pdf.size, 2)
    room_for(size, files, [pdf])
    with pytest.raises(AttachmentRefused):
        room_for(size, 200, [pdf])


def test_the_bin_keeps_the_blobs_and_restoring_brings_them_back(db, stored, graph):
    storage.delete(db=db, doc_id=stored.id)
    with pytest.raises(NotFoundError):
        blobs.get(db=db, doc_id=stored.id, digest=graph.digest)
    assert blobs.get(db=db, doc_id=stored.id, digest=graph.digest, include_deleted=True).data == graph.data
    assert blobs.unreferenced(db=db) == []  # nothing a clean-up could take while it sits in the bin
    storage.undelete(db=db, doc_id=stored.id)
    assert blobs.get(db=db, doc_id=stored.id, digest=graph.digest).data == graph.data


def test_a_blob_is_reachable_only_through_a_document_that_names_it(db, stored, doc, graph):
    other = storage.create(
        db=db,
        doc=doc.model_copy(update={"header": doc.header.model_copy(update={"incident_id": "INC-OTHER"})}),
    )
    with pytest.raises(NotFoundError, match="no attachment"):
        blobs.get(db=db, doc_id=other.id, digest=graph.digest)
    with pytest.raises(NotFoundError):
        blobs.get(db=db, doc_id=9999, digest=graph.digest)


def test_an_upload_never_saved_is_unreferenced(db, stored):
    orphan = accept(b"one log line\n", "orphan.log")
    blobs.put(db=db, item=orphan, doc_id=stored.id)
    assert blobs.unreferenced(db=db) == [orphan.digest]


def test_a_tampered_item_is_not_stored(db, stored, graph):
    forged = type(graph)(b"other bytes", graph.digest, graph.media_type, graph.name)
    with pytest.raises(ValueError, match="digest"):
        blobs.put(db=db, item=forged, doc_id=stored.id)
    assert _blob_rows(db) == 1


def test_backup_and_restore_carry_the_blobs(tmp_path, db_path, db, stored, graph):
    copy = backup.backup(db, tmp_path / "copy.db")
    assert "m014_blobs" in backup.verify(copy).migrations
    target = tmp_path / "restored.db"
    backup.restore(copy, target)
    restored = storage.connect(target, actor=storage.LOCAL)
    try:
        assert blobs.get(db=restored, doc_id=stored.id, digest=graph.digest).data == graph.data
        assert storage.get(db=restored, doc_id=stored.id).doc.attachments == stored.doc.attachments
    finally:
        restored.close()


def _as(db, identity: str):
    conn = storage.connect(db.conn.execute("pragma database_list").fetchone()[2], actor=storage.LOCAL)
    return bind(conn, users.actor_for(db=conn, identity=identity))


@pytest.fixture
def restricted(db, doc, graph):
    """ann's restricted document with an image; vic (viewer) and bob (author) are not on it."""
    bind(db, users.sign_in(db=db, identity="admin@example.com"))
    for identity, role in (
        ("ann@example.com", "author"),
        ("bob@example.com", "author"),
        ("vic@example.com", "viewer"),
    ):
        users.sign_in(db=db, identity=identity)
        users.set_role(db=db, identity=identity, role=role)
    ann = _as(db, "ann@example.com")
    created = storage.create(db=ann, doc=doc)
    blobs.put(db=ann, item=graph, doc_id=created.id)
    saved = storage.save(db=ann, doc_id=created.id, doc=attach(doc, graph), expected_version=1)
    db.execute("update documents set restricted = 1 where id = ?", [saved.id])
    db.conn.commit()
    return saved.id


def test_who_may_not_read_the_document_may_not_read_its_blobs(db, restricted, graph):
    vic, bob, ann = (_as(db, f"{who}@example.com") for who in ("vic", "bob", "ann"))
    try:
        for outsider in (vic, bob):
            with pytest.raises(NotFoundError):
                blobs.get(db=outsider, doc_id=restricted, digest=graph.digest)
            with pytest.raises(NotFoundError):
                blobs.referred(db=outsider, doc_id=restricted)
        assert blobs.get(db=ann, doc_id=restricted, digest=graph.digest).data == graph.data
    finally:
        for conn in (vic, bob, ann):
            conn.close()


def test_only_who_may_change_the_document_may_store_blobs_for_it(db, restricted):
    vic, bob = _as(db, "vic@example.com"), _as(db, "bob@example.com")
    log = accept(b"a line\n", "x.log")
    try:
        for outsider in (vic, bob):
            with pytest.raises(PermissionDenied):
                blobs.put(db=outsider, item=log, doc_id=restricted)
        with pytest.raises(PermissionDenied):
            blobs.unreferenced(db=bob)
    finally:
        vic.close()
        bob.close()
    assert _blob_rows(db) == 1


def test_the_blobs_table_refuses_a_row_without_bytes(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into blobs (digest, media_type, size, data) values ('x', 'text/plain', 0, null)")
