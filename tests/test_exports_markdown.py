"""exports.render and exports.markdown: every section in order, lossless JSON, and user Markdown that
passes through but can neither break a table, outrank a section, nor smuggle in HTML or a script link."""

from __future__ import annotations

import re
import typing
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pydantic import BaseModel

from exports.markdown import to_markdown
from exports.mdtext import parser
from exports.render import AUDIENCES, FORMATS, render
from postmortem.demo import demo_documents
from postmortem.models import DecisionPoint, Note, PostMortem, TimelineEvent, new_postmortem

HOSTILE = (
    "<img src=x onerror=alert(1)> | pipe | `tick` [x](javascript:alert(1))"
    "\nsecond | line\r\n\n# not a heading"
)
SECTION_HEADINGS = [
    "## 1. Overview",
    "## 2. Summary",
    "## 3. Impact",
    "## 4. Timeline",
    "### Decision points",
    "### Interviews",
    "## 5. What went well",
    "## 6. What went wrong",
    "## 7. Contributing factors",
    "## 8. Root-cause analysis",
    "## 9. Action items",
    "## 10. Lessons learned",
    "### Where we got lucky",
    "## Appendix",
    "### Contacts",
    "### Links",
    "### Sign-offs",
]


# --- Helpers that read Markdown the way a GFM renderer splits it --------------------------------


def unescaped(text: str, char: str) -> list[int]:
    """Positions of `char` not escaped by a backslash (a backslash escapes the next character)."""
    found, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            found.append(i)
        i += 1
    return found


def cell_count(row: str) -> int:
    """Cells in a table row: its unescaped pipes, less one (rows start and end with a pipe)."""
    return len(unescaped(row, "|")) - 1


def tables(markdown: str) -> list[list[str]]:
    """The lines of each table, as the one parser finds them."""
    lines = markdown.split("\n")
    return [lines[t.map[0] : t.map[1]] for t in parser().parse(markdown) if t.type == "table_open" and t.map]


def assert_tables_intact(markdown: str) -> None:
    """Every table has a header, a separator and rows with as many cells as the header."""
    for block in tables(markdown):
        assert len(block) >= 2 and set(block[1].replace(" ", "")) <= {"|", "-"}, block[:2]
        width = cell_count(block[0])
        assert [cell_count(row) for row in block] == [width] * len(block), block


# What GitHub would parse before its sanitiser: raw HTML on and every link address taken (markdown-it
# alone refuses `javascript:`, other renderers may not), so any HTML or script link left would show here.
GITHUB_LIKE = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
GITHUB_LIKE.validateLink = lambda url: True


def _all_tokens(markdown: str):
    for token in GITHUB_LIKE.parse(markdown):
        yield token
        yield from token.children or []


def assert_inert(markdown: str) -> None:
    """No raw HTML and no link or image whose address could run script, read as GitHub reads Markdown."""
    for token in _all_tokens(markdown):
        assert token.type not in ("html_block", "html_inline"), token.content
        for name in ("href", "src"):
            address = str(token.attrs.get(name, "")).lower()
            assert not address.startswith(("javascript:", "vbscript:", "data:text")), address
    html = GITHUB_LIKE.render(markdown)
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", html) and "<script" not in html


def row_containing(markdown: str, needle: str) -> str:
    rows = [line for line in markdown.split("\n") if line.startswith("|") and needle in line]
    assert len(rows) == 1, rows
    return rows[0]


def row_starting(markdown: str, start: str) -> str:
    rows = [line for line in markdown.split("\n") if line.startswith(start)]
    assert len(rows) == 1, rows
    return rows[0]


def blank(title: str = "A title") -> PostMortem:
    return new_postmortem("INC-2026-0042", title)


def event(text: str, **fields: Any) -> TimelineEvent:
    return TimelineEvent(at=datetime(2026, 3, 4, 10, 15, tzinfo=UTC), text=text, **fields)


# --- render -------------------------------------------------------------------------------------


