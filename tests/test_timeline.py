"""Timeline anchors, derived durations and merging interviews into the timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from postmortem.models import (
    Anchor,
    EventKind,
    EventSource,
    Header,
    IncidentTimes,
    Interview,
    InterviewRow,
    PostMortem,
    Severity,
    TimelineEvent,
)
from postmortem.timeline import (
    REQUIRED_ANCHORS,
    anchor_conflicts,
    anchor_times,
    durations,
    fix_for,
    format_duration,
    merge_interview,
    missing_anchors,
    shown_time,
    spans,
    times_from_anchors,
    title_with_recorded_duration,
    with_time,
    written_durations,
)
from tests.conftest import at


def _doc(events=(), severity=Severity.SEV1, **times) -> PostMortem:
    return PostMortem(
        header=Header(incident_id="INC-1", title="t", severity=severity, times=IncidentTimes(**times)),
        timeline=list(events),
    )


def _event(minutes, anchor=None, text="event"):
    return TimelineEvent(at=at(minutes), text=text, anchor=anchor)


def test_anchor_times_prefer_the_timeline_over_the_header():
    doc = _doc([_event(3, Anchor.DETECTION)], detected_at=at(7), started_at=at(0))
    anchors = anchor_times(doc)
    assert anchors[Anchor.DETECTION] == at(3)
    assert anchors[Anchor.TRIGGER] == at(0)  # from the header, the timeline has none


def test_anchor_times_take_the_earliest_event_with_that_anchor():
    doc = _doc([_event(9, Anchor.DETECTION), _event(4, Anchor.DETECTION), _event(6, Anchor.DETECTION)])
    assert anchor_times(doc)[Anchor.DETECTION] == at(4)


def test_anchor_times_include_escalation_which_has_no_header_field():
    assert anchor_times(_doc([_event(8, Anchor.ESCALATION)])) == {Anchor.ESCALATION: at(8)}


def test_anchor_times_of_an_empty_document_are_empty():
    assert anchor_times(_doc()) == {}


def test_times_from_anchors_fills_the_header_and_keeps_the_rest():
    doc = _doc([_event(1, Anchor.TRIGGER), _event(5, Anchor.DETECTION)], closed_at=at(60))
    times = times_from_anchors(doc)
    assert (times.started_at, times.detected_at, times.closed_at, times.resolved_at) == (
        at(1),
        at(5),
        at(60),
        None,
    )


@pytest.mark.parametrize(
    "signal, detect, impact_end, resolve, expected",
    [
        # minutes after start -> (detect, mitigate, resolve) durations in minutes and Sev1 target verdicts
        (0, 4, 20, 60, [(4, True), (16, True), (56, None)]),
        (
            0,
            5,
            35,
            60,
            [(5, False), (30, False), (55, None)],
        ),  # targets are "under", so exactly 5 / 30 misses
        (0, 6, 40, 300, [(6, False), (34, False), (294, None)]),
        (2, 2, 2, 2, [(0, True), (0, True), (0, None)]),
    ],
)
def test_durations_and_sev1_targets(signal, detect, impact_end, resolve, expected):
    doc = _doc(
        [
            _event(signal, Anchor.FIRST_SIGNAL),
            _event(detect, Anchor.DETECTION),
            _event(impact_end, Anchor.IMPACT_ENDED),
            _event(resolve, Anchor.RESOLUTION),
        ]
    )
    got = [(d.value, d.within_target) for d in durations(doc)]
    assert got == [(timedelta(minutes=m), ok) for m, ok in expected]
    assert [d.name for d in durations(doc)] == ["Time to detect", "Time to mitigate", "Time to resolve"]


def test_durations_are_none_when_an_anchor_is_missing():
    doc = _doc([_event(5, Anchor.DETECTION)])
    assert [(d.value, d.within_target) for d in durations(doc)] == [(None, None)] * 3


def test_durations_are_none_when_anchors_are_reversed():
    # The header refuses reversed times, but timeline anchors can be marked in any order.
    doc = _doc([_event(10, Anchor.FIRST_SIGNAL), _event(5, Anchor.DETECTION)])
    assert durations(doc)[0].value is None


def test_durations_mix_timeline_and_header_anchors(doc):
    # The sample: signal 2, detection 5, impact ended 25, resolved 90 minutes after the start.
    values = [d.value for d in durations(doc)]
    assert values == [timedelta(minutes=3), timedelta(minutes=20), timedelta(minutes=85)]


def test_missing_anchors():
    assert missing_anchors(_doc()) == list(REQUIRED_ANCHORS)
    assert missing_anchors(_doc([_event(0, Anchor.TRIGGER)], detected_at=at(3))) == [
        Anchor.FIRST_MITIGATION,
        Anchor.RESOLUTION,
    ]
    full = _doc(
        [_event(0, Anchor.TRIGGER), _event(3, Anchor.DETECTION), _event(5, Anchor.FIRST_MITIGATION)],
        resolved_at=at(9),
    )
    assert missing_anchors(full) == []


@pytest.mark.parametrize(
    "value, text",
    [
        (None, "–"),
        (timedelta(0), "0 min"),
        (timedelta(seconds=59), "0 min"),
        (timedelta(minutes=4, seconds=59), "4 min"),
        (timedelta(minutes=59), "59 min"),
        (timedelta(hours=1), "1 h 0 min"),
        (timedelta(hours=2, minutes=5), "2 h 5 min"),
        (timedelta(days=1), "1 d 0 h 0 min"),
        (timedelta(days=2, minutes=3), "2 d 0 h 3 min"),
        (timedelta(days=3, hours=4, minutes=5), "3 d 4 h 5 min"),
    ],
)
def test_format_duration(value, text):
    assert format_duration(value) == text


def _interviewed(rows, role="database on-call engineer", events=()):
    interview = Interview(role=role, rows=rows)
    return _doc(events).model_copy(update={"interviews": [interview]}), interview.id


def test_merge_interview_adds_dated_rows_with_source_and_role():
    rows = [
        InterviewRow(at=at(7), observed="Replica lag at 40 s", did="Paused the batch job"),
        InterviewRow(at=at(3), knew="A migration was running"),
        InterviewRow(observed="Undated memory: the dashboard was slow"),
    ]
    doc, interview_id = _interviewed(rows, events=[_event(5, Anchor.DETECTION, "Paged")])
    merged = merge_interview(doc, interview_id)

    assert [e.at for e in merged.timeline] == [at(3), at(5), at(7)]  # sorted, undated row left out
    new = [e for e in merged.timeline if e.source is EventSource.INTERVIEW]
    assert [e.text for e in new] == [
        "Knew: A migration was running",
        "Observed: Replica lag at 40 s · Did: Paused the batch job",
    ]
    assert [e.kind for e in new] == [EventKind.OBSERVATION, EventKind.ACTION]
    assert {e.actor_role for e in new} == {"database on-call engineer"}

    merged_rows = merged.interviews[0].rows
    assert merged_rows[0].merged_event_id == new[1].id
    assert merged_rows[1].merged_event_id == new[0].id
    assert merged_rows[2].merged_event_id is None
    assert [e.text for e in doc.timeline] == ["Paged"]  # the original is untouched
    assert all(row.merged_event_id is None for row in doc.interviews[0].rows)
    PostMortem.model_validate(merged.model_dump())


def test_merging_twice_does_not_duplicate():
    doc, interview_id = _interviewed([InterviewRow(at=at(1), did="Restarted the pod")])
    once = merge_interview(doc, interview_id)
    twice = merge_interview(once, interview_id)
    assert len(once.timeline) == len(twice.timeline) == 1
    assert twice == once


def test_merge_picks_up_rows_added_after_the_first_merge():
    doc, interview_id = _interviewed([InterviewRow(at=at(1), did="Restarted the pod")])
    once = merge_interview(doc, interview_id)
    interview = once.interviews[0]
    grown = interview.model_copy(
        update={"rows": [*interview.rows, InterviewRow(at=at(2), observed="Errors fell")]}
    )
    again = merge_interview(once.model_copy(update={"interviews": [grown]}), interview_id)
    assert [e.text for e in again.timeline] == ["Did: Restarted the pod", "Observed: Errors fell"]


def test_merge_skips_dated_rows_without_text_and_other_interviews():
    doc, interview_id = _interviewed([InterviewRow(at=at(1))])
    other = Interview(role="SRE", rows=[InterviewRow(at=at(2), observed="CPU spike")])
    doc = doc.model_copy(update={"interviews": [*doc.interviews, other]})
    merged = merge_interview(doc, interview_id)
    assert merged.timeline == []
    assert merged.interviews[1].rows[0].merged_event_id is None
    assert merge_interview(doc, "no-such-interview") == doc


def _impact(minutes_long: int, title: str, summary: str = "") -> PostMortem:
    doc = _doc([_event(2, Anchor.IMPACT_STARTED), _event(2 + minutes_long, Anchor.IMPACT_ENDED)])
    return doc.model_copy(
        update={"summary": summary, "header": doc.header.model_copy(update={"title": title})}
    )


@pytest.mark.parametrize(
    "minutes, title, summary, found",
    [
        (31, "Checkout failed for 31 minutes", "", []),
        (
            45,
            "Checkout failed for 31 minutes",
            "",
            ["The title says 31 minutes; the recorded customer impact is 45 min."],
        ),
        (1435, "Prices wrong for 24 hours", "", []),  # 23 h 55 min is "24 hours"
        (
            790,
            "Launch slipped by 13 hours",
            "Customers could not get it for 19 hours.",
            ["The summary says 19 hours; the recorded customer impact is 13 h 10 min."],
        ),
        (31, "Outage", "Between 14:02 and 14:33 UTC checkout failed.", []),
        (
            45,
            "Outage",
            "Between 14:02 and 14:33 UTC checkout failed.",
            ["The summary says 14:02 to 14:33; the recorded customer impact is 45 min."],
        ),
    ],
)
def test_durations_written_in_title_or_summary_are_checked_against_the_times(minutes, title, summary, found):
    got = [w.message.split(" Correct")[0] for w in written_durations(_impact(minutes, title, summary))]
    assert got == found


def test_the_title_fix_uses_the_recorded_length_in_the_same_unit():
    assert (
        title_with_recorded_duration(_impact(45, "Checkout failed for 31 minutes"))
        == "Checkout failed for 45 minutes"
    )
    assert title_with_recorded_duration(_impact(60, "Down for 31 minutes")) == "Down for 60 minutes"
    assert title_with_recorded_duration(_impact(31, "Checkout failed for 31 minutes")) is None
    assert title_with_recorded_duration(_doc()) is None  # no recorded impact: nothing to compare


def test_spans_never_start_customer_impact_at_the_trigger():
    doc = _doc(
        [_event(0, Anchor.TRIGGER), _event(10, Anchor.IMPACT_ENDED), _event(50, Anchor.RESOLUTION)],
        unavailable_from=at(3),
        unavailable_to=at(8),
    )
    s = spans(doc)
    assert (s.impact_start, s.impact, s.incident, s.downtime) == (
        None,
        None,
        timedelta(minutes=50),
        timedelta(minutes=5),
    )


def test_conflicts_name_both_times_and_the_fix_moves_the_header_time():
    doc = _doc([_event(130, Anchor.RESOLUTION)], closed_at=at(120))
    [conflict] = anchor_conflicts(doc)
    assert (conflict.earlier, conflict.later) == ("resolved_at", "closed_at")
    assert fix_for(doc, conflict) == ("closed_at", at(130))
    assert anchor_conflicts(with_time(doc, "closed_at", at(130))) == []
    both_rows = _doc([_event(130, Anchor.RESOLUTION), _event(120, Anchor.CLOSED)])
    assert fix_for(both_rows, anchor_conflicts(both_rows)[0]) is None


def test_first_mitigation_attempt_is_never_the_mitigated_time():
    doc = _doc([_event(12, Anchor.FIRST_MITIGATION)])
    times = times_from_anchors(doc)
    assert (times.first_mitigation_at, times.mitigated_at) == (at(12), None)


def test_approximate_times_read_about():
    doc = _doc(impact_started_at=at(0), approximate=["impact_started_at"])
    assert shown_time(doc, "impact_started_at", at(0)) == "about 2026-03-04 10:00"
    assert shown_time(doc, "detected_at", at(0)) == "2026-03-04 10:00"
