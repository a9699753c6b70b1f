"""The few values per post-mortem that the learning dashboard adds up, taken from a stored body:
incident and close times, sign-off, durations, went-well count, Allspaw answer, action items done
within 30 and 90 days of the close (a fixed fact once the items are closed; whether the window
is over yet is decided when the dashboard is drawn).

Storage keeps them as columns (see storage/projections.py), so the dashboard reads 20,000 rows
instead of validating 20,000 documents. `facts_from_body` reads the plain JSON of a stored document
(no validation: it was validated when it was saved); `facts_from_doc` reads a validated document
the slow way and must give the same answer (a test holds them together).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from postmortem.metrics import DONE_TARGETS, ItemFacts, count_items
from postmortem.models import Anchor, PostMortem, SignOffRole
from postmortem.timeline import ANCHOR_FIELDS, anchor_times, durations_between, earliest_anchors

# Column name → the duration in postmortem.timeline.DURATIONS it holds, in minutes.
DURATION_COLUMNS = {
    "detect_min": "Time to detect",
    "mitigate_min": "Time to mitigate",
    "resolve_min": "Time to resolve",
}
# Column name → days after the incident's close: how many action items were done by then.
DONE_COLUMNS = {f"items_done_{days}d": days for days in DONE_TARGETS}
COLUMNS = (
    "incident_at",
    "incident_closed_at",
    "signed_off_at",
    "went_well_count",
    "allspaw_fair",
    *DURATION_COLUMNS,
    "items_total",
    "items_cancelled",
    "items_done_undated",
    *DONE_COLUMNS,
)


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


def _iso(value: datetime | None) -> str | None:
    # One format for every stored time, so the columns sort and compare as text.
    return value.astimezone(UTC).isoformat() if value else None


def facts_from_body(data: Mapping[str, Any]) -> dict[str, Any]:
    """The dashboard's columns of one stored document, from its parsed JSON body."""
    sign_offs = [(s["role"], _time(s["signed_at"])) for s in data.get("sign_offs", ())]
    allspaw = data.get("allspaw")
    items = [
        ItemFacts(i.get("status", "open"), _time(i.get("closed_at"))) for i in data.get("action_items", ())
    ]
    return _facts(
        _anchors_of_body(data),
        sign_offs,
        len(data.get("went_well", ())),
        None if allspaw is None else bool(allspaw["fair"]),
        items,
    )


def _anchors_of_body(data: Mapping[str, Any]) -> dict[Anchor, datetime]:
    marked = [
        (Anchor(event["anchor"]), _time(event["at"]))
        for event in data.get("timeline", ())
        if event.get("anchor")
    ]
    # Only the anchor fields: the times also hold `approximate`, a list of field names.
    times = data["header"].get("times") or {}
    header_times = {field: _time(times.get(field)) for field in ANCHOR_FIELDS.values()}
    return earliest_anchors(marked, header_times)


def incident_at_of_body(data: Mapping[str, Any]) -> str | None:
    """The `incident_at` column alone, for the archive's projection (the whole set costs more)."""
    return _iso(incident_time(_anchors_of_body(data)))


def facts_from_doc(doc: PostMortem) -> dict[str, Any]:
    """The same columns from a validated document."""
    sign_offs = [(s.role.value, s.signed_at) for s in doc.sign_offs]
    items = [ItemFacts(i.status.value, i.closed_at) for i in doc.action_items]
    return _facts(
        anchor_times(doc),
        sign_offs,
        len(doc.went_well),
        None if doc.allspaw is None else doc.allspaw.fair,
        items,
    )


def _facts(
    anchors: Mapping[Anchor, datetime],
    sign_offs: list[tuple[str, datetime]],
    went_well: int,
    allspaw_fair: bool | None,
    items: list[ItemFacts],
) -> dict[str, Any]:
    by_name = {d.name: d.value for d in durations_between(anchors)}
    counts = count_items(items, anchors.get(Anchor.CLOSED), tuple(DONE_COLUMNS.values()))
    return {
        "incident_at": _iso(incident_time(anchors)),
        "incident_closed_at": _iso(anchors.get(Anchor.CLOSED)),
        "signed_off_at": _iso(sign_off_time(sign_offs)),
        "went_well_count": went_well,
        "allspaw_fair": None if allspaw_fair is None else int(allspaw_fair),
        **{
            column: None if by_name[name] is None else by_name[name].total_seconds() / 60
            for column, name in DURATION_COLUMNS.items()
        },
        "items_total": counts.total,
        "items_cancelled": counts.cancelled,
        "items_done_undated": counts.undated,
        **{column: counts.done_by[days] for column, days in DONE_COLUMNS.items()},
    }


def incident_time(anchors: Mapping[Anchor, datetime]) -> datetime | None:
    """When the incident happened: its trigger, else the earliest key time recorded."""
    if Anchor.TRIGGER in anchors:
        return anchors[Anchor.TRIGGER]
    known = [anchors[a] for a in ANCHOR_FIELDS if a in anchors]
    return min(known, default=None)


def sign_off_time(sign_offs: list[tuple[str, datetime]]) -> datetime | None:
    """The incident commander's sign-off (what makes a post-mortem final), else the latest sign-off."""
    commander = [at for role, at in sign_offs if role == SignOffRole.INCIDENT_COMMANDER.value]
    return max(commander or [at for _, at in sign_offs], default=None)
