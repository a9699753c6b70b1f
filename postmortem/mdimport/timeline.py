"""The timeline handler: time-stamped lines, list items and tables, with the day carried from date
headings and date lines, and times read in the zone the document names or the author chose."""

from __future__ import annotations

import dataclasses
import re
from datetime import time, timedelta

from postmortem.mdimport import times
from postmortem.mdimport.blocks import Block, Section
from postmortem.mdimport.context import Context, content_blocks, lines_of, text_of
from postmortem.mdimport.draft import Draft

_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_AFTER_DAY = re.compile(
    r"^[*_`]*\s*(?:[-–—]|:)\s+(?=\S)"
)  # "01-31-2024 - The fix…": the dash before the event
_ZONE_LINE = re.compile(
    r"^\W*(?:all\s+)?(?:the\s+)?times?\b[^.\n]{0,30}?\b(?:in|are)\s+"
    r"\(?(?P<zone>[A-Za-z+-][\w/+:-]{1,30})\)?\W*$",
    re.IGNORECASE,
)
# "Unless otherwise noted all events happened on 2019-10-21": a line dated otherwise is the exception
_STATED_DAY = re.compile(r"\bunless\s+(?:otherwise\s+)?(?:noted|stated|mentioned|specified)\b", re.IGNORECASE)
_DATE_LABEL = re.compile(r"^[\s*_]*(?:date|day)s?[\s*_]*:[\s*_]*", re.IGNORECASE)
_TIME_WORDS = ("time", "timestamp", "when", "date", "datetime", "date time", "utc", "at", "clock")
_EVENT_WORDS = (
    "event",
    "events",
    "what happened",
    "description",
    "action",
    "details",
    "what",
    "activity",
    "notes",
)


_ROUGH_HEADING = re.compile(r"\bapprox(?:imate|imately|imations?|\.)?(?!\w)", re.IGNORECASE)


def timeline(draft: Draft, section: Section, ctx: Context) -> set[int]:
    heading_stamp = times.read_stamp(section.heading, ctx.default_year)
    if heading_stamp and not heading_stamp.rest:
        return _heading_event(draft, section, heading_stamp, ctx)
    heading_day = times.find_date(section.heading, ctx.default_year)
    if heading_day:
        ctx.day, ctx.last_clock, ctx.day_guessed = heading_day, None, False
    ctx.zone_of_section = times.zone_hint(section.heading) or ctx.zone_of_section
    # "Timeline (all times approximate)": the header times its entries give are marked "about"
    draft.timeline_rough = draft.timeline_rough or bool(_ROUGH_HEADING.search(section.heading))
    events_before = len(draft.timeline)
    used = _timeline_blocks(draft, section, ctx)
    if len(draft.timeline) > events_before:
        return used
    # Nothing under the heading has a time of its own: the heading is the event's time, as in
    # "### 21:00 - Team alerted" or "### 2018-01-15" with what happened written below it.
    if heading_stamp:
        return _heading_event(draft, section, heading_stamp, ctx, label=heading_stamp.rest)
    if heading_day and _day_only(section.heading):
        return _heading_day_event(draft, section, heading_day, ctx)
    return used


def _timeline_blocks(draft: Draft, section: Section, ctx: Context) -> set[int]:
    used: set[int] = set()
    for block in content_blocks(section):
        if block.kind == "paragraph":
            _zone_line(draft, ctx.parsed.lines[block.start], block.start, ctx)
        if block.kind == "table":
            used |= _timeline_table(draft, block, ctx)
        elif block.kind == "list":
            for item in block.items:
                if _timeline_line(draft, item.text, item.start, ctx):
                    used.update(range(item.start, item.end))
        else:
            ctx.last_event = None  # a new paragraph never continues the event of the one before
            for i in lines_of(ctx.parsed, block):
                line = _QUOTE.sub("", ctx.parsed.lines[i])
                if line.strip() and _timeline_line(draft, line, i, ctx):
                    used.add(i)
                elif i - 1 not in used:
                    ctx.last_event = None
    return used


