"""Issue 18 in the app (AppTest): attach files on the timeline step, caption them, reorder and
remove them (the history keeps the blob), refusals shown, and viewers see but cannot change."""

from __future__ import annotations

import io

import storage
from components.session import widget_key
from storage import blobs
from tests import evidence_samples as samples
from tests.apptest_helpers import app_for, errors, stored

TIMELINE = "pages/04_timeline.py"


def _open_timeline(db_path, monkeypatch, doc):
    created = storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc)
    return created.id, app_for(db_path, monkeypatch, created.id).switch_page(TIMELINE).run()


def _unfold(at):
    """The upload form is folded until asked for (components/disclosure.py)."""
    if opener := [b for b in at.button if b.label == "Attach files"]:
        at = opener[0].click().run()
    return at


def _upload(at, doc_id, files, *, caption="", alt="", place_index=0):
    at = _unfold(at)
    at.selectbox(key=widget_key(doc_id, "attachments.place")).set_value(
        at.selectbox(key=widget_key(doc_id, "attachments.place")).options[place_index]
    )
    at.file_uploader(key=widget_key(doc_id, "attachments.files")).set_value(files)
    at.text_input(key=widget_key(doc_id, "attachments.new-caption")).input(caption)
    at.text_input(key=widget_key(doc_id, "attachments.new-alt")).input(alt)
    next(b for b in at.button if b.label == "Attach").click()
    return at.run()


def _choose(at, doc_id, attachment_id):
    at.selectbox(key=widget_key(doc_id, "attachments.selected")).set_value(attachment_id)
    return at.run()


def test_two_files_attach_to_an_event_with_caption_and_alt(db_path, monkeypatch, doc):
    doc_id, at = _open_timeline(db_path, monkeypatch, doc)
    at = _upload(
        at,
        doc_id,
        [
            ("grafana.png", samples.png((300, 200)), "image/png"),
            ("app.log", b"12:01 error rate 4%\n", "text/plain"),
        ],
        caption="p99 latency at 12:03",
        alt="Latency graph spiking to 4 s",
    )
    assert not at.exception and not errors(at)
    saved = stored(db_path, doc_id).doc
    event_id = doc.timeline[0].id
    assert [(a.name, a.target.value, a.target_id, a.position) for a in saved.attachments] == [
        ("grafana.png", "event", event_id, 0),
        ("app.txt", "event", event_id, 1),
    ]  # names follow the sniffed type
    assert saved.attachments[0].caption == "p99 latency at 12:03" and saved.attachments[0].alt.startswith(
        "Latency"
    )
    assert saved.attachments[1].alt == ""  # alt text is for images
    assert "Attach files" in [b.label for b in at.button]  # attached: the form folded
    assert len(at.get("image")) == 1  # the strip of thumbnails; one file's fields only when chosen
    assert not at.get("download_button")
    graph = saved.attachments[0]
    at = _choose(at, doc_id, graph.id)
    assert len(at.get("image")) == 2  # the strip's and the chosen file's thumbnail
    at.button(key=widget_key(doc_id, f"attachments.{graph.id}.enlarge")).click().run()
    assert not at.exception and len(at.get("image")) == 3  # the full picture, in a dialog
    assert [b.label for b in at.get("download_button")] == ["Download"]  # of the chosen file


def test_thumbnails_go_out_as_the_small_jpegs_made_once_not_re_encoded_per_rerun(db_path, monkeypatch, doc):
    from PIL import Image

    from postmortem.evidence import images

    doc_id, at = _open_timeline(db_path, monkeypatch, doc)
    at = _upload(at, doc_id, [("wide.png", samples.png((1200, 500)), "image/png")], alt="Wide graph")
    calls = []
    real_save = Image.Image.save
    monkeypatch.setattr(
        Image.Image, "save", lambda self, *a, **k: calls.append(a) or real_save(self, *a, **k)
    )
    at.run()
    assert not at.exception and len(at.get("image")) == 1
    assert calls == []  # a rerun encodes no picture: the cached thumbnail is sent as it is
    thumb = images.thumbnail(samples.png((1200, 500)))
    assert Image.open(io.BytesIO(thumb)).format == "JPEG"
    assert Image.open(io.BytesIO(thumb)).size == (images.THUMBNAIL_SIDE, 67)


