"""No traceback from times that contradict each other: every step renders, the conflict is explained at
the time that causes it, and its button puts it right (issue 12, item 1)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from apptest_helpers import app_for, stored

import storage
from components.steps import STEPS
from postmortem.models import (
    ActionItem,
    Anchor,
    Impact,
    IncidentTimes,
    Money,
    Priority,
    TimelineEvent,
    new_postmortem,
)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def contradictory():
    """Valid to the model row by row, contradictory together: the header closes before the timeline's
    resolution, impact ends before it began, and mitigation precedes detection."""
    doc = new_postmortem(
        "INC-2025-1115",
        "Database wraparound",
        times=IncidentTimes(
            started_at=_utc("2025-11-14 22:00"),
            closed_at=_utc("2025-11-15 06:20"),
            impact_started_at=_utc("2025-11-15 05:00"),
        ),
    )
    rows = [
        TimelineEvent(at=_utc("2025-11-15 06:30"), text="Vacuum finished", anchor=Anchor.RESOLUTION),
        TimelineEvent(at=_utc("2025-11-15 04:00"), text="Writes succeed again", anchor=Anchor.IMPACT_ENDED),
        TimelineEvent(at=_utc("2025-11-15 03:00"), text="Replica promoted", anchor=Anchor.MITIGATED),
        TimelineEvent(at=_utc("2025-11-15 03:30"), text="Pager fired", anchor=Anchor.DETECTION),
    ]
    impact = Impact(customers_affected=0, revenue=Money(amount=0))
    actions = [
        ActionItem(title="Alert on transaction ID age", priority=Priority.P0, owner="nobody in contacts")
    ]
    return doc.model_copy(
        update={
            "timeline": rows,
            "impact": impact,
            "action_items": actions,
            "summary": "Writes failed for 3 hours.",
        }
    )


@pytest.fixture
def doc_id(db_path) -> int:
    return storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=contradictory()).id


@pytest.mark.parametrize("step", STEPS, ids=[s.slug for s in STEPS])
def test_every_step_renders_without_a_traceback(db_path, monkeypatch, doc_id, step):
    at = app_for(db_path, monkeypatch, doc_id).switch_page(step.script).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == step.title


def _timeline(db_path, monkeypatch, doc_id):
    return app_for(db_path, monkeypatch, doc_id).switch_page("pages/04_timeline.py").run()


def test_the_conflict_is_explained_with_the_fix(db_path, monkeypatch, doc_id):
    at = _timeline(db_path, monkeypatch, doc_id)
    messages = [e.value for e in at.error]
    assert any(
        "Closed 15 Nov 06:20 is before Fully resolved 15 Nov 06:30" in m and "Change Closed" in m
        for m in messages
    ), messages
    assert any("Customer impact ended" in m and "before Customer impact began" in m for m in messages), (
        messages
    )
    # Navigation and the parts below the durations still render.
    assert any(s.value == "Interviews" for s in at.subheader)


def test_the_button_moves_the_header_time_and_the_conflict_goes(db_path, monkeypatch, doc_id):
    at = _timeline(db_path, monkeypatch, doc_id)
    fix = next(b for b in at.button if b.label == "Set Closed to 15 Nov 06:30 UTC")
    at = fix.click().run()
    assert not at.exception
    assert stored(db_path, doc_id).doc.header.times.closed_at == _utc("2025-11-15 06:30")
    assert not any("Closed 15 Nov" in e.value for e in at.error)


def test_two_timeline_rows_out_of_order_get_advice_not_a_button(db_path, monkeypatch, doc_id):
    at = _timeline(db_path, monkeypatch, doc_id)
    # Detection (03:30) and mitigated (03:00) both come from rows: the author moves a row.
    assert any(
        "Mitigated (impact under control) 15 Nov 03:00 is before Detected" in e.value for e in at.error
    )
    assert not any(b.label.startswith("Set Mitigated") for b in at.button)
    assert any("Both times come from timeline rows" in c.value for c in at.caption)


def test_a_title_that_contradicts_the_times_is_fixed_with_one_click(db_path, monkeypatch):
    doc = new_postmortem(
        "INC-2026-0500",
        "Checkout failed for 31 minutes",
        times=IncidentTimes(
            impact_started_at=_utc("2026-03-10 14:00"), impact_ended_at=_utc("2026-03-10 14:45")
        ),
    )
    doc_id = storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id
    at = _timeline(db_path, monkeypatch, doc_id)
    assert any(
        "The title says 31 minutes; the recorded customer impact is 45 min." in w.value for w in at.warning
    )
    at = (
        next(b for b in at.button if b.label == "Change the title to: Checkout failed for 45 minutes")
        .click()
        .run()
    )
    assert not at.exception
    assert stored(db_path, doc_id).doc.header.title == "Checkout failed for 45 minutes"
    assert not any("The title says" in w.value for w in at.warning)
