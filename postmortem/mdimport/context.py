"""What the section handlers share: the parsed document, the timeline's running day and zone, and
small views of a section's blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, tzinfo

from postmortem.mdimport.blocks import Block, Parsed, Section


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
    day_line: int | None = None  # the line of the last date line, whose next line may be its event
    zone_written: str = ""  # the zone as an 'All times in CET' line wrote it, to check it against the season
    season_warned: bool = False
    stated_day: date | None = None  # 'unless otherwise noted all events happened on DAY'


def lines_of(parsed: Parsed, block: Block) -> range:
    return range(block.start, block.end)


def text_of(parsed: Parsed, block: Block) -> str:
    return "\n".join(parsed.lines[block.start : block.end]).strip()


def content_blocks(section: Section) -> list[Block]:
    return [b for b in section.blocks if b.kind != "title"]
