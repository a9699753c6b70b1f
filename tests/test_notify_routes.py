"""`notify` follows each person's stored preferences, against real loopback SMTP and HTTP servers:
mentions off, a chat channel instead of e-mail, an address for an identity that is none, a personal
copy of announcements, and one daily digest per day (the next day's holds what came after)."""

from __future__ import annotations

from datetime import timedelta

import pytest

import storage
from channels.run import run
from channels.settings import settings
from postmortem.comments import Mention, Target, TargetKind, role_handle
from postmortem.models import Contact, DocStatus, Header, PostMortem
from postmortem.notify_prefs import Prefs
from storage import audit, comments, users
from storage import notices as prefs_table
from storage.access import LOCAL, bind
from tests.notify_servers import AUTH_WITHOUT_TLS, BASE, NOW, smtp_url, start_http, start_smtp

pytestmark = AUTH_WITHOUT_TLS


@pytest.fixture
def servers():
    controller, inbox = start_smtp()
    http, hooks = start_http()
    config = settings(
        {
            "DEBRIEF_SMTP_URL": smtp_url(controller.port),
            "DEBRIEF_SLACK_WEBHOOK": f"http://127.0.0.1:{http.server_address[1]}/slack",
            "DEBRIEF_BASE_URL": BASE,
        }
    )
    yield inbox, hooks, config
    http.shutdown()
    controller.stop()


@pytest.fixture
def team(db_path):
    """An admin, ann (author, signs in as plain "ann"), rex (reviewer); ann's draft."""
    db = storage.connect(db_path, actor=LOCAL)
    bind(db, users.sign_in(db=db, identity="admin@example.org"))
    for identity, role in (("ann", "author"), ("rex@example.org", "reviewer")):
        users.sign_in(db=db, identity=identity)
        users.set_role(db=db, identity=identity, role=role)
    doc = PostMortem(
        header=Header(incident_id="INC-40", title="Queue stalled"),
        contacts=[Contact(name="Pat Example", role="Platform lead", contact="pat@example.org")],
    )
    ann = storage.connect(db_path, actor=users.actor_for(db=db, identity="ann"))
    doc_id = storage.create(db=ann, doc=doc).id
    rex = storage.connect(db_path, actor=users.actor_for(db=db, identity="rex@example.org"))
    yield db, doc_id, rex
    db.close()


def _mention(rex, doc_id: int, who: str, text: str, kind: str = "user") -> int:
    handle = who if kind == "user" else role_handle(who)
    return comments.start(
        db=rex,
        doc_id=doc_id,
        step="summary",
        body=f"@{handle} {text}",
        target=Target(TargetKind.SECTION, "summary", "The whole step"),
        mentions=[Mention(kind, who)],
    )


def test_an_identity_that_is_no_address_is_mailed_at_the_address_it_gave(team, servers):
    db, doc_id, rex = team
    inbox, hooks, config = servers
    _mention(rex, doc_id, "ann", "is the pager time right?")
    prefs_table.set_prefs(db, "ann", Prefs(address="ann.real@example.org"))
    run(db, config, NOW)
    assert [rcpts for rcpts, m in inbox.messages if m["Subject"].startswith("You were mentioned")] == [
        ["ann.real@example.org"]
    ]
    assert not [b for b in hooks.on("/slack") if "mentioned" in b["text"]]


def test_without_an_address_a_mention_goes_to_the_shared_channel_with_the_name(team, servers):
    db, doc_id, rex = team
    inbox, hooks, config = servers
    _mention(rex, doc_id, "ann", "is the pager time right?")
    run(db, config, NOW)
    assert inbox.messages == []
    [post] = [b["text"] for b in hooks.on("/slack") if "mentioned" in b["text"]]
    assert post.startswith("For ann: ") and "is the pager time right?" in post


def test_a_chat_choice_sends_there_addressed_to_the_person_not_by_email(team, servers):
    db, doc_id, rex = team
    inbox, hooks, config = servers
    _mention(rex, doc_id, "ann", "is the pager time right?")
    prefs_table.set_prefs(db, "ann", Prefs(channel="slack"))
    outcomes = [o for o in run(db, config, NOW) if o.kind == "mention"]
    assert [(o.status, o.channel, o.target) for o in outcomes] == [("sent", "slack", "ann")]
    assert inbox.messages == []


