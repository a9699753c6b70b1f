"""Word documents: the audience's Markdown laid out with real Word styles, a title block and page numbers.

Each audience's content is written once, as Markdown (exports.markdown, executive, public, regulator);
this module lays out the blocks exports.mdread reads back from it, so both formats always say the same
thing. Text is stripped of characters XML cannot hold before it reaches
python-docx, which would otherwise refuse them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, RGBColor
from lxml import etree

from exports.mdread import Block, Run, blocks
from postmortem.models import PostMortem
from postmortem.timeline import format_duration, shown_time, spans

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3"}
_WIDE_TABLE = 6  # tables with more columns than this get a landscape page
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def clean(text: str) -> str:
    """Text python-docx accepts: characters XML 1.0 cannot hold are dropped."""
    return _XML_ILLEGAL.sub("", text)


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


def title_block(doc: PostMortem, audience_label: str, *, public: bool, title: str,
                with_facts: bool = True) -> TitleBlock:
    """The title block for one audience; the public one shows no severity, status or service names."""
    h, s = doc.header, spans(doc)  # the one place durations come from (postmortem.timeline)
    when = lambda field, v: shown_time(doc, field, v, "%d %B %Y, %H:%M UTC")
    if public:
        return TitleBlock(title, "Incident report", [], "Incident report", "incident report", "Incident report", "")
    facts = [("Incident", h.incident_id), ("Severity", h.severity.value), ("Status", h.status.value),
             ("Customer impact began", when("impact_started_at", s.impact_start)),
             ("Customer impact ended", when("impact_ended_at", s.impact_end)),
             ("Customer impact", format_duration(s.impact)), ("Services", "; ".join(h.services) or "–")]
    if not with_facts:  # the audience's own Markdown opens with its key facts
        facts = []
    keywords = "; ".join([*h.services, h.failure_class] if h.failure_class else h.services)
    return TitleBlock(title, f"Post-mortem · {audience_label}", facts, f"Post-mortem for {audience_label.lower()}",
                      keywords, f"{h.incident_id} · {audience_label}",
                      f"Internal: {audience_label.lower()}" if audience_label != "Regulator"
                      else "Confidential: prepared for the regulator")


def to_docx(markdown: str, block: TitleBlock, created: datetime | None = None, tree: TreeFigure | None = None) -> bytes:
    """A .docx from Debrief's Markdown with the given title block; the Markdown's own title is replaced,
    and so is the causal tree's Mermaid, by the tree's picture and outline when `tree` is given."""
    document = Document()
    _setup(document, block, created)
    body = [b for b in blocks(markdown) if not (b.kind == "heading" and b.level == 1)]
    landscape = any(b.kind == "table" and b.rows and len(b.rows[0]) > _WIDE_TABLE for b in body)
    if landscape:
        _landscape(document)
    width = _LANDSCAPE_WIDTH if landscape else _PORTRAIT_WIDTH
    # The body is written as one XML string and parsed once: python-docx's per-element API takes seconds
    # for a large post-mortem, this takes a small fraction of that.
    xml = [_title_xml(block, width)]
    for b in body:
        is_tree = b.kind == "code" and tree is not None and b.rows[0][0][0].text == "mermaid"
        xml.append(causal_tree_figure(document, tree, width) if is_tree else _WRITERS[b.kind](b, width))
    fragment = parse_xml(f'<w:body {nsdecls("w")}>{"".join(xml)}</w:body>')
    sect = document.element.body.sectPr
    for element in list(fragment):
        sect.addprevious(element)
    out = io.BytesIO()
    document.save(out)
    return _stable(out.getvalue())


def _stable(docx: bytes) -> bytes:
    """The same package with fixed file times, so one document always gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0)), source.read(item),
                            compress_type=zipfile.ZIP_DEFLATED)
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
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    _header_footer(section, block)
    props = document.core_properties
    props.title, props.subject, props.keywords = _prop(block.title), _prop(block.subject), _prop(block.keywords)
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

_PORTRAIT_WIDTH = 9638  # text width in twentieths of a point: A4 less 2 cm margins
_LANDSCAPE_WIDTH = 14570


def _text(text: str) -> str:
    return escape(clean(text))


def _runs_xml(runs: list[Run]) -> str:
    out = []
    for r in runs:
        props = ("<w:b/>" if r.bold else "") + ("<w:i/>" if r.italic else "")
        pr = f"<w:rPr>{props}</w:rPr>" if props else ""
        out.append(f'<w:r>{pr}<w:t xml:space="preserve">{_text(r.text)}</w:t></w:r>')
    return "".join(out)


