"""Narrative Markdown passed through: the exported Markdown renders as the author's source, field by field,
and no export of a sample document (demo or real, imported from Markdown) shows Markdown syntax or HTML as
text to its reader."""

from __future__ import annotations

import html as html_lib
import io
import re

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.markdown_escapes import SAMPLES as SAMPLE_DIR
from bench.markdown_escapes import needless_backslashes, real_documents
from exports.escape import md_cell, md_text
from exports.mdtext import html, lead, normalised, parser
from exports.render import AUDIENCES, render
from postmortem.demo import demo_documents
from postmortem.models import ActionItem, Note, PostMortem, new_postmortem

SAMPLES = [(d.header.incident_id, d) for d in demo_documents()] + real_documents()
IDS = [name for name, _ in SAMPLES]


def _same(rendered: str) -> str:
    """HTML compared without heading levels (a field's headings move below its section) or spacing."""
    return " ".join(re.sub(r">\s+<", "><", re.sub(r"<(/?)h[1-6]>", r"<\1h>", rendered)).split())


def _text(rendered: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())


def block_fields(doc: PostMortem) -> list[str]:
    """Fields exported as blocks of their own (not inside a list item or table cell)."""
    texts = [doc.summary, doc.impact.description, doc.root_cause.statement]
    texts += [i.notes for i in doc.interviews] + [p.text for p in doc.imported]
    texts += [e.text for e in doc.timeline if lead(e.text)[1]]  # in full under the timeline table
    return [t for t in texts if t.strip()]


def cell_fields(doc: PostMortem) -> list[str]:
    texts = [lead(e.text)[0] for e in doc.timeline] + [f.text for f in doc.contributing_factors]
    texts += [a.title for a in doc.action_items] + [a.acceptance_criteria for a in doc.action_items]
    return [t for t in texts if t.strip()]


@pytest.mark.parametrize(("name", "doc"), SAMPLES, ids=IDS)
def test_exported_markdown_renders_like_the_source_of_every_field(name, doc):
    export = _same(html(render(doc, "team", "md", country="US").decode("utf-8")))
    for text in block_fields(doc):
        assert _same(html(md_text(text))) == _same(html(text)), text[:80]
        assert _same(html(text)) in export, text[:80]
    for text in cell_fields(doc):
        one_paragraph = [t.type for t in parser().parse(text)] == [
            "paragraph_open",
            "inline",
            "paragraph_close",
        ]
        if one_paragraph:  # a cell holds inline Markdown; a list or table in a cell is flattened to its words
            assert _same(parser().renderInline(md_cell(text))) == _same(parser().renderInline(text)), text[
                :80
            ]
            assert _same(parser().renderInline(text)) in export, text[:80]
        else:
            assert _text(html(md_cell(text))).split() == _text(html(text)).split()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("ab 1.\n*_`#>-+|[]()!<>/:\\~&;=x")), max_size=60))
def test_any_markdown_normalises_to_the_same_rendering(text):
    assert _same(html(normalised(text))) == _same(html(text))


def test_raw_html_becomes_words_and_images_never_live_html():
    out = normalised(
        '<img src="https://x.example/a.png" alt="graph" onerror="alert(1)"> <b>kept</b>\n\n<div>too</div>'
    )
    assert out == "![graph](https://x.example/a.png) kept\n\ntoo"
    assert "<img src=" not in normalised("<img src=javascript:alert(1)>") and "onerror" not in html(
        "<b onclick=x>y</b>"
    )


def test_generated_text_and_plain_prose_carry_no_backslashes():
    text = "INC-2026-0101 at 14:02, priya.raman@example.com, https://example.com/a_b (see 1.5 * 2)"
    assert md_cell(text) == text and md_text(text) == text


@pytest.mark.parametrize(("name", "doc"), SAMPLES, ids=IDS)
def test_no_needless_backslash_in_any_exported_markdown(name, doc):
    for audience in ("team", "engineering"):
        assert needless_backslashes(render(doc, audience, "md", country="US").decode("utf-8")) == 0


# --- What a reader sees: no Markdown syntax or HTML as text, in any format ----------------------------------


def as_written(path) -> PostMortem:
    """A real post-mortem's sections placed as they are into narrative fields, lists and cells: the export's
    part alone, without what an importer makes of the text."""
    sections = [
        s.strip() for s in re.split(r"^## .*$", path.read_text(encoding="utf-8"), flags=re.M) if s.strip()
    ]
    first_lines = [s.split("\n\n")[0].replace("\n", " ") for s in sections]
    doc = new_postmortem("INC-2026-0042", path.stem)
    return doc.model_copy(
        update={
            "summary": sections[0],
            "impact": doc.impact.model_copy(update={"description": sections[-1]}),
            "went_wrong": [Note(text=s) for s in sections[1:]],
            "action_items": [ActionItem(title=line[:300]) for line in first_lines],
        }
    )


READER_SAMPLES = [(d.header.incident_id, d) for d in demo_documents()] + [
    (p.name, as_written(p)) for p in sorted((SAMPLE_DIR / "export_samples").glob("rust-*.md"))
]

SYNTAX = re.compile(r"\*\*|\]\(|<img|\\[!-/:-@\[-`{-~]")


def _markdown_reader_text(markdown: str) -> str:
    rendered = re.sub(r"<pre>.*?</pre>|<code>.*?</code>", " ", html(markdown), flags=re.DOTALL)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", rendered))


def _docx_reader_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    paragraphs = [p for p in document.paragraphs if p.style.name != "Code Text"]
    paragraphs += [p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return "\n".join("".join(r.text for r in p.runs if r.style.name != "Inline Code") for p in paragraphs)


@pytest.mark.parametrize("audience", ["team", "engineering", "exec", "regulator"])
@pytest.mark.parametrize(("name", "doc"), READER_SAMPLES, ids=[n for n, _ in READER_SAMPLES])
def test_no_export_shows_markdown_syntax_or_html_as_text(name, doc, audience):
    for found in (
        _markdown_reader_text(render(doc, audience, "md", country="US").decode("utf-8")),
        _docx_reader_text(render(doc, audience, "docx", country="US")),
    ):
        assert not SYNTAX.search(found), (
            SYNTAX.search(found).group(0)
            + " in: "
            + found[max(0, SYNTAX.search(found).start() - 80) : SYNTAX.search(found).end() + 40]
        )


def test_every_audience_renders_every_sample():
    for _, doc in SAMPLES:
        for audience in AUDIENCES:
            assert (
                render(doc, audience, "md", country="US")
                and render(doc, audience, "docx", country="US")[:2] == b"PK"
            )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_plain_text_skips_the_formatter_only_when_the_formatter_would_not_change_it(text):
    import mdformat

    from exports.mdtext import is_plain

    if is_plain(text) and text.strip():
        assert mdformat.text(text, extensions={"gfm"}).rstrip("\n") == text
