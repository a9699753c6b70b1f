"""What a real post-mortem showed the importer missing: bullets labelled as something to do
("Action point: …") among lessons or what went wrong, and a dated line whose sentence starts with the
time. The shapes are those of go-ethereum's 2021-08 chain-split post-mortem (LGPL-3.0,
https://github.com/ethereum/go-ethereum/blob/3267914bc0d753b7a0d4b192a9b37f429ac9ed6e/docs/postmortems/2021-08-22-split-postmortem.md),
written here in our own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortem.mdimport.importer import import_markdown

SOURCE = """# A chain split

## Summary
Nodes on an old version followed a different chain.

## Lessons learned

### Disclosure path
- Downstream project one
- Action point: create a low-volume list where dependent projects receive announcements.

### Fork monitoring
- The fork monitor worked during the incident, but had to be restarted.
- Action point: make the fork monitor survive many nodes connecting at once.
- Actionable alerts were hard to find.
"""


def test_labelled_bullets_become_action_items_and_the_rest_stay_lessons():
    doc = import_markdown(SOURCE).doc
    assert [a.title for a in doc.action_items] == [
        "Create a low-volume list where dependent projects receive announcements.",
        "Make the fork monitor survive many nodes connecting at once.",
    ]
    lessons = [n.text for n in doc.lessons]
    assert "Actionable alerts were hard to find." in lessons and "Downstream project one" in lessons
    assert not any("Action point" in text for text in lessons)


def test_a_labelled_paragraph_is_an_action_item_too():
    source = "# T\n\n## Lessons learned\nThe monitor had to be restarted.\n\nAction point: alert on forks by push.\n"
    doc = import_markdown(source).doc
    assert [a.title for a in doc.action_items] == ["Alert on forks by push."]
    assert [n.text for n in doc.lessons] == ["The monitor had to be restarted."]


@pytest.mark.parametrize("label", ["Action item:", "TODO:", "Follow-up:", "action point —"])
def test_other_labels_for_something_to_do(label):
    source = f"# T\n\n## What went wrong\n- {label} add a canary for the parser\n- The parser was old\n"
    doc = import_markdown(source).doc
    assert [a.title for a in doc.action_items] == ["Add a canary for the parser"]
    assert [n.text for n in doc.went_wrong] == ["The parser was old"]


def test_a_dated_line_whose_sentence_starts_with_the_time_keeps_the_time():
    source = (
        "# T\n\n## Timeline\n- 2021-08-24: Released the fixed version.\n"
        "- 2021-08-27: At 12:50:07 UTC, the bug was exploited. Analysis started 30 minutes later.\n"
    )
    result = import_markdown(source)
    [(_, released), (at, exploited)] = [(e.at, e.text) for e in result.doc.timeline]
    assert released == "Released the fixed version."
    assert at.isoformat() == "2021-08-27T12:50:07+00:00"
    assert exploited == "The bug was exploited. Analysis started 30 minutes later."


def test_key_value_lines_inside_a_code_block_stay_in_the_code_block():
    source = (
        "# T\n\n## Details\nThe copy overlapped.\n\n```\n1. Calling the copy\n\n  memory: [0, 1, 2, 3, 4]\n"
        "  in (mem[0:4]) : [0,1,2,3]\n```\n"
    )
    result = import_markdown(source)
    kept = result.doc.model_dump_json()
    assert "Metadata" not in kept
    assert kept.count("memory: [0, 1, 2, 3, 4]") == 1


def test_an_action_written_as_a_long_paragraph_is_titled_by_its_first_sentence_and_keeps_the_rest():
    from postmortem.mdimport.draft import ACTION_TITLE, action_title

    assert action_title("Add an alert on pool saturation.") == ("Add an alert on pool saturation.", "")
    first = "Rebuild the site deployment so a failed release rolls back by itself."
    rest = "The ideal pattern " + "has quick failover and smaller changes " * 8 + "end."
    assert action_title(f"{first} {rest}") == (first, rest)
    unbroken = "word " * 100  # no sentence end within the limit: cut at a space
    title, more = action_title(unbroken)
    assert (
        len(title) <= ACTION_TITLE
        and title.endswith("word")
        and (title + " " + more).split() == unbroken.split()
    )


def test_the_rest_of_a_long_action_paragraph_goes_to_the_item_not_the_appendix():
    text = (Path(__file__).parent / "data/markdown/real/chia_2021_05_26_website_outage.md").read_text()
    doc = import_markdown(text, name="chia_2021_05_26_website_outage.md").doc
    [item] = doc.action_items
    assert item.title.endswith("modern release cycle.")
    assert '"five nines"' in item.acceptance_criteria
    assert [x.heading for x in doc.imported if "the rest" in x.heading] == []
