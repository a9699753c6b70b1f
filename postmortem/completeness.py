"""How complete each section is, for the wizard's stepper and the Review step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from postmortem.causal import coverage
from postmortem.models import PostMortem
from postmortem.timeline import missing_anchors


class Level(StrEnum):
    EMPTY = "empty"
    STARTED = "started"
    DONE = "done"


@dataclass(frozen=True)
class SectionState:
    level: Level
    hint: str


def _state(checks: list[tuple[bool, str]]) -> SectionState:
    """DONE when every check passes, EMPTY when none does; the hint names the first gap."""
    passed = [ok for ok, _ in checks]
    gaps = [hint for ok, hint in checks if not ok]
    if all(passed):
        return SectionState(Level.DONE, "Complete.")
    return SectionState(Level.STARTED if any(passed) else Level.EMPTY, gaps[0])


def _sentences(text: str) -> int:
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()])


def header(doc: PostMortem) -> SectionState:
    h = doc.header
    return _state(
        [
            (bool(h.title), "Give it a title."),
            (bool(h.services), "Name the services affected."),
            (bool(h.failure_class), "Pick a failure class."),
            (h.times.started_at is not None, "Add when it started."),
            (h.times.closed_at is not None, "Add when the incident was closed."),
        ]
    )


def summary(doc: PostMortem) -> SectionState:
    n = _sentences(doc.summary)
    return _state([(n >= 1, "Write the summary."), (3 <= n <= 5, f"Aim for 3–5 sentences (now {n}).")])


def impact(doc: PostMortem) -> SectionState:
    i = doc.impact
    return _state(
        [
            (bool(i.description), "Describe who was affected and how."),
            (
                i.customers_affected is not None or bool(i.customers_affected_note.strip()),
                "Estimate how many customers were affected.",
            ),
            (i.regulatory.reportable is not None, "Say whether it is reportable to a regulator."),
        ]
    )


def timeline(doc: PostMortem) -> SectionState:
    missing = missing_anchors(doc)
    return _state(
        [
            (bool(doc.timeline), "Add the first timeline event."),
            (not missing, "Mark these anchors: " + ", ".join(missing) + "." if missing else ""),
        ]
    )


def went_well(doc: PostMortem) -> SectionState:
    n = len(doc.went_well)
    return _state(
        [(n >= 1, "Add at least one thing that went well."), (n >= 3, f"Three or more is better (now {n}).")]
    )


def went_wrong(doc: PostMortem) -> SectionState:
    return _state([(bool(doc.went_wrong), "Describe the conditions that let it happen.")])


def factors(doc: PostMortem) -> SectionState:
    return _state([(bool(doc.contributing_factors), "List the conditions that combined.")])


def root_cause(doc: PostMortem) -> SectionState:
    rca = doc.root_cause
    method = rca.method.value if rca.method else None
    checks = [(method is not None, "Choose a method.")]
    if method in ("5 whys", "hybrid"):
        checks.append((any(step.answer for step in rca.five_whys.steps), "Answer the first why."))
    if method in ("causal tree", "hybrid"):
        cover = coverage(doc)
        checks.append((len(rca.causal_tree.nodes) > 1, "Add the factors to the causal tree."))
        checks.append((not cover.unaddressed, f"{cover.summary}: link an action item or accept the rest."))
    checks.append((bool(rca.statement), "State the conditions that aligned."))
    return _state(checks)


def action_items(doc: PostMortem) -> SectionState:
    items = [i for i in doc.action_items if i.status.value != "cancelled"]
    # bool(items): with no items, all() would pass vacuously and an empty section would look started.
    complete = bool(items) and all(
        i.owner and i.due and i.tracker and i.category and i.priority for i in items
    )
    return _state(
        [
            (bool(items), "Add an action item."),
            (complete, "Every item needs an owner, due date, ticket, category and priority."),
        ]
    )


def lessons(doc: PostMortem) -> SectionState:
    return _state(
        [
            (bool(doc.lessons), "Write down what the organisation learned."),
            (bool(doc.where_we_got_lucky), "Note where you got lucky."),
        ]
    )


def appendix(doc: PostMortem) -> SectionState:
    return _state(
        [
            (bool(doc.contacts), "Add the people involved to the contacts table."),
            (bool(doc.links), "Link the chat transcript, dashboards or the triggering change."),
        ]
    )


SECTIONS = {
    "header": header,
    "summary": summary,
    "impact": impact,
    "timeline": timeline,
    "went_well": went_well,
    "went_wrong": went_wrong,
    "factors": factors,
    "root_cause": root_cause,
    "action_items": action_items,
    "lessons": lessons,
    "appendix": appendix,
}


def all_sections(doc: PostMortem) -> dict[str, SectionState]:
    return {name: check(doc) for name, check in SECTIONS.items()}
