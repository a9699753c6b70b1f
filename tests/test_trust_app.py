"""Issue 11 in the app (AppTest): restore from the Admin page, a newer database's page, the proxy's
shared secret and first-user rule, and viewers' disabled controls with the reason."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import storage
from postmortem.auth import SettingsError, settings
from storage import audit, backup, restore, users
from storage.access import bind
from tests.apptest_helpers import app_for
from tests.test_auth_app import proxy, seed, texts

SECRET = "s3cret-shared-with-the-proxy-only"
ADMIN_PAGE = "pages/30_admin.py"


def _backup(tmp_path: Path, db_path: Path) -> Path:
    db = bind(
        storage.connect(db_path, actor=storage.LOCAL),
        users.actor_for(db=storage.connect(db_path, actor=storage.LOCAL), identity="admin@example.com"),
    )
    saved = backup.backup(db, tmp_path / "nightly.db")
    storage.create(
        db=db,
        doc=storage.get(db=db, doc_id=1).doc.model_copy(
            update={
                "header": storage.get(db=db, doc_id=1).doc.header.model_copy(
                    update={"incident_id": "INC-2026-0099"}
                )
            }
        ),
    )
    db.close()
    return saved


def _count(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select count(*) from documents").fetchone()[0]


# --- Hole 1: restore on the Admin page -----------------------------------------------------------


def test_hole1_an_admin_restores_a_backup_from_the_admin_page_and_it_is_audited(
    tmp_path, db_path, monkeypatch
):
    seed(db_path)
    saved = _backup(tmp_path, db_path)
    assert _count(db_path) == 2
    proxy(monkeypatch, {"X-Forwarded-User": "admin@example.com"})
    at = app_for(db_path, monkeypatch).switch_page(ADMIN_PAGE).run()
    go = next(b for b in at.button if b.label == "Restore this backup")
    assert go.disabled  # nothing chosen yet
    at.file_uploader(key="restore_panel:file").set_value(
        [("nightly.db", saved.read_bytes(), "application/x-sqlite3")]
    )
    at.run()
    at.checkbox(key="restore_panel:sure").check().run()
    next(b for b in at.button if b.label == "Restore this backup").click().run()
    assert not at.exception
    assert any("Restored from nightly.db" in s.value for s in at.success), texts(at)
    assert _count(db_path) == 1
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("select by, detail from audit where action = ?", [restore.ACTION]).fetchall()
    assert rows[-1][0] == "admin@example.com" and "nightly.db" in rows[-1][1]


@pytest.mark.parametrize("role", ["viewer", "author", "reviewer"])
def test_hole1_other_roles_get_no_restore_on_the_admin_page(db_path, monkeypatch, role):
    seed(db_path)
    db = storage.connect(db_path, actor=storage.LOCAL)
    admin = users.actor_for(db=db, identity="admin@example.com")
    users.sign_in(db=db, identity=f"{role}@example.com")
    users.set_role(db=bind(db, admin), identity=f"{role}@example.com", role=role)
    proxy(monkeypatch, {"X-Forwarded-User": f"{role}@example.com"})
    at = app_for(db_path, monkeypatch).switch_page(ADMIN_PAGE).run()
    assert not at.exception and "This page is for admins" in texts(at)
    assert not [b for b in at.button if b.label == "Restore this backup"] and not at.file_uploader


# --- Hole 5: a database from a newer Debrief gets a clear page ------------------------------------


def test_hole5_the_app_shows_a_clear_page_for_a_newer_database_and_writes_nothing(db_path, monkeypatch):
    storage.connect(db_path, actor=storage.LOCAL).close()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at) "
            "values ('debrief', 'm999_later', '2027-01-01')"
        )
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    before = db_path.read_bytes()
    at = app_for(db_path, monkeypatch)
    assert not at.exception
    assert [t.value for t in at.title] == [":material/block: This database cannot be opened"]
    assert "newer version of Debrief" in at.error[0].value and str(db_path) not in at.error[0].value
    assert db_path.read_bytes() == before


# --- Hole 8: proxy trust -------------------------------------------------------------------------


def test_hole8_with_a_secret_a_loopback_request_without_it_is_refused(db_path, monkeypatch):
    seed(db_path)
    monkeypatch.setenv("DEBRIEF_PROXY_SECRET", SECRET)
    proxy(monkeypatch, {"X-Forwarded-User": "admin@example.com"})  # any process on the host could send this
    at = app_for(db_path, monkeypatch)
    assert [t.value for t in at.title] == [":material/lock: Not through the sign-in proxy"]
    proxy(monkeypatch, {"X-Forwarded-User": "admin@example.com", "X-Debrief-Proxy-Secret": SECRET[:-1] + "x"})
    assert [t.value for t in app_for(db_path, monkeypatch).title] == [":material/lock: Not through the sign-in proxy"]


def test_hole8_with_the_secret_a_forwarded_request_is_believed_whatever_address_the_server_reports(
    db_path, monkeypatch
):
    seed(db_path)
    monkeypatch.setenv("DEBRIEF_PROXY_SECRET", SECRET)
    monkeypatch.setenv("DEBRIEF_TRUSTED_PROXIES", "127.0.0.1")
    # nginx on this host sends X-Forwarded-For; the server then reports the client's address, not nginx's.
    proxy(
        monkeypatch,
        {
            "X-Forwarded-User": "admin@example.com",
            "X-Forwarded-For": "203.0.113.9",
            "x-debrief-proxy-secret": SECRET,
        },
        server="0.0.0.0",
        client="203.0.113.9",
    )
    at = app_for(db_path, monkeypatch)
    assert not at.exception and at.title[0].value == "Post-mortems"
    assert "`admin@example.com`" in texts(at)


def test_hole8_the_first_user_behind_a_proxy_is_not_admin(db_path, monkeypatch):
    proxy(monkeypatch, {"X-Forwarded-User": "early-bird@example.com"})
    at = app_for(db_path, monkeypatch)
    assert not at.exception
    db = storage.connect(db_path, actor=storage.LOCAL)
    assert [(u.identity, u.role) for u in users.list_users(db=bind(db, storage.access.LOCAL))] == [
        ("early-bird@example.com", "viewer")
    ]


@pytest.mark.parametrize(
    "env, first_admin",
    [
        ({"DEBRIEF_AUTH": "oidc"}, False),
        ({"DEBRIEF_AUTH": "oidc", "DEBRIEF_FIRST_USER_ADMIN": "1"}, True),
        (
            {"DEBRIEF_AUTH": "oidc", "DEBRIEF_FIRST_USER_ADMIN": "1", "DEBRIEF_ADMINS": "ada@example.com"},
            False,
        ),
    ],
)
def test_hole8_first_user_admin_is_opt_in_and_off_with_named_admins(env, first_admin):
    assert settings(env).first_user_admin is first_admin


@pytest.mark.parametrize(
    "env, problem",
    [
        ({"DEBRIEF_AUTH": "proxy", "DEBRIEF_FIRST_USER_ADMIN": "1"}, "refused in proxy mode"),
        ({"DEBRIEF_AUTH": "proxy", "DEBRIEF_PROXY_SECRET": "short"}, "shorter than 16"),
        ({"DEBRIEF_FIRST_USER_ADMIN": "maybe"}, "not 1 or 0"),
    ],
)
def test_hole8_unsafe_proxy_settings_are_refused(env, problem):
    with pytest.raises(SettingsError, match=problem):
        settings(env)


# --- Hole 9: viewers see read-only controls, with the reason ---------------------------------------


def test_hole9_viewers_see_disabled_controls_with_the_reason(db_path, monkeypatch):
    doc_id = seed(db_path)
    proxy(monkeypatch, {"X-Forwarded-User": "vic@example.com"})
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/01_header.py").run()
    assert not at.exception
    [severity] = [b for b in at.button if b.label == "Record severity change"]
    assert severity.disabled and "Read-only for your role (viewer)" in severity.help
    assert [s.disabled for s in at.selectbox if s.label == "Change severity to"] == [True]
    at.switch_page("pages/12_review.py").run()
    assert not at.exception
    [answer] = [b for b in at.button if b.label == "Record the answer"]
    assert answer.disabled and "Read-only for your role (viewer)" in answer.help


# --- Hole 2 in the app: a Markdown upload is audited as an import ------------------------------


def test_hole2_a_markdown_upload_is_a_draft_audited_as_an_import_by_the_author(db_path, monkeypatch):
    seed(db_path)
    db = storage.connect(db_path, actor=storage.LOCAL)
    users.sign_in(db=db, identity="ann@example.com")
    users.set_role(
        db=bind(db, users.actor_for(db=db, identity="admin@example.com")),
        identity="ann@example.com",
        role="author",
    )
    proxy(monkeypatch, {"X-Forwarded-User": "ann@example.com"})
    at = app_for(db_path, monkeypatch).switch_page("pages/23_import.py").run()
    data = (Path(__file__).parent / "data" / "markdown" / "sre_book.md").read_bytes()
    at.file_uploader(key="import:files").set_value([("sre_book.md", data, "text/markdown")])
    at.run()
    at.text_input[0].input("INC-2026-0100")
    next(b for b in at.button if b.label == "Create post-mortem").click().run()
    assert not at.exception
    admin = bind(
        storage.connect(db_path, actor=storage.LOCAL),
        users.actor_for(db=storage.connect(db_path, actor=storage.LOCAL), identity="admin@example.com"),
    )
    stored = storage.find(db=admin, key="INC-2026-0100")
    assert stored.doc.header.status.value == "draft"
    entries = audit.trail(db=admin, doc_id=stored.id, actions=None)
    assert [(e.action, e.by) for e in entries] == [("import", "ann@example.com")]
    assert "Markdown upload" in entries[0].detail