def test_formats_and_audiences_are_declared():
    assert FORMATS == ("md", "docx", "json")
    assert list(AUDIENCES) == ["team", "engineering", "exec", "public", "regulator"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_audience_and_format_renders_bytes(audience, fmt):
    for doc in demo_documents():
        output = render(doc, audience=audience, fmt=fmt, country="US")
        assert isinstance(output, bytes) and output
        if fmt != "docx":
            assert output.decode("utf-8")


def test_markdown_for_the_team_is_the_default():
    doc = demo_documents()[0]
    assert render(doc, country="US") == to_markdown(doc).encode("utf-8")


@pytest.mark.parametrize("doc", demo_documents() + [blank()], ids=lambda d: d.header.incident_id)
def test_json_is_lossless(doc):
    assert PostMortem.model_validate_json(render(doc, fmt="json", country="US")) == doc


@pytest.mark.parametrize(
    "kwargs, named",
    [
        ({"audience": "vendors"}, "vendors"),
        ({"audience": ""}, "team, engineering, exec, public, regulator"),
        ({"fmt": "pdf"}, "pdf"),
        ({"fmt": "MD"}, "md, docx, json"),
    ],
)
def test_unknown_audience_or_format_is_refused_clearly(kwargs, named):
    with pytest.raises(ValueError, match=re.escape(named)):
        render(blank(), country="US", **kwargs)


# --- Structure ----------------------------------------------------------------------------------


def headings(markdown: str) -> list[str]:
    return [line for line in markdown.split("\n") if re.match(r"#{2,3} ", line)]


@pytest.mark.parametrize("doc", demo_documents(), ids=lambda d: d.header.incident_id)
def test_sections_come_in_the_documents_order(doc):
    found = headings(to_markdown(doc))
    assert [h for h in found if h in SECTION_HEADINGS] == SECTION_HEADINGS


def test_an_empty_document_keeps_every_section_and_says_it_is_empty():
    markdown = to_markdown(blank())
    assert [h for h in headings(markdown) if h in SECTION_HEADINGS] == SECTION_HEADINGS
    for heading in SECTION_HEADINGS:
        if heading in ("## 1. Overview", "## Appendix"):
            continue  # these open with a table or a subsection of their own
        after = markdown.split(heading + "\n\n", 1)[1].split("\n", 1)[0]
        assert after.startswith("_") and after.endswith("_"), (heading, after)
    assert "not recorded yet (required)" in markdown
    assert_tables_intact(markdown)


def test_the_title_is_the_only_top_level_heading():
    markdown = to_markdown(demo_documents()[0])
    assert markdown.startswith("# INC-2026-0101: Checkout API returned errors")
    assert [line for line in markdown.split("\n") if line.startswith("# ")] == [markdown.split("\n")[0]]


def test_header_block_shows_times_and_durations_in_utc():
    markdown = to_markdown(demo_documents()[0])
    assert "| Detection | 2026-03-10 14:05 |" in markdown
    assert "| Time to detect | 8 min | 5 min (missed) |" in markdown
    assert "| Time to mitigate | 28 min | 30 min (met) |" in markdown
    assert "| Sev2 | Sev1 | 2026-03-10 14:09 |" in markdown


def test_timeline_marks_decisions_and_lists_their_context():
    doc = blank().model_copy(
        update={
            "timeline": [
                event("Restarted the pods", anchor="first mitigation attempt"),
                event(
                    "Chose to pause the batch job",
                    kind="decision",
                    decision=DecisionPoint(
                        options="Pause it\nOr scale up",
                        information_available="130 of 200 in use",
                        reversible=True,
                    ),
                ),
            ]
        }
    )
    markdown = to_markdown(doc)
    assert row_containing(markdown, "Chose to pause").rstrip(" |").endswith("D1")
    assert "first mitigation attempt" in row_containing(markdown, "Restarted the pods")
    assert "**D1 · 2026-03-04 10:15 UTC:** Chose to pause the batch job" in markdown
    assert "- **Options on the table:** Pause it\n  Or scale up" in markdown
    assert "- **Could it be undone:** yes" in markdown


def test_factors_show_which_actions_address_them():
    doc = demo_documents()[0]
    markdown = to_markdown(doc)
    assert "| A1, A5, A6 |" in row_starting(markdown, "| F1 |")
    accepted = row_starting(markdown, "| F4 |")
    assert "| – |" in accepted and "outside our control" in accepted


@pytest.mark.parametrize("doc", demo_documents(), ids=lambda d: d.header.incident_id)
def test_demo_documents_render_intact(doc):
    markdown = to_markdown(doc)
    assert_tables_intact(markdown)
    assert_inert(markdown)
    for item in doc.action_items:
        assert item.owner in row_containing(markdown, item.tracker)
    action_rows = [line for line in markdown.split("\n") if re.match(r"\| A\d+ \|", line)]
    assert [cell_count(row) for row in action_rows] == [10] * len(doc.action_items)


# --- Hostile text -------------------------------------------------------------------------------


def test_hostile_title_summary_and_event_text_stay_inert():
    doc = new_postmortem("INC-2026-0042", HOSTILE.replace("\n", " ")[:200]).model_copy(
        update={
            "summary": HOSTILE,
            "timeline": [event(HOSTILE, actor_role=HOSTILE)],
            "went_well": [Note(text=HOSTILE, group="a | b")],
        }
    )
    markdown = to_markdown(doc)
    assert_tables_intact(markdown)
    assert_inert(markdown)
    assert cell_count(row_containing(markdown, "javascript")) == 7  # the timeline row kept its seven columns
    assert "![image](x)" in markdown  # the author's <img> is a Markdown image now, without its script
    assert "[x\\](javascript:alert(1))" in markdown  # a script link stays visible text, never a link
    assert "\n# not a heading" not in markdown and "\n### not a heading" in markdown  # below "## 2. Summary"


def _is_str(annotation: Any) -> bool:
    """str, or Annotated[str, ...] as inside list[ShortText]."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation is str


def _free_text(annotation: Any) -> bool:
    is_list = typing.get_origin(annotation) is list
    return _is_str(annotation) or (is_list and _is_str(typing.get_args(annotation)[0]))


def hostile_copy(model: BaseModel) -> BaseModel:
    """The same model with every free-text field (no pattern, not an id) replaced by HOSTILE."""
    update: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        patterned = any(getattr(m, "pattern", None) for m in field.metadata)
        if name in ("id", "merged_event_id") or patterned:
            continue
        if isinstance(value, BaseModel):
            update[name] = hostile_copy(value)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            update[name] = [hostile_copy(v) for v in value]
        elif _free_text(field.annotation) and isinstance(value, str):
            update[name] = HOSTILE[: (200 if name in ("title", "name") else 500)]
        elif _free_text(field.annotation) and isinstance(value, list):
            update[name] = [HOSTILE for _ in value]
    return model.model_copy(update=update)


@pytest.mark.parametrize("doc", demo_documents(), ids=lambda d: d.header.incident_id)
def test_hostile_text_in_every_field_stays_inert(doc):
    hostile = hostile_copy(doc)
    assert hostile.summary == HOSTILE and hostile.contacts[0].name.startswith("<img")
    assert hostile.header.services[0] == HOSTILE and hostile.header.incident_id == doc.header.incident_id
    # Realistic: a user could save it (the model turns its CRLF into a newline, issue 11 hole 9).
    assert PostMortem.model_validate(hostile.model_dump()).summary == HOSTILE.replace("\r\n", "\n")
    markdown = to_markdown(hostile)
    assert_tables_intact(markdown)
    assert_inert(markdown)
    assert [h for h in headings(markdown) if h in SECTION_HEADINGS] == SECTION_HEADINGS
    assert [line for line in markdown.split("\n") if line.startswith("# ")] == [markdown.split("\n")[0]]


def test_an_authors_top_level_heading_goes_below_the_section():
    markdown = to_markdown(blank().model_copy(update={"summary": "Looks like a heading\n==="}))
    assert "\n===" not in markdown and "\n### Looks like a heading\n" in markdown
    assert [h for h in headings(markdown) if h in SECTION_HEADINGS] == SECTION_HEADINGS


def test_a_continuation_line_stays_in_its_paragraph_not_a_code_block():
    markdown = to_markdown(blank().model_copy(update={"summary": "First line\n        indented line"}))
    assert "First line\nindented line" in markdown and "<pre>" not in parser().render(markdown)


# --- Arbitrary text -----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(min_size=1, max_size=200), summary=st.text(), text=st.text(), options=st.text())
def test_any_text_renders_with_tables_intact(title, summary, text, options):
    doc = blank().model_copy(
        update={
            "header": blank().header.model_copy(update={"title": title}),
            "summary": summary,
            "timeline": [
                event(text, actor_role=text, decision=DecisionPoint(options=options)),
                event("plain"),
            ],
            "went_well": [Note(text=text)],
        }
    )
    markdown = to_markdown(doc)
    assert_tables_intact(markdown)
    assert_inert(markdown)
    assert cell_count(row_containing(markdown, "| D1 |")) == 7
    assert [h for h in headings(markdown) if h in SECTION_HEADINGS] == SECTION_HEADINGS
