"""storage.metrics and the m008 learning columns, on a real temp database with post-mortems across quarters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

import storage
import storage.metrics as stored_metrics
from postmortem import metrics
from postmortem.learning_facts import COLUMNS, facts_from_doc
from postmortem.metrics import ON_TIME, Quarter, Rate
from postmortem.models import (
    ActionItem,
    ActionStatus,
    AllspawCheck,
    DocStatus,
    IncidentTimes,
    Note,
    PostMortem,
    Severity,
    SignOff,
    SignOffRole,
)
from storage.audit import record
from storage.migrations import migrations
from tests.conftest import build_postmortem
from tests.old_schema import database_before

TODAY = date(2026, 11, 25)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def make(
    incident_id: str,
    start: str,
    severity: Severity,
    status: DocStatus,
    *,
    went_well: int = 0,
    allspaw: bool | None = None,
    items: tuple[ActionItem, ...] = (),
    signed: str | None = None,
    failure_class: str = "",
    services: tuple[str, ...] = (),
) -> PostMortem:
    """A post-mortem whose incident started at `start` and closed four hours later."""
    begin = utc(start)
    base = build_postmortem(incident_id)
    times = IncidentTimes(
        started_at=begin,
        first_signal_at=begin + timedelta(minutes=2),
        detected_at=begin + timedelta(minutes=6),
        impact_ended_at=begin + timedelta(minutes=40),
        resolved_at=begin + timedelta(hours=2),
        closed_at=begin + timedelta(hours=4),
    )
    header = base.header.model_copy(
        update={
            "severity": severity,
            "status": status,
            "times": times,
            "failure_class": failure_class,
            "services": list(services),
        }
    )
    return base.model_copy(
        update={
            "header": header,
            "timeline": [],
            "went_well": [Note(text=f"Went well {n}") for n in range(went_well)],
            "action_items": list(items),
            "allspaw": None
            if allspaw is None
            else AllspawCheck(role="on-call engineer", fair=allspaw, at=begin),
            "sign_offs": [SignOff(role=SignOffRole.INCIDENT_COMMANDER, name="IC", signed_at=utc(signed))]
            if signed
            else [],
        }
    )


def done(title: str, at: datetime | None) -> ActionItem:
    return ActionItem(title=title, status=ActionStatus.DONE, closed_at=at)


@pytest.fixture
def archive(db):
    """A: Sev1 published on time (trail); B: Sev2 published late (sign-off only), same failure class as A
    36 days later; C: Sev2 never published; D: Sev3 final; E: in the bin."""
    a_close = utc("2026-01-05 14:00")
    a = storage.create(
        db=db,
        doc=make(
            "INC-A",
            "2026-01-05 10:00",
            Severity.SEV1,
            DocStatus.PUBLISHED,
            went_well=3,
            allspaw=True,
            items=(
                done("Alert on pool wait", a_close + timedelta(days=10)),
                ActionItem(title="Split the pool"),
            ),
            signed="2026-01-08 09:00",
            failure_class="dns",
            services=("edge",),
        ),
    )
    record(
        db=db,
        doc_id=a.id,
        version=1,
        action="status",
        by="ic",
        from_status="in review",
        to_status="final",
        at="2026-01-08T09:00:00+00:00",
    )
    record(
        db=db,
        doc_id=a.id,
        version=1,
        action="status",
        by="ic",
        from_status="final",
        to_status="published",
        at="2026-01-09T15:00:00+00:00",
    )
    b = storage.create(
        db=db,
        doc=make(
            "INC-B",
            "2026-02-10 09:00",
            Severity.SEV2,
            DocStatus.PUBLISHED,
            went_well=1,
            allspaw=False,
            signed="2026-02-24 10:00",
            failure_class="DNS",
            services=("edge", "api"),
        ),
    )
    c = storage.create(
        db=db,
        doc=make(
            "INC-C",
            "2026-04-07 09:00",
            Severity.SEV2,
            DocStatus.IN_REVIEW,
            items=(
                ActionItem(title="Retire the job", status=ActionStatus.CANCELLED, cancel_reason="Replaced"),
            ),
        ),
    )
    d = storage.create(
        db=db, doc=make("INC-D", "2026-05-01 09:00", Severity.SEV3, DocStatus.FINAL, allspaw=True)
    )
    e = storage.create(db=db, doc=make("INC-E", "2026-01-20 09:00", Severity.SEV1, DocStatus.DRAFT))
    storage.delete(db=db, doc_id=e.id)
    return {"A": a.id, "B": b.id, "C": c.id, "D": d.id, "E": e.id}


def figures(db) -> metrics.Dashboard:
    quarters = [Quarter(2026, 1), Quarter(2026, 2)]
    facts = stored_metrics.learning_facts(db=db, since=metrics.lookback_start(quarters))
    return metrics.dashboard(facts, quarters, TODAY, country="US")


def test_figures_by_hand(db, archive):
    q1, q2 = figures(db).per_quarter
    assert (q1.count, q1.severities) == (2, {"Sev1": 1, "Sev2": 1})  # E is in the bin
    # A closed Mon 5 Jan, due Mon 12 Jan, published 9 Jan. B closed Tue 10 Feb, due Fri 20 Feb (Presidents'
    # Day skipped), signed off 24 Feb. C closed 7 Apr, never published: overdue. D (Sev3) has no deadline.
    assert q1.deadlines == {
        "Sev1": {**dict.fromkeys(metrics.OUTCOMES, 0), ON_TIME: 1},
        "Sev2": {**dict.fromkeys(metrics.OUTCOMES, 0), metrics.LATE: 1},
    }
    assert (
        q1.on_time == Rate(1, 2) and q2.on_time == Rate(0, 1) and q2.deadlines["Sev2"][metrics.OVERDUE] == 1
    )
    assert q1.items.done == {30: Rate(1, 2), 90: Rate(1, 2)} and q1.items.cancelled == Rate(0, 2)
    assert q2.items.done == {30: Rate(0, 0), 90: Rate(0, 0)} and q2.items.cancelled == Rate(1, 1)
    assert (q1.quality.allspaw, q1.quality.went_well_1, q1.quality.went_well_3) == (
        Rate(1, 2),
        Rate(2, 2),
        Rate(1, 2),
    )
    assert (q2.quality.allspaw, q2.quality.went_well_1) == (Rate(1, 1), Rate(0, 1))  # C is not signed off
    assert q1.recurrence == Rate(1, 2) and q2.recurrence == Rate(0, 0)


def test_publication_dates_and_where_they_come_from(db, archive):
    facts = {f.id: f for f in stored_metrics.learning_facts(db=db)}
    assert facts[archive["A"]].published_at == utc("2026-01-09 15:00")  # the trail's publish, not its final
    assert facts[archive["A"]].published_from == "audit trail"
    assert (facts[archive["B"]].published_at, facts[archive["B"]].published_from) == (
        utc("2026-02-24 10:00"),
        "sign-off",
    )
    assert facts[archive["C"]].published_at is None and archive["E"] not in facts
    assert figures(db).published_from == {"audit trail": 1, "sign-off": 1}


def test_durations_and_counts_come_from_the_columns(db, archive):
    a = next(f for f in stored_metrics.learning_facts(db=db) if f.id == archive["A"])
    assert (a.detect_min, a.mitigate_min, a.resolve_min) == (4.0, 34.0, 114.0)
    assert a.went_well == 3 and a.allspaw_fair is True and a.services == frozenset({"edge"})
    assert a.items == metrics.ItemCounts(2, 0, 0, {30: 1, 90: 1})


def test_since_leaves_out_earlier_incidents(db, archive):
    ids = {f.id for f in stored_metrics.learning_facts(db=db, since=date(2026, 4, 1))}
    assert ids == {archive["C"], archive["D"]}


def test_every_query_asks_who_may_see_what(db, archive, monkeypatch):
    hidden = archive["A"]
    monkeypatch.setattr(
        stored_metrics, "visible_sql", lambda db, id_column="documents.id": (f"{id_column} != ?", [hidden])
    )
    assert hidden not in {f.id for f in stored_metrics.learning_facts(db=db)}
    assert figures(db).per_quarter[0].count == 1
    assert stored_metrics.version(db=db)[0] == 3


def test_the_version_moves_with_saves_deletes_and_the_trail(db, archive):
    seen = {stored_metrics.version(db=db)}
    stored = storage.get(db=db, doc_id=archive["D"])
    storage.save(
        db=db,
        doc_id=stored.id,
        doc=stored.doc.model_copy(update={"summary": "Edited."}),
        expected_version=stored.version,
    )
    seen.add(stored_metrics.version(db=db))
    storage.delete(db=db, doc_id=archive["C"])
    seen.add(stored_metrics.version(db=db))
    record(db=db, doc_id=archive["D"], version=2, action="status", by="ic", to_status="published")
    seen.add(stored_metrics.version(db=db))
    assert len(seen) == 4


def test_span_covers_the_visible_incidents(db, archive):
    assert stored_metrics.span(db=db) == (utc("2026-01-05 10:00"), utc("2026-05-01 09:00"))


def test_an_empty_archive_has_no_span(db):
    assert stored_metrics.span(db=db) is None and stored_metrics.learning_facts(db=db) == []


def test_a_post_mortem_without_times_counts_when_it_was_started(db):
    stored = storage.create(
        db=db, doc=PostMortem.model_validate({"header": {"incident_id": "INC-N", "title": "N"}})
    )
    (facts,) = stored_metrics.learning_facts(db=db)
    assert facts.incident_at == datetime.fromisoformat(stored.updated_at) and facts.closed_at is None


def test_a_save_refreshes_the_columns(db, archive):
    stored = storage.get(db=db, doc_id=archive["C"])
    changed = stored.doc.model_copy(update={"went_well": [Note(text="Paging worked")]})
    storage.save(db=db, doc_id=stored.id, doc=changed, expected_version=stored.version)
    row = db.execute("select went_well_count from documents where id = ?", [stored.id]).fetchone()
    assert row[0] == 1


def test_m008_projects_documents_stored_before_it(tmp_path):
    path = tmp_path / "old.db"
    doc = make(
        "INC-OLD",
        "2026-01-05 10:00",
        Severity.SEV1,
        DocStatus.FINAL,
        went_well=2,
        allspaw=True,
        items=(done("Alert", utc("2026-01-07 10:00")),),
        signed="2026-01-08 09:00",
    )
    # Stored by the Debrief of that time, which had no learning columns yet.
    old = database_before(path, "m008_learning_columns", [[doc]])
    doc_id = old.execute("select id from documents where incident_id = 'INC-OLD'").fetchone()[0]
    old.close()
    db = storage.connect(path, actor=storage.LOCAL)
    assert "m008_learning_columns" in {m.name for m in migrations.applied(db)}
    row = db.execute_returning_dicts(f"select {', '.join(COLUMNS)} from documents where id = ?", [doc_id])[0]
    assert row == facts_from_doc(doc)
    plan = " ".join(
        str(r)
        for r in db.execute(
            f"explain query plan select {', '.join(COLUMNS)} from documents where deleted_at is null"
        )
    )
    assert "COVERING INDEX documents_learning" in plan
