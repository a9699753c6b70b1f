"""Notification preferences on the command line: reading `--set NOTICE=CHANNEL|off`, applying it to
the stored preferences, and showing them.

The stored shape (storage.notices.Prefs) is: the kinds of notice wanted (none listed: all), one
channel for all of them ("none": nothing at all), and whether e-mail is gathered into a daily digest.
"""

from __future__ import annotations

from typing import Any

from cli.errors import UserError
from postmortem.notices import Kind
from storage.notices import CHANNELS as STORED_CHANNELS
from storage.notices import Prefs

OFF = "off"
ALL = "all"
CHANNELS = tuple(c for c in STORED_CHANNELS if c != "none") + (OFF,)


def _key(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").lower().split())


KINDS_BY_KEY = {_key(kind.value): kind for kind in Kind}


def parse_changes(pairs: tuple[str, ...]) -> dict[str, str]:
    """--set NOTICE=CHANNEL|off options as {kind value or 'all': channel or 'off'}."""
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
                f"--set {pair!r}: no notice is called {notice.strip()!r}; choose from: {', '.join(Kind)}, all."
            )
        changes[str(kind)] = channel
    channels = {c for c in changes.values() if c != OFF}
    if len(channels) > 1:
        raise UserError(
            f"one channel carries all of a person's notices; --set names {' and '.join(sorted(channels))}."
        )
    return changes


def wanted_kinds(prefs: Prefs) -> set[str]:
    if prefs.channel == "none":
        return set()
    return set(prefs.kinds) or {kind.value for kind in Kind}


def changed(prefs: Prefs, changes: dict[str, str], daily_digest: bool | None) -> Prefs:
    """The preferences with each --set applied, and the digest choice if one was given."""
    every = {kind.value for kind in Kind}
    wanted = wanted_kinds(prefs)
    channel = prefs.channel
    for notice, target in changes.items():
        named = every if notice == ALL else {notice}
        wanted = wanted - named if target == OFF else wanted | named
        if target != OFF:
            channel = target
    if not wanted:
        channel, kinds = "none", ()
    else:
        channel = "email" if channel == "none" else channel
        kinds = () if wanted == every else tuple(k.value for k in Kind if k.value in wanted)
    digest = prefs.daily_digest if daily_digest is None else daily_digest
    return Prefs(prefs.identity, kinds, channel, digest)


def as_json(prefs: Prefs) -> dict[str, Any]:
    wanted = wanted_kinds(prefs)
    return {
        "identity": prefs.identity,
        "channel": prefs.channel,
        "daily_digest": prefs.daily_digest,
        "notices": {kind.value: kind.value in wanted for kind in Kind},
    }


def as_text(prefs: Prefs) -> str:
    wanted = wanted_kinds(prefs)
    delivery = "one daily digest (e-mail)" if prefs.daily_digest else "each notice as it comes"
    lines = [
        f"Notification preferences of {prefs.identity}",
        f"  Channel   {prefs.channel if prefs.channel != 'none' else 'off (no notices)'}",
        f"  Delivery  {delivery}",
        "Notices",
    ]
    lines += [f"  {kind.value:<18}{'on' if kind.value in wanted else 'off'}" for kind in Kind]
    return "\n".join(lines)
