"""Storage over real SQLite files: documents, revisions, conflicts, soft delete and projections."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from pydantic import ValidationError

import storage
from postmortem.models import ActionItem, ActionStatus, Note, PostMortem, Severity, new_postmortem
from postmortem.settings import Settings
from storage import ConflictError, DuplicateError, NotFoundError
from tests.conftest import build_postmortem


def _titled(doc: PostMortem, title: str) -> PostMortem:
    return doc.model_copy(update={"header": doc.header.model_copy(update={"title": title})})


def _tick():
    time.sleep(0.005)  # timestamps have millisecond resolution; keep "newest first" unambiguous


def test_create_then_get(db, doc):
    stored = storage.create(db=db, doc=doc)
    assert stored.version == 1
    again = storage.get(db=db, doc_id=stored.id)
    assert again.doc == doc
    assert (again.id, again.version, again.deleted_at) == (stored.id, 1, None)


@pytest.mark.parametrize(
    "key", ["number", "number as text", "padded number", "incident id", "padded incident id"]
)
def test_find_by_number_or_incident_id(db, doc, key):
    stored = storage.create(db=db, doc=doc)
    storage.create(db=db, doc=new_postmortem("INC-2026-0002", "Another"))
    value = {
        "number": stored.id,
        "number as text": str(stored.id),
        "padded number": f" {stored.id} ",
        "incident id": "INC-2026-0001",
        "padded incident id": "  INC-2026-0001\n",
    }[key]
    assert storage.find(db=db, key=value).doc == doc


def test_find_an_all_digit_incident_id(db):
    # The model allows incident IDs such as 20260042; find must not read them only as row numbers.
    stored = storage.create(db=db, doc=new_postmortem("20260042", "Digits only"))
    assert storage.find(db=db, key="20260042").id == stored.id
    assert storage.find(db=db, key=stored.id).id == stored.id


@pytest.mark.parametrize("key", ["999", "INC-2026-9999", "", "²"])
def test_find_unknown_raises_not_found(db, doc, key):
    storage.create(db=db, doc=doc)
    with pytest.raises(NotFoundError):
        storage.find(db=db, key=key)


def test_get_unknown_raises_not_found(db):
    with pytest.raises(NotFoundError):
        storage.get(db=db, doc_id=42)


def test_duplicate_incident_id_is_refused(db, doc):
    storage.create(db=db, doc=doc)
    with pytest.raises(DuplicateError, match="INC-2026-0001"):
        storage.create(db=db, doc=new_postmortem("INC-2026-0001", "Same ID"))
    assert db.execute("select count(*) from documents").fetchone()[0] == 1
    assert db.execute("select count(*) from revisions").fetchone()[0] == 1


def test_saving_to_another_documents_incident_id_is_refused(db, doc):
    first = storage.create(db=db, doc=doc)
    second = storage.create(db=db, doc=new_postmortem("INC-2026-0002", "Second"))
    clash = second.doc.model_copy(
        update={"header": second.doc.header.model_copy(update={"incident_id": first.doc.header.incident_id})}
    )
    with pytest.raises(DuplicateError):
        storage.save(db=db, doc_id=second.id, doc=clash, expected_version=1)
    assert storage.get(db=db, doc_id=second.id).version == 1


def test_save_bumps_version_and_keeps_a_revision_each_time(db, doc):
    stored = storage.create(db=db, doc=doc)
    for n in range(2, 6):
        stored = storage.save(db=db, doc_id=stored.id, doc=_titled(doc, f"Title {n}"), expected_version=n - 1)
        assert stored.version == n
    current = storage.get(db=db, doc_id=stored.id)
    assert (current.version, current.doc.header.title) == (5, "Title 5")
    assert [r.version for r in storage.revisions(db=db, doc_id=stored.id)] == [5, 4, 3, 2, 1]
    assert db.execute("select count(*) from revisions").fetchone()[0] == 5


def test_stale_save_raises_conflict_carrying_the_attempt_and_writes_nothing(db, doc):
    stored = storage.create(db=db, doc=doc)
    storage.save(db=db, doc_id=stored.id, doc=_titled(doc, "Theirs"), expected_version=1)
    mine = _titled(doc, "Mine")
    before = (
        db.execute("select * from documents").fetchall(),
        db.execute("select * from revisions").fetchall(),
    )
    with pytest.raises(ConflictError) as error:
        storage.save(db=db, doc_id=stored.id, doc=mine, expected_version=1)
    assert error.value.attempted == mine
    assert (error.value.doc_id, error.value.expected, error.value.actual) == (stored.id, 1, 2)
    assert "Your changes were not written" in str(error.value)
    after = db.execute("select * from documents").fetchall(), db.execute("select * from revisions").fetchall()
    assert after == before
    assert not db.conn.in_transaction  # the failed write released its lock


def test_save_to_unknown_document_raises_not_found(db, doc):
    with pytest.raises(NotFoundError):
        storage.save(db=db, doc_id=7, doc=doc, expected_version=1)


def test_revisions_newest_first_with_titles_and_authors(db, doc):
    stored = storage.create(db=db, doc=doc, by="alice")
    _tick()
    storage.save(db=db, doc_id=stored.id, doc=_titled(doc, "Renamed"), expected_version=1, by="bob")
    revs = storage.revisions(db=db, doc_id=stored.id)
    assert [(r.version, r.title, r.saved_by) for r in revs] == [
        (2, "Renamed", "bob"),
        (1, doc.header.title, "alice"),
    ]
    assert revs[0].saved_at > revs[1].saved_at


def test_revisions_of_unknown_document_raise(db):
    with pytest.raises(NotFoundError):
        storage.revisions(db=db, doc_id=3)


def test_get_revision_and_restore_make_a_new_version(db, doc):
    stored = storage.create(db=db, doc=doc)
    storage.save(db=db, doc_id=stored.id, doc=_titled(doc, "Second"), expected_version=1)
    storage.save(db=db, doc_id=stored.id, doc=_titled(doc, "Third"), expected_version=2)
    assert storage.get_revision(db=db, doc_id=stored.id, version=1) == doc
    restored = storage.restore_revision(db=db, doc_id=stored.id, version=1, expected_version=3)
    assert restored.version == 4
    assert storage.get(db=db, doc_id=stored.id).doc == doc
    assert [r.title for r in storage.revisions(db=db, doc_id=stored.id)] == [
        doc.header.title,
        "Third",
        "Second",
        doc.header.title,
    ]


def test_restore_checks_the_version_and_the_revision(db, doc):
    stored = storage.create(db=db, doc=doc)
    storage.save(db=db, doc_id=stored.id, doc=_titled(doc, "Second"), expected_version=1)
    with pytest.raises(ConflictError):
        storage.restore_revision(db=db, doc_id=stored.id, version=1, expected_version=1)
    with pytest.raises(NotFoundError):
        storage.get_revision(db=db, doc_id=stored.id, version=9)
    assert storage.get(db=db, doc_id=stored.id).version == 2


def test_delete_is_soft_and_undelete_restores(db, doc):
    kept = storage.create(db=db, doc=new_postmortem("INC-2026-0009", "Kept"))
    stored = storage.create(db=db, doc=doc)
    storage.delete(db=db, doc_id=stored.id)

    assert [d.id for d in storage.list_documents(db=db)] == [kept.id]
    binned = storage.list_documents(db=db, deleted=True)
    assert [d.id for d in binned] == [stored.id] and binned[0].deleted_at
    with pytest.raises(NotFoundError):
        storage.get(db=db, doc_id=stored.id)
    with pytest.raises(NotFoundError):
        storage.find(db=db, key="INC-2026-0001")
    with pytest.raises(NotFoundError):
        storage.current_version(db=db, doc_id=stored.id)
    assert storage.get(db=db, doc_id=stored.id, include_deleted=True).doc == doc
    assert storage.find(db=db, key="INC-2026-0001", include_deleted=True).id == stored.id
    assert len(storage.revisions(db=db, doc_id=stored.id)) == 1  # nothing erased

    storage.undelete(db=db, doc_id=stored.id)
    assert storage.current_version(db=db, doc_id=stored.id) == 1
    assert {d.id for d in storage.list_documents(db=db)} == {kept.id, stored.id}
    assert storage.list_documents(db=db, deleted=True) == []
    assert storage.get(db=db, doc_id=stored.id).deleted_at is None


def test_a_deleted_documents_incident_id_stays_taken(db, doc):
    stored = storage.create(db=db, doc=doc)
    storage.delete(db=db, doc_id=stored.id)
    with pytest.raises(DuplicateError):
        storage.create(db=db, doc=new_postmortem(doc.header.incident_id, "Again"))


@pytest.mark.parametrize("action", [storage.delete, storage.undelete])
def test_delete_and_undelete_unknown_raise(db, action):
    with pytest.raises(NotFoundError):
        action(db=db, doc_id=11)


def test_list_documents_has_projected_columns_newest_change_first(db, doc):
    old = storage.create(db=db, doc=doc)
    _tick()
    new = storage.create(db=db, doc=new_postmortem("INC-2026-0002", "Newer", severity=Severity.SEV3))
    listed = storage.list_documents(db=db)
    assert [d.id for d in listed] == [new.id, old.id]
    first = listed[1]
    assert (first.incident_id, first.title, first.severity, first.status, first.version) == (
        "INC-2026-0001",
        doc.header.title,
        "Sev1",
        "draft",
        1,
    )
    assert (first.trigger, first.novel, first.closed_at) == ("outage", 0, "2026-03-04T12:00:00Z")
    _tick()
    storage.save(db=db, doc_id=old.id, doc=doc, expected_version=1)
    assert [d.id for d in storage.list_documents(db=db)] == [old.id, new.id]


def _tracker_rows(db, doc_id):
    return db.execute_returning_dicts(
        "select item_id, position, title, owner, due, status from action_items "
        "where doc_id = ? order by position",
        [doc_id],
    )


def test_action_item_rows_follow_saves(db, doc):
    stored = storage.create(db=db, doc=doc)
    [row] = _tracker_rows(db, stored.id)
    assert row == {
        "item_id": doc.action_items[0].id,
        "position": 0,
        "title": "Validate config pushes",
        "owner": "payments lead",
        "due": "2026-03-20",
        "status": "open",
    }

    added = ActionItem(title="Alert on empty region lists", owner="sre lead")
    two = doc.model_copy(update={"action_items": [*doc.action_items, added]})
    storage.save(db=db, doc_id=stored.id, doc=two, expected_version=1)
    assert [(r["item_id"], r["position"]) for r in _tracker_rows(db, stored.id)] == [
        (doc.action_items[0].id, 0),
        (added.id, 1),
    ]

    done = added.model_copy(update={"status": ActionStatus.DONE})
    storage.save(
        db=db, doc_id=stored.id, doc=doc.model_copy(update={"action_items": [done]}), expected_version=2
    )
    assert [(r["item_id"], r["position"], r["status"]) for r in _tracker_rows(db, stored.id)] == [
        (added.id, 0, "done")
    ]

    storage.save(db=db, doc_id=stored.id, doc=doc.model_copy(update={"action_items": []}), expected_version=3)
    assert _tracker_rows(db, stored.id) == []


def test_action_item_rows_are_kept_per_document(db, doc):
    a = storage.create(db=db, doc=doc)
    b = storage.create(db=db, doc=build_postmortem("INC-2026-0002"))
    storage.save(db=db, doc_id=a.id, doc=doc.model_copy(update={"action_items": []}), expected_version=1)
    assert _tracker_rows(db, a.id) == [] and len(_tracker_rows(db, b.id)) == 1


def test_restore_also_restores_projections(db, doc):
    stored = storage.create(db=db, doc=doc)
    storage.save(db=db, doc_id=stored.id, doc=doc.model_copy(update={"action_items": []}), expected_version=1)
    storage.restore_revision(db=db, doc_id=stored.id, version=1, expected_version=2)
    assert [r["item_id"] for r in _tracker_rows(db, stored.id)] == [doc.action_items[0].id]


def test_unicode_survives_storage(db):
    text = "Rollback 🚀 · הצוות · Cafe\u0301 · bell · 障害"  # control characters: tests/test_trust.py
    doc = build_postmortem(summary=text, went_well=[Note(text=text)])
    stored = storage.create(db=db, doc=doc)
    assert storage.get(db=db, doc_id=stored.id).doc.summary == text


def test_wal_journal_mode_and_busy_timeout(db, db_path):
    assert db.journal_mode == "wal"
    assert db.execute("pragma busy_timeout").fetchone()[0] == 5000
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1
    # Every connection, not only the first, waits for the write lock.
    other = storage.connect(db_path, actor=storage.LOCAL)
    assert other.execute("pragma busy_timeout").fetchone()[0] == 5000
    other.close()


def test_default_path_is_the_configured_one_else_the_data_folder(tmp_path):
    assert storage.default_path(tmp_path / "team.db") == tmp_path / "team.db"
    assert storage.default_path(Path("~/debrief-test.db")) == Path.home() / "debrief-test.db"
    assert storage.default_path(None).name == "debrief.db" == storage.default_path().name
    assert storage.default_path().parent.name == "debrief"


def test_a_configured_path_in_a_missing_folder_is_refused(tmp_path, monkeypatch):
    """$DEBRIEF_DB is named by hand like --db: a missing folder is a typo, not something to create."""
    target = tmp_path / "nested" / "dir" / "env.db"
    monkeypatch.setenv("DEBRIEF_DB", str(target))
    with pytest.raises(storage.MissingFolderError, match="does not exist"):
        storage.connect(storage.default_path(Settings.load().db), actor=storage.LOCAL)
    assert not target.parent.exists()


def test_next_incident_id(db):
    assert storage.next_incident_id(db=db, year=2026) == "INC-2026-0001"
    for incident_id in ["INC-2026-0001", "INC-2026-0041", "INC-2025-0099", "INC-2026-draft"]:
        storage.create(db=db, doc=new_postmortem(incident_id, "x"))
    assert storage.next_incident_id(db=db, year=2026) == "INC-2026-0042"
    assert storage.next_incident_id(db=db, year=2025) == "INC-2025-0100"
    assert storage.next_incident_id(db=db, year=2027) == "INC-2027-0001"


def test_next_incident_id_counts_deleted_documents(db):
    stored = storage.create(db=db, doc=new_postmortem("INC-2026-0005", "x"))
    storage.delete(db=db, doc_id=stored.id)
    assert storage.next_incident_id(db=db, year=2026) == "INC-2026-0006"


def test_loads_parses_and_validates(doc):
    assert storage.loads(doc.model_dump_json()) == doc
    with pytest.raises(ValueError):
        storage.loads("{not json")
    with pytest.raises(ValidationError):
        storage.loads('{"header": {"incident_id": "x"}}')


def _race(db_path, doc_id: int, base: PostMortem, version: int, titles: tuple[str, ...]) -> dict[str, object]:
    """Each title saved from its own thread and connection, all based on `version`, released at once."""
    barrier = threading.Barrier(len(titles))
    outcomes: dict[str, object] = {}

    def edit(title: str) -> None:
        conn = storage.connect(db_path, actor=storage.LOCAL)
        try:
            barrier.wait()
            outcomes[title] = storage.save(
                db=conn, doc_id=doc_id, doc=_titled(base, title), expected_version=version
            )
        except ConflictError as error:
            outcomes[title] = error
        finally:
            conn.close()

    threads = [threading.Thread(target=edit, args=(title,)) for title in titles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("writers", [2, 4])
def test_threads_saving_the_same_version_exactly_one_wins(db_path, doc, writers):
    """Separate connections, as Streamlit's threads have them: exactly one save per base version wins."""
    check = storage.connect(db_path, actor=storage.LOCAL)
    current = storage.create(db=check, doc=doc)
    for round_ in range(5):
        titles = tuple(f"Writer {w} round {round_}" for w in range(writers))
        outcomes = _race(db_path, current.id, current.doc, current.version, titles)
        winners = [title for title, result in outcomes.items() if isinstance(result, storage.Stored)]
        losers = [result for result in outcomes.values() if isinstance(result, ConflictError)]
        assert len(outcomes) == writers and len(winners) == 1 and len(losers) == writers - 1, outcomes
        latest = storage.get(db=check, doc_id=current.id)
        assert latest.version == current.version + 1
        assert latest.doc.header.title == winners[0]
        assert all(loser.actual == latest.version for loser in losers)
        current = latest
    assert [r.version for r in storage.revisions(db=check, doc_id=current.id)] == list(range(6, 0, -1))
    check.close()


