"""Every export of every real post-mortem kept for tests (tests/data/markdown/real/ and export_samples/),
imported as a user would import it: no audience, in Markdown or Word, shows Markdown syntax or HTML as text
(`**`, `](`, `][`, `<img`, a backslash before punctuation) outside code, the Markdown carries no backslash a reader
could do without, and in Word every address outside code is a clickable link to that address.

The one `**` allowed is one the author wrote without a partner (an unpaired marker, which the author's own
Markdown already shows as text): it stays two literal asterisks, escaped once in the Markdown."""

from __future__ import annotations

import html as html_lib
import io
import re
from functools import cache
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from bench.markdown_escapes import needless_backslashes
from exports.mdtext import html
from exports.render import AUDIENCES, render
from postmortem.mdimport import import_markdown
from postmortem.models import PostMortem

DATA = Path(__file__).resolve().parent / "data" / "markdown"
FILES = sorted((DATA / "real").glob("*.md")) + sorted((DATA / "export_samples").glob("*.md"))
FILES = [f for f in FILES if f.name.upper() not in ("SOURCES.MD", "README.MD", "LICENSE.MD")]
SYNTAX = re.compile(r"\*\*|\]\(|\]\[|<img|\\[!-/:-@\[-`{-~]")  # `][`: a reference link left unresolved
URL = re.compile(r"\bhttps?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
CODE_STYLES = ("Code Text", "Inline Code")


@cache
def imported(name: str) -> tuple[str, PostMortem]:
    path = next(f for f in FILES if f.name == name)
    text = path.read_text(encoding="utf-8")
    return text, import_markdown(text, name=path.name).doc


@cache
def exported(name: str, audience: str, fmt: str) -> bytes:
    return render(imported(name)[1], audience, fmt, country="US")


def reader_text_of_markdown(markdown: str) -> str:
    """What a reader of the rendered Markdown sees, code blocks and code spans left out."""
    rendered = re.sub(r"<pre>.*?</pre>|<code>.*?</code>", " ", html(markdown), flags=re.DOTALL)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", rendered))


def _paragraph_text(paragraph) -> str:
    runs = paragraph._p.iter(qn("w:r"))  # runs inside hyperlinks too
    return "".join(r.text or "" for r in (_Run(x) for x in runs) if r.style_id not in _CODE_IDS)


class _Run:
    def __init__(self, element) -> None:
        style = element.find(qn("w:rPr") + "/" + qn("w:rStyle"))
        self.style_id = style.get(qn("w:val")) if style is not None else ""
        self.text = "".join(t.text or "" for t in element.iter(qn("w:t")))


_CODE_IDS = {"CodeText", "InlineCode"}


def _paragraphs(document):
    yield from (p for p in document.paragraphs)
    yield from (p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs)


def reader_text_of_docx(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return "\n".join(_paragraph_text(p) for p in _paragraphs(document) if p.style.name not in CODE_STYLES)


def allowed_stars(source: str) -> int:
    """`**` the author's own Markdown shows as text: a marker written without its partner."""
    return reader_text_of_markdown(source).count("**")


def syntax_shown(text: str, source: str) -> list[str]:
    stars = allowed_stars(source)
    found = []
    for match in SYNTAX.finditer(text):
        if match.group(0) == "**" and stars:
            stars -= 1
            continue
        found.append(text[max(0, match.start() - 60) : match.end() + 30])
    return found


CASES = [(f.name, a) for f in FILES for a in AUDIENCES]


@pytest.mark.parametrize(("name", "audience"), CASES, ids=[f"{n}-{a}" for n, a in CASES])
def test_no_export_of_a_real_document_shows_markdown_syntax_or_html(name, audience):
    source = imported(name)[0]
    markdown = exported(name, audience, "md").decode("utf-8")
    assert syntax_shown(reader_text_of_markdown(markdown), source) == []
    shown = reader_text_of_markdown(markdown).count("**")  # each one the author's lone marker, escaped once
    assert markdown.count("\\*\\*") >= shown and "\\\\*" not in markdown
    assert syntax_shown(reader_text_of_docx(exported(name, audience, "docx")), source) == []
    assert needless_backslashes(markdown) == 0


def _outside_links(document) -> list[str]:
    """Addresses written as text in a run that is not inside a w:hyperlink and not code."""
    loose = []
    for paragraph in _paragraphs(document):
        if paragraph.style.name in CODE_STYLES:
            continue
        for element in paragraph._p.iter(qn("w:r")):
            run = _Run(element)
            if run.style_id in _CODE_IDS or element.getparent().tag == qn("w:hyperlink"):
                continue
            loose += URL.findall(run.text)
    return loose


@pytest.mark.parametrize(("name", "audience"), CASES, ids=[f"{n}-{a}" for n, a in CASES])
def test_every_address_in_word_is_a_clickable_external_link(name, audience):
    document = Document(io.BytesIO(exported(name, audience, "docx")))
    assert _outside_links(document) == []
    rels = document.part.rels
    links = list(document.element.body.iter(qn("w:hyperlink")))
    for link in links:
        rel = rels[link.get(qn("r:id"))]
        assert rel.is_external and re.match(r"(https?|mailto):", rel.target_ref), rel.target_ref
    doc = imported(name)[1]
    targets = {rels[link.get(qn("r:id"))].target_ref for link in links}
    if audience in ("team", "engineering"):  # the audiences whose documents carry the Links table
        text = "\n".join(p.text for p in document.paragraphs) + "".join(
            c.text for t in document.tables for r in t.rows for c in r.cells
        )
        for kept in doc.links:
            if re.match(r"(https?|mailto):", str(kept.url)):
                assert str(kept.url) in targets, kept.url
            else:  # a path on the source's own site ("/assets/…jpg") cannot be reached from a sent document
                assert kept.label in text, kept


def test_the_scan_covers_every_labelled_document():
    assert len([f for f in FILES if f.parent.name == "real"]) >= 51 and len(FILES) >= 58


def test_a_lone_bold_marker_is_escaped_once_and_never_pairs_with_later_text():
    from exports.escape import md_cell, md_text

    assert md_text("**Note that the above") == "\\*\\*Note that the above"
    assert (
        md_cell("**Note\n\nlater **bold**") == "\\*\\*Note later **bold**"
    )  # joined, it still stays literal
    assert md_text("**bold** and 1.5 * 2 and x ** y") == "**bold** and 1.5 * 2 and x ** y"
