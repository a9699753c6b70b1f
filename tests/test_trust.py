"""Issue 11: the holes a hostile or careless user could walk through, one test (or more) per hole,
through storage and the command line. The app's side is in test_trust_app.py, names in
test_trust_names.py, random input in test_trust_fuzz.py."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_helpers import main

import storage
from postmortem.chat import ChatImportError, limits
from postmortem.chat.to_timeline import check_size
from postmortem.import_state import HEADING
from postmortem.models import ActionItem, Contact, DocStatus, Note, SignOff, SignOffRole, new_postmortem
from storage import audit, backup, restore, users
from storage.access import bind
from tests.conftest import build_postmortem

ROLES = ("viewer", "author", "reviewer")


def _people(db_path: Path) -> dict[str, storage.Actor]:
    """An admin plus one user of each other role, signed in once (so --as knows them)."""
    db = storage.connect(db_path, actor=storage.LOCAL)
    actors = {"admin": users.sign_in(db=db, identity="admin@example.com")}
    for role in ROLES:
        users.sign_in(db=db, identity=f"{role}@example.com")
        users.set_role(db=bind(db, actors["admin"]), identity=f"{role}@example.com", role=role)
        actors[role] = users.actor_for(db=db, identity=f"{role}@example.com")
    db.close()
    return actors


def _backup_with_one_document(tmp_path: Path, db_path: Path, actors) -> Path:
    db = storage.connect(db_path, actor=actors["admin"])
    storage.create(db=db, doc=build_postmortem("INC-2026-0001"))
    saved = backup.backup(db, tmp_path / "saved.db")
    storage.create(db=db, doc=build_postmortem("INC-2026-0002"))  # made after the backup
    db.close()
    return saved


def _incident_ids(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as conn:
        return [r[0] for r in conn.execute("select incident_id from documents order by id")]


def _restore_rows(db_path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "select by, detail from audit where action = ? order by id", [restore.ACTION]
        ).fetchall()


def _one_error_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err, err
    return err


# --- Hole 1: restore is the admin's, and audited ---------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_hole1_restore_requires_admin_through_storage(tmp_path, db_path, role):
    actors = _people(db_path)
    saved = _backup_with_one_document(tmp_path, db_path, actors)
    db = storage.connect(db_path, actor=actors[role])
    with pytest.raises(storage.PermissionDenied, match="may not manage"):
        restore.restore_backup(db=db, db_path=db_path, backup_path=saved)
    assert _incident_ids(db_path) == ["INC-2026-0001", "INC-2026-0002"]
    assert not list(tmp_path.glob("*.before-restore-*")) and not _restore_rows(db_path)


def test_hole1_an_admin_restore_is_audited_in_the_restored_and_the_replaced_database(tmp_path, db_path):
    actors = _people(db_path)
    saved = _backup_with_one_document(tmp_path, db_path, actors)
    aside = restore.restore_backup(
        db=storage.connect(db_path, actor=actors["admin"]), db_path=db_path, backup_path=saved
    )
    assert _incident_ids(db_path) == ["INC-2026-0001"]
    [(by, detail)] = _restore_rows(db_path)
    assert by == "admin@example.com" and "saved.db" in detail and aside.name in detail
    # The replaced database is kept whole, its trail readable, ending with the restore that replaced it.
    assert _incident_ids(aside) == ["INC-2026-0001", "INC-2026-0002"]
    [(by, detail)] = _restore_rows(aside)
    assert by == "admin@example.com" and "replaced by saved.db" in detail


@pytest.mark.parametrize("role", ROLES)
def test_hole1_restore_requires_admin_through_the_cli(tmp_path, db_path, role, monkeypatch, capsys):
    monkeypatch.setenv("DEBRIEF_AUTH", "proxy")
    actors = _people(db_path)
    saved = _backup_with_one_document(tmp_path, db_path, actors)
    code = main(
        ["--db", str(db_path), "--as", f"{role}@example.com", "restore-backup", str(saved), "--force"]
    )
    assert code == 2 and "may not manage" in _one_error_line(capsys.readouterr().err)
    assert _incident_ids(db_path) == ["INC-2026-0001", "INC-2026-0002"]


def test_hole1_three_cli_restores_leave_three_audit_rows(tmp_path, db_path, monkeypatch, capsys):
    monkeypatch.setenv("DEBRIEF_AUTH", "proxy")
    actors = _people(db_path)
    saved = _backup_with_one_document(tmp_path, db_path, actors)
    for _ in range(3):
        assert (
            main(["--db", str(db_path), "--as", "admin@example.com", "restore-backup", str(saved), "--force"])
            == 0
        )
    capsys.readouterr()
    rows = _restore_rows(db_path)
    # Each restore brings back the backup's trail, then adds its own row: the last one is always there.
    assert rows and rows[-1][0] == "admin@example.com" and "restored from saved.db" in rows[-1][1]
    kept = sorted(tmp_path.glob("x.db.before-restore-*"))
    assert kept and all(_restore_rows(path) for path in kept)
    entries = audit.whole_trail(db=storage.connect(db_path, actor=actors["admin"]), action=restore.ACTION)
    assert entries and entries[0].by == "admin@example.com"


# --- Hole 2: imports carry no workflow state ----------------------------------------------------


def _forged(tmp_path: Path) -> Path:
    doc = build_postmortem("INC-2026-0777").model_copy(
        update={
            "header": build_postmortem().header.model_copy(
                update={"incident_id": "INC-2026-0777", "status": DocStatus.PUBLISHED}
            ),
            "sign_offs": [
                SignOff(
                    role=SignOffRole.INCIDENT_COMMANDER,
                    name="Made Up Commander",
                    signed_at=datetime(2026, 3, 5, 10, tzinfo=UTC),
                )
            ],
        }
    )
    path = tmp_path / "forged.json"
    path.write_text(doc.model_dump_json())
    return path


def test_hole2_a_json_import_claiming_published_becomes_a_draft_for_an_author(
    tmp_path, db_path, monkeypatch, capsys
):
    monkeypatch.setenv("DEBRIEF_AUTH", "proxy")
    actors = _people(db_path)
    code = main(["--db", str(db_path), "--as", "author@example.com", "import", str(_forged(tmp_path))])
    assert code == 0, capsys.readouterr().err
    assert "kept as a note" in capsys.readouterr().err
    db = storage.connect(db_path, actor=actors["admin"])
    stored = storage.find(db=db, key="INC-2026-0777")
    assert (
        stored.doc.header.status is DocStatus.DRAFT
        and stored.doc.sign_offs == []
        and stored.doc.allspaw is None
    )
    [note] = [part for part in stored.doc.imported if part.heading == HEADING]
    assert "published" in note.text and "incident commander" in note.text
    assert "Made Up Commander" not in note.text  # a name only ever in the contacts table
    [entry] = audit.trail(db=db, doc_id=stored.id, actions=None)
    assert (entry.action, entry.by) == ("import", "author@example.com")
    assert "forged.json" in entry.detail and "published" in entry.detail


def test_hole2_creating_a_document_with_a_sign_off_needs_the_sign_off_permission(db_path):
    actors = _people(db_path)
    doc = build_postmortem().model_copy(
        update={
            "sign_offs": [
                SignOff(
                    role=SignOffRole.INCIDENT_COMMANDER, name="X", signed_at=datetime(2026, 3, 5, tzinfo=UTC)
                )
            ]
        }
    )
    with pytest.raises(storage.PermissionDenied):
        storage.create(db=storage.connect(db_path, actor=actors["author"]), doc=doc)


def test_hole2_a_markdown_import_is_audited_as_an_import(tmp_path, db_path, capsys):
    source = tmp_path / "wiki.md"
    source.write_text("# Checkout outage\n\n## Summary\n\nThe pool ran dry.\n")
    assert main(["--db", str(db_path), "import-md", str(source), "--incident-id", "INC-2026-0900"]) == 0
    capsys.readouterr()
    db = storage.connect(db_path, actor=storage.LOCAL)
    entries = audit.trail(db=db, doc_id=storage.find(db=db, key="INC-2026-0900").id, actions=None)
    assert [(e.action, e.by) for e in entries] == [("import", "local")] and "wiki.md" in entries[0].detail


# --- Hole 5: a database from a newer Debrief -----------------------------------------------------


def _from_the_future(db_path: Path) -> bytes:
    storage.connect(db_path, actor=storage.LOCAL).close()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at) "
            "values ('debrief', 'm999_from_a_later_version', '2027-01-01')"
        )
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    return db_path.read_bytes()


@pytest.mark.parametrize(
    "command", [["list"], ["new", "--title", "Should not be stored"], ["search", "pool"]]
)
def test_hole5_a_database_from_a_newer_debrief_is_refused_before_any_write(db_path, command, capsys):
    before = _from_the_future(db_path)
    assert main(["--db", str(db_path), *command]) == 2
    assert "newer Debrief" in _one_error_line(capsys.readouterr().err)
    assert db_path.read_bytes() == before
    with pytest.raises(storage.SchemaTooNewError, match="m999_from_a_later_version"):
        storage.connect(db_path, actor=storage.LOCAL)


def test_hole5_a_newer_database_can_still_be_replaced_by_a_backup_without_sign_in(tmp_path, db_path, capsys):
    storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=new_postmortem("INC-2026-0001", "Kept")
    )
    saved = backup.backup(storage.connect(db_path, actor=storage.LOCAL), tmp_path / "saved.db")
    _from_the_future(db_path)
    assert main(["--db", str(db_path), "restore-backup", str(saved), "--force"]) == 0
    assert "Restored" in capsys.readouterr().out
    assert [
        r.incident_id for r in storage.list_documents(db=storage.connect(db_path, actor=storage.LOCAL))
    ] == ["INC-2026-0001"]


# --- Hole 6: chat imports are capped --------------------------------------------------------------


def _busy_slack_zip(path: Path, messages: int) -> Path:
    day = [
        {"type": "message", "user": "U01", "ts": f"{1772618100 + n}.000100", "text": f"ping {n}"}
        for n in range(messages)
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("users.json", json.dumps([{"id": "U01", "name": "bot-like"}]))
        archive.writestr("channels.json", json.dumps([{"id": "C01", "name": "inc"}]))
        archive.writestr("inc/2026-03-04.json", json.dumps(day))
    path.write_bytes(buffer.getvalue())
    return path


def test_hole6_a_chat_import_of_more_than_5000_messages_is_refused_and_can_be_narrowed(
    tmp_path, db_path, capsys
):
    storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=new_postmortem("INC-2026-0001", "Busy channel")
    )
    export = _busy_slack_zip(tmp_path / "busy.zip", limits.MAX_EVENTS_PER_IMPORT + 1_000)
    assert export.stat().st_size < 1_000_000
    assert main(["--db", str(db_path), "timeline-import", "INC-2026-0001", str(export)]) == 2
    assert (
        "at most 5,000" in (line := _one_error_line(capsys.readouterr().err))
        and "--since and --until" in line
    )
    assert storage.find(db=storage.connect(db_path, actor=storage.LOCAL), key="INC-2026-0001").version == 1
    # The messages start at 09:55:00 UTC, one a second: until 10:55 keeps the first hour.
    assert (
        main(
            [
                "--db",
                str(db_path),
                "timeline-import",
                "INC-2026-0001",
                str(export),
                "--until",
                "2026-03-04T10:55:00+00:00",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        len(storage.find(db=storage.connect(db_path, actor=storage.LOCAL), key="INC-2026-0001").doc.timeline)
        == 3_600
    )


def test_hole6_the_timeline_as_a_whole_is_capped_too():
    check_size(limits.MAX_EVENTS_PER_IMPORT, limits.MAX_TIMELINE_EVENTS - limits.MAX_EVENTS_PER_IMPORT)
    with pytest.raises(ChatImportError, match="20,000"):
        check_size(10, limits.MAX_TIMELINE_EVENTS - 5)


# --- Hole 7: every CLI failure is one line ---------------------------------------------------------


def test_hole7_a_json_import_with_a_5000_digit_integer_is_one_error_line(tmp_path, db_path, capsys):
    path = tmp_path / "big.json"
    path.write_text('{"header": {"incident_id": "A", "title": "t"}, "schema_version": ' + "9" * 5000 + "}")
    assert main(["--db", str(db_path), "import", str(path)]) == 2
    assert "digits" in _one_error_line(capsys.readouterr().err)
    assert not db_path.exists()


# --- Hole 8 (storage side): the first user is admin only when asked -------------------------------


def test_hole8_sign_in_makes_the_first_user_admin_only_when_asked(db_path):
    db = storage.connect(db_path, actor=storage.LOCAL)
    assert users.sign_in(db=db, identity="first@example.com", first_user_admin=False).role.value == "viewer"
    other = storage.connect(db_path.with_name("other.db"), actor=storage.LOCAL)
    assert users.sign_in(db=other, identity="first@example.com", first_user_admin=True).role.value == "admin"


# --- Hole 9 (storage and CLI side) ---------------------------------------------------------------


def test_hole9_a_db_in_a_missing_folder_is_refused_not_created(tmp_path, capsys):
    target = tmp_path / "no" / "such" / "folder" / "debrief.db"
    assert main(["--db", str(target), "new", "--title", "Typo in the path"]) == 2
    assert "does not exist" in _one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "no").exists()


def test_hole9_control_characters_are_stripped_and_bidi_overrides_kept_out_of_titles(db_path, capsys):
    doc = new_postmortem("INC-2026-0001", "Pool \u202eexhausted\x1b[2J\x00").model_copy(
        update={
            "summary": "ok\x1b[31m red\x07 bell\r\nnext\tline",
            "went_well": [Note(text="a\x00b")],
            "contacts": [Contact(name="Dana\x1b]0;pwned\x07 Example", role="incident commander")],
        }
    )
    stored = storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=type(doc).model_validate(doc.model_dump())
    )
    saved = storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=stored.id).doc
    assert saved.header.title == "Pool exhausted[2J"
    assert saved.summary == "ok[31m red bell\nnext\tline" and saved.went_well[0].text == "ab"
    assert saved.contacts[0].name == "Dana]0;pwned Example"
    item = ActionItem(title="Fix \u202eit", tracker="PAY-\u202e101")
    assert (item.title, item.tracker) == ("Fix it", "PAY-101")
    assert main(["--db", str(db_path), "export", "INC-2026-0001"]) == 0
    markdown = capsys.readouterr().out
    assert "\x1b" not in markdown and "\x00" not in markdown and "\u202e" not in markdown
