"""Chat logs pasted or saved as text: IRC-style `[HH:MM] <nick> text`, ISO-dated `2026-03-04T10:15Z
name: text`, and Microsoft Teams copy-paste (a "Name, 3/4/2026 10:15 AM" header, then the message).

Times without a zone are read in the zone the author chose; times without a date on the day the
author chose. Every line that is not understood comes back in `unparsed` with its number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil import parser as dateparser

from postmortem.chat.messages import (
    ChatImportError,
    Message,
    MessageKind,
    ParseResult,
    Unparsed,
    origin_key,
    strip_private,
)

_NICK = r"[^\s<>\[\]]{1,60}"
_IRC = re.compile(
    r"^\[(\d{1,2}):(\d{2})(?::(\d{2}))?\]\s+(?:<[@+%&~]?(" + _NICK + r")>\s?(.*)"
    r"|\*\s+(" + _NICK + r")\s+(.+)"
    r"|(?:\*\*\*|-!-)\s+(" + _NICK + r")\s+(.*))$"
)
_IRC_JOIN = re.compile(r"\b(has joined|joined)\b", re.IGNORECASE)
_IRC_LEAVE = re.compile(r"\b(has left|left|has quit|quit)\b", re.IGNORECASE)
_ISO = re.compile(
    r"^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:\s?(?:Z|[+-]\d{2}(?::?\d{2})?))?)\]?"
    r"\s+(?:<(" + _NICK + r")>\s?(.*)|([^:<>\n]{1,80}?):\s?(.*))$"
)
# Teams: "Name, 3/4/2026 10:15 AM", "Name 3/4/2026 10:15", "[3/4/2026 10:15 AM] Name", "[10:15 AM] Name".
_WHEN = r"(\d{1,2}/\d{1,2}(?:/\d{2,4})?,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?)"
_TEAMS_TRAILING = re.compile(
    r"^(?P<name>[^\[\]:]{1,80}?),?\s+" + _WHEN.replace("(", "(?P<when>", 1) + r"\s*$"
)
_TEAMS_LEADING = re.compile(
    r"^\[(?P<when>(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?,?\s+)?\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s?[AaPp]\.?[Mm]\.?)?)\]\s+(?P<name>[^:]{1,80}?):?\s*$"
)
_DAY_JUMP = timedelta(hours=6)  # a clock going back further than this in a time-only log is a new day


@dataclass(frozen=True)
class TextOptions:
    zone: tzinfo = UTC  # for times written without an offset
    day: date | None = None  # for times written without a date (IRC, some Teams headers)


def _lines(text: str) -> list[str]:
    return strip_private(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _message(fmt: str, ts: datetime, name: str, text: str, kind: MessageKind, line: int) -> Message:
    ts = ts.astimezone(UTC)
    name = " ".join(name.split())
    return Message(
        ts,
        _key(name),
        name,
        text.strip(),
        kind,
        origin_key(fmt, ts.isoformat(), _key(name), text.strip()),
        f"line {line}",
    )


def _need_day(options: TextOptions) -> date:
    if options.day is None:
        raise ChatImportError("This log has times without a date: choose the date of its first line.")
    return options.day


class _Clock:
    """Times of day to instants, moving to the next day when the clock goes back (past midnight)."""

    def __init__(self, options: TextOptions):
        self.options, self.day, self.last = options, None, None

    def at(self, clock: time) -> datetime:
        if self.day is None:
            self.day = _need_day(self.options)
        local = datetime.combine(self.day, clock, self.options.zone)
        if self.last is not None and local < self.last - _DAY_JUMP:
            self.day += timedelta(days=1)
            local = datetime.combine(self.day, clock, self.options.zone)
        self.last = local
        return local


def parse_irc(text: str, options: TextOptions | None = None) -> ParseResult:
    options = options or TextOptions()
    result, clock = ParseResult(format="irc"), _Clock(options)
    for n, line in enumerate(_lines(text), start=1):
        match = _IRC.match(line.strip())
        if not match:
            _unparsed(result, n, line)
            continue
        h, m, s = int(match[1]), int(match[2]), int(match[3] or 0)
        if h > 23 or m > 59 or s > 59:
            result.unparsed.append(Unparsed(f"line {n}", line, "not a time of day"))
            continue
        ts = clock.at(time(h, m, s))
        if match[4]:
            name, body, kind = match[4], match[5], MessageKind.MESSAGE
        elif match[6]:
            name, body, kind = match[6], f"* {match[6]} {match[7]}", MessageKind.MESSAGE
        else:
            name, body = match[8], f"{match[8]} {match[9]}"
            kind = (
                MessageKind.JOIN
                if _IRC_JOIN.search(match[9])
                else MessageKind.LEAVE
                if _IRC_LEAVE.search(match[9])
                else MessageKind.SYSTEM
            )
        if body.strip():
            result.messages.append(_message("irc", ts, name, body, kind, n))
    return result


def _iso_time(value: str, zone: tzinfo) -> datetime | None:
    try:
        ts = datetime.fromisoformat(
            value.replace(",", ".").replace(" Z", "Z").replace(" +", "+").replace(" -", "-")
        )
    except ValueError:
        return None
    return ts.replace(tzinfo=zone) if ts.tzinfo is None else ts


def parse_iso(text: str, options: TextOptions | None = None) -> ParseResult:
    options = options or TextOptions()
    result = ParseResult(format="iso")
    for n, line in enumerate(_lines(text), start=1):
        match = _ISO.match(line.strip())
        ts = _iso_time(match[1], options.zone) if match else None
        if ts is None:
            _unparsed(result, n, line)
            continue
        name, body = (match[2], match[3]) if match[2] else (match[4], match[5])
        if body.strip():
            result.messages.append(_message("iso", ts, name, body, MessageKind.MESSAGE, n))
    return result


def _teams_header(line: str) -> tuple[str, str] | None:
    match = _TEAMS_TRAILING.match(line) or _TEAMS_LEADING.match(line)
    return (match["name"].strip(), match["when"]) if match else None


def _teams_time(when: str, options: TextOptions, last: date | None) -> datetime:
    """A header's time; a header without a date (or year) is on the day of the header before it, which
    is how Teams writes a conversation: the date once, then times."""
    has_date, has_year = "/" in when, when.count("/") == 2
    if not has_date or not has_year:
        day = last or _need_day(options)
        when = (
            f"{when.split()[0]}/{day.year} {' '.join(when.split()[1:])}"
            if has_date
            else f"{day.month}/{day.day}/{day.year} {when}"
        )
    value = dateparser.parse(when.replace(".", "").replace(",", ""), dayfirst=False)
    return value.replace(tzinfo=options.zone) if value.tzinfo is None else value


def parse_teams(text: str, options: TextOptions | None = None) -> ParseResult:
    options = options or TextOptions()
    result = ParseResult(format="teams")
    current: tuple[datetime, str, int] | None = None
    body: list[str] = []

    def flush() -> None:
        if current and any(b.strip() for b in body):
            ts, name, line = current
            result.messages.append(
                _message(
                    "teams", ts, name, "\n".join(b for b in body if b.strip()), MessageKind.MESSAGE, line
                )
            )
        elif current:
            result.unparsed.append(
                Unparsed(f"line {current[2]}", current[1], "a message header with no text")
            )

    for n, line in enumerate(_lines(text), start=1):
        header = _teams_header(line.strip())
        ts = None
        if header:
            try:
                ts = _teams_time(header[1], options, current[0].date() if current else None)
            except (ValueError, OverflowError, TypeError):
                ts = None
        if ts is not None:
            flush()
            current, body = (ts, header[0], n), []
        elif current is not None:
            body.append(line.rstrip())
        else:
            _unparsed(result, n, line)
    flush()
    return result


def _unparsed(result: ParseResult, n: int, line: str) -> None:
    if line.strip():  # blank lines carry nothing to lose
        result.unparsed.append(Unparsed(f"line {n}", line[:500]))


TEXT_PARSERS: dict[str, Callable[[str, TextOptions | None], ParseResult]] = {
    "irc": parse_irc,
    "iso": parse_iso,
    "teams": parse_teams,
}


def guess_format(text: str, sample_lines: int = 300) -> str | None:
    """The text format whose line pattern matches most of the first non-blank lines, if any does."""
    lines = [line.strip() for line in _lines(text[:200_000]) if line.strip()][:sample_lines]
    scores = {
        "irc": sum(1 for line in lines if _IRC.match(line)),
        "iso": sum(1 for line in lines if _ISO.match(line)),
        "teams": sum(1 for line in lines if _teams_header(line)),
    }
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] else None
