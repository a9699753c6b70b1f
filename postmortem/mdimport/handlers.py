"""One handler per Debrief section: each takes a heading section's blocks into the draft and returns
the lines it used. The importer keeps every other non-blank line in the appendix. The timeline's
handler is in postmortem/mdimport/timeline.py."""

from __future__ import annotations

import re
from collections.abc import Callable

from postmortem.mdimport import actions, metadata
from postmortem.mdimport.blocks import Block, Section
from postmortem.mdimport.context import Context, content_blocks, lines_of, text_of
from postmortem.mdimport.draft import URL, Draft
from postmortem.mdimport.timeline import timeline

__all__ = ["Context", "handler_for", "header", "prose"]

_SEPARATOR = re.compile(r"[\s|:-]*")  # a table's |---|---| line
_URL = re.compile(r"https?://[^\s)>\]]+")


# --- Prose: summary, impact, root cause -------------------------------------------------------


def prose(target: str, label: str = "") -> Callable[[Draft, Section, Context], set[int]]:
    def handle(draft: Draft, section: Section, ctx: Context) -> set[int]:
        blocks = content_blocks(section)
        if not blocks:
            return set()
        body = "\n\n".join(text_of(ctx.parsed, b) for b in blocks)
        getattr(draft, target).append(f"{label}:\n{body}" if label else body)
        return {i for b in blocks for i in lines_of(ctx.parsed, b)}

    return handle


# --- Notes: went well, went wrong, lucky, lessons, contributing factors ------------------------

# "Action point: …" among lessons or what went wrong: the author marked it as something to do.
_ACTION_LABEL = re.compile(
    r"[\W_]*(?:action\s+(?:point|item)s?|action|to\s?do|follow[-\s]?up)\s*[:–—]\s*(?=\S)", re.IGNORECASE
)


def notes(target: str, group: str = "") -> Callable[[Draft, Section, Context], set[int]]:
    """Each list item, table row or paragraph a note; a sub-heading ("Reflections on external
    collaboration" under "Lessons learned") becomes the notes' group, so its words stay."""

    def handle(draft: Draft, section: Section, ctx: Context) -> set[int]:
        used: set[int] = set()

        def note_or_action(text: str, checked: bool | None = None) -> None:
            if labelled := _ACTION_LABEL.match(text):
                rest = text[labelled.end() :]
                title = rest[:1].upper() + rest[1:]
                draft.actions.append(actions.from_bullet(title, checked, ctx.default_year))
            else:
                draft.note(target, text, group)

        for block in content_blocks(section):
            if block.kind == "list":
                for item in block.items:
                    note_or_action(item.text, item.checked)
            elif block.kind == "table":
                for _, cells in block.rows:
                    draft.note(target, " | ".join(c for c in cells if c), group)
                if block.header:
                    draft.note(target, " | ".join(c for c in block.header if c), group)
            elif block.kind == "paragraph":
                note_or_action(text_of(ctx.parsed, block))
            elif block.kind != "rule":
                draft.note(target, text_of(ctx.parsed, block), group)
            used.update(lines_of(ctx.parsed, block))
        return used

    return handle


# --- Action items and links ----------------------------------------------------------------------


_DONE_HEADING = re.compile(r"\b(?:done|completed?|finished|shipped)\b|✅", re.IGNORECASE)


def action_items(draft: Draft, section: Section, ctx: Context) -> set[int]:
    """Tables, lists (one item per top-level entry, sub-bullets in its details) and paragraphs; under
    a heading such as 'Completed' or 'Short-term (done)' every item starts as done."""
    done = True if _DONE_HEADING.search(section.heading) else None
    used: set[int] = set()
    for block in content_blocks(section):
        if block.kind == "table":
            used |= _action_table(draft, block, ctx)
        elif block.kind == "list" and _indented_under_previous(draft, block, used, ctx):
            used.update(lines_of(ctx.parsed, block))
        elif block.kind == "list":
            for item in block.items:
                checked = item.checked if item.checked is not None else done
                draft.actions.append(actions.from_bullet(item.text, checked, ctx.default_year))
                used.update(range(item.start, item.end))
        elif block.kind == "paragraph":
            lines = [ctx.parsed.lines[i] for i in lines_of(ctx.parsed, block)]
            if _listed(section, ctx) and not actions.starts_like_action(lines[0]):
                continue  # a remark beside the listed items ("The primary cause is…"), kept as written
            for text in actions.paragraph_items(lines):
                draft.actions.append(actions.from_bullet(text, done, ctx.default_year))
            used.update(lines_of(ctx.parsed, block))
    return used


def _listed(section: Section, ctx: Context) -> bool:
    """Whether the section, or a section under it, lists its items (a list or a table): then its
    paragraphs are remarks about them, not items of their own."""
    if any(b.kind in ("list", "table") for b in section.blocks):
        return True
    return any(_listed(s, ctx) for s in ctx.parsed.sections if s.parent == section.index)


