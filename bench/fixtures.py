"""The documents the benchmarks run against: one very large post-mortem and an empty one.

Built here in code (not from postmortem.demo) so the benchmark does not move when the demo data does.
Ids are stable, so every run measures the same document.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from postmortem.models import (
    ActionCategory,
    ActionItem,
    ActionStatus,
    Anchor,
    Contact,
    ContactKind,
    ContributingFactor,
    DecisionPoint,
    EventKind,
    EventSource,
    FactorCategory,
    FiveWhys,
    Header,
    Impact,
    IncidentTimes,
    Interview,
    InterviewRow,
    Link,
    LinkKind,
    Money,
    Note,
    PostMortem,
    Priority,
    RcaMethod,
    Regulatory,
    RootCauseAnalysis,
    Severity,
    SeverityChange,
    SignOff,
    SignOffRole,
    TimelineEvent,
    TriggerKind,
    WhyStep,
    new_postmortem,
)
from postmortem.timeline import ANCHOR_FIELDS

T0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
N_EVENTS = 300
N_ACTIONS = 60
N_FACTORS = 40
N_NOTES = 10
N_CONTACTS = 20
N_INTERVIEWS = 3
N_INTERVIEW_ROWS = 10

# Which timeline event (by position, one per minute from T0) carries which anchor.
ANCHOR_AT: dict[int, Anchor] = {
    0: Anchor.TRIGGER,
    4: Anchor.FIRST_SIGNAL,
    9: Anchor.DETECTION,
    15: Anchor.ESCALATION,
    22: Anchor.FIRST_MITIGATION,
    140: Anchor.IMPACT_ENDED,
    280: Anchor.RESOLUTION,
    299: Anchor.CLOSED,
}
DECISION_EVERY = 20  # every 20th event (not an anchor) is a decision point

_ROLES = (
    "payments on-call engineer",
    "incident commander",
    "database SRE",
    "support lead",
    "communications lead",
    "platform on-call",
    "release manager",
    "network engineer",
)
_SERVICES = ("checkout", "payments", "orders", "inventory", "auth", "edge-proxy", "search", "notifications")
_PHRASES = (
    "Error rate on the checkout API rose above the alert threshold while connection-pool waits grew.",
    "The on-call engineer compared the last three deploys with the dashboard and shared a link in the channel.",
    "A config change that lowered the pool size from 200 to 20 reached the second region.",
    "Support reported a spike in tickets about failed card payments from EU customers.",
    "The incident commander asked for a rollback of the config push and a freeze on further changes.",
    "Replica lag on the orders database reached 40 seconds and read traffic shifted to the primary.",
    "The status page was updated with a description of the customer impact and the next update time.",
    "Latency on the payment provider's API was normal, which ruled out the external dependency.",
)


def _t(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _text(n: int, what: str) -> str:
    return f"{what} {n}: {_PHRASES[n % len(_PHRASES)]} {_PHRASES[(n * 3 + 1) % len(_PHRASES)]}"


def _timeline() -> list[TimelineEvent]:
    events = []
    for n in range(N_EVENTS):
        anchor = ANCHOR_AT.get(n)
        is_decision = anchor is None and n % DECISION_EVERY == 7
        kind = EventKind.DECISION if is_decision else list(EventKind)[n % len(EventKind)]
        events.append(
            TimelineEvent(
                id=f"e{n:03d}",
                at=_t(n),
                text=_text(n, "Event"),
                kind=kind,
                anchor=anchor,
                actor_role=_ROLES[n % len(_ROLES)],
                source=list(EventSource)[n % len(EventSource)],
                internal=n % 9 == 0,
                decision=DecisionPoint(
                    options=f"Roll back the push, fail over to the other region, or wait for the pool to recover ({n}).",
                    information_available="Dashboards showed pool exhaustion; the cause of the push was not yet known.",
                    reversible=n % 2 == 0,
                )
                if is_decision
                else None,
            )
        )
    return events


def _times() -> IncidentTimes:
    return IncidentTimes(**{ANCHOR_FIELDS[a]: _t(n) for n, a in ANCHOR_AT.items() if a in ANCHOR_FIELDS})


def _factors() -> list[ContributingFactor]:
    return [
        ContributingFactor(
            id=f"f{n:02d}",
            text=_text(n, "Factor"),
            category=list(FactorCategory)[n % len(FactorCategory)],
            accepted_rationale=""
            if n % 4
            else f"Accepted: fixing factor {n} costs more than the risk it carries.",
        )
        for n in range(N_FACTORS)
    ]


def _actions() -> list[ActionItem]:
    items = []
    statuses = list(ActionStatus)
    for n in range(N_ACTIONS):
        status = statuses[n % len(statuses)]
        items.append(
            ActionItem(
                id=f"a{n:02d}",
                title=f"Action {n}: validate pool-size changes before they ship ({_SERVICES[n % 8]})",
                owner=f"{_ROLES[n % len(_ROLES)]} (owner {n})",
                due=date(2026, 3, 20) + timedelta(days=n),
                tracker=f"PAY-{100 + n}",
                category=list(ActionCategory)[n % len(ActionCategory)],
                priority=list(Priority)[n % len(Priority)],
                acceptance_criteria=f"A push that sets the pool below its floor is refused in CI and in the deploy tool ({n}).",
                status=status,
                cancel_reason="Superseded by the config validation service."
                if status is ActionStatus.CANCELLED
                else "",
                closed_at=_t(400 + n) if status.is_closed else None,
                factor_ids=[f"f{n % N_FACTORS:02d}", f"f{(n * 7 + 3) % N_FACTORS:02d}"],
            )
        )
    return items


def _notes(prefix: str, what: str) -> list[Note]:
    return [
        Note(id=f"{prefix}{n:02d}", text=_text(n, what), group=("detection", "response", "tooling")[n % 3])
        for n in range(N_NOTES)
    ]


def _interviews(events: list[TimelineEvent]) -> list[Interview]:
    out = []
    for i in range(N_INTERVIEWS):
        rows = [
            InterviewRow(
                id=f"i{i}r{r:02d}",
                at=_t(3 + i * 10 + r * 2),
                observed=f"Saw the pool-wait graph climb on the dashboard ({i}.{r}).",
                did=f"Paged the database SRE and opened the runbook ({i}.{r}).",
                knew=f"Knew a config push had gone out an hour earlier, not what it changed ({i}.{r}).",
                merged_event_id=events[3 + i * 10 + r * 2].id if r % 3 == 0 else None,
            )
            for r in range(N_INTERVIEW_ROWS)
        ]
        out.append(
            Interview(
                id=f"i{i}",
                role=_ROLES[i],
                held_at=_t(24 * 60 + i * 60),
                notes=f"Interview {i}: walked through the first hour.",
                rows=rows,
            )
        )
    return out


def large_postmortem(incident_id: str = "INC-2026-9001") -> PostMortem:
    """A post-mortem far bigger than any real one: 300 events, 60 actions, 40 factors, 3 interviews."""
    events = _timeline()
    header = Header(
        incident_id=incident_id,
        title="Checkout and payments errors after a connection-pool config push",
        trigger=TriggerKind.OUTAGE,
        severity=Severity.SEV1,
        severity_changes=[
            SeverityChange(
                from_severity=Severity.SEV2,
                to_severity=Severity.SEV1,
                at=_t(16),
                reason="Customer impact spread to a second region.",
            )
        ],
        novel_failure_class=True,
        services=list(_SERVICES),
        failure_class="connection-pool exhaustion",
        tags=["config", "database", "eu", "payments"],
        author_role="payments on-call engineer",
        reviewer_roles=["team lead", "database SRE", "incident commander"],
        times=_times(),
    )
    return PostMortem(
        header=header,
        summary=" ".join(_PHRASES[:4]),
        impact=Impact(
            description=" ".join(_PHRASES),
            customers_affected=48_200,
            customer_segments=["EU retail", "EU business"],
            revenue=Money(amount=Decimal("125000.00"), currency="EUR"),
            error_budget_burned_pct=240.0,
            slo="99.9% of checkout requests succeed over 30 days",
            internal_teams_blocked=["finance", "support"],
            public_communication="Status page incident with five updates.",
            regulatory=Regulatory(
                reportable=True, regimes=["PSD2"], notes="Reported to the regulator within 4 hours."
            ),
        ),
        timeline=events,
        interviews=_interviews(events),
        went_well=_notes("ww", "Went well"),
        went_wrong=_notes("wr", "Went wrong"),
        contributing_factors=_factors(),
        root_cause=RootCauseAnalysis(
            method=RcaMethod.HYBRID,
            five_whys=FiveWhys(
                problem="Checkout failed for 48,200 customers for two hours.",
                steps=[
                    WhyStep(id=f"w{n}", question=f"Why {n + 1}? {_PHRASES[n]}", answer=_PHRASES[n + 1])
                    for n in range(5)
                ],
                stop_reason="We reached a process the team owns and can change.",
            ),
            statement="A pool-size change went out without validation and met services that trusted their config.",
        ),
        action_items=_actions(),
        lessons=_notes("l", "Lesson"),
        where_we_got_lucky=_notes("k", "Lucky"),
        contacts=[
            Contact(
                id=f"c{n:02d}",
                name=f"Contact {n} Example",
                kind=list(ContactKind)[n % 2],
                role=_ROLES[n % len(_ROLES)],
                team=_SERVICES[n % 8],
                contact=f"@contact{n}",
            )
            for n in range(N_CONTACTS)
        ],
        links=[
            Link(
                id=f"ln{n}",
                label=f"Link {n}",
                url=f"https://example.com/incident/{n}",
                kind=list(LinkKind)[n % len(LinkKind)],
            )
            for n in range(10)
        ],
        sign_offs=[
            SignOff(id=f"s{n}", role=role, name=f"Signer {n}", signed_at=_t(3 * 24 * 60 + n))
            for n, role in enumerate(SignOffRole)
        ],
    )


def empty_postmortem(incident_id: str = "INC-2026-9000") -> PostMortem:
    """What a new draft looks like: only an incident ID and a title."""
    return new_postmortem(incident_id, "Empty draft")


def describe(doc: PostMortem) -> str:
    return (
        f"{len(doc.timeline)} events, {len(doc.action_items)} actions, {len(doc.contributing_factors)} factors, "
        f"{len(doc.interviews)} interviews x {len(doc.interviews[0].rows) if doc.interviews else 0} rows, "
        f"{len(doc.contacts)} contacts, {len(doc.model_dump_json()) / 1024:.0f} KiB JSON"
    )
