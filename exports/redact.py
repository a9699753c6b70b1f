"""Keeping people, tickets, money and internal names out of text meant for the public.

A Redactor is built from one document: it knows that document's names (contacts, owners, sign-offs),
tracker IDs and the internal names the author listed, and it also catches what any text may hold
(e-mail addresses, links, host and machine names, IP addresses, @handles, ticket-like IDs,
amounts of money). It counts what it replaced, so the
Export step can say what was withheld.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from postmortem.models import ContactKind, PostMortem

NAME = "a team member"
TEAM = "an internal team"
INTERNAL = "an internal system"
WITHHELD = "(withheld)"

ADDRESS = "an internal address"
HANDLE = "a team member"

# A link runs to the first space or bracket; punctuation that ends a sentence after it is not part of it.
_URL = r"(?:https?|ftp)://[^\s<>()\[\]]+|www\.[^\s<>()\[\]]+"
# A Markdown link or image whose target is a web address: withheld whole, so no "[label]((withheld)" is left.
_MD_LINK = re.compile(
    r"(?P<image>!?)\[(?P<label>[^\]\n]*)\]\(\s*<?(?P<url>(?:https?|ftp)://[^\s<>()]+|www\.[^\s<>()]+)>?"
    r"(?:\s+\"[^\"\n]*\")?\s*\)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\""
# A host name: lower-case labels joined by dots, ending in a label of letters ("db1.orders.internal").
_HOST = r"(?<![\w.@/-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?![\w-])(?!\.[a-z0-9])"
# A machine name without dots: lower-case words joined by hyphens ending in a number ("pg-orders-01").
_MACHINE = r"(?<![\w.@/-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d+[a-z]?(?![\w-])"

# Patterns any text may hold, in the order they apply; kind names are what the withheld list counts.
_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    ("e-mail addresses", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), WITHHELD),
    ("ticket IDs", re.compile(r"\b[A-Z][A-Z0-9]{1,9}-\d+(?:-\d+)*\b"), WITHHELD),
    (
        "amounts of money",
        re.compile(
            r"(?:[$€£¥]\s?\d[\d,.]*\s?(?:[kKmMbB]|thousand|million|billion)?)"
            r"|(?:\b\d[\d,.]*\s?(?:[kKmM]\s?)?(?:USD|EUR|GBP|JPY|CHF|dollars|euros|pounds)\b)"
        ),
        WITHHELD,
    ),
    (
        "IP addresses",
        re.compile(
            r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?::\d+)?(?![\w.]\d)"
            r"|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){4,7}[0-9A-Fa-f]{1,4}(?![\w:])"  # IPv6 in full, or shortened:
            r"|(?<![\w:])(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?::"
            r"(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?(?![\w:])"
        ),
        ADDRESS,
    ),
    ("chat handles", re.compile(r"(?<![\w.@])@[A-Za-z][\w.-]*[A-Za-z0-9]"), HANDLE),
    # "(#how-did-it-happen)" is a link to a heading, and "&#8217;" an entity: neither is a channel.
    ("chat channels", re.compile(r"(?<![\w&(])#[a-z][\w-]+"), WITHHELD),
    ("machine names", re.compile(_MACHINE), INTERNAL),
]


PUBLIC_DOMAINS_ENV = "DEBRIEF_PUBLIC_DOMAINS"


def parse_domains(text: str) -> tuple[str, ...]:
    """The admin's list of public domains, comma-separated ("status.example.com, example.com")."""
    return tuple(d.strip().casefold().lstrip(".") for d in text.split(",") if d.strip())


def _key(name: str) -> str:
    """A listed name as the text may write it: "checkout-api", "checkout API" and "checkout_api" are one."""
    return re.sub(r"[\s_-]+", " ", name.casefold()).strip()


def _loose(name: str) -> str:
    return r"[\s_-]+".join(re.escape(part) for part in _key(name).split(" "))


def _on(host: str, domains: Sequence[str]) -> bool:
    host = host.casefold().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


