"""The Export step through AppTest: a tab and a preview per audience, every download, what is left out,
and the marks that keep fields and names out of the public document."""

from __future__ import annotations

import pytest
from apptest_helpers import app_for, stored

import storage
from components.session import widget_key
from exports.render import AUDIENCES
from postmortem.demo import demo_documents
from postmortem.models import DocStatus


@pytest.fixture
def demo_id(db_path) -> int:
    doc = demo_documents()[0]
    draft = doc.model_copy(update={"header": doc.header.model_copy(update={"status": DocStatus.DRAFT})})
    return storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=draft
    ).id  # a final document is read-only


def previews(at) -> list[str]:
    """The rendered previews (exports.mdtext's HTML, shown with st.html)."""
    return [h.proto.body for h in at.get("html")]


def public_preview(at) -> str:
    return next(h for h in previews(at) if "<h1>Incident report" in h)


def on_export(db_path, monkeypatch, doc_id: int):
    at = app_for(db_path, monkeypatch, doc_id)
    return at.switch_page("pages/13_export.py").run()


def test_every_audience_has_a_tab_a_preview_and_three_downloads(db_path, monkeypatch, demo_id):
    at = on_export(db_path, monkeypatch, demo_id)
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == list(AUDIENCES.values())
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download all (zip)"] + ["Markdown", "Word", "JSON"] * len(AUDIENCES)
    markdown = [m.value for m in at.markdown]
    assert any("<h1>INC-2026-0101: Checkout API" in h for h in previews(at))  # formatted, never raw syntax
    assert any("<h1>Incident report: Checkout was unavailable for 31 minutes" in h for h in previews(at))
    assert any("<h1>Regulatory report: " in h for h in previews(at))
    assert not any("**" in h or "<script" in h for h in previews(at))
    assert "Nothing: this is the full document." in markdown
    assert any("revenue" in m and "error budget" in m for m in markdown)  # the public tab's left-out list


def test_marking_a_field_internal_saves_it_and_the_public_preview_drops_it(db_path, monkeypatch, demo_id):
    at = on_export(db_path, monkeypatch, demo_id)
    at.multiselect(key=widget_key(demo_id, "internal_fields")).select("root_cause.statement").run()
    assert not at.exception, at.exception
    assert stored(db_path, demo_id).doc.internal_fields == ["root_cause.statement"]
    public = public_preview(at)
    assert "Three conditions lined up" not in public
    assert any("Root\\-cause statement \\(marked internal\\)" in m.value for m in at.markdown)


def test_internal_names_are_replaced_in_the_public_preview(db_path, monkeypatch, demo_id):
    at = on_export(db_path, monkeypatch, demo_id)
    at.multiselect(key=widget_key(demo_id, "header.internal_names")).select("checkout-api").run()
    assert stored(db_path, demo_id).doc.header.internal_names == ["checkout-api"]
    # "capacity" is a word of the text written for customers: a listed name is replaced there too.
    at.multiselect(key=widget_key(demo_id, "header.internal_names")).set_value(
        ["checkout API", "capacity"]
    ).run()
    public = public_preview(at)
    assert (
        "checkout API" not in public
        and "capacity" not in public
        and "an internal system" in public.casefold()
    )
