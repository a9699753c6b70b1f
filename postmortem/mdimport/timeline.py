"""The timeline handler: time-stamped lines, list items and tables, with the day carried from date
headings and date lines, and times read in the zone the document names or the author chose."""

from __future__ import annotations

import re
from datetime import timedelta

from postmortem.mdimport import times
from postmortem.mdimport.blocks import Block, Section
from postmortem.mdimport.context import Context, content_blocks, lines_of
from postmortem.mdimport.draft import Draft

_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_TIME_WORDS = ("time", "timestamp", "when", "date", "datetime", "date time", "utc", "at", "clock")
_EVENT_WORDS = ("event", "events", "what happened", "description", "action", "details", "what", "activity", "notes")


def timeline(draft: Draft, section: Section, ctx: Context) -> set[int]:
    heading_day = times.find_date(section.heading, ctx.default_year)
    if heading_day:
        ctx.day, ctx.last_clock, ctx.day_guessed = heading_day, None, False
    ctx.zone_of_section = times.zone_hint(section.heading) or ctx.zone_of_section
    used: set[int] = set()
    for block in content_blocks(section):
        if block.kind == "table":
            used |= _timeline_table(draft, block, ctx)
        elif block.kind == "list":
            for item in block.items:
                if _timeline_line(draft, item.text, item.start, ctx):
                    used.update(range(item.start, item.end))
        else:
            for i in lines_of(ctx.parsed, block):
                line = _QUOTE.sub("", ctx.parsed.lines[i])
                if line.strip() and _timeline_line(draft, line, i, ctx):
                    used.add(i)
    return used


def _timeline_line(draft: Draft, text: str, line_no: int, ctx: Context) -> bool:
    """Take one line (or list item) into the timeline; False leaves it for the appendix."""
    first, _, more = text.partition("\n")
    stamp = times.read_stamp(first, ctx.default_year)
    if stamp is None:
        dated = _date_line(first, ctx)
        return dated if dated is not None else _continuation(draft, text, ctx)
    rest = "\n".join(p for p in (stamp.rest, more.strip()) if p) or first.strip()
    return _add_event(draft, stamp, rest, line_no, ctx)


def _date_line(line: str, ctx: Context) -> bool | None:
    """'2024-03-01 (all times UTC)' or '**Tuesday, March 5**' sets the day of the lines after it.
    None: not such a line. False: it also says more, so the line is kept in the appendix as well."""
    day = times.date_at_start(line, ctx.default_year)
    if day is None or len(line.split()) > 7:
        return None
    ctx.day, ctx.last_clock, ctx.day_guessed = day, None, False
    ctx.zone_of_section = times.zone_hint(line) or ctx.zone_of_section
    words = {w.lower() for w in re.findall(r"[^\W\d_]{3,}", line)}
    return words <= times.WORDS | set(times.ZONES) | {z.lower() for z in times.ZONES}


def _continuation(draft: Draft, text: str, ctx: Context) -> bool:
    if ctx.last_event is None:
        return False
    at, before = draft.timeline[ctx.last_event]
    draft.timeline[ctx.last_event] = (at, f"{before}\n{text.strip()}")
    return True


def _add_event(draft: Draft, stamp: times.Stamp, text: str, line_no: int, ctx: Context) -> bool:
    day = stamp.day or ctx.day
    if day is None:
        draft.warnings.append(f"Line {line_no + 1}: a time without a date, kept in the appendix. Add a date "
                              "heading (### 2024-03-01) or a 'Date:' line and import again.")
        return False
    if stamp.day is None and ctx.last_clock and stamp.clock < ctx.last_clock and \
            ctx.last_clock.hour >= 18 and stamp.clock.hour < 6:
        day = day + timedelta(days=1)
        draft.warnings.append(f"Line {line_no + 1}: the time went back past midnight; taken as the next day "
                              f"({day.isoformat()}).")
    at = times.to_utc(day, stamp.clock, stamp.zone or ctx.zone_of_section or ctx.tz)
    if at is None:
        return False
    if stamp.day:
        ctx.day_guessed = False
    elif ctx.day_guessed:
        draft.warnings.append(f"Times without a date were placed on {day.isoformat()}, the first date found in "
                              "the document: check the timeline.")
    ctx.day, ctx.last_clock = day, stamp.clock
    draft.timeline.append((at, text))
    ctx.last_event = len(draft.timeline) - 1
    return True


def _column(header: tuple[str, ...], names: tuple[str, ...], skip: set[int]) -> int | None:
    words = [" ".join(re.sub(r"[^\w]+", " ", h.lower()).split()) for h in header]
    for i, w in enumerate(words):
        if i not in skip and (w in names or any(f" {n} " in f" {w} " for n in names if len(n) > 2)):
            return i
    return None


def _timeline_table(draft: Draft, block: Block, ctx: Context) -> set[int]:
    time_col = _column(block.header, _TIME_WORDS, set())
    date_col = _column(block.header, ("date", "day"), {time_col} if time_col is not None else set())
    skip = {c for c in (time_col, date_col) if c is not None}
    event_col = _column(block.header, _EVENT_WORDS, skip)
    if event_col is None:
        event_col = next((i for i in range(len(block.header)) if i not in skip), None)
    if time_col is None or event_col is None:
        return set()
    used = set()
    for line_no, cells in block.rows:
        def cell(i: int | None, cells: tuple[str, ...] = cells) -> str:
            return cells[i] if i is not None and i < len(cells) else ""
        when = f"{cell(date_col)} {cell(time_col)}".strip() if date_col is not None else cell(time_col)
        extra = [f"{block.header[i]}: {c}" for i, c in enumerate(cells)
                 if i not in skip | {event_col} and c.strip() and i < len(block.header)]
        stamp = times.read_stamp(when, ctx.default_year)
        if stamp and stamp.rest:
            extra.insert(0, stamp.rest)  # "10:16 (approx.)": the words after the time stay with the event
        text = cell(event_col) + (f" ({'; '.join(extra)})" if extra else "")
        if stamp and _add_event(draft, stamp, text or when, line_no, ctx):
            used.add(line_no)
    if used:
        used.update(range(block.start, block.start + 2))  # the header row and its --- line
    return used