def test_mentions_turned_off_send_nothing_on_any_channel(team, servers):
    db, doc_id, rex = team
    inbox, hooks, config = servers
    _mention(rex, doc_id, "ann", "is the pager time right?")
    prefs_table.set_prefs(db, "ann", Prefs(kinds=("deadline",), address="ann@example.org"))
    outcomes = [o for o in run(db, config, NOW) if o.kind == "mention"]
    assert [(o.status, o.detail) for o in outcomes] == [
        ("skipped", "turned off in this person's preferences")
    ]
    assert inbox.messages == [] and not [b for b in hooks.on("/slack") if "mentioned" in b["text"]]


def test_a_daily_digest_holds_everything_of_a_day_in_one_message_and_the_rest_waits(team, servers):
    db, doc_id, rex = team
    inbox, _, config = servers
    prefs_table.set_prefs(db, "ann", Prefs(address="ann@example.org", daily_digest=True))
    _mention(rex, doc_id, "ann", "first question")
    _mention(rex, doc_id, "ann", "second question")
    run(db, config, NOW)
    assert [(r, m["Subject"]) for r, m in inbox.messages] == [
        (["ann@example.org"], f"Debrief: 2 notices for {NOW.date()}")
    ]
    body = inbox.messages[0][1].get_content()
    assert "first question" in body and "second question" in body
    assert f"{BASE}/summary?doc={doc_id}&thread=" in body

    _mention(rex, doc_id, "ann", "third question")  # later the same day: waits for tomorrow's digest
    later = run(db, config, NOW + timedelta(hours=3))
    assert [o.detail for o in later if o.status != "skipped" or "tomorrow" in o.detail] == [
        "held for tomorrow's daily digest"
    ]
    assert len(inbox.messages) == 1
    run(db, config, NOW + timedelta(days=1))
    assert len(inbox.messages) == 2
    assert inbox.messages[1][1]["Subject"] == f"Debrief: 1 notices for {NOW.date() + timedelta(days=1)}"
    assert "third question" in inbox.messages[1][1].get_content()
    run(db, config, NOW + timedelta(days=1, hours=1))
    assert len(inbox.messages) == 2  # idempotent


def test_people_who_asked_get_their_own_copy_of_a_publication(team, servers):
    db, doc_id, _ = team
    inbox, hooks, config = servers
    prefs_table.set_prefs(db, "rex@example.org", Prefs(kinds=("announcement",)))
    prefs_table.set_prefs(db, "admin@example.org", Prefs())  # the defaults: no personal copy
    prefs_table.set_prefs(db, "local", Prefs(kinds=("announcement",), address="me@example.org"))
    stored = storage.get(db=db, doc_id=doc_id)
    doc = stored.doc
    published = doc.model_copy(
        update={"header": doc.header.model_copy(update={"status": DocStatus.PUBLISHED})}
    )
    audit.save_status_change(
        db=db, doc_id=doc_id, before=doc, after=published, expected_version=stored.version
    )
    run(db, config, NOW)
    copies = [(r, m) for r, m in inbox.messages if m["Subject"] == "Published: INC-40 Queue stalled"]
    assert sorted(r for rcpts, _ in copies for r in rcpts) == ["me@example.org", "rex@example.org"]
    assert len([b for b in hooks.on("/slack") if "Published: INC-40" in b["text"]]) == 1
    run(db, config, NOW + timedelta(hours=1))
    assert len([1 for _, m in inbox.messages if m["Subject"].startswith("Published")]) == 2  # no more


def test_a_role_nobody_with_an_address_holds_hears_in_the_shared_channel_with_the_text(team, servers):
    db, doc_id, rex = team
    inbox, hooks, config = servers
    _mention(rex, doc_id, "DB oncall", "can you confirm the replica lag at 14:02?", kind="role")
    run(db, config, NOW)
    [post] = [b["text"] for b in hooks.on("/slack") if "mentioned" in b["text"]]
    assert post.startswith("For DB oncall: ") and "can you confirm the replica lag at 14:02?" in post
    assert not [m for _, m in inbox.messages if m["Subject"].startswith("You were mentioned")]