def _heading_event(
    draft: Draft, section: Section, stamp: times.Stamp, ctx: Context, label: str = ""
) -> set[int]:
    """'### 09:21 PM' with what happened written below it: the heading is the time, the text the event;
    words after the time in the heading ('21:00 - Team alerted') open the event's text."""
    blocks = content_blocks(section)
    text = "\n\n".join([label] * bool(label) + [text_of(ctx.parsed, b) for b in blocks])
    if not text or not _add_event(draft, stamp, text, section.line, ctx):
        return set()
    return {i for b in blocks for i in lines_of(ctx.parsed, b)}


def _heading_day_event(draft: Draft, section: Section, day, ctx: Context) -> set[int]:
    """'### 2018-01-15' with what happened that day written below it and no time anywhere."""
    blocks = content_blocks(section)
    text = "\n\n".join(text_of(ctx.parsed, b) for b in blocks)
    if not _add_day_event(draft, day, text, section.heading, section.line, ctx):
        return set()
    ctx.last_event = None  # the next heading starts a new event
    return {i for b in blocks for i in lines_of(ctx.parsed, b)}


def _zone_line(draft: Draft, line: str, line_no: int, ctx: Context) -> None:
    """'All times in PT' under a timeline heading sets the zone; a zone Debrief does not know (IST
    names three) is said, so the author picks it rather than finding the times shifted."""
    found = _ZONE_LINE.match(line)
    if not found:
        return
    try:
        ctx.zone_of_section = times.zone(found.group("zone"))
        ctx.zone_written = found.group("zone")
    except ValueError:
        draft.warnings.append(
            f"Line {line_no + 1}: the times are in '{found.group('zone')}', a zone Debrief cannot "
            "tell apart; they were read in the zone chosen for the import. Choose that zone "
            "and import again."
        )


def _timeline_line(draft: Draft, text: str, line_no: int, ctx: Context) -> bool:
    """Take one line (or list item) into the timeline; False leaves it for the appendix."""
    first, _, more = text.partition("\n")
    stamp = times.read_stamp(first, ctx.default_year)
    if stamp is None:
        if ctx.last_event is None and _STATED_DAY.search(first) and _stated_day(first, ctx):
            return False  # the sentence stays readable in the appendix too
        # "2025-04-02: We published the advisory" is an event even when short; a bare date sets the day
        dated = _dated_event(draft, first, more, line_no, ctx)
        if dated is None:
            dated = _date_line(first, line_no, ctx)
        return dated if dated is not None else _continuation(draft, text, line_no, ctx)
    rest = times.rewrap(stamp, "\n".join(p for p in (stamp.rest, more.strip()) if p)) or first.strip()
    return _add_event(draft, stamp, rest, line_no, ctx)


def _stated_day(line: str, ctx: Context) -> bool:
    """The day every undated time is on, however many lines give another date before them."""
    day = times.find_date(line, ctx.default_year)
    if day is None:
        return False
    ctx.default_year = ctx.default_year or day.year
    ctx.day = ctx.stated_day = day
    ctx.last_clock, ctx.day_guessed = None, False
    return True


def _date_line(line: str, line_no: int, ctx: Context) -> bool | None:
    """'2024-03-01 (all times UTC)' or '**Tuesday, March 5**' sets the day of the lines after it.
    None: not such a line. False: it also says more, so the line is kept in the appendix as well."""
    line = _DATE_LABEL.sub("", line, count=1)  # "Date: January 14-19, 2026"
    day = times.date_at_start(line, ctx.default_year)
    if day is None or len(line.split()) > 7:
        return None
    ctx.default_year = ctx.default_year or day.year
    ctx.day, ctx.last_clock, ctx.day_guessed, ctx.day_line = day, None, False, line_no
    ctx.zone_of_section = times.zone_hint(line) or ctx.zone_of_section
    words = {w.lower() for w in re.findall(r"[^\W\d_]{3,}", line)}
    return words <= times.WORDS | set(times.ZONES) | {z.lower() for z in times.ZONES}


