"""Recurrence: the same failure class on the same service again, recorded on the earlier
post-mortem; and which contributing factors read alike across post-mortems (RapidFuzz)."""

from __future__ import annotations

import re
from datetime import date, datetime

from rapidfuzz import fuzz, utils

from postmortem.models import Link, LinkKind, PostMortem, Recurrence
from postmortem.searchable import INCIDENT_TIMES

WINDOW_DAYS = 90
LINK_PREFIX = "Earlier occurrence: "
SIMILAR_SCORE = 75  # token-set ratio, 0–100: above it two factors say the same thing in other words
_WORD = re.compile(r"[^\W_]{3,}")
# Words too common in factor text to tell two factors apart.
_COMMON = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "was",
        "were",
        "are",
        "not",
        "but",
        "has",
        "had",
        "have",
        "this",
        "that",
        "from",
        "into",
        "when",
        "than",
        "then",
        "they",
        "them",
        "their",
        "there",
        "which",
        "while",
        "who",
        "what",
        "where",
        "our",
        "its",
        "also",
        "only",
        "any",
        "all",
        "can",
        "could",
        "would",
        "should",
        "may",
        "one",
        "two",
        "per",
        "via",
        "did",
        "does",
        "done",
        "been",
        "being",
        "after",
        "before",
        "over",
        "under",
        "out",
        "off",
        "more",
        "less",
        "very",
        "each",
        "other",
    ]
)


def incident_day(doc: PostMortem) -> date | None:
    """The day the incident happened, by the same rule the archive's date filter uses."""
    for name in INCIDENT_TIMES:
        when = getattr(doc.header.times, name)
        if when:
            return when.date()
    return doc.timeline[0].at.date() if doc.timeline else None


def record_recurrence(
    doc: PostMortem, *, incident_id: str, occurred_on: date | None, note: str, at: datetime
) -> PostMortem:
    """The earlier post-mortem with one more recurrence entry (refused if that incident is already there)."""
    if any(r.incident_id == incident_id for r in doc.recurrences):
        raise ValueError(f"{incident_id} is already recorded as a recurrence of {doc.header.incident_id}.")
    entry = Recurrence(incident_id=incident_id, occurred_on=occurred_on, note=note, recorded_at=at)
    return doc.model_copy(update={"recurrences": [*doc.recurrences, entry]})


def _link_label(incident_id: str, title: str) -> str:
    return f"{LINK_PREFIX}{incident_id} · {title}"[:500]


def links_to(doc: PostMortem, earlier_incident_id: str) -> bool:
    """Whether `doc` is already recorded as a recurrence of that incident (it links to it)."""
    prefix = _link_label(earlier_incident_id, "")
    return any(link.kind is LinkKind.POSTMORTEM and link.label.startswith(prefix) for link in doc.links)


def link_to_earlier(doc: PostMortem, *, earlier: PostMortem, url: str) -> PostMortem:
    """The new post-mortem with a link to the one it recurs (kept once)."""
    if links_to(doc, earlier.header.incident_id):
        return doc
    label = _link_label(earlier.header.incident_id, earlier.header.title)
    return doc.model_copy(
        update={"links": [*doc.links, Link(label=label, url=url, kind=LinkKind.POSTMORTEM)]}
    )


def terms(text: str, most: int = 12) -> list[str]:
    """The telling words of a text, longest first (long words are rarer), at most `most`."""
    words = {w.casefold() for w in _WORD.findall(text)} - _COMMON
    return sorted(words, key=lambda w: (-len(w), w))[:most]


def similarity(a: str, b: str) -> float:
    """0–100: how alike two factor texts read, ignoring case, punctuation and word order."""
    return fuzz.token_set_ratio(a, b, processor=utils.default_process)


def is_similar(a: str, b: str) -> bool:
    shared = set(terms(a, 50)) & set(terms(b, 50))
    return len(shared) >= 2 and similarity(a, b) >= SIMILAR_SCORE
