"""Roles enforced in storage, whatever page or command asks: viewers never write, authors edit only
their own and shared documents, restricted documents and names stay with those allowed, and the audit
trail only grows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

import storage
from postmortem import review
from postmortem.models import DocStatus, SignOff, SignOffRole
from storage import audit, users
from storage.access import LOCAL, Actor, Permission, Role, allowed, bind, visible_sql
from tests.conftest import build_postmortem

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def as_(db, identity: str) -> storage.Database:
    """A second connection to the same file acting for `identity` (the admin made the users)."""
    conn = storage.connect(db.conn.execute("pragma database_list").fetchone()[2], actor=storage.LOCAL)
    return bind(conn, users.actor_for(db=conn, identity=identity))


@pytest.fixture
def team(db):
    """admin, ann (author), rex (reviewer), vic (viewer), and ann's document."""
    admin = users.sign_in(db=db, identity="admin@example.com")
    bind(db, admin)
    for identity, role in (
        ("ann@example.com", "author"),
        ("bob@example.com", "author"),
        ("rex@example.com", "reviewer"),
        ("vic@example.com", "viewer"),
    ):
        users.sign_in(db=db, identity=identity)
        users.set_role(db=db, identity=identity, role=role)
    ann = as_(db, "ann@example.com")
    doc_id = storage.create(db=ann, doc=build_postmortem()).id
    return db, doc_id


def snapshot(db) -> tuple:
    """Everything a write could change, to prove a refused one changed nothing."""
    return tuple(
        list(db.query(f"select * from {table} order by 1"))
        for table in ("documents", "revisions", "audit", "users", "shares", "action_items")
    )


def test_the_first_user_is_admin_and_the_next_ones_get_the_default_role(db):
    assert users.sign_in(db=db, identity="First@Example.com").role is Role.ADMIN
    assert users.sign_in(db=db, identity="second@example.com").role is Role.VIEWER
    assert users.sign_in(db=db, identity="third@example.com", default_role="author").role is Role.AUTHOR
    assert users.sign_in(db=db, identity="boss@example.com", admins=("boss@example.com",)).role is Role.ADMIN
    assert users.sign_in(db=db, identity="first@example.com").identity == "first@example.com"


def test_an_unbound_connection_is_the_local_admin(db, doc):
    assert storage.access.actor_of(db) == LOCAL
    stored = storage.create(db=db, doc=doc)
    assert storage.get(db=db, doc_id=stored.id).doc == doc


def _with_status(doc, status):
    return doc.model_copy(update={"header": doc.header.model_copy(update={"status": status})})


def _signed(doc):
    """What review.transition makes of a document whose gates pass: final, with the commander's sign-off."""
    sign_off = SignOff(role=SignOffRole.INCIDENT_COMMANDER, name="Dana Example", signed_at=NOW)
    return _with_status(doc, DocStatus.FINAL).model_copy(update={"sign_offs": [*doc.sign_offs, sign_off]})


def _viewer_writes(db, doc_id):
    doc = storage.get(db=db, doc_id=doc_id).doc
    in_review = review.transition(doc, DocStatus.IN_REVIEW, at=NOW)
    return {
        "create": lambda: storage.create(db=db, doc=build_postmortem("INC-2026-0099")),
        "save": lambda: storage.save(db=db, doc_id=doc_id, doc=doc, expected_version=1),
        "delete": lambda: storage.delete(db=db, doc_id=doc_id),
        "undelete": lambda: storage.undelete(db=db, doc_id=doc_id),
        "restore": lambda: storage.restore_revision(db=db, doc_id=doc_id, version=1, expected_version=1),
        "status": lambda: audit.save_status_change(
            db=db, doc_id=doc_id, before=doc, after=in_review, expected_version=1
        ),
        "sign-off": lambda: audit.save_status_change(
            db=db,
            doc_id=doc_id,
            before=in_review,
            after=_with_status(in_review, DocStatus.FINAL),
            expected_version=1,
        ),
        "share": lambda: users.share(db=db, doc_id=doc_id, identity="vic@example.com"),
        "restrict": lambda: users.set_restricted(db=db, doc_id=doc_id, restricted=True),
        "role": lambda: users.set_role(db=db, identity="vic@example.com", role="admin"),
        "disable": lambda: users.set_disabled(db=db, identity="ann@example.com", disabled=True),
        "whole trail": lambda: audit.whole_trail(db=db),
    }


