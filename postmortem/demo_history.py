"""A two-year history of short example post-mortems, so the Learning page has quarters to compare.
Every row has a fixed id, so a day's history is the same on every load.

`python -m postmortem demo --history` loads them beside the three full examples. They are seeded
(the same on every load for a given day) and dated back from the day they are made, so the default
range of the Learning page (the last four quarters) always has data. Later quarters do a little better
than earlier ones (more published on time, more action items done, fewer recurrences), as a team that
follows up on its post-mortems would. Narrative text is blameless and names no one; names appear
only in contacts, owners and sign-offs.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from postmortem.models import (
    ActionItem,
    ActionStatus,
    AllspawCheck,
    Contact,
    DocStatus,
    Header,
    IncidentTimes,
    Note,
    PostMortem,
    Priority,
    Severity,
    SignOff,
    SignOffRole,
    TriggerKind,
)
from postmortem.severity import add_business_days

COUNT = 40
DAYS = 730
SEED = 2026
SERVICES = ("checkout-api", "payments", "search", "identity", "notifications", "orders database")
CLASSES = {  # failure class → what happened, what ended it
    "Resource exhaustion: connection pool": (
        "the {service} connection pool ran out of free connections",
        "capping the batch job's share of the pool",
    ),
    "Config change without validation": (
        "a configuration change reached {service} without a schema check",
        "rolling the configuration back",
    ),
    "Certificate expiry": ("a TLS certificate used by {service} expired", "installing a renewed certificate"),
    "Dependency timeout": (
        "a provider that {service} calls slowed down and requests queued",
        "shortening the timeout and shedding retries",
    ),
    "Schema migration lock": ("a schema migration held a table lock on {service}", "pausing the migration"),
}
WENT_WELL = (
    "The alert paged the on-call engineer within three minutes.",
    "The rollback took one command and under five minutes.",
    "The status page was updated within ten minutes of detection.",
    "The runbook had the exact query needed to confirm the cause.",
    "Support had a prepared reply for customers within fifteen minutes.",
)
ACTIONS = (
    "Add an alert when {service} errors pass 2 % for 5 minutes",
    "Add a check in CI that rejects the change pattern behind this incident",
    "Write the runbook step that confirms this failure in under 5 minutes",
    "Cap the share of {service} capacity any one batch job can take at 25 %",
)
PEOPLE = ("Amara Okafor", "Bruno Costa", "Chen Wei", "Dana Levi", "Elif Yilmaz", "Farid Haddad")
SEVERITIES = (
    Severity.SEV1,
    Severity.SEV2,
    Severity.SEV2,
    Severity.SEV3,
    Severity.SEV3,
    Severity.SEV4,
    Severity.NEAR_MISS,
    Severity.SEV0,
)


def history_documents(today: date, count: int = COUNT, *, country: str) -> list[PostMortem]:
    """`count` short post-mortems of incidents spread over the two years before `today`, signed off in
    business days of `country` (the calendar the Learning page counts deadlines in)."""
    rng = random.Random(SEED)
    start = datetime.combine(today - timedelta(days=DAYS), time(9), tzinfo=UTC)
    moments = [start + timedelta(days=DAYS * (n + rng.random()) / (count + 1)) for n in range(count)]
    return [
        _document(rng, n, at.replace(second=0, microsecond=0), today, country) for n, at in enumerate(moments)
    ]


def _document(rng: random.Random, n: int, began: datetime, today: date, country: str) -> PostMortem:
    progress = n / COUNT  # 0 two years ago, near 1 today: later incidents get better follow-through
    severity = rng.choice(SEVERITIES)
    # Early on the same few failures keep hitting the same few services; later they spread out (recur less).
    failure_class = rng.choice(list(CLASSES)[: 2 + round(3 * progress)])
    service = rng.choice(SERVICES[: 2 + round(2 * progress)])
    what, fix = (text.format(service=service) for text in CLASSES[failure_class])
    times = _times(rng, began)
    closed = times.closed_at
    age = (today - closed.date()).days
    status = _status(rng, age, progress)
    owner_pool = rng.sample(PEOPLE, 3)
    return PostMortem(
        header=Header(
            incident_id=f"INC-HIST-{n + 1:03d}",
            title=f"{service}: {what}"[:200],
            trigger=TriggerKind.NEAR_MISS if severity is Severity.NEAR_MISS else TriggerKind.OUTAGE,
            severity=severity,
            status=status,
            services=[service],
            failure_class=failure_class,
            author_role="On-call engineer",
            times=times,
        ),
        summary=f"On {began:%d %B %Y}, {what}. Responders ended the impact by {fix}.",
        went_well=[
            Note(id=f"h{n}-w{k}", text=text)
            for k, text in enumerate(rng.sample(WENT_WELL, _went_well(rng, progress)))
        ],
        action_items=[
            _action(rng, k, service, closed, today, progress, owner_pool[k % 3]).model_copy(
                update={"id": f"h{n}-a{k}"}
            )
            for k in range(rng.randint(2, 4))
        ],
        contacts=[Contact(id=f"h{n}-c{k}", name=name, role="engineer") for k, name in enumerate(owner_pool)],
        allspaw=AllspawCheck(
            role="On-call engineer", fair=rng.random() < 0.75 + 0.25 * progress, by=owner_pool[0], at=closed
        )
        if status in (DocStatus.FINAL, DocStatus.PUBLISHED)
        else None,
        sign_offs=[
            s.model_copy(update={"id": f"h{n}-s"})
            for s in _sign_offs(rng, status, closed, progress, owner_pool[1], country)
        ],
    )


def _went_well(rng: random.Random, progress: float) -> int:
    return min(len(WENT_WELL), max(0, round(rng.gauss(1 + 3 * progress, 1.2))))


def _times(rng: random.Random, began: datetime) -> IncidentTimes:
    signal = began + timedelta(minutes=rng.randint(1, 10))
    detected = signal + timedelta(minutes=rng.randint(1, 40))
    impact_ended = detected + timedelta(minutes=rng.randint(10, 180))
    resolved = impact_ended + timedelta(minutes=rng.randint(10, 600))
    first_attempt = detected + timedelta(minutes=5)
    # Customers were affected from the first signal; impact came under control halfway from the first
    # attempt to its end. Derived, not drawn: an extra rng draw would change every later document.
    return IncidentTimes(
        started_at=began,
        first_signal_at=signal,
        impact_started_at=signal,
        detected_at=detected,
        first_mitigation_at=first_attempt,
        mitigated_at=first_attempt + (impact_ended - first_attempt) / 2,
        impact_ended_at=impact_ended,
        resolved_at=resolved,
        closed_at=resolved + timedelta(hours=rng.randint(1, 24)),
    )


def _status(rng: random.Random, age_days: int, progress: float) -> DocStatus:
    if age_days < 10:
        return rng.choice((DocStatus.DRAFT, DocStatus.IN_REVIEW))
    return (
        DocStatus.PUBLISHED
        if rng.random() < 0.6 + 0.3 * progress
        else rng.choice((DocStatus.FINAL, DocStatus.IN_REVIEW))
    )


def _sign_offs(
    rng: random.Random, status: DocStatus, closed: datetime, progress: float, commander: str, country: str
) -> list:
    if status not in (DocStatus.FINAL, DocStatus.PUBLISHED):
        return []
    days = rng.randint(2, 6) if rng.random() < 0.45 + 0.5 * progress else rng.randint(8, 15)
    signed = datetime.combine(add_business_days(closed.date(), days, country), time(15), tzinfo=UTC)
    return [SignOff(role=SignOffRole.INCIDENT_COMMANDER, name=commander, signed_at=signed)]


def _action(
    rng: random.Random, k: int, service: str, closed: datetime, today: date, progress: float, owner: str
) -> ActionItem:
    title = rng.choice(ACTIONS).format(service=service)
    roll = rng.random()
    took = timedelta(days=rng.randint(5, 25) if roll < 0.35 + 0.4 * progress else rng.randint(31, 120))
    if roll > 0.95:
        status, closed_at, reason = (
            ActionStatus.CANCELLED,
            closed + timedelta(days=10),
            "A platform change covers it.",
        )
    elif (closed + took).date() <= today and roll < 0.85:
        status, closed_at, reason = ActionStatus.DONE, closed + took, ""
    else:
        status, closed_at, reason = ActionStatus.OPEN, None, ""
    return ActionItem(
        title=title,
        owner=owner,
        due=(closed + timedelta(days=30)).date(),
        tracker=f"OPS-{k + 100}",
        priority=rng.choice(list(Priority)),
        status=status,
        closed_at=closed_at,
        cancel_reason=reason,
        acceptance_criteria="An alert or a check fires in a staging drill within 5 minutes.",
    )
