"""postmortem.demo_history and `demo --history`: two years of short, blameless examples for the Learning page."""

from __future__ import annotations

import json
from datetime import date

import pytest
from cli_helpers import main

import storage
from postmortem import language, metrics
from postmortem.demo_history import COUNT, history_documents
from postmortem.learning_facts import facts_from_doc
from postmortem.metrics import DocFacts, ItemCounts

TODAY = date(2026, 11, 25)
DOCS = history_documents(TODAY, country="US")


def test_the_history_is_the_same_on_every_load_of_a_day():
    assert len(DOCS) == COUNT == len({d.header.incident_id for d in DOCS})
    assert history_documents(TODAY, country="US") == DOCS


def test_the_history_spreads_over_the_last_eight_quarters():
    quarters = {metrics.quarter_of(d.header.times.started_at) for d in DOCS}
    assert set(metrics.last_quarters(TODAY, 4)) <= quarters and len(quarters) >= 7
    assert all(d.header.times.started_at.date() <= TODAY for d in DOCS)


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.header.incident_id)
def test_every_history_document_is_blameless(doc):
    assert language.check(doc) == []


def _facts(doc, n: int) -> DocFacts:
    f = facts_from_doc(doc)
    h = doc.header
    signed = h.status.value == "published" and doc.sign_offs
    return DocFacts(
        id=n,
        severity=h.severity.value,
        status=h.status.value,
        trigger=h.trigger.value,
        incident_at=h.times.started_at,
        closed_at=h.times.closed_at,
        published_at=doc.sign_offs[0].signed_at if signed else None,
        allspaw_fair=None if doc.allspaw is None else doc.allspaw.fair,
        went_well=len(doc.went_well),
        failure_class=h.failure_class,
        services=frozenset(h.services),
        items=ItemCounts(
            f["items_total"],
            f["items_cancelled"],
            f["items_done_undated"],
            {30: f["items_done_30d"], 90: f["items_done_90d"]},
        ),
    )


def test_the_later_year_learns_more_than_the_earlier_one():
    facts = [_facts(doc, n) for n, doc in enumerate(DOCS)]
    last = metrics.last_quarters(TODAY, 8)
    earlier, later = (
        metrics.dashboard(facts, quarters, TODAY, country="US").per_quarter
        for quarters in (last[:4], last[4:])
    )

    def share(figures, pick):
        return metrics.total(pick(f) for f in figures).value

    assert share(later, lambda f: f.items.done[30]) > share(earlier, lambda f: f.items.done[30])
    assert share(later, lambda f: f.on_time) > share(earlier, lambda f: f.on_time)
    assert share(later, lambda f: f.recurrence) < share(earlier, lambda f: f.recurrence)


def test_demo_history_loads_the_examples_and_the_history_then_skips_them(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert main(["demo", "--history", "--json", "--db", str(path)]) == 0
    created = json.loads(capsys.readouterr().out)
    assert len(created) == 3 + COUNT and all(r["created"] for r in created)
    assert main(["demo", "--history", "--json", "--db", str(path)]) == 0
    assert not any(r["created"] for r in json.loads(capsys.readouterr().out))
    assert len(storage.list_documents(db=storage.connect(path, actor=storage.LOCAL))) == 3 + COUNT
