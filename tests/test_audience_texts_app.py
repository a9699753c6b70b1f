"""The texts written for each audience, in the running app: resolution and business summary on the
Summary step, text for customers on the Export step, and the gate while the public text is missing."""

from __future__ import annotations

import pytest
from apptest_helpers import app_for, stored

import storage
from components.session import widget_key
from postmortem.models import ActionItem, TriggerKind, new_postmortem


@pytest.fixture
def doc_id(db_path) -> int:
    doc = new_postmortem("INC-2026-0300", "Leaked session tokens", trigger=TriggerKind.SECURITY).model_copy(
        update={"action_items": [ActionItem(title="Rotate signing keys monthly")]}
    )
    return storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id


def _public_downloads(at):
    return [b for b in at.get("download_button") if b.proto.id and ":public:" in b.proto.id]


def test_missing_public_text_gates_the_public_downloads_until_it_is_written(db_path, monkeypatch, doc_id):
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/13_export.py").run()
    gate = next(w.value for w in at.warning if "not ready to publish" in w.value)
    for part in (
        "What customers saw",
        "What happened and why",
        "What customers should do (required after a security incident)",
        "How we fixed it",
        "What we are changing",
    ):
        assert part in gate
    assert len(_public_downloads(at)) == 3 and all(b.proto.disabled for b in _public_downloads(at))
    public = next(h.proto.body for h in at.get("html") if "<h1>Incident report" in h.proto.body)
    assert "Not written yet: what customers should do" in public

    assert "A title for customers" in gate
    texts = {
        "public.title": "Some customers were signed out on 1 May",
        "public.what_customers_saw": "Some of you were signed out.",
        "public.what_happened": "A setting let old sign-ins stay valid.",
        "public.what_to_do": "Sign in again and change your password.",
        "action_items.0.public_text": "Sign-ins now expire as they should.",
    }
    for path, text in texts.items():
        at = (
            at.text_area(key=widget_key(doc_id, path)).input(text).run()
            if path.startswith("public.what")
            else at.text_input(key=widget_key(doc_id, path)).input(text).run()
        )
    at = at.switch_page("pages/02_summary.py").run()
    at = at.text_area(key=widget_key(doc_id, "resolution")).input("We turned the setting off.").run()
    doc = stored(db_path, doc_id).doc
    assert (doc.public.what_to_do, doc.action_items[0].public_text, doc.resolution) == (
        "Sign in again and change your password.",
        "Sign-ins now expire as they should.",
        "We turned the setting off.",
    )

    at = at.switch_page("pages/13_export.py").run()
    assert not at.exception
    assert not any("not ready to publish" in w.value for w in at.warning)
    assert _public_downloads(at) and not any(b.proto.disabled for b in _public_downloads(at))


def test_the_draft_can_be_downloaded_on_purpose(db_path, monkeypatch, doc_id):
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/13_export.py").run()
    at = at.checkbox(key=f"export:{doc_id}:public:draft").check().run()
    assert not any(b.proto.disabled for b in _public_downloads(at))


def test_business_summary_and_data_lost_are_saved(db_path, monkeypatch, doc_id):
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/02_summary.py").run()
    at.text_area(key=widget_key(doc_id, "business_summary")).input(
        "Customers could not sign in for an hour."
    ).run()
    at = at.switch_page("pages/03_impact.py").run()
    at.radio(key=widget_key(doc_id, "impact.data_lost")).set_value("No data was lost").run()
    doc = stored(db_path, doc_id).doc
    assert (doc.business_summary, doc.impact.data_lost) == ("Customers could not sign in for an hour.", False)


def test_download_all_leaves_the_public_report_out_until_its_text_is_written(db_path, monkeypatch, doc_id):
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/13_export.py").run()
    assert any("leaves out the public report" in c.value for c in at.caption)
    at.checkbox(key=f"export:{doc_id}:public:draft").check().run()
    assert not any("leaves out the public report" in c.value for c in at.caption)
