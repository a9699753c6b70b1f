"""The comments panel and the open-threads gate through AppTest, signed in behind a proxy: a reviewer
starts a thread with a mention, the author replies and resolves it, a viewer only reads, the sidebar
counts open threads, and Final waits for the threads or the incident commander's written override."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import storage
from components import auth, icons
from postmortem import review
from postmortem.comments import Target, TargetKind
from postmortem.models import DocStatus
from storage import audit, comments, users
from storage.access import LOCAL, bind
from tests.apptest_helpers import APP, _modern_pages_only, sidebar_links
from tests.conftest import build_postmortem


@pytest.fixture
def doc_id(db_path: Path) -> int:
    """admin, ann (author, owner), rex (reviewer), vic (viewer), and ann's post-mortem, in review."""
    db = storage.connect(db_path, actor=storage.LOCAL)
    users.sign_in(db=db, identity="admin@example.com")
    bind(db, users.actor_for(db=db, identity="admin@example.com"))
    for identity, role in (
        ("ann@example.com", "author"),
        ("rex@example.com", "reviewer"),
        ("vic@example.com", "viewer"),
    ):
        users.sign_in(db=db, identity=identity)
        users.set_role(db=db, identity=identity, role=role)
    ann = storage.connect(db_path, actor=users.actor_for(db=db, identity="ann@example.com"))
    return storage.create(db=ann, doc=build_postmortem()).id


def app_as(
    identity: str, db_path: Path, monkeypatch, doc_id: int, page: str = "pages/02_summary.py"
) -> AppTest:
    monkeypatch.setenv("DEBRIEF_AUTH", "proxy")
    monkeypatch.setattr(auth, "request_headers", lambda: {"X-Forwarded-User": identity})
    monkeypatch.setattr(auth, "server_address", lambda: "127.0.0.1")
    monkeypatch.setattr(auth, "client_ip", lambda: None)
    _modern_pages_only(monkeypatch)
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["doc"] = str(doc_id)
    at.run()
    return at.switch_page(page).run()


def button(at: AppTest, label: str, nth: int = 0):
    return [b for b in at.button if b.label == label][nth]


def start_a_thread(at: AppTest) -> AppTest:
    """The new-thread form is folded until asked for (components/disclosure.py)."""
    return button(at, "Start a thread").click().run()


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_reviewer_comments_with_a_mention_and_the_author_replies_and_resolves(db_path, monkeypatch, doc_id):
    at = app_as("rex@example.com", db_path, monkeypatch, doc_id)
    assert not at.exception
    new = f"cm:{doc_id}:summary:new"
    assert not [s for s in at.selectbox if s.key == f"{new}:target"]  # folded: its pickers not sent
    start_a_thread(at)
    at.selectbox(key=f"{new}:target").set_value("field:summary")
    at.text_area(key=f"{new}:text").set_value("Is the 1,200 from the pager or from chat?")
    at.multiselect(key=f"{new}:mentions").set_value(["@ann@example.com"])
    button(at, "Post the comment").click().run()
    assert not at.exception and any("Comment posted" in s.value for s in at.success)
    assert "Start a thread" in [b.label for b in at.button]  # posted: the form folds again
    [thread] = comments.threads(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id)
    assert [(m.kind, m.who) for m in thread.comments[0].mentions] == [("user", "ann@example.com")]
    assert "Is the 1,200 from the pager or from chat?" in markdown(at)
    assert "2. Summary · 1 open thread" in [link.title for link in sidebar_links(at)]

    at = app_as("ann@example.com", db_path, monkeypatch, doc_id)
    reply = f"cm:{doc_id}:summary:{thread.id}:reply"
    at.text_area(key=f"{reply}:text").set_value("From the pager export.")
    button(at, "Reply").click().run()
    button(at, "Resolve").click().run()
    assert not at.exception
    [thread] = comments.threads(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id)
    assert (thread.status, [c.body for c in thread.comments][-1]) == ("resolved", "From the pager export.")
    assert "Reopen" in [b.label for b in at.button]


def test_a_viewer_reads_threads_without_any_way_to_write(db_path, monkeypatch, doc_id):
    rex = bind(
        storage.connect(db_path, actor=storage.LOCAL),
        users.actor_for(db=storage.connect(db_path, actor=storage.LOCAL), identity="rex@example.com"),
    )
    from postmortem.comments import Target, TargetKind

    comments.start(
        db=rex,
        doc_id=doc_id,
        step="summary",
        target=Target(TargetKind.SECTION, "summary", "Whole step"),
        body="Who saw the first alert?",
    )
    at = app_as("vic@example.com", db_path, monkeypatch, doc_id)
    assert not at.exception
    assert "Who saw the first alert?" in markdown(at)
    assert "your role cannot write them" in "\n".join(c.value for c in at.caption)
    assert not {"Reply", "Resolve", "Post the comment", "Start a thread"} & {b.label for b in at.button}


