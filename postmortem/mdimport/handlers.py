"""One handler per Debrief section: each takes a heading section's blocks into the draft and returns
the lines it used. The importer keeps every other non-blank line in the appendix."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta, tzinfo

from postmortem.mdimport import actions, metadata, times
from postmortem.mdimport.blocks import Block, Parsed, Section
from postmortem.mdimport.draft import URL, Draft

_SEPARATOR = re.compile(r"[\s|:-]*")  # a table's |---|---| line
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_URL = re.compile(r"https?://[^\s)>\]]+")
_TIME_WORDS = ("time", "timestamp", "when", "date", "datetime", "date time", "utc", "at", "clock")
_EVENT_WORDS = ("event", "events", "what happened", "description", "action", "details", "what", "activity", "notes")


@dataclass
class Context:
    """What carries from one section to the next: the day and zone of the timeline so far."""

    parsed: Parsed
    tz: tzinfo
    day: date | None
    default_year: int | None
    day_guessed: bool = False  # the day is the first date found in the text, not one the author gave
    zone_of_section: tzinfo | None = None
    last_event: int | None = None
    last_clock: time | None = None
    used: set[int] = field(default_factory=set)


def _lines(parsed: Parsed, block: Block) -> range:
    return range(block.start, block.end)


def _text(parsed: Parsed, block: Block) -> str:
    return "\n".join(parsed.lines[block.start:block.end]).strip()


def _content_blocks(section: Section) -> list[Block]:
    return [b for b in section.blocks if b.kind != "title"]


# --- Prose: summary, impact, root cause -------------------------------------------------------


def prose(target: str, label: str = "") -> Callable[[Draft, Section, Context], set[int]]:
    def handle(draft: Draft, section: Section, ctx: Context) -> set[int]:
        blocks = _content_blocks(section)
        if not blocks:
            return set()
        body = "\n\n".join(_text(ctx.parsed, b) for b in blocks)
        getattr(draft, target).append(f"{label}:\n{body}" if label else body)
        return {i for b in blocks for i in _lines(ctx.parsed, b)}
    return handle


# --- Notes: went well, went wrong, lucky, lessons, contributing factors ------------------------


def notes(target: str) -> Callable[[Draft, Section, Context], set[int]]:
    def handle(draft: Draft, section: Section, ctx: Context) -> set[int]:
        used: set[int] = set()
        for block in _content_blocks(section):
            if block.kind == "list":
                for item in block.items:
                    draft.note(target, item.text)
            elif block.kind == "table":
                for _, cells in block.rows:
                    draft.note(target, " | ".join(c for c in cells if c))
                if block.header:
                    draft.note(target, " | ".join(c for c in block.header if c))
            elif block.kind != "rule":
                draft.note(target, _text(ctx.parsed, block))
            used.update(_lines(ctx.parsed, block))
        return used
    return handle


# --- Timeline -----------------------------------------------------------------------------------


def timeline(draft: Draft, section: Section, ctx: Context) -> set[int]:
    heading_day = times.find_date(section.heading, ctx.default_year)
    if heading_day:
        ctx.day, ctx.last_clock, ctx.day_guessed = heading_day, None, False
    ctx.zone_of_section = times.zone_hint(section.heading) or ctx.zone_of_section
    used: set[int] = set()
    for block in _content_blocks(section):
        if block.kind == "table":
            used |= _timeline_table(draft, block, ctx)
        elif block.kind == "list":
            for item in block.items:
                if _timeline_line(draft, item.text, item.start, ctx):
                    used.update(range(item.start, item.end))
        else:
            for i in _lines(ctx.parsed, block):
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


# --- Action items and links ----------------------------------------------------------------------


def action_items(draft: Draft, section: Section, ctx: Context) -> set[int]:
    used: set[int] = set()
    for block in _content_blocks(section):
        if block.kind == "table":
            used |= _action_table(draft, block, ctx)
        elif block.kind == "list":
            for item in block.items:
                draft.actions.append(actions.from_bullet(item.text, item.checked, ctx.default_year))
                used.update(range(item.start, item.end))
    return used


def _action_table(draft: Draft, block: Block, ctx: Context) -> set[int]:
    roles = actions.column_roles(block.header)
    used = set()
    lossless = all(roles) and len(roles) >= len(block.header)
    for line_no, cells in block.rows:
        item, understood = actions.from_row(roles, cells, ctx.default_year)
        lossless = lossless and understood
        if item:
            draft.actions.append(item)
            used.add(line_no)
    if used and lossless:
        used.update(range(block.start, block.start + 2))
    elif used:
        # A column we have no field for, or a value we could not read (due "next sprint"): keep the
        # whole table as written too, so none of it is lost.
        draft.warnings.append(f"The action-item table on line {block.start + 1} has columns or values Debrief "
                              "could not take into fields; the table is also kept in the appendix.")
        used.clear()
    return used


def links(draft: Draft, section: Section, ctx: Context) -> set[int]:
    used: set[int] = set()
    for block in _content_blocks(section):
        if block.kind != "list":
            continue
        for item in block.items:
            found = _URL.search(item.text)
            if found and len(found.group(0)) <= URL and "\n" not in item.text:
                label = (item.text[:found.start()] + item.text[found.end():]).strip(" -–—:,()[]")
                draft.links.append((label, found.group(0)))
                used.update(range(item.start, item.end))
    return used


# --- Header details ------------------------------------------------------------------------------


def header(draft: Draft, section: Section, ctx: Context, any_key: bool = True) -> set[int]:
    """Key: value lines and two-column tables; returns the lines whose every word is stored."""
    pairs, used = metadata.pairs_in(ctx.parsed.lines, section.start, section.end, any_key)
    for block in _content_blocks(section):
        if block.kind == "table" and len(block.header) == 2:
            table = metadata.table_pairs(block.header, block.rows, block.start)
            if any_key or any(metadata.known(p.key) for p in table):
                pairs += table
                used.update(_lines(ctx.parsed, block))
    stored: set[int] = set()
    for pair in pairs:
        if metadata.apply(draft, pair):
            stored.update(pair.lines)
    kept = [i for i in sorted(used - stored) if not _SEPARATOR.fullmatch(ctx.parsed.lines[i])]
    if kept:
        draft.keep("Metadata", "\n".join(ctx.parsed.lines[i] for i in kept))
    return used


def appendix(draft: Draft, section: Section, ctx: Context) -> set[int]:
    return set()  # the importer keeps every line left over, under the section's heading


def handler_for(target: str, label: str = "") -> Callable[[Draft, Section, Context], set[int]]:
    if target in ("summary", "impact", "root_cause"):
        return prose(target, label)
    if target in ("went_well", "went_wrong", "lucky", "lessons", "factors"):
        return notes(target)
    return {"timeline": timeline, "action_items": action_items, "links": links, "header": header,
            "appendix": appendix, "ignore": appendix}[target]
