"""Markdown to WordprocessingML: the blocks of a document as Word paragraphs, runs, lists and tables.

The Markdown is read by the one parser (exports.mdtext), so Word shows what the app and the Markdown show:
bold, italic, strikethrough and code as run formatting, lists in Word's list styles, block quotes in the
Quote style, code blocks line for line (spaces and tabs kept, so a command copied out of Word runs as
written) and every link and image address as a clickable `w:hyperlink`. Tables come back as `Table` and
code blocks as `Code`, for the page layout (exports.docx) to place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from markdown_it.tree import SyntaxTreeNode

from exports.mdtext import CHECKBOXES, parser

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
BREAK = "<w:r><w:br/></w:r>"


def clean(text: str) -> str:
    """Text Word accepts: characters XML 1.0 cannot hold are dropped."""
    return _XML_ILLEGAL.sub("", text)


@dataclass(frozen=True)
class Cell:
    xml: str  # the runs of the cell's one paragraph
    text: str  # its plain text, for column widths


@dataclass(frozen=True)
class Table:
    rows: list[list[Cell]]
    header: bool  # the first row is a header (GFM tables always have one; ours may leave it empty)


@dataclass(frozen=True)
class Code:
    info: str  # the fence's language, "" when none
    xml: str


@dataclass(frozen=True)
class Heading:
    xml: str


Chunk = str | Table | Code | Heading


@dataclass(frozen=True)
class Format:
    bold: bool = False
    italic: bool = False
    strike: bool = False
    style: str = ""  # a character style: InlineCode, Hyperlink

    def props(self) -> str:
        parts = [
            f'<w:rStyle w:val="{self.style}"/>' if self.style else "",
            "<w:b/>" if self.bold else "",
            "<w:i/>" if self.italic else "",
            "<w:strike/>" if self.strike else "",
        ]
        joined = "".join(parts)
        return f"<w:rPr>{joined}</w:rPr>" if joined else ""


def run(text: str, fmt: Format = Format()) -> str:
    """One run; tabs and line breaks inside it become Word's own tab and break."""
    pieces = []
    for n, line in enumerate(clean(text).split("\n")):
        if n:
            pieces.append("<w:br/>")
        for m, part in enumerate(line.split("\t")):
            if m:
                pieces.append("<w:tab/>")
            if part:
                pieces.append(f'<w:t xml:space="preserve">{escape(part)}</w:t>')
    return f"<w:r>{fmt.props()}{''.join(pieces)}</w:r>" if pieces else ""


def paragraph(
    content: str, style: str = "", *, keep_next: bool = False, num: tuple[int, int] | None = None
) -> str:
    """A `w:p`; `num` is (numbering id, level) for a numbered list that restarts at its own start."""
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ("<w:keepNext/>" if keep_next else "")
    if num:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    return f"<w:p><w:pPr>{props}</w:pPr>{content}</w:p>"


@dataclass
class _Context:
    lists: list[tuple[str, int | None]] = field(default_factory=list)  # (kind, numbering id) per open list
    quote: int = 0
    first_in_item: bool = False