VIEWER_WRITES = [
    "create",
    "save",
    "delete",
    "undelete",
    "restore",
    "status",
    "sign-off",
    "share",
    "restrict",
    "role",
    "disable",
    "whole trail",
]


@pytest.mark.parametrize("write", VIEWER_WRITES)
def test_a_viewer_can_write_nothing(team, write):
    db, doc_id = team
    vic = as_(db, "vic@example.com")
    before = snapshot(db)
    with pytest.raises(storage.PermissionDenied):
        _viewer_writes(vic, doc_id)[write]()
    assert snapshot(db) == before


def test_a_viewer_reads_a_plain_document(team):
    db, doc_id = team
    vic = as_(db, "vic@example.com")
    assert storage.get(db=vic, doc_id=doc_id).doc.header.title
    assert [r.id for r in storage.list_documents(db=vic)] == [doc_id]
    assert not allowed(vic, Permission.EDIT, doc_id)


def test_an_author_edits_their_own_and_shared_documents_only(team):
    db, doc_id = team
    bob, ann = as_(db, "bob@example.com"), as_(db, "ann@example.com")
    doc = storage.get(db=bob, doc_id=doc_id).doc
    renamed = doc.model_copy(update={"summary": "Bob's rewrite"})
    before = snapshot(db)
    with pytest.raises(storage.PermissionDenied):
        storage.save(db=bob, doc_id=doc_id, doc=renamed, expected_version=1)
    with pytest.raises(storage.PermissionDenied):
        storage.delete(db=bob, doc_id=doc_id)
    assert snapshot(db) == before
    assert storage.save(db=ann, doc_id=doc_id, doc=renamed, expected_version=1).version == 2
    users.share(db=db, doc_id=doc_id, identity="bob@example.com")
    assert storage.save(db=bob, doc_id=doc_id, doc=doc, expected_version=2).version == 3
    users.unshare(db=db, doc_id=doc_id, identity="bob@example.com")
    with pytest.raises(storage.PermissionDenied):
        storage.save(db=bob, doc_id=doc_id, doc=renamed, expected_version=3)


def test_only_a_reviewer_or_admin_signs_off(team):
    db, doc_id = team
    ann, rex = as_(db, "ann@example.com"), as_(db, "rex@example.com")
    doc = storage.get(db=ann, doc_id=doc_id).doc
    in_review = review.transition(doc, DocStatus.IN_REVIEW, at=NOW)
    saved = audit.save_status_change(db=ann, doc_id=doc_id, before=doc, after=in_review, expected_version=1)
    final = _signed(in_review)
    with pytest.raises(storage.PermissionDenied):
        audit.save_status_change(
            db=ann, doc_id=doc_id, before=in_review, after=final, expected_version=saved.version
        )
    signed = audit.save_status_change(
        db=rex, doc_id=doc_id, before=in_review, after=final, expected_version=saved.version
    )
    assert signed.doc.header.status is DocStatus.FINAL
    rows = [(e.action, e.by) for e in audit.trail(db=db, doc_id=doc_id)]
    assert rows == [
        ("status", "ann@example.com"),
        ("status", "rex@example.com"),
        ("sign-off", "rex@example.com"),
    ]


def test_a_reviewer_cannot_sneak_a_content_edit_into_a_sign_off(team):
    db, doc_id = team
    ann, rex = as_(db, "ann@example.com"), as_(db, "rex@example.com")
    doc = storage.get(db=ann, doc_id=doc_id).doc
    in_review = review.transition(doc, DocStatus.IN_REVIEW, at=NOW)
    saved = audit.save_status_change(db=ann, doc_id=doc_id, before=doc, after=in_review, expected_version=1)
    final = _signed(in_review)
    with pytest.raises(storage.PermissionDenied):
        audit.save_status_change(
            db=rex,
            doc_id=doc_id,
            before=in_review,
            after=final.model_copy(update={"summary": "rewritten"}),
            expected_version=saved.version,
        )
    assert storage.get(db=db, doc_id=doc_id).version == saved.version


