"""Each sign-in mode shows the right thing: nothing in the way without sign-in, a sign-in screen for
OpenID Connect, a refusal for a proxy header that cannot be believed; viewers get read-only pages;
the admin page is for admins only."""

from __future__ import annotations

import shutil
import threading
import tomllib
from pathlib import Path

import pytest
import streamlit

import storage
from components import auth, session
from components import exports as export_component
from exports.escape import md_inline
from storage import audit, users
from storage.access import bind
from tests.apptest_helpers import app_for, send_widget_value, sidebar_links
from tests.conftest import build_postmortem

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SECRETS = ROOT / ".streamlit" / "secrets.example.toml"


def texts(at) -> str:
    parts = [e.value for kind in ("title", "markdown", "info", "error", "caption") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def seed(db_path: Path, viewer: str = "vic@example.com") -> int:
    """An admin, a viewer and one post-mortem owned by the admin."""
    db = storage.connect(db_path, actor=storage.LOCAL)
    admin = users.sign_in(db=db, identity="admin@example.com")
    users.sign_in(db=db, identity=viewer)
    doc_id = storage.create(db=bind(db, admin), doc=build_postmortem()).id
    db.close()
    return doc_id


def proxy(monkeypatch, headers: dict, server: str = "127.0.0.1", client: str | None = None) -> None:
    monkeypatch.setenv("DEBRIEF_AUTH", "proxy")
    monkeypatch.setattr(auth, "request_headers", lambda: headers)
    monkeypatch.setattr(auth, "server_address", lambda: server)
    monkeypatch.setattr(auth, "client_ip", lambda: client)


def _oidc_app(db_path, monkeypatch, user: dict, doc_id: int | None = None, secrets: dict | None = None):
    from streamlit.testing.v1 import AppTest

    from tests.apptest_helpers import APP, _modern_pages_only

    monkeypatch.setenv("DEBRIEF_AUTH", "oidc")
    _modern_pages_only(monkeypatch)
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets.update(secrets or {"auth": tomllib.loads(SAMPLE_SECRETS.read_text())["auth"]})
    at.user = user
    if doc_id is not None:
        at.query_params["doc"] = str(doc_id)
    return at.run()


def test_without_sign_in_everyone_is_the_local_admin(db_path, monkeypatch):
    monkeypatch.delenv("DEBRIEF_AUTH", raising=False)
    at = app_for(db_path, monkeypatch)
    assert not at.exception
    assert at.title[0].value == "Post-mortems"
    assert "Signed in as" not in texts(at)
    assert [b.label for b in at.button if b.label == "Sign in"] == []


def test_oidc_signed_out_shows_only_the_sign_in_screen(db_path, monkeypatch):
    seed(db_path)
    asked = []
    monkeypatch.setattr(streamlit, "login", lambda *a, **k: asked.append(a))
    at = _oidc_app(db_path, monkeypatch, {"is_logged_in": False})
    assert not at.exception
    assert "Sign in with your organisation's account" in texts(at)
    assert "Post-mortems" not in [t.value for t in at.title]
    assert "INC-2026-0001" not in texts(at)
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert asked == [()]


def test_oidc_the_first_user_becomes_admin_and_sees_who_they_are(db_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_FIRST_USER_ADMIN", "1")  # opt-in since issue 11 (hole 8)
    at = _oidc_app(db_path, monkeypatch, {"is_logged_in": True, "email": "Ada@Example.com", "name": "Ada"})
    assert not at.exception
    assert at.title[0].value == "Post-mortems"
    assert "`ada@example.com`" in texts(at) and "admin" in texts(at)
    assert any(b.label == "Sign out" for b in at.button)
    db = storage.connect(db_path, actor=storage.LOCAL)
    assert [(u.identity, u.role) for u in users.list_users(db=db)] == [("ada@example.com", "admin")]


def test_oidc_sign_out_returns_to_the_sign_in_screen(db_path, monkeypatch):
    at = _oidc_app(db_path, monkeypatch, {"is_logged_in": True, "email": "ada@example.com"})
    next(b for b in at.button if b.label == "Sign out").click().run()
    at.run()
    assert "Sign in with your organisation's account" in texts(at)


def test_a_viewer_sees_read_only_pages(db_path, monkeypatch):
    doc_id = seed(db_path)
    at = _oidc_app(db_path, monkeypatch, {"is_logged_in": True, "email": "vic@example.com"}, doc_id)
    assert not at.exception
    assert "can read post-mortems but not start them" in texts(at)
    at.switch_page("pages/02_summary.py").run()
    assert not at.exception
    assert "your role (viewer) cannot change it" in texts(at)
    assert all(t.disabled for t in at.text_area)
    at.switch_page("pages/11_appendix.py").run()
    assert "your role does not see them" in texts(at)
    assert "Dana Example" not in texts(at)
    at.switch_page("pages/12_review.py").run()
    assert not at.exception
    assert all(b.disabled for b in at.button if b.label == "Send for review")
    at.switch_page("pages/13_export.py").run()
    assert not at.exception
    assert "names the people accountable" in texts(at)


def test_a_viewer_change_that_reaches_storage_is_refused_with_a_message(db_path, monkeypatch):
    doc_id = seed(db_path)
    at = _oidc_app(db_path, monkeypatch, {"is_logged_in": True, "email": "vic@example.com"}, doc_id)
    at.switch_page("pages/02_summary.py").run()
    # A disabled widget cannot be typed into; a crafted browser message for it changes nothing.
    at = send_widget_value(at, at.text_area[0].proto.id, string_value="Rewritten by a viewer")
    assert storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id).version == 1
    # A widget some page leaves enabled still reaches storage, which refuses; the page says why.
    monkeypatch.setattr(session, "read_only", lambda stored: False)
    at.run()
    at.text_area[0].set_value("Rewritten by a viewer").run()
    assert "your role can read this post-mortem but not change it" in texts(at)
    assert storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id).version == 1


