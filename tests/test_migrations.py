"""Upgrading a database written by the first schema: columns and side tables filled from the body."""

from __future__ import annotations

import json

from sqlite_utils import Database

import storage
from postmortem.models import ActionItem, ActionStatus, PostMortem, Severity, TriggerKind
from storage.migrations import migrations
from tests.conftest import build_postmortem
from tests.old_schema import insert_raw

FIRST_DOCUMENT_COLUMNS = {
    "id",
    "incident_id",
    "title",
    "severity",
    "status",
    "version",
    "body",
    "created_at",
    "updated_at",
    "deleted_at",
}


def _first_schema_db(path) -> Database:
    db = Database(path)
    migrations.apply(db, stop_before="m002_filter_columns")
    assert [m.name for m in migrations.applied(db)] == ["m001_documents_and_revisions"]
    assert set(db["documents"].columns_dict) == FIRST_DOCUMENT_COLUMNS
    assert not db["action_items"].exists()
    return db


def _insert_as_first_schema(db: Database, doc: PostMortem, versions: int = 1) -> int:
    """A document row and its revisions, written as the version-1 app wrote them (raw SQL, no projections)."""
    return insert_raw(db, [doc] * versions)


def test_first_schema_database_is_upgraded_on_connect(tmp_path):
    path = tmp_path / "old.db"
    old = _first_schema_db(path)
    closed = build_postmortem()  # closed, with one action item
    second_items = [
        ActionItem(title="Add replica lag alert", owner="dba", status=ActionStatus.IN_PROGRESS),
        ActionItem(title="Document failover", status=ActionStatus.CANCELLED, cancel_reason="Exists"),
    ]
    other = build_postmortem("INC-2026-0002", "Replica lag", action_items=second_items)
    other = other.model_copy(
        update={
            "header": other.header.model_copy(
                update={
                    "trigger": TriggerKind.DATA_LOSS,
                    "novel_failure_class": True,
                    "severity": Severity.SEV3,
                    "failure_class": "replication lag",
                    "services": ["orders-db"],
                }
            )
        }
    )
    first_id = _insert_as_first_schema(old, closed, versions=3)
    other_id = _insert_as_first_schema(old, other)
    old.close()

    db = storage.connect(path, actor=storage.LOCAL)
    assert migrations.pending(db) == []
    names = [m.name for m in migrations.applied(db)]
    assert names[:4] == [
        "m001_documents_and_revisions",
        "m002_filter_columns",
        "m003_action_items",
        "m004_audit",
    ]
    assert names == sorted(names)  # applied in the order they are numbered
    assert len(names) == len(migrations.pending(Database(memory=True)))
    # The items' times come from the revisions: the first document's item is unchanged since version 1.
    touched = dict(db.execute("select doc_id, touched_at from action_items").fetchall())
    assert touched[first_id] == "2026-03-04T10:01:00.000+00:00"
    assert {"trigger", "failure_class", "services", "closed_at", "updated_by", "novel"} <= set(
        db["documents"].columns_dict
    )

    rows = {r["id"]: r for r in db.query("select * from documents")}
    assert (rows[first_id]["trigger"], rows[first_id]["novel"], rows[first_id]["closed_at"]) == (
        "outage",
        0,
        "2026-03-04T12:00:00Z",
    )
    assert json.loads(rows[first_id]["services"]) == ["checkout", "payments"]
    assert (rows[other_id]["trigger"], rows[other_id]["novel"], rows[other_id]["failure_class"]) == (
        "data loss",
        1,
        "replication lag",
    )

    items = list(
        db.query(
            "select doc_id, item_id, position, title, status from action_items order by doc_id, position"
        )
    )
    assert items == [
        {
            "doc_id": first_id,
            "item_id": closed.action_items[0].id,
            "position": 0,
            "title": "Validate config pushes",
            "status": "open",
        },
        {
            "doc_id": other_id,
            "item_id": second_items[0].id,
            "position": 0,
            "title": "Add replica lag alert",
            "status": "in progress",
        },
        {
            "doc_id": other_id,
            "item_id": second_items[1].id,
            "position": 1,
            "title": "Document failover",
            "status": "cancelled",
        },
    ]

    # The upgraded database behaves like a new one.
    stored = storage.find(db=db, key="INC-2026-0001")
    assert (stored.version, stored.doc) == (3, closed)
    assert [r.version for r in storage.revisions(db=db, doc_id=first_id)] == [3, 2, 1]
    renamed = closed.model_copy(update={"header": closed.header.model_copy(update={"title": "Renamed"})})
    saved = storage.save(db=db, doc_id=first_id, doc=renamed, expected_version=3)
    assert saved.version == 4
    assert storage.get(db=db, doc_id=first_id).doc.header.title == "Renamed"
    assert [d.incident_id for d in storage.list_documents(db=db)][0] == "INC-2026-0001"
    assert db.journal_mode == "wal"
    db.close()


