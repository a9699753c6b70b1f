"""Markdown from anywhere, cut into heading sections of blocks that keep their source lines.

markdown-it-py finds the structure (headings, lists, tables, code); the text we keep is always the
author's own source lines, so nothing the parser does not model (link definitions, HTML, odd
syntax) can go missing: every line belongs to exactly one section, and the importer keeps any
line a section's handler did not use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

# Only the block structure is needed (the text kept is the source's own lines), so inline parsing,
# most of markdown-it's work, is switched off; headings and table cells keep their raw content.
_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table").disable(["inline", "text_join"])
_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_CHECKBOX = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")
_FRONT_END = {"---", "..."}
_PSEUDO_BOLD = re.compile(r"^(\*\*|__)(?P<text>[^*_\n]{2,60}?):?(\*\*|__):?\s*$")
_PSEUDO_COLON = re.compile(r"^(?P<text>[A-Za-z][\w &/()',-]{1,50}):\s*$")
PSEUDO_LEVEL = 7  # below every real heading, so "**Timeline**" nests under "## Details"


@dataclass(frozen=True)
class Item:
    """One list item: its lines, its text without the marker, and a checkbox if it had one."""

    start: int
    end: int
    text: str
    checked: bool | None = None


@dataclass(frozen=True)
class Block:
    kind: str  # paragraph, list, table, code, html, quote, rule
    start: int
    end: int
    items: tuple[Item, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (line, cells) per body row


@dataclass
class Section:
    index: int
    heading: str  # plain text of the heading; "" for the text before the first heading
    level: int  # 0 for that text, 1-6 for real headings, PSEUDO_LEVEL for a bold line used as one
    line: int  # 0-based line of the heading (the first body line for the preamble)
    start: int  # body lines [start, end)
    end: int
    blocks: list[Block] = field(default_factory=list)
    parent: int | None = None


@dataclass
class Parsed:
    lines: list[str]
    front_matter: tuple[int, int] | None  # lines [start, end) between the fences
    title: str
    title_line: int | None
    sections: list[Section]


_IMG = re.compile(r"<img\b(?P<attrs>[^<>\n]*)/?>", re.IGNORECASE)
_ATTR = re.compile(
    r"""\b(?P<name>src|alt)\s*=\s*(?:"(?P<q>[^"]*)"|'(?P<s>[^']*)'|(?P<bare>[^\s"'>]+))""", re.IGNORECASE
)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _markdown_image(tag: re.Match) -> str:
    """`<img src=… alt=…>` as the Markdown image it stands for: the fields hold Markdown, never HTML."""
    attrs = {
        m.group("name").lower(): m.group("q") or m.group("s") or m.group("bare") or ""
        for m in _ATTR.finditer(tag.group("attrs"))
    }
    if not attrs.get("src"):
        return tag.group(0)
    alt = attrs.get("alt", "").replace("[", "(").replace("]", ")")
    return f"![{alt}]({attrs['src'].replace(' ', '%20').replace(')', '%29')})"


