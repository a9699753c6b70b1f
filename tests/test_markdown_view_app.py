"""Narrative fields in the app: each says it takes Markdown and previews it as the exports show it; the
Review step and the Export preview show formatted text, never raw syntax and never the author's HTML."""

from __future__ import annotations

from apptest_helpers import app_for, stored

import storage
from components import autosave
from components.markdown_view import HINT_HTML
from components.session import widget_key
from postmortem.models import new_postmortem

SUMMARY = "Run **this** first.\n\n<img src=x onerror=alert(1)><script>alert(2)</script>\n\n- one\n- two"


def _doc_id(db_path) -> int:
    doc = new_postmortem("INC-2026-0042", "Pool ran out").model_copy(update={"summary": SUMMARY})
    return storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_a_narrative_field_says_it_takes_markdown_and_previews_it_formatted(db_path, monkeypatch):
    doc_id = _doc_id(db_path)
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/02_summary.py").run()
    assert not at.exception, at.exception
    # The hint is part of the autosave line under each field the author may type in (one element, not two).
    assert HINT_HTML in autosave._HTML
    assert [
        e.proto.component_name
        for e in at.main
        if getattr(e, "type", "") == "bidi_component" and e.proto.component_name == "debrief_autosave"
    ], "no autosave line (with the Markdown hint) under the narrative fields"
    assert "<strong>this</strong>" not in _html(at)  # the preview is off until asked for
    at.toggle(key=widget_key(doc_id, "summary") + ":preview").set_value(True).run()
    shown = _html(at)
    assert "<strong>this</strong>" in shown and "<li>one</li>" in shown
    assert "onerror" not in shown and "<script" not in shown and "alert(2)" in shown  # words kept, HTML not


def test_the_preview_follows_what_was_typed_and_the_text_is_saved_as_written(db_path, monkeypatch):
    doc_id = _doc_id(db_path)
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/02_summary.py").run()
    at.toggle(key=widget_key(doc_id, "summary") + ":preview").set_value(True).run()
    at.text_area(key=widget_key(doc_id, "summary")).input("Now _italic_ and `code`").run()
    assert "<em>italic</em>" in _html(at) and "<code>code</code>" in _html(at)
    assert stored(db_path, doc_id).doc.summary == "Now _italic_ and `code`"  # every character kept


def test_the_review_step_shows_the_document_formatted(db_path, monkeypatch):
    doc_id = _doc_id(db_path)
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/12_review.py").run()
    assert not at.exception, at.exception
    shown = _html(at)
    assert "<h1>INC-2026-0042: Pool ran out</h1>" in shown and "<strong>this</strong>" in shown
    assert "**" not in shown and "onerror" not in shown and "<script" not in shown
