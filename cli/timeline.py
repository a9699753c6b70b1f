"""timeline-import: a chat transcript's messages into a post-mortem's timeline, authors replaced by roles."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

import storage
from cli import chat_view
from cli.database import find, opened
from cli.errors import UserError
from cli.options import Choice, key_argument, runtime, shared_options
from cli.output import print_json
from cli.text import plain
from postmortem import chat
from postmortem.chat import limits as chat_limits
from postmortem.chat.to_timeline import TooManyEventsError, default_roles, import_messages, participants
from postmortem.review import is_read_only
from storage import access


class _Folder:
    """A Slack export unpacked into a folder: the same files as the zip, read one at a time."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._names = []
        for path in sorted(self.root.rglob("*.json")):
            if path.is_symlink() or not path.resolve().is_relative_to(self.root):
                raise UserError(f"{path} is a link out of the export folder; nothing was imported.")
            self._names.append(path.relative_to(self.root).as_posix())
            if len(self._names) > chat_limits.MAX_MEMBERS:
                raise UserError(f"{root} holds more than {chat_limits.MAX_MEMBERS:,} files.")

    def names(self) -> list[str]:
        return self._names

    def read(self, name: str) -> bytes:
        path = self.root / name
        if path.stat().st_size > chat_limits.MAX_MEMBER_BYTES:
            raise UserError(f"{path} is larger than {chat_limits.MAX_MEMBER_BYTES // 2**20} MB.")
        return path.read_bytes()


def _parse_chat(
    path: Path, tz: str, day_text: str | None, fmt: str, channels: tuple[str, ...]
) -> chat.ParseResult:
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UserError(f"--tz {tz!r} is not a time zone name such as UTC or Europe/Berlin.") from exc
    try:
        day = date.fromisoformat(day_text) if day_text else None
    except ValueError as exc:
        raise UserError(f"--date {day_text!r} is not a date like 2026-03-04.") from exc
    wanted = list(channels) or None  # none given: every channel
    try:
        if path.is_dir():
            return chat.parse_export(_Folder(path), wanted)
        with open(path, "rb") as handle:
            return chat.parse_file(handle, path.name, fmt, chat.TextOptions(zone, day), wanted)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _moment(text: str | None, option: str, zone: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UserError(f"{option} {text!r} is not a time like 2026-03-04T10:15.") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


def _in_time_range(
    parsed: chat.ParseResult, since: str | None, until: str | None, tz: str
) -> chat.ParseResult:
    """Only the messages between --since and --until: the way to narrow a big export to the incident."""
    start, end = _moment(since, "--since", tz), _moment(until, "--until", tz)
    if start is None and end is None:
        return parsed
    kept = [m for m in parsed.messages if (start is None or m.ts >= start) and (end is None or m.ts <= end)]
    return replace(parsed, messages=kept)


@click.command(
    "timeline-import",
    help="Add the messages of a chat transcript (Slack export zip or folder, IRC-style, ISO-dated or "
    "Teams text) to a post-mortem's timeline, each author replaced by a role.",
    epilog="PATH: a Slack export (zip or folder), a Slack day .json, or a text log.",
)
@shared_options()
@key_argument
@click.argument("path", metavar="PATH")
@click.option(
    "--tz",
    default="UTC",
    metavar="ZONE",
    help="time zone of times written without one, e.g. Europe/Berlin (default: UTC)",
)
@click.option("--date", "day", metavar="YYYY-MM-DD", help="the day of a log whose lines have times only")
@click.option("--format", "fmt", default="auto", type=Choice(list(chat.FORMATS)), help="default: detect it")
@click.option(
    "--channel", multiple=True, metavar="C", help="Slack channel to read (repeatable; default: every channel)"
)
@click.option(
    "--role",
    multiple=True,
    metavar="USER=ROLE",
    help="the role that replaces a user's name (repeatable); others become 'Participant N'",
)
@click.option(
    "--since",
    metavar="TIME",
    help="only messages at or after this time, e.g. 2026-03-04T10:00 "
    "(read in --tz unless it names a zone); one import adds at most 5,000 events",
)
@click.option("--until", metavar="TIME", help="only messages at or before this time")
@click.option(
    "--keep-noise", is_flag=True, help="also import joins, leaves, bot messages and channel notices"
)
@click.option("--dry-run", is_flag=True, help="print what would be added; change nothing")
def timeline_import(
    key: str,
    path: str,
    tz: str,
    day: str | None,
    fmt: str,
    channel: tuple[str, ...],
    role: tuple[str, ...],
    since: str | None,
    until: str | None,
    keep_noise: bool,
    dry_run: bool,
) -> None:
    rt = runtime()
    try:
        # Read and check the file before the database is touched.
        parsed = _in_time_range(_parse_chat(Path(path), tz, day, fmt, channel), since, until, tz)
        with opened(rt) as db:
            stored = find(db, key)
            access.require(db, storage.Permission.EDIT, stored.id)
            if is_read_only(stored.doc) and not dry_run:
                raise UserError(f"{stored.doc.header.incident_id} is {stored.doc.header.status}: read-only.")
            chosen = [m for m in parsed.messages if keep_noise or not m.kind.is_noise]
            people = participants(chosen, parsed.names)
            roles = chat_view.apply_role_options(
                default_roles(chosen, "Participant", parsed.names), people, chat_view.roles_option(role)
            )
            doc, report = import_messages(
                stored.doc, parsed.messages, roles, keep_noise=keep_noise, names=parsed.names
            )
            before = {old.id for old in stored.doc.timeline}
            added = [e for e in doc.timeline if e.id not in before]
            version = None
            if not dry_run and added:
                version = storage.save(
                    db=db, doc_id=stored.id, doc=doc, expected_version=stored.version
                ).version
    except TooManyEventsError as exc:
        raise UserError(f"{exc} On the command line: --since and --until, --channel.") from exc
    except chat.ChatImportError as exc:
        raise UserError(str(exc)) from exc
    if rt.json:
        print_json(chat_view.as_json(added, report, roles, people, parsed.unparsed, dry_run, version))
    else:
        print(chat_view.format_text(added, report, people, roles, parsed.unparsed, dry_run, plain))
