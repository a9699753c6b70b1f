"""Notification preferences on the command line: reading `--set NOTICE=CHANNEL|off`, applying it to
someone's preferences (postmortem.notify_prefs.Prefs), and showing them.

Prefs hold the kinds of notice a person takes, one channel for all of them ("none": nothing at all),
whether their notices wait for a daily digest, and the address e-mail goes to when the sign-in
identity is not one.
"""

from __future__ import annotations

from typing import Any

from cli.errors import UserError
from postmortem.notices import Kind
from postmortem.notify_prefs import CHANNELS as STORED_CHANNELS
from postmortem.notify_prefs import KNOWN_KINDS, Prefs, parse

OFF = "off"
ALL = "all"
CHANNELS = (*(c for c in STORED_CHANNELS if c != "none"), OFF)
KINDS = tuple(kind.value for kind in Kind if kind.value in KNOWN_KINDS)  # the ones a person chooses


def _key(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").lower().split())


KINDS_BY_KEY = {_key(kind): kind for kind in KINDS}


def parse_changes(pairs: tuple[str, ...]) -> dict[str, str]:
    """--set NOTICE=CHANNEL|off options as {kind or 'all': channel or 'off'}."""
    changes: dict[str, str] = {}
    for pair in pairs:
        notice, sep, channel = pair.partition("=")
        channel = _key(channel).replace("none", OFF)
        if not sep or channel not in CHANNELS:
            raise UserError(
                f"--set {pair!r} is not NOTICE=CHANNEL or NOTICE=off (channels: {', '.join(CHANNELS)})."
            )
        kind = ALL if _key(notice) == ALL else KINDS_BY_KEY.get(_key(notice))
        if kind is None:
            raise UserError(
                f"--set {pair!r}: no notice is called {notice.strip()!r}; choose from: {', '.join(KINDS)}, all."
            )
        changes[kind] = channel
    channels = {c for c in changes.values() if c != OFF}
    if len(channels) > 1:
        raise UserError(
            f"one channel carries all of a person's notices; --set names {' and '.join(sorted(channels))}."
        )
    return changes


def wanted_kinds(prefs: Prefs) -> set[str]:
    return set() if prefs.channel == "none" else set(prefs.kinds)


def changed(prefs: Prefs, changes: dict[str, str], daily_digest: bool | None, address: str | None) -> Prefs:
    """The preferences with each --set applied, and the digest and address if given (validated)."""
    wanted, channel = wanted_kinds(prefs), prefs.channel
    for notice, target in changes.items():
        named = set(KINDS) if notice == ALL else {notice}
        wanted = wanted - named if target == OFF else wanted | named
        if target != OFF:
            channel = target
    if not wanted:
        channel = "none"  # every notice off: the stored kinds are kept for when one comes back on
    elif channel == "none":
        channel = "email"
    return parse(
        kinds=tuple(wanted) if wanted else prefs.kinds,
        channel=channel,
        daily_digest=prefs.daily_digest if daily_digest is None else daily_digest,
        address=prefs.address if address is None else address,
    )


def as_json(identity: str, prefs: Prefs) -> dict[str, Any]:
    wanted = wanted_kinds(prefs)
    return {
        "identity": identity,
        "channel": prefs.channel,
        "daily_digest": prefs.daily_digest,
        "address": prefs.address,
        "notices": {kind: kind in wanted for kind in KINDS},
    }


def as_text(identity: str, prefs: Prefs) -> str:
    wanted = wanted_kinds(prefs)
    delivery = "one daily digest" if prefs.daily_digest else "each notice as it comes"
    lines = [
        f"Notification preferences of {identity}",
        f"  Channel   {prefs.channel if prefs.channel != 'none' else 'off (no notices)'}",
        f"  Delivery  {delivery}",
        f"  Address   {prefs.address or '–'}",
        "Notices",
    ]
    lines += [f"  {kind:<18}{'on' if kind in wanted else 'off'}" for kind in KINDS]
    return "\n".join(lines)
