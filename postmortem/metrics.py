"""Archive-level learning metrics, per quarter: are post-mortems written on time, do their action
items get built, are they fair and balanced, and does the same failure come back?

Pure functions over small per-document records (`DocFacts`), which storage/metrics.py reads from
projected columns. Every figure is counted in the quarter of the incident (see `incident_at`), and
every rate keeps its numerator and denominator, so an empty quarter is "no data", never 0 %.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from postmortem.models import ActionStatus, DocStatus, Severity, TriggerKind
from postmortem.severity import add_business_days, verdict_for

DONE_TARGETS = {30: 0.70, 90: 0.90}  # share of action items done that many days after the incident closed
CANCELLED_TARGET = 0.10  # cancellations stay below this share
RECURRENCE_DAYS = 90
SIGNED_OFF = (DocStatus.FINAL.value, DocStatus.PUBLISHED.value)
SEVERITIES = [s.value for s in Severity]


class Quarter(NamedTuple):
    year: int
    q: int

    def __str__(self) -> str:
        return f"{self.year} Q{self.q}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.q - 2, 1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.q // 4, self.q % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.q == 1), (self.q - 2) % 4 + 1)


def quarter_of(moment: date | datetime) -> Quarter:
    return Quarter(moment.year, (moment.month - 1) // 3 + 1)


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from `first` to `last`, both included (empty when `first` is later)."""
    found, current = [], first
    while current <= last:
        found.append(current)
        current = current.next()
    return found


def last_quarters(today: date, count: int = 4) -> list[Quarter]:
    """The `count` quarters up to and including today's."""
    last = quarter_of(today)
    first = last
    for _ in range(count - 1):
        first = first.previous()
    return quarters_between(first, last)


@dataclass(frozen=True)
class Rate:
    """`hits` out of `total`; `value` is None when there is nothing to count."""

    hits: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.hits + other.hits, self.total + other.total)


def total(rates: Iterable[Rate]) -> Rate:
    return sum(rates, Rate())


@dataclass(frozen=True)
class ItemFacts:
    status: str
    closed_at: datetime | None = None


class ItemCounts(NamedTuple):
    """One post-mortem's action items, counted: storage counts them in SQL, `count_items` in Python."""

    total: int = 0
    cancelled: int = 0
    undated: int = 0  # done, but with no closing time
    done_by: Mapping[int, int] = MappingProxyType({})  # days → items done within that many days of the close


def count_items(
    items: Iterable[ItemFacts], closed_at: datetime | None, windows: Sequence[int] = tuple(DONE_TARGETS)
) -> ItemCounts:
    """The reference count (storage/metrics.py does the same in SQL)."""
    items = list(items)
    done = [i.closed_at for i in items if i.status == ActionStatus.DONE.value]
    dated = [at for at in done if at is not None]
    done_by = {
        days: sum(at <= closed_at + timedelta(days=days) for at in dated) if closed_at else 0
        for days in windows
    }
    return ItemCounts(
        len(items),
        sum(i.status == ActionStatus.CANCELLED.value for i in items),
        len(done) - len(dated),
        done_by,
    )


class DocFacts(NamedTuple):
    """What the dashboard needs to know about one post-mortem (a tuple: 20,000 are built per load)."""

    id: int
    severity: str
    status: str
    incident_at: datetime
    trigger: str = "outage"
    novel: bool = False
    closed_at: datetime | None = None
    published_at: datetime | None = None
    published_from: str = ""  # "audit trail" | "sign-off" | ""
    allspaw_fair: bool | None = None
    went_well: int = 0
    detect_min: float | None = None
    mitigate_min: float | None = None
    resolve_min: float | None = None
    failure_class: str = ""
    services: frozenset[str] = frozenset()
    items: ItemCounts = ItemCounts()

    @property
    def quarter(self) -> Quarter:
        return quarter_of(self.incident_at)


def published_at(
    trail_at: datetime | None, status: str, signed_off_at: datetime | None
) -> tuple[datetime | None, str]:
    """When a post-mortem was published: the first status change to published in its audit trail;
    for a published one with no such row (imported, or stored before the trail existed), its sign-off."""
    if trail_at is not None:
        return trail_at, "audit trail"
    if status == DocStatus.PUBLISHED.value and signed_off_at is not None:
        return signed_off_at, "sign-off"
    return None, ""


# --- 1. Post-mortems per quarter and severity -----------------------------------------------


def by_quarter(docs: Iterable[DocFacts], quarters: Sequence[Quarter]) -> dict[Quarter, list[DocFacts]]:
    """The post-mortems of each quarter (of its incident); those outside `quarters` are dropped."""
    grouped: dict[Quarter, list[DocFacts]] = {q: [] for q in quarters}
    for doc in docs:
        group = grouped.get(doc.quarter)
        if group is not None:
            group.append(doc)
    return grouped


