"""The wizard through AppTest: every step renders, every kind of widget saves, conflicts are kept."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from apptest_helpers import app_for, edit_table, errors, stored

import storage
from components.session import widget_key
from components.steps import STEPS
from postmortem.edit import with_value
from postmortem.models import ActionItem, TriggerKind, new_postmortem


@pytest.fixture
def empty_id(db_path) -> int:
    return storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=new_postmortem("INC-2026-0007", "Queue backlog")
    ).id


@pytest.fixture
def full_id(db_path, doc) -> int:
    return storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id


def on_step(db_path, monkeypatch, doc_id: int, slug: str):
    at = app_for(db_path, monkeypatch, doc_id)
    script = next(step.script for step in STEPS if step.slug == slug)
    return at.switch_page(script).run()


@pytest.mark.parametrize("step", STEPS, ids=[s.slug for s in STEPS])
@pytest.mark.parametrize("which", ["empty_id", "full_id"])
def test_every_step_renders_for_empty_and_full_documents(db_path, monkeypatch, request, step, which):
    doc_id = request.getfixturevalue(which)
    at = on_step(db_path, monkeypatch, doc_id, step.slug)
    assert not at.exception, at.exception
    assert at.title[0].value == step.title


def test_a_step_without_an_open_document_points_home(db_path, monkeypatch):
    at = app_for(db_path, monkeypatch)
    at.switch_page("pages/02_summary.py").run()
    assert "Open a post-mortem first" in at.info[0].value


def test_new_postmortem_states_the_policy_then_creates_and_opens_it(db_path, monkeypatch):
    at = app_for(db_path, monkeypatch)
    at.selectbox(key="new:trigger").set_value(TriggerKind.DATA_LOSS).run()
    at.selectbox(key="new:severity").select("Sev3").run()
    assert "Post-mortem mandatory" in at.success[0].value
    assert "Any loss of data" in at.success[0].value
    title = next(t for t in at.text_input if t.label == "Title")
    title.input("Orders lost during failover")
    next(b for b in at.button if b.label == "Create post-mortem").click().run()
    assert not at.exception
    rows = storage.list_documents(db=storage.connect(db_path, actor=storage.LOCAL))
    assert [(r.title, r.severity, r.trigger) for r in rows] == [
        ("Orders lost during failover", "Sev3", "data loss")
    ]
    assert at.title[0].value == "Header"


def test_sev4_says_a_post_mortem_is_usually_not_needed(db_path, monkeypatch):
    at = app_for(db_path, monkeypatch)
    at.selectbox(key="new:severity").select("Sev4").run()
    assert any("not needed" in box.value for box in at.info)


def test_text_area_autosaves_and_survives_a_new_session(db_path, monkeypatch, empty_id):
    at = on_step(db_path, monkeypatch, empty_id, "summary")
    at.text_area(key=widget_key(empty_id, "summary")).input("The queue backed up. Orders waited.").run()
    assert stored(db_path, empty_id).doc.summary == "The queue backed up. Orders waited."
    assert any("Saved" in t.value for t in at.toast)
    again = on_step(db_path, monkeypatch, empty_id, "summary")  # a reload: new session, same URL
    assert again.text_area(key=widget_key(empty_id, "summary")).value == "The queue backed up. Orders waited."


def test_invalid_input_is_refused_with_a_field_message_and_nothing_changes(db_path, monkeypatch, empty_id):
    at = on_step(db_path, monkeypatch, empty_id, "header")
    before = stored(db_path, empty_id)
    at.text_input(key=widget_key(empty_id, "header.incident_id")).input("INC 2026/7 ✗").run()
    assert any("Incident ID" in e for e in errors(at))
    after = stored(db_path, empty_id)
    assert (after.version, after.doc) == (before.version, before.doc)


def test_lowering_severity_needs_a_reason(db_path, monkeypatch, empty_id):
    at = on_step(db_path, monkeypatch, empty_id, "header")
    form_select = next(s for s in at.selectbox if s.label == "Change severity to")
    form_select.select("Sev4")
    next(b for b in at.button if b.label == "Record severity change").click().run()
    assert any("needs a reason" in e for e in errors(at))
    assert stored(db_path, empty_id).doc.header.severity == "Sev2"
    form_select = next(s for s in at.selectbox if s.label == "Change severity to")
    form_select.select("Sev4")
    next(t for t in at.text_input if t.label.startswith("Reason")).input("Only internal users were affected")
    next(b for b in at.button if b.label == "Record severity change").click().run()
    header = stored(db_path, empty_id).doc.header
    assert header.severity == "Sev4"
    assert header.severity_changes[-1].reason == "Only internal users were affected"


def test_impact_numbers_and_choices_save(db_path, monkeypatch, empty_id):
    at = on_step(db_path, monkeypatch, empty_id, "impact")
    at.number_input(key=widget_key(empty_id, "impact.customers_affected")).set_value(1250).run()
    at.number_input(key=widget_key(empty_id, "impact.revenue")).set_value(9800.5).run()
    at.radio(key=widget_key(empty_id, "impact.regulatory.reportable")).set_value("Yes").run()
    impact = stored(db_path, empty_id).doc.impact
    assert impact.customers_affected == 1250
    assert str(impact.revenue.amount) == "9800.5" and impact.revenue.currency == "USD"
    assert impact.regulatory.reportable is True


def test_timeline_rows_are_added_sorted_and_give_durations(db_path, monkeypatch, empty_id):
    at = on_step(db_path, monkeypatch, empty_id, "timeline")
    at = edit_table(
        at,
        empty_id,
        "timeline",
        added=[
            {"at": "2026-05-01T10:20:00", "text": "Rollback finished", "anchor": "customer impact ended"},
            {"at": "2026-05-01T10:00:00", "text": "Deploy reached prod", "anchor": "trigger"},
            {"at": "2026-05-01T10:04:00", "text": "Latency alert", "anchor": "first signal"},
            {
                "at": "2026-05-01T10:06:00",
                "text": "Page acknowledged",
                "anchor": "detection",
                "is_decision": True,
            },
        ],
    )
    assert not at.exception and not errors(at)
    timeline = stored(db_path, empty_id).doc.timeline
    assert [e.text for e in timeline] == [
        "Deploy reached prod",
        "Latency alert",
        "Page acknowledged",
        "Rollback finished",
    ]
    assert timeline[0].at == datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
    assert timeline[2].decision is not None
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Time to detect"] == "2 min" and metrics["Time to mitigate"] == "14 min"


def test_timeline_edit_and_delete_rows(db_path, monkeypatch, full_id):
    at = on_step(db_path, monkeypatch, full_id, "timeline")
    first = stored(db_path, full_id).doc.timeline
    at = edit_table(
        at, full_id, "timeline", edited={0: {"text": "Config push reached prod (edited)"}}, deleted=[1]
    )
    timeline = stored(db_path, full_id).doc.timeline
    assert timeline[0].text == "Config push reached prod (edited)" and timeline[0].id == first[0].id
    assert len(timeline) == len(first) - 1 and first[1].id not in {e.id for e in timeline}


def test_decision_point_questions_save(db_path, monkeypatch, empty_id):
    at = on_step(db_path, monkeypatch, empty_id, "timeline")
    at = edit_table(
        at,
        empty_id,
        "timeline",
        added=[{"at": "2026-05-01T10:06:00", "text": "Chose to roll back", "is_decision": True}],
    )
    picker = at.selectbox(key=f"decisions:{empty_id}")
    assert picker.value is None and picker.label == "Decision points: 1, 1 with questions still open"
    assert widget_key(empty_id, "timeline.0.decision.options") not in [t.key for t in at.text_area]
    at = picker.set_value(0).run()
    at.text_area(key=widget_key(empty_id, "timeline.0.decision.options")).input("Roll back; hotfix").run()
    at.radio(key=widget_key(empty_id, "timeline.0.decision.reversible")).set_value(
        "Yes, it could be undone"
    ).run()
    decision = stored(db_path, empty_id).doc.timeline[0].decision
    assert decision.options == "Roll back; hotfix" and decision.reversible is True
    assert (
        at.selectbox(key=f"decisions:{empty_id}").label == "Decision points: 1, 1 with questions still open"
    )


def test_interview_rows_merge_into_the_timeline_once(db_path, monkeypatch, empty_id):
    at = on_step(db_path, monkeypatch, empty_id, "timeline")
    at.text_input(key=widget_key(empty_id, "new-interview")).input("database on-call engineer").run()
    doc = stored(db_path, empty_id).doc
    assert [i.role for i in doc.interviews] == ["database on-call engineer"]
    at = edit_table(
        at,
        empty_id,
        "interviews.0.rows",
        added=[
            {
                "at": "2026-05-01T10:05:00",
                "observed": "Pool at 100%",
                "did": "Paged the DBA",
                "knew": "Nothing yet",
            }
        ],
    )
    merge = next(b for b in at.button if b.label.startswith("Merge 1 dated rows"))
    merge.click().run()
    timeline = stored(db_path, empty_id).doc.timeline
    assert len(timeline) == 1 and timeline[0].source == "interview"
    assert timeline[0].actor_role == "database on-call engineer"
    assert next(b for b in at.button if b.label.startswith("Merge")).disabled


def test_an_interview_opens_only_when_chosen(db_path, monkeypatch, empty_id):
    """The worksheet is a grid: none is drawn until the author picks an interview (or adds one)."""
    at = on_step(db_path, monkeypatch, empty_id, "timeline")
    for role in ("database on-call engineer", "incident commander"):
        at.text_input(key=widget_key(empty_id, "new-interview")).input(role).run()
    assert at.selectbox(key=f"interviews:{empty_id}").value == 1  # the one just added is open
    at = on_step(db_path, monkeypatch, empty_id, "timeline")  # a new visit: nothing chosen yet
    picker = at.selectbox(key=f"interviews:{empty_id}")
    assert picker.value is None and picker.label == "Interview (2)"
    assert len(at.data_editor) == 1  # the timeline's own grid only
    at = picker.set_value(0).run()
    assert len(at.data_editor) == 2
    assert any(b.label.startswith("Merge 0 dated rows") for b in at.button)


def test_went_well_counter_follows_entries(db_path, monkeypatch, empty_id):
    at = on_step(db_path, monkeypatch, empty_id, "went-well")
    assert "At least one entry is required" in at.warning[0].value
    at = edit_table(
        at, empty_id, "went_well", added=[{"text": "Alert fired within 2 minutes", "group": "Detection"}]
    )
    assert "1 recorded" in at.info[0].value
    assert len(at.expander) >= 8  # the eight prompt groups


def test_blank_added_row_is_not_saved_until_it_has_text(db_path, monkeypatch, empty_id):
    at = on_step(db_path, monkeypatch, empty_id, "went-wrong")
    before = stored(db_path, empty_id).version
    edit_table(at, empty_id, "went_wrong", added=[{}])
    assert stored(db_path, empty_id).version == before


def test_action_item_cancel_needs_a_reason_and_closing_stamps_the_time(db_path, monkeypatch, empty_id):
    at = on_step(db_path, monkeypatch, empty_id, "actions")
    at = edit_table(
        at, empty_id, "action_items", added=[{"title": "Alert on pool use above 80%", "status": "open"}]
    )
    at = edit_table(at, empty_id, "action_items", edited={0: {"status": "cancelled"}})
    assert any("cancelled action item needs a written reason" in e for e in errors(at))
    assert stored(db_path, empty_id).doc.action_items[0].status == "open"
    at = edit_table(at, empty_id, "action_items", edited={0: {"status": "done"}})
    item = stored(db_path, empty_id).doc.action_items[0]
    assert item.status == "done" and item.closed_at is not None
    at = edit_table(at, empty_id, "action_items", edited={0: {"status": "in progress"}})
    assert stored(db_path, empty_id).doc.action_items[0].closed_at is None


def test_a_stale_save_to_the_same_words_is_held_and_settled_part_by_part(db_path, monkeypatch, empty_id):
    first = on_step(db_path, monkeypatch, empty_id, "summary")
    second = on_step(db_path, monkeypatch, empty_id, "summary")
    first.text_area(key=widget_key(empty_id, "summary")).input("Text from the first author.").run()
    second.text_area(key=widget_key(empty_id, "summary")).input("Text from the second author.").run()
    assert stored(db_path, empty_id).doc.summary == "Text from the first author."
    assert any("changed while you were editing" in e for e in errors(second))
    shown = " ".join(m.value for m in second.markdown)
    assert "second author" in shown and "first author" in shown  # both texts, side by side
    second.radio(key=f"conflict:{empty_id}:part:1").set_value("both")
    next(b for b in second.button if b.label == "Save with these choices").click().run()
    summary = stored(db_path, empty_id).doc.summary
    assert "second author" in summary and "first author" in summary
    assert not any("changed while you were editing" in e for e in errors(second))


def test_stale_saves_to_different_parts_of_one_text_merge_without_asking(db_path, monkeypatch, empty_id):
    base = "The queue backed up. Consumers stalled for 40 minutes. We restarted them."
    first = on_step(db_path, monkeypatch, empty_id, "summary")
    first.text_area(key=widget_key(empty_id, "summary")).input(base).run()
    second = on_step(db_path, monkeypatch, empty_id, "summary")
    first.text_area(key=widget_key(empty_id, "summary")).input(base.replace("40 minutes", "42 minutes")).run()
    second.text_area(key=widget_key(empty_id, "summary")).input(base + " Lag alerts now page.").run()
    expected = (
        "The queue backed up. Consumers stalled for 42 minutes. We restarted them. Lag alerts now page."
    )
    assert stored(db_path, empty_id).doc.summary == expected
    assert not any("changed while you were editing" in e for e in errors(second))
    assert second.text_area(key=widget_key(empty_id, "summary")).value == expected


def test_rows_two_people_add_to_one_table_at_once_are_both_kept(db_path, monkeypatch, empty_id):
    first = on_step(db_path, monkeypatch, empty_id, "went-wrong")
    second = on_step(db_path, monkeypatch, empty_id, "went-wrong")
    edit_table(first, empty_id, "went_wrong", added=[{"text": "No alert on queue depth"}])
    second = edit_table(second, empty_id, "went_wrong", added=[{"text": "Runbook named the old host"}])
    texts = [n.text for n in stored(db_path, empty_id).doc.went_wrong]
    assert texts == ["No alert on queue depth", "Runbook named the old host"]
    assert not any("changed while you were editing" in e for e in errors(second))


def test_one_row_two_people_changed_is_held_with_both_values(db_path, monkeypatch, empty_id):
    first = on_step(db_path, monkeypatch, empty_id, "went-wrong")
    first = edit_table(first, empty_id, "went_wrong", added=[{"text": "No alert"}])
    second = on_step(db_path, monkeypatch, empty_id, "went-wrong")
    edit_table(first, empty_id, "went_wrong", edited={0: {"text": "No alert on queue depth"}})
    second = edit_table(second, empty_id, "went_wrong", edited={0: {"text": "No alert on consumer lag"}})
    assert [n.text for n in stored(db_path, empty_id).doc.went_wrong] == ["No alert on queue depth"]
    assert any("changed while you were editing" in e for e in errors(second))
    codes = [c.value for c in second.code]
    assert "No alert on consumer lag" in codes and "No alert on queue depth" in codes


def test_a_stale_change_to_another_field_is_saved_on_top(db_path, monkeypatch, empty_id):
    first = on_step(db_path, monkeypatch, empty_id, "summary")
    second = on_step(db_path, monkeypatch, empty_id, "header")
    first.text_area(key=widget_key(empty_id, "summary")).input("Theirs.").run()
    second.text_input(key=widget_key(empty_id, "header.title")).input("Queue backlog in EU").run()
    now = stored(db_path, empty_id).doc
    assert (now.summary, now.header.title) == ("Theirs.", "Queue backlog in EU")
    assert now == stored(db_path, empty_id).doc and stored(db_path, empty_id).version == 3  # one save each


def test_discarding_a_conflict_loads_the_other_version(db_path, monkeypatch, empty_id):
    first = on_step(db_path, monkeypatch, empty_id, "summary")
    second = on_step(db_path, monkeypatch, empty_id, "summary")
    first.text_area(key=widget_key(empty_id, "summary")).input("Theirs.").run()
    second.text_area(key=widget_key(empty_id, "summary")).input("Mine.").run()
    next(b for b in second.button if b.label == "Discard my change and load theirs").click().run()
    assert second.text_area(key=widget_key(empty_id, "summary")).value == "Theirs."
    assert stored(db_path, empty_id).doc.summary == "Theirs."


def test_review_lists_sections_and_restores_a_revision(db_path, monkeypatch, empty_id):
    at = on_step(db_path, monkeypatch, empty_id, "summary")
    at.text_area(key=widget_key(empty_id, "summary")).input("First draft.").run()
    at.text_area(key=widget_key(empty_id, "summary")).input("Second draft.").run()
    at.switch_page("pages/12_review.py").run()
    assert "Write the summary." not in [m.value for m in at.markdown]
    at.selectbox(key=f"history:{empty_id}").select(2).run()
    next(b for b in at.button if b.label == "Restore version 2").click().run()
    now = stored(db_path, empty_id)
    assert now.doc.summary == "First draft." and now.version == 4


def test_user_text_is_shown_literally_in_the_sidebar(db_path, monkeypatch):
    title = "<img src=x onerror=alert(1)> **bold** [x](javascript:alert(1))"
    doc_id = storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=new_postmortem("INC-9", title)
    ).id
    at = app_for(db_path, monkeypatch, doc_id)  # through app.py, which draws the sidebar
    caption = next(c.value for c in at.sidebar.caption if c.value.startswith("**INC"))
    assert re.search(r"(?<!\\)[<>*\[\]()]", caption.split("·", 1)[1]) is None  # every marker escaped
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in caption


def test_home_lists_deadlines_and_bin_restores(db_path, monkeypatch, full_id):
    at = app_for(db_path, monkeypatch)
    links = [link for link in at.get("page_link")]
    assert [link.proto.query_string for link in links if "doc=" in link.proto.query_string] == [
        f"doc={full_id}"
    ]
    shown = " ".join(m.value for m in at.markdown)
    assert "INC\\-2026\\-0001" in shown and "2026" in shown and "business" not in shown
    next(b for b in at.button if b.key == f"home:bin:{full_id}").click().run()
    assert storage.list_documents(db=storage.connect(db_path, actor=storage.LOCAL)) == []
    restore = next(b for b in at.button if b.label.startswith("Restore INC\\-2026\\-0001"))
    restore.click().run()
    assert [r.id for r in storage.list_documents(db=storage.connect(db_path, actor=storage.LOCAL))] == [
        full_id
    ]


def test_home_pages_and_filters_in_sql(db_path, monkeypatch):
    db = storage.connect(db_path, actor=storage.LOCAL)
    for n in range(30):
        doc = new_postmortem(f"INC-2026-{n:04d}", f"Incident number {n}")
        storage.create(db=db, doc=with_value(doc, "header.severity", "Sev1" if n % 3 == 0 else "Sev2"))
    at = app_for(db_path, monkeypatch)
    assert any("30 post-mortems · showing 1–25 (page 1 of 2)" in c.value for c in at.caption)
    at.session_state["page"] = 2  # what the pagination widget sends
    at.run()
    assert any("showing 26–30 (page 2 of 2)" in c.value for c in at.caption)
    at.multiselect(key="severity").select("Sev1").run()
    assert any(
        "10 post-mortems · showing 1–10 (page 1 of 1)" in c.value for c in at.caption
    )  # back to page 1
    at.toggle(key="overdue").set_value(True).run()
    assert any("No post-mortems match these filters." in i.value for i in at.info)


@pytest.mark.parametrize(
    "slug, columns",
    [
        ("timeline", {"kind": "observation", "source": "other", "is_decision": False, "internal": False}),
        ("actions", {"status": "open"}),
        ("factors", {"category": "process"}),
        ("appendix", {"role": "author"}),  # contacts and links both have a "kind" column
    ],
)
def test_required_choice_columns_bring_a_default_so_new_rows_reach_the_server(
    db_path, monkeypatch, empty_id, slug, columns
):
    at = on_step(db_path, monkeypatch, empty_id, slug)
    configs = {}
    for editor in at.data_editor:
        configs.update(json.loads(editor.proto.columns))
    for name, default in columns.items():
        assert configs[name].get("default") == default, (name, configs[name])


def test_action_items_link_to_tree_boxes_and_factors_by_label(db_path, monkeypatch, sample):
    from postmortem import causal, causal_text

    base = sample(action_items=[ActionItem(title="Alert at 80% pool use")])
    doc = causal.with_tree(base, causal_text.parse_outline("Checkout failed\n  Pool exhausted\n  Alert late"))
    doc_id = storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id
    at = on_step(db_path, monkeypatch, doc_id, "actions")
    options = [
        o["value"] for o in json.loads(at.data_editor[0].proto.columns)["addresses"]["type_config"]["options"]
    ]
    assert options[:2] == ["T1 · Pool exhausted", "T2 · Alert late"] and options[2].startswith("C1 · ")
    at = edit_table(at, doc_id, "action_items", edited={0: {"addresses": ["T2 · Alert late", options[2]]}})
    saved = stored(db_path, doc_id).doc
    alert = next(n.id for n in saved.root_cause.causal_tree.nodes if n.text == "Alert late")
    assert saved.action_items[0].factor_ids == [alert, saved.contributing_factors[0].id]
    assert causal.coverage(saved).addressed[alert] == "A1"