def _dated_event(draft: Draft, first: str, more: str, line_no: int, ctx: Context) -> bool | None:
    """'01-31-2024 - The fix was added': an event that gives a day and no time. None: not such a line."""
    found = times.DATE_AT_START.match(first)
    after = _AFTER_DAY.match(first[found.end() :]) if found else None
    day = times.date_at_start(first, ctx.default_year) if after else None
    if day is None:
        return None
    said = first[found.end() + after.end() :].strip()
    # "2021-08-27: At 12:50:07 UTC, the bug was exploited": the time is the sentence's first words.
    lead = _AT_CLOCK.match(said)
    stamp = times.read_stamp(said[lead.end() :], ctx.default_year) if lead else None
    if stamp is not None and stamp.day is None and stamp.rest.lstrip(" ,;:-–—"):
        sentence = stamp.rest.lstrip(" ,;:-–—")
        rest = "\n".join(p for p in (sentence[:1].upper() + sentence[1:], more.strip()) if p)
        return _add_event(draft, dataclasses.replace(stamp, day=day, rest=rest), rest, line_no, ctx)
    text = "\n".join(p for p in (said, more.strip()) if p)
    return _add_day_event(draft, day, text, first.strip(), line_no, ctx)


_AT_CLOCK = re.compile(r"(?:at|around|about|approximately|~)\s*(?=\d)", re.IGNORECASE)


def _check_season(draft: Draft, day, line_no: int, ctx: Context) -> None:
    """Teams often write 'CET' or 'PST' all year for their local clock; we read it so, and say so
    once when the day falls in the other half of the year, so a literal reading can be chosen."""
    if ctx.season_warned or not ctx.zone_written or not times.season_mismatch(ctx.zone_written, day):
        return
    ctx.season_warned = True
    literal = times.LITERAL_OFFSET[ctx.zone_written.strip().upper()]
    draft.warnings.append(
        f"Line {line_no + 1}: the times are said to be in {ctx.zone_written}, "
        f"but on {day.isoformat()} "
        f"the clocks there were not at {literal}; the times were read as the local clock time. "
        f"If they are meant as {literal}, choose {literal} as the zone and import again."
    )


def _add_day_event(draft: Draft, day, text: str, written: str, line_no: int, ctx: Context) -> bool:
    """A day without a time goes in at the start of that day, said in a warning, so it keeps its place."""
    if not text:
        return False
    at = times.to_utc(day, time(0, 0), ctx.zone_of_section or ctx.tz)
    if at is None:
        return False
    draft.warnings.append(
        f"Line {line_no + 1}: '{written[:40]}' gives a day without a time; the event is placed "
        "at the start of that day."
    )
    draft.timeline.append((at, text))
    ctx.day, ctx.last_clock, ctx.last_event = day, None, len(draft.timeline) - 1
    return True


def _continuation(draft: Draft, text: str, line_no: int, ctx: Context) -> bool:
    if ctx.last_event is None and ctx.day and ctx.day_line == line_no - 1:
        # "January 29, 2024" with the event on the next line of the same paragraph
        return _add_day_event(
            draft, ctx.day, text.strip(), ctx.parsed.lines[line_no - 1].strip(), line_no, ctx
        )
    if ctx.last_event is None:
        return False
    at, before = draft.timeline[ctx.last_event]
    draft.timeline[ctx.last_event] = (at, f"{before}\n{text.strip()}")
    return True


def _add_event(draft: Draft, stamp: times.Stamp, text: str, line_no: int, ctx: Context) -> bool:
    day = stamp.day or ctx.day
    if day is None:
        draft.warnings.append(
            f"Line {line_no + 1}: a time without a date, kept in the appendix. Add a date "
            "heading (### 2024-03-01) or a 'Date:' line and import again."
        )
        return False
    if (
        stamp.day is None
        and ctx.last_clock
        and stamp.clock < ctx.last_clock
        and ctx.last_clock.hour >= 18
        and stamp.clock.hour < 6
    ):
        day = day + timedelta(days=1)
        draft.warnings.append(
            f"Line {line_no + 1}: the time went back past midnight; taken as the next day "
            f"({day.isoformat()})."
        )
    at = times.to_utc(day, stamp.clock, stamp.zone or ctx.zone_of_section or ctx.tz)
    if at is None:
        return False
    if stamp.day:
        ctx.day_guessed = False
    elif ctx.day_guessed:
        draft.warnings.append(
            f"Times without a date were placed on {day.isoformat()}, the first date found in "
            "the document: check the timeline."
        )
    # A dated line is an exception to a stated day; the undated lines after it are on the stated day again
    ctx.day, ctx.last_clock = (ctx.stated_day, None) if stamp.day and ctx.stated_day else (day, stamp.clock)
    _check_season(draft, day, line_no, ctx)
    draft.timeline.append((at, text))
    ctx.last_event = len(draft.timeline) - 1
    return True