@dataclass
class Redactor:
    """Replaces names, tickets and internal names in text for the public document, and counts them."""

    names: list[str]
    internal: list[str]
    trackers: list[str]
    teams: list[str] = field(default_factory=list)
    public_domains: list[str] = field(default_factory=list)  # links and hosts on these stay
    counts: Counter = field(default_factory=Counter)
    _literal: re.Pattern[str] | None = None
    _kinds: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for text in self.names:
            self._kinds[_key(text)] = ("names of people", NAME)
        for text in self.teams:
            self._kinds[_key(text)] = ("team names", TEAM)
        for text in self.trackers:
            self._kinds[_key(text)] = ("ticket IDs", WITHHELD)
        for text in self.internal:
            self._kinds[_key(text)] = ("internal names", INTERNAL)
        literals = sorted(self._kinds, key=len, reverse=True)  # longest first: "Priya Raman" before "Priya"
        if literals:
            # A leading article goes with the name: the replacement brings its own ("the X job" -> "an
            # internal system job", not "the an internal system job").
            self._literal = re.compile(
                r"(?:\b(?P<article>the|an?)\s+)?(?<!\w)(?P<name>"
                + "|".join(_loose(t) for t in literals)
                + r")(?!\w)",
                re.IGNORECASE,
            )

    def __call__(self, text: str) -> str:
        """The text with every name, ticket, amount and internal name replaced by neutral words."""
        if self._literal is not None:
            text = self._literal.sub(self._replace_literal, text)
        text = _MD_LINK.sub(self._replace_markdown_link, text)
        text = re.sub(_URL, self._replace_link, text, flags=re.IGNORECASE)
        for kind, pattern, replacement in _PATTERNS:
            text, n = pattern.subn(replacement, text)
            self.counts[kind] += n
        return re.sub(_HOST, self._replace_host, text)

    def _replace_markdown_link(self, match: re.Match[str]) -> str:
        host = urlsplit(match["url"] if "://" in match["url"] else "http://" + match["url"]).hostname or ""
        if _on(host, self.public_domains):
            return match.group(0)
        self.counts["links"] += 1
        label = match["label"].strip()
        if match["image"]:
            return f"(a picture: {label})" if label else "(a picture)"
        return label or WITHHELD

    def _replace_link(self, match: re.Match[str]) -> str:
        url = match.group(0)
        kept = url.rstrip(_TRAILING)
        tail = url[len(kept) :]
        host = urlsplit(kept if "://" in kept else "http://" + kept).hostname or ""
        if _on(host, self.public_domains):
            return url
        self.counts["links"] += 1
        return WITHHELD + tail

    def _replace_host(self, match: re.Match[str]) -> str:
        if _on(match.group(0), self.public_domains) or WITHHELD in match.group(0):
            return match.group(0)
        self.counts["host names"] += 1
        return INTERNAL

    def _replace_literal(self, match: re.Match[str]) -> str:
        kind, replacement = self._kinds[_key(match.group("name"))]
        self.counts[kind] += 1
        article = match.group("article")
        if replacement.startswith("(") and article:
            return f"{article} {replacement}"
        first = (article or match.group("name"))[:1]
        before = match.string[: match.start()].rstrip()
        opens_sentence = not before or before[-1] in ".!?:"
        capital = first.isupper() and (article or opens_sentence)
        return replacement[:1].upper() + replacement[1:] if capital else replacement


def team_names(doc: PostMortem) -> list[str]:
    return sorted({c.name.strip() for c in doc.contacts if c.kind is ContactKind.TEAM and c.name.strip()})


def people_names(doc: PostMortem) -> list[str]:
    """Every person's name in the document: contacts, owners, sign-offs, and each part of a name."""
    full = [c.name for c in doc.contacts if c.kind is ContactKind.PERSON]
    full += [a.owner for a in doc.action_items] + [s.name for s in doc.sign_offs]
    # A first or last name alone still names someone; very short parts ("Li", "Al") would hit ordinary words.
    parts = [
        part for name in full for part in re.split(r"[\s,]+", name) if len(part) >= 3 and part[0].isupper()
    ]
    return sorted({t.strip() for t in full + parts if t.strip()})


def redactor_for(doc: PostMortem, public_domains: Sequence[str] = ()) -> Redactor:
    """A fresh Redactor (with zero counts) for one document; links and hosts on `public_domains` (the
    admin's list, such as the status page's own domain) stay, every other one is withheld."""
    trackers = sorted(
        {a.tracker.strip() for a in doc.action_items if a.tracker.strip()} | {doc.header.incident_id}
    )
    # The services list names internal systems as surely as the names the author listed.
    internal = sorted({t.strip() for t in [*doc.header.internal_names, *doc.header.services] if t.strip()})
    domains = sorted({d.strip().casefold().lstrip(".") for d in public_domains if d.strip()})
    return Redactor(
        names=people_names(doc),
        internal=internal,
        trackers=trackers,
        teams=team_names(doc),
        public_domains=domains,
    )