def test_proxy_header_signs_in_behind_a_loopback_server(db_path, monkeypatch):
    seed(db_path)
    proxy(monkeypatch, {"x-forwarded-user": "vic@example.com"})
    at = app_for(db_path, monkeypatch)
    assert not at.exception
    assert at.title[0].value == "Post-mortems"
    assert "`vic@example.com`" in texts(at) and "viewer" in texts(at)


def test_proxy_without_the_header_is_refused_not_local_admin(db_path, monkeypatch):
    seed(db_path)
    proxy(monkeypatch, {})
    at = app_for(db_path, monkeypatch)
    assert [t.value for t in at.title] == [":material/lock: Not signed in"]
    assert "INC-2026-0001" not in texts(at)


def test_proxy_header_from_an_untrusted_address_is_refused_and_logged_without_its_value(
    db_path, monkeypatch, caplog
):
    seed(db_path)
    proxy(monkeypatch, {"X-Forwarded-User": "admin@example.com"}, server="0.0.0.0", client="203.0.113.9")
    with caplog.at_level("WARNING", logger="debrief.auth"):
        at = app_for(db_path, monkeypatch)
    assert [t.value for t in at.title] == [":material/lock: Not through the sign-in proxy"]
    assert "INC-2026-0001" not in texts(at)
    assert "203.0.113.9" in caplog.text and "admin@example.com" not in caplog.text


def test_proxy_header_from_a_trusted_proxy_address_is_believed(db_path, monkeypatch):
    seed(db_path)
    monkeypatch.setenv("DEBRIEF_TRUSTED_PROXIES", "203.0.113.0/24")
    proxy(monkeypatch, {"X-Forwarded-User": "admin@example.com"}, server="0.0.0.0", client="203.0.113.9")
    at = app_for(db_path, monkeypatch)
    assert at.title[0].value == "Post-mortems"


