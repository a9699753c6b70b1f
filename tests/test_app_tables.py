"""The wizard's tables and narrative fields as a person expects them (AppTest): owners under one rule,
went-wrong entries that become factors, prompts that start a row, customers as a number or a note,
and a draft a reload brings back merged into the saved text."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import app_for, send_widget_value, stored
from streamlit.components.v2.bidi_component.main import _make_trigger_id

import storage
from components.session import widget_key
from components.steps import STEPS
from postmortem.completeness import Level, impact
from postmortem.edit import with_value
from postmortem.models import Contact, ContactKind, Note, new_postmortem


@pytest.fixture
def doc_id(db_path) -> int:
    doc = new_postmortem("INC-2026-0300", "Replica lag")
    doc = doc.model_copy(
        update={
            "went_wrong": [Note(text="No alert on replica lag"), Note(text="Runbook named the old host")],
            "contacts": [
                Contact(name="Dana Okafor", kind=ContactKind.PERSON),
                Contact(name="Storage team", kind=ContactKind.TEAM),
            ],
        }
    )
    return storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=with_value(doc, "summary", "")
    ).id


def on_step(db_path, monkeypatch, doc_id: int, slug: str):
    script = next(step.script for step in STEPS if step.slug == slug)
    return app_for(db_path, monkeypatch, doc_id).switch_page(script).run()


def owner_options(at) -> list[str]:
    columns = json.loads(at.data_editor[0].proto.columns)
    return [o["value"] if isinstance(o, dict) else o for o in columns["owner"]["type_config"]["options"]]


def test_owner_is_a_list_of_contacts_and_typed_roles_from_the_first_item(db_path, monkeypatch, doc_id):
    at = on_step(db_path, monkeypatch, doc_id, "actions")
    assert owner_options(at) == ["Dana Okafor", "Storage team"]
    assert any("One owner per item, chosen from the list" in c.value for c in at.caption)
    at.text_input(key=f"actions:new_role:{doc_id}").input("database on-call")
    next(b for b in at.button if b.label == "Add to the Owner list").click().run()
    assert owner_options(at) == ["Dana Okafor", "database on-call", "Storage team"]


def test_a_went_wrong_entry_becomes_a_contributing_factor(db_path, monkeypatch, doc_id):
    at = on_step(db_path, monkeypatch, doc_id, "went-wrong")
    at.selectbox(key=f"went_wrong:to_factor:{doc_id}").select("Runbook named the old host")
    at.selectbox(key=f"went_wrong:to_factor_category:{doc_id}").select("documentation")
    next(b for b in at.button if b.label == "Make this a contributing factor").click().run()
    factors = stored(db_path, doc_id).doc.contributing_factors
    assert [(f.text, f.category.value) for f in factors] == [("Runbook named the old host", "documentation")]
    assert at.selectbox(key=f"went_wrong:to_factor:{doc_id}").options == ["No alert on replica lag"]


def test_clicking_a_prompt_starts_a_row_with_its_group(db_path, monkeypatch, doc_id):
    at = on_step(db_path, monkeypatch, doc_id, "went-well")
    prompt = next(b for b in at.button if b.key and b.key.startswith(f"went_well:prompt:{doc_id}:0:"))
    prompt.click().run()
    answer = at.text_area(key=f"went_well:answer:{doc_id}")
    assert prompt.label in answer.label
    answer.input("The lag alert paged within 2 minutes.")
    next(b for b in at.button if b.label == "Add to what went well").click().run()
    [note] = stored(db_path, doc_id).doc.went_well
    assert note.text == "The lag alert paged within 2 minutes." and note.group
    assert not [t for t in at.text_area if t.key == f"went_well:answer:{doc_id}"]  # the row closed once added


def test_customers_affected_can_be_an_estimate_or_a_note_without_a_number(db_path, monkeypatch, doc_id):
    at = on_step(db_path, monkeypatch, doc_id, "impact")
    at.text_input(key=widget_key(doc_id, "impact.customers_affected_note")).input(
        "All US Cloud customers"
    ).run()
    at.checkbox(key=widget_key(doc_id, "impact.customers_affected_estimated")).check().run()
    saved = stored(db_path, doc_id).doc.impact
    assert (saved.customers_affected, saved.customers_affected_note, saved.customers_affected_estimated) == (
        None,
        "All US Cloud customers",
        True,
    )
    assert "Estimate how many" not in impact(stored(db_path, doc_id).doc).hint
    assert (
        impact(new_postmortem("INC-1", "Old")).level is Level.EMPTY
    )  # a document without the note still loads


def _send_draft(at, doc_id: int, version: int, value: str):
    component = next(
        e
        for e in at.main
        if getattr(e, "type", "") == "bidi_component" and e.proto.component_name == "debrief_autosave"
    )
    events = json.dumps([{"event": "draft", "value": {"version": version, "value": value}}])
    return send_widget_value(at, _make_trigger_id(component.proto.id, "events"), json_trigger_value=events)


def test_a_draft_from_before_a_reload_is_merged_into_the_saved_text(db_path, monkeypatch, doc_id):
    db = storage.connect(db_path, actor=storage.LOCAL)
    base = "Replica lag grew for an hour. Reads went stale."
    storage.save(
        db=db, doc_id=doc_id, doc=with_value(stored(db_path, doc_id).doc, "summary", base), expected_version=1
    )
    at = on_step(db_path, monkeypatch, doc_id, "summary")
    # someone else saves after the draft was typed over `base`
    storage.save(
        db=db,
        doc_id=doc_id,
        doc=with_value(stored(db_path, doc_id).doc, "summary", base.replace("an hour", "70 minutes")),
        expected_version=2,
    )
    at = _send_draft(at, doc_id, 2, base + " Failover was manual.")  # typed over version 2
    assert (
        stored(db_path, doc_id).doc.summary
        == "Replica lag grew for 70 minutes. Reads went stale. Failover was manual."
    )
    assert not at.exception


def test_a_draft_that_meets_a_newer_change_is_held_with_both_texts(db_path, monkeypatch, doc_id):
    db = storage.connect(db_path, actor=storage.LOCAL)
    at = on_step(db_path, monkeypatch, doc_id, "summary")
    storage.save(
        db=db,
        doc_id=doc_id,
        doc=with_value(stored(db_path, doc_id).doc, "summary", "Theirs, saved first."),
        expected_version=1,
    )
    at = _send_draft(at, doc_id, 1, "Mine, typed before the reload.")
    assert stored(db_path, doc_id).doc.summary == "Theirs, saved first."  # nothing overwritten
    assert any("changed while you were editing" in e.value for e in at.error)
    shown = " ".join(m.value for m in at.markdown)
    assert "Mine, typed before the reload" in shown and "Theirs, saved first" in shown


@pytest.mark.parametrize(("text", "expected"), [("", 0x811C9DC5), ("a", 0xE40C292C), ("foobar", 0xBF9CF968)])
def test_the_saved_text_hash_is_fnv_1a(text, expected):
    """The published FNV-1a test vectors (ASCII: one UTF-16 unit per byte); the browser test covers the rest."""
    from components.autosave import text_hash

    assert text_hash(text) == expected


@pytest.mark.parametrize("slug", ["actions", "timeline", "appendix", "went-well"])
def test_empty_cells_show_empty_not_none(db_path, monkeypatch, doc_id, slug):
    """Streamlit draws a missing value as the word "None" unless the grid names another placeholder."""
    at = on_step(db_path, monkeypatch, doc_id, slug)
    assert not at.exception
    assert at.dataframe and all(grid.proto.HasField("placeholder") for grid in at.dataframe)
    assert {grid.proto.placeholder for grid in at.dataframe} == {""}