def test_language_hints_on_a_comment_are_suggestions_and_never_block(db_path, monkeypatch, doc_id):
    at = start_a_thread(app_as("rex@example.com", db_path, monkeypatch, doc_id))
    new = f"cm:{doc_id}:summary:new"
    at.text_area(key=f"{new}:text").set_value("The engineer should have known better and failed to check.")
    button(at, "Post the comment").click().run()
    assert any("Comment posted" in s.value for s in at.success)
    assert any("Suggestion, not required" in c.value for c in at.caption)


def in_review(db_path: Path, doc_id: int) -> None:
    ann = bind(
        storage.connect(db_path, actor=storage.LOCAL),
        users.actor_for(db=storage.connect(db_path, actor=storage.LOCAL), identity="ann@example.com"),
    )
    current = storage.get(db=ann, doc_id=doc_id)
    after = review.transition(current.doc, DocStatus.IN_REVIEW, at=datetime.now(UTC))
    audit.save_status_change(
        db=ann, doc_id=doc_id, before=current.doc, after=after, expected_version=current.version
    )


def test_open_threads_block_final_until_the_commander_overrides_with_a_reason(db_path, monkeypatch, doc_id):
    in_review(db_path, doc_id)
    rex = bind(
        storage.connect(db_path, actor=storage.LOCAL),
        users.actor_for(db=storage.connect(db_path, actor=storage.LOCAL), identity="rex@example.com"),
    )
    from postmortem.comments import Target, TargetKind

    comments.start(
        db=rex,
        doc_id=doc_id,
        step="summary",
        target=Target(TargetKind.SECTION, "summary", "Whole step"),
        body="Open question",
    )
    at = app_as("rex@example.com", db_path, monkeypatch, doc_id, page="pages/12_review.py")
    assert not at.exception
    assert "No open comment threads" in _blocked(at) and "1 open thread" in _blocked(at)
    at.text_input(key=f"status:{doc_id}:signer").set_value("Rex Commander")
    button(at, "Mark final (incident commander signs off)").click().run()
    assert any("open thread" in e.value for e in at.error)
    assert (
        storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id).doc.header.status
        is DocStatus.IN_REVIEW
    )
    key = f"threads-override:{doc_id}"
    at.text_area(key=f"{key}:reason").set_value("short")
    button(at, "Record the override").click().run()
    assert any("Say why" in e.value for e in at.error)
    at.text_area(key=f"{key}:reason").set_value("Answered in the review meeting; minutes are linked.")
    button(at, "Record the override").click().run()
    assert not at.exception
    assert "Answered in the review meeting" in "\n".join(c.value for c in at.caption)
    assert comments.blocking_count(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id) == 0
    assert "No open comment threads" not in "\n".join(e.value for e in at.error) + _blocked(at)


def _blocked(at: AppTest) -> str:
    """The gate lines shown as blocking (the blocked mark)."""
    return "\n".join(m.value for m in at.markdown if m.value.startswith(icons.BLOCKS))


def test_the_archive_finds_comments_only_in_post_mortems_the_reader_may_see(db_path, monkeypatch, doc_id):
    rex = bind(
        storage.connect(db_path, actor=storage.LOCAL),
        users.actor_for(db=storage.connect(db_path, actor=storage.LOCAL), identity="rex@example.com"),
    )
    from postmortem.comments import Target, TargetKind

    comments.start(
        db=rex,
        doc_id=doc_id,
        step="summary",
        target=Target(TargetKind.SECTION, "summary", "Whole step"),
        body="Which dashboard showed the 4% error rate?",
    )
    at = app_as("vic@example.com", db_path, monkeypatch, doc_id, page="pages/20_archive.py")
    at.text_input(key="comment-search:query").input("dashboard").run()
    assert not at.exception
    assert any("Which dashboard" in c.value for c in at.caption)
    db = storage.connect(db_path, actor=storage.LOCAL)
    db.execute("update documents set restricted = 1 where id = ?", [doc_id])
    db.conn.commit()
    at.text_input(key="comment-search:query").input("dashboard ").run()
    assert not any("Which dashboard" in c.value for c in at.caption)


def test_a_thread_shows_the_text_it_was_made_on_and_the_writer_edits_with_history(
    db_path, monkeypatch, doc_id
):
    at = start_a_thread(app_as("rex@example.com", db_path, monkeypatch, doc_id))
    new = f"cm:{doc_id}:summary:new"
    at.selectbox(key=f"{new}:target").set_value("field:summary")
    at.text_area(key=f"{new}:text").set_value("Whch customers?")
    button(at, "Post the comment").click().run()
    ann = bind(
        storage.connect(db_path, actor=storage.LOCAL),
        users.actor_for(db=storage.connect(db_path, actor=storage.LOCAL), identity="ann@example.com"),
    )
    current = storage.get(db=ann, doc_id=doc_id)
    storage.save(
        db=ann,
        doc_id=doc_id,
        doc=current.doc.model_copy(update={"summary": "Rewritten summary."}),
        expected_version=current.version,
    )
    at = app_as("rex@example.com", db_path, monkeypatch, doc_id)
    captions = "\n".join(c.value for c in at.caption)
    assert f"Made on version {current.version}" in captions and "The text has changed since" in captions
    assert "About 1,200 customers" in markdown(at) and "Rewritten summary" in markdown(at)
    [comment] = comments.threads(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id)[0].comments
    at.text_area(key=f"cm:{doc_id}:summary:edit:{comment.id}").set_value("Which customers?")
    button(at, "Save the change").click().run()
    assert not at.exception
    [comment] = comments.threads(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id)[0].comments
    assert (comment.body, comment.earlier) == ("Which customers?", ("Whch customers?",))
    assert "Whch customers?" in markdown(at)  # the earlier wording, under "Earlier wording"


