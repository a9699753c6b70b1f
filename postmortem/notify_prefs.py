"""What each person wants to be told, and how: the notices they take, the channel, and whether their
notices wait for one daily digest. Pure: storage/notices.py keeps the choices, channels/run.py obeys
them, the "My notifications" page and the CLI edit them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from postmortem.errors import DebriefError
from postmortem.notices import Kind

# What a person can switch on or off, in the words the page shows; each covers one or more kinds of
# notice. The team digest and the broadcast announcement go to the shared channels, whoever asks.
TOPICS: dict[str, tuple[Kind, ...]] = {
    "Mentions of me or my role in a comment": (Kind.MENTION,),
    "Review requested and sign-off needed": (Kind.REVIEW, Kind.SIGN_OFF),
    "Deadlines of post-mortems I write": (Kind.DEADLINE,),
    "Weekly digest of my action items": (Kind.OWNER_DIGEST,),
    "Publication announcements": (Kind.ANNOUNCEMENT,),
}
# Announcements already reach everyone in the shared channels: a personal copy is something to ask for.
DEFAULT_KINDS: tuple[str, ...] = tuple(
    k.value for topic, kinds in TOPICS.items() for k in kinds if Kind.ANNOUNCEMENT not in kinds
)
CHANNELS = {
    "email": "E-mail",
    "slack": "Slack (the team's channel, addressed to you)",
    "teams": "Microsoft Teams (the team's channel, addressed to you)",
    "webhook": "The team's webhook, addressed to you",
    "none": "Nowhere: no notices for me",
}
KNOWN_KINDS = {k.value for kinds in TOPICS.values() for k in kinds}


class PrefsError(DebriefError, ValueError):
    """Preferences that cannot be stored; the message says what to change."""


class Prefs(BaseModel):
    """One person's choices. Without a stored row, the defaults: every personal notice but
    announcements, by e-mail, one by one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kinds: tuple[str, ...] = DEFAULT_KINDS
    channel: str = "email"
    daily_digest: bool = False
    address: str = ""  # where e-mail goes when the sign-in identity is not an address ("local")

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, kinds: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(kinds) - KNOWN_KINDS)
        if unknown:
            raise ValueError(f"unknown notice {', '.join(unknown)}; known: {', '.join(sorted(KNOWN_KINDS))}")
        return tuple(k for k in _order() if k in kinds)

    @field_validator("channel")
    @classmethod
    def _known_channel(cls, channel: str) -> str:
        if channel not in CHANNELS:
            raise ValueError(f"{channel!r} is not a channel; choose one of: {', '.join(CHANNELS)}")
        return channel

    @field_validator("address")
    @classmethod
    def _an_address(cls, address: str) -> str:
        address = address.strip().lower()
        if address and not looks_like_address(address):
            raise ValueError(f"{address!r} is not an e-mail address (name@example.org)")
        return address

    @model_validator(mode="after")
    def _something_on(self) -> Prefs:
        if self.channel != "none" and not self.kinds:
            raise ValueError("tick at least one kind of notice, or choose 'Nowhere' to turn them all off")
        return self

    def wants(self, kind: str) -> bool:
        return self.channel != "none" and kind in self.kinds


def _order() -> list[str]:
    return [k.value for kinds in TOPICS.values() for k in kinds]


def looks_like_address(text: str) -> bool:
    local, at, domain = text.partition("@")
    return bool(at and local and "." in domain and not any(c.isspace() for c in text))


def topics_of(prefs: Prefs) -> list[str]:
    """The page's topics this person has on (a topic is on when all its kinds are)."""
    return [topic for topic, kinds in TOPICS.items() if all(k.value in prefs.kinds for k in kinds)]


def kinds_of(topics: list[str]) -> tuple[str, ...]:
    return tuple(k.value for topic in topics for k in TOPICS[topic])


def parse(**values: object) -> Prefs:
    """Validated preferences, or a PrefsError whose message a person can act on."""
    try:
        return Prefs(**values)
    except ValidationError as error:
        raise PrefsError(
            "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors()) + "."
        ) from error
