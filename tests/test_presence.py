"""Presence: who else has a document open, from heartbeats that go stale after GONE_AFTER seconds."""

from __future__ import annotations

from apptest_helpers import app_for

import storage
from components.presence import describe
from postmortem.models import new_postmortem
from storage import presence


def _doc(db, incident_id: str = "INC-2026-0100") -> int:
    return storage.create(db=db, doc=new_postmortem(incident_id, "Queue backlog")).id


def test_a_session_sees_the_others_on_its_document_but_not_itself(db):
    doc_id, other_doc = _doc(db), _doc(db, "INC-2026-0101")
    presence.heartbeat(
        db=db, session_key="a", doc_id=doc_id, identity="ada@example.com", step="Summary", now=100
    )
    presence.heartbeat(
        db=db, session_key="b", doc_id=doc_id, identity="bo@example.com", step="Timeline", now=110
    )
    presence.heartbeat(
        db=db, session_key="c", doc_id=other_doc, identity="cy@example.com", step="Header", now=110
    )
    seen_by_a = presence.others(db=db, doc_id=doc_id, session_key="a", now=120)
    assert [(p.identity, p.step) for p in seen_by_a] == [("bo@example.com", "Timeline")]
    assert [p.identity for p in presence.others(db=db, doc_id=doc_id, session_key="z", now=120)] == [
        "bo@example.com",
        "ada@example.com",
    ]


def test_silent_sessions_count_as_gone_and_are_pruned(db):
    doc_id = _doc(db)
    presence.heartbeat(db=db, session_key="a", doc_id=doc_id, identity="ada", step="Summary", now=100)
    late = 100 + presence.GONE_AFTER + 1
    assert presence.others(db=db, doc_id=doc_id, session_key="b", now=late) == []
    presence.heartbeat(db=db, session_key="b", doc_id=doc_id, identity="bo", step="Summary", now=late)
    assert [r["session_key"] for r in db["presence"].rows] == ["b"]


def test_a_session_moving_to_another_document_leaves_the_first(db):
    first, second = _doc(db), _doc(db, "INC-2026-0101")
    presence.heartbeat(db=db, session_key="a", doc_id=first, identity="ada", step="Summary", now=100)
    presence.heartbeat(db=db, session_key="a", doc_id=second, identity="ada", step="Header", now=101)
    assert presence.others(db=db, doc_id=first, session_key="b", now=102) == []
    presence.leave(db=db, session_key="a")
    assert presence.others(db=db, doc_id=second, session_key="b", now=102) == []


def test_the_line_escapes_identities_and_names_a_second_window_of_mine():
    line = describe(
        [presence.Presence("<b>eve</b>*", "Summary", 1), presence.Presence("me", "Timeline", 1)], "me"
    )
    assert "\\<b\\>eve\\</b\\>\\*" in line and "<b>" not in line
    assert "you, in another window (editing Timeline)" in line
    assert describe([], "me") == ""
    twice = [presence.Presence("ada", "Timeline", 2), presence.Presence("ada", "Summary", 1)]
    assert describe(twice, "me") == ":material/group: **Also open by:** ada (editing Timeline)"


def test_the_wizard_shows_who_else_is_on_the_document(db_path, monkeypatch):
    db = storage.connect(db_path, actor=storage.LOCAL)
    doc_id = _doc(db)
    presence.heartbeat(
        db=db, session_key="elsewhere", doc_id=doc_id, identity="ada@example.com", step="Timeline"
    )
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/02_summary.py").run()
    assert not at.exception
    captions = [c.value for c in at.caption if "Also open by" in c.value]
    assert captions == [":material/group: **Also open by:** ada@example\\.com (editing Timeline)"]
    mine = [r for r in db["presence"].rows if r["session_key"] != "elsewhere"]
    assert [(r["doc_id"], r["identity"], r["step"]) for r in mine] == [(doc_id, "local", "Summary")]


def test_a_closed_tab_drops_out_after_one_heartbeat_and_some_slack(db, monkeypatch):
    from components import presence as presence_line

    monkeypatch.setenv("DEBRIEF_PRESENCE_SECONDS", "15")
    window = presence_line.gone_after()
    assert 15 < window <= 15 * 1.5
    doc_id = _doc(db)
    presence.heartbeat(db=db, session_key="tab-a", doc_id=doc_id, identity="ada", step="Summary", now=100)
    assert presence.others(db=db, doc_id=doc_id, session_key="b", now=100 + 15, gone_after=window)
    assert (
        presence.others(db=db, doc_id=doc_id, session_key="b", now=100 + window + 1, gone_after=window) == []
    )
