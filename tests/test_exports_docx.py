"""Word documents: reopened with python-docx, real heading styles, tables, properties and page numbers; any
text (XML-illegal characters, 50,000 characters, Markdown and HTML) renders without breaking; LibreOffice
turns each audience's document into a PDF when it is installed."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from docx import Document
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_exports_audiences import docx_text
from test_exports_markdown import HOSTILE, hostile_copy

from exports.docx import clean
from exports.mdtext import parser
from exports.render import AUDIENCES, render
from postmortem import names
from postmortem.demo import demo_documents
from postmortem.models import ActionItem, Contact, Note, PostMortem, TimelineEvent, new_postmortem

DEMOS = demo_documents()
IDS = [d.header.incident_id for d in DEMOS]
CONTROL = "".join(chr(c) for c in range(32)) + "\ufffe\uffff"


def opened(doc: PostMortem, audience: str) -> Document:
    return Document(io.BytesIO(render(doc, audience, "docx", country="US")))


def styles_used(document: Document) -> list[str]:
    return [p.style.name for p in document.paragraphs]


# --- Structure ------------------------------------------------------------------------------------


def test_team_document_uses_real_heading_styles_in_section_order():
    document = opened(DEMOS[0], "team")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["1. Overview", "2. Summary", "3. Impact"]
    assert headings[-1] == "Appendix" and "9. Action items" in headings
    assert "Heading 2" in styles_used(document) and "List Bullet" in styles_used(document)
    title = document.paragraphs[0]
    assert title.style.name == "Title" and title.text.startswith("Checkout API returned errors")


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("doc", DEMOS, ids=IDS)
def test_every_audience_has_title_properties_and_page_numbers(doc, audience):
    document = opened(doc, audience)
    props = document.core_properties
    assert document.paragraphs[0].style.name == "Title"
    assert props.author == "Debrief" and props.title
    footer_xml = document.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    assert document.tables, "every audience shows at least one table"
    if audience != "public":
        assert props.keywords.split("; ")[: len(doc.header.services)] == doc.header.services
        assert doc.header.failure_class in props.keywords
        assert props.subject.startswith("Post-mortem for")
    else:
        assert props.keywords == "incident report"


def test_title_block_shows_severity_status_dates_and_services():
    document = opened(DEMOS[0], "team")
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Severity"] == "Sev1" and facts["Status"] == "final"
    # The window customers saw (from the one durations function), not the trigger at 13:48.
    assert (facts["Customer impact began"], facts["Customer impact ended"], facts["Customer impact"]) == (
        "10 March 2026, 14:02 UTC",
        "10 March 2026, 14:33 UTC",
        "31 min",
    )
    assert facts["Services"] == "checkout-api; order-reconciliation job; orders database pooler"


def test_action_item_table_keeps_its_columns_and_rows():
    doc = DEMOS[0]
    document = opened(doc, "team")
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "#" and len(t.columns) == 10)
    assert [c.text for c in table.rows[0].cells][:3] == ["#", "Action", "Owner"]
    assert len(table.rows) == len(doc.action_items) + 1
    assert table.rows[1].cells[2].text == doc.action_items[0].owner


def test_pages_are_portrait_and_only_wide_tables_get_a_landscape_section():
    team = opened(DEMOS[0], "team")
    assert team.sections[0].orientation == 0 and team.sections[-1].orientation == 0  # portrait
    landscape = [s for s in team.sections if s.orientation == 1]
    assert landscape and all(s.page_width > s.page_height for s in landscape)
    assert {s.orientation for s in opened(DEMOS[0], "exec").sections} == {0}


def test_same_document_gives_the_same_bytes():
    assert render(DEMOS[1], "regulator", "docx", country="US") == render(
        DEMOS[1], "regulator", "docx", country="US"
    )


# --- Hostile and huge text --------------------------------------------------------------------------


def test_xml_illegal_characters_are_dropped_not_refused():
    assert clean("a\x00b\x0bc\x1f\ud800d\ufffe\t\n") == "abcd\t\n"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_control_characters_everywhere_render(audience):
    doc = new_postmortem("INC-2026-0042", "Title" + CONTROL[:20]).model_copy(
        update={
            "summary": CONTROL * 3,
            "went_well": [Note(text=CONTROL)],
            "timeline": [TimelineEvent(at=datetime(2026, 1, 1, tzinfo=UTC), text="x" + CONTROL)],
            "contacts": [Contact(name="N" + CONTROL, role=CONTROL)],
            "action_items": [ActionItem(title="T" + CONTROL, owner="N" + CONTROL)],
        }
    )
    text = docx_text(render(doc, audience, "docx", country="US"))
    assert "\x00" not in text and "\x1f" not in text


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("doc", DEMOS, ids=IDS)
def test_hostile_text_in_every_field_stays_text(doc, audience):
    text = docx_text(render(hostile_copy(doc), audience, "docx", country="US"))
    if audience in ("team", "engineering"):
        assert "<img src=x onerror=alert(1)> | pipe | `tick` [x](javascript:alert(1))" in text


def test_fifty_thousand_character_fields_render():
    big = ("word | `tick` <b>bold</b> **x** # " * 1500)[:50_000]
    doc = new_postmortem("INC-2026-0042", "Huge").model_copy(
        update={
            "summary": big,
            "went_wrong": [Note(text=big)],
            "timeline": [TimelineEvent(at=datetime(2026, 1, 1, tzinfo=UTC), text=big)],
        }
    )
    words = big.count("word")  # the markup (`<b>`, `**`) becomes formatting; every word is kept
    for audience in AUDIENCES:
        document = Document(io.BytesIO(render(doc, audience, "docx", country="US")))
        # The brief keeps to one page and the public report uses only text written for customers.
        assert (
            any(p.text.count("word") >= words for p in document.paragraphs)
            or audience in ("exec", "regulator", "public")
            or any(c.text.count("word") >= words for t in document.tables for r in t.rows for c in r.cells)
        )


def _visible(markdown: str) -> str:
    """What a reader of the rendered Markdown sees: "#" alone is an empty heading, "***" a rule."""
    out: list[str] = []
    for token in parser().parse(markdown):
        if token.type == "inline":
            out += [c.content for c in token.children or [] if c.type in ("text", "code_inline")]
        elif token.type in ("fence", "code_block"):
            out.append(token.content)
    return "".join(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.text(min_size=1, max_size=200).filter(str.strip),
    text=st.text(max_size=400),
    name=st.text(min_size=1, max_size=60).filter(str.strip),
)
@example(title="T", text="#", name="N")  # an empty heading: nothing to read, nothing lost
@example(title="T", text="a **b** `c`\n\n    code", name="N")
@example(title="T", text="@0", name="0")  # a handle that is the contact's name: replaced beyond the team
def test_any_text_renders_to_a_docx_python_docx_can_open(title, text, name):
    doc = new_postmortem("INC-2026-0042", title).model_copy(
        update={
            "summary": text,
            "went_well": [Note(text=text or "x")],
            "timeline": [TimelineEvent(at=datetime(2026, 1, 1, tzinfo=UTC), text=text, actor_role=text)],
            "contacts": [Contact(name=name, role=text)],
            "action_items": [ActionItem(title=name, owner=name)],
        }
    )
    doc = PostMortem.model_validate(doc.model_dump())
    for audience in AUDIENCES:
        document = Document(io.BytesIO(render(doc, audience, "docx", country="US")))
        assert document.paragraphs[0].style.name == "Title"
        # Beyond the owning team, names, handles and e-mails in the text are replaced by roles first.
        shown = doc if audience == "team" else names.without_names_in_text(doc)
        expected = "".join(clean(_visible(shown.summary)).split())
        if audience in ("team", "engineering", "exec") and expected:
            assert expected in "".join("".join(p.text for p in document.paragraphs).split())


def test_hostile_markdown_in_user_text_is_formatting_but_never_html_or_a_script_link():
    doc = new_postmortem("INC-2026-0042", "T").model_copy(update={"summary": HOSTILE + "\n| a | b |\n- item"})
    document = opened(doc, "team")
    start = next(i for i, p in enumerate(document.paragraphs) if p.text == "2. Summary") + 1
    end = next(i for i, p in enumerate(document.paragraphs) if p.text == "3. Impact")
    body = document.paragraphs[start:end]
    assert "Heading 1" not in {
        p.style.name for p in body
    }  # the author's "# not a heading" sits below the section
    text = "\n".join(p.text for p in body)
    assert "<img" not in text and "onerror" not in text and "[x](javascript:alert(1))" in text
    targets = [r.target_ref for r in document.part.rels.values() if r.is_external]
    # a relative address ("x") points into the author's site, which a sent document cannot reach: label only
    assert "x" not in targets and not any(t.startswith("javascript") for t in targets)


# --- LibreOffice ------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_every_audience_to_pdf(tmp_path):
    doc = DEMOS[0]
    for audience in AUDIENCES:
        (tmp_path / f"{audience}.docx").write_bytes(render(doc, audience, "docx", country="US"))
    profile = tmp_path / "profile"  # its own profile: a user's running LibreOffice cannot interfere
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *[str(tmp_path / f"{a}.docx") for a in AUDIENCES],
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    for audience in AUDIENCES:
        pdf = (tmp_path / f"{audience}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF") and len(pdf) > 5_000, audience
    if shutil.which("pdfinfo"):
        pages = {a: _pages(tmp_path / f"{a}.pdf") for a in AUDIENCES}
        assert pages["exec"] == 1, pages  # the brief is one page
        assert pages["team"] > pages["regulator"] > 1, pages


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


# --- The author's Markdown as Word formatting ---------------------------------------------------------------

COMMAND = "find /var/log -name '*.gz' -o  -mtime +7 \\\n\t-delete"
FORMATTED = (
    "Run **this** with _care_ and `--dry-run` ~~first~~:\n\n```sh\n" + COMMAND + "\n```\n\n"
    "1. one\n2. two\n   - nested [the runbook](https://wiki.example.com/runbook)\n\n"
    "Then:\n\n3. three\n4. four\n\n> What we knew then\n\n# Heading in the summary\n\n"
    "![pool graph](https://img.example.com/pool.png) and https://status.example.com\n\n"
    "| Step | Owner |\n|---|---|\n| drain | on-call |"
)


def _formatted() -> Document:
    from postmortem.models import Link

    doc = new_postmortem("INC-2026-0042", "T").model_copy(
        update={
            "summary": FORMATTED,
            "links": [Link(kind="dashboard", label="Pool", url="https://grafana.example.com/d/pool")],
        }
    )
    return opened(PostMortem.model_validate(doc.model_dump()), "team")


def _summary(document: Document) -> list:
    start = next(i for i, p in enumerate(document.paragraphs) if p.text == "2. Summary") + 1
    end = next(i for i, p in enumerate(document.paragraphs) if p.text == "3. Impact")
    return document.paragraphs[start:end]


def test_a_command_in_a_code_block_comes_back_exactly_as_written():
    code = [p for p in _summary(_formatted()) if p.style.name == "Code Text"]
    assert [p.text for p in code] == [COMMAND]
    assert "\u00a0" not in code[0].text


def test_bold_italic_strikethrough_and_inline_code_are_run_formatting():
    runs = _summary(_formatted())[0].runs
    assert ("this", True) in [(r.text, r.bold) for r in runs]
    assert ("care", True) in [(r.text, r.italic) for r in runs]
    assert ("--dry-run", "Inline Code") in [(r.text, r.style.name) for r in runs]
    assert ("first", True) in [(r.text, r.font.strike) for r in runs]
    assert "**" not in _summary(_formatted())[0].text


def test_lists_use_word_list_styles_and_each_numbered_list_starts_at_its_own_number():
    paragraphs = _summary(_formatted())
    styles = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("List")]
    assert styles[:3] == [
        ("List Number", "one"),
        ("List Number", "two"),
        ("List Bullet 2", "nested the runbook"),
    ]
    numbered = [p for p in paragraphs if p.style.name == "List Number"]
    starts: dict[int, str] = {}
    numbering = numbered[0].part.numbering_part.element
    for p in numbered:
        num_id = p._p.pPr.numPr.numId.val
        override = numbering.num_having_numId(num_id).find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lvlOverride"
        )
        starts.setdefault(
            num_id, override[0].get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
        )
    assert sorted(starts.values()) == ["1", "3"]  # "3. three" starts its own list at 3


def test_quotes_and_headings_inside_a_field_sit_below_the_section():
    styles = {p.text: p.style.name for p in _summary(_formatted())}
    assert styles["What we knew then"] == "Quote"
    assert styles["Heading in the summary"] == "Heading 2"  # under "2. Summary" (Heading 1)


def test_links_images_and_the_links_table_are_clickable_hyperlinks():
    document = _formatted()
    targets = {r.rId: r.target_ref for r in document.part.rels.values() if r.is_external}
    body = document.element.body
    links = body.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink")
    linked = {
        targets[h.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]: "".join(
            t.text for t in h.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")
        )
        for h in links
    }
    assert linked["https://wiki.example.com/runbook"] == "the runbook"
    assert linked["https://img.example.com/pool.png"] == "Image: pool graph"
    assert linked["https://status.example.com"] == "https://status.example.com"
    assert linked["https://grafana.example.com/d/pool"] == "https://grafana.example.com/d/pool"  # Links table


def test_a_table_in_a_field_is_a_word_table_whose_header_repeats_and_whose_rows_keep_together():
    document = _formatted()
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Step")
    assert [c.text for c in table.rows[1].cells] == ["drain", "on-call"]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert table.rows[0]._tr.find(f"{w}trPr/{w}tblHeader") is not None
    assert all(r._tr.find(f"{w}trPr/{w}cantSplit") is not None for r in table.rows)
    timeline = opened(DEMOS[0], "team").tables
    long_table = max(timeline, key=lambda t: len(t.rows))
    keeps = [bool(r.cells[0].paragraphs[0].paragraph_format.keep_with_next) for r in long_table.rows]
    assert keeps[:2] == [True, True] and keeps[-2:] == [True, False] and not any(keeps[2:-2])
