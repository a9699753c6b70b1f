"""The Action items app in AppTest: filters, a status changed in the table, cancel reasons, stale rows."""

from __future__ import annotations

import json

import pytest

import storage
from postmortem.demo import demo_documents
from postmortem.models import ActionStatus
from tests.apptest_helpers import app_for, send_widget_value

PAGE = "pages/21_tracker.py"


@pytest.fixture
def demo_db(db_path):
    db = storage.connect(db_path, actor=storage.LOCAL)
    for doc in demo_documents():
        storage.create(db=db, doc=doc)
    db.close()
    return db_path


@pytest.fixture
def app(demo_db, monkeypatch):
    at = app_for(demo_db, monkeypatch)
    return at.switch_page(PAGE).run()


def _editor(at):
    return next(e for e in at.data_editor if "tracker:table" in e.proto.id)


def _titles(at) -> list[str]:
    return list(_editor(at).value["title"])


def _open_row(at) -> int:
    return list(_editor(at).value["status"]).index("open")


def _edit_status(at, row: int, status: str):
    edits = {"edited_rows": {str(row): {"status": status}}, "added_rows": [], "deleted_rows": []}
    return send_widget_value(at, _editor(at).proto.id, string_value=json.dumps(edits))


def _item(db_path, title: str):
    db = storage.connect(db_path, actor=storage.LOCAL)
    for stored in (storage.get(db=db, doc_id=n) for n in (1, 2, 3)):
        for item in stored.doc.action_items:
            if item.title == title:
                return stored, item
    raise AssertionError(title)


def test_page_lists_every_item_with_counts(app):
    assert not app.exception
    assert [t.value for t in app.title] == ["Action items"]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Shown"] == "17" and metrics["Open"] == "15" and metrics["Overdue"] == "15"
    assert len(_titles(app)) == 17
    when = list(_editor(app).value["when"])
    assert when[0] == "–" and all(w.startswith("overdue by ") for w in when if w != "–")  # the first is done
    links = list(_editor(app).value["post_mortem"])
    assert links[0].startswith("actions?doc=") and "#INC-2026-01" in links[0]


def test_filters_narrow_the_table_and_the_counts(app):
    app.selectbox(key="tracker:owner").select("Ravi Menon").run()
    assert len(_titles(app)) == 2
    assert {m.label: m.value for m in app.metric}["Shown"] == "2"
    app.selectbox(key="tracker:owner").select("Any")
    app.text_input(key="tracker:text").input("kill switch").run()
    assert _titles(app) == ["Make the kill switch purge cached experiment pages"]
    app.text_input(key="tracker:text").input("")
    app.button_group(key="tracker:quick").set_value(["Overdue"]).run()
    assert len(_titles(app)) == 15
    app.multiselect(key="tracker:statuses").select("done").run()
    assert app.info and "No action items match" in app.info[0].value


def test_a_status_changed_in_the_table_is_saved_in_the_post_mortem(app, demo_db):
    row = _open_row(app)
    title = _titles(app)[row]
    before, _ = _item(demo_db, title)
    app = _edit_status(app, row, "done")
    assert not app.exception
    after, item = _item(demo_db, title)
    assert item.status is ActionStatus.DONE and item.closed_at is not None
    assert after.version == before.version + 1
    assert _editor(app).value["status"][list(_titles(app)).index(title)] == "done"


def test_cancel_without_a_reason_is_refused_and_asks_for_one(app, demo_db):
    row = _open_row(app)
    title = _titles(app)[row]
    before, _ = _item(demo_db, title)
    app = _edit_status(app, row, "cancelled")
    assert _item(demo_db, title)[0].version == before.version  # nothing saved yet
    assert any("needs a written reason" in w.value for w in app.warning)
    app.button(key="tracker:cancel-confirm").click().run()
    assert any("Write a reason before cancelling" in e.value for e in app.error)
    assert _item(demo_db, title)[0].version == before.version
    app.text_area(key="tracker:cancel-reason").input("Replaced by the platform-wide limiter.")
    app.button(key="tracker:cancel-confirm").click().run()
    _, item = _item(demo_db, title)
    assert (
        item.status is ActionStatus.CANCELLED
        and item.cancel_reason == "Replaced by the platform-wide limiter."
    )
    assert not any("needs a written reason" in w.value for w in app.warning)


def test_a_row_from_an_older_version_is_not_saved(app, demo_db):
    row = _open_row(app)
    title = _titles(app)[row]
    stored, _ = _item(demo_db, title)
    db = storage.connect(demo_db, actor=storage.LOCAL)
    storage.save(
        db=db,
        doc_id=stored.id,
        doc=stored.doc.model_copy(update={"summary": "Edited elsewhere."}),
        expected_version=stored.version,
    )
    app = _edit_status(app, row, "done")
    assert any("changed since this list was shown" in w.value for w in app.warning)
    latest, item = _item(demo_db, title)
    assert item.status is not ActionStatus.DONE and latest.doc.summary == "Edited elsewhere."
    app = _edit_status(
        app, _titles(app).index(title), "done"
    )  # the list now holds the latest version: the change goes through
    assert _item(demo_db, title)[1].status is ActionStatus.DONE


def test_weekly_review_and_needs_attention_views(app):
    app.button_group(key="tracker:view").set_value("Weekly review").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "**Overdue** (15)" in text and "**Due in the next 7 days** (0)" in text
    app.button_group(key="tracker:view").set_value("Needs attention").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "**The same action in several post-mortems** (0)" in text