def test_a_caption_is_edited_the_order_changed_and_a_removed_file_stays_in_the_history(
    db_path, monkeypatch, doc
):
    doc_id, at = _open_timeline(db_path, monkeypatch, doc)
    at = _upload(
        at,
        doc_id,
        [("a.png", samples.png((30, 30)), "image/png"), ("b.csv", b"time,errors\n12:01,4\n", "text/csv")],
    )
    first, second = stored(db_path, doc_id).doc.attachments
    at = _choose(at, doc_id, first.id)
    at.text_input(key=widget_key(doc_id, f"attachments.{first.id}.caption")).input("Before the deploy").run()
    assert stored(db_path, doc_id).doc.attachments[0].caption == "Before the deploy"
    at.selectbox(key=widget_key(doc_id, "attachments.selected")).set_value(second.id).run()
    at.button(key=widget_key(doc_id, f"attachments.{second.id}.up")).click().run()
    order = sorted(stored(db_path, doc_id).doc.attachments, key=lambda a: a.position)
    assert [a.name for a in order] == ["b.csv", "a.png"]
    at.selectbox(key=widget_key(doc_id, "attachments.selected")).set_value(first.id).run()
    at.button(key=widget_key(doc_id, f"attachments.{first.id}.remove")).click().run()
    assert not at.exception
    now = stored(db_path, doc_id)
    assert [a.name for a in now.doc.attachments] == ["b.csv"]
    db = storage.connect(db_path, actor=storage.LOCAL)
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
    assert "Attach" in [b.label for b in at.button]  # refused: the form stays open to try again


def test_the_uploader_states_the_limits(db_path, monkeypatch, doc):
    doc_id, at = _open_timeline(db_path, monkeypatch, doc)
    assert not any("20 MB per file" in c.value for c in at.caption)  # folded: nothing of it sent
    at = _unfold(at)
    assert any("20 MB per file" in c.value for c in at.caption)
    assert len(at.selectbox(key=widget_key(doc_id, "attachments.place")).options) > len(doc.timeline)
    next(b for b in at.button if b.label == "Close").click()
    assert "Attach files" in [b.label for b in at.run().button]


def test_a_viewer_sees_and_downloads_but_cannot_change(db_path, monkeypatch):
    from postmortem.evidence import accept
    from postmortem.models import AttachedTo, Attachment
    from storage import users
    from storage.access import bind
    from tests.test_auth_app import proxy, seed

    doc_id = seed(db_path)
    db = storage.connect(db_path, actor=storage.LOCAL)
    admin = bind(db, users.actor_for(db=db, identity="admin@example.com"))
    graph = accept(samples.png((120, 80)), "graph.png")
    blobs.put(db=admin, item=graph, doc_id=doc_id)
    now = storage.get(db=admin, doc_id=doc_id)
    attached = Attachment(
        digest=graph.digest,
        media_type="image/png",
        name="graph.png",
        size=graph.size,
        width=120,
        height=80,
        caption="Error rate",
        alt="Error rate graph",
        target=AttachedTo.SECTION,
        target_id="timeline",
    )
    storage.save(
        db=admin,
        doc_id=doc_id,
        doc=now.doc.model_copy(update={"attachments": [attached]}),
        expected_version=now.version,
    )
    proxy(monkeypatch, {"X-Forwarded-User": "vic@example.com"})
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/11_appendix.py").run()
    at = at.switch_page(TIMELINE).run()
    assert not at.exception
    assert len(at.get("image")) >= 1
    at = _choose(at, doc_id, attached.id)
    assert [b.label for b in at.get("download_button")] == ["Download"]
    assert not [b for b in at.button if b.label in ("Attach", "Remove", "Up", "Down")]
    caption = at.text_input(key=widget_key(doc_id, f"attachments.{attached.id}.caption"))
    assert caption.value == "Error rate" and caption.disabled


def test_a_file_whose_event_was_deleted_is_shown_on_the_appendix_step(db_path, monkeypatch, doc):
    doc_id, at = _open_timeline(db_path, monkeypatch, doc)
    at = _upload(at, doc_id, [("grafana.png", samples.png((60, 40)), "image/png")])
    now = stored(db_path, doc_id)
    storage.save(
        db=storage.connect(db_path, actor=storage.LOCAL),
        doc_id=doc_id,
        expected_version=now.version,
        doc=now.doc.model_copy(update={"timeline": now.doc.timeline[1:]}),
    )
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/11_appendix.py").run()
    assert not at.exception
    assert any("No longer beside anything" in m.value for m in at.markdown)
    at = _choose(at, doc_id, now.doc.attachments[0].id)
    assert at.button(key=widget_key(doc_id, f"attachments.{now.doc.attachments[0].id}.remove"))