def test_restricted_documents_are_invisible_to_those_not_allowed(team):
    db, doc_id = team
    users.set_restricted(db=db, doc_id=doc_id, restricted=True)
    for identity in ("vic@example.com", "bob@example.com"):
        conn = as_(db, identity)
        with pytest.raises(storage.NotFoundError):
            storage.get(db=conn, doc_id=doc_id)
        with pytest.raises(storage.NotFoundError):
            storage.find(db=conn, key="INC-2026-0001")
        with pytest.raises(storage.NotFoundError):
            storage.revisions(db=conn, doc_id=doc_id)
        with pytest.raises(storage.NotFoundError):  # not even its version number
            storage.current_version(db=conn, doc_id=doc_id)
        assert storage.list_documents(db=conn) == []
        where, params = visible_sql(conn)
        assert conn.execute(f"select count(*) from documents where {where}", params).fetchone()[0] == 0
    for identity in ("ann@example.com", "rex@example.com"):  # the owner and a reviewer
        conn = as_(db, identity)
        assert storage.get(db=conn, doc_id=doc_id).id == doc_id
        assert storage.current_version(db=conn, doc_id=doc_id) == storage.get(db=conn, doc_id=doc_id).version
        assert [r.id for r in storage.list_documents(db=conn)] == [doc_id]
    users.share(db=db, doc_id=doc_id, identity="vic@example.com")
    assert storage.get(db=as_(db, "vic@example.com"), doc_id=doc_id).id == doc_id


def test_names_are_stripped_for_those_who_may_not_see_them_and_kept_on_their_saves(team):
    db, doc_id = team
    users.share(db=db, doc_id=doc_id, identity="bob@example.com")
    full = storage.get(db=as_(db, "rex@example.com"), doc_id=doc_id).doc
    assert full.contacts and storage.get(db=as_(db, "ann@example.com"), doc_id=doc_id).doc.contacts
    for identity in ("vic@example.com", "bob@example.com"):
        seen = storage.get(db=as_(db, identity), doc_id=doc_id).doc
        assert seen.contacts == [] and seen.header.internal_names == []
        assert storage.get_revision(db=as_(db, identity), doc_id=doc_id, version=1).contacts == []
    bob = as_(db, "bob@example.com")
    seen = storage.get(db=bob, doc_id=doc_id).doc
    storage.save(
        db=bob, doc_id=doc_id, doc=seen.model_copy(update={"summary": "Shorter."}), expected_version=1
    )
    after = storage.get(db=db, doc_id=doc_id).doc
    assert after.summary == "Shorter." and after.contacts == full.contacts


def test_the_regulator_export_needs_names(team):
    db, doc_id = team
    vic = as_(db, "vic@example.com")
    assert not audit.may_export(db=vic, doc_id=doc_id, audience="regulator")
    assert audit.may_export(db=vic, doc_id=doc_id, audience="team")
    with pytest.raises(storage.PermissionDenied):
        audit.record_export(db=vic, doc_id=doc_id, version=1, audience="regulator", fmt="md")
    audit.record_export(
        db=as_(db, "rex@example.com"), doc_id=doc_id, version=1, audience="regulator", fmt="docx"
    )
    audit.record_export(db=vic, doc_id=doc_id, version=1, audience="team", fmt="md")  # not restricted: no row
    exports = [(e.by, e.detail) for e in audit.whole_trail(db=db, action="export")]
    assert exports == [("rex@example.com", "regulator · docx")]


