"""Chosen chat messages into timeline events: each author replaced by the role the author of the
post-mortem chose (names never reach the narrative), and nothing imported twice."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from postmortem.chat.limits import MAX_EVENTS_PER_IMPORT, MAX_TIMELINE_EVENTS
from postmortem.chat.messages import ChatImportError, Message, MessageKind, mentioned, render
from postmortem.models import EventKind, EventSource, PostMortem, TimelineEvent

MAX_ROLE = 100
MAX_EVENT_TEXT = 100_000
_EVENT_KINDS = {MessageKind.BOT: EventKind.ALERT}


@dataclass(frozen=True)
class ImportReport:
    added: int
    duplicates: int  # already in the timeline from an earlier import
    noise_skipped: int  # joins, leaves, bots and channel notices left out


def authors(messages: Iterable[Message]) -> dict[str, str]:
    """Each author key with its display name, in order of first message."""
    found: dict[str, str] = {}
    for m in messages:
        found.setdefault(m.author_key, m.author_display)
    return found


def participants(messages: Sequence[Message], names: Mapping[str, str] | None = None) -> dict[str, str]:
    """The authors, then the people they mention (named from `names`, the export's user list)."""
    found = authors(messages)
    for m in messages:
        for key in mentioned(m.text):
            found.setdefault(key, (names or {}).get(key, key))
    return found


def default_roles(
    messages: Sequence[Message], prefix: str = "Participant", names: Mapping[str, str] | None = None
) -> dict[str, str]:
    """A neutral role per participant ('Participant 1', …; bots 'Bot 1', …) for the author to refine."""
    bots = {m.author_key for m in messages if m.kind is MessageKind.BOT}
    roles, counts = {}, {"person": 0, "bot": 0}
    # People who wrote something come first: 'Responder 1' is not someone who only joined.
    ordered = [m for m in messages if not m.kind.is_noise] + [m for m in messages if m.kind.is_noise]
    for key in participants(ordered, names):
        kind = "bot" if key in bots else "person"
        counts[kind] += 1
        roles[key] = f"{'Bot' if kind == 'bot' else prefix} {counts[kind]}"
    return roles


def check_roles(messages: Sequence[Message], roles: Mapping[str, str]) -> None:
    """Raise ChatImportError unless every author of `messages` has a role of sensible length."""
    names = authors(messages)
    missing = [names[k] for k in names if not (roles.get(k) or "").strip()]
    if missing:
        raise ChatImportError(
            f"Give a role to every author before importing; missing: {', '.join(missing[:5])}"
            + (f" and {len(missing) - 5} more." if len(missing) > 5 else ".")
        )
    long = [roles[k] for k in names if len(roles[k].strip()) > MAX_ROLE]
    if long:
        raise ChatImportError(f"A role is at most {MAX_ROLE} characters: {long[0][:40]}…")


class TooManyEventsError(ChatImportError):
    """An import past the per-import or per-timeline cap; callers add how to narrow it in their own terms."""


def check_size(adding: int, already: int) -> None:
    """Raise ChatImportError when an import would add too many events, or fill the timeline past its cap:
    a 1 MB zip can hold 200,000 messages, and a timeline that long is unreadable and slow to save."""
    if adding > MAX_EVENTS_PER_IMPORT:
        raise TooManyEventsError(
            f"This import would add {adding:,} events; one import adds at most "
            f"{MAX_EVENTS_PER_IMPORT:,}. Narrow it to the incident: a time range, fewer channels, "
            "or leave out joins and bots."
        )
    if already + adding > MAX_TIMELINE_EVENTS:
        raise TooManyEventsError(
            f"The timeline holds {already:,} events; adding {adding:,} would pass the "
            f"{MAX_TIMELINE_EVENTS:,} a timeline may hold. Narrow the import to the incident."
        )


class _Namer:
    """Replaces mentions and written-out names of the authors with their roles."""

    def __init__(self, names: Mapping[str, str], roles: Mapping[str, str]):
        self.roles = {k: roles[k].strip() for k in names}
        by_word: dict[str, str] = {}
        for key, display in names.items():
            for word in _spellings(key, display):
                by_word.setdefault(word.casefold(), self.roles[key])
        words = sorted(by_word, key=len, reverse=True)
        self.by_word = by_word
        self.pattern = (
            re.compile(r"(?<![\w@])@?(" + "|".join(map(re.escape, words)) + r")(?!\w)", re.IGNORECASE)
            if words
            else None
        )

    def text(self, message: Message) -> str:
        text = render(message.text, self.roles)
        if self.pattern is not None:
            text = self.pattern.sub(lambda m: self.by_word[m.group(1).casefold()], text)
        return text[:MAX_EVENT_TEXT]


def _spellings(key: str, display: str) -> set[str]:
    """How a person may be written in a message: display name, its first word, a nick."""
    found = {display.strip()}
    first = display.split()[0] if display.split() else ""
    if len(first) >= 3:
        found.add(first)
    if not re.fullmatch(r"[UWB][A-Z0-9]{6,}", key):  # a Slack id is never typed by hand
        found.add(key)
    return {w for w in found if len(w) >= 2}


def import_messages(
    doc: PostMortem,
    messages: Sequence[Message],
    roles: Mapping[str, str],
    *,
    keep_noise: bool = False,
    names: Mapping[str, str] | None = None,
) -> tuple[PostMortem, ImportReport]:
    """The document with the messages added to its timeline (source: chat), sorted by time."""
    chosen = [m for m in messages if keep_noise or not m.kind.is_noise]
    noise = len(messages) - len(chosen)
    known = {e.origin_key for e in doc.timeline if e.origin_key}
    fresh, duplicates = [], 0
    for m in chosen:
        if m.origin_key in known:
            duplicates += 1
            continue
        known.add(m.origin_key)
        fresh.append(m)
    check_size(len(fresh), len(doc.timeline))
    check_roles(fresh, roles)
    namer = _namer(messages, roles, names)
    events = [
        TimelineEvent(
            at=m.ts,
            text=namer.text(m),
            kind=_EVENT_KINDS.get(m.kind, EventKind.OBSERVATION),
            actor_role=namer.roles[m.author_key],
            source=EventSource.CHAT,
            origin_key=m.origin_key,
        )
        for m in fresh
    ]
    report = ImportReport(len(events), duplicates, noise)
    if not events:
        return doc, report  # unchanged, not even re-sorted: nothing to save
    return doc.model_copy(update={"timeline": sorted([*doc.timeline, *events], key=lambda e: e.at)}), report


def preview_text(
    messages: Sequence[Message], roles: Mapping[str, str], names: Mapping[str, str] | None = None
) -> list[str]:
    """What each message becomes in the timeline with these roles (blank roles read 'someone')."""
    namer = _namer(messages, roles, names)
    return [namer.text(m) for m in messages]


def _namer(messages: Sequence[Message], roles: Mapping[str, str], names: Mapping[str, str] | None) -> _Namer:
    people = participants(messages, names)
    return _Namer(people, {k: (roles.get(k) or "").strip() or "someone" for k in people})
