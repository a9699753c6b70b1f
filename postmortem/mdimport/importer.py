"""A post-mortem written elsewhere in Markdown → a Debrief draft, the mapping that produced it, and
what the author should look at before storing it. Pure: text in, result out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath

from pydantic import ValidationError

from postmortem import language
from postmortem.mdimport import (
    blocks,
    footnotes,
    handlers,
    headings,
    kinds,
    metadata,
    pictures,
    references,
    times,
    window,
)
from postmortem.mdimport.blocks import Parsed, Section
from postmortem.mdimport.draft import Draft, to_postmortem
from postmortem.models import PostMortem

PLACEHOLDER_ID = "IMPORTED"  # stands in until the author picks the real incident ID
PREAMBLE = "(text before the first heading)"
PROVENANCE = "How this document was imported"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_LABEL_LINE = re.compile(r"^[^\n]{1,80}:\n")  # "Resolution and recovery:" above a section's text
_PERSON = re.compile(r"^[A-Z][a-z]+(?: [A-Z][a-z'-]+)+$")


@dataclass(frozen=True)
class SectionMapping:
    index: int
    heading: str
    level: int
    line: int  # 1-based line of the heading
    lines: int  # non-blank lines under it
    target: str
    confidence: float
    reason: str
    suggested: str  # what the importer chose before the author changed anything


@dataclass(frozen=True)
class ImportResult:
    doc: PostMortem
    mapping: tuple[SectionMapping, ...]
    warnings: tuple[str, ...]
    findings: tuple[language.Finding, ...]
    source_incident_id: str  # an ID written in the document, when it is a usable one
    times_found: tuple[window.FoundTime, ...] = ()  # header times read from sentences, with the sentence

    def counts(self) -> dict[str, int]:
        doc = self.doc
        return {
            "timeline events": len(doc.timeline),
            "action items": len(doc.action_items),
            "lessons": len(doc.lessons) + len(doc.where_we_got_lucky),
            "went well": len(doc.went_well),
            "went wrong": len(doc.went_wrong),
            "contributing factors": len(doc.contributing_factors),
            "unmapped headings": sum(
                1 for m in self.mapping if m.index and m.target in headings.KEPT_AS_WRITTEN
            ),
        }


def import_markdown(
    text: str,
    *,
    incident_id: str = PLACEHOLDER_ID,
    tz: str = "UTC",
    targets: Mapping[int, str] | None = None,
    name: str = "",
) -> ImportResult:
    """Import one Markdown document. `targets` overrides the section chosen for a heading (by the
    mapping's index); `tz` is the zone of times written without one. Raises ValueError for an
    unknown zone only: any text imports."""
    zone = times.zone(tz)
    # Footnotes first: a note may hold a reference link ("[^p]: [PuTTY][putty] is…") to write out next.
    inlined = references.inline_references(footnotes.inline_footnotes(text))
    parsed = blocks.parse(inlined, headings.is_section_name)
    draft = Draft(title=parsed.title)
    _front_matter(draft, parsed)
    mapping = _mapping(parsed, targets or {})
    ctx = handlers.Context(parsed, zone, None, None)
    for section, mapped in zip(parsed.sections, mapping, strict=True):
        if section.index == 1 or (section.index == 0 and len(parsed.sections) == 1):
            _start_timeline(draft, ctx, text)
        _import_section(draft, section, mapped, ctx)
    if not ctx.day:
        _start_timeline(draft, ctx, text)
    draft.title = draft.title or PurePath(name).stem.replace("_", " ").replace("-", " ").strip()
    _read_times(draft, ctx)
    _read_kind(draft)
    _warn_about_mapping(draft, mapping)
    draft.keep(PROVENANCE, _provenance(mapping))
    doc = to_postmortem(draft, incident_id)
    doc = doc.model_copy(update={"links": [*doc.links, *pictures.picture_links(inlined, doc.links)]})
    findings = _findings(doc)
    warnings = draft.warnings + _name_warnings(findings)
    source_id = draft.incident_id.strip() if _ID.match(draft.incident_id.strip()) else ""
    return ImportResult(
        doc, tuple(mapping), tuple(dict.fromkeys(warnings)), tuple(findings), source_id, tuple(draft.times)
    )


def with_incident_id(doc: PostMortem, incident_id: str) -> PostMortem:
    """The imported draft under the ID the author chose (validated: ValueError when it is not usable)."""
    data = doc.model_dump()
    data["header"]["incident_id"] = incident_id.strip()
    try:
        return PostMortem.model_validate(data)
    except ValidationError as exc:
        raise ValueError(
            f"'{incident_id}' cannot be an incident ID: use letters, digits, dots, dashes and "
            "underscores, starting with a letter or digit."
        ) from exc


# --- Mapping headings to sections -------------------------------------------------------------


def _mapping(parsed: Parsed, chosen: Mapping[int, str]) -> list[SectionMapping]:
    has_summary = any(
        m and m.target == "summary" and not m.label
        for m in (headings.match(s.heading) for s in parsed.sections[1:])
    )
    out: list[SectionMapping] = []
    for section in parsed.sections:
        target, confidence, reason = _suggest(section, out, has_summary)
        suggested = target
        if chosen.get(section.index) in headings.TARGETS and chosen[section.index] != target:
            target, confidence, reason = chosen[section.index], 1.0, "chosen by you"
        title = {i for b in section.blocks if b.kind == "title" for i in range(b.start, b.end)}
        count = sum(
            1 for i in range(section.start, section.end) if parsed.lines[i].strip() and i not in title
        )
        out.append(
            SectionMapping(
                section.index,
                section.heading or PREAMBLE,
                section.level,
                section.line + 1,
                count,
                target,
                confidence,
                reason,
                suggested,
            )
        )
    return out


def _suggest(section: Section, before: list[SectionMapping], has_summary: bool) -> tuple[str, float, str]:
    if section.index == 0:
        if has_summary:
            return "header", 0.6, "details such as Date: or Severity: above the first heading"
        return "summary", 0.5, "the text before the first heading usually sums the incident up"
    found = headings.match(section.heading)
    if found:
        return found.target, found.confidence, found.reason
    if section.parent is not None:
        parent = before[section.parent]
        return parent.target, round(parent.confidence * 0.8, 2), f"inside '{parent.heading}'"
    return headings.APPENDIX, 0.0, "no section name is close; kept as written"


# --- Importing each section -------------------------------------------------------------------


def _front_matter(draft: Draft, parsed: Parsed) -> None:
    if parsed.front_matter is None:
        return
    start, end = parsed.front_matter
    pairs = metadata.front_matter_pairs(parsed.lines, start, end)
    stored = {line for pair in pairs if metadata.apply(draft, pair) for line in pair.lines}
    kept = [parsed.lines[i] for i in range(start, end) if i not in stored and parsed.lines[i].strip()]
    if kept:
        draft.keep("Front matter", "\n".join(kept))


def _start_timeline(draft: Draft, ctx: handlers.Context, text: str) -> None:
    """The day of times written without one: the document's Date, else the first date in it."""
    if ctx.day:
        return
    ctx.day = draft.incident_date or times.find_date(text)
    ctx.default_year = ctx.day.year if ctx.day else None
    ctx.day_guessed = bool(ctx.day and not draft.incident_date)


def _read_times(draft: Draft, ctx: handlers.Context) -> None:
    """Header times from the summary and impact prose. A sentence's time without a date takes the
    date the document states (Date: line or title), never one guessed from elsewhere in the text."""
    day = draft.incident_date or times.find_date(draft.title, ctx.default_year)
    year = day.year if day else (draft.timeline[0][0].year if draft.timeline else ctx.default_year)
    parts = [(_LABEL_LINE.sub("", text), i == 0) for i, text in enumerate(draft.summary)]
    parts += [(_LABEL_LINE.sub("", text), False) for text in draft.impact]
    said = window.read(parts, day, year, ctx.tz, window.stated(draft.stated_times, day, year, ctx.tz))
    # a moment the prose does not give may be named by a timeline entry ("Start of incident.")
    draft.times = said + [
        m
        for m in window.milestones(draft.timeline, draft.timeline_rough)
        if m.field not in {f.field for f in said}
    ]


def _read_kind(draft: Draft) -> None:
    draft.trigger = kinds.kind_of(draft.title, *draft.tags)
    if draft.trigger and not draft.what_to_do:
        draft.warnings.append(
            f"Read as a {draft.trigger.value} incident from its title or tags. The public report "
            "asks such incidents for what customers should do; the source has no section for it, "
            "so write it on the Export step."
        )


def _label(section: Section, mapped: SectionMapping) -> str:
    found = headings.match(section.heading)
    exact = (
        found is not None and found.confidence == 1.0 and not found.label and found.target == mapped.target
    )
    return "" if exact or section.index == 0 else headings.display(section.heading)


def _import_section(draft: Draft, section: Section, mapped: SectionMapping, ctx: handlers.Context) -> None:
    used = {i for b in section.blocks if b.kind == "title" for i in range(b.start, b.end)}
    if section.index == 0 and mapped.target in ("summary", "header"):
        used |= handlers.header(draft, section, ctx, any_key=False)
        section = _without(section, used)
        if mapped.target == "summary":
            used |= handlers.prose("summary")(draft, section, ctx)
    else:
        used |= handlers.handler_for(mapped.target, _label(section, mapped))(draft, section, ctx)
    left = [
        ctx.parsed.lines[i]
        for i in range(section.start, section.end)
        if i not in used and ctx.parsed.lines[i].strip()
    ]
    if left:
        heading = section.heading or PREAMBLE
        suffix = {headings.APPENDIX: "", headings.IGNORE: " (ignored on import)"}.get(
            mapped.target, " (not imported)"
        )
        draft.keep(heading + suffix, "\n".join(left))


def _without(section: Section, used: set[int]) -> Section:
    """The section minus blocks whose lines were all used (the key: value lines above the first heading)."""
    kept = [b for b in section.blocks if b.kind != "title" and not set(range(b.start, b.end)) <= used]
    return Section(
        section.index,
        section.heading,
        section.level,
        section.line,
        section.start,
        section.end,
        [_trimmed(b, used) for b in kept],
        section.parent,
    )


def _trimmed(block: blocks.Block, used: set[int]) -> blocks.Block:
    """A paragraph whose first lines were key: value pairs keeps only the lines after them."""
    start = block.start
    while start < block.end and start in used:
        start += 1
    return blocks.Block(block.kind, start, block.end, block.items, block.header, block.rows)


def _warn_about_mapping(draft: Draft, mapping: list[SectionMapping]) -> None:
    named = [m for m in mapping if m.index]
    if not named or all(m.target in headings.KEPT_AS_WRITTEN for m in named):
        draft.warnings.append(
            "No section headings were recognised. The text is kept as written; choose a "
            "section for each part in the mapping table."
        )


def _provenance(mapping: list[SectionMapping]) -> str:
    return "\n".join(
        f"Line {m.line}: '{m.heading}' → {headings.TARGETS[m.target]} ({m.reason})"
        for m in mapping
        if m.lines or m.index
    )


# --- Checks over the result -------------------------------------------------------------------


def _findings(doc: PostMortem) -> list[language.Finding]:
    """The same check the wizard runs (imported text included), with action owners counted as names."""
    owners = sorted({item.owner for item in doc.action_items if _PERSON.match(item.owner)})
    return language.check(doc, extra_names=owners)


def _name_warnings(findings: list[language.Finding]) -> list[str]:
    return [
        f"A name in the narrative: '{f.text}' ({f.path}). The contacts table is the place for names."
        for f in findings
        if f.category == "names"
    ]