def test_every_change_is_in_the_trail_with_who_and_what(team):
    db, doc_id = team
    ann = as_(db, "ann@example.com")
    doc = storage.get(db=ann, doc_id=doc_id).doc
    storage.save(db=ann, doc_id=doc_id, doc=doc.model_copy(update={"summary": "x"}), expected_version=1)
    storage.restore_revision(db=ann, doc_id=doc_id, version=1, expected_version=2)
    storage.delete(db=ann, doc_id=doc_id)
    storage.undelete(db=ann, doc_id=doc_id)
    users.share(db=db, doc_id=doc_id, identity="bob@example.com")
    users.set_restricted(db=db, doc_id=doc_id, restricted=True)
    rows = [(e.action, e.version, e.by) for e in audit.trail(db=db, doc_id=doc_id, actions=None)]
    assert rows == [
        ("create", 1, "ann@example.com"),
        ("edit", 2, "ann@example.com"),
        ("restore version", 3, "ann@example.com"),
        ("delete", 3, "ann@example.com"),
        ("undelete", 3, "ann@example.com"),
        ("share", 3, "admin@example.com"),
        ("restricted", 3, "admin@example.com"),
    ]
    roles = [e.detail for e in audit.whole_trail(db=db, action="role")]
    assert "vic@example.com: viewer → viewer" in roles and "ann@example.com: viewer → author" in roles


@pytest.mark.parametrize("statement", ["update audit set by = 'someone else'", "delete from audit"])
def test_the_audit_trail_refuses_update_and_delete(team, statement):
    db, _ = team
    before = list(db.query("select * from audit"))
    assert before
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(statement)
    assert list(db.query("select * from audit")) == before


def test_the_last_admin_cannot_be_demoted_or_disabled(team):
    db, _ = team
    with pytest.raises(ValueError, match="last admin"):
        users.set_role(db=db, identity="admin@example.com", role="viewer")
    with pytest.raises(ValueError, match="last admin"):
        users.set_disabled(db=db, identity="admin@example.com", disabled=True)
    users.set_role(db=db, identity="rex@example.com", role="admin")
    users.set_role(db=db, identity="admin@example.com", role="viewer")


def test_a_disabled_user_cannot_sign_in(team):
    db, _ = team
    users.set_disabled(db=db, identity="vic@example.com", disabled=True)
    with pytest.raises(users.DisabledUser):
        users.sign_in(db=db, identity="vic@example.com")
    users.set_disabled(db=db, identity="vic@example.com", disabled=False)
    assert users.sign_in(db=db, identity="vic@example.com").role is Role.VIEWER


def test_a_role_change_applies_to_the_next_connection(team):
    db, doc_id = team
    users.set_role(db=db, identity="vic@example.com", role="author")
    users.share(db=db, doc_id=doc_id, identity="vic@example.com")
    vic = as_(db, "vic@example.com")
    assert isinstance(storage.access.actor_of(vic), Actor) and allowed(vic, Permission.EDIT, doc_id)


def test_a_reviewer_records_the_allspaw_answer_on_any_visible_document_but_nothing_else(team):
    db, doc_id = team
    rex = as_(db, "rex@example.com")
    doc = storage.get(db=rex, doc_id=doc_id).doc
    answered = review.record_allspaw(doc, role="on-call engineer", fair=True, comment="", by="rex", at=NOW)
    with pytest.raises(storage.PermissionDenied):
        audit.save_allspaw(
            db=rex, doc_id=doc_id, doc=answered.model_copy(update={"summary": "x"}), expected_version=1
        )
    saved = audit.save_allspaw(db=rex, doc_id=doc_id, doc=answered, expected_version=1)
    assert saved.doc.allspaw.fair and saved.doc.summary == doc.summary
    assert [(e.action, e.detail) for e in audit.trail(db=db, doc_id=doc_id)] == [
        ("allspaw", "on-call engineer: yes")
    ]
    with pytest.raises(storage.PermissionDenied):
        audit.save_allspaw(db=as_(db, "vic@example.com"), doc_id=doc_id, doc=answered, expected_version=2)


@pytest.mark.parametrize("identity", ["ann@example.com", "rex@example.com", "vic@example.com"])
def test_only_an_admin_connection_takes_a_backup(team, identity):
    from storage import backup

    db, _ = team
    with pytest.raises(storage.PermissionDenied):
        backup.to_bytes(as_(db, identity))
    assert backup.to_bytes(db).startswith(b"SQLite format 3")