def test_a_deleted_database_file_is_recreated_on_the_next_connect(db_path, doc):
    """A long-running server must not remember 'already migrated' for a file that is gone."""
    db = storage.connect(db_path, actor=storage.LOCAL)
    storage.create(db=db, doc=doc)
    db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    fresh = storage.connect(db_path, actor=storage.LOCAL)
    assert storage.list_documents(db=fresh) == []
    assert fresh.journal_mode == "wal"
    assert storage.create(db=fresh, doc=doc).version == 1
    fresh.close()


def test_a_status_change_and_its_audit_rows_are_one_transaction(db, doc):
    from postmortem.models import DocStatus
    from storage import audit

    stored = storage.create(db=db, doc=doc)
    after = doc.model_copy(update={"header": doc.header.model_copy(update={"status": DocStatus.IN_REVIEW})})

    class Boom(Exception):
        pass

    original = audit.record

    def failing_record(**kwargs):
        original(**kwargs)
        raise Boom

    audit.record = failing_record
    try:
        with pytest.raises(Boom):
            audit.save_status_change(
                db=db, doc_id=stored.id, before=doc, after=after, expected_version=stored.version, by="tester"
            )
    finally:
        audit.record = original
    assert storage.get(db=db, doc_id=stored.id).version == stored.version
    assert audit.trail(db=db, doc_id=stored.id) == []
    saved = audit.save_status_change(
        db=db, doc_id=stored.id, before=doc, after=after, expected_version=stored.version, by="tester"
    )
    assert saved.version == stored.version + 1 and len(audit.trail(db=db, doc_id=stored.id)) == 1
