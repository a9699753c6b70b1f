"""The review-meeting agenda and invitation, and the guidance cases on the Review step."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exports.agenda import BOXES, agenda_ics, agenda_markdown, meeting_day, slots
from postmortem import review
from postmortem.demo import demo_documents
from postmortem.models import Note, Severity
from postmortem.severity import change_severity

START = datetime(2026, 3, 12, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize("length", [60, 75, 90])
def test_time_boxes_fill_the_meeting_back_to_back(length):
    boxes = slots(START, length)
    assert [b.title for b in boxes] == [t for t, _ in BOXES]
    assert sum(b.minutes for b in boxes) == length
    for before, after in zip(boxes, boxes[1:], strict=False):
        assert before.start + timedelta(minutes=before.minutes) == after.start


def test_a_meeting_outside_60_to_90_minutes_is_refused():
    with pytest.raises(ValueError):
        slots(START, 30)


@pytest.mark.parametrize(
    "today, deadline, expected",
    [
        (date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 10)),  # Monday: Tuesday
        (date(2026, 3, 13), date(2026, 3, 20), date(2026, 3, 16)),  # Friday: next Monday
        (date(2026, 3, 13), date(2026, 3, 13), date(2026, 3, 13)),  # due today: today
        (date(2026, 3, 9), None, date(2026, 3, 10)),
    ],
)
def test_the_meeting_day_is_inside_the_deadline(today, deadline, expected):
    assert meeting_day(deadline, today) == expected


def test_the_agenda_follows_the_document():
    doc = demo_documents()[0]
    text = agenda_markdown(doc, START, 90).decode()
    assert text.startswith("# Post-mortem review: ")
    for title, _ in BOXES:
        assert f"· {title} (" in text
    assert "Thursday 12 March 2026, 14:00 UTC · 90 minutes" in text
    assert doc.action_items[0].title[:20] in text.replace("\\", "")


def test_the_invitation_is_a_valid_calendar_event():
    data = agenda_ics(demo_documents()[0], START, 60, stamp=START).decode("utf-8")
    lines = data.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "DTSTART:20260312T140000Z" in lines and "DTEND:20260312T150000Z" in lines
    assert all(len(line.encode()) <= 75 for line in lines)


@settings(deadline=None, max_examples=60)  # renders the whole agenda per example; no timing asserts
@given(title=st.text(min_size=1, max_size=300).filter(lambda t: t.strip()))
def test_any_title_folds_into_short_lines_and_unfolds_back(title):
    doc = demo_documents()[0]
    doc = doc.model_copy(update={"header": doc.header.model_copy(update={"title": title})})
    data = agenda_ics(doc, START, 60, stamp=START).decode("utf-8")
    assert all(len(line.encode()) <= 75 for line in data.split("\r\n"))
    unfolded = data.replace("\r\n ", "")
    summary = next(line for line in unfolded.split("\r\n") if line.startswith("SUMMARY:"))
    assert "\n" not in summary and "\r" not in summary


def _cases(doc, today):
    return [g.case for g in review.guidance(doc, today=today, country="US")]


def test_guidance_cases(sample):
    doc = sample()
    closed = doc.header.times.closed_at.date()
    assert _cases(doc, closed) == []
    empty = doc.model_copy(update={"summary": "", "timeline": [], "went_wrong": [], "went_well": []})
    assert _cases(empty, closed + timedelta(days=6)) == ["no-first-draft", "went-well-empty"]
    assert "deadline-passed" in _cases(doc, closed + timedelta(days=30))
    lowered = change_severity(doc, Severity.SEV4, START, "Impact smaller than first thought.")
    [message] = [
        g.message
        for g in review.guidance(lowered, today=closed, country="US")
        if g.case == "severity-lowered"
    ]
    assert "Impact smaller than first thought." in message
    full = doc.model_copy(update={"went_well": [Note(text="x")]})
    assert "went-well-empty" not in _cases(full, closed)
