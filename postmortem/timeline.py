"""Timeline anchors, the durations derived from them, and merging interviews into the timeline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from postmortem.models import (
    Anchor,
    EventKind,
    EventSource,
    IncidentTimes,
    Interview,
    PostMortem,
    TimelineEvent,
)

# Which header time each anchor stands for.
ANCHOR_FIELDS: dict[Anchor, str] = {
    Anchor.TRIGGER: "started_at",
    Anchor.FIRST_SIGNAL: "first_signal_at",
    Anchor.DETECTION: "detected_at",
    Anchor.FIRST_MITIGATION: "mitigated_at",
    Anchor.IMPACT_ENDED: "impact_ended_at",
    Anchor.RESOLUTION: "resolved_at",
    Anchor.CLOSED: "closed_at",
}

REQUIRED_ANCHORS = (Anchor.TRIGGER, Anchor.DETECTION, Anchor.FIRST_MITIGATION, Anchor.RESOLUTION)


def anchor_times(doc: PostMortem) -> dict[Anchor, datetime]:
    """The time of each anchor: the earliest timeline event marked with it, else the header time."""
    marked = ((event.anchor, event.at) for event in doc.timeline if event.anchor)
    header = {field: getattr(doc.header.times, field) for field in ANCHOR_FIELDS.values()}
    return earliest_anchors(marked, header)


def earliest_anchors(marked: Iterable[tuple[Anchor, datetime]],
                     header_times: Mapping[str, datetime | None]) -> dict[Anchor, datetime]:
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


def times_from_anchors(doc: PostMortem) -> IncidentTimes:
    """Header times filled in from the timeline's anchors, keeping any the timeline lacks."""
    anchors = anchor_times(doc)
    values = doc.header.times.model_dump()
    for anchor, field in ANCHOR_FIELDS.items():
        if anchor in anchors:
            values[field] = anchors[anchor]
    return IncidentTimes.model_validate(values)


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
    Duration("Time to detect", Anchor.FIRST_SIGNAL, Anchor.DETECTION, timedelta(minutes=5),
             "From the first signal in any system to a person knowing about it. Sev1 target: under 5 minutes."),
    Duration("Time to mitigate", Anchor.DETECTION, Anchor.IMPACT_ENDED, timedelta(minutes=30),
             "From detection to the end of customer impact. Sev1 target: under 30 minutes."),
    Duration("Time to resolve", Anchor.DETECTION, Anchor.RESOLUTION, None,
             "From detection to full resolution, including clean-up after impact ended."),
)


def durations(doc: PostMortem) -> list[Duration]:
    """Detect, mitigate and resolve durations, each None where an anchor is missing."""
    return durations_between(anchor_times(doc))


def durations_between(anchors: Mapping[Anchor, datetime]) -> list[Duration]:
    """DURATIONS measured between the given anchor times, each None where one is missing or out of order."""
    result = []
    for d in DURATIONS:
        start, end = anchors.get(d.start), anchors.get(d.end)
        value = end - start if start and end and end >= start else None
        result.append(Duration(d.name, d.start, d.end, d.target, d.help, value))
    return result


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
    parts = [f"Observed: {row.observed}" if row.observed else "",
             f"Did: {row.did}" if row.did else "",
             f"Knew: {row.knew}" if row.knew else ""]
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
            event = TimelineEvent(at=row.at, text=_row_text(row), kind=kind,
                                  actor_role=interview.role, source=EventSource.INTERVIEW)
            timeline.append(event)
            row = row.model_copy(update={"merged_event_id": event.id})
        rows.append(row)
    return interview.model_copy(update={"rows": rows})
