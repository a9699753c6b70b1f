"""The "Import from chat" expander on the Timeline step, through AppTest (pasted text; the upload is
covered in the browser test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import app_for, edit_table, stored

import storage
from components.chat_import import key
from exports.escape import md_inline
from postmortem.models import EventSource, new_postmortem

IRC = (Path(__file__).parent / "data" / "chat" / "irc.log").read_text(encoding="utf-8")


@pytest.fixture
def doc_id(db_path) -> int:
    return storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL),
        doc=new_postmortem("INC-2026-0042", "Checkout errors"),
    ).id


def open_chat_import(at, doc_id):
    """The Timeline step with "Import from chat" opened: a closed one draws nothing inside it."""
    at.switch_page("pages/04_timeline.py").run()
    assert not [w for w in at.radio if w.key == key(doc_id, "source")]
    at.session_state[key(doc_id, "open")] = True
    return at.run()


def timeline_with_pasted(db_path, monkeypatch, doc_id, text=IRC):
    at = open_chat_import(app_for(db_path, monkeypatch, doc_id), doc_id)
    at.radio(key=key(doc_id, "source")).set_value("Paste text").run()
    at.text_area(key=key(doc_id, "text")).input(text).run()
    return at


def import_button(at, doc_id):
    return at.button(key=key(doc_id, "import"))


def test_pasted_log_is_previewed_with_roles_and_unreadable_lines_listed(db_path, monkeypatch, doc_id):
    at = timeline_with_pasted(db_path, monkeypatch, doc_id)
    assert not at.exception
    assert [e.label for e in at.expander][:1] == ["Import from chat"]
    roles = {t.label: t.value for t in at.text_input if t.key and ":role:" in t.key}
    assert roles == {"Role of priya": "Responder 1", "Role of tom": "Responder 2"}
    preview = at.data_editor[0].value
    assert len(preview) == 6  # the join and the quit are hidden by default
    assert "tom" not in " ".join(preview["becomes"]).casefold()  # "tom: can you roll back" became a role
    assert any("2 lines could not be read" in e.label for e in at.expander)
    assert "6 ticked:** 6 will be added" in " ".join(m.value for m in at.markdown)


def test_import_adds_chat_events_with_roles_and_never_twice(db_path, monkeypatch, doc_id):
    at = timeline_with_pasted(db_path, monkeypatch, doc_id)
    at.text_input(key=key(doc_id, "role:priya")).input("Incident commander").run()
    import_button(at, doc_id).click().run()
    assert not at.exception
    doc = stored(db_path, doc_id).doc
    assert len(doc.timeline) == 6
    assert {e.source for e in doc.timeline} == {EventSource.CHAT}
    assert {e.actor_role for e in doc.timeline} == {"Incident commander", "Responder 2"}
    assert all("priya" not in e.text.casefold() and "tom" not in e.text.casefold() for e in doc.timeline)
    assert "Added 6 events" in " ".join(s.value for s in at.success)
    # The same chat again: everything is already there, the button is disabled.
    assert "0 will be added, 6 already in the timeline" in " ".join(m.value for m in at.markdown)
    assert import_button(at, doc_id).disabled
    assert len(stored(db_path, doc_id).doc.timeline) == 6


def test_a_blank_role_is_refused_and_nothing_is_saved(db_path, monkeypatch, doc_id):
    at = timeline_with_pasted(db_path, monkeypatch, doc_id)
    at.text_input(key=key(doc_id, "role:tom")).input("  ").run()
    import_button(at, doc_id).click().run()
    assert any("Give a role to every author" in e.value for e in at.error)
    assert stored(db_path, doc_id).version == 1 and not stored(db_path, doc_id).doc.timeline


def test_filters_narrow_the_preview(db_path, monkeypatch, doc_id):
    at = timeline_with_pasted(db_path, monkeypatch, doc_id)
    at.checkbox(key=key(doc_id, "hide")).uncheck().run()
    assert len(at.data_editor[0].value) == 8
    at.text_input(key=key(doc_id, "contains")).input("rollback").run()
    assert list(at.data_editor[0].value["becomes"]) == ["rollback started"]


def test_text_no_format_reads_gives_one_clear_error(db_path, monkeypatch, doc_id):
    at = timeline_with_pasted(
        db_path, monkeypatch, doc_id, text="just some notes\nwithout any chat in them\n"
    )
    assert [e.value for e in at.error] == [
        md_inline(
            "No line looks like a chat message in a format Debrief knows (Slack export, [10:15] <nick> text, "
            "2026-03-04T10:15Z name: text, Teams)."
        )
    ]
    assert not [t for t in at.data_editor if t.key and t.key.startswith("chatimport")]


def test_imported_events_keep_their_origin_after_a_table_edit(db_path, monkeypatch, doc_id):
    at = timeline_with_pasted(db_path, monkeypatch, doc_id)
    import_button(at, doc_id).click().run()
    edit_table(at, doc_id, "timeline", edited={0: {"text": "Alert fired (edited)"}})
    doc = stored(db_path, doc_id).doc
    assert doc.timeline[0].text == "Alert fired (edited)" and all(e.origin_key for e in doc.timeline)
    assert "0 will be added, 6 already in the timeline" in " ".join(m.value for m in at.markdown)


def test_a_name_in_an_error_is_shown_as_text_not_markdown(db_path, monkeypatch, doc_id):
    at = timeline_with_pasted(db_path, monkeypatch, doc_id, text="[10:15] <**boss**> hello\n")
    at.text_input(key=key(doc_id, "role:**boss**")).input(" ").run()
    import_button(at, doc_id).click().run()
    assert [e.value for e in at.error] == [
        md_inline("Give a role to every author before importing; missing: **boss**.")
    ]
