"""What the importer gathers, section by section, before it becomes a validated PostMortem.

Every text is cut to the model's limits here, and whatever does not fit goes to the appendix, so a
long or odd document never fails validation and never loses text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from postmortem.mdimport.anchors import anchor_in
from postmortem.models import (
    ActionItem,
    Contact,
    ContactKind,
    ContributingFactor,
    Header,
    Impact,
    ImportedText,
    IncidentTimes,
    Link,
    Note,
    PostMortem,
    PublicText,
    RootCauseAnalysis,
    Severity,
    TimelineEvent,
    TriggerKind,
)

LONG, SHORT, TITLE, ACTION_TITLE, URL = 100_000, 500, 200, 300, 2000
FALLBACK_TITLE = "Imported post-mortem"


def fit(text: str, limit: int) -> tuple[str, str]:
    """(the part that fits within `limit` characters, cut at a space if one is near; the rest)."""
    text = text.strip()
    if len(text) <= limit:
        return text, ""
    cut = text.rfind(" ", int(limit * 0.8), limit)
    cut = cut if cut > 0 else limit
    return text[:cut].strip(), text[cut:].strip()


@dataclass
class ActionDraft:
    title: str
    owner: str = ""
    due: date | None = None
    tracker: str = ""
    priority: str | None = None
    category: str | None = None
    status: str = "open"
    note: str = ""  # the original status word when it was "cancelled", as the required reason
    details: str = ""  # the lines under the item's first line (sub-bullets), as Markdown


@dataclass
class Draft:
    title: str = ""
    severity: Severity | None = None
    services: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    people: list[tuple[str, str, bool]] = field(
        default_factory=list
    )  # (name, role, is a team) from attendee lists
    incident_id: str = ""
    incident_date: date | None = None  # the incident's date, for timeline lines that give only a time
    summary: list[str] = field(default_factory=list)
    impact: list[str] = field(default_factory=list)
    what_to_do: list[str] = field(default_factory=list)  # advice to customers, for the public report
    trigger: TriggerKind | None = None  # security or data loss when the document says so (see kinds.py)
    root_cause: list[str] = field(default_factory=list)
    timeline: list[tuple[datetime, str]] = field(default_factory=list)
    notes: dict[str, list[str]] = field(
        default_factory=dict
    )  # went_well, went_wrong, lucky, lessons, factors
    actions: list[ActionDraft] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    appendix: list[tuple[str, str]] = field(default_factory=list)  # (heading, text as written)
    warnings: list[str] = field(default_factory=list)
    times: list = field(default_factory=list)  # window.FoundTime: header times read from sentences
    stated_times: list[tuple[str, str, str]] = field(default_factory=list)  # (field or "window", value, line)
    timeline_rough: bool = False  # the timeline says its times are approximate
    groups: dict[tuple[str, int], str] = field(
        default_factory=dict
    )  # a note's sub-heading, by (section, index)

    def keep(self, heading: str, text: str) -> None:
        """Put text in the appendix under its heading, in pieces the model accepts."""
        rest = text.strip()
        while rest:
            piece, rest = fit(rest, LONG)
            self.appendix.append((heading, piece))

    def short(self, text: str, limit: int, what: str) -> str:
        kept, rest = fit(text, limit)
        if rest:
            self.keep(f"{what} (the rest)", rest)
        return kept

    def note(self, section: str, text: str, group: str = "") -> None:
        if text.strip():
            self.notes.setdefault(section, []).append(text)
            if group:
                self.groups[(section, len(self.notes[section]) - 1)] = group


def _joined(draft: Draft, parts: list[str], what: str) -> str:
    return draft.short("\n\n".join(p.strip() for p in parts if p.strip()), LONG, what)


def _notes(draft: Draft, section: str) -> list[Note]:
    return [
        Note(
            text=draft.short(text, LONG, section),
            group=draft.short(draft.groups.get((section, i), ""), SHORT, "Note groups"),
        )
        for i, text in enumerate(draft.notes.get(section, []))
    ]


_SENTENCE_END = re.compile(r"[.!?](?=\s)")


def action_title(text: str) -> tuple[str, str]:
    """(a title that fits, the rest): an item written as a long paragraph is titled by its first
    sentence when that fits, else cut at a space; the rest belongs with the item, not elsewhere."""
    text = " ".join(text.split())
    if len(text) <= ACTION_TITLE:
        return text, ""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, ACTION_TITLE) if m.end() >= 15]
    if ends:
        return text[: ends[0]], text[ends[0] :].strip()
    return fit(text, ACTION_TITLE)


def _action(draft: Draft, item: ActionDraft) -> ActionItem:
    status = item.status
    title, rest = action_title(item.title)
    details = "\n\n".join(part for part in (rest, item.details) if part.strip())
    return ActionItem(
        title=title or "Untitled action",
        owner=draft.short(item.owner, SHORT, "Action owner"),
        due=item.due,
        tracker=draft.short(item.tracker, SHORT, "Action ticket"),
        priority=item.priority,
        category=item.category,
        status=status,
        acceptance_criteria=draft.short(details, LONG, "Action details"),
        cancel_reason=f"Imported as '{item.note}'." if status == "cancelled" else "",
    )


def _times(draft: Draft) -> IncidentTimes:
    """The header times read from the text; one that contradicts an earlier one is left out, said in
    a warning, so the author decides."""
    kept: dict = {}
    for found in draft.times:
        try:
            IncidentTimes(**kept, **{found.field: found.at})
        except ValueError:
            draft.warnings.append(
                f"'{found.sentence[:80]}' gives a time that contradicts another one read from the "
                "text; it was not put in the header."
            )
            continue
        kept[found.field] = found.at
    draft.times = [t for t in draft.times if kept.get(t.field) == t.at]
    rough = [t.field for t in draft.times if t.approximate]
    return IncidentTimes(**kept, approximate=rough)


def _contacts(draft: Draft) -> list[Contact]:
    """Authors, then people from attendee lists, then action owners, each once: the one place the
    document names people. An owner written by first name ('tomas') is the author Tomas Varga."""
    candidates = [(name, "post-mortem author", False) for name in draft.authors]
    candidates += draft.people + [(item.owner, "action owner", False) for item in draft.actions]
    people: list[tuple[str, str, bool]] = []
    known: set[str] = set()
    for name, role, team in candidates:
        key = name.strip().lower()
        if key and key not in known:
            people.append((name.strip(), role, team))
            known |= {key, key.split()[0]} if role != "action owner" else {key}
    return [
        Contact(
            name=draft.short(name, TITLE, "Contacts"),
            role=draft.short(role, SHORT, "Contact roles"),
            kind=ContactKind.TEAM if team else ContactKind.PERSON,
        )
        for name, role, team in people
    ]


def to_postmortem(draft: Draft, incident_id: str) -> PostMortem:
    """The validated document; the appendix is built last, after every overflow has joined it."""
    header = Header(
        incident_id=incident_id,
        title=draft.short(draft.title, TITLE, "Title") or FALLBACK_TITLE,
        severity=draft.severity or Severity.SEV2,
        trigger=draft.trigger or TriggerKind.OUTAGE,
        services=[draft.short(s, SHORT, "Services") for s in draft.services if s.strip()],
        tags=[draft.short(t, SHORT, "Tags") for t in draft.tags if t.strip()],
        times=_times(draft),
    )
    body = {
        "summary": _joined(draft, draft.summary, "Summary"),
        "impact": Impact(description=_joined(draft, draft.impact, "Impact")),
        "public": PublicText(what_to_do=_joined(draft, draft.what_to_do, "What customers should do")),
        "root_cause": RootCauseAnalysis(statement=_joined(draft, draft.root_cause, "Root cause")),
        "timeline": [
            TimelineEvent(at=at, text=draft.short(text, LONG, "Timeline"), anchor=anchor_in(text))
            for at, text in draft.timeline
        ],
        "went_well": _notes(draft, "went_well"),
        "went_wrong": _notes(draft, "went_wrong"),
        "where_we_got_lucky": _notes(draft, "lucky"),
        "lessons": _notes(draft, "lessons"),
        "contributing_factors": [
            ContributingFactor(text=draft.short(t, LONG, "Contributing factors"))
            for t in draft.notes.get("factors", [])
        ],
        "action_items": [_action(draft, item) for item in draft.actions],
        "contacts": _contacts(draft),
        "links": [Link(label=draft.short(label, SHORT, "Links"), url=url) for label, url in draft.links],
    }
    imported, i = [], 0
    while i < len(draft.appendix):  # a cut heading adds its rest to the end, so the list may grow
        heading, text = draft.appendix[i]
        imported.append(
            ImportedText(heading=draft.short(heading, SHORT, "Headings") or "Imported text", text=text)
        )
        i += 1
    return PostMortem(header=header, imported=imported, **body)
