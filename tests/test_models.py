"""The document model: what it accepts, what it refuses, and that JSON round trips are lossless."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from postmortem.models import (
    ActionItem,
    ActionStatus,
    Header,
    IncidentTimes,
    Note,
    PostMortem,
    Severity,
    TimelineEvent,
    new_postmortem,
)
from tests.conftest import T0, at, build_postmortem

# Unicode's White_Space property: what pydantic's str_strip_whitespace trims from both ends.
UNICODE_WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)


def _header(**times):
    return {"incident_id": "INC-1", "title": "t", "times": times}


def test_new_postmortem_is_a_valid_blank_draft():
    doc = new_postmortem("INC-2026-0042", "DB outage", severity=Severity.SEV0)
    assert doc.header.incident_id == "INC-2026-0042"
    assert doc.header.severity is Severity.SEV0
    assert doc.timeline == [] and doc.action_items == [] and doc.summary == ""


def test_two_blank_drafts_do_not_share_mutable_defaults():
    a, b = new_postmortem("INC-1", "a"), new_postmortem("INC-2", "b")
    a.went_well.append(Note(text="shared?"))
    a.header.services.append("api")
    assert b.went_well == [] and b.header.services == []


@pytest.mark.parametrize(
    "given_time, stored",
    [
        ("2026-03-04T12:15:00+02:00", datetime(2026, 3, 4, 10, 15, tzinfo=UTC)),
        ("2026-03-04T05:15:00-05:00", datetime(2026, 3, 4, 10, 15, tzinfo=UTC)),
        ("2026-03-04T10:15:00Z", datetime(2026, 3, 4, 10, 15, tzinfo=UTC)),
        (
            datetime(2026, 3, 4, 15, 45, tzinfo=timezone(timedelta(hours=5, minutes=30))),
            datetime(2026, 3, 4, 10, 15, tzinfo=UTC),
        ),
    ],
)
def test_times_are_normalised_to_utc(given_time, stored):
    doc = PostMortem.model_validate({"header": _header(started_at=given_time)})
    started = doc.header.times.started_at
    assert started == stored
    assert started.utcoffset() == timedelta(0)
    assert started.tzinfo is UTC
    assert '"started_at":"2026-03-04T10:15:00Z"' in doc.model_dump_json()


@pytest.mark.parametrize("naive", ["2026-03-04T10:15:00", datetime(2026, 3, 4, 10, 15)])
def test_naive_times_are_refused(naive):
    with pytest.raises(ValidationError) as error:
        TimelineEvent(at=naive, text="x")
    assert error.value.errors()[0]["type"] == "timezone_aware"


@pytest.mark.parametrize(
    "earlier, later, sentence",
    [
        ("first_signal_at", "detected_at", "Detection cannot come before the first signal."),
        ("started_at", "impact_ended_at", "Impact cannot end before the incident started."),
        ("detected_at", "mitigated_at", "Mitigation cannot come before detection."),
        ("detected_at", "resolved_at", "Resolution cannot come before detection."),
        ("resolved_at", "closed_at", "The incident cannot close before it was resolved."),
    ],
)
def test_times_out_of_order_are_refused_with_the_sentence(earlier, later, sentence):
    with pytest.raises(ValidationError) as error:
        IncidentTimes(**{earlier: at(10), later: at(9)})
    assert sentence in str(error.value)
    IncidentTimes(**{earlier: at(10), later: at(10)})  # the same moment is fine
    IncidentTimes(**{earlier: at(10)})  # and so is a missing partner


def test_order_is_checked_after_conversion_to_utc():
    # 10:30+02:00 is 08:30Z, which is before a 09:00Z first signal.
    with pytest.raises(ValidationError, match="Detection cannot come before the first signal"):
        IncidentTimes(first_signal_at="2026-03-04T09:00Z", detected_at="2026-03-04T10:30+02:00")


def test_cancelled_action_item_needs_a_reason():
    with pytest.raises(ValidationError, match="A cancelled action item needs a written reason."):
        ActionItem(title="Add an alert", status=ActionStatus.CANCELLED)
    with pytest.raises(ValidationError, match="needs a written reason"):
        ActionItem(title="Add an alert", status=ActionStatus.CANCELLED, cancel_reason="   ")
    item = ActionItem(title="Add an alert", status=ActionStatus.CANCELLED, cancel_reason="Covered by PAY-7.")
    assert item.cancel_reason == "Covered by PAY-7."


@pytest.mark.parametrize(
    "data",
    [
        {"header": _header(), "sumary": "typo"},
        {"header": {**_header(), "sev": "Sev1"}},
        {"header": _header(), "impact": {"customers": 3}},
        {"header": _header(), "timeline": [{"at": "2026-03-04T10:00Z", "text": "x", "who": "Bob"}]},
        {"header": _header(), "action_items": [{"title": "x", "assignee": "Bob"}]},
    ],
)
def test_unknown_fields_are_refused(data):
    with pytest.raises(ValidationError) as error:
        PostMortem.model_validate(data)
    assert [e["type"] for e in error.value.errors()] == ["extra_forbidden"]


def test_timeline_is_sorted_by_time():
    events = [TimelineEvent(at=at(m), text=f"at {m}") for m in (30, 5, 20, 0)]
    doc = build_postmortem(timeline=events)
    assert [e.text for e in doc.timeline] == ["at 0", "at 5", "at 20", "at 30"]


def test_timeline_sort_compares_instants_not_local_clock_readings():
    doc = PostMortem.model_validate(
        {
            "header": _header(),
            "timeline": [
                {"at": "2026-03-04T11:00+02:00", "text": "09:00Z"},
                {"at": "2026-03-04T10:00Z", "text": "10:00Z"},
                {"at": "2026-03-04T04:30-05:00", "text": "09:30Z"},
            ],
        }
    )
    assert [e.text for e in doc.timeline] == ["09:00Z", "09:30Z", "10:00Z"]


def test_json_round_trip_is_equal(doc):
    again = PostMortem.model_validate_json(doc.model_dump_json())
    assert again == doc
    assert again.model_dump_json() == doc.model_dump_json()


def test_rows_in_one_list_may_not_share_an_id():
    # Storage projects action items by (document, item id): a duplicate could not be saved.
    with pytest.raises(ValidationError, match="Two rows share the id 'a1'"):
        build_postmortem(action_items=[ActionItem(id="a1", title="one"), ActionItem(id="a1", title="two")])
    with pytest.raises(ValidationError, match="share the id"):
        build_postmortem(went_well=[Note(id="n", text="one"), Note(id="n", text="two")])
    same_id_in_two_lists = build_postmortem(
        went_well=[Note(id="n", text="a")], lessons=[Note(id="n", text="b")]
    )
    assert same_id_in_two_lists.lessons[0].id == "n"


WEIRD_TEXTS = [
    "Rollback 🚀🔥 done 👩🏽‍💻 (ZWJ family: 👨‍👩‍👧‍👦)",
    "הצוות חזר לגרסה הקודמת",  # Hebrew, right to left
    "\u202eRTL override\u202c and \u200fRLM",
    "Cafe\u0301 with a combining acute, Z\u0351\u0348a\u0362lgo",
    # Control characters are stripped at the model boundary now: tests/test_trust.py (hole 9).
    "CJK 障害の振り返り and 한국어",
    "math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and a lone BOM \ufeff in the middle",
]


@pytest.mark.parametrize("text", WEIRD_TEXTS)
def test_weird_unicode_is_accepted_and_round_trips(text):
    doc = build_postmortem(
        summary=text,
        went_well=[Note(text=text)],
        timeline=[TimelineEvent(at=T0, text=text, actor_role=text[:500])],
    )
    assert doc.summary == text
    again = PostMortem.model_validate_json(doc.model_dump_json())
    assert again.summary == text and again.went_well[0].text == text and again.timeline[0].text == text


def test_text_fields_take_up_to_100_000_characters():
    doc = build_postmortem(summary="x" * 100_000, went_well=[Note(text="é" * 100_000)])
    assert len(doc.summary) == 100_000
    with pytest.raises(ValidationError) as error:
        build_postmortem(summary="x" * 100_001)
    assert error.value.errors()[0]["type"] == "string_too_long"
    with pytest.raises(ValidationError):
        Note(text="🙂" * 100_001)  # counted in characters, not bytes


@settings(deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))))
def test_any_text_in_a_note_is_kept_apart_from_surrounding_white_space(text):
    note = Note(text=text)
    # Control characters other than tab and newline go first (issue 11, hole 9); a CR is a newline.
    plain = "".join(
        c
        for c in text.replace("\r\n", "\n").replace("\r", "\n")
        if c in "\t\n" or unicodedata.category(c) != "Cc"
    )
    assert note.text == plain.strip(UNICODE_WHITE_SPACE).strip()
    assert Note(text=note.text).text == note.text  # stripping is idempotent
    assert Note.model_validate_json(note.model_dump_json()) == note


@pytest.mark.parametrize(
    "header, problem",
    [
        ({"incident_id": "INC 42", "title": "t"}, "string_pattern_mismatch"),
        ({"incident_id": "-INC", "title": "t"}, "string_pattern_mismatch"),
        ({"incident_id": "INC-1", "title": ""}, "string_too_short"),
        ({"incident_id": "INC-1", "title": "   "}, "string_too_short"),
        ({"incident_id": "INC-1", "title": "t" * 201}, "string_too_long"),
        ({"incident_id": "INC-1", "title": "t", "severity": "Sev9"}, "enum"),
        ({"title": "t"}, "missing"),
    ],
)
def test_header_refuses_nonsense(header, problem):
    with pytest.raises(ValidationError) as error:
        Header.model_validate(header)
    assert error.value.errors()[0]["type"] == problem


def test_severity_rank_orders_near_miss_below_sev4():
    ranks = [s.rank for s in Severity]
    assert ranks == sorted(ranks) == list(range(6))
    assert Severity.NEAR_MISS.rank > Severity.SEV4.rank > Severity.SEV0.rank


@pytest.mark.parametrize(
    "status, closed",
    [
        (ActionStatus.OPEN, False),
        (ActionStatus.IN_PROGRESS, False),
        (ActionStatus.IN_REVIEW, False),
        (ActionStatus.DONE, True),
        (ActionStatus.CANCELLED, True),
    ],
)
def test_action_status_is_closed(status, closed):
    assert status.is_closed is closed


def test_a_document_from_a_newer_format_is_refused_with_a_clear_message(doc):
    data = doc.model_dump(mode="json") | {"schema_version": 99}
    with pytest.raises(ValidationError, match="format version 99"):
        PostMortem.model_validate(data)
