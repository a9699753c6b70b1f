"""A database left at every older schema upgrades to exactly the schema of a new one, and holds the
same projections a save writes today (the migrations fill them with their own frozen SQL)."""

from __future__ import annotations

import functools
import json

import pytest

import storage
from postmortem.models import ActionItem, ActionStatus, PostMortem, Severity
from storage import search
from storage.migrations import migrations
from tests.conftest import build_postmortem
from tests.old_schema import NAMES, database_before

# Columns the save path projects, compared between an upgraded database and a new one.
PROJECTED = {
    "documents": "incident_id, trigger, failure_class, services, closed_at, novel, incident_at, "
    "incident_closed_at, signed_off_at, went_well_count, allspaw_fair, detect_min, mitigate_min, resolve_min, "
    "items_total, items_cancelled, items_done_undated, items_done_30d, items_done_90d",
    "action_items": "item_id, position, title, owner, due, tracker, category, priority, status, closed_at",
    "search_docs": "incident_id, title, severity, status, incident_at, failure_class, class_key, services, "
    "author_role",
    "doc_labels": "kind, value, key",
}


@functools.cache  # item ids are random: the same documents for the old and the new database
def _documents() -> tuple[PostMortem, ...]:
    first = build_postmortem()
    second = build_postmortem(
        "INC-2026-0002",
        "Replica lag",
        action_items=[
            ActionItem(title="Add replica lag alert", owner="dba", status=ActionStatus.IN_PROGRESS),
            ActionItem(title="Document failover", status=ActionStatus.CANCELLED, cancel_reason="Exists"),
        ],
    )
    second = second.model_copy(
        update={"header": second.header.model_copy(update={"severity": Severity.SEV3, "tags": ["database"]})}
    )
    return (first, second)


def _schema(db) -> list[tuple]:
    return sorted(
        db.execute(
            "select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%'"
        ).fetchall(),
        key=lambda row: (row[0], row[1]),
    )


def _projections(db) -> dict[str, list[tuple]]:
    """Each projected table's rows, ordered by incident ID (the row ids of the two databases may differ)."""
    order = {
        "documents": "incident_id",
        "action_items": "(select incident_id from documents d where d.id = doc_id), position",
        "search_docs": "incident_id",
        "doc_labels": "(select incident_id from documents d where d.id = doc_id), kind, value",
    }
    return {
        table: db.execute(f"select {columns} from {table} order by {order[table]}").fetchall()
        for table, columns in PROJECTED.items()
    }


def _stored_documents(db) -> list[PostMortem]:
    return [storage.get(db=db, doc_id=listed.id).doc for listed in storage.list_documents(db=db)]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A new database holding the same documents, saved through today's save path."""
    db = storage.connect(tmp_path_factory.mktemp("fresh") / "fresh.db", actor=storage.LOCAL)
    for doc in _documents():
        storage.create(db=db, doc=doc)
    yield db
    db.close()


@pytest.mark.parametrize("stopped_before", NAMES[1:])
def test_a_database_from_before_each_migration_upgrades_to_todays_schema(tmp_path, fresh, stopped_before):
    path = tmp_path / "old.db"
    docs = _documents()
    database_before(path, stopped_before, [[doc] for doc in docs]).close()

    db = storage.connect(path, actor=storage.LOCAL)
    assert migrations.pending(db) == []
    assert [m.name for m in migrations.applied(db)] == NAMES
    assert _schema(db) == _schema(fresh)
    assert _projections(db) == _projections(fresh)
    # The text is indexed by the first search, as after a save.
    assert [hit.incident_id for hit in search.search(db=db, query=search.Query(text="replica")).hits] == [
        "INC-2026-0002"
    ]
    assert _stored_documents(db) == _stored_documents(fresh)
    # And it saves like a new one: no save asks which migrations have run.
    stored = storage.find(db=db, key="INC-2026-0001")
    renamed = stored.doc.model_copy(update={"summary": "Renamed after the upgrade."})
    assert storage.save(db=db, doc_id=stored.id, doc=renamed, expected_version=stored.version).version == 2
    db.close()


SHIPPED = [
    "m001_documents_and_revisions",
    "m002_filter_columns",
    "m003_action_items",
    "m004_audit",
    "m005_search_index",
    "m006_vocabulary_and_filters",
    "m007_action_item_touched",
    "m008_learning_columns",
    "m009_users_and_access",
    "m010_presence",
    "m011_search_index_without_names",
    "m012_notifications",
    "m013_first_mitigation_apart_from_mitigated",
    "m014_blobs",
    "m015_home_list_index",
    "m016_comment_threads",
    "m017_notify_prefs_address",
]


def test_shipped_migrations_keep_their_names_and_order():
    """Databases in use record these names: a renamed or reordered one would run again, or never."""
    assert NAMES[: len(SHIPPED)] == SHIPPED


def test_the_comparison_sees_a_missing_projection(tmp_path, fresh):
    """The projections compared above are real: an upgraded database with one row dropped differs."""
    path = tmp_path / "old.db"
    database_before(path, NAMES[-1], [[doc] for doc in _documents()]).close()
    db = storage.connect(path, actor=storage.LOCAL)
    assert _projections(db) == _projections(fresh)
    db.execute("delete from doc_labels where kind = 'tag'")
    assert _projections(db) != _projections(fresh)
    assert json.loads(_projections(db)["documents"][0][3]) == ["checkout", "payments"]
    db.close()