def _indented_under_previous(draft: Draft, block: Block, used: set[int], ctx: Context) -> bool:
    """'10. Fix X' then '   - detail' indented too little to nest in Markdown (an item numbered 10 and
    up needs four spaces): the author meant sub-bullets of the item above, so they join its details."""
    lines = ctx.parsed.lines
    above = next((i for i in range(block.start - 1, -1, -1) if lines[i].strip()), None)
    if not draft.actions or not lines[block.start][:1].isspace() or above not in used:
        return False
    item = draft.actions[-1]
    own = "\n".join(lines[i].strip() for i in range(block.start, block.end) if lines[i].strip())
    item.details = f"{item.details}\n{own}".strip()
    return True


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
        draft.warnings.append(
            f"The action-item table on line {block.start + 1} has columns or values Debrief "
            "could not take into fields; the table is also kept in the appendix."
        )
        used.clear()
    return used


def links(draft: Draft, section: Section, ctx: Context) -> set[int]:
    used: set[int] = set()
    for block in content_blocks(section):
        if block.kind != "list":
            continue
        for item in block.items:
            found = _URL.search(item.text)
            if found and len(found.group(0)) <= URL and "\n" not in item.text:
                label = (item.text[: found.start()] + item.text[found.end() :]).strip(" -–—:,()[]")
                draft.links.append((label, found.group(0)))
                used.update(range(item.start, item.end))
    return used


# --- People and teams ----------------------------------------------------------------------------

_PERSON_LINE = re.compile(r"^(?P<name>[^:]{1,60}?)\s*:\s*(?P<role>.+)$")
_NAME_LIST = re.compile(r"^[\w@.' -]{1,40}(?:\s*[,;]\s*[\w@.' -]{1,40})*$")


def contacts(draft: Draft, section: Section, ctx: Context) -> set[int]:
    """An attendee list: 'AF, AN, EC' or one name per bullet, or 'Data Layer team: who they are'.
    Names go to the contacts table; a line that reads as a sentence stays in the appendix."""
    used: set[int] = set()
    for block in content_blocks(section):
        if block.kind == "list":
            entries = [(item.text, range(item.start, item.end)) for item in block.items]
        elif block.kind == "paragraph":
            entries = [(ctx.parsed.lines[i], range(i, i + 1)) for i in lines_of(ctx.parsed, block)]
        else:
            continue
        for text, lines in entries:
            if _contact_entry(draft, " ".join(text.replace("**", "").replace("__", "").split())):
                used.update(lines)
    return used


def _is_team(name: str) -> bool:
    """'IPS team', 'AWS': a group rather than a person (two capitals are usually someone's initials)."""
    return "team" in name.lower().split() or (name.isupper() and len(name) >= 3)


def _contact_entry(draft: Draft, text: str) -> bool:
    described = _PERSON_LINE.match(text)
    if described and len(described.group("name").split()) <= 5:
        name = described.group("name").strip()
        draft.people.append((name, described.group("role").strip(), _is_team(name)))
        return True
    if text and _NAME_LIST.match(text):
        names = [n.strip().lstrip("@") for n in re.split(r"[,;]", text) if n.strip()]
        if all(len(n.split()) <= 4 for n in names):
            draft.people += [(n, "involved in the incident", False) for n in names]
            return True
    return False


# --- Header details ------------------------------------------------------------------------------


def header(draft: Draft, section: Section, ctx: Context, any_key: bool = True) -> set[int]:
    """Key: value lines and two-column tables; returns the lines whose every word is stored."""
    pairs, used = metadata.pairs_in(ctx.parsed.lines, section.start, section.end, any_key)
    # "memory: [0, 1]" inside a code block is the example's text, not a detail of the incident.
    code = {i for b in content_blocks(section) if b.kind in ("code", "html") for i in lines_of(ctx.parsed, b)}
    pairs = [p for p in pairs if code.isdisjoint(p.lines)]
    used -= code
    for block in content_blocks(section):
        if block.kind == "table" and len(block.header) == 2:
            table = metadata.table_pairs(block.header, block.rows, block.start)
            if any_key or any(metadata.known(p.key) for p in table):
                pairs += table
                used.update(lines_of(ctx.parsed, block))
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
    if target in ("summary", "impact", "root_cause", "what_to_do"):
        return prose(target, label)
    if target in ("went_well", "went_wrong", "lucky", "lessons", "factors"):
        return notes(target, label)
    return {
        "timeline": timeline,
        "action_items": action_items,
        "links": links,
        "header": header,
        "contacts": contacts,
        "appendix": appendix,
        "ignore": appendix,
    }[target]