def test_a_bad_setting_is_a_clear_page(db_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_AUTH", "ldap")
    at = app_for(db_path, monkeypatch)
    assert at.title[0].value == ":material/lock: Sign-in is not set up"
    assert md_inline("DEBRIEF_AUTH='ldap'") in texts(at)  # shown as written, not as Markdown


def test_a_switched_off_user_is_refused(db_path, monkeypatch):
    seed(db_path)
    db = storage.connect(db_path, actor=storage.LOCAL)
    users.set_disabled(db=db, identity="vic@example.com", disabled=True)
    proxy(monkeypatch, {"X-Forwarded-User": "vic@example.com"})
    at = app_for(db_path, monkeypatch)
    assert [t.value for t in at.title] == [":material/lock: Access switched off"]


def test_the_admin_page_refuses_non_admins(db_path, monkeypatch):
    seed(db_path)
    proxy(monkeypatch, {"X-Forwarded-User": "vic@example.com"})
    at = app_for(db_path, monkeypatch)
    at.switch_page("pages/30_admin.py").run()
    assert not at.exception
    assert "This page is for admins" in texts(at)
    assert not at.tabs


def test_an_admin_changes_a_role_and_it_is_audited(db_path, monkeypatch):
    seed(db_path)
    proxy(monkeypatch, {"X-Forwarded-User": "admin@example.com"})
    at = app_for(db_path, monkeypatch)
    at.switch_page("pages/30_admin.py").run()
    assert not at.exception
    assert [t.label for t in at.tabs] == [
        "Users and roles",
        "Access to post-mortems",
        "Audit trail",
        "Backups",
    ]
    at.selectbox(key="admin:role:user").select("vic@example.com")
    at.selectbox(key="admin:role:role").select("author")
    next(b for b in at.button if b.label == "Change the role").click().run()
    assert not at.exception
    db = storage.connect(db_path, actor=storage.LOCAL)
    assert users.actor_for(db=db, identity="vic@example.com").role == "author"
    assert [e.detail for e in audit.whole_trail(db=db, action="role")] == ["vic@example.com: viewer → author"]


def test_an_admin_restricts_a_document_and_the_viewer_no_longer_sees_it(db_path, monkeypatch):
    doc_id = seed(db_path)
    proxy(monkeypatch, {"X-Forwarded-User": "admin@example.com"})
    at = app_for(db_path, monkeypatch)
    at.switch_page("pages/30_admin.py").run()
    next(b for b in at.button if b.label.startswith("Restrict it")).click().run()
    assert not at.exception
    proxy(monkeypatch, {"X-Forwarded-User": "vic@example.com"})
    viewer = app_for(db_path, monkeypatch, doc_id)
    assert "INC-2026-0001" not in texts(viewer)
    assert "debrief:loaded" not in viewer.session_state and "debrief:doc_id" not in viewer.session_state


def test_the_sample_secrets_file_starts_the_app_in_oidc_mode(db_path, monkeypatch, tmp_path):
    secrets = tomllib.loads(SAMPLE_SECRETS.read_text())["auth"]
    assert secrets["redirect_uri"].endswith("/oauth2callback") and secrets["cookie_secret"]
    (tmp_path / ".streamlit").mkdir()
    shutil.copy(SAMPLE_SECRETS, tmp_path / ".streamlit" / "secrets.toml")
    monkeypatch.chdir(tmp_path)
    at = _oidc_app(db_path, monkeypatch, {"is_logged_in": False})
    next(b for b in at.button if b.label == "Sign in").click().run()  # the real st.login, with Authlib
    assert not at.exception
    assert "Sign in with your organisation's account" in texts(at)


@pytest.mark.parametrize("mode", ["none", "oidc", "proxy"])
def test_modes_are_documented(mode):
    readme = (ROOT / "README.md").read_text()
    assert "## Sign-in and roles" in readme and f"`{mode}`" in readme


def test_oidc_without_auth_secrets_says_sign_in_is_not_set_up(db_path, monkeypatch):
    # Other secrets, but no [auth] section (an empty dict would leave Streamlit's global secrets in place).
    at = _oidc_app(db_path, monkeypatch, {"is_logged_in": False}, secrets={"database": {"url": "x"}})
    assert [t.value for t in at.title] == [":material/lock: Sign-in is not set up"]


def test_a_regulator_download_from_the_export_step_is_audited(db_path, monkeypatch):
    doc_id = seed(db_path)
    proxy(monkeypatch, {"X-Forwarded-User": "admin@example.com"})
    made = {}  # the callables the page hands to its download buttons, by (audience, format)
    real = export_component.audited

    def keep(make, export, audience, fmt):
        made[(audience, fmt)] = real(make, export, audience, fmt)
        return made[(audience, fmt)]

    monkeypatch.setattr(export_component, "audited", keep)
    at = app_for(db_path, monkeypatch, doc_id)
    at.switch_page("pages/13_export.py").run()
    assert not at.exception
    buttons = [b for b in at.download_button if b.key.startswith(f"export:{doc_id}:")]
    assert buttons and all(b.proto.ignore_rerun for b in buttons)  # a click starts no rerun
    db = storage.connect(db_path, actor=storage.LOCAL)
    admin = bind(db, users.actor_for(db=db, identity="admin@example.com"))

    def download(audience: str, fmt: str) -> bytes:
        # Streamlit runs the callable when the button is pressed, on a worker thread with no script run.
        got = []
        worker = threading.Thread(target=lambda: got.append(made[(audience, fmt)]()))
        worker.start()
        worker.join()
        return got[0]

    assert audit.whole_trail(db=admin, action="export") == []  # drawing the page records nothing
    assert download("team", "md").startswith(b"# ")
    assert audit.whole_trail(db=admin, action="export") == []  # the team's copy is not recorded
    assert download("regulator", "docx").startswith(b"PK")
    rows = audit.whole_trail(db=admin, action="export")
    assert [(e.by, e.detail, e.doc_id) for e in rows] == [("admin@example.com", "regulator · docx", doc_id)]
    download("regulator", "docx")
    assert len(audit.whole_trail(db=admin, action="export")) == 2  # once per file handed out


def _links(at) -> list[str]:
    return [link.title for link in sidebar_links(at)]


def test_the_sidebar_offers_admin_and_import_only_to_those_who_may_use_them(db_path, monkeypatch):
    seed(db_path)
    viewer = _oidc_app(db_path, monkeypatch, {"is_logged_in": True, "email": "vic@example.com"})
    assert not viewer.exception
    assert "Archive" in _links(viewer) and "Learning" in _links(viewer)
    assert "Admin" not in _links(viewer) and "Import Markdown" not in _links(viewer)
    admin = _oidc_app(db_path, monkeypatch, {"is_logged_in": True, "email": "admin@example.com"})
    assert {"Admin", "Import Markdown"} <= set(_links(admin))
