"""Word documents: the audience's Markdown laid out with real Word styles, a title block and page numbers.

Each audience's content is written once, as Markdown (exports.markdown, executive, public, regulator);
this module lays out what exports.wordml makes of that Markdown (read by the same parser as every other
view), so both formats always say the same thing. Pages are portrait A4; a table too wide for a portrait
page gets a landscape section of its own, and a table that breaks repeats its header and keeps at least two
rows together.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, RGBColor
from lxml import etree

from exports.wordml import Cell, Code, Format, Heading, Table, WordWriter, clean, paragraph, run
from postmortem.models import PostMortem
from postmortem.timeline import format_duration, shown_time, spans

_WIDE_TABLE = 6  # tables with more columns than this get a landscape section of their own
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
__all__ = ["TitleBlock", "TreeFigure", "clean", "title_block", "to_docx"]


def _prop(text: str) -> str:
    """A document property: one line of at most 255 characters, the most Word (and python-docx) allow."""
    line = " ".join(clean(text).split())
    return line if len(line) <= 255 else line[:254] + "…"


# --- Writing the Word document --------------------------------------------------------------------


@dataclass(frozen=True)
class TitleBlock:
    """What the first page shows above the body, and the document's properties."""

    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    subject: str
    keywords: str
    footer: str
    marking: str  # the distribution line at the top of every page ("" for the public)


def title_block(
    doc: PostMortem, audience_label: str, *, public: bool, title: str, with_facts: bool = True
) -> TitleBlock:
    """The title block for one audience; the public one shows no severity, status or service names."""
    h, s = doc.header, spans(doc)  # the one place durations come from (postmortem.timeline)

    def when(field, v):
        return shown_time(doc, field, v, "%d %B %Y, %H:%M UTC")

    if public:
        return TitleBlock(
            title, "Incident report", [], "Incident report", "incident report", "Incident report", ""
        )
    facts = [
        ("Incident", h.incident_id),
        ("Severity", h.severity.value),
        ("Status", h.status.value),
        ("Customer impact began", when("impact_started_at", s.impact_start)),
        ("Customer impact ended", when("impact_ended_at", s.impact_end)),
        ("Customer impact", format_duration(s.impact)),
        ("Services", "; ".join(h.services) or "–"),
    ]
    if not with_facts:  # the audience's own Markdown opens with its key facts
        facts = []
    keywords = "; ".join([*h.services, h.failure_class] if h.failure_class else h.services)
    return TitleBlock(
        title,
        f"Post-mortem · {audience_label}",
        facts,
        f"Post-mortem for {audience_label.lower()}",
        keywords,
        f"{h.incident_id} · {audience_label}",
        f"Internal: {audience_label.lower()}"
        if audience_label != "Regulator"
        else "Confidential: prepared for the regulator",
    )


def to_docx(
    markdown: str,
    block: TitleBlock,
    created: datetime | None = None,
    tree: TreeFigure | None = None,
    appendix: Callable[[object, int], str] | None = None,
) -> bytes:
    """A .docx from Debrief's Markdown with the given title block; the Markdown's own title is replaced,
    and so is the causal tree's Mermaid, by the tree's picture and outline when `tree` is given."""
    document = Document()
    _setup(document, block, created)
    writer = WordWriter(
        link=lambda url: document.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True),
        numbering=lambda start, style: _restarted_numbering(document, start, style),
    )
    # The body is written as one XML string and parsed once: python-docx's per-element API takes seconds
    # for a large post-mortem, this takes a small fraction of that.
    xml = [_title_xml(block, _PORTRAIT_WIDTH)]
    for chunk in writer.chunks(markdown):
        if isinstance(chunk, Table):
            _place_table(document, chunk, xml)
        elif isinstance(chunk, Code) and chunk.info == "mermaid" and tree is not None:
            xml.append(causal_tree_figure(document, tree, _PORTRAIT_WIDTH))
        else:
            xml.append(chunk)
    if appendix is not None:  # attached evidence (exports.evidence_docx): pictures need the document's parts
        xml.append(appendix(document, _PORTRAIT_WIDTH))
    body = "".join(part if isinstance(part, str) else part.xml for part in xml)
    fragment = parse_xml(f"<w:body {nsdecls('w', 'r')}>{body}</w:body>")
    sect = document.element.body.sectPr
    for element in list(fragment):
        sect.addprevious(element)
    out = io.BytesIO()
    document.save(out)
    return _stable(out.getvalue(), getattr(appendix, "media", {}))


def _place_table(document, table: Table, xml: list[str | Heading | Code]) -> None:
    """A table on the portrait page, or, when too wide to read there, in a landscape section of its own
    that also takes the heading just before it."""
    if not table.rows:
        return
    if len(table.rows[0]) <= _WIDE_TABLE:
        xml.append(_table_xml(table.rows, _PORTRAIT_WIDTH, header=table.header) + "<w:p/>")
        return
    heading = xml.pop() if xml and isinstance(xml[-1], Heading) else None
    xml.append(_section_end(document, landscape=False))
    if heading:
        xml.append(heading)
    xml.append(_table_xml(table.rows, _LANDSCAPE_WIDTH, header=table.header))
    xml.append(_section_end(document, landscape=True))


