"""Comment threads in storage, on real SQLite files: who may read and write them, edits that keep the
earlier wording, resolve and reopen, the anchor text kept when the field changes, the bin, search and
the incident commander's override of the open-threads gate."""

from __future__ import annotations

import pytest

import storage
from postmortem import comments as domain
from postmortem.comments import CommentError, Mention, Target, TargetKind
from storage import audit, comments, users
from storage.access import bind
from tests.conftest import build_postmortem


def as_(db, identity: str) -> storage.Database:
    conn = storage.connect(db.conn.execute("pragma database_list").fetchone()[2], actor=storage.LOCAL)
    return bind(conn, users.actor_for(db=conn, identity=identity))


@pytest.fixture
def team(db):
    """admin, ann (author, owns the document), rex (reviewer), vic (viewer)."""
    bind(db, users.sign_in(db=db, identity="admin@example.com"))
    for identity, role in (
        ("ann@example.com", "author"),
        ("rex@example.com", "reviewer"),
        ("vic@example.com", "viewer"),
    ):
        users.sign_in(db=db, identity=identity)
        users.set_role(db=db, identity=identity, role=role)
    ann = as_(db, "ann@example.com")
    doc_id = storage.create(db=ann, doc=build_postmortem()).id
    return db, doc_id


def summary_target(db, doc_id: int) -> Target:
    doc = storage.get(db=db, doc_id=doc_id).doc
    return next(t for t in domain.targets_for(doc, "summary", "Summary") if t.kind is TargetKind.FIELD)


def test_a_reviewer_comments_and_the_author_replies_edits_and_resolves(team):
    db, doc_id = team
    rex, ann = as_(db, "rex@example.com"), as_(db, "ann@example.com")
    thread = comments.start(
        db=rex,
        doc_id=doc_id,
        step="summary",
        target=summary_target(rex, doc_id),
        body="Is this from the pager or from chat?",
    )
    reply = comments.reply(db=ann, thread_id=thread, body="From the pagr.")
    comments.edit(db=ann, comment_id=reply, body="From the pager.")
    comments.resolve(db=ann, thread_id=thread)
    [found] = comments.threads(db=as_(db, "vic@example.com"), doc_id=doc_id)
    assert (found.status, found.closed_by) == ("resolved", "ann@example.com")
    assert [c.body for c in found.comments] == ["Is this from the pager or from chat?", "From the pager."]
    assert found.comments[1].earlier == ("From the pagr.",) and found.comments[1].edited_at
    comments.reopen(db=rex, thread_id=thread)
    assert comments.open_counts(db=ann, doc_id=doc_id) == {"summary": 1}


def test_a_viewer_reads_but_cannot_write_reply_resolve_or_edit(team):
    db, doc_id = team
    rex, vic = as_(db, "rex@example.com"), as_(db, "vic@example.com")
    thread = comments.start(
        db=rex, doc_id=doc_id, step="summary", target=summary_target(rex, doc_id), body="Why?"
    )
    before = list(db.query("select * from comments")), list(db.query("select * from comment_threads"))
    for attempt in (
        lambda: comments.start(
            db=vic, doc_id=doc_id, step="summary", target=summary_target(vic, doc_id), body="Me too"
        ),
        lambda: comments.reply(db=vic, thread_id=thread, body="Me too"),
        lambda: comments.resolve(db=vic, thread_id=thread),
    ):
        with pytest.raises(storage.PermissionDenied):
            attempt()
    assert (
        list(db.query("select * from comments")),
        list(db.query("select * from comment_threads")),
    ) == before
    assert len(comments.threads(db=vic, doc_id=doc_id)) == 1


def test_only_the_writer_edits_a_comment(team):
    db, doc_id = team
    rex, ann = as_(db, "rex@example.com"), as_(db, "ann@example.com")
    thread = comments.start(
        db=rex, doc_id=doc_id, step="summary", target=summary_target(rex, doc_id), body="Why?"
    )
    first = comments.threads(db=rex, doc_id=doc_id)[0].comments[0].id
    with pytest.raises(storage.PermissionDenied, match="Only the person who wrote"):
        comments.edit(db=ann, comment_id=first, body="Changed by someone else")
    with pytest.raises(CommentError, match="empty"):
        comments.reply(db=ann, thread_id=thread, body="   ")
    assert comments.threads(db=rex, doc_id=doc_id)[0].comments[0].body == "Why?"


def test_a_thread_keeps_the_text_and_version_it_was_made_on(team):
    db, doc_id = team
    ann, rex = as_(db, "ann@example.com"), as_(db, "rex@example.com")
    stored = storage.get(db=ann, doc_id=doc_id)
    old_summary = stored.doc.summary
    comments.start(
        db=rex, doc_id=doc_id, step="summary", target=summary_target(rex, doc_id), body="Which pager?"
    )
    storage.save(
        db=ann,
        doc_id=doc_id,
        doc=stored.doc.model_copy(update={"summary": "A different summary."}),
        expected_version=stored.version,
    )
    [thread] = comments.threads(db=rex, doc_id=doc_id)
    assert (thread.anchor_text, thread.anchor_version) == (old_summary[: domain.ANCHOR_CHARS], stored.version)
    now = storage.get(db=rex, doc_id=doc_id)
    assert domain.current_text(now.doc, "summary", thread.target) == "A different summary."


