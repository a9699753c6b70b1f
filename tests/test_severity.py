"""Severity policy: who needs a post-mortem, by when, and how severity may change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from postmortem.models import (
    Header,
    IncidentTimes,
    PostMortem,
    RcaMethod,
    Severity,
    TriggerKind,
    new_postmortem,
)
from postmortem.severity import (
    POLICY,
    Audience,
    Requirement,
    SeverityChangeError,
    add_business_days,
    change_severity,
    deadline_for,
    deadline_from,
    first_draft_due,
    recommend_method,
    verdict_for,
    was_lowered,
)

M, R, OPT, S = Requirement.MANDATORY, Requirement.RECOMMENDED, Requirement.OPTIONAL, Requirement.SKIP
OUTAGE, NEAR, LOSS, SECURITY = (
    TriggerKind.OUTAGE,
    TriggerKind.NEAR_MISS,
    TriggerKind.DATA_LOSS,
    TriggerKind.SECURITY,
)

# severity: (outage, near-miss trigger, data loss, security, outage + novel class) -> requirement
VERDICTS = {
    Severity.SEV0: (M, M, M, M, M),
    Severity.SEV1: (M, M, M, M, M),
    Severity.SEV2: (M, M, M, M, M),
    Severity.SEV3: (OPT, OPT, M, OPT, M),
    Severity.SEV4: (S, R, M, S, S),
    Severity.NEAR_MISS: (R, R, M, R, R),
}
CASES = [
    (sev, trigger, novel, expected)
    for sev, row in VERDICTS.items()
    for (trigger, novel), expected in zip(
        [(OUTAGE, False), (NEAR, False), (LOSS, False), (SECURITY, False), (OUTAGE, True)], row, strict=True
    )
]


@pytest.mark.parametrize("severity, trigger, novel, expected", CASES)
def test_verdict_for_every_severity_and_trigger(severity, trigger, novel, expected):
    verdict = verdict_for(severity, trigger, novel)
    assert verdict.requirement is expected
    assert verdict.required is (expected is M)
    assert verdict.reason.endswith(".")
    if expected is M:
        assert verdict.deadline_business_days in (5, 7)
    else:
        assert verdict.deadline_business_days is None
    if expected is not S:
        assert verdict.distribution, "a post-mortem worth writing needs readers"


@pytest.mark.parametrize(
    "severity, trigger, novel, phrase",
    [
        (Severity.SEV3, OUTAGE, True, "class of failure the team had not seen before"),
        (Severity.SEV4, NEAR, False, "nearly became worse"),
        (Severity.SEV4, LOSS, False, "loss of data"),
        (Severity.SEV3, LOSS, False, "loss of data"),
        (Severity.SEV1, OUTAGE, False, "Sev1 incidents always get a post-mortem"),
    ],
)
def test_verdict_says_why(severity, trigger, novel, phrase):
    assert phrase in verdict_for(severity, trigger, novel).reason


@pytest.mark.parametrize(
    "severity, days, distribution",
    [
        (Severity.SEV0, 5, (Audience.ENGINEERING, Audience.EXECUTIVES)),
        (Severity.SEV1, 5, (Audience.ENGINEERING, Audience.EXECUTIVES)),
        (Severity.SEV2, 7, (Audience.ENGINEERING,)),
    ],
)
def test_mandatory_severities_have_the_policy_deadline_and_readers(severity, days, distribution):
    verdict = verdict_for(severity, OUTAGE)
    assert (verdict.deadline_business_days, verdict.distribution) == (days, distribution)


def test_overrides_pick_readers():
    assert verdict_for(Severity.SEV4, NEAR).distribution == POLICY[Severity.NEAR_MISS].distribution
    assert verdict_for(Severity.SEV4, LOSS).distribution == (Audience.TEAM,)
    assert verdict_for(Severity.SEV4, OUTAGE).distribution == ()
    assert verdict_for(Severity.SEV3, OUTAGE, novel=True).deadline_business_days == 7


@pytest.mark.parametrize(
    "start, days, country, expected",
    [
        (date(2026, 3, 2), 0, "US", date(2026, 3, 2)),  # Monday, no days
        (date(2026, 3, 2), 1, "US", date(2026, 3, 3)),
        (date(2026, 3, 6), 1, "US", date(2026, 3, 9)),  # Friday → Monday
        (date(2026, 3, 6), 5, "US", date(2026, 3, 13)),
        (date(2026, 3, 7), 1, "US", date(2026, 3, 9)),  # from a Saturday, day 1 is Monday
        (date(2026, 3, 7), 5, "US", date(2026, 3, 13)),  # ... and day 5 is Friday
        (date(2026, 3, 8), 5, "US", date(2026, 3, 13)),  # same from a Sunday
        (date(2026, 11, 24), 2, "US", date(2026, 11, 27)),  # skips Thanksgiving (Thu 26 Nov)
        (date(2026, 11, 25), 1, "US", date(2026, 11, 27)),
        (date(2026, 11, 26), 1, "US", date(2026, 11, 27)),  # from Thanksgiving itself
        (date(2026, 7, 2), 1, "US", date(2026, 7, 6)),  # Independence Day observed on Fri 3 Jul
        (date(2026, 12, 24), 1, "US", date(2026, 12, 28)),
        (date(2026, 12, 31), 1, "US", date(2027, 1, 4)),  # New Year's Day 2027 is a Friday
        (date(2026, 12, 24), 1, "GB", date(2026, 12, 29)),  # Christmas Fri, Boxing Day observed Mon 28
        (date(2026, 12, 23), 2, "GB", date(2026, 12, 29)),
        (date(2026, 4, 2), 1, "GB", date(2026, 4, 6)),  # Good Friday; Easter Monday is a GB (England) workday
        (date(2026, 4, 2), 1, "DE", date(2026, 4, 7)),  # Good Friday and Easter Monday
        (date(2025, 10, 2), 1, "DE", date(2025, 10, 6)),  # Tag der Deutschen Einheit, Fri 3 Oct 2025
        (date(2025, 10, 2), 1, "US", date(2025, 10, 3)),  # ... which is a normal day in the US
        (date(2026, 12, 23), 2, "DE", date(2026, 12, 28)),  # 24 Dec is a workday in DE, 25/26 are not
    ],
)
def test_add_business_days_skips_weekends_and_holidays(start, days, country, expected):
    assert add_business_days(start, days, country) == expected


def test_add_business_days_over_a_year_boundary_with_many_days():
    # 260 business days is roughly a year; the result must still skip next year's holidays.
    result = add_business_days(date(2026, 11, 2), 260, "US")
    assert result.year == 2027 and result.weekday() < 5
    assert result not in (date(2027, 11, 25), date(2027, 12, 24), date(2027, 12, 31))


def _closed(severity: Severity, closed_at: datetime | None, trigger=OUTAGE, novel=False) -> PostMortem:
    times = IncidentTimes(closed_at=closed_at)
    return PostMortem(
        header=Header(
            incident_id="INC-1",
            title="t",
            severity=severity,
            trigger=trigger,
            novel_failure_class=novel,
            times=times,
        )
    )


@pytest.mark.parametrize(
    "severity, closed_at, expected",
    [
        (Severity.SEV0, datetime(2026, 3, 2, 9, tzinfo=UTC), date(2026, 3, 9)),  # Mon + 5
        (Severity.SEV1, datetime(2026, 3, 2, 23, 59, tzinfo=UTC), date(2026, 3, 9)),
        (Severity.SEV2, datetime(2026, 3, 2, 9, tzinfo=UTC), date(2026, 3, 11)),  # Mon + 7
        (Severity.SEV1, datetime(2026, 11, 23, 9, tzinfo=UTC), date(2026, 12, 1)),  # Thanksgiving inside
        (Severity.SEV1, datetime(2026, 3, 7, 12, tzinfo=UTC), date(2026, 3, 13)),  # closed on a Saturday
        (Severity.SEV3, datetime(2026, 3, 2, 9, tzinfo=UTC), None),  # optional: no deadline
        (Severity.SEV1, None, None),  # not closed yet
    ],
)
def test_deadline_for_counts_business_days_from_close(severity, closed_at, expected):
    assert deadline_for(_closed(severity, closed_at), country="US") == expected


def test_deadline_uses_the_configured_country():
    closed = datetime(2026, 12, 22, 9, tzinfo=UTC)  # Tuesday
    assert deadline_for(_closed(Severity.SEV1, closed), "US") == date(2026, 12, 30)  # 25th only
    assert deadline_for(_closed(Severity.SEV1, closed), "GB") == date(2026, 12, 31)  # 25th and 28th
    assert deadline_for(_closed(Severity.SEV1, closed), "DE") == date(2026, 12, 30)  # 25th (26th is Sat)


def test_deadline_for_overridden_verdicts():
    closed = datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert deadline_for(_closed(Severity.SEV3, closed, novel=True), country="US") == date(2026, 3, 11)
    assert deadline_for(_closed(Severity.SEV4, closed, trigger=LOSS), country="US") == date(2026, 3, 11)
    assert deadline_from(Severity.SEV4, NEAR, False, closed, country="US") is None


def test_first_draft_due_is_three_business_days_after_close():
    assert first_draft_due(_closed(Severity.SEV1, datetime(2026, 3, 5, 9, tzinfo=UTC)), country="US") == date(
        2026, 3, 10
    )
    assert first_draft_due(_closed(Severity.SEV1, None), country="US") is None


WHEN = datetime(2026, 3, 4, 12, tzinfo=UTC)


def test_raising_severity_needs_no_reason():
    doc = new_postmortem("INC-1", "t", severity=Severity.SEV3)
    raised = change_severity(doc, Severity.SEV1, WHEN)
    assert raised.header.severity is Severity.SEV1
    [change] = raised.header.severity_changes
    assert (change.from_severity, change.to_severity, change.at, change.reason) == (
        Severity.SEV3,
        Severity.SEV1,
        WHEN,
        "",
    )
    assert doc.header.severity is Severity.SEV3 and doc.header.severity_changes == []  # original untouched
    assert not was_lowered(raised)


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_lowering_without_a_reason_is_refused(reason):
    doc = new_postmortem("INC-1", "t", severity=Severity.SEV1)
    with pytest.raises(SeverityChangeError, match="Lowering the severity from Sev1 to Sev3 needs a reason"):
        change_severity(doc, Severity.SEV3, WHEN, reason)


def test_lowering_with_a_reason_records_it():
    doc = new_postmortem("INC-1", "t", severity=Severity.SEV1)
    lowered = change_severity(doc, Severity.SEV3, WHEN, "  Only internal users were affected.  ")
    assert lowered.header.severity is Severity.SEV3
    assert lowered.header.severity_changes[-1].reason == "Only internal users were affected."
    assert was_lowered(lowered)
    assert PostMortem.model_validate_json(lowered.model_dump_json()) == lowered


def test_history_of_changes_accumulates_and_same_severity_is_a_no_op():
    doc = new_postmortem("INC-1", "t", severity=Severity.SEV2)
    doc = change_severity(doc, Severity.SEV2, WHEN)
    assert doc.header.severity_changes == []
    doc = change_severity(doc, Severity.SEV1, WHEN)
    doc = change_severity(doc, Severity.SEV0, WHEN + timedelta(hours=1))
    assert [(c.from_severity, c.to_severity) for c in doc.header.severity_changes] == [
        (Severity.SEV2, Severity.SEV1),
        (Severity.SEV1, Severity.SEV0),
    ]
    assert not was_lowered(doc)


def test_sev4_to_near_miss_counts_as_lowering():
    doc = new_postmortem("INC-1", "t", severity=Severity.SEV4)
    with pytest.raises(SeverityChangeError):
        change_severity(doc, Severity.NEAR_MISS, WHEN)


@pytest.mark.parametrize(
    "severity, recurring, method",
    [
        (Severity.SEV0, False, RcaMethod.CAUSAL_TREE),
        (Severity.SEV1, False, RcaMethod.CAUSAL_TREE),
        (Severity.SEV2, False, RcaMethod.CAUSAL_TREE),
        (Severity.SEV3, False, RcaMethod.FIVE_WHYS),
        (Severity.SEV3, True, RcaMethod.CAUSAL_TREE),
        (Severity.SEV4, False, RcaMethod.FIVE_WHYS),
        (Severity.NEAR_MISS, True, RcaMethod.CAUSAL_TREE),
    ],
)
def test_recommend_method(severity, recurring, method):
    advice = recommend_method(severity, recurring)
    assert advice.method is method
    assert advice.reasons and all(r.endswith(".") for r in advice.reasons)