def _section_end(document, *, landscape: bool) -> str:
    """An empty paragraph that ends a section: the document's own page setup, turned when `landscape`."""
    sect = etree.tostring(document.element.body.sectPr, encoding="unicode")
    if landscape:
        sect = re.sub(
            r"<w:pgSz [^>]*/>", f'<w:pgSz w:w="{_A4_LONG}" w:h="{_A4_SHORT}" w:orient="landscape"/>', sect
        )
    return f"<w:p><w:pPr>{sect}</w:pPr></w:p>"


def _restarted_numbering(document, start: int, style_id: str) -> int | None:
    """A new numbering instance of the list style's own list, restarting at `start`: without it every
    numbered list in the document would carry on counting from the one before."""
    style = next((s for s in document.styles if s.style_id == style_id), None)
    ppr = style.element.pPr if style is not None else None
    if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
        return None
    numbering = document.part.numbering_part.element
    abstract = numbering.num_having_numId(ppr.numPr.numId.val).abstractNumId.val
    num = numbering.add_num(abstract)
    override = parse_xml(
        f'<w:lvlOverride {nsdecls("w")} w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
    )
    num.append(override)
    return num.numId


def _stable(docx: bytes, media: Mapping[str, bytes] | None = None) -> bytes:
    """The same package with fixed file times, so one document always gives the same bytes; parts
    named in `media` get those bytes (pictures python-docx was given empty, not to deflate them)."""
    media = media or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            # Pictures are compressed already: deflating 50 screenshots again took seconds for nothing.
            packed = zipfile.ZIP_STORED if item.filename.startswith("word/media/") else zipfile.ZIP_DEFLATED
            target.writestr(
                zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0)),
                media[item.filename] if item.filename in media else source.read(item),
                compress_type=packed,
            )
    return out.getvalue()


def _setup(document, block: TitleBlock, created: datetime | None) -> None:
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    for name, size in (("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11)):
        styles[name].font.size = Pt(size)
        styles[name].font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
        styles[name].paragraph_format.space_before = Pt(14 if name == "Heading 1" else 10)
        styles[name].paragraph_format.keep_with_next = True
    styles["Title"].font.size = Pt(22)
    styles["Title"].font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    cell_style = styles.add_style("Table Text", 1)  # 1: paragraph style
    cell_style.base_style = styles["Normal"]
    cell_style.font.size = Pt(9)
    cell_style.paragraph_format.space_after = Pt(0)
    code_style = styles.add_style("Code Text", 1)
    code_style.base_style = styles["Normal"]
    code_style.font.name, code_style.font.size = "DejaVu Sans Mono", Pt(8.5)
    code_style.paragraph_format.space_before = code_style.paragraph_format.space_after = Pt(4)
    code_style.paragraph_format.left_indent = Cm(0.3)
    inline_code = styles.add_style("Inline Code", WD_STYLE_TYPE.CHARACTER)
    inline_code.font.name, inline_code.font.size = "DejaVu Sans Mono", Pt(9)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)  # the name Word itself gives links
    link.font.color.rgb, link.font.underline = RGBColor(0x05, 0x63, 0xC1), True
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(_SIDE_MARGIN_CM))  # about 85 characters a line: prose reads easily
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    _header_footer(section, block)
    props = document.core_properties
    props.title, props.subject, props.keywords = (
        _prop(block.title),
        _prop(block.subject),
        _prop(block.keywords),
    )
    props.author = props.last_modified_by = "Debrief"
    props.category, props.comments, props.revision = "Post-mortem", "", 1
    props.created = props.modified = created or _EPOCH


def _header_footer(section, block: TitleBlock) -> None:
    if block.marking:
        marking = section.header.paragraphs[0]
        marking.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = marking.add_run(clean(block.marking))
        run.font.size, run.font.color.rgb = Pt(8), RGBColor(0x80, 0x80, 0x80)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in (clean(block.footer) + " · Page ", "PAGE", " of ", "NUMPAGES"):
        run = footer.add_run() if part in ("PAGE", "NUMPAGES") else footer.add_run(part)
        run.font.size = Pt(8)
        if part in ("PAGE", "NUMPAGES"):
            _field(run, part)


def _field(run, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) inside a run: begin, instruction, separator, a placeholder, end."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


# --- Body XML ---------------------------------------------------------------------------------------

_SIDE_MARGIN_CM = 2.4
_PORTRAIT_WIDTH = int((21.0 - 2 * _SIDE_MARGIN_CM) * 567)  # text width in twentieths of a point (567 a cm)
_LANDSCAPE_WIDTH = int((29.7 - 2 * _SIDE_MARGIN_CM) * 567)
_A4_SHORT, _A4_LONG = 11906, 16838  # A4 in twentieths of a point
_BOLD = Format(bold=True)


