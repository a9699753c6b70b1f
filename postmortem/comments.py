"""Comment threads, as the domain sees them: what a thread can be about on each step, the text it was
about, who a comment mentions, and the language hints it gets. Pure: storage/comments.py keeps them.

A thread is anchored to a *target*: the whole step, one field, a timeline event, an action item or a
causal-tree box. The target's text is copied when the thread starts, so a later edit of the field
does not change what the question was asked about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from postmortem import language
from postmortem.errors import DebriefError
from postmortem.models import PostMortem

MAX_COMMENT_CHARS = 4000
ANCHOR_CHARS = 600  # enough to recognise the text; a thread is not a copy of the document


class TargetKind(StrEnum):
    SECTION = "section"
    FIELD = "field"
    EVENT = "event"
    ACTION = "action"
    BOX = "box"


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    key: str  # stable across reorders: a field path or an item's id
    label: str  # what the panel shows, e.g. "Timeline event 14:02"
    text: str = ""  # the target's text now

    @property
    def ref(self) -> str:
        return f"{self.kind.value}:{self.key}"


def _short(text: str, n: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= n else line[: n - 1] + "…"


def _notes(doc: PostMortem, attribute: str, what: str) -> list[Target]:
    return [
        Target(TargetKind.FIELD, f"{attribute}:{n.id}", f"{what}: {_short(n.text, 40)}", n.text)
        for n in getattr(doc, attribute)
    ]


def _step_targets(doc: PostMortem, slug: str) -> list[Target]:
    """The parts of one step a comment can be about, besides the step as a whole."""
    rca = doc.root_cause
    field = TargetKind.FIELD
    return {
        "summary": lambda: [Target(field, "summary", "Summary", doc.summary)],
        "impact": lambda: [
            Target(field, "impact.description", "What users saw", doc.impact.description),
            Target(
                field, "impact.public_communication", "Public communication", doc.impact.public_communication
            ),
        ],
        "timeline": lambda: [
            Target(TargetKind.EVENT, e.id, f"Event {e.at:%Y-%m-%d %H:%M}: {_short(e.text, 40)}", e.text)
            for e in doc.timeline
        ],
        "went-well": lambda: _notes(doc, "went_well", "Went well"),
        "went-wrong": lambda: _notes(doc, "went_wrong", "Went wrong"),
        "lessons": lambda: _notes(doc, "lessons", "Lesson"),
        "factors": lambda: [
            Target(field, f"factor:{f.id}", f"Factor: {_short(f.text, 40)}", f.text)
            for f in doc.contributing_factors
        ],
        "root-cause": lambda: (
            [Target(field, "root_cause.statement", "Root-cause statement", rca.statement)]
            + [
                Target(TargetKind.BOX, n.id, f"Box: {_short(n.text, 40)}", n.text)
                for n in rca.causal_tree.nodes
            ]
        ),
        "actions": lambda: [
            Target(
                TargetKind.ACTION,
                a.id,
                f"Action: {_short(a.title, 40)}",
                f"{a.title}\n{a.acceptance_criteria}".strip(),
            )
            for a in doc.action_items
        ],
    }.get(slug, list)()


def targets_for(doc: PostMortem, slug: str, step_title: str) -> list[Target]:
    """Everything on a step a thread can be about: the step itself first."""
    return [Target(TargetKind.SECTION, slug, f"The whole step ({step_title})"), *_step_targets(doc, slug)]


def anchor(target: Target) -> str:
    """The text kept with a new thread: what the comment was made on."""
    return target.text[:ANCHOR_CHARS]


def current_text(doc: PostMortem, slug: str, ref: str) -> str | None:
    """The target's text in this version of the document; None once the target is gone."""
    found = next((t for t in _step_targets(doc, slug) if t.ref == ref), None)
    if ref.startswith(f"{TargetKind.SECTION.value}:"):
        return ""
    return None if found is None else found.text[:ANCHOR_CHARS]


class CommentError(DebriefError, ValueError):
    """A comment the rules refuse; the message says what to change."""


def clean_body(text: str) -> str:
    body = text.strip()
    if not body:
        raise CommentError("Write something first: the comment is empty.")
    if len(body) > MAX_COMMENT_CHARS:
        raise CommentError(
            f"A comment holds at most {MAX_COMMENT_CHARS} characters; this one has {len(body)}."
        )
    return body


_AT = re.compile(r"(?<![\w.])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def role_handle(role: str) -> str:
    """How a role is written after @ in a comment: "incident commander" → "incident-commander"."""
    return "-".join(role.lower().split())


@dataclass(frozen=True)
class Mention:
    kind: str  # "user" (a signed-in identity) or "role"
    who: str


def mentions_in(text: str, identities: Iterable[str], roles: Iterable[str]) -> list[Mention]:
    """The known users and roles a comment names with @: @alex@example.com, @incident-commander."""
    users = {i.lower(): i for i in identities}
    handles = {role_handle(r): r for r in roles if r.strip()}
    found: list[Mention] = []
    for token in (m.group(1).rstrip(".").lower() for m in _AT.finditer(text)):
        mention = (
            Mention("user", users[token])
            if token in users
            else Mention("role", handles[token])
            if token in handles
            else None
        )
        if mention and mention not in found:
            found.append(mention)
    return found


@dataclass(frozen=True)
class Mentioned:
    """One mention in a stored comment, as the notify run tells the person about it."""

    comment_id: int
    thread_id: int
    doc_id: int
    step: str
    target_label: str
    body: str
    author: str
    kind: str
    who: str


def merge_mentions(*groups: Iterable[Mention]) -> list[Mention]:
    merged: list[Mention] = []
    for group in groups:
        merged += [m for m in group if m not in merged]
    return merged


def suggestions(text: str, names: Iterable[str] = ()) -> list[language.Finding]:
    """Blameless-language hints on a comment. Only ever shown as suggestions: a comment is a question
    in progress, and refusing one would push the conversation back out of Debrief."""
    # An @mention is how a comment asks someone: the handle check is for the document, not for this.
    without_mentions = _AT.sub(lambda m: " " * len(m.group(0)), text)
    return language.check_text(without_mentions, path="comment", names=names)
