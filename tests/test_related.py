"""Failure-class vocabulary, saved filters, recurrence across post-mortems, similar factors, the
tags gate before Final, and the `search` command."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from cli_helpers import main

import storage
from postmortem import failure_classes, recurrence
from postmortem.models import (
    ActionItem,
    ActionStatus,
    ContributingFactor,
    IncidentTimes,
    LinkKind,
    new_postmortem,
)
from postmortem.review import blockers, gates
from storage import related, vocabulary
from storage.access import Actor, Role, bind
from tests.conftest import build_postmortem

DAY = date(2026, 6, 1)


def _on(day: date, incident_id: str, services=("checkout",), klass="Deploy or release", **sections):
    start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    doc = new_postmortem(
        incident_id,
        f"Incident {incident_id}",
        services=list(services),
        failure_class=klass,
        times=IncidentTimes(started_at=start),
    )
    return doc.model_copy(update=sections)


# --- vocabulary --------------------------------------------------------------------------------


def test_defaults_then_team_classes_then_the_documents_own_value(db):
    assert "Configuration change" in vocabulary.all_failure_classes(db=db)
    added = vocabulary.add_failure_class(db=db, name="  Queue   backlog ")
    assert added == "Queue backlog"
    classes = vocabulary.all_failure_classes(db=db, current="Old free text")
    assert classes[: len(failure_classes.defaults())] == list(failure_classes.defaults())
    assert classes[-2:] == ["Queue backlog", "Old free text"]
    # A document's own spelling of a listed class is what the choice shows.
    assert "deploy OR release" in vocabulary.all_failure_classes(db=db, current="deploy OR release")
    assert "Deploy or release" not in vocabulary.all_failure_classes(db=db, current="deploy OR release")


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "Type the name"),
        ("   ", "Type the name"),
        ("x" * 81, "under 80"),
        ("configuration CHANGE", "already in the list"),
    ],
)
def test_a_bad_class_is_refused_and_nothing_is_stored(db, name, message):
    with pytest.raises(ValueError, match=message):
        vocabulary.add_failure_class(db=db, name=name)
    assert vocabulary.team_failure_classes(db=db) == []


def test_added_classes_survive_a_new_connection(db, db_path):
    vocabulary.add_failure_class(db=db, name="Queue backlog")
    assert vocabulary.team_failure_classes(db=storage.connect(db_path, actor=storage.LOCAL)) == [
        "Queue backlog"
    ]


def test_saved_filters_belong_to_one_identity(db, db_path):
    bind(db, Actor("ada@example.com", Role.AUTHOR))
    vocabulary.save_filter(db=db, name="my services", value={"services": ["checkout"]})
    again = storage.connect(db_path, actor=Actor("ada@example.com", Role.AUTHOR))
    assert vocabulary.saved_filter(db=again, name="my services") == {"services": ["checkout"]}
    other = storage.connect(db_path, actor=Actor("bo@example.com", Role.AUTHOR))
    assert vocabulary.saved_filter(db=other, name="my services") is None
    vocabulary.save_filter(db=again, name="my services", value={"services": []})
    assert vocabulary.saved_filter(db=db, name="my services") == {"services": []}


# --- recurrence --------------------------------------------------------------------------------


@pytest.fixture
def history(db):
    """An earlier incident of each kind around DAY, and the new one on DAY."""
    open_item = ActionItem(
        title="Gate deploys on canary errors", owner="sre lead", status=ActionStatus.IN_PROGRESS
    )
    done = ActionItem(title="Add deploy dashboard", status=ActionStatus.DONE)
    docs = {
        "same": _on(DAY - timedelta(days=30), "INC-SAME", action_items=[open_item, done]),
        "edge": _on(DAY - timedelta(days=90), "INC-EDGE", services=("CHECKOUT", "auth")),
        "old": _on(DAY - timedelta(days=91), "INC-OLD"),
        "other-service": _on(DAY - timedelta(days=5), "INC-SVC", services=("search",)),
        "other-class": _on(DAY - timedelta(days=5), "INC-CLS", klass="Capacity"),
        "binned": _on(DAY - timedelta(days=5), "INC-BIN"),
        "new": _on(DAY, "INC-NEW", klass="deploy or release"),
    }
    ids = {name: storage.create(db=db, doc=doc).id for name, doc in docs.items()}
    storage.delete(db=db, doc_id=ids["binned"])
    return db, ids


def _earlier(db, doc_id, day=DAY):
    doc = storage.get(db=db, doc_id=doc_id).doc
    return related.earlier_occurrences(
        db=db, doc_id=doc_id, failure_class=doc.header.failure_class, services=doc.header.services, day=day
    )


def test_earlier_occurrences_share_class_and_a_service_within_90_days(history):
    db, ids = history
    assert [r.incident_id for r in _earlier(db, ids["new"])] == ["INC-SAME", "INC-EDGE"]
    assert _earlier(db, ids["new"], day=DAY + timedelta(days=200)) == []


def test_no_class_or_no_service_means_no_match(history):
    db, ids = history
    assert (
        related.earlier_occurrences(
            db=db, doc_id=ids["new"], failure_class="", services=["checkout"], day=DAY
        )
        == []
    )
    assert (
        related.earlier_occurrences(
            db=db, doc_id=ids["new"], failure_class="Deploy or release", services=[], day=DAY
        )
        == []
    )


def test_open_action_items_are_the_fixes_not_built(history):
    db, ids = history
    assert [i.title for i in related.open_action_items(db=db, doc_id=ids["same"])] == [
        "Gate deploys on canary errors"
    ]


def test_the_access_hook_hides_related_documents(history, monkeypatch):
    db, ids = history
    monkeypatch.setattr(
        storage.access, "visible_sql", lambda db, column="documents.id": (f"{column} != ?", [ids["same"]])
    )
    assert [r.incident_id for r in _earlier(db, ids["new"])] == ["INC-EDGE"]
    assert related.open_action_items(db=db, doc_id=ids["same"]) == []


def test_recording_a_recurrence_twice_is_refused_and_the_link_is_kept_once():
    earlier, new = build_postmortem(), build_postmortem("INC-2026-0002")
    at = datetime(2026, 6, 2, tzinfo=UTC)
    once = recurrence.record_recurrence(
        earlier, incident_id="INC-2026-0002", occurred_on=DAY, note="Again", at=at
    )
    assert [(r.incident_id, r.occurred_on, r.note) for r in once.recurrences] == [
        ("INC-2026-0002", DAY, "Again")
    ]
    with pytest.raises(ValueError, match="already recorded"):
        recurrence.record_recurrence(once, incident_id="INC-2026-0002", occurred_on=None, note="", at=at)
    linked = recurrence.link_to_earlier(new, earlier=earlier, url="?doc=1")
    assert recurrence.links_to(linked, "INC-2026-0001") and not recurrence.links_to(new, "INC-2026-0001")
    assert recurrence.link_to_earlier(linked, earlier=earlier, url="?doc=1") == linked
    assert linked.links[-1].kind is LinkKind.POSTMORTEM


def test_a_recurrence_is_saved_with_the_version_check_and_found_by_search(history):
    db, ids = history
    earlier = storage.get(db=db, doc_id=ids["same"])
    updated = recurrence.record_recurrence(
        earlier.doc, incident_id="INC-NEW", occurred_on=DAY, note="zqsamecanary", at=datetime.now(UTC)
    )
    storage.save(db=db, doc_id=ids["same"], doc=updated, expected_version=earlier.version)
    with pytest.raises(storage.ConflictError):
        storage.save(db=db, doc_id=ids["same"], doc=updated, expected_version=earlier.version)
    from storage import search

    assert [h.incident_id for h in search.search(db=db, query=search.Query(text="zqsamecanary")).hits] == [
        "INC-SAME"
    ]


def test_a_document_stored_before_recurrences_existed_still_loads():
    data = json.loads(build_postmortem().model_dump_json())
    del data["recurrences"]
    assert storage.loads(json.dumps(data)).recurrences == []


# --- similar factors ---------------------------------------------------------------------------


def test_similar_factors_are_found_across_documents(db):
    factor = "Pool wait time and pool saturation are on a dashboard but have no alert."
    storage.create(db=db, doc=_on(DAY, "INC-1", contributing_factors=[ContributingFactor(text=factor)]))
    storage.create(
        db=db,
        doc=_on(
            DAY,
            "INC-2",
            contributing_factors=[ContributingFactor(text="A dashboard shows the release calendar.")],
        ),
    )
    new = storage.create(
        db=db,
        doc=_on(
            DAY,
            "INC-3",
            contributing_factors=[
                ContributingFactor(id="mine", text="No alert on pool saturation or pool wait time"),
                ContributingFactor(id="alone", text="Marketing emails went out early"),
            ],
        ),
    )
    found = related.similar_factors(
        db=db, doc_id=new.id, factors=[(f.id, f.text) for f in new.doc.contributing_factors]
    )
    assert [(s.factor_id, s.other.incident_id, s.text) for s in found] == [("mine", "INC-1", factor)]


@pytest.mark.parametrize(
    "a, b, similar",
    [
        (
            "Retry wrapper holds connections on timeout",
            "The retry wrapper holds its connection after a timeout",
            True,
        ),
        ("Retry wrapper holds connections on timeout", "Certificate renewal is manual", False),
        ("the pool", "the pool", False),  # too few telling words to call it a pattern
    ],
)
def test_is_similar(a, b, similar):
    assert recurrence.is_similar(a, b) is similar


# --- tags gate before Final ------------------------------------------------------------------


@pytest.mark.parametrize(
    "services, klass, ok, detail",
    [
        (["checkout"], "Deploy or release", True, ""),
        ([], "Deploy or release", False, "Missing: services affected."),
        (["checkout"], " ", False, "Missing: failure class."),
        ([], "", False, "Missing: services affected and failure class."),
    ],
)
def test_services_and_failure_class_are_required_before_final(services, klass, ok, detail):
    doc = build_postmortem()
    doc = doc.model_copy(
        update={"header": doc.header.model_copy(update={"services": services, "failure_class": klass})}
    )
    gate = next(g for g in gates(doc, today=DAY, open_findings=[]) if g.id == "tags")
    assert (gate.ok, gate.detail, gate.section) == (ok, detail, "header")
    assert (gate in blockers(gates(doc, today=DAY, open_findings=[]))) is not ok


# --- the search command ------------------------------------------------------------------------


def test_search_command(db_path, capsys):
    assert main(["demo", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["search", "retry wrapper", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "1 of 1 post-mortem" in out and "INC-2026-0101" in out and "«retry wrapper»" in out
    assert main(["search", "the", "--service", "CDN", "--json", "--db", str(db_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["incident_id"] for r in data["results"]] == ["INC-2026-0102"] and data["total"] == 1
    assert any(hit for _, hit in data["results"][0]["snippet_parts"])
    assert main(["search", "the", "--severity", "sev3", "--limit", "1", "--db", str(db_path)]) == 0
    assert "INC-2026-0103" in capsys.readouterr().out
    assert main(["search", "zzznothing", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.strip() == "No post-mortem matches."


@pytest.mark.parametrize(
    "args, message",
    [(["--limit", "0"], "--limit"), (["--limit", "x"], "--limit"), (["--severity", "sev9"], "--severity")],
)
def test_search_command_refuses_bad_options(db_path, capsys, args, message):
    assert main(["search", "pool", *args, "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and message in err and len(err.strip().splitlines()) == 1


def test_review_guidance_says_when_the_failure_recurred():
    from postmortem.review import guidance

    doc = build_postmortem()
    assert not [g for g in guidance(doc, today=DAY, country="US") if g.case == "recurred"]
    again = recurrence.record_recurrence(
        doc, incident_id="INC-2026-0099", occurred_on=DAY, note="", at=datetime.now(UTC)
    )
    [found] = [g for g in guidance(again, today=DAY, country="US") if g.case == "recurred"]
    assert "INC-2026-0099 (01 Jun 2026)" in found.message
