"""Backups: consistent while writers run, checked before a restore, taken before every schema upgrade."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from cli_helpers import main
from sqlite_utils import Database

import storage
from postmortem.models import new_postmortem
from storage import backup, presence
from storage.migrations import migrations
from tests.test_migrations import _first_schema_db, _insert_as_first_schema

ALL_MIGRATIONS = [m.name for m in migrations._migrations]


def _integrity(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def test_a_backup_taken_while_a_writer_keeps_saving_is_whole(db_path, doc):
    db = storage.connect(db_path, actor=storage.LOCAL)
    stored = storage.create(db=db, doc=doc)
    stop, saves, failures = threading.Event(), [0], []

    def writer() -> None:  # its own connection, like another browser session's rerun
        conn, version = storage.connect(db_path, actor=storage.LOCAL), stored.version
        try:
            while not stop.is_set():
                changed = doc.model_copy(update={"summary": f"Save number {saves[0]}."})
                version = storage.save(
                    db=conn, doc_id=stored.id, doc=changed, expected_version=version
                ).version
                saves[0] += 1
        except Exception as exc:
            failures.append(exc)
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = []
        while len(copies) < 5 or saves[0] < 20:
            copies.append(backup.backup(db_path, db_path.with_name(f"copy{len(copies)}.db")))
    finally:
        stop.set()
        thread.join()
    assert failures == [] and saves[0] >= 20
    for copy in copies:
        assert _integrity(copy) == ["ok"]
        info = backup.verify(copy)
        assert info.migrations == ALL_MIGRATIONS and info.documents == 1
        copied = storage.get(db=storage.connect(copy, actor=storage.LOCAL), doc_id=stored.id)
        # The copy's document is the one its last revision says: no save is half in it.
        assert copied.doc == storage.get_revision(
            db=storage.connect(copy, actor=storage.LOCAL), doc_id=stored.id, version=copied.version
        )
        assert not Path(f"{copy}-wal").exists() or Path(f"{copy}-wal").stat().st_size == 0


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_a_file_that_is_not_a_database_is_refused(tmp_path, content):
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    with pytest.raises(backup.InvalidBackupError, match="not"):
        backup.verify(bad)


def test_a_sqlite_database_that_is_not_debrief_is_refused(tmp_path):
    other = Database(tmp_path / "other.db")
    other["things"].insert({"a": 1})
    other.close()
    with pytest.raises(backup.InvalidBackupError, match="not a Debrief one"):
        backup.verify(tmp_path / "other.db")


def test_a_backup_from_a_newer_version_is_refused(tmp_path, db):
    db["_sqlite_migrations"].insert(
        {"migration_set": "debrief", "name": "m999_from_the_future", "applied_at": "2030-01-01"}
    )
    with pytest.raises(backup.InvalidBackupError, match="newer Debrief"):
        backup.verify(db.conn.execute("pragma database_list").fetchone()[2])


def test_a_damaged_database_is_refused(tmp_path, db_path, doc):
    db = storage.connect(db_path, actor=storage.LOCAL)
    for n in range(30):
        storage.create(
            db=db,
            doc=new_postmortem(f"INC-2026-{n:04d}", "x" * 150).model_copy(update={"summary": "y" * 3000}),
        )
    copy = backup.backup(db, tmp_path / "copy.db")
    data = bytearray(copy.read_bytes())
    data[4096 * 3 : 4096 * 3 + 200] = b"\xff" * 200  # scribble over a page in the middle
    copy.write_bytes(bytes(data))
    with pytest.raises(backup.InvalidBackupError, match="damaged|not a readable"):
        backup.verify(copy)


def test_restore_replaces_the_database_keeps_the_old_one_and_a_live_connection_sees_it(tmp_path, db_path):
    db = storage.connect(db_path, actor=storage.LOCAL)
    storage.create(db=db, doc=new_postmortem("INC-2026-0001", "Kept in the backup"))
    saved = backup.backup(db, tmp_path / "saved.db")
    storage.create(db=db, doc=new_postmortem("INC-2026-0002", "Made after the backup"))

    aside = backup.restore(saved, db_path)

    assert aside is not None and aside.name.startswith("x.db.before-restore-")
    assert [r.title for r in storage.list_documents(db=db)] == ["Kept in the backup"]  # same connection
    kept = storage.connect(aside, actor=storage.LOCAL)
    assert sorted(r.title for r in storage.list_documents(db=kept)) == [
        "Kept in the backup",
        "Made after the backup",
    ]


def test_a_refused_restore_leaves_the_database_untouched(tmp_path, db_path):
    db = storage.connect(db_path, actor=storage.LOCAL)
    storage.create(db=db, doc=new_postmortem("INC-2026-0001", "Still here"))
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"junk" * 1000)
    with pytest.raises(backup.InvalidBackupError):
        backup.restore(bad, db_path)
    with pytest.raises(backup.InvalidBackupError, match="the database itself"):
        backup.restore(db_path, db_path)
    assert [r.title for r in storage.list_documents(db=db)] == ["Still here"]
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_an_upgrade_keeps_a_backup_of_the_database_as_it_was(tmp_path, doc):
    path = tmp_path / "old.db"
    old = _first_schema_db(path)
    _insert_as_first_schema(old, doc)
    old.close()

    storage.connect(path, actor=storage.LOCAL)

    [bak] = list(tmp_path.glob("old.db.pre-m002_filter_columns-*.bak"))
    info = backup.verify(bak)
    assert info.migrations == ["m001_documents_and_revisions"] and info.documents == 1
    storage.connect(path, actor=storage.LOCAL)  # nothing pending: no second backup
    assert len(list(tmp_path.glob("*.bak"))) == 1


def test_a_new_database_gets_no_upgrade_backup(tmp_path):
    storage.connect(tmp_path / "new.db", actor=storage.LOCAL)
    assert list(tmp_path.glob("*.bak")) == []


def test_to_bytes_is_a_database(tmp_path, db, doc):
    storage.create(db=db, doc=doc)
    copy = tmp_path / "download.db"
    copy.write_bytes(backup.to_bytes(db))
    assert backup.verify(copy).documents == 1


def test_cli_backup_into_a_folder_then_restore(tmp_path, capsys, doc):
    path = tmp_path / "live.db"
    storage.create(db=storage.connect(path, actor=storage.LOCAL), doc=doc)
    folder = tmp_path / "backups"
    folder.mkdir()
    assert main(["backup", str(folder), "--db", str(path)]) == 0
    [made] = list(folder.glob("debrief-*.db"))
    assert f"to {made} (" in capsys.readouterr().out
    storage.delete(db=storage.connect(path, actor=storage.LOCAL), doc_id=1)

    assert main(["--db", str(path), "restore-backup", str(made), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"replaced_kept_as": "' in out and "before-restore-" in out
    assert storage.get(db=storage.connect(path, actor=storage.LOCAL), doc_id=1).deleted_at is None


def test_cli_refuses_a_bad_backup_in_one_line(tmp_path, capsys, doc):
    path = tmp_path / "live.db"
    storage.create(db=storage.connect(path, actor=storage.LOCAL), doc=doc)
    junk = tmp_path / "junk.db"
    junk.write_text("hello")
    assert main(["restore-backup", str(junk), "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert main(["backup", str(path), "--db", str(path)]) == 2
    assert "the database itself" in capsys.readouterr().err
    assert main(["backup", str(tmp_path / "x.db"), "--db", str(tmp_path / "missing.db")]) == 2
    assert storage.get(db=storage.connect(path, actor=storage.LOCAL), doc_id=1).doc == doc


def test_cli_restore_refuses_while_browser_sessions_are_open_unless_forced(tmp_path, capsys, doc):
    path = tmp_path / "live.db"
    db = storage.connect(path, actor=storage.LOCAL)
    doc_id = storage.create(db=db, doc=doc).id
    saved = backup.backup(db, tmp_path / "saved.db")
    storage.save(
        db=db, doc_id=doc_id, doc=doc.model_copy(update={"summary": "Changed after."}), expected_version=1
    )
    presence.heartbeat(db=db, session_key="s1", doc_id=doc_id, identity="local", step="Summary")

    assert main(["restore-backup", str(saved), "--db", str(path)]) == 2
    assert "1 browser session(s)" in capsys.readouterr().err
    assert storage.get(db=db, doc_id=doc_id).doc.summary == "Changed after."

    assert main(["restore-backup", str(saved), "--db", str(path), "--force"]) == 0
    assert storage.get(db=db, doc_id=doc_id).doc.summary == doc.summary


def test_a_damaged_live_database_can_be_restored_over(tmp_path, capsys, doc):
    saved = tmp_path / "saved.db"
    storage.create(db=storage.connect(saved, actor=storage.LOCAL), doc=doc)
    live = tmp_path / "live.db"
    live.write_bytes(b"not a database" * 500)
    assert presence.active_sessions_in(live) == 0
    assert main(["restore-backup", str(saved), "--db", str(live)]) == 0
    assert storage.get(db=storage.connect(live, actor=storage.LOCAL), doc_id=1).doc == doc
    assert list(tmp_path.glob("live.db.before-restore-*"))