_DEFINITION = re.compile(
    r"^ {0,3}\[(?P<label>[^\]^][^\]]{0,200})\]:\s*<?(?P<url>[^\s>]+)>?"
    r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*$"""
)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def _label(text: str) -> str:
    return " ".join(text.lower().split())


def _inline_references(lines: list[str]) -> list[str]:
    """'[the fix][fix]' with '[fix]: https://…' further down becomes '[the fix](https://…)': each
    section lands in its own field, away from the definitions at the end of the document, and a
    field's link must still work there. Code is left as written."""
    urls = {_label(m.group("label")): m.group("url") for line in lines if (m := _DEFINITION.match(line))}
    if not urls:
        return lines
    reference = re.compile(r"(?<![\]\\])\[(?P<text>[^\[\]\n]+)\](?:\[(?P<label>[^\[\]\n]*)\]|(?!\())")

    def link(found: re.Match) -> str:
        label = _label(found.group("label") or found.group("text"))
        return f"[{found.group('text')}]({urls[label]})" if label in urls else found.group(0)

    out, fenced = [], False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or _DEFINITION.match(line):
            out.append(line)
            continue
        parts = line.split("`")  # odd parts are inside code spans
        out.append(
            "`".join(reference.sub(link, part) if i % 2 == 0 else part for i, part in enumerate(parts))
        )
    return out


def normalise(text: str) -> str:
    """The text markdown-it sees, line for line: no byte order mark, one newline style, no NUL (it
    becomes U+FFFD), `<img>` tags as Markdown images and reference links written inline."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    return "\n".join(_inline_references(_IMG.sub(_markdown_image, text).split("\n")))


def _front_matter(lines: list[str]) -> tuple[int, int] | None:
    """YAML (---) or TOML (+++, as Hugo and Zola sites write it) front matter: lines [start, end)."""
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        return None
    ends = _FRONT_END if fence == "---" else {"+++"}
    for i in range(1, min(len(lines), 200)):
        if lines[i].strip() in ends:
            return (1, i)
    return None


def plain_heading(text: str) -> str:
    """A heading's text without emphasis marks and code ticks, whitespace folded (links stay whole)."""
    return " ".join(re.sub(r"(?<!\w)[*_]+|[*_]+(?!\w)|`+", " ", text).split())


def _item(lines: list[str], node: SyntaxTreeNode) -> Item:
    start, end = node.map
    body = lines[start:end]
    while body and not body[-1].strip():
        body.pop()
    first = _MARKER.sub("", body[0], count=1) if body else ""
    checked = None
    box = _CHECKBOX.match(first)
    if box:
        checked = box.group(1) != " "
        first = first[box.end() :]
    text = "\n".join([first.strip(), *(line.strip() for line in body[1:])]).strip()
    return Item(start, start + max(len(body), 1), text, checked)


def _cells(row: SyntaxTreeNode) -> tuple[str, ...]:
    """A row's cells; a `<br>` inside a cell (the only way to break a line in a table) becomes a newline."""
    return tuple(
        _BREAK.sub("\n", cell.children[0].content).strip() if cell.children else "" for cell in row.children
    )


def _table(node: SyntaxTreeNode) -> Block:
    header: tuple[str, ...] = ()
    rows = []
    for part in node.children:
        for row in part.children:
            if part.type == "thead":
                header = _cells(row)
            else:
                rows.append((row.map[0], _cells(row)))
    return Block("table", node.map[0], node.map[1], header=header, rows=tuple(rows))


_KINDS = {
    "paragraph": "paragraph",
    "bullet_list": "list",
    "ordered_list": "list",
    "table": "table",
    "fence": "code",
    "code_block": "code",
    "html_block": "html",
    "blockquote": "quote",
    "hr": "rule",
}


def _block(lines: list[str], node: SyntaxTreeNode) -> Block:
    kind = _KINDS.get(node.type, "paragraph")
    if kind == "list":
        items = tuple(_item(lines, child) for child in node.children if child.map)
        return Block("list", node.map[0], node.map[1], items=items)
    if kind == "table":
        return _table(node)
    return Block(kind, node.map[0], node.map[1])


def _pseudo_heading(lines: list[str], node: SyntaxTreeNode) -> str | None:
    """A paragraph's first line such as "**Action items**" or "Timeline:", which wikis use as headings."""
    if node.type != "paragraph":
        return None
    line = lines[node.map[0]].strip()
    match = _PSEUDO_BOLD.match(line) or _PSEUDO_COLON.match(line)
    return plain_heading(match.group("text")) if match else None


def parse(text: str, is_heading=lambda words, exact=False: False) -> Parsed:
    """Sections of the document; `is_heading(words, exact)` says whether a bold line (or, exactly, a
    first H1) names a section rather than the document."""
    lines = normalise(text).split("\n")
    front = _front_matter(lines)
    source = lines if front is None else [""] * (front[1] + 1) + lines[front[1] + 1 :]
    nodes = [n for n in SyntaxTreeNode(_PARSER.parse("\n".join(source))).children if n.map]
    title, title_line = "", None
    preamble_start = front[1] + 1 if front else 0
    sections = [Section(0, "", 0, preamble_start, preamble_start, len(lines))]
    for node in nodes:
        heading, level = None, 0
        if node.type == "heading":
            heading, level = (
                plain_heading(node.children[0].content if node.children else ""),
                int(node.tag[1]),
            )
        else:
            words = _pseudo_heading(lines, node)
            if words and is_heading(words):
                heading, level = words, PSEUDO_LEVEL
        if heading is None:
            sections[-1].blocks.append(_block(lines, node))
            continue
        if level == 1 and not title and not is_heading(heading, exact=True):
            title, title_line = heading, node.map[0]
            sections[-1].blocks.append(Block("title", node.map[0], node.map[1]))
            continue
        sections[-1].end = node.map[0]
        body = node.map[1] if level < PSEUDO_LEVEL else node.map[0] + 1
        sections.append(Section(len(sections), heading, level, node.map[0], body, len(lines)))
        if body < node.map[1]:  # "**Impact:**" with its text on the next lines of the same paragraph
            sections[-1].blocks.append(Block("paragraph", body, node.map[1]))
    _link_parents(sections)
    return Parsed(lines, front, title, title_line, sections)


def _link_parents(sections: list[Section]) -> None:
    stack: list[Section] = []
    for section in sections[1:]:
        while stack and stack[-1].level >= section.level:
            stack.pop()
        section.parent = stack[-1].index if stack else None
        stack.append(section)
