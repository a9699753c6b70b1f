"""Slack exports: the zip (or folder) Slack's export tool writes, or one channel's day file.

Layout: users.json and channels.json at the top, then one folder per channel holding one JSON file
per day (YYYY-MM-DD.json), each a list of messages. Files are read and parsed one at a time, so
memory follows the largest day, not the export.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from postmortem.chat.messages import (
    ChatImportError,
    Message,
    MessageKind,
    ParseResult,
    Unparsed,
    mention,
    origin_key,
    strip_private,
)

DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
_MARKUP = re.compile(r"<([^<>\n]{1,2000})>")
# Subtypes that are a person's own message; every other subtype is a channel notice.
_PERSON_SUBTYPES = {None, "", "file_share", "thread_broadcast", "me_message", "message_replied"}
_KINDS = {
    "channel_join": MessageKind.JOIN,
    "group_join": MessageKind.JOIN,
    "channel_leave": MessageKind.LEAVE,
    "group_leave": MessageKind.LEAVE,
    "bot_message": MessageKind.BOT,
}
Progress = Callable[[float], None]


class ExportSource(Protocol):
    """Where the export's files come from: a zip (SafeZip) or a folder (the CLI's)."""

    def names(self) -> list[str]: ...
    def read(self, name: str) -> bytes: ...


def _load(source: ExportSource, name: str) -> Any:
    try:
        return json.loads(source.read(name))
    except UnicodeDecodeError as exc:
        raise ChatImportError(f"{name} is not UTF-8 text (byte {exc.start}).") from exc
    except json.JSONDecodeError as exc:
        raise ChatImportError(
            f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from exc
    except RecursionError as exc:
        raise ChatImportError(f"{name} is nested too deeply to be a Slack file.") from exc


def _list_of_objects(value: Any, name: str) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ChatImportError(f"{name} is not a Slack export file: expected a list of objects.")
    return value


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _user_names(users: list[dict]) -> dict[str, str]:
    names = {}
    for user in users:
        profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
        uid = _text(user.get("id"))
        if uid:
            names[uid] = (
                _text(profile.get("display_name"))
                or _text(profile.get("real_name"))
                or _text(user.get("real_name"))
                or _text(user.get("name"))
                or uid
            )
    return names


class _Converter:
    """Slack's markup to plain text: <@U1> to a mention placeholder, <url|label> to 'label (url)',
    <#C1|name> to #name, and the three HTML entities Slack escapes."""

    def __init__(self, channels: dict[str, str]):
        self.channels = channels

    def _one(self, match: re.Match) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return mention(target[1:])
        if target.startswith("#"):
            return "#" + (label or self.channels.get(target[1:], "channel"))
        if target.startswith("!"):
            special = target[1:].split("^")[0]
            return label or ("@" + special if special in ("here", "channel", "everyone") else "")
        if target.startswith("mailto:"):
            return label or "(an e-mail address)"
        return f"{label} ({target})" if label and label != target else target

    def convert(self, raw: str) -> str:
        text = strip_private(raw)
        if "<" in text:
            text = _MARKUP.sub(self._one, text)
        if "&" in text:
            text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        return text.strip()


def _author(item: dict, users: dict[str, str]) -> tuple[str, str, bool]:
    """(key, display name, is a bot)."""
    user = item.get("user")
    if (
        isinstance(user, str)
        and user in users
        and "bot_id" not in item
        and item.get("subtype") != "bot_message"
    ):
        return user, users[user], False  # the common case, first
    user = _text(user)
    bot = _text(item.get("bot_id"))
    profile = item.get("user_profile") if isinstance(item.get("user_profile"), dict) else {}
    if item.get("subtype") == "bot_message" or (bot and not user):
        bot_profile = item.get("bot_profile") if isinstance(item.get("bot_profile"), dict) else {}
        display = _text(item.get("username")) or _text(bot_profile.get("name")) or "bot"
        return bot or "bot:" + display, display, True
    if user:
        display = (
            users.get(user) or _text(profile.get("display_name")) or _text(profile.get("real_name")) or user
        )
        return user, display, False
    return "slack", "Slack", False


def _attachment_text(attachments: Any) -> str:
    if not isinstance(attachments, list):
        return ""
    for attachment in attachments:
        if isinstance(attachment, dict):
            for field in ("fallback", "text", "title", "pretext"):
                if isinstance(attachment.get(field), str) and attachment[field].strip():
                    return attachment[field]
    return ""