def _column(header: tuple[str, ...], names: tuple[str, ...], skip: set[int]) -> int | None:
    words = [" ".join(re.sub(r"[^\w]+", " ", h.lower()).split()) for h in header]
    for i, w in enumerate(words):
        if i not in skip and (w in names or any(f" {n} " in f" {w} " for n in names if len(n) > 2)):
            return i
    return None


def _table_columns(header: tuple[str, ...]) -> tuple[int | None, int | None, int | None, set[int]]:
    """(time, date, event) columns, and weekday columns ('Day': Sun, Mon) that add nothing to an event."""
    time_col = _column(header, ("time", "timestamp", "clock"), set())
    if time_col is None:
        time_col = _column(header, _TIME_WORDS, set())
    date_col = _column(header, ("date",), {time_col}) if time_col is not None else None
    weekday = _column(header, ("day", "weekday"), {time_col, date_col})
    if date_col is None and weekday is not None:
        date_col, weekday = weekday, None  # "Day | Time | Event" with the day's date in "Day"
    skip = {c for c in (time_col, date_col, weekday) if c is not None}
    event_col = _column(header, _EVENT_WORDS, skip)
    if event_col is None:
        event_col = next((i for i in range(len(header)) if i not in skip), None)
    return time_col, date_col, event_col, skip


def _timeline_table(draft: Draft, block: Block, ctx: Context) -> set[int]:
    time_col, date_col, event_col, skip = _table_columns(block.header)
    if time_col is None or event_col is None:
        return set()
    # "Date (2022)" and "Time (PT)": the year and the zone written once in the header row
    year = re.search(r"\b(19|20)\d{2}\b", " ".join(block.header))
    default_year = int(year.group(0)) if year else ctx.default_year
    ctx.zone_of_section = times.zone_hint(" ".join(block.header)) or ctx.zone_of_section
    used = set()
    for line_no, cells in block.rows:

        def cell(i: int | None, cells: tuple[str, ...] = cells) -> str:
            return cells[i] if i is not None and i < len(cells) else ""

        when = f"{cell(date_col)} {cell(time_col)}".strip() if date_col is not None else cell(time_col)
        extra = [
            f"{block.header[i]}: {c}"
            for i, c in enumerate(cells)
            if i not in skip | {event_col} and c.strip() and i < len(block.header)
        ]
        stamp = times.read_stamp(when, default_year)
        if stamp and stamp.rest:
            extra.insert(0, stamp.rest)  # "10:16 (approx.)": the words after the time stay with the event
        text = cell(event_col) + (f" ({'; '.join(extra)})" if extra else "")
        if stamp and _add_event(draft, stamp, text or when, line_no, ctx):
            used.add(line_no)
        elif stamp is None and _day_only(when) and (day := times.date_at_start(when, default_year)):
            written = "" if times.ANY_DATE.fullmatch(when.strip(" ~")) else f" (time written as '{when}')"
            if _add_day_event(draft, day, text + written, when, line_no, ctx):
                used.add(line_no)
    if used:
        used.update(range(block.start, block.start + 2))  # the header row and its --- line
    return used


def _day_only(when: str) -> bool:
    """'2021-12-10', '2024-03-13 14:??', '2019-12-03 --:--' or '2022-06-02 HH:mm': a day whose time is
    not known (teams write the placeholder for a time they could not find). Words after the date are
    not such a placeholder."""
    rest = times.DATE_AT_START.sub("", when, count=1).strip(" *_`~")
    return not rest or bool(re.fullmatch(r"[0-9Hh?x:-]{1,2}[:.][0-9Mm?x-]{1,2}(?::[0-9Ss?x-]{1,2})?", rest))
