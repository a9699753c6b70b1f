"""What the archive search reads of a document: one text per section, from its stored JSON.

It works on the plain dict of a stored body (not the pydantic model) because it runs on every save
and over every document when the index is rebuilt; parsing the model there would double the cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from postmortem.learning_facts import incident_at_of_body

# Column name -> how the archive names the section a match was found in. Order = index columns.
SECTIONS: dict[str, str] = {
    "title": "Title",
    "labels": "Header",
    "summary": "Summary",
    "impact": "Impact",
    "timeline": "Timeline",
    "went_well": "What went well",
    "went_wrong": "What went wrong",
    "factors": "Contributing factors",
    "root_cause": "Root cause",
    "actions": "Action items",
    "lessons": "Lessons learned",
    "appendix": "People and links",
}
# bm25 weights, same order: a word in the title or the header tells more than one in the timeline.
WEIGHTS: dict[str, float] = {"title": 8.0, "labels": 4.0, "summary": 3.0, "factors": 2.0, "root_cause": 2.0}
# Private-use characters mark matches in snippets; stripped from indexed text, so users cannot forge them.
MARK_START, MARK_END = "\ue000", "\ue001"


def _clean(text: Any) -> str:
    return str(text or "").replace(MARK_START, "").replace(MARK_END, "")


def _lines(values: Iterable[Any]) -> str:
    return "\n".join(_clean(v) for v in values if v)


def _texts(rows: list[dict] | None, *keys: str) -> list[str]:
    return [row.get(key) for row in rows or [] for key in keys if row.get(key)]


def _impact(impact: dict) -> list[str]:
    regulatory = impact.get("regulatory") or {}
    return [
        impact.get("description"),
        *impact.get("customer_segments", []),
        impact.get("slo"),
        *impact.get("internal_teams_blocked", []),
        impact.get("public_communication"),
        *regulatory.get("regimes", []),
        regulatory.get("notes"),
    ]


def _timeline(data: dict) -> list[str]:
    out = []
    for event in data.get("timeline") or []:
        decision = event.get("decision") or {}
        out += [
            event.get("text"),
            event.get("actor_role"),
            decision.get("options"),
            decision.get("information_available"),
        ]
    for interview in data.get("interviews") or []:
        out += [
            interview.get("role"),
            interview.get("notes"),
            *_texts(interview.get("rows"), "observed", "did", "knew"),
        ]
    return out


def _root_cause(rca: dict) -> list[str]:
    whys = rca.get("five_whys") or {}
    nodes = (rca.get("causal_tree") or {}).get("nodes") or []
    return [
        rca.get("statement"),
        whys.get("problem"),
        *_texts(whys.get("steps"), "question", "answer"),
        whys.get("stop_reason"),
        *_texts(nodes, "text", "notes", "accepted_rationale"),
    ]


def section_texts(data: dict) -> dict[str, str]:
    """The text of each section (keys of SECTIONS) of one stored document body."""
    header = data.get("header") or {}
    labels = [
        header.get("incident_id"),
        *header.get("services", []),
        header.get("failure_class"),
        *header.get("tags", []),
        header.get("author_role"),
        *header.get("reviewer_roles", []),
    ]
    allspaw = data.get("allspaw") or {}
    # People's names stay out of the index: a snippet would show them to roles that may not see names,
    # and a blameless archive is searched by what happened, not by who was there.
    appendix = [
        *_texts(data.get("contacts"), "role", "team"),
        *_texts(data.get("links"), "label", "url"),
        allspaw.get("comment"),
        *_texts(data.get("recurrences"), "incident_id", "note"),
    ]
    return {
        "title": _clean(header.get("title")),
        "labels": _lines(labels),
        "summary": _clean(data.get("summary")),
        "impact": _lines(_impact(data.get("impact") or {})),
        "timeline": _lines(_timeline(data)),
        "went_well": _lines(_texts(data.get("went_well"), "text")),
        "went_wrong": _lines(_texts(data.get("went_wrong"), "text")),
        "factors": _lines(_texts(data.get("contributing_factors"), "text", "accepted_rationale")),
        "root_cause": _lines(_root_cause(data.get("root_cause") or {})),
        "actions": _lines(
            _texts(data.get("action_items"), "title", "acceptance_criteria", "tracker", "cancel_reason")
        ),
        "lessons": _lines(
            _texts(data.get("lessons"), "text") + _texts(data.get("where_we_got_lucky"), "text")
        ),
        "appendix": _lines(appendix),
    }


INCIDENT_TIMES = ("started_at", "first_signal_at", "detected_at", "impact_ended_at", "resolved_at")


def incident_at(data: dict) -> str | None:
    """When the incident happened (ISO, UTC): the moment the learning dashboard counts it by (its
    trigger, else its earliest key time), else its first timeline event. One format for every value,
    so the column sorts and compares as text."""
    at = incident_at_of_body(data)
    if at:
        return at
    events = [e.get("at") for e in data.get("timeline") or [] if e.get("at")]
    return datetime.fromisoformat(min(events)).astimezone(UTC).isoformat() if events else None


def plain_snippet(parts: Iterable[tuple[str, bool]], mark: tuple[str, str] = ("«", "»")) -> str:
    """A snippet's (text, is a match) pieces as one line of plain text, matches between `mark`s."""
    return " ".join("".join(f"{mark[0]}{text}{mark[1]}" if hit else text for text, hit in parts).split())
