"""Word documents: the audience's Markdown laid out with real Word styles, a title block and page numbers.

Each audience's content is written once, as Markdown (exports.markdown, executive, public, regulator);
this module reads that Markdown back and builds the .docx from it, so both formats always say the same
thing. It only needs to understand the Markdown Debrief writes: headings, pipe tables, bullets,
paragraphs with hard line breaks, **bold** and _italic_ of our own, and backslash escapes, behind which
every character of user text sits. Text is stripped of characters XML cannot hold before it reaches
python-docx, which would otherwise refuse them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from postmortem.models import PostMortem
from postmortem.timeline import format_duration

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


# --- Reading Debrief's Markdown -------------------------------------------------------------------


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    kind: str  # heading, paragraph, bullet, table, code
    level: int = 0
    lines: list[list[Run]] = field(default_factory=list)  # paragraph and bullet lines; code as one run each
    rows: list[list[list[Run]]] = field(default_factory=list)  # table rows of cells


def inline(text: str) -> list[Run]:
    """Runs of one line: backslash escapes become literal, unescaped ** and _ switch bold and italic."""
    runs: list[Run] = []
    buf: list[str] = []
    bold = italic = False
    i = 0

    def flush() -> None:
        if buf:
            runs.append(Run("".join(buf), bold, italic))
            buf.clear()

    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            buf.append(text[i + 1])
            i += 2
            continue
        if text.startswith("**", i):
            flush()
            bold = not bold
            i += 2
            continue
        if char == "_":
            flush()
            italic = not italic
            i += 1
            continue
        buf.append(char)
        i += 1
    flush()
    return runs


def split_row(line: str) -> list[str]:
    """The cells of a pipe-table row, split at unescaped pipes."""
    cells, buf, i = [], [], 0
    body = line.strip()[1:]
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            buf.append(body[i:i + 2])
            i += 2
            continue
        if body[i] == "|":
            cells.append("".join(buf).strip())
            buf = []
        else:
            buf.append(body[i])
        i += 1
    return cells


def blocks(markdown: str) -> Iterator[Block]:
    """The blocks of Markdown written by Debrief, in order."""
    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines))
            yield Block("code", level=0, lines=[[Run(text)] for text in lines[i + 1:end]],
                        rows=[[[Run(line[3:].strip())]]])
            i = end + 1
        elif re.match(r"#{1,6} ", line):
            level = len(line) - len(line.lstrip("#"))
            yield Block("heading", level=level, lines=[inline(line[level + 1:])])
            i += 1
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i])
                i += 1
            body = [r for n, r in enumerate(rows) if n != 1]  # the second line is the separator
            yield Block("table", rows=[[inline(c) for c in split_row(r)] for r in body])
        elif line.startswith("- "):
            item = [line[2:]]
            i += 1
            while i < len(lines) and lines[i].startswith("  ") and not lines[i].startswith("- "):
                item.append(lines[i][2:])
                i += 1
            yield Block("bullet", lines=[inline(part.removesuffix("  ")) for part in item])
        elif line.strip():
            para = []
            while i < len(lines) and lines[i].strip() and not lines[i].startswith(("|", "- ", "#", "```")):
                para.append(lines[i])
                i += 1
            yield Block("paragraph", lines=[inline(part.removesuffix("  ")) for part in para])
        else:
            i += 1


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
    h, t = doc.header, doc.header.times
    end = t.impact_ended_at or t.resolved_at
    when = lambda v: v.strftime("%d %B %Y, %H:%M UTC") if v else "–"
    duration = format_duration(end - t.started_at) if t.started_at and end else "–"
    if public:
        return TitleBlock(title, "Incident report", [], "Incident report", "incident report", "Incident report", "")
    facts = [("Incident", h.incident_id), ("Severity", h.severity.value), ("Status", h.status.value),
             ("Incident began", when(t.started_at)), ("Customer impact ended", when(end)),
             ("Duration", duration), ("Services", "; ".join(h.services) or "–")]
    if not with_facts:  # the audience's own Markdown opens with its key facts
        facts = []
    keywords = "; ".join([*h.services, h.failure_class] if h.failure_class else h.services)
    return TitleBlock(title, f"Post-mortem · {audience_label}", facts, f"Post-mortem for {audience_label.lower()}",
                      keywords, f"{h.incident_id} · {audience_label}",
                      f"Internal: {audience_label.lower()}" if audience_label != "Regulator"
                      else "Confidential: prepared for the regulator")


def to_docx(markdown: str, block: TitleBlock, created: datetime | None = None) -> bytes:
    """A .docx from Debrief's Markdown with the given title block; the Markdown's own title is replaced."""
    document = Document()
    _setup(document, block, created)
    body = [b for b in blocks(markdown) if not (b.kind == "heading" and b.level == 1)]
    landscape = any(b.kind == "table" and b.rows and len(b.rows[0]) > _WIDE_TABLE for b in body)
    if landscape:
        _landscape(document)
    width = _LANDSCAPE_WIDTH if landscape else _PORTRAIT_WIDTH
    # The body is written as one XML string and parsed once: python-docx's per-element API takes seconds
    # for a large post-mortem, this takes a small fraction of that.
    xml = [_title_xml(block, width)] + [_WRITERS[b.kind](b, width) for b in body]
    fragment = parse_xml(f'<w:body {nsdecls("w")}>{"".join(xml)}</w:body>')
    sect = document.element.body.sectPr
    for element in list(fragment):
        sect.addprevious(element)
    out = io.BytesIO()
    document.save(out)
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
    figure = causal_tree_figure(b)
    if figure is not None:
        return figure
    lines = [[Run("".join(r.text for r in runs))] for runs in b.lines]
    return _para_xml(lines, "CodeText")


def causal_tree_figure(b: Block) -> str | None:
    """Where the causal tree's image and outline go (exports.tree_image.png, postmortem.causal.to_outline).

    The Markdown carries the tree as a ```mermaid block (b.rows[0][0][0].text is the language); until the
    image renderer is wired in here, the block is shown as text and this returns None.
    """
    return None


_TWIPS_PER_CHAR = 105  # a 9-point character, on average
_CELL_PADDING = 260


def _widths(rows: list[list[list[Run]]], cols: int, page_width: int) -> list[int]:
    """Column widths from their text: long text gets room, and no column is narrower than its longest word."""
    weights, floors = [], []
    for c in range(cols):
        texts = ["".join(r.text for r in row[c]) if c < len(row) else "" for row in rows]
        average = sum(len(t) for t in texts) / max(len(texts), 1)
        longest = max((len(t) for t in texts), default=0)
        weights.append(max(0.5 * min(longest, 80) + 0.5 * min(average, 60), 3.0))
        word = max((len(w) for t in texts for w in t.split()), default=1)
        floors.append(min(word, 16) * _TWIPS_PER_CHAR + _CELL_PADDING)
    widths = [max(int(page_width * w / sum(weights)), f) for w, f in zip(weights, floors, strict=True)]
    excess = sum(widths) - page_width
    while excess > 0:  # give back what the floors took, from the widest column that can spare it
        widest = max(range(cols), key=lambda i: widths[i] - floors[i])
        spare = min(excess, widths[widest] - floors[widest])
        if spare <= 0:
            break
        widths[widest] -= spare
        excess -= spare
    return widths


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
