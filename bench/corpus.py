"""A large archive for the cross-document benchmarks (archive search, tracker, learning dashboard).

`corpus_db(docs=20000, items_per_doc=5)` returns the path of a SQLite file holding that many
post-mortems, stored through storage.create (so every projection and index is built the way the app
builds it) and cached under bench/.cache: the file is rebuilt only when this generator, the schema or
the projections change. Documents are random but seeded, spread over two years before BASE_DAY, with
services, failure classes, severities, statuses, timeline anchors, went-well notes, factors, Allspaw
checks, sign-offs and action items in every state, so every figure has something to measure.

$DEBRIEF_BENCH_SCALE (default 1.0) scales the document count, for quick runs on a busy machine.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import storage
from postmortem.models import (
    ActionCategory,
    ActionItem,
    ActionStatus,
    AllspawCheck,
    Anchor,
    ContributingFactor,
    DocStatus,
    EventSource,
    FactorCategory,
    Header,
    Impact,
    IncidentTimes,
    Note,
    PostMortem,
    Priority,
    Severity,
    SignOff,
    SignOffRole,
    TimelineEvent,
)
from storage.audit import record
from storage.tx import write_transaction

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
BASE_DAY = datetime(2026, 11, 1, tzinfo=UTC)
SEED = 20261125

SERVICES = [
    "checkout",
    "payments",
    "search",
    "auth",
    "inventory",
    "notifications",
    "billing",
    "catalog",
    "ledger",
    "gateway",
    "mobile-api",
    "recommendations",
    "shipping",
    "reports",
    "identity",
    "cdn",
]
FAILURE_CLASSES = [
    "config change",
    "deploy",
    "capacity",
    "dependency",
    "data corruption",
    "certificate expiry",
    "network partition",
    "dns",
    "feature flag",
    "schema migration",
    "rate limiting",
    "cache",
]
COMPONENTS = [
    "connection pool",
    "load balancer",
    "message queue",
    "replica",
    "cron job",
    "feature flag",
    "TLS certificate",
    "DNS record",
    "retry policy",
    "circuit breaker",
    "index",
    "batch export",
    "autoscaler",
    "health check",
    "rollout pipeline",
    "cache layer",
    "rate limiter",
    "webhook",
]
SIGNALS = [
    "error rate",
    "p99 latency",
    "queue depth",
    "disk usage",
    "memory",
    "CPU saturation",
    "5xx responses",
    "timeouts",
    "replication lag",
    "dropped connections",
]
OWNERS = [
    f"{first} {last}"
    for first in (
        "Ada",
        "Grace",
        "Linus",
        "Margaret",
        "Ken",
        "Barbara",
        "Alan",
        "Frances",
        "Dennis",
        "Radia",
        "Edsger",
        "Hedy",
    )
    for last in ("Lovelace", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov")
]
ROLES = ["on-call engineer", "incident commander", "database on-call", "support lead", "release manager"]
ANCHORS = [
    Anchor.TRIGGER,
    Anchor.FIRST_SIGNAL,
    Anchor.DETECTION,
    Anchor.ESCALATION,
    Anchor.FIRST_MITIGATION,
    Anchor.IMPACT_ENDED,
    Anchor.RESOLUTION,
    Anchor.CLOSED,
]


def scale() -> float:
    return float(os.environ.get("DEBRIEF_BENCH_SCALE", "1.0"))


def _fingerprint(docs: int, items_per_doc: int) -> str:
    digest = hashlib.sha256(f"{docs}:{items_per_doc}:{SEED}".encode())
    for path in sorted(
        [Path(__file__), ROOT / "postmortem" / "models.py", *ROOT.joinpath("storage").glob("*.py")]
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def corpus_db(docs: int = 20_000, items_per_doc: int = 5) -> Path:
    """The cached corpus file for this size (scaled by $DEBRIEF_BENCH_SCALE), built on first use."""
    docs = max(1, round(docs * scale()))
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"corpus-{docs}x{items_per_doc}-{_fingerprint(docs, items_per_doc)}.db"
    # Several benchmark processes may ask at once: one builds, the others wait for it.
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _build(path, docs, items_per_doc)
    return path


def _build(path: Path, docs: int, items_per_doc: int) -> None:
    for stale in CACHE.glob(f"corpus-{docs}x{items_per_doc}-*.db*"):
        stale.unlink()
    partial = path.with_suffix(".partial")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    rng = random.Random(SEED)
    db = storage.connect(partial, actor=storage.LOCAL)
    with write_transaction(db):
        for n in range(docs):
            doc, published_at = generate(rng, n, items_per_doc)
            stored = storage.create(db=db, doc=doc, by="bench")
            if published_at:
                record(
                    db=db,
                    doc_id=stored.id,
                    version=1,
                    action="status",
                    by="bench",
                    from_status=DocStatus.IN_REVIEW.value,
                    to_status=DocStatus.PUBLISHED.value,
                    at=published_at.isoformat(),
                )
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.rename(path)


def generate(rng: random.Random, n: int, items_per_doc: int) -> tuple[PostMortem, datetime | None]:
    """One random post-mortem (and when it was published, if it was)."""
    start = BASE_DAY - timedelta(days=rng.uniform(0, 730), minutes=rng.randrange(1440))
    severity = rng.choices(list(Severity), weights=[1, 3, 8, 10, 4, 3][: len(Severity)])[0]
    services = rng.sample(SERVICES, rng.choice((1, 1, 2, 3)))
    failure_class = rng.choice(FAILURE_CLASSES)
    component, signal = rng.choice(COMPONENTS), rng.choice(SIGNALS)
    minutes = sorted(rng.sample(range(1, 600), len(ANCHORS) - 1))
    anchor_times = [start] + [start + timedelta(minutes=m) for m in minutes]
    anchor_times[-1] = anchor_times[-2] + timedelta(hours=rng.uniform(1, 48))
    at = dict(zip(ANCHORS, anchor_times, strict=True))
    age_days = (BASE_DAY - start).days
    status = _status(rng, age_days)
    published_at = (
        (at[Anchor.CLOSED] + timedelta(days=rng.uniform(1, 14))) if status is DocStatus.PUBLISHED else None
    )

    timeline = [
        TimelineEvent(
            at=t,
            anchor=a,
            source=rng.choice(list(EventSource)),
            text=f"{a.value.replace('_', ' ').capitalize()}: {signal} on {services[0]} "
            f"{rng.choice(('rose', 'fell', 'spiked', 'flapped'))} near the {component}.",
        )
        for a, t in at.items()
    ]
    timeline += [
        TimelineEvent(
            at=start + timedelta(minutes=rng.uniform(0, minutes[-1])),
            source=EventSource.CHAT,
            text=f"Responders compared the {rng.choice(COMPONENTS)} graphs for "
            f"{rng.choice(SERVICES)} (ticket {n}-{k}).",
        )
        for k in range(rng.randrange(2, 8))
    ]
    actions = [_action(rng, n, k, start, component, services[0]) for k in range(items_per_doc)]
    doc = PostMortem(
        header=Header(
            incident_id=f"INC-{start.year}-{n:05d}",
            severity=severity,
            status=status,
            services=services,
            failure_class=failure_class,
            tags=[
                failure_class,
                *rng.sample(("customer-facing", "internal", "data", "security", "latency"), 1),
            ],
            title=f"{signal.capitalize()} on {services[0]} after a {failure_class} in the {component}",
            author_role=rng.choice(ROLES),
            times=IncidentTimes(
                started_at=at[Anchor.TRIGGER],
                first_signal_at=at[Anchor.FIRST_SIGNAL],
                impact_started_at=at[Anchor.FIRST_SIGNAL],
                detected_at=at[Anchor.DETECTION],
                # the first attempt is the anchored one; impact came under control halfway to its end (no
                # extra draw from rng, so every other figure of the corpus stays as it was)
                first_mitigation_at=at[Anchor.FIRST_MITIGATION],
                mitigated_at=at[Anchor.FIRST_MITIGATION]
                + (at[Anchor.IMPACT_ENDED] - at[Anchor.FIRST_MITIGATION]) / 2,
                impact_ended_at=at[Anchor.IMPACT_ENDED],
                resolved_at=at[Anchor.RESOLUTION],
                closed_at=at[Anchor.CLOSED],
            ),
        ),
        summary=f"A {failure_class} in the {component} of {services[0]} raised {signal} for "
        f"{minutes[3]} minutes; the responders rolled it back and added a guard.",
        impact=Impact(
            description=f"About {rng.randrange(10, 50_000)} requests to {', '.join(services)} failed.",
            customers_affected=rng.randrange(0, 20_000),
        ),
        timeline=timeline,
        went_well=[
            Note(text=f"The {rng.choice(COMPONENTS)} alert paged within minutes ({k}).")
            for k in range(rng.choice((0, 1, 2, 3, 3, 4, 5)))
        ],
        went_wrong=[Note(text=f"The {component} had no limit on {signal}.")],
        contributing_factors=[
            ContributingFactor(
                text=f"The {rng.choice(COMPONENTS)} {rng.choice(FACTOR_SHAPES)}",
                category=rng.choice(list(FactorCategory)),
            )
            for _ in range(rng.randrange(1, 5))
        ],
        action_items=actions,
        lessons=[Note(text=f"Changes to the {component} need a staged rollout.")],
        allspaw=AllspawCheck(
            role=rng.choice(ROLES), fair=rng.random() < 0.85, by="bench", at=at[Anchor.CLOSED]
        )
        if status in (DocStatus.FINAL, DocStatus.PUBLISHED)
        else None,
        sign_offs=[
            SignOff(role=SignOffRole.INCIDENT_COMMANDER, name=rng.choice(OWNERS), signed_at=published_at)
        ]
        if published_at
        else [],
    )
    return doc, published_at


FACTOR_SHAPES = (
    "had no alert on saturation.",
    "shared one pool with batch jobs.",
    "accepted a config without validation.",
    "retried without backoff.",
    "depended on a single replica.",
    "rolled out to every region at once.",
)


def _status(rng: random.Random, age_days: int) -> DocStatus:
    if age_days < 14:
        return rng.choice((DocStatus.DRAFT, DocStatus.DRAFT, DocStatus.IN_REVIEW))
    return rng.choices(
        (DocStatus.PUBLISHED, DocStatus.FINAL, DocStatus.IN_REVIEW, DocStatus.DRAFT), weights=(70, 10, 10, 10)
    )[0]


def _action(rng: random.Random, n: int, k: int, start: datetime, component: str, service: str) -> ActionItem:
    due = (start + timedelta(days=rng.choice((14, 30, 60, 90)))).date()
    status = rng.choices(list(ActionStatus), weights=[3, 2, 1, 10, 1][: len(ActionStatus)])[0]
    closed = None
    if status in (ActionStatus.DONE, ActionStatus.CANCELLED):
        closed = min(start + timedelta(days=rng.uniform(2, 120)), BASE_DAY)
        closed = max(closed, start)
    return ActionItem(
        title=f"{rng.choice(('Add', 'Alert on', 'Limit', 'Test', 'Document', 'Automate'))} the {component} "
        f"{rng.choice(('threshold', 'failover', 'rollback', 'capacity', 'runbook'))} for {service}",
        owner=rng.choice(OWNERS),
        due=due,
        tracker=f"OPS-{n * 10 + k}",
        category=rng.choice(list(ActionCategory)),
        priority=rng.choice(list(Priority)),
        status=status,
        cancel_reason="Superseded by a platform change." if status is ActionStatus.CANCELLED else "",
        closed_at=closed,
        acceptance_criteria=f"An alert pages when {component} saturation passes 80 %.",
    )