def severity_counts(docs: Iterable[DocFacts]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for doc in docs:
        counts[doc.severity] += 1
    return dict(counts)


# --- 2. Published within the deadline ---------------------------------------------------------

ON_TIME, LATE, OVERDUE, PENDING = "on time", "late", "not published, past deadline", "deadline ahead"
OUTCOMES = (ON_TIME, LATE, OVERDUE, PENDING)
DeadlineFn = Callable[[DocFacts], date | None]


# Business-day arithmetic per (close date, days, country), kept across dashboards: every archive version
# recomputes the figures, but the close dates barely change.
_due = lru_cache(maxsize=8192)(add_business_days)


def deadline_function(country: str) -> DeadlineFn:
    """severity.deadline_from for each document, with its two steps remembered: the policy per
    (severity, trigger, novel) and the business-day count per close date (`_due`), since 20,000
    post-mortems close on a few hundred distinct days."""
    days_for: dict[tuple[str, str, bool], int | None] = {}

    def deadline(doc: DocFacts) -> date | None:
        if doc.closed_at is None:
            return None
        policy = (doc.severity, doc.trigger, doc.novel)
        if policy not in days_for:
            verdict = verdict_for(Severity(doc.severity), TriggerKind(doc.trigger), doc.novel)
            days_for[policy] = verdict.deadline_business_days
        days = days_for[policy]
        if days is None:
            return None
        return _due(doc.closed_at.date(), days, country)

    return deadline


def deadline_outcome(doc: DocFacts, deadline: date | None, today: date) -> str | None:
    """On time, late, overdue or still ahead; None when no deadline applies (or the incident is open)."""
    if deadline is None:
        return None
    if doc.published_at is not None:
        return ON_TIME if doc.published_at.astimezone(UTC).date() <= deadline else LATE
    return OVERDUE if today > deadline else PENDING


def deadline_outcomes(
    docs: Iterable[DocFacts], today: date, deadline: DeadlineFn
) -> dict[str, dict[str, int]]:
    """Per severity, how many post-mortems with a deadline landed in each outcome."""
    found: dict[str, dict[str, int]] = {}
    for doc in docs:
        outcome = deadline_outcome(doc, deadline(doc), today)
        if outcome:
            found.setdefault(doc.severity, dict.fromkeys(OUTCOMES, 0))[outcome] += 1
    return found


def on_time_rate(outcomes: dict[str, int]) -> Rate:
    """On time out of those whose deadline has passed or that are published (pending ones wait)."""
    return Rate(outcomes[ON_TIME], outcomes[ON_TIME] + outcomes[LATE] + outcomes[OVERDUE])


# --- 3. Action items done at 30 and 90 days -----------------------------------------------------


@dataclass(frozen=True)
class ItemFigures:
    done: dict[int, Rate]  # days → done within that many days of the incident's close
    cancelled: Rate
    undated: int = 0  # done, but with no closing time: left out of the done rates


def item_figures(
    docs: Iterable[DocFacts], today: date, windows: Sequence[int] = tuple(DONE_TARGETS)
) -> ItemFigures:
    """Done rates count items not cancelled, of incidents closed at least that many days ago; an
    item counts as done when it was marked done within that many days of the close."""
    hits, counted = dict.fromkeys(windows, 0), dict.fromkeys(windows, 0)
    cancelled = items = undated = 0
    for doc in docs:
        counts = doc.items
        items, cancelled = items + counts.total, cancelled + counts.cancelled
        if doc.closed_at is None or not counts.total:
            continue
        undated += counts.undated
        dated = counts.total - counts.cancelled - counts.undated
        for days in windows:
            if (doc.closed_at + timedelta(days=days)).date() <= today:  # the window is over
                counted[days] += dated
                hits[days] += counts.done_by.get(days, 0)
    return ItemFigures({d: Rate(hits[d], counted[d]) for d in windows}, Rate(cancelled, items), undated)


# --- 4. Allspaw test and what went well ---------------------------------------------------------


@dataclass(frozen=True)
class Quality:
    allspaw: Rate
    went_well_1: Rate
    went_well_3: Rate


def quality(docs: Iterable[DocFacts]) -> Quality:
    """Among signed-off post-mortems (final or published): Allspaw test answered yes, and at least
    one / three things that went well. A missing Allspaw answer counts as not passed."""
    signed = [d for d in docs if d.status in SIGNED_OFF]
    return Quality(
        Rate(sum(d.allspaw_fair is True for d in signed), len(signed)),
        Rate(sum(d.went_well >= 1 for d in signed), len(signed)),
        Rate(sum(d.went_well >= 3 for d in signed), len(signed)),
    )


# --- 5. Recurring failure classes ---------------------------------------------------------------


@lru_cache(maxsize=4096)
def failure_key(text: str) -> str:
    """Failure classes compare without case or extra spaces."""
    return " ".join(text.casefold().split())


def recurring_ids(docs: Iterable[DocFacts], days: int = RECURRENCE_DAYS) -> set[int]:
    """Post-mortems whose failure class came back: another post-mortem with the same class and at
    least one shared service has an incident in the `days` before this one (strictly earlier)."""
    ordered = sorted((d for d in docs if d.failure_class.strip() and d.services), key=lambda d: d.incident_at)
    last_seen: dict[tuple[str, str], datetime] = {}
    window, found, pending, current = timedelta(days=days), set(), [], None
    for doc in ordered:
        if doc.incident_at != current:  # same-time incidents do not count as each other's recurrence
            last_seen.update(pending)
            pending, current = [], doc.incident_at
        keys = [(failure_key(doc.failure_class), service) for service in doc.services]
        if any(key in last_seen and doc.incident_at - last_seen[key] <= window for key in keys):
            found.add(doc.id)
        pending += [(key, doc.incident_at) for key in keys]
    return found


def lookback_start(quarters: Sequence[Quarter], days: int = RECURRENCE_DAYS) -> date:
    """The earliest incident date the figures for `quarters` depend on (recurrences look back)."""
    return min(quarters).start - timedelta(days=days)


def recurrence_rate(docs: Iterable[DocFacts], recurring: set[int]) -> Rate:
    """Recurring post-mortems out of those that name a failure class and a service."""
    named = [d.id for d in docs if d.failure_class.strip() and d.services]
    return Rate(sum(doc_id in recurring for doc_id in named), len(named))


def recurring_classes(docs: Iterable[DocFacts], recurring: set[int]) -> dict[str, int]:
    """How often each failure class recurred, most frequent first (the class as first written)."""
    counts: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for doc in docs:
        if doc.id in recurring:
            key = failure_key(doc.failure_class)
            names.setdefault(key, doc.failure_class.strip())
            counts[key] += 1
    return {names[k]: n for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


# --- 6. Detection, mitigation and resolution times ---------------------------------------------

MEASURES = {
    "detect_min": "Time to detect",
    "mitigate_min": "Time to mitigate",
    "resolve_min": "Time to resolve",
}


@dataclass(frozen=True)
class Median:
    minutes: float | None
    count: int


def median_times(docs: Iterable[DocFacts]) -> dict[tuple[str, str], Median]:
    """Median minutes of each measure per severity, over the post-mortems that record both anchors."""
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    for doc in docs:
        for measure in MEASURES:
            minutes = getattr(doc, measure)
            if minutes is not None:
                values[doc.severity, measure].append(minutes)
    return {key: Median(statistics.median(v), len(v)) for key, v in values.items()}


# --- Everything for a range of quarters ---------------------------------------------------------


@dataclass(frozen=True)
class QuarterFigures:
    quarter: Quarter
    count: int
    severities: dict[str, int]
    deadlines: dict[str, dict[str, int]]  # severity → outcome → count
    items: ItemFigures
    quality: Quality
    recurrence: Rate

    @property
    def on_time(self) -> Rate:
        return total(on_time_rate(outcomes) for outcomes in self.deadlines.values())


@dataclass(frozen=True)
class Dashboard:
    per_quarter: list[QuarterFigures]
    medians: dict[tuple[str, str], Median]  # (severity, measure) over the whole range
    recurring_classes: dict[str, int]
    published_from: dict[str, int]  # where the publication dates came from: "audit trail" / "sign-off"

    @property
    def quarters(self) -> list[Quarter]:
        return [f.quarter for f in self.per_quarter]

    @property
    def count(self) -> int:
        return sum(f.count for f in self.per_quarter)

    @property
    def empty_quarters(self) -> list[Quarter]:
        return [f.quarter for f in self.per_quarter if f.count == 0]


def dashboard(docs: Sequence[DocFacts], quarters: Sequence[Quarter], today: date, country: str) -> Dashboard:
    """Every figure of the learning dashboard for these quarters. `docs` may hold earlier ones too
    (back to `lookback_start`): a recurrence looks back 90 days, even past the first quarter."""
    grouped = by_quarter(docs, quarters)
    recurring = recurring_ids(docs)
    deadline = deadline_function(country)
    per_quarter = [
        QuarterFigures(
            q,
            len(group),
            severity_counts(group),
            deadline_outcomes(group, today, deadline),
            item_figures(group, today),
            quality(group),
            recurrence_rate(group, recurring),
        )
        for q, group in grouped.items()
    ]
    in_range = [doc for group in grouped.values() for doc in group]
    sources: dict[str, int] = defaultdict(int)
    for doc in in_range:
        if doc.published_from:
            sources[doc.published_from] += 1
    return Dashboard(
        per_quarter, median_times(in_range), recurring_classes(in_range, recurring), dict(sources)
    )
