"""The importer on real public post-mortems (tests/data/markdown/real/, sources and licences in its
SOURCES.md), scored against the answers read by hand from each document. The scores are computed
by bench/mdimport_labelled.py, the same code `python -m bench mdimport` reports with."""

from __future__ import annotations

import re

import pytest

from bench.mdimport import QUALITY_TARGETS
from bench.mdimport_labelled import REAL, _strings, documents, score
from postmortem.mdimport import import_markdown


@pytest.fixture(scope="module")
def tallies():
    return score()


def test_the_labelled_set_holds_at_least_25_real_documents_with_sources():
    names = [name for name, _, _ in documents()]
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    assert len(names) >= 25
    assert all(name in sources for name in names)
    assert "posthog" not in " ".join(names).lower()  # kept aside for an independent check


@pytest.mark.parametrize("key", ["sections", "timeline", "actions", "times"])
def test_precision_and_recall_reach_the_target(tallies, key):
    tally = tallies[key]
    assert tally.expected > 0 and tally.given > 0
    assert tally.precision >= QUALITY_TARGETS[key], tally.misses
    assert tally.recall >= QUALITY_TARGETS[key], tally.misses


def test_the_words_of_the_body_are_kept(tallies):
    assert tallies["words"].recall >= QUALITY_TARGETS["words"]


def test_a_wrong_answer_lowers_the_score(monkeypatch):
    """The scorer can fail: answers that disagree with the documents score below the targets."""
    wrong = [(name, text, {**answers, "timeline_events": answers["timeline_events"] * 3 + 1,
                           "sections": {h: "lucky" for h in answers["sections"]}})
             for name, text, answers in documents()]
    monkeypatch.setattr("bench.mdimport_labelled.documents", lambda: wrong)
    bad = score()
    assert bad["timeline"].recall < 0.5 and bad["sections"].recall < 0.1


@pytest.mark.parametrize(("name", "text"), [(n, t) for n, t, _ in documents()], ids=[n for n, _, _ in documents()])
def test_fields_hold_markdown_never_html_and_no_orphan_emphasis(name, text):
    doc = import_markdown(text, name=name).doc
    fields = _strings(doc.model_dump(mode="json"))
    assert not re.search(r"<img\b|<br\s*/?>", " ".join(fields), re.IGNORECASE)
    # a time stamp taken from '**22:48 UTC: Fix deployed**' leaves no lone '**' behind
    assert [e.text for e in doc.timeline if e.text.count("**") % 2] == []
    events = " ".join(e.text for e in doc.timeline)
    assert not re.search(r"(?m)^\(?[A-Z][a-z]{2} \d{1,2}\)?\*\*", events)  # no leftover '(Oct 29)** -'
