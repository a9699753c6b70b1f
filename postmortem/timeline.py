"""Timeline anchors, the durations derived from them, and merging interviews into the timeline."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from postmortem.models import (
    TIME_ORDER,
    Anchor,
    EventKind,
    EventSource,
    IncidentTimes,
    Interview,
    PostMortem,
    Severity,
    TimelineEvent,
)

# Which header time each anchor stands for.
ANCHOR_FIELDS: dict[Anchor, str] = {
    Anchor.TRIGGER: "started_at",
    Anchor.FIRST_SIGNAL: "first_signal_at",
    Anchor.IMPACT_STARTED: "impact_started_at",
    Anchor.DETECTION: "detected_at",
    Anchor.FIRST_MITIGATION: "first_mitigation_at",
    Anchor.MITIGATED: "mitigated_at",
    Anchor.IMPACT_ENDED: "impact_ended_at",
    Anchor.RESOLUTION: "resolved_at",
    Anchor.CLOSED: "closed_at",
}

# How each key time is called on the pages and in every export.
TIME_LABELS: dict[str, str] = {
    "started_at": "Incident began (trigger)",
    "first_signal_at": "First signal",
    "impact_started_at": "Customer impact began",
    "detected_at": "Detected",
    "first_mitigation_at": "First mitigation attempt",
    "mitigated_at": "Mitigated (impact under control)",
    "impact_ended_at": "Customer impact ended",
    "resolved_at": "Fully resolved",
    "closed_at": "Closed",
    "unavailable_from": "Service fully unavailable from",
    "unavailable_to": "Service fully unavailable to",
}

REQUIRED_ANCHORS = (Anchor.TRIGGER, Anchor.DETECTION, Anchor.FIRST_MITIGATION, Anchor.RESOLUTION)


def anchor_times(doc: PostMortem) -> dict[Anchor, datetime]:
    """The time of each anchor: the earliest timeline event marked with it, else the header time."""
    marked = ((event.anchor, event.at) for event in doc.timeline if event.anchor)
    header = {field: getattr(doc.header.times, field) for field in ANCHOR_FIELDS.values()}
    return earliest_anchors(marked, header)


def earliest_anchors(
    marked: Iterable[tuple[Anchor, datetime]], header_times: Mapping[str, datetime | None]
) -> dict[Anchor, datetime]:
    """anchor_times over plain values (timeline (anchor, time) pairs and the header's times by field),
    so the archive projections can use the same rule without validating a whole document."""
    found: dict[Anchor, datetime] = {}
    for anchor, at in marked:
        if anchor not in found or at < found[anchor]:
            found[anchor] = at
    for anchor, field in ANCHOR_FIELDS.items():
        header_time = header_times.get(field)
        if anchor not in found and header_time is not None:
            found[anchor] = header_time
    return found


def anchored_values(doc: PostMortem) -> dict[str, object]:
    """The header's times as plain values, with every time the timeline marks put in its place."""
    anchors = anchor_times(doc)
    values = doc.header.times.model_dump()
    for anchor, field in ANCHOR_FIELDS.items():
        if anchor in anchors:
            values[field] = anchors[anchor]
    return values


@dataclass(frozen=True)
class TimesConflict:
    """Two key times out of order, with the change that would put them right."""

    earlier: str
    later: str
    message: str
    earlier_at: datetime
    later_at: datetime

    @property
    def advice(self) -> str:
        """What the author reads: the two times and what to change, in the wizard's labels."""
        later, earlier = TIME_LABELS[self.later], TIME_LABELS[self.earlier]
        return (
            f"{later} {self.later_at:%d %b %H:%M} is before {earlier} {self.earlier_at:%d %b %H:%M} UTC. "
            f"{self.message} Change {later} to {self.earlier_at:%d %b %H:%M} or later, or {earlier} to "
            f"{self.later_at:%d %b %H:%M} or earlier."
        )


def conflicts(values: Mapping[str, object]) -> list[TimesConflict]:
    """Every pair of key times out of order (the model refuses the first; the author needs them all)."""
    found = []
    for earlier, later, message in TIME_ORDER:
        a, b = values.get(earlier), values.get(later)
        if isinstance(a, datetime) and isinstance(b, datetime) and b < a:
            found.append(TimesConflict(earlier, later, message, a, b))
    return found


def times_from_anchors(doc: PostMortem) -> IncidentTimes:
    """Header times filled in from the timeline's anchors, keeping any the timeline lacks.

    Raises pydantic's ValidationError when the result is out of order: call anchor_conflicts first.
    """
    return IncidentTimes.model_validate(anchored_values(doc))


def anchor_conflicts(doc: PostMortem) -> list[TimesConflict]:
    """Why the anchors cannot be copied into the header, if they cannot."""
    return conflicts(anchored_values(doc))


def header_only_fields(doc: PostMortem) -> set[str]:
    """Key times that come from the header alone: no timeline row is marked with their anchor."""
    marked = {ANCHOR_FIELDS[e.anchor] for e in doc.timeline if e.anchor in ANCHOR_FIELDS}
    return set(IncidentTimes.model_fields) - marked - {"approximate"}


def fix_for(doc: PostMortem, conflict: TimesConflict) -> tuple[str, datetime] | None:
    """The header time to change, and its new value, that settles a conflict; None when both times
    come from timeline rows (the author moves a row instead)."""
    editable = header_only_fields(doc)
    if conflict.later in editable:
        return conflict.later, conflict.earlier_at
    if conflict.earlier in editable:
        return conflict.earlier, conflict.later_at
    return None


def with_time(doc: PostMortem, field: str, at: datetime) -> PostMortem:
    """The document with one header time set, validated (pydantic's error if it is still out of order)."""
    times = IncidentTimes.model_validate({**doc.header.times.model_dump(), field: at})
    return doc.model_copy(update={"header": doc.header.model_copy(update={"times": times})})


# --- durations: the one place every page and export takes them from --------------------------


@dataclass(frozen=True)
class Duration:
    name: str
    start: Anchor
    end: Anchor
    target: timedelta | None
    help: str
    value: timedelta | None = None

    @property
    def within_target(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value < self.target  # the targets are "under 5 minutes", "under 30 minutes"


DURATIONS = (
    Duration(
        "Time to detect",
        Anchor.FIRST_SIGNAL,
        Anchor.DETECTION,
        timedelta(minutes=5),
        "From the first signal in any system to a person knowing about it.",
    ),
    Duration(
        "Time to mitigate",
        Anchor.DETECTION,
        Anchor.IMPACT_ENDED,
        timedelta(minutes=30),
        "From detection to the end of customer impact.",
    ),
    Duration(
        "Time to resolve",
        Anchor.DETECTION,
        Anchor.RESOLUTION,
        None,
        "From detection to full resolution, including clean-up after impact ended.",
    ),
)

# Detect and mitigate targets by severity (DURATIONS holds the Sev1 ones); None: no target at this severity.
TARGETS: dict[Severity, tuple[timedelta | None, timedelta | None]] = {
    Severity.SEV0: (timedelta(minutes=5), timedelta(minutes=30)),
    Severity.SEV1: (timedelta(minutes=5), timedelta(minutes=30)),
    Severity.SEV2: (timedelta(minutes=15), timedelta(hours=2)),
    Severity.SEV3: (timedelta(hours=1), timedelta(hours=8)),
    Severity.SEV4: (None, None),
    Severity.NEAR_MISS: (None, None),
}


def durations(doc: PostMortem) -> list[Duration]:
    """Detect, mitigate and resolve durations, each None where an anchor is missing, against the
    targets of the document's own severity."""
    return durations_between(anchor_times(doc), doc.header.severity)


def durations_between(
    anchors: Mapping[Anchor, datetime], severity: Severity = Severity.SEV1
) -> list[Duration]:
    """DURATIONS measured between the given anchor times, each None where one is missing or out of order."""
    detect, mitigate = TARGETS[severity]
    targets = (detect, mitigate, None)
    result = []
    for d, target in zip(DURATIONS, targets, strict=True):
        start, end = anchors.get(d.start), anchors.get(d.end)
        value = end - start if start and end and end >= start else None
        help_text = d.help + (f" {severity} target: under {format_duration(target)}." if target else "")
        result.append(Duration(d.name, d.start, d.end, target, help_text, value))
    return result


@dataclass(frozen=True)
class IncidentSpans:
    """The incident's spans, each None where a time is missing: what every export and page shows."""

    impact_start: datetime | None  # the customer-facing window
    impact_end: datetime | None
    impact: timedelta | None  # customer impact began -> ended
    incident: timedelta | None  # occurred (trigger) -> fully resolved: a regulator's "duration"
    downtime: timedelta | None  # service fully unavailable from -> to
    occurred_at: datetime | None
    resolved_at: datetime | None


def _span(start: datetime | None, end: datetime | None) -> timedelta | None:
    return end - start if start and end and end >= start else None


def spans(doc: PostMortem) -> IncidentSpans:
    """The one function every export and page takes the incident's windows and durations from.

    Each span runs between the two times it names and nothing else: an unknown start stays unknown
    (the trigger is never used for when customers were affected).
    """
    values = anchored_values(doc)
    begin, end = values.get("impact_started_at"), values.get("impact_ended_at")
    occurred, resolved = values.get("started_at"), values.get("resolved_at")
    t = doc.header.times
    return IncidentSpans(
        begin,
        end,
        _span(begin, end),
        _span(occurred, resolved),
        _span(t.unavailable_from, t.unavailable_to),
        occurred,
        resolved,
    )


def is_approximate(doc: PostMortem, field: str) -> bool:
    return field in doc.header.times.approximate


def shown_time(doc: PostMortem, field: str, value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A key time as every export writes it: "about 17:30" when the author marked it approximate."""
    if value is None:
        return "–"
    text = value.astimezone(UTC).strftime(fmt)
    return f"about {text}" if is_approximate(doc, field) else text


def shown_duration(doc: PostMortem, value: timedelta | None, *fields: str) -> str:
    """A duration, "about" when one of the times it runs between is approximate."""
    text = format_duration(value)
    return f"about {text}" if value is not None and any(is_approximate(doc, f) for f in fields) else text


def missing_anchors(doc: PostMortem) -> list[Anchor]:
    anchors = anchor_times(doc)
    return [a for a in REQUIRED_ANCHORS if a not in anchors]


def format_duration(value: timedelta | None) -> str:
    if value is None:
        return "–"
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{days} d"] if days else []
    if hours or days:
        parts.append(f"{hours} h")
    parts.append(f"{minutes} min")
    return " ".join(parts)


def _row_text(row) -> str:
    parts = [
        f"Observed: {row.observed}" if row.observed else "",
        f"Did: {row.did}" if row.did else "",
        f"Knew: {row.knew}" if row.knew else "",
    ]
    return " · ".join(p for p in parts if p)


def merge_interview(doc: PostMortem, interview_id: str) -> PostMortem:
    """Add each dated, not yet merged row of one interview to the timeline, sourced 'interview'."""
    interviews = []
    timeline = list(doc.timeline)
    for interview in doc.interviews:
        if interview.id == interview_id:
            interview = _merged(interview, timeline)
        interviews.append(interview)
    return doc.model_copy(update={"interviews": interviews, "timeline": sorted(timeline, key=lambda e: e.at)})


def _merged(interview: Interview, timeline: list[TimelineEvent]) -> Interview:
    rows = []
    for row in interview.rows:
        if row.at is not None and row.merged_event_id is None and _row_text(row):
            kind = EventKind.ACTION if row.did else EventKind.OBSERVATION
            event = TimelineEvent(
                at=row.at,
                text=_row_text(row),
                kind=kind,
                actor_role=interview.role,
                source=EventSource.INTERVIEW,
            )
            timeline.append(event)
            row = row.model_copy(update={"merged_event_id": event.id})
        rows.append(row)
    return interview.model_copy(update={"rows": rows})


# --- durations written in the title or summary, against the recorded times ---------------------

_UNITS = {"minute": 60, "min": 60, "hour": 3600, "hr": 3600, "day": 86400}
# "for 31 minutes", "for about 2 hours": a stated length of the incident (not "by 13 hours" or "in 14 minutes").
_STATED = re.compile(
    r"\bfor\s+(?:about\s+|around\s+|nearly\s+|almost\s+|over\s+)?(\d+(?:\.\d+)?)\s*"
    r"(minutes?|mins?|hours?|hrs?|days?)\b",
    re.IGNORECASE,
)
_WINDOW = re.compile(r"\bbetween\s+(\d{1,2}):(\d{2})\s+(?:and|to)\s+(\d{1,2}):(\d{2})\b", re.IGNORECASE)


@dataclass(frozen=True)
class WrittenDuration:
    """A length of customer impact stated in the title or summary that the recorded times contradict."""

    where: str  # "title" or "summary"
    written: str  # the words as written, e.g. "31 minutes"
    recorded: timedelta

    @property
    def message(self) -> str:
        return (
            f"The {self.where} says {self.written}; the recorded customer impact is "
            f"{format_duration(self.recorded)}. Correct the {self.where}, or the times if they are wrong."
        )


def _unit_seconds(unit: str) -> int:
    return next(seconds for word, seconds in _UNITS.items() if unit.casefold().startswith(word))


def _agrees(written: float, unit_seconds: int, recorded: timedelta) -> bool:
    in_units = recorded.total_seconds() / unit_seconds
    return abs(in_units - written) <= max(0.5, written * 0.1)  # "24 hours" for 23 h 55 min is right


def written_durations(doc: PostMortem) -> list[WrittenDuration]:
    """Every length of impact the title or summary states that disagrees with the recorded impact."""
    recorded = spans(doc).impact
    if recorded is None:
        return []
    found = []
    for where, text in (("title", doc.header.title), ("summary", doc.summary)):
        for m in _STATED.finditer(text):
            if not _agrees(float(m.group(1)), _unit_seconds(m.group(2)), recorded):
                found.append(WrittenDuration(where, f"{m.group(1)} {m.group(2)}", recorded))
        for m in _WINDOW.finditer(text):
            h1, m1, h2, m2 = (int(g) for g in m.groups())
            minutes = (h2 * 60 + m2 - h1 * 60 - m1) % 1440
            if not _agrees(minutes, 60, recorded):
                found.append(WrittenDuration(where, f"{h1:02d}:{m1:02d} to {h2:02d}:{m2:02d}", recorded))
    return found


def title_with_recorded_duration(doc: PostMortem) -> str | None:
    """The title with its stated length replaced by the recorded one (same unit), or None if nothing to fix."""
    recorded = spans(doc).impact
    m = _STATED.search(doc.header.title)
    if recorded is None or m is None or _agrees(float(m.group(1)), _unit_seconds(m.group(2)), recorded):
        return None
    unit = m.group(2)
    value = round(recorded.total_seconds() / _unit_seconds(unit))
    word = unit.rstrip("s") + ("" if value == 1 else "s") if unit.casefold().rstrip("s") in _UNITS else unit
    start, end = m.span(1)[0], m.span(2)[1]
    return doc.header.title[:start] + f"{value} {word}" + doc.header.title[end:]
