"""Issue 18 in the app (AppTest): attach files on the timeline step, caption them, reorder and
remove them (the history keeps the blob), refusals shown, and viewers see but cannot change."""

from __future__ import annotations

import storage
from components.session import widget_key
from storage import blobs
from tests import evidence_samples as samples
from tests.apptest_helpers import app_for, errors, stored

TIMELINE = "pages/04_timeline.py"


def _open_timeline(db_path, monkeypatch, doc):
    created = storage.create(db=storage.connect(db_path), doc=doc)
    return created.id, app_for(db_path, monkeypatch, created.id).switch_page(TIMELINE).run()


def _upload(at, doc_id, files, *, caption="", alt="", place_index=0):
    at.selectbox(key=widget_key(doc_id, "attachments.place")).set_value(
        at.selectbox(key=widget_key(doc_id, "attachments.place")).options[place_index])
    at.file_uploader(key=widget_key(doc_id, "attachments.files")).set_value(files)
    at.text_input(key=widget_key(doc_id, "attachments.new-caption")).input(caption)
    at.text_input(key=widget_key(doc_id, "attachments.new-alt")).input(alt)
    next(b for b in at.button if b.label == "Attach").click()
    return at.run()


def test_two_files_attach_to_an_event_with_caption_and_alt(db_path, monkeypatch, doc):
    doc_id, at = _open_timeline(db_path, monkeypatch, doc)
    at = _upload(at, doc_id, [("grafana.png", samples.png((300, 200)), "image/png"),
                              ("app.log", b"12:01 error rate 4%\n", "text/plain")],
                 caption="p99 latency at 12:03", alt="Latency graph spiking to 4 s")
    assert not at.exception and not errors(at)
    saved = stored(db_path, doc_id).doc
    event_id = doc.timeline[0].id
    assert [(a.name, a.target.value, a.target_id, a.position) for a in saved.attachments] == [
        ("grafana.png", "event", event_id, 0), ("app.txt", "event", event_id, 1)]  # names follow the sniffed type
    assert saved.attachments[0].caption == "p99 latency at 12:03" and saved.attachments[0].alt.startswith("Latency")
    assert saved.attachments[1].alt == ""  # alt text is for images
    assert len(at.get("image")) >= 2  # the thumbnail and its enlarged view
    assert [b.label for b in at.get("download_button")] == ["Download", "Download"]


def test_a_caption_is_edited_the_order_changed_and_a_removed_file_stays_in_the_history(db_path, monkeypatch, doc):
    doc_id, at = _open_timeline(db_path, monkeypatch, doc)
    at = _upload(at, doc_id, [("a.png", samples.png((30, 30)), "image/png"),
                              ("b.csv", b"time,errors\n12:01,4\n", "text/csv")])
    first, second = stored(db_path, doc_id).doc.attachments
    at.text_input(key=widget_key(doc_id, f"attachments.{first.id}.caption")).input("Before the deploy").run()
    assert stored(db_path, doc_id).doc.attachments[0].caption == "Before the deploy"
    at.button(key=widget_key(doc_id, f"attachments.{second.id}.up")).click().run()
    order = sorted(stored(db_path, doc_id).doc.attachments, key=lambda a: a.position)
    assert [a.name for a in order] == ["b.csv", "a.png"]
    at.button(key=widget_key(doc_id, f"attachments.{first.id}.remove")).click().run()
    assert not at.exception
    now = stored(db_path, doc_id)
    assert [a.name for a in now.doc.attachments] == ["b.csv"]
    db = storage.connect(db_path)
    assert first.digest in blobs.referred(db=db, doc_id=doc_id)  # earlier versions keep it
    assert first.digest not in blobs.current(db=db, doc_id=doc_id)


def test_an_svg_and_an_empty_file_are_refused_with_a_reason_and_nothing_changes(db_path, monkeypatch, doc):
    doc_id, at = _open_timeline(db_path, monkeypatch, doc)
    before = stored(db_path, doc_id).version
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    at = _upload(at, doc_id, [("chart.svg", svg, "image/svg+xml"), ("empty.txt", b"", "text/plain")])
    messages = " ".join(errors(at))
    assert "chart.svg" in messages and "scripts" in messages and "empty" in messages
    assert stored(db_path, doc_id).version == before


def test_the_uploader_states_the_limits(db_path, monkeypatch, doc):
    _, at = _open_timeline(db_path, monkeypatch, doc)
    assert any("20 MB per file" in c.value for c in at.caption)
