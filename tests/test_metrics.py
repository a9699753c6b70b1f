"""postmortem.metrics and postmortem.learning_facts: the learning dashboard's figures, by hand and by property."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem import metrics
from postmortem.demo import demo_documents
from postmortem.learning_facts import facts_from_body, facts_from_doc, sign_off_time
from postmortem.metrics import (
    LATE,
    ON_TIME,
    OVERDUE,
    PENDING,
    DocFacts,
    ItemCounts,
    ItemFacts,
    Quarter,
    Rate,
    count_items,
    deadline_function,
    deadline_outcome,
    published_at,
)
from postmortem.models import Severity, TriggerKind
from postmortem.severity import deadline_from
from tests.conftest import build_postmortem


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def doc(doc_id: int = 1, severity: str = "Sev1", at: str = "2026-02-02 10:00", **fields) -> DocFacts:
    return DocFacts(
        id=doc_id, severity=severity, status=fields.pop("status", "draft"), incident_at=utc(at), **fields
    )


# --- quarters and rates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2026, 1, 1), Quarter(2026, 1)),
        (date(2026, 3, 31), Quarter(2026, 1)),
        (date(2026, 4, 1), Quarter(2026, 2)),
        (date(2026, 12, 31), Quarter(2026, 4)),
    ],
)
def test_quarter_of_a_day(day, quarter):
    assert metrics.quarter_of(day) == quarter
    assert quarter.start <= day < quarter.next().start


def test_quarters_step_over_the_year():
    assert Quarter(2025, 4).next() == Quarter(2026, 1) and Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert metrics.last_quarters(date(2026, 2, 1), 4) == [
        Quarter(2025, 2),
        Quarter(2025, 3),
        Quarter(2025, 4),
        Quarter(2026, 1),
    ]
    assert metrics.quarters_between(Quarter(2026, 2), Quarter(2026, 1)) == []
    assert str(Quarter(2026, 3)) == "2026 Q3"


def test_a_rate_of_nothing_is_no_data_not_zero():
    assert Rate().value is None and Rate(0, 4).value == 0
    assert metrics.total([Rate(1, 2), Rate(2, 2)]) == Rate(3, 4)


# --- publication and deadlines ---------------------------------------------------------------------


def test_published_date_comes_from_the_trail_then_the_sign_off():
    trail, signed = utc("2026-03-05 09:00"), utc("2026-03-04 09:00")
    assert published_at(trail, "draft", signed) == (trail, "audit trail")  # published once, reopened since
    assert published_at(None, "published", signed) == (signed, "sign-off")
    assert published_at(None, "final", signed) == (None, "")


def test_the_incident_commanders_sign_off_wins_over_a_later_one():
    commander, lead = utc("2026-03-04 09:00"), utc("2026-03-06 09:00")
    assert sign_off_time([("incident commander", commander), ("team lead", lead)]) == commander
    assert sign_off_time([("author", commander), ("team lead", lead)]) == lead
    assert sign_off_time([]) is None


@pytest.mark.parametrize(
    ("severity", "trigger", "novel"),
    [
        ("Sev0", "outage", False),
        ("Sev1", "outage", False),
        ("Sev2", "regression", False),
        ("Sev3", "outage", True),
        ("Sev4", "data loss", False),
        ("Sev3", "outage", False),
    ],
)
def test_deadlines_are_the_severity_policys(severity, trigger, novel):
    closed = utc("2026-07-02 18:00")  # a Thursday before the US Independence Day holiday
    facts = doc(severity=severity, trigger=trigger, novel=novel, closed_at=closed)
    expected = deadline_from(Severity(severity), TriggerKind(trigger), novel, closed, country="US")
    assert deadline_function(country="US")(facts) == expected
    assert (expected is None) == (severity == "Sev3" and not novel)


def test_sev1_deadline_skips_the_weekend_and_the_holiday():
    # Closed Thu 2 July 2026: Fri 3 July is the observed holiday, so 5 business days end on Fri 10 July.
    assert deadline_function(country="US")(doc(closed_at=utc("2026-07-02 18:00"))) == date(2026, 7, 10)


@pytest.mark.parametrize(
    ("published", "today", "outcome"),
    [
        ("2026-07-10 23:00", date(2026, 8, 1), ON_TIME),  # on the deadline day itself
        ("2026-07-11 08:00", date(2026, 8, 1), LATE),
        (None, date(2026, 7, 11), OVERDUE),
        (None, date(2026, 7, 10), PENDING),
    ],
)
def test_deadline_outcomes(published, today, outcome):
    facts = doc(closed_at=utc("2026-07-02 18:00"), published_at=utc(published) if published else None)
    assert deadline_outcome(facts, date(2026, 7, 10), today) == outcome


def test_no_deadline_no_outcome():
    assert deadline_outcome(doc(), None, date(2026, 8, 1)) is None


# --- action items ------------------------------------------------------------------------------------

CLOSED = utc("2026-01-10 12:00")
ITEMS = [
    ItemFacts("done", CLOSED + timedelta(days=10)),
    ItemFacts("done", CLOSED + timedelta(days=45)),
    ItemFacts("open"),
    ItemFacts("cancelled", CLOSED + timedelta(days=3)),
    ItemFacts("done", None),
]


def test_items_are_counted_against_the_close():
    counts = count_items(ITEMS, CLOSED)
    assert counts == ItemCounts(total=5, cancelled=1, undated=1, done_by={30: 1, 90: 2})


def test_an_item_done_exactly_at_the_window_end_counts():
    assert count_items([ItemFacts("done", CLOSED + timedelta(days=30))], CLOSED).done_by[30] == 1


def test_done_rates_wait_until_the_window_is_over():
    facts = [doc(closed_at=CLOSED, items=count_items(ITEMS, CLOSED))]
    later = metrics.item_figures(facts, today=date(2026, 6, 1))
    assert later.done == {30: Rate(1, 3), 90: Rate(2, 3)}  # cancelled and undated items are left out
    assert later.cancelled == Rate(1, 5) and later.undated == 1
    soon = metrics.item_figures(facts, today=date(2026, 2, 15))  # 36 days after the close
    assert soon.done == {30: Rate(1, 3), 90: Rate(0, 0)}


def test_items_of_open_incidents_count_only_for_cancellations():
    facts = [doc(items=count_items(ITEMS, None))]
    figures = metrics.item_figures(facts, today=date(2027, 1, 1))
    assert figures.done == {30: Rate(), 90: Rate()} and figures.cancelled == Rate(1, 5)


# --- quality ------------------------------------------------------------------------------------------


def test_quality_counts_signed_off_post_mortems_only():
    facts = [
        doc(1, status="final", allspaw_fair=True, went_well=3),
        doc(2, status="published", allspaw_fair=None, went_well=1),
        doc(3, status="published", allspaw_fair=False, went_well=0),
        doc(4, status="draft", allspaw_fair=True, went_well=5),
    ]
    q = metrics.quality(facts)
    assert (q.allspaw, q.went_well_1, q.went_well_3) == (Rate(1, 3), Rate(2, 3), Rate(1, 3))


# --- recurrence --------------------------------------------------------------------------------------


def test_a_class_recurs_with_a_shared_service_within_90_days():
    facts = [
        doc(1, at="2026-01-01 00:00", failure_class="Deploy", services=frozenset({"api"})),
        doc(
            2, at="2026-03-01 00:00", failure_class=" deploy ", services=frozenset({"api", "web"})
        ),  # 59 days: recurs
        doc(
            3, at="2026-03-02 00:00", failure_class="deploy", services=frozenset({"db"})
        ),  # no shared service
        doc(
            4, at="2026-05-30 00:00", failure_class="deploy", services=frozenset({"api"})
        ),  # exactly 90 days after 2
        doc(
            5, at="2026-09-01 00:00", failure_class="deploy", services=frozenset({"web"})
        ),  # web last seen in March: no
        doc(6, at="2026-09-01 00:00", failure_class="dns", services=frozenset({"edge"})),
        doc(
            7, at="2026-09-01 00:00", failure_class="DNS", services=frozenset({"edge"})
        ),  # same moment: not a recurrence
        doc(8, at="2026-09-02 00:00", failure_class="", services=frozenset({"api"})),
    ]
    assert metrics.recurring_ids(facts) == {2, 4}
    assert metrics.recurring_classes(facts, {2, 4}) == {"deploy": 2}
    assert metrics.recurrence_rate(facts, {2, 4}) == Rate(2, 7)  # 8 names no failure class


def test_lookback_reaches_90_days_before_the_first_quarter():
    assert metrics.lookback_start([Quarter(2026, 2), Quarter(2026, 1)]) == date(2026, 1, 1) - timedelta(
        days=90
    )


# --- durations and the whole dashboard ---------------------------------------------------------------


def test_median_times_per_severity():
    facts = [
        doc(1, detect_min=4.0, mitigate_min=30.0),
        doc(2, detect_min=10.0),
        doc(3, detect_min=6.0),
        doc(4, severity="Sev2", resolve_min=90.0),
    ]
    medians = metrics.median_times(facts)
    assert medians["Sev1", "detect_min"] == metrics.Median(6.0, 3)
    assert medians["Sev1", "mitigate_min"] == metrics.Median(30.0, 1)
    assert ("Sev1", "resolve_min") not in medians and medians["Sev2", "resolve_min"].minutes == 90.0


def test_an_empty_archive_has_no_data_anywhere():
    quarters = metrics.last_quarters(date(2026, 11, 25))
    d = metrics.dashboard([], quarters, date(2026, 11, 25), country="US")
    assert d.count == 0 and d.empty_quarters == quarters and d.medians == {} and d.recurring_classes == {}
    assert all(f.on_time.value is None and f.quality.allspaw.value is None for f in d.per_quarter)


def test_dashboard_leaves_out_quarters_not_chosen_but_looks_back_for_recurrences():
    facts = [
        doc(1, at="2025-12-20 00:00", failure_class="dns", services=frozenset({"edge"})),
        doc(2, at="2026-01-05 00:00", failure_class="dns", services=frozenset({"edge"})),
    ]
    d = metrics.dashboard(facts, [Quarter(2026, 1)], date(2026, 6, 1), country="US")
    assert d.count == 1 and d.per_quarter[0].recurrence == Rate(1, 1)


# --- properties ----------------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)
minutes = st.none() | st.floats(min_value=0, max_value=10_000, allow_nan=False)
items = st.lists(
    st.builds(ItemFacts, st.sampled_from(["open", "in progress", "done", "cancelled"]), st.none() | moments),
    max_size=6,
)


@st.composite
def doc_facts(draw, doc_id: int) -> DocFacts:
    incident = draw(moments)
    closed = draw(st.none() | st.just(incident + timedelta(hours=draw(st.integers(0, 200)))))
    return DocFacts(
        id=doc_id,
        severity=draw(st.sampled_from(metrics.SEVERITIES)),
        status=draw(st.sampled_from(["draft", "in review", "final", "published"])),
        incident_at=incident,
        trigger=draw(st.sampled_from([t.value for t in TriggerKind])),
        novel=draw(st.booleans()),
        closed_at=closed,
        published_at=draw(st.none() | moments),
        allspaw_fair=draw(st.none() | st.booleans()),
        went_well=draw(st.integers(0, 8)),
        detect_min=draw(minutes),
        mitigate_min=draw(minutes),
        resolve_min=draw(minutes),
        failure_class=draw(st.sampled_from(["", "dns", "DNS ", "deploy"])),
        services=frozenset(draw(st.sets(st.sampled_from(["api", "web", "db"]), max_size=2))),
        items=count_items(draw(items), closed),
    )


archives = st.integers(0, 25).flatmap(lambda n: st.tuples(*(doc_facts(i) for i in range(n))).map(list))


def _rates(d: metrics.Dashboard) -> list[Rate]:
    found = []
    for f in d.per_quarter:
        found += [
            f.on_time,
            *f.items.done.values(),
            f.items.cancelled,
            f.quality.allspaw,
            f.quality.went_well_1,
            f.quality.went_well_3,
            f.recurrence,
        ]
        found += [metrics.on_time_rate(outcomes) for outcomes in f.deadlines.values()]
    return found


@settings(max_examples=60, deadline=None)
@given(archives, st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 6, 30)))
def test_every_rate_is_a_share_and_every_median_lies_within_its_values(facts, today):
    quarters = metrics.quarters_between(Quarter(2024, 1), Quarter(2026, 4))
    d = metrics.dashboard(facts, quarters, today, country="US")
    for rate in _rates(d):
        assert 0 <= rate.hits <= rate.total
        assert rate.value is None or 0 <= rate.value <= 1
    for (severity, measure), median in d.medians.items():
        values = [
            getattr(f, measure) for f in facts if f.severity == severity and getattr(f, measure) is not None
        ]
        assert min(values) <= median.minutes <= max(values) and median.count == len(values)
    assert d.count == len(facts) == sum(sum(f.severities.values()) for f in d.per_quarter)
    assert all(f.quality.went_well_3.hits <= f.quality.went_well_1.hits for f in d.per_quarter)


@settings(max_examples=60, deadline=None)
@given(items, st.none() | moments)
def test_item_counts_nest(found, closed):
    counts = count_items(found, closed)
    assert counts.done_by[30] <= counts.done_by[90] <= counts.total - counts.cancelled - counts.undated


# --- per-document facts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "document", [build_postmortem(), *demo_documents()], ids=lambda d: d.header.incident_id
)
def test_facts_from_the_stored_body_equal_those_from_the_document(document):
    facts = facts_from_body(json.loads(document.model_dump_json()))
    assert facts == facts_from_doc(document)


def test_facts_from_a_body_with_approximate_times_equal_those_from_the_document():
    """`approximate` (a list of field names) sits among the header's times; reading every entry of the
    times as a time stopped every save and import of a document that had one (a real import did)."""
    base = build_postmortem()
    times = base.header.times.model_copy(update={"approximate": ["started_at", "detected_at"]})
    document = base.model_copy(update={"header": base.header.model_copy(update={"times": times})})
    facts = facts_from_body(json.loads(document.model_dump_json()))
    assert facts == facts_from_doc(document)


def test_facts_of_the_sample():
    facts = facts_from_doc(build_postmortem())
    assert facts["incident_at"] == "2026-03-04T10:00:00+00:00"
    assert facts["incident_closed_at"] == "2026-03-04T12:00:00+00:00"
    assert (facts["detect_min"], facts["mitigate_min"], facts["resolve_min"]) == (3.0, 20.0, 85.0)
    assert facts["went_well_count"] == 3 and facts["allspaw_fair"] is None and facts["items_total"] == 1