def _para_xml(lines: list[list[Run]], style: str | None = None, *, keep_next: bool = False) -> str:
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + ("<w:keepNext/>" if keep_next else "")
    brk = "<w:r><w:br/></w:r>"
    return f"<w:p><w:pPr>{ppr}</w:pPr>{brk.join(_runs_xml(runs) for runs in lines)}</w:p>"


def _title_xml(block: TitleBlock, width: int) -> str:
    facts = [[[Run(label, bold=True)], [Run(value)]] for label, value in block.facts]
    heading = _para_xml([[Run(block.title)]], "Title") + _para_xml([[Run(block.subtitle)]], "Subtitle")
    if not facts:
        return heading
    return heading + _table_xml(facts, width, style="LightList-Accent1", header=False, weights=[1, 3]) + "<w:p/>"


def _write_heading(b: Block, width: int) -> str:
    return _para_xml(b.lines[:1], _HEADING_STYLES.get(b.level, "Heading 3").replace(" ", ""))


def _write_paragraph(b: Block, width: int) -> str:
    return _para_xml(b.lines)


def _write_bullet(b: Block, width: int) -> str:
    return _para_xml(b.lines, "ListBullet")


def _write_code(b: Block, width: int) -> str:
    lines = [[Run("".join(r.text for r in runs))] for runs in b.lines]
    return _para_xml(lines, "CodeText")


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
        inline = document.part.new_pic_inline(io.BytesIO(tree.png), Emu(_picture_width(tree.png, width)), None)
        drawing = etree.tostring(inline, encoding="unicode")
        parts.append(f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing>{drawing}</w:drawing></w:r></w:p>')
    for line in tree.outline.split("\n"):
        depth = (len(line) - len(line.lstrip(" "))) // 2
        parts.append(f'<w:p><w:pPr><w:pStyle w:val="TableText"/><w:ind w:left="{depth * 360}"/></w:pPr>'
                     f'{_runs_xml([Run(line.strip())])}</w:p>')
    return "".join(parts)


def _picture_width(png: bytes, page_width: int) -> int:
    """The picture's width in EMU: its size at 96 dpi, no wider than the text and no taller than most of a page."""
    wide, high = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # the PNG header
    text_height = _PORTRAIT_WIDTH + _LANDSCAPE_WIDTH - page_width  # the page's other side, less margins
    return int(min(wide * 9525, page_width * 635, 0.8 * text_height * 635 * wide / max(high, 1)))


_TWIPS_PER_CHAR = 115  # a 9-point character, on average (wider fonts stand in for Calibri)
_BOLD_TWIPS_PER_CHAR = 130
_CELL_PADDING = 320


def _widths(rows: list[list[list[Run]]], cols: int, page_width: int) -> list[int]:
    """Column widths the way browsers lay out tables: each column gets at least its longest word, and the
    rest of the page is shared in proportion to how much more each column's longest text would need."""
    minimum, natural = [], []
    for c in range(cols):
        texts = ["".join(r.text for r in row[c]) if c < len(row) else "" for row in rows]
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


def _write_table(b: Block, width: int) -> str:
    header, *rows = b.rows
    has_header = any(r.text.strip() for cell in header for r in cell)
    body = [header, *rows] if has_header else rows
    if not body:
        return ""
    style = "LightGrid-Accent1" if has_header else "LightList-Accent1"
    return _table_xml(body, width, style=style, header=has_header) + "<w:p/>"


def _table_xml(rows: list[list[list[Run]]], page_width: int, *, style: str, header: bool,
               weights: list[float] | None = None) -> str:
    cols = max(len(r) for r in rows)
    widths = ([int(page_width * w / sum(weights)) for w in weights] if weights
              else _widths(rows, cols, page_width))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    look = '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" ' \
           'w:noHBand="0" w:noVBand="1"/>' if header else \
           '<w:tblLook w:val="0600" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" ' \
           'w:noHBand="1" w:noVBand="1"/>'
    out = [(f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           f'<w:tblLayout w:type="fixed"/>{look}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>')]
    for n, row in enumerate(rows):
        repeat = "<w:trPr><w:tblHeader/></w:trPr>" if header and n == 0 else "<w:trPr><w:cantSplit/></w:trPr>"
        cells = []
        for c in range(cols):
            runs = row[c] if c < len(row) else []
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/></w:tcPr>'
                         f'<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr>{_runs_xml(runs)}</w:p></w:tc>')
        out.append(f"<w:tr>{repeat}{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _landscape(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


_WRITERS = {"heading": _write_heading, "paragraph": _write_paragraph, "bullet": _write_bullet,
            "table": _write_table, "code": _write_code}
