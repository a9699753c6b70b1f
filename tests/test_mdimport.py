"""Importing post-mortems written elsewhere in Markdown: six shapes of document, the mapping and the
counts of each, time zones and dates, and the promise that no line of the source is dropped."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports.markdown import to_markdown
from exports.render import render
from postmortem.mdimport import (
    APPENDIX,
    IGNORE,
    actions,
    headings,
    import_markdown,
    metadata,
    times,
    with_incident_id,
)
from postmortem.mdimport.blocks import normalise
from postmortem.models import ActionStatus, Anchor, PostMortem, Severity

DATA = Path(__file__).parent / "data" / "markdown"


def load(name: str, **options):
    return import_markdown((DATA / name).read_text(encoding="utf-8"), name=name, **options)


def targets(result) -> dict[str, str]:
    return {m.heading: m.target for m in result.mapping if m.index}


# --- Six documents of different shapes ---------------------------------------------------------------

EXPECTED = {
    "sre_book.md": (
        {
            "Lessons Learned": "lessons",
            "What went well": "went_well",
            "What went wrong": "went_wrong",
            "Where we got lucky": "lucky",
            "Action Items": "action_items",
            "Timeline": "timeline",
            "Supporting information": "links",
        },
        {
            "timeline events": 6,
            "action items": 3,
            "lessons": 1,
            "went well": 2,
            "went wrong": 2,
            "unmapped headings": 0,
        },
    ),
    "wiki_terse.md": (
        {"Impact": "impact", "Timeline": "timeline", "Follow-ups": "action_items", "Lessons": "lessons"},
        {"timeline events": 4, "action items": 2, "lessons": 1, "unmapped headings": 0},
    ),
    "github_repo.md": (
        {
            "TL;DR": "summary",
            "Customer Impact": "impact",
            "Follow-up tasks": "action_items",
            "Timeline": "timeline",
            "Contributing factors": "factors",
        },
        {"timeline events": 4, "action items": 3, "contributing factors": 2, "unmapped headings": 0},
    ),
    "unusual_nested.md": (
        {
            "1. Overview of the incident": "summary",
            "2. Customer impact and communications": "impact",
            "3. Analysis": "root_cause",
            "3.1 Why prices went stale": "root_cause",
            "3.2 Contributing causes": "factors",
            "4. Things that went well": "went_well",
            "5. Things that did not go so well": "went_wrong",
            "6. Corrective actions": "action_items",
            "7. Gremlins and ghosts": APPENDIX,
            "8. Key takeaways": "lessons",
        },
        {
            "action items": 2,
            "lessons": 1,
            "went well": 1,
            "went wrong": 1,
            "contributing factors": 2,
            "unmapped headings": 1,
        },
    ),
    "multi_day.md": (
        {
            "Summary": "summary",
            "Timeline (all times PT)": "timeline",
            "2025-11-03": "timeline",
            "2025-11-04": "timeline",
            "November 5, 2025": "timeline",
            "Action items": "action_items",
        },
        {"timeline events": 7, "action items": 1, "unmapped headings": 0},
    ),
    "free_text.md": ({}, {"timeline events": 0, "action items": 0, "lessons": 0, "unmapped headings": 0}),
    "gitlab_review.md": (
        {
            "Summary": "summary",
            "Impact & Metrics": "impact",
            "Detection & Response": "summary",
            "Root Cause Analysis": "root_cause",
            "What went well": "went_well",
            "What can be improved": "went_wrong",
            "Corrective actions": "action_items",
        },
        {"action items": 1, "went well": 1, "went wrong": 1, "unmapped headings": 0},
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_document_maps_its_headings_and_counts(name):
    mapping, counts = EXPECTED[name]
    result = load(name)
    assert targets(result) == mapping
    assert {k: v for k, v in result.counts().items() if k in counts} == counts
    assert all(0 <= m.confidence <= 1 and m.reason for m in result.mapping)


def test_sre_book_style_reads_the_metadata_list_and_the_action_table():
    result = load("sre_book.md")
    doc = result.doc
    assert doc.header.title == "Catalogue Search Outage Postmortem (incident #311)"
    assert doc.header.severity is Severity.SEV2
    assert [c.name for c in doc.contacts] == ["Ines Moreau", "Tomas Varga"]
    assert doc.summary.startswith("Catalogue search returned errors for 52 minutes")
    assert (
        "Detection: The error-rate alert paged" in doc.summary and "Resolution: Traffic moved" in doc.summary
    )
    assert doc.impact.description == "About 410,000 search requests failed; no orders were lost."
    assert "Trigger: A marketing e-mail" in doc.root_cause.statement
    first = doc.action_items[0]
    assert (first.owner, first.tracker, first.priority, first.category, first.status) == (
        "tomas",
        "SRCH-101",
        "P0",
        "prevent",
        ActionStatus.DONE,
    )
    assert doc.action_items[1].status is ActionStatus.IN_PROGRESS
    assert doc.timeline[0].at == datetime(2025, 6, 12, 9, 2, tzinfo=UTC)
    assert [link.url for link in doc.links] == [
        "https://dash.example.com/search",
        "https://chat.example.com/archive/311",
    ]
    assert any("Complete, action items in progress" in w for w in result.warnings)
    assert doc.header.status.value == "draft"


def test_capitalised_markers_become_timeline_anchors():
    doc = load("sre_book.md").doc
    marked = {e.text.split("**")[1]: e.anchor for e in doc.timeline if e.anchor}
    assert marked == {"OUTAGE ENDS": Anchor.IMPACT_ENDED}
    doc = import_markdown(
        "# X\n\n## Timeline\n\n### 2025-01-02\n- 10:00 Alert fired, DETECTED by the probe\n"
        "- 10:05 resolved the dns cache (lower case: a description)\n- 10:40 INCIDENT CLOSED\n"
    ).doc
    assert [e.anchor for e in doc.timeline] == [Anchor.DETECTION, None, Anchor.CLOSED]


def test_a_label_opening_a_timeline_line_is_an_anchor_and_a_label_inside_it_is_not():
    doc = import_markdown(
        "# X\n\n## Timeline\n\n| Time | Event |\n|---|---|\n"
        "| 2022-01-25 10:21 | **Detection:** alerts about i/o timeouts |\n"
        "| 2022-01-25 11:00 | We noted: detection was slow |\n"
        "| 2022-01-25 12:00 | *Mitigation*: traffic moved away |\n"
        "| 2022-01-25 15:00 | Recovery: the node was uncordoned |\n"
        "| 2022-01-25 16:00 | **Note:** resolved: no, still open |\n"
    ).doc
    assert [e.anchor for e in doc.timeline] == [
        Anchor.DETECTION,
        None,
        Anchor.FIRST_MITIGATION,
        Anchor.MITIGATED,  # the service restored ("time to recovery" ends there), not the fix
        None,
    ]


def test_terse_wiki_page_uses_bold_and_colon_lines_as_headings():
    doc = load("wiki_terse.md").doc
    assert doc.header.title == "Payments webhook delays"  # a setext heading
    assert doc.impact.description == "Roughly 900 merchants saw late payment notifications."
    assert doc.timeline[0].at == datetime(2025, 3, 3, 14, 5, tzinfo=UTC)
    assert doc.timeline[0].text == "queue depth alert fired"
    assert doc.action_items[0].owner == "mlee" and doc.action_items[1].tracker == "PAY-77"


def test_github_style_front_matter_checklists_and_timeline_table():
    result = load("github_repo.md")
    doc = result.doc
    assert result.source_incident_id == "INC-2025-0042"
    assert doc.header.severity is Severity.SEV1
    assert doc.header.services == ["edge-proxy", "dns-cache"] and doc.header.tags == ["dns", "config"]
    assert [c.name for c in doc.contacts] == ["Ravi Patel"]
    done, test, alert = doc.action_items
    assert done.status is ActionStatus.DONE and done.tracker == "#1201"
    assert test.status is ActionStatus.OPEN and test.owner == "Ravi Patel" and test.due == date(2025, 10, 15)
    assert alert.priority == "P1"
    assert doc.timeline[1].at == datetime(
        2025, 9, 18, 10, 16, tzinfo=UTC
    )  # the date carried from the first row
    assert doc.timeline[0].text == "Config change merged and deployed (Source: deploy log)"
    # "owner: Ravi Patel" goes to the owner column and leaves the title, so no name is left in the text.
    assert "Ravi Patel" not in test.title and test.title.endswith("at least two upstreams, due 2025-10-15")
    assert not any(f.category == "names" and f.text == "Ravi Patel" for f in result.findings)


def test_unusual_headings_nest_and_unknown_ones_stay_as_written():
    doc = load("unusual_nested.md").doc
    assert (
        doc.summary
        == "Overview of the incident:\nPrices shown on the storefront lagged the catalogue by up to two hours."
    )
    assert doc.root_cause.statement.startswith("Why prices went stale:\nThe price cache refresh job")
    kept = {part.heading: part.text for part in doc.imported}
    assert kept["7. Gremlins and ghosts"] == "Nobody knows why the drain notice went to an old mailing list."
    assert [a.title for a in doc.action_items] == [
        "Run the refresh job on two schedulers",
        "Alert when the price cache is older than 15 minutes",
    ]


def test_gitlab_style_review_keeps_its_question_table_and_labels_detection():
    doc = load("gitlab_review.md").doc
    assert "| What was the impact | Requests returned 500 |" in doc.impact.description
    assert "Detection & Response:\nStart with the following:" in doc.summary
    assert doc.root_cause.statement.startswith("1. Why? A migration locked a table.")
    assert doc.action_items[0].tracker == "https://gitlab.example.com/issues/1"


def test_timeline_over_date_headings_in_a_named_zone():
    result = load("multi_day.md")
    at = [e.at for e in result.doc.timeline]
    # 23:40 Pacific (UTC-8 in November) on the 3rd is 07:40 UTC on the 4th; the 5th's heading is in words.
    assert at[0] == datetime(2025, 11, 4, 7, 40, tzinfo=UTC)
    assert at[2] == datetime(2025, 11, 4, 15, 10, tzinfo=UTC)
    assert at[-1] == datetime(2025, 11, 5, 17, 0, tzinfo=UTC)
    assert not any("first date found" in w for w in result.warnings)


def test_free_text_is_kept_whole_and_the_author_is_told():
    result = load("free_text.md")
    text = (DATA / "free_text.md").read_text()
    assert result.doc.summary == text.strip()
    assert result.doc.header.title == "free text"  # from the file name
    assert any("No section headings were recognised" in w for w in result.warnings)


def test_windows_line_endings_and_a_byte_order_mark_change_nothing():
    text = (DATA / "sre_book.md").read_text(encoding="utf-8")
    crlf = import_markdown("\ufeff" + text.replace("\n", "\r\n"))
    plain = import_markdown(text)
    assert crlf.mapping == plain.mapping and crlf.counts() == plain.counts()
    assert (
        crlf.doc.header.title == plain.doc.header.title
        and crlf.doc.timeline[0].at == plain.doc.timeline[0].at
    )


# --- The author's choices ---------------------------------------------------------------------------


def test_changing_a_target_moves_the_section_and_says_so():
    first = load("unusual_nested.md")
    index = next(m.index for m in first.mapping if m.heading == "7. Gremlins and ghosts")
    wrong = next(m.index for m in first.mapping if m.heading == "4. Things that went well")
    again = load("unusual_nested.md", targets={index: "went_wrong", wrong: APPENDIX})
    moved = next(m for m in again.mapping if m.index == index)
    assert (moved.target, moved.reason, moved.suggested) == ("went_wrong", "chosen by you", APPENDIX)
    assert "Nobody knows why the drain notice went to an old mailing list." in [
        n.text for n in again.doc.went_wrong
    ]
    assert again.doc.went_well == [] and "Support spotted the pattern" in again.doc.imported[0].text


def test_ignoring_a_section_still_keeps_its_text():
    first = load("wiki_terse.md")
    lessons = next(m.index for m in first.mapping if m.heading == "Lessons")
    result = load("wiki_terse.md", targets={lessons: IGNORE})
    assert result.doc.lessons == [] and result.counts()["unmapped headings"] == 1
    kept = {p.heading: p.text for p in result.doc.imported}
    assert kept["Lessons (ignored on import)"] == "- Queue age tells more than queue depth."


def test_unknown_target_is_ignored():
    assert targets(load("wiki_terse.md", targets={1: "nonsense"})) == targets(load("wiki_terse.md"))


def test_chosen_zone_applies_to_times_written_without_one():
    text = "# X\n\n## Timeline\n\n### 2025-07-01\n- 10:00 Alert\n- 11:00 UTC Fixed\n"
    doc = import_markdown(text, tz="Europe/Paris").doc
    assert [e.at.hour for e in doc.timeline] == [8, 11]  # Paris is UTC+2 in July; an explicit UTC wins


def test_unknown_zone_is_refused():
    with pytest.raises(ValueError, match="not a time zone"):
        import_markdown("# X", tz="Mars/Olympus")


def test_a_time_without_any_date_is_kept_and_reported():
    result = import_markdown("# X\n\n## Timeline\n\n- 10:00 Alert fired\n")
    assert result.doc.timeline == []
    assert "10:00 Alert fired" in result.doc.imported[0].text
    assert any("a time without a date" in w for w in result.warnings)


def test_times_past_midnight_move_to_the_next_day():
    result = import_markdown("# X\n\n## Timeline\n\n### 2025-01-10\n- 23:50 Deploy\n- 00:10 Errors\n")
    assert [e.at.day for e in result.doc.timeline] == [10, 11]
    assert any("past midnight" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("14:05 UTC — alert", (14, 5, "alert")),
        ("**14:05** alert", (14, 5, "alert")),
        ("10:02: restart", (10, 2, "restart")),
        ("2024-03-01 14:05 deploy", (14, 5, "deploy")),
        ("[09:30] page", (9, 30, "page")),
        ("2:15 pm - rollback", (14, 15, "rollback")),
        ("2024-03-01T14:05:00Z done", (14, 5, "done")),
        ("Tuesday, March 5 08:00 — calls", (8, 0, "calls")),
    ],
)
def test_time_stamps_people_write(line, expected):
    stamp = times.read_stamp(line, 2024)
    assert (stamp.clock.hour, stamp.clock.minute, stamp.rest) == expected


@pytest.mark.parametrize("line", ["Release 2024-03-01 went out", "The 3:1 ratio", "2024-13-45 10:00 nothing"])
def test_lines_that_are_not_time_stamps(line):
    assert times.read_stamp(line, 2024) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SEV1", Severity.SEV1),
        ("Sev-2", Severity.SEV2),
        ("P1", Severity.SEV1),
        ("severity 3", Severity.SEV3),
        ("major", Severity.SEV2),
        ("Critical", Severity.SEV1),
        ("minor", Severity.SEV3.__class__("Sev4")),
        ("near miss", Severity.NEAR_MISS),
        ("0", Severity.SEV0),
        ("unknown", None),
    ],
)
def test_severity_words(text, expected):
    assert times.severity(text) == expected


@pytest.mark.parametrize(
    ("heading", "target"),
    [
        ("Executive Summary", "summary"),
        ("TL;DR", "summary"),
        ("Blast radius", "impact"),
        ("Sequence of events", "timeline"),
        ("Root Cause(s)", "root_cause"),
        ("Timline", "timeline"),
        ("Where we got lucky", "lucky"),
        ("Next steps", "action_items"),
        ("Takeaways", "lessons"),
        ("Detection", "summary"),
        ("Recovery", "summary"),
        ("Trigger", "root_cause"),
        ("Chronology", "timeline"),
    ],
)
def test_heading_synonyms(heading, target):
    assert headings.match(heading).target == target


def test_a_duplicate_of_the_id_the_author_chose_is_validated():
    doc = load("wiki_terse.md").doc
    assert with_incident_id(doc, "INC-2026-0007").header.incident_id == "INC-2026-0007"
    with pytest.raises(ValueError, match="cannot be an incident ID"):
        with_incident_id(doc, "no spaces allowed")


def test_action_table_with_a_column_we_have_no_field_for_is_kept_too():
    text = (
        "# X\n\n## Action items\n\n| Action | Owner | Cost |\n|---|---|---|\n| Add alert | ops | 3 days |\n"
    )
    result = import_markdown(text)
    assert [a.title for a in result.doc.action_items] == ["Add alert"]
    assert "| Add alert | ops | 3 days |" in result.doc.imported[0].text


def test_a_metadata_table_and_a_details_section_fill_the_header():
    text = (
        "# Cache stampede\n\n| Field | Value |\n|---|---|\n| Severity | P2 |\n| Date | 2025-04-02 |\n"
        "| Services | cache, api |\n\n## Incident details\n\nOwner: Lee Park\nTags: caching\nRegion: eu\n\n"
        "## Timeline\n\n- 08:15 Hit rate fell\n"
    )
    result = import_markdown(text)
    doc = result.doc
    assert doc.header.severity is Severity.SEV2 and doc.header.services == ["cache", "api"]
    assert doc.header.tags == ["caching"] and [c.name for c in doc.contacts] == ["Lee Park"]
    assert doc.timeline[0].at == datetime(2025, 4, 2, 8, 15, tzinfo=UTC)  # the table's date
    kept = "\n".join(p.text for p in doc.imported if p.heading == "Metadata")
    assert "Region: eu" in kept and "| Date | 2025-04-02 |" in kept  # read, and kept as written too


def test_a_blockquoted_timeline_and_sub_bullets_stay_with_their_event():
    text = "# X\n\n## Timeline\n\n> 2025-05-05 10:00 Alert\n> 10:05 Rollback\n\n- 10:10 Checked\n  - graphs flat\n"
    events = import_markdown(text).doc.timeline
    assert [(e.at.minute, e.text) for e in events] == [
        (0, "Alert"),
        (5, "Rollback"),
        (10, "Checked\n- graphs flat"),
    ]


# --- Nothing dropped, nothing rendered ---------------------------------------------------------------

# Words the importer reads as a value rather than keeping as written: section and column names, status,
# priority, type and severity words, months, weekdays and zones.
INTERPRETED = (
    {w for s in headings.SYNONYMS for w in s.words.split()}
    | {w for k in metadata.HEADER_KEYS for w in k.split()}
    | {w for names in actions.COLUMNS.values() for n in names for w in n.split()}
    | {
        w
        for table in (actions._PRIORITY, actions._STATUS, actions._CATEGORY)
        for _, ns in table
        for n in ns
        for w in n.split()
    }
    | {w for w, _ in times._SEV_WORDS for w in w.split()}
    | {"sev", "severity", "and", "miss"}
    | times.WORDS
    | {z.lower() for z in times.ZONES}
    | {
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    }
)


def all_text(doc: PostMortem) -> str:
    return json.dumps(doc.model_dump(mode="json"), ensure_ascii=False).lower()


def dropped_words(source: str, doc: PostMortem) -> set[str]:
    kept = all_text(doc)
    words = {w.lower() for w in re.findall(r"[^\W\d_]{3,}", normalise(source))}
    return {w for w in words - INTERPRETED if w not in kept}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_word_of_the_sample_documents_is_dropped(name):
    text = (DATA / name).read_text(encoding="utf-8")
    assert dropped_words(text, load(name).doc) == set()


PIECES = [
    "# ",
    "## ",
    "### ",
    "Timeline",
    "Action items",
    "What went well",
    "Summary",
    "Impact",
    "Lessons",
    "- ",
    "* ",
    "1. ",
    "- [ ] ",
    "- [x] ",
    "| Time | Event |\n|---|---|\n",
    "| Action | Owner | Due |\n|-|-|-|\n",
    "| ",
    " |",
    "14:05 ",
    "2024-03-01 ",
    "UTC ",
    "**",
    "Date: ",
    "Severity: SEV1\n",
    "Status: final\n",
    "Authors: Ana Bell\n",
    "---\n",
    "title: Sample\n",
    "<script>alert(1)</script>",
    "\n",
    "\n\n",
    "    ",
    "```\n",
    "> ",
    "[docs](https://example.com/a)",
    "[ref]: https://example.com/r\n",
    "Owner",
    "23:50 ",
    "00:10 ",
    "March 5 ",
    "zebra ",
    "quokka ",
    "Résumé ",
    "日本語 ",
]
DOCUMENTS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=15)), max_size=50).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_any_text_imports_and_keeps_every_word(text):
    result = import_markdown(text)
    assert PostMortem.model_validate_json(result.doc.model_dump_json()) == result.doc
    assert dropped_words(text, result.doc) == set()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_unicode_never_crashes(text):
    result = import_markdown(text)
    assert result.doc.header.title


HOSTILE = (
    "# <img src=x onerror=alert(1)>\n\n## Summary\n\n<script>alert('s')</script> [x](javascript:alert(1))\n\n"
    "## Odd section\n\n<iframe src=https://evil.example></iframe>\n"
)


RAW_TAG = re.compile(r"(?<!\\)<(?:script|iframe|img)")  # a tag not escaped with a backslash


def test_html_is_stored_as_text_and_escaped_in_every_export():
    doc = with_incident_id(import_markdown(HOSTILE).doc, "INC-2026-0001")
    assert doc.summary == "<script>alert('s')</script> [x](javascript:alert(1))"
    assert doc.imported[0].text == "<iframe src=https://evil.example></iframe>"
    markdown = to_markdown(doc)
    assert not RAW_TAG.search(markdown)
    assert "(HTML iframe left out)" in markdown  # dropped with a note, never embedded
    for audience in ("team", "engineering", "exec", "public", "regulator"):
        assert not RAW_TAG.search(render(doc, audience, "md", country="US").decode())
    assert render(doc, "team", "docx", country="US")[:2] == b"PK"


def test_imported_text_goes_to_the_team_only():
    doc = with_incident_id(load("unusual_nested.md").doc, "INC-2026-0002")
    assert "### Imported text" in to_markdown(doc) and "Gremlins and ghosts" in to_markdown(doc)
    assert "Gremlins" not in to_markdown(doc, names=False)
    assert json.loads(render(doc, "team", "json", country="US"))["imported"]
    assert json.loads(render(doc, "engineering", "json", country="US"))["imported"] == []


def test_documents_saved_before_the_field_existed_still_load(doc):
    data = doc.model_dump(mode="json")
    data.pop("imported")
    assert PostMortem.model_validate(data).imported == []