class WordWriter:
    """Turns Markdown into chunks; `link(url)` gives a relationship id, `numbering(start, style)` a fresh numbering
    that restarts at `start` (Word's list styles otherwise count on across lists)."""

    def __init__(self, link: Callable[[str], str], numbering: Callable[[int, str], int | None]) -> None:
        self._link, self._numbering = link, numbering

    def chunks(self, markdown: str) -> list[Chunk]:
        out: list[Chunk] = []
        # NUL is dropped, not shown as U+FFFD as CommonMark would: Word could not have held it anyway.
        for node in SyntaxTreeNode(parser().parse(markdown.replace("\x00", ""))).children:
            out += self._block(node, _Context())
        return out

    # --- Blocks ---------------------------------------------------------------------------------

    def _block(self, node: SyntaxTreeNode, ctx: _Context) -> list[Chunk]:
        kind = node.type
        if kind == "heading":
            level = int(node.tag[1])
            if level == 1:
                return []  # the document's title: the title block shows it
            return [Heading(paragraph(self.inline(node), f"Heading{min(level - 1, 9)}", keep_next=True))]
        if kind == "paragraph":
            return [self._paragraph(node, ctx)]
        if kind in ("bullet_list", "ordered_list"):
            return self._list(node, ctx)
        if kind == "blockquote":
            inner = _Context(ctx.lists, ctx.quote + 1)
            return [c for child in node.children for c in self._block(child, inner)]
        if kind in ("fence", "code_block"):
            code = node.content.removesuffix("\n")
            return [Code(node.info.strip() if kind == "fence" else "", paragraph(run(code), "CodeText"))]
        if kind == "table":
            return [self._table(node)]
        if kind == "hr":
            return [
                '<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="A0A0A0"/>'
                "</w:pBdr></w:pPr></w:p>"
            ]
        return [c for child in node.children for c in self._block(child, ctx)]

    def _paragraph(self, node: SyntaxTreeNode, ctx: _Context) -> str:
        content = self.inline(node)
        if ctx.lists:
            kind, num_id = ctx.lists[-1]
            suffix = _level_suffix(len(ctx.lists))
            if not ctx.first_in_item:
                return paragraph(content, f"ListContinue{suffix}")
            ctx.first_in_item = False
            if kind == "ordered_list":
                return paragraph(content, f"ListNumber{suffix}", num=(num_id, 0) if num_id else None)
            return paragraph(content, f"ListBullet{suffix}")
        return paragraph(content, "Quote" if ctx.quote else "")

    def _list(self, node: SyntaxTreeNode, ctx: _Context) -> list[Chunk]:
        num_id = None
        if node.type == "ordered_list":
            style = "ListNumber" + _level_suffix(len(ctx.lists) + 1)
            num_id = self._numbering(int(node.attrs.get("start", 1) or 1), style)
        inner_lists = [*ctx.lists, (node.type, num_id)]
        out: list[Chunk] = []
        for item in node.children:
            inner = _Context(inner_lists, ctx.quote, first_in_item=True)
            for child in item.children:
                out += self._block(child, inner)
        return out

    def _table(self, node: SyntaxTreeNode) -> Table:
        rows = []
        for section in node.children:  # thead, tbody
            for tr in section.children:
                rows.append([Cell(self.inline(cell), _plain(cell)) for cell in tr.children])
        header = bool(rows) and any(c.text.strip() for c in rows[0])
        return Table(rows, header)

    # --- Inline -----------------------------------------------------------------------------------

    def inline(self, node: SyntaxTreeNode, fmt: Format = Format()) -> str:
        """The runs of a paragraph, heading or cell (its inline children)."""
        return "".join(self._inline(child, fmt) for child in _inline_children(node))

    def _inline(self, node: SyntaxTreeNode, fmt: Format) -> str:
        kind = node.type
        if kind == "text":
            return self._text(node.content, fmt)
        if kind == "softbreak":
            return run(" ", fmt)
        if kind == "hardbreak":
            return BREAK
        if kind == "code_inline":
            return run(node.content, Format(fmt.bold, fmt.italic, fmt.strike, "InlineCode"))
        if kind == "html_inline":  # only a task list's checkbox gets this far (exports.mdtext)
            return run("☑ " if CHECKBOXES.get(node.content) else "☐ ", fmt)
        if kind in ("link", "gfm_autolink"):  # gfm_autolink: a bare address such as https://example.com
            href = str(node.attrs.get("href", ""))
            return (
                self.hyperlink(href, self.inline(node, _linked(fmt)))
                if _reachable(href)
                else self.inline(node, fmt)
            )
        if kind == "image":  # a picture by address is a link to it, named by its alt text
            src, alt = str(node.attrs.get("src", "")), _plain(node).strip() or str(node.attrs.get("src", ""))
            return (
                self.hyperlink(src, run(f"Image: {alt}", _linked(fmt)))
                if _reachable(src)
                else run(f"Image: {alt}", fmt)
            )
        inner = {
            "strong": Format(True, fmt.italic, fmt.strike, fmt.style),
            "em": Format(fmt.bold, True, fmt.strike, fmt.style),
            "s": Format(fmt.bold, fmt.italic, True, fmt.style),
        }.get(kind, fmt)
        return "".join(self._inline(child, inner) for child in node.children)

    def _text(self, text: str, fmt: Format) -> str:
        """Text with any address in it clickable: GFM links a bare address only after a space or at the start
        of a line, so one written `url = "https://…"` stays text in Markdown, but a Word reader expects a link."""
        if fmt.style:  # already a link's label, or code
            return run(text, fmt)
        pieces, at = [], 0
        for match in _ADDRESS.finditer(text):
            pieces += [
                run(text[at : match.start()], fmt),
                self.hyperlink(match.group(0), run(match.group(0), _linked(fmt))),
            ]
            at = match.end()
        return "".join(pieces) + run(text[at:], fmt)

    def hyperlink(self, url: str, runs: str) -> str:
        """Runs wrapped in a clickable link to `url` (a relationship of the document part)."""
        if not url:
            return runs
        return f'<w:hyperlink r:id={quoteattr(self._link(clean(url)))} w:history="1">{runs}</w:hyperlink>'


# An address as people write it in prose: the punctuation that ends a sentence or closes quotes is not part of it.
_ADDRESS = re.compile(r"\bhttps?://[^\s<>\"'`()\[\]]*[^\s<>\"'`()\[\].,;:!?]")
# A link Word can follow from a document sent on its own: an absolute address. A relative one ("#analysis",
# "docs/runbook.md", "/assets/graph.png") pointed into the author's site, so only its label is kept.
_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _reachable(url: str) -> bool:
    return bool(_ABSOLUTE.match(url))


def _level_suffix(depth: int) -> str:
    """Word has list styles for three levels: "List Bullet", "List Bullet 2", "List Bullet 3"."""
    level = min(depth, 3)
    return "" if level == 1 else str(level)


def _linked(fmt: Format) -> Format:
    return Format(fmt.bold, fmt.italic, fmt.strike, "Hyperlink")


def _inline_children(node: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    """The inline nodes under a paragraph, heading or cell (markdown-it wraps them in one `inline` node)."""
    return [
        grand for child in node.children for grand in (child.children if child.type == "inline" else [child])
    ]


def _plain(node: SyntaxTreeNode) -> str:
    """The text a node shows, without formatting."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(_plain(child) for child in node.children)