def test_upgrade_from_the_middle_schema(tmp_path):
    """A database stopped after m002 gets only m003, and its tracker rows."""
    path = tmp_path / "mid.db"
    mid = Database(path)
    migrations.apply(mid, stop_before="m003_action_items")
    doc = build_postmortem()
    doc_id = _insert_as_first_schema(mid, doc)
    mid.close()

    db = storage.connect(path, actor=storage.LOCAL)
    assert migrations.pending(db) == []
    assert [
        r["item_id"] for r in db.query("select item_id from action_items where doc_id = ?", [doc_id])
    ] == [doc.action_items[0].id]
    db.close()


def test_migrating_twice_is_a_no_op(tmp_path, doc):
    path = tmp_path / "twice.db"
    db = storage.connect(path, actor=storage.LOCAL)
    storage.create(db=db, doc=doc)
    migrations.apply(db)
    assert len(migrations.applied(db)) == len(migrations.pending(Database(memory=True)))
    assert storage.find(db=db, key=doc.header.incident_id).doc == doc
    db.close()


def test_every_migration_is_named_and_ordered():
    names = [m.name for m in migrations.pending(Database(memory=True))]
    assert names[0] == "m001_documents_and_revisions"
    assert names == sorted(names)
    assert all(name[:1] == "m" and name[1:4].isdigit() for name in names)


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path):
    # Separate interpreters (not multiprocessing's spawn, which re-runs whatever __main__ an earlier
    # AppTest.from_function left behind), started together on one new file.
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for round_ in range(1):
        path = str(tmp_path / f"race{round_}.db")
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "import sys, storage; storage.connect(sys.argv[1], actor=storage.LOCAL)",
                    path,
                ],
                cwd=root,
            )
            for _ in range(4)
        ]
        assert [w.wait(timeout=60) for w in workers] == [0, 0, 0, 0]
        assert not migrations.pending(storage.connect(path, actor=storage.LOCAL))


def _old_body(doc: PostMortem, **times: str | None) -> str:
    """A body as Debrief wrote it before first mitigation attempt and mitigated were two times."""
    body = json.loads(doc.model_dump_json())
    for field in (
        "first_mitigation_at",
        "impact_started_at",
        "unavailable_from",
        "unavailable_to",
        "approximate",
    ):
        body["header"]["times"].pop(field, None)
    body["header"]["times"].update(times)
    return json.dumps(body)


def test_first_mitigation_attempt_moves_out_of_mitigated_and_unknown_stays_unknown(tmp_path):
    db = Database(tmp_path / "old.db")
    migrations.apply(db, stop_before="m013_first_mitigation_apart_from_mitigated")
    copied = build_postmortem()  # its timeline marks "first mitigation attempt" at minute 12
    typed = build_postmortem("INC-2026-0002")
    for doc, mitigated in ((copied, "2026-03-04T10:12:00Z"), (typed, "2026-03-04T10:20:00Z")):
        db.execute(
            "insert into documents (incident_id, title, version, body) values (?, ?, 1, ?)",
            [doc.header.incident_id, doc.header.title, _old_body(doc, mitigated_at=mitigated)],
        )
    db.conn.commit()
    migrations.apply(db)
    times = {
        row["incident_id"]: PostMortem.model_validate_json(row["body"]).header.times
        for row in db.query("select incident_id, body from documents")
    }
    moved, kept = times["INC-2026-0001"], times["INC-2026-0002"]
    assert (moved.first_mitigation_at.minute, moved.mitigated_at) == (12, None)
    assert (kept.first_mitigation_at, kept.mitigated_at.minute) == (None, 20)  # typed by hand: stays
    assert (moved.impact_started_at, moved.unavailable_from, kept.impact_started_at) == (None, None, None)
