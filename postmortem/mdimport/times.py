"""Dates, times, time zones and severity words as people write them in post-mortems."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from postmortem.models import Severity

# Abbreviations people put after a time; upper case only for the two-letter ones, which are words too.
ZONES = {
    "UTC": "UTC",
    "GMT": "UTC",
    "Z": "UTC",
    "PT": "America/Los_Angeles",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "MT": "America/Denver",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "CT": "America/Chicago",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "ET": "America/New_York",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "BST": "Europe/London",
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "JST": "Asia/Tokyo",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MON = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Numeric dates other than year-first (7/5/2023, 01-10-2024, 5-26-21) are read month first, as US
# teams write them, unless the first number cannot be a month (25/12/2024).
_DATE = (
    rf"(?:(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})"
    rf"|(?P<um>\d{{1,2}})(?P<sep>[/-])(?P<ud>\d{{1,2}})(?P=sep)(?P<uy>\d{{4}}|\d{{2}})(?!\d)"
    rf"|(?P<mon>{_MON})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?)?"
    rf"(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon3>{_MON})(?:,?\s+(?P<y3>\d{{4}}))?)"
)
_TIME = r"(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d)(?::(?P<s>[0-5]\d)(?:\.\d+)?)?(?:\s*(?P<ampm>[ap]\.?m\.?)(?![a-z]))?"
_OFFSET_ZONE = r"(?:UTC|GMT)\s?[+-]\d{1,2}(?::?\d{2})?(?![\d:])"  # "UTC+2", "GMT-05:30"
_ZONE = (
    r"(?P<zone>"
    + _OFFSET_ZONE
    + r"|UTC|GMT|Z|[+-]\d{2}:?\d{2}|"
    + "|".join(k for k in ZONES if len(k) > 1)
    + r")"
)
_WRAP_OPEN = r"[\s*_`\[(~]*"
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"
WORDS = {
    "all",
    "times",
    "time",
    "are",
    "local",
    "zone",
    "timezone",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "sept",
    "date",
    "dates",
    "day",
    "in",
}  # words a date line may hold besides the date
_WRAP_CLOSE = r"[*_`\])]*"
STAMP = re.compile(
    rf"^{_WRAP_OPEN}(?:(?:{_WEEKDAY})?{_DATE}{_WRAP_CLOSE}(?:[T\s,]+|\s*[-–—@:]\s*))?{_TIME}"
    rf"(?:\s*{_WRAP_CLOSE}?\s*\(?{_ZONE}\)?)?{_WRAP_CLOSE}(?=\s|$|[-–—:|>.,)])\s*(?:[-–—:|>.,]+\s*)?",
    re.IGNORECASE,
)
DATE_AT_START = re.compile(
    rf"^{_WRAP_OPEN}(?:{_WEEKDAY})?{_DATE}(?!\d|:\d)", re.IGNORECASE
)  # "2025-04-02: …" but not "2025-04-02:14"
_DATE_THEN_SEPARATOR = re.compile(
    rf"^\(?(?:{_WEEKDAY})?{_DATE}\)?{_WRAP_CLOSE}\s*(?:[:|]|[-–—]\s)\s*", re.IGNORECASE
)
ANY_DATE = re.compile(rf"(?<![\d/.-]){_DATE}(?![\d/:])", re.IGNORECASE)
_ZONE_WORD = re.compile(
    r"(?<![\w])(" + _OFFSET_ZONE + "|" + "|".join(sorted(ZONES, key=len, reverse=True)) + r")(?![\w])"
)


def zone(name: str) -> tzinfo:
    """A time zone by IANA name (Europe/Paris), abbreviation (PT, CET) or offset (+02:00)."""
    text = name.strip()
    if text.upper() in ZONES:
        return ZoneInfo(ZONES[text.upper()])
    # "+02:00", and "GMT+2" / "UTC-05:30" as people write offsets (never IANA's inverted Etc/GMT+2)
    offset = re.fullmatch(
        r"(?:(?:UTC|GMT)\s*)?([+-])(\d{2}):?(\d{2})|(?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?",
        text,
        re.IGNORECASE,
    )
    if offset:
        sign, hours, minutes = offset.group(1, 2, 3) if offset.group(1) else offset.group(4, 5, 6)
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta <= timedelta(hours=14):
            return timezone(delta if sign == "+" else -delta)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"{name!r} is not a time zone Debrief knows (try UTC, Europe/Paris or +02:00)."
        ) from exc


# Abbreviations that name one half of the year, with their literal offset: standard or summer time.
LITERAL_OFFSET = {
    "PST": "-08:00",
    "PDT": "-07:00",
    "MST": "-07:00",
    "MDT": "-06:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "EST": "-05:00",
    "EDT": "-04:00",
    "CET": "+01:00",
    "CEST": "+02:00",
    "AEST": "+10:00",
    "AEDT": "+11:00",
}


def season_mismatch(name: str, day: date) -> bool:
    """'CET' written for a day in June (or 'PDT' for one in January): on that day the place's clocks
    were not at the offset the abbreviation names."""
    key = name.strip().upper()
    if key not in LITERAL_OFFSET:
        return False
    noon = datetime.combine(day, time(12, 0), tzinfo=ZoneInfo(ZONES[key]))
    return noon.utcoffset() != zone(LITERAL_OFFSET[key]).utcoffset(None)


def zone_hint(text: str) -> tzinfo | None:
    """A zone named in a heading or a line such as '2024-03-01 (all times PT)'."""
    found = _ZONE_WORD.search(text)
    return _zone_or_none(found.group(1)) if found and found.group(1) != "Z" else None


def _zone_or_none(name: str) -> tzinfo | None:
    """A zone written next to a time; None for an offset no place uses (UTC+20), read as not given."""
    try:
        return zone(name)
    except ValueError:
        return None


def _date_from(match: re.Match, default_year: int | None) -> date | None:
    groups = match.groupdict()
    try:
        if groups.get("y"):
            year, month, day = int(groups["y"]), int(groups["m"]), int(groups["d"])
        elif groups.get("uy"):
            first, second, year = int(groups["um"]), int(groups["ud"]), int(groups["uy"])
            year += 2000 if year < 100 else 0
            month, day = (second, first) if first > 12 else (first, second)
        else:
            month_word = (groups.get("mon") or groups.get("mon3") or "")[:3].lower()
            year_text = groups.get("y2") or groups.get("y3")
            year = int(year_text) if year_text else default_year
            month, day = _MONTHS.index(month_word) + 1, int(groups.get("d2") or groups.get("d3"))
        if year is None or not 1900 <= year <= 2200:
            return None
        return date(year, month, day)
    except (ValueError, TypeError):
        return None


def find_date(text: str, default_year: int | None = None) -> date | None:
    """The first date written anywhere in the text."""
    for found in ANY_DATE.finditer(text):
        day = _date_from(found, default_year)
        if day:
            return day
    return None


def date_at_start(text: str, default_year: int | None = None) -> date | None:
    found = DATE_AT_START.match(text)
    return _date_from(found, default_year) if found else None


@dataclass(frozen=True)
class Stamp:
    day: date | None  # None: the line gave a time only
    clock: time
    zone: tzinfo | None
    rest: str  # the line after the time stamp
    opener: str = ""  # emphasis ('**') the stamp opened and the rest of the entry closes


_OPENER = re.compile(r"^\s*(\*\*|__|\*|_)")


def read_stamp(line: str, default_year: int | None = None) -> Stamp | None:
    """The time stamp a timeline line starts with ('14:05 UTC — …', '**2024-03-01 14:05** …')."""
    found = STAMP.match(line)
    if not found:
        return None
    hour, minute = int(found.group("h")), int(found.group("min"))
    ampm = (found.group("ampm") or "").replace(".", "").lower()
    if ampm and hour <= 12:  # "13:06 PM": a 24-hour time with a stray suffix keeps its hour
        if hour == 0:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    has_date = any(found.group(g) for g in ("y", "uy", "mon", "mon3"))
    day = _date_from(found, default_year) if has_date else None
    if has_date and day is None and any(found.group(g) for g in ("y", "uy", "y2", "y3")):
        return None  # a written date that is not a real one (2024-13-45): not a time stamp
    zone_text = found.group("zone")
    rest = line[found.end() :].strip()
    if not has_date:  # "12:45 PM PST Saturday Oct 30th: First wave…": the date after the time
        after = _DATE_THEN_SEPARATOR.match(rest)
        if after and (later := _date_from(after, default_year)):
            day, rest = later, rest[after.end() :].strip()
    opened = _OPENER.match(line)
    closed_in_stamp = opened and opened.group(1) in line[opened.end() : found.end()]
    return Stamp(
        day,
        time(hour, minute, int(found.group("s") or 0)),
        _zone_or_none(zone_text) if zone_text else None,
        rest,
        opened.group(1) if opened and not closed_in_stamp else "",
    )


def rewrap(stamp: Stamp, text: str) -> str:
    """'**22:48 UTC: Fix deployed**' keeps its emphasis: the marker the stamp took is put back
    before the text that closes it, rather than leaving a lone '**' at its end."""
    marker = stamp.opener
    if marker and text.rstrip().endswith(marker) and text.count(marker) % 2 == 1:
        return marker + text
    return text


def to_utc(day: date, clock: time, tz: tzinfo) -> datetime | None:
    try:
        return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)
    except (OverflowError, ValueError):
        return None


_SEV_NUMBER = re.compile(r"\b(?:sev(?:erity)?|s)[\s_-]?([0-4])\b", re.IGNORECASE)
_P_NUMBER = re.compile(r"\bp([0-4])\b", re.IGNORECASE)
_SEV_WORDS = (
    ("near miss", Severity.NEAR_MISS),
    ("near-miss", Severity.NEAR_MISS),
    ("critical", Severity.SEV1),
    ("major", Severity.SEV2),
    ("high", Severity.SEV2),
    ("medium", Severity.SEV3),
    ("moderate", Severity.SEV3),
    ("minor", Severity.SEV4),
    ("low", Severity.SEV4),
)


def severity(text: str) -> Severity | None:
    """SEV1, Sev-2, P1, 'major', 'near miss', or a bare 0-4, as Debrief's severity."""
    stripped = text.strip()
    found = _SEV_NUMBER.search(stripped) or _P_NUMBER.search(stripped) or re.fullmatch(r"([0-4])", stripped)
    if found:
        return list(Severity)[int(found.group(1))]
    lowered = stripped.lower()
    for word, level in _SEV_WORDS:
        if re.search(rf"\b{word}\b", lowered):
            return level
    return None