def _title_xml(block: TitleBlock, width: int) -> str:
    heading = paragraph(run(block.title), "Title") + paragraph(run(block.subtitle), "Subtitle")
    if not block.facts:
        return heading
    facts = [[Cell(run(label, _BOLD), label), Cell(run(value), value)] for label, value in block.facts]
    return (
        heading + _table_xml(facts, width, header=False, weights=[1, 3], style="LightList-Accent1") + "<w:p/>"
    )


@dataclass(frozen=True)
class TreeFigure:
    """The causal tree for Word: its picture (exports.tree_image.png) and outline (postmortem.causal.to_outline)."""

    png: bytes | None
    outline: str


def causal_tree_figure(document, tree: TreeFigure, width: int) -> str:
    """The picture (when there is one) then the outline, one indented line per node, in place of the Mermaid."""
    parts = []
    if tree.png:
        # python-docx adds the image part and its relationship; the drawing it returns joins our XML.
        inline = document.part.new_pic_inline(
            io.BytesIO(tree.png), Emu(_picture_width(tree.png, width)), None
        )
        drawing = etree.tostring(inline, encoding="unicode")
        parts.append(
            f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing>{drawing}</w:drawing></w:r></w:p>'
        )
    for line in tree.outline.split("\n"):
        depth = (len(line) - len(line.lstrip(" "))) // 2
        parts.append(
            f'<w:p><w:pPr><w:pStyle w:val="TableText"/><w:ind w:left="{depth * 360}"/></w:pPr>'
            f"{run(line.strip())}</w:p>"
        )
    return "".join(parts)


def _picture_width(png: bytes, page_width: int) -> int:
    """The picture's width in EMU: its size at 96 dpi, no wider than the text and no taller than most of a page."""
    wide, high = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # the PNG header
    text_height = _PORTRAIT_WIDTH + _LANDSCAPE_WIDTH - page_width  # the page's other side, less margins
    return int(min(wide * 9525, page_width * 635, 0.8 * text_height * 635 * wide / max(high, 1)))


_TWIPS_PER_CHAR = 115  # a 9-point character, on average (wider fonts stand in for Calibri)
_BOLD_TWIPS_PER_CHAR = 130
_CELL_PADDING = 320


def _widths(rows: list[list[Cell]], cols: int, page_width: int) -> list[int]:
    """Column widths the way browsers lay out tables: each column gets at least its longest word, and the
    rest of the page is shared in proportion to how much more each column's longest text would need."""
    minimum, natural = [], []
    for c in range(cols):
        texts = [row[c].text if c < len(row) else "" for row in rows]
        header_word = max((len(w) for w in texts[0].split()), default=1) * _BOLD_TWIPS_PER_CHAR
        body_word = max((len(w) for t in texts[1:] for w in t.split()), default=1) * _TWIPS_PER_CHAR
        minimum.append(min(max(header_word, body_word), 2400) + _CELL_PADDING)
        longest = max(len(texts[0]) * _BOLD_TWIPS_PER_CHAR, *(len(t) * _TWIPS_PER_CHAR for t in texts[1:]))
        natural.append(max(min(longest, 16000) + _CELL_PADDING, minimum[-1]))
    if sum(natural) <= page_width:  # everything fits on one line: stretch in proportion
        return [int(n * page_width / sum(natural)) for n in natural]
    spare = max(page_width - sum(minimum), 0)
    wants = [n - m for n, m in zip(natural, minimum, strict=True)]
    total = sum(wants) or 1
    return [int(m + spare * w / total) for m, w in zip(minimum, wants, strict=True)]


def _table_xml(
    rows: list[list[Cell]],
    page_width: int,
    *,
    header: bool,
    weights: list[float] | None = None,
    style: str = "",
) -> str:
    """A fixed-layout table; a header row repeats on every page, no row splits, and the first two and last
    two rows stay together, so a page never holds a lone header or a lone last row."""
    if not header and rows and not any(c.text.strip() for c in rows[0]):
        rows = rows[1:]  # an empty header row of our own key-value tables
    if not rows:
        return ""
    style = style or ("LightGrid-Accent1" if header else "LightList-Accent1")
    cols = max(len(r) for r in rows)
    widths = (
        [int(page_width * w / sum(weights)) for w in weights] if weights else _widths(rows, cols, page_width)
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    look = (
        '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/>'
        if header
        else '<w:tblLook w:val="0600" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/>'
    )
    out = [
        (
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:tblLayout w:type="fixed"/>{look}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        )
    ]
    for n, row in enumerate(rows):
        repeat = "<w:tblHeader/>" if header and n == 0 else ""
        keep = n <= 1 or n == len(rows) - 2  # Word keeps a row with the next when its paragraphs say so
        cells = []
        for c in range(cols):
            content = row[c].xml if c < len(row) else ""
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/></w:tcPr>'
                f"{paragraph(content, 'TableText', keep_next=keep)}</w:tc>"
            )
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{repeat}</w:trPr>{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)