def test_markup_in_comments_and_labels_never_reaches_the_page_as_markup(db_path, monkeypatch, doc_id):
    from tests.hostile import PAYLOAD, UNSAFE_MARKERS

    rex = bind(
        storage.connect(db_path, actor=storage.LOCAL),
        users.actor_for(db=storage.connect(db_path, actor=storage.LOCAL), identity="rex@example.com"),
    )
    from postmortem.comments import Target, TargetKind

    thread = comments.start(
        db=rex,
        doc_id=doc_id,
        step="summary",
        body=PAYLOAD,
        target=Target(TargetKind.FIELD, "summary", PAYLOAD[:100], PAYLOAD),
    )
    comments.reply(db=rex, thread_id=thread, body=PAYLOAD)
    at = app_as("rex@example.com", db_path, monkeypatch, doc_id)
    assert not at.exception
    shown = "\n".join(e.value for kind in ("markdown", "caption") for e in getattr(at, kind))
    assert "onerror" in shown  # the text is there, as text
    for marker in UNSAFE_MARKERS:  # escaped (a backslash before it) is text; bare would be markup
        assert not re.search(r"(?<!\\)" + re.escape(marker), shown), marker
    assert not any(m.proto.allow_html for m in at.markdown if "onerror" in m.value)


def _thread_on_summary(db_path: Path, doc_id: int, body: str) -> int:
    rex = users.actor_for(db=storage.connect(db_path, actor=LOCAL), identity="rex@example.com")
    return comments.start(
        db=storage.connect(db_path, actor=rex),
        doc_id=doc_id,
        step="summary",
        body=body,
        target=Target(TargetKind.SECTION, "summary", "The whole step"),
    )


def test_a_link_with_a_thread_marks_that_thread_and_opens_resolved_ones(db_path, monkeypatch, doc_id):
    first = _thread_on_summary(db_path, doc_id, "Which pager fired first?")
    second = _thread_on_summary(db_path, doc_id, "Was the rollback automatic?")
    comments.resolve(db=storage.connect(db_path, actor=LOCAL), thread_id=second)
    monkeypatch.setenv("DEBRIEF_AUTH", "proxy")
    at = app_as("ann@example.com", db_path, monkeypatch, doc_id)
    assert "The thread your link points to" not in [c.value for c in at.caption]
    assert not at.expander(key=f"cm:{doc_id}:summary:resolved:closed").proto.expanded

    at.query_params["thread"] = str(second)
    at.run()
    assert not at.exception
    box = at.get("expander")
    resolved = next(e for e in box if e.label.startswith("Resolved threads"))
    assert resolved.proto.expanded
    assert [c.value for c in resolved.caption if "link points" in c.value] == [
        "↪ The thread your link points to"
    ]
    assert any(f".st-key-cm-thread-{second} " in h.proto.body for h in at.get("html"))

    at.query_params["thread"] = str(first)
    at.run()
    assert not next(e for e in at.get("expander") if e.label.startswith("Resolved")).proto.expanded
    assert any(f".st-key-cm-thread-{first} " in h.proto.body for h in at.get("html"))


def test_the_comment_box_says_who_a_role_mention_reaches_and_how(db_path, monkeypatch, doc_id):
    monkeypatch.setenv("DEBRIEF_SLACK_WEBHOOK", "http://127.0.0.1:9/slack")
    monkeypatch.delenv("DEBRIEF_SMTP_URL", raising=False)
    at = start_a_thread(app_as("rex@example.com", db_path, monkeypatch, doc_id))
    form = at.get("form")
    hint = next(c.value for f in form for c in f.caption if "Who a mention reaches" in c.value)
    hint = hint.replace("\\", "")  # Markdown escapes of the role handles; the page shows none
    assert "@incident-commander → the shared Slack channel, with the comment" in hint
    assert "@payments-on-call-engineer → the shared Slack channel" in hint


def test_a_link_to_a_thread_of_another_step_points_there(db_path, monkeypatch, doc_id):
    thread_id = _thread_on_summary(db_path, doc_id, "Which pager fired first?")
    at = app_as("ann@example.com", db_path, monkeypatch, doc_id, page="pages/03_impact.py")
    at.query_params["thread"] = str(thread_id)
    at.run()
    assert not at.exception
    [link] = [p for p in at.main.get("page_link") if "link points to" in p.proto.label]
    assert link.proto.label == "The thread your link points to is on Summary"
    at.query_params["thread"] = "9999"
    at.run()
    assert "The thread your link points to is not in this post-mortem any more." in [
        c.value for c in at.caption
    ]