def _message(
    item: dict, channel: str, where: str, users: dict[str, str], convert: _Converter
) -> Message | Unparsed:
    try:
        ts = datetime.fromtimestamp(float(item.get("ts")), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return Unparsed(where, str(item)[:200], "no readable 'ts' time")
    subtype = item.get("subtype") if isinstance(item.get("subtype"), str) else None
    key, display, is_bot = _author(item, users)
    kind = _KINDS.get(subtype or "") or (
        MessageKind.BOT
        if is_bot
        else MessageKind.MESSAGE
        if subtype in _PERSON_SUBTYPES
        else MessageKind.SYSTEM
    )
    text = convert.convert(item.get("text") if isinstance(item.get("text"), str) else "")
    if not text:  # bots often post only an attachment (PagerDuty, Datadog)
        text = convert.convert(_attachment_text(item.get("attachments")))
    if not text and item.get("files"):
        text = "(shared a file)"
    if not text:
        return Unparsed(where, str(item)[:200], "a message without text")
    if item.get("thread_ts") not in (None, item.get("ts")):
        where += " (thread reply)"
    return Message(
        ts, key, display, text, kind, origin_key("slack", channel, str(item.get("ts")), key), where, channel
    )


def _root(names: Iterable[str]) -> str:
    """The folder the export sits in (zips made by hand often add one level)."""
    for name in names:
        if posixpath.basename(name) in ("users.json", "channels.json"):
            return posixpath.dirname(name)
    return ""


def _day_files(names: Iterable[str], root: str) -> dict[str, list[str]]:
    by_channel: dict[str, list[str]] = {}
    for name in names:
        folder, base = posixpath.split(name)
        if DAY_FILE.match(base) and posixpath.dirname(folder) == root and folder:
            by_channel.setdefault(posixpath.basename(folder), []).append(name)
    return {channel: sorted(files) for channel, files in sorted(by_channel.items())}


def channels_in(names: Sequence[str]) -> list[str]:
    """The channels an export offers, from its folder names (no file is read)."""
    return list(_day_files(names, _root(names)))


def _optional_list(source: ExportSource, names: set[str], name: str) -> list[dict]:
    return _list_of_objects(_load(source, name), name) if name in names else []


def parse_export(
    source: ExportSource, channels: Sequence[str] | None = None, progress: Progress | None = None
) -> ParseResult:
    """Messages of the chosen channels (all when None), oldest first."""
    names = source.names()
    root = _root(names)
    present = set(names)
    join = (lambda n: posixpath.join(root, n)) if root else (lambda n: n)
    users = _user_names(_optional_list(source, present, join("users.json")))
    channel_ids = {
        _text(c.get("id")): _text(c.get("name"))
        for c in _optional_list(source, present, join("channels.json"))
    }
    days = _day_files(names, root)
    if not days:
        raise ChatImportError(
            "This zip is not a Slack export: no channel folder with YYYY-MM-DD.json day files."
        )
    unknown = [c for c in channels or () if c not in days]
    if unknown:
        raise ChatImportError(f"No channel {unknown[0]!r} in this export; it has: {', '.join(days)}.")
    chosen = list(channels) if channels else list(days)
    result = ParseResult(format="slack", channels=list(days), names=users)
    convert = _Converter(channel_ids)
    files = [(channel, name) for channel in chosen for name in days[channel]]
    for done, (channel, name) in enumerate(files, start=1):
        _parse_day(_list_of_objects(_load(source, name), name), channel, name, users, convert, result)
        if progress:
            progress(done / len(files))
    result.messages.sort(key=lambda m: m.ts)
    return result


def _parse_day(
    items: list[dict],
    channel: str,
    name: str,
    users: dict[str, str],
    convert: _Converter,
    result: ParseResult,
) -> None:
    label = f"{channel}/{posixpath.basename(name)}"
    for n, item in enumerate(items, start=1):
        parsed = _message(item, channel, f"{label} #{n}", users, convert)
        (result.messages if isinstance(parsed, Message) else result.unparsed).append(parsed)


def parse_day_file(data: bytes, name: str) -> ParseResult:
    """One channel's day file on its own (no users.json: names come from each message's profile)."""

    class One:
        def names(self) -> list[str]:
            return [name]

        def read(self, _name: str) -> bytes:
            return data

    items = _list_of_objects(_load(One(), name), name)
    channel = posixpath.splitext(posixpath.basename(name))[0]
    result = ParseResult(format="slack", channels=[channel])
    _parse_day(items, channel, name, {}, _Converter({}), result)
    result.messages.sort(key=lambda m: m.ts)
    return result
