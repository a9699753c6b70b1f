"""Keeping people, tickets, money and internal names out of text meant for the public.

A Redactor is built from one document: it knows that document's names (contacts, owners, sign-offs),
tracker IDs and the internal names the author listed, and it also catches what any text may hold
(e-mail addresses, links, ticket-like IDs, amounts of money). It counts what it replaced, so the
Export step can say what was withheld.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from postmortem.models import ContactKind, PostMortem

NAME = "a team member"
TEAM = "an internal team"
INTERNAL = "an internal system"
WITHHELD = "(withheld)"

# Patterns any text may hold; kind names are what the withheld list counts.
_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    ("e-mail addresses", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), WITHHELD),
    ("links", re.compile(r"(?:https?|ftp)://\S+|www\.\S+", re.IGNORECASE), WITHHELD),
    ("ticket IDs", re.compile(r"\b[A-Z][A-Z0-9]{1,9}-\d+(?:-\d+)*\b"), WITHHELD),
    ("amounts of money", re.compile(
        r"(?:[$€£¥]\s?\d[\d,.]*\s?(?:[kKmMbB]|thousand|million|billion)?)"
        r"|(?:\b\d[\d,.]*\s?(?:[kKmM]\s?)?(?:USD|EUR|GBP|JPY|CHF|dollars|euros|pounds)\b)"), WITHHELD),
    ("chat channels", re.compile(r"(?<![\w&])#[a-z][\w-]+"), WITHHELD),
]


@dataclass
class Redactor:
    """Replaces names, tickets and internal names in text for the public document, and counts them."""

    names: list[str]
    internal: list[str]
    trackers: list[str]
    teams: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    _literal: re.Pattern[str] | None = None
    _kinds: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for text in self.names:
            self._kinds[text.casefold()] = ("names of people", NAME)
        for text in self.teams:
            self._kinds[text.casefold()] = ("team names", TEAM)
        for text in self.trackers:
            self._kinds[text.casefold()] = ("ticket IDs", WITHHELD)
        for text in self.internal:
            self._kinds[text.casefold()] = ("internal names", INTERNAL)
        literals = sorted(self._kinds, key=len, reverse=True)  # longest first: "Priya Raman" before "Priya"
        if literals:
            # A leading article goes with the name: the replacement brings its own ("the X job" -> "an
            # internal system job", not "the an internal system job").
            self._literal = re.compile(r"(?:\b(?P<article>the|an?)\s+)?(?<!\w)(?P<name>"
                                       + "|".join(re.escape(t) for t in literals) + r")(?!\w)", re.IGNORECASE)

    def __call__(self, text: str) -> str:
        """The text with every name, ticket, amount and internal name replaced by neutral words."""
        if self._literal is not None:
            text = self._literal.sub(self._replace_literal, text)
        for kind, pattern, replacement in _PATTERNS:
            text, n = pattern.subn(replacement, text)
            self.counts[kind] += n
        return text

    def _replace_literal(self, match: re.Match[str]) -> str:
        kind, replacement = self._kinds[match.group("name").casefold()]
        self.counts[kind] += 1
        article = match.group("article")
        if replacement.startswith("(") and article:
            return f"{article} {replacement}"
        first = (article or match.group("name"))[:1]
        return replacement[:1].upper() + replacement[1:] if first.isupper() and article else replacement


def team_names(doc: PostMortem) -> list[str]:
    return sorted({c.name.strip() for c in doc.contacts if c.kind is ContactKind.TEAM and c.name.strip()})


def people_names(doc: PostMortem) -> list[str]:
    """Every person's name in the document: contacts, owners, sign-offs, and each part of a name."""
    full = [c.name for c in doc.contacts if c.kind is ContactKind.PERSON]
    full += [a.owner for a in doc.action_items] + [s.name for s in doc.sign_offs]
    # A first or last name alone still names someone; very short parts ("Li", "Al") would hit ordinary words.
    parts = [part for name in full for part in re.split(r"[\s,]+", name) if len(part) >= 3 and part[0].isupper()]
    return sorted({t.strip() for t in full + parts if t.strip()})


def redactor_for(doc: PostMortem) -> Redactor:
    """A fresh Redactor (with zero counts) for one document."""
    trackers = sorted({a.tracker.strip() for a in doc.action_items if a.tracker.strip()} | {doc.header.incident_id})
    internal = sorted({t.strip() for t in doc.header.internal_names if t.strip()})
    return Redactor(names=people_names(doc), internal=internal, trackers=trackers, teams=team_names(doc))
