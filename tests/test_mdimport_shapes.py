"""Shapes real post-mortems use that the labelled set does not all show, written here in our own
words: incident windows in sentences, timelines with dates in other forms, action sections with
done marks and owners, and headings that need a reason to land where they do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from postmortem.mdimport import import_markdown
from postmortem.models import ActionStatus


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Date: 2026-01-14\n\n## Summary\n\nCheckout failed between 14:02 and 14:33 UTC for card payments.\n",
            {"impact_started_at": at(2026, 1, 14, 14, 2), "impact_ended_at": at(2026, 1, 14, 14, 33)},
        ),
        (
            "## Summary\n\nUploads were refused from November 11, 4:02 PM UTC to November 14, 3:02 PM UTC.\n\n"
            "## Timeline\n\n- 2025-11-11 16:02 first refusal\n",
            {"impact_started_at": at(2025, 11, 11, 16, 2), "impact_ended_at": at(2025, 11, 14, 15, 2)},
        ),
        (
            "**Date:** January 14, 2026\n\n## Summary\n\nAt 10:18 AM PT the nightly export began failing.\n",
            {"started_at": at(2026, 1, 14, 18, 18)},
        ),
        (
            "## Summary\n\nOn 2026-03-02 at 09:40 UTC an alert detected the queue backlog.\n",
            {"detected_at": at(2026, 3, 2, 9, 40)},
        ),
        (
            "Date: 2026-01-14\n\n## Summary\n\nBetween 23:40 and 00:20 UTC the job ran twice.\n",
            {"impact_started_at": at(2026, 1, 14, 23, 40), "impact_ended_at": at(2026, 1, 15, 0, 20)},
        ),
    ],
)
def test_header_times_come_from_sentences_with_the_sentence_kept(text, expected):
    result = import_markdown("# Export outage\n\n" + text)
    got = {k: v for k, v in result.doc.header.times.model_dump().items() if v}
    assert got == expected
    assert all(found.sentence and found.sentence in " ".join(text.split()) for found in result.times_found)


def test_a_time_without_any_stated_date_is_not_guessed():
    result = import_markdown(
        "# Outage\n\n## Summary\n\nAt 10:18 AM PT the export began failing.\n\n"
        "## Background\n\nThe job was moved on 2024-02-01.\n"
    )
    assert result.doc.header.times.started_at is None


def test_code_and_log_lines_give_no_header_time():
    text = "# X\n\nDate: 2026-01-02\n\n## Summary\n\n```\n2026-01-02 10:00 started worker\n```\n"
    assert import_markdown(text).doc.header.times.started_at is None


def test_timeline_table_rows_under_a_date_line_with_month_names():
    text = (
        "# Search slow\n\n## Timeline\n\nDate: January 14-19, 2026 (all times UTC)\n\n| Time | Event |\n|---|---|\n"
        "| Jan 14, 10:18 AM | Latency alert fired |\n| Jan 14, 11:02 AM | Index rebuilt |\n"
        "| Jan 19, 9:00 AM | Follow-up review held |\n"
    )
    doc = import_markdown(text).doc
    assert [e.at for e in doc.timeline] == [
        at(2026, 1, 14, 10, 18),
        at(2026, 1, 14, 11, 2),
        at(2026, 1, 19, 9, 0),
    ]
    assert doc.timeline[0].text == "Latency alert fired"


@pytest.mark.parametrize(
    "line",
    [
        "- **10:18 (Oct 29)** - Deploy started",
        "- **Oct 29, 10:18** - Deploy started",
        "- 2025-10-29 10:18 — Deploy started",
        "- Oct 29 10:18 AM: Deploy started",
    ],
)
def test_no_leftover_date_or_emphasis_at_the_start_of_an_event(line):
    doc = import_markdown(f"# X\n\n## Timeline (UTC)\n\n{line}\n\nDate: 2025-10-29\n").doc
    assert [(e.at, e.text) for e in doc.timeline] == [(at(2025, 10, 29, 10, 18), "Deploy started")]


def test_multi_line_entries_continue_and_the_next_paragraph_is_not_glued_in():
    text = (
        "# X\n\n## Timeline\n\n2025-05-01 09:00 UTC - Deploy started\nand reached every region\n\n"
        "Everything after this paragraph is commentary on the timeline.\n"
    )
    result = import_markdown(text)
    assert [e.text for e in result.doc.timeline] == ["Deploy started\nand reached every region"]
    assert any("commentary" in t.text for t in result.doc.imported)


def test_time_only_lines_under_a_date_heading():
    doc = import_markdown(
        "# X\n\n## Timeline\n\n### 2025-09-29\n\n- 16:58 errors rose\n- 18:46 errors back to zero\n"
    ).doc
    assert [e.at for e in doc.timeline] == [at(2025, 9, 29, 16, 58), at(2025, 9, 29, 18, 46)]


ACTIONS = """# Cache outage