def test_threads_go_to_the_bin_with_their_document_and_come_back(team):
    db, doc_id = team
    rex = as_(db, "rex@example.com")
    comments.start(
        db=rex, doc_id=doc_id, step="summary", target=summary_target(rex, doc_id), body="pager timestamp?"
    )
    storage.delete(db=db, doc_id=doc_id)
    with pytest.raises(storage.NotFoundError):
        comments.threads(db=rex, doc_id=doc_id)
    assert comments.search(db=rex, query="pager") == []
    storage.undelete(db=db, doc_id=doc_id)
    assert [h.body for h in comments.search(db=rex, query="pager")] == ["pager timestamp?"]


def test_search_respects_restricted_documents(team):
    db, doc_id = team
    ann, rex, vic = (as_(db, f"{n}@example.com") for n in ("ann", "rex", "vic"))
    comments.start(
        db=rex, doc_id=doc_id, step="summary", target=summary_target(rex, doc_id), body="50% of what?"
    )
    assert len(comments.search(db=vic, query="50%")) == 1
    assert comments.search(db=vic, query="0_") == []  # LIKE wildcards are taken literally
    db.execute("update documents set restricted = 1 where id = ?", [doc_id])
    db.conn.commit()
    assert comments.search(db=vic, query="50%") == []
    assert len(comments.search(db=ann, query="50%")) == 1


def test_the_override_is_the_commanders_audited_and_covers_only_threads_open_then(team):
    db, doc_id = team
    ann, rex = as_(db, "ann@example.com"), as_(db, "rex@example.com")
    target = summary_target(rex, doc_id)
    comments.start(db=rex, doc_id=doc_id, step="summary", target=target, body="Open question one")
    assert comments.blocking_count(db=ann, doc_id=doc_id) == 1
    with pytest.raises(storage.PermissionDenied):
        comments.override(db=ann, doc_id=doc_id, reason="I want to ship it anyway")
    with pytest.raises(ValueError, match="Say why"):
        comments.override(db=rex, doc_id=doc_id, reason="ok")
    comments.override(db=rex, doc_id=doc_id, reason="Answered in the review meeting; notes follow.")
    assert comments.blocking_count(db=ann, doc_id=doc_id) == 0
    trail = audit.trail(db=db, doc_id=doc_id, actions=None)
    assert any(e.action == "open threads overridden" and "review meeting" in e.reason for e in trail)
    comments.start(db=rex, doc_id=doc_id, step="summary", target=target, body="A new question")
    assert comments.blocking_count(db=ann, doc_id=doc_id) == 1


def test_mentions_are_kept_and_listed_for_the_notify_run(team):
    db, doc_id = team
    rex = as_(db, "rex@example.com")
    found = domain.mentions_in(
        "@ann@example.com can you confirm? cc @incident-commander and @nobody",
        comments.known_identities(db=db),
        ["Incident Commander"],
    )
    assert found == [Mention("user", "ann@example.com"), Mention("role", "Incident Commander")]
    comments.start(
        db=rex,
        doc_id=doc_id,
        step="summary",
        target=summary_target(rex, doc_id),
        body="@ann@example.com can you confirm?",
        mentions=found,
    )
    assert [(m.kind, m.who) for m in comments.mentions(db=db)] == [
        ("user", "ann@example.com"),
        ("role", "Incident Commander"),
    ]
    with pytest.raises(storage.PermissionDenied):
        comments.mentions(db=rex)


def test_storage_refuses_final_with_open_threads_whoever_asks(team):
    from datetime import UTC, datetime

    from postmortem import review
    from postmortem.models import DocStatus, SignOff, SignOffRole

    db, doc_id = team
    rex = as_(db, "rex@example.com")
    comments.start(
        db=rex, doc_id=doc_id, step="summary", target=summary_target(rex, doc_id), body="Still open"
    )
    current = storage.get(db=rex, doc_id=doc_id)
    at = datetime(2026, 3, 10, tzinfo=UTC)
    final = current.doc.model_copy(
        update={
            "header": current.doc.header.model_copy(update={"status": DocStatus.FINAL}),
            "sign_offs": [SignOff(role=SignOffRole.INCIDENT_COMMANDER, name="Rex", signed_at=at)],
        }
    )
    with pytest.raises(review.TransitionError, match="1 open thread"):
        audit.save_status_change(
            db=rex, doc_id=doc_id, before=current.doc, after=final, expected_version=current.version
        )
    assert storage.get(db=rex, doc_id=doc_id).doc.header.status is current.doc.header.status
    comments.override(db=rex, doc_id=doc_id, reason="Asked and answered at the review meeting.")
    saved = audit.save_status_change(
        db=rex, doc_id=doc_id, before=current.doc, after=final, expected_version=current.version
    )
    assert saved.doc.header.status is DocStatus.FINAL
