"""What every chat parser returns: messages in one shape, the lines it could not read, and the error
that stops an import with one clear sentence."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from postmortem.errors import DebriefError

# Mentions are kept in the text as a placeholder with the author key, between two private-use
# characters no chat text carries (the parsers strip them from the input), so the preview can show
# the name and the import the role, without ever guessing which words were a name.
MENTION_OPEN, MENTION_CLOSE = "\ue000", "\ue001"
_MENTION = re.compile(f"{MENTION_OPEN}([^{MENTION_CLOSE}]*){MENTION_CLOSE}")
_PRIVATE = re.compile(f"[{MENTION_OPEN}{MENTION_CLOSE}]")


class ChatImportError(DebriefError):
    """The input cannot be imported at all (too big, unsafe, not a chat export); one sentence."""


class MessageKind(StrEnum):
    MESSAGE = "message"
    JOIN = "join"
    LEAVE = "leave"
    BOT = "bot"
    SYSTEM = "system"

    @property
    def is_noise(self) -> bool:
        """Joins, leaves, bots and channel notices rarely belong in a timeline."""
        return self is not MessageKind.MESSAGE


class Message(NamedTuple):  # a tuple: 4x cheaper to create than a frozen dataclass, and an export has 50,000
    ts: datetime  # aware, UTC
    author_key: str  # stable per person in this export (a Slack user id, a nick)
    author_display: str  # what the chat showed; used in the preview only, never in the document
    text: str  # mentions as placeholders, see mention()
    kind: MessageKind
    origin_key: str  # stable across re-imports of the same export: the dedupe key
    where: str  # "general/2026-03-04.json #12" or "line 17"
    channel: str = ""


@dataclass(frozen=True)
class Unparsed:
    where: str  # "line 3" or a file name
    text: str
    reason: str = "not a chat line in this format"


@dataclass
class ParseResult:
    messages: list[Message] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    format: str = ""
    channels: list[str] = field(default_factory=list)  # what the export offers (Slack)
    names: dict[str, str] = field(default_factory=dict)  # every person the export knows (Slack users.json)


def mention(key: str) -> str:
    return f"{MENTION_OPEN}{key}{MENTION_CLOSE}"


def strip_private(text: str) -> str:
    """Input text with our placeholder characters removed, so no input can forge a mention."""
    return _PRIVATE.sub("", text) if MENTION_OPEN in text or MENTION_CLOSE in text else text


def render(text: str, names: Mapping[str, str]) -> str:
    """The text with each mention written as @name (a display name for the preview, a role for the
    document); an unknown key is written as @someone, never as the raw key."""
    if MENTION_OPEN not in text:
        return text
    return _MENTION.sub(lambda m: "@" + names.get(m.group(1), "someone"), text)


def mentioned(text: str) -> list[str]:
    """The keys mentioned in a message's text."""
    return _MENTION.findall(text) if MENTION_OPEN in text else []


def origin_key(*parts: str) -> str:
    """A short stable hash of what identifies a message in its source."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=10)
    return "chat:" + digest.hexdigest()