## Short-term improvements (completed)

- Raise the connection limit
- Add a dashboard for evictions

## Medium-term improvements

- [x] Alert on eviction rate, Owner: @dana
- [ ] Load-test the cache before each release (Owner: Sam Okafor)
- Split the cache per tenant ✅
- Document the failover (done)

## Long-term improvements

1. Move sessions out of the cache
   - measure session size first
   - pick a store with replication
2. Retire the old client library
"""


def test_improvement_sections_become_action_items_with_status_and_owner():
    result = import_markdown(ACTIONS)
    doc = result.doc
    items = {i.title: i for i in doc.action_items}
    assert list(items) == [
        "Raise the connection limit",
        "Add a dashboard for evictions",
        "Alert on eviction rate",
        "Load-test the cache before each release",
        "Split the cache per tenant",
        "Document the failover",
        "Move sessions out of the cache",
        "Retire the old client library",
    ]
    done = {t for t, i in items.items() if i.status is ActionStatus.DONE}
    assert done == {
        "Raise the connection limit",
        "Add a dashboard for evictions",
        "Alert on eviction rate",
        "Split the cache per tenant",
        "Document the failover",
    }
    assert items["Alert on eviction rate"].owner == "dana"
    assert items["Load-test the cache before each release"].owner == "Sam Okafor"
    assert {c.name for c in doc.contacts} == {"dana", "Sam Okafor"}
    # sub-bullets stay with their item, as Markdown
    assert (
        items["Move sessions out of the cache"].acceptance_criteria
        == "- measure session size first\n- pick a store with replication"
    )
    assert {m.heading: m.target for m in result.mapping if m.index} == {
        "Short-term improvements (completed)": "action_items",
        "Medium-term improvements": "action_items",
        "Long-term improvements": "action_items",
    }


def test_eleven_numbered_actions_with_sub_bullets_stay_eleven():
    body = "\n".join(f"{n}. Fix part {n}\n   - detail a of {n}\n   - detail b of {n}" for n in range(1, 12))
    doc = import_markdown(f"# X\n\n## Remediation\n\n{body}\n").doc
    assert len(doc.action_items) == 11
    assert doc.action_items[10].title == "Fix part 11"


def test_a_paragraph_of_action_lines_becomes_one_item_per_line_but_prose_stays_one():
    listed = import_markdown("# X\n\n## Follow-up\n\nAdd a canary stage.\nReview alert thresholds.\n").doc
    assert [i.title for i in listed.action_items] == ["Add a canary stage.", "Review alert thresholds."]
    prose = import_markdown(
        "# X\n\n## Follow-up\n\nThe team will rebuild the deploy pipeline.\nIt should fail over quickly.\n"
    ).doc
    assert len(prose.action_items) == 1


@pytest.mark.parametrize(
    ("heading", "target", "reason_word"),
    [
        ("What could have gone better", "went_wrong", "could have gone better"),
        ("Why was this hard to detect?", "went_wrong", "hard"),
        ("What should you do?", "what_to_do", "customers"),
    ],
)
def test_headings_that_need_a_reason_land_in_the_section_that_fits(heading, target, reason_word):
    result = import_markdown(f"# X\n\n## {heading}\n\n- Something to say about it.\n")
    row = next(m for m in result.mapping if m.index)
    assert row.target == target and reason_word in row.reason


def test_markdown_stays_markdown_and_img_tags_become_images():
    text = (
        "# X\n\n## Summary\n\nThe **primary** database [failed over](https://example.com/runbook).\n\n"
        '<img src="https://example.com/graph.png" alt="Error rate graph" width="600">\n\n'
        "```\nkubectl rollout undo deploy/api\n```\n"
    )
    summary = import_markdown(text).doc.summary
    assert "**primary**" in summary and "[failed over](https://example.com/runbook)" in summary
    assert "![Error rate graph](https://example.com/graph.png)" in summary and "<img" not in summary
    assert "```\nkubectl rollout undo deploy/api\n```" in summary


def test_a_sub_heading_of_a_notes_section_becomes_the_notes_group():
    doc = import_markdown(
        "# X\n\n## Lessons learned\n\n### Working with the vendor\n\n- Share one board early\n"
    ).doc
    assert [(n.text, n.group) for n in doc.lessons] == [("Share one board early", "Working with the vendor")]


def test_attendees_go_to_the_contacts_table_and_not_into_the_text():
    result = import_markdown(
        "# X\n\n## Attendees\n\n- AF, EC\n- Priya Raman\n- Platform team: ran the bridge call\n"
        "- We could not reach the vendor during the call, which slowed the response.\n"
    )
    doc = result.doc
    assert [(c.name, c.kind.value) for c in doc.contacts] == [
        ("AF", "person"),
        ("EC", "person"),
        ("Priya Raman", "person"),
        ("Platform team", "team"),
    ]
    kept = " ".join(t.text for t in doc.imported)
    assert "Priya Raman" not in kept and "could not reach the vendor" in kept
    row = next(m for m in result.mapping if m.index)
    assert row.target == "contacts" and "contacts table" in row.reason


def test_rows_with_a_day_and_no_known_time_keep_their_day_and_say_so():
    text = (
        "# X\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 2022-06-02 HH:mm | Pods found out of memory |\n"
        "| 2022-06-03 | Limit removed |\n| 2022-06-07 08:30 | Script changed |\n| 2022-05-?? HH:mm | Seen in May |\n"
    )
    result = import_markdown(text)
    assert [(e.at, e.text) for e in result.doc.timeline] == [
        (at(2022, 6, 2, 0, 0), "Pods found out of memory (time written as '2022-06-02 HH:mm')"),
        (at(2022, 6, 3, 0, 0), "Limit removed"),
        (at(2022, 6, 7, 8, 30), "Script changed"),
    ]
    assert any("day without a time" in w for w in result.warnings)
    assert any("Seen in May" in t.text for t in result.doc.imported)  # no day to place it on: kept as written


def test_toml_front_matter_fills_the_title_and_authors():
    doc = import_markdown(
        '+++\ntitle = "Registry outage on 2023-01-25"\nauthors = ["Ana Ruiz", "Li Wei"]\n+++\n\nText.\n'
    ).doc
    assert doc.header.title == "Registry outage on 2023-01-25"
    assert [c.name for c in doc.contacts] == ["Ana Ruiz", "Li Wei"]


def test_each_time_in_a_sentence_takes_the_word_nearest_to_it():
    text = (
        "# Release incident for 2021-04-27\n\nAt 15:27 UTC we found the cause, and while we worked on a fix we "
        "reverted the release - an action completed by 15:56 UTC. Around 16:30 UTC the queue started to drain "
        "and by 16:40 UTC traffic had returned to normal.\n"
    )
    found = {t.field: t.at for t in import_markdown(text).times_found}
    assert found == {"mitigated_at": at(2021, 4, 27, 15, 56), "resolved_at": at(2021, 4, 27, 16, 40)}


def test_a_bold_timeline_entry_keeps_its_emphasis_without_the_stamp():
    doc = import_markdown(
        "# X\n\n## Timeline\n\n### 2020-02-20\n\n- **22:48 UTC: Fix deployed on production**\n"
        "- **21:17 UTC: crates published\n  by their authors**\n"
    ).doc
    assert [e.text for e in doc.timeline] == [
        "**crates published\nby their authors**",
        "**Fix deployed on production**",
    ]


def test_a_leading_priority_word_becomes_the_priority():
    doc = import_markdown(
        "# X\n\n## Corrective actions\n\n- **HIGH** Include downloads in the smoke test\n"
        "- **MEDIUM** Automate the smoke tests\n"
    ).doc
    assert [(i.title, i.priority) for i in doc.action_items] == [
        ("Include downloads in the smoke test", "P1"),
        ("Automate the smoke tests", "P2"),
    ]


@pytest.mark.parametrize(
    ("heading", "target"),
    [
        ("Leadup", "root_cause"),
        ("Fault", "root_cause"),
        ("Actions taken", "summary"),
        ("Affected crates", "impact"),
        ("Postmortem", "went_wrong"),
        ("Related records", "links"),
        ("Contents", "appendix"),
    ],
)
def test_atlassian_and_blog_style_headings(heading, target):
    result = import_markdown(f"# X\n\n## {heading}\n\nSome text about it.\n")
    assert next(m.target for m in result.mapping if m.index) == target


def test_reference_links_are_written_inline_so_each_field_keeps_working_links():
    text = (
        "# X\n\n## Root cause\n\nTriggered during [the GitHub outage][gh] and [Five Whys].\n\n"
        "## Action items\n\n- [#2226]: Add simple logging\n- OPS-12: Add a probe\n\n"
        "[gh]: https://status.example.com/incidents/1\n[five whys]: https://example.com/5whys\n"
        "[#2226]: https://example.com/issues/2226\n"
    )
    doc = import_markdown(text).doc
    assert doc.root_cause.statement == (
        "Triggered during [the GitHub outage](https://status.example.com/incidents/1) "
        "and [Five Whys](https://example.com/5whys)."
    )
    assert [(i.title, i.tracker) for i in doc.action_items] == [
        ("Add simple logging", "https://example.com/issues/2226"),
        ("Add a probe", "OPS-12"),
    ]


def test_a_person_named_as_author_attendee_and_owner_is_one_contact():
    doc = import_markdown(
        "Authors: Priya Raman\n\n# X\n\n## Attendees\n\n- Priya Raman, Li Wei\n\n"
        "## Action items\n\n- Add a probe, Owner: priya\n- Fix the alert (@liwei)\n"
    ).doc
    assert [(c.name, c.role) for c in doc.contacts] == [
        ("Priya Raman", "post-mortem author"),
        ("Li Wei", "involved in the incident"),
        ("liwei", "action owner"),
    ]


def test_times_written_as_headings_with_the_event_below():
    text = (
        "# 2020-08-28 - Memory overload\n\n## Timeline\n\nAll times in UTC\n\n### 08:52 PM\n\nReports that the hub "
        "is frozen\n\n### 09:21 PM\n\nResource exhaustion is clear\n\n```\n$ kubectl top node\n```\n"
    )
    doc = import_markdown(text).doc
    assert [(e.at, e.text) for e in doc.timeline] == [
        (at(2020, 8, 28, 20, 52), "Reports that the hub is frozen"),
        (at(2020, 8, 28, 21, 21), "Resource exhaustion is clear\n\n```\n$ kubectl top node\n```"),
    ]


def test_a_zone_line_under_the_timeline_sets_the_zone_and_an_ambiguous_one_is_said():
    known = import_markdown(
        "# X\n\nDate: 2024-01-02\n\n## Timeline\n\nAll times are in PT.\n\n- 10:00 probe failed\n"
    )
    assert known.doc.timeline[0].at == at(2024, 1, 2, 18, 0)
    unknown = import_markdown(
        "# X\n\nDate: 2024-01-02\n\n## Timeline\n\nAll times in IST\n\n- 10:00 probe failed\n"
    )
    assert unknown.doc.timeline[0].at == at(2024, 1, 2, 10, 0)
    assert any("'IST'" in w and "Choose that zone" in w for w in unknown.warnings)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            "**Start time:** 2025-01-14 14:02 UTC\n**End time:** 2025-01-14 14:33 UTC\n**Detected:** 14:09 UTC\n",
            {
                "started_at": at(2025, 1, 14, 14, 2),
                "impact_ended_at": at(2025, 1, 14, 14, 33),
                "detected_at": at(2025, 1, 14, 14, 9),
            },
        ),
        (
            "- Date: 2025-01-14\n- Impact window: 14:02–14:33 UTC\n",
            {"impact_started_at": at(2025, 1, 14, 14, 2), "impact_ended_at": at(2025, 1, 14, 14, 33)},
        ),
    ],
)
def test_key_value_lines_state_header_times_and_are_shown_as_their_source(lines, expected):
    result = import_markdown(f"# Checkout outage\n\n{lines}\n## Summary\n\nCheckout failed.\n")
    assert {k: v for k, v in result.doc.header.times.model_dump().items() if v} == expected
    assert all(":" in t.sentence and t.sentence.split(":")[0] in lines for t in result.times_found)


def test_a_dash_range_in_a_sentence_is_a_window():
    result = import_markdown(
        "# X\n\nDate: 2025-09-29\n\n## Summary\n\nCheckout failed during the 16:58-18:46 UTC window.\n"
    )
    assert (result.doc.header.times.impact_started_at, result.doc.header.times.impact_ended_at) == (
        at(2025, 9, 29, 16, 58),
        at(2025, 9, 29, 18, 46),
    )


@pytest.mark.parametrize(
    ("heading", "target"),
    [
        ("Why did it happen?", "root_cause"),
        ("What caused it?", "root_cause"),
        ("How did we fix it?", "summary"),
        ("How was it detected?", "summary"),
        ("What went right", "went_well"),
        ("Who was impacted?", "impact"),
        ("What did we learn?", "lessons"),
        ("What are we doing about it?", "action_items"),
    ],
)
def test_headings_written_as_questions(heading, target):
    result = import_markdown(f"# X\n\n## {heading}\n\n- Something about it.\n")
    assert next(m.target for m in result.mapping if m.index) == target


def test_an_action_table_with_marks_for_status_and_handles_for_owners():
    result = import_markdown(
        "# X\n\n## Action items\n\n| Action | Owner | Status |\n|---|---|---|\n"
        "| Add a probe | @dana | ✅ |\n| Split the cache | @sam | 🚧 |\n| Retire client | Li Wei | Open |\n"
    )
    assert [(a.title, a.owner, a.status.value) for a in result.doc.action_items] == [
        ("Add a probe", "dana", "done"),
        ("Split the cache", "sam", "in progress"),
        ("Retire client", "Li Wei", "open"),
    ]
    assert result.warnings == ()  # every cell went into a field: the table is not kept a second time
