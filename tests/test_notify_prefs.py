"""Notification preferences: the validated model, storage's get_prefs / set_prefs (own or admin's),
and the "My notifications" page and the Admin page's panel through AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import storage
from components import auth
from postmortem.notify_prefs import DEFAULT_KINDS, TOPICS, Prefs, PrefsError, parse
from storage import notices, users
from storage.access import LOCAL
from tests.apptest_helpers import APP, _modern_pages_only


def test_defaults_take_every_personal_notice_but_announcements_by_email():
    prefs = Prefs()
    assert prefs.channel == "email" and not prefs.daily_digest
    assert prefs.wants("mention") and prefs.wants("sign-off needed") and not prefs.wants("announcement")
    assert set(DEFAULT_KINDS) | {"announcement"} == {k.value for kinds in TOPICS.values() for k in kinds}


@pytest.mark.parametrize(
    "values, message",
    [
        ({"kinds": ("mention", "birthday")}, "unknown notice birthday"),
        ({"channel": "pager"}, "'pager' is not a channel"),
        ({"address": "not an address"}, "is not an e-mail address"),
        ({"kinds": ()}, "tick at least one kind of notice, or choose 'Nowhere'"),
    ],
)
def test_bad_preferences_are_one_clear_sentence(values, message):
    with pytest.raises(PrefsError, match=message):
        parse(**values)


def test_nowhere_turns_everything_off_even_with_no_kind_ticked():
    assert not parse(kinds=(), channel="none").wants("mention")


def test_stored_preferences_round_trip_and_a_refused_change_leaves_them(db):
    assert notices.get_prefs(db, "ann@example.org") == Prefs()
    chosen = Prefs(kinds=("mention", "announcement"), channel="slack", daily_digest=True)
    notices.set_prefs(db, "Ann@Example.org", chosen)
    assert notices.get_prefs(db, "ann@example.org") == chosen
    with pytest.raises(PrefsError, match="not an e-mail address"):
        notices.set_prefs(
            db, "ann@example.org", Prefs.model_construct(channel="email", address="nope", kinds=())
        )
    assert notices.get_prefs(db, "ann@example.org") == chosen


def test_an_identity_that_is_not_an_address_needs_one_for_email(db):
    with pytest.raises(PrefsError, match="give the address for your notices"):
        notices.set_prefs(db, "local", Prefs())
    notices.set_prefs(db, "local", Prefs(address="me@example.org"))
    assert notices.prefs_for(db, address="me@example.org") == (
        "me@example.org",
        notices.get_prefs(db, "local"),
    )


def test_people_change_their_own_preferences_and_only_admins_change_others(db_path):
    db = storage.connect(db_path, actor=LOCAL)
    users.sign_in(db=db, identity="admin@example.org")
    users.sign_in(db=db, identity="vic@example.org")
    vic = storage.connect(db_path, actor=users.actor_for(db=db, identity="vic@example.org"))
    notices.set_prefs(vic, "vic@example.org", Prefs(daily_digest=True))
    with pytest.raises(storage.PermissionDenied):
        notices.set_prefs(vic, "admin@example.org", Prefs(channel="none"))
    admin = storage.connect(db_path, actor=users.actor_for(db=db, identity="admin@example.org"))
    notices.set_prefs(admin, "vic@example.org", Prefs(channel="none"))
    assert notices.get_prefs(db, "vic@example.org").channel == "none"
    assert notices.get_prefs(db, "admin@example.org") == Prefs()


def test_an_older_row_meaning_everything_reads_as_the_defaults(db):
    db["notify_prefs"].insert({"identity": "old@example.org", "kinds": "[]", "channel": "email"})
    assert notices.get_prefs(db, "old@example.org") == Prefs()


def _app(identity: str, db_path: Path, monkeypatch, page: str) -> AppTest:
    monkeypatch.setenv("DEBRIEF_AUTH", "proxy")
    monkeypatch.setenv("DEBRIEF_SLACK_WEBHOOK", "http://127.0.0.1:9/slack")
    monkeypatch.delenv("DEBRIEF_SMTP_URL", raising=False)
    monkeypatch.setattr(auth, "request_headers", lambda: {"X-Forwarded-User": identity})
    monkeypatch.setattr(auth, "server_address", lambda: "127.0.0.1")
    monkeypatch.setattr(auth, "client_ip", lambda: None)
    _modern_pages_only(monkeypatch)
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    return at.switch_page(page).run()


def _topic(at: AppTest, key: str, title: str):
    return at.checkbox(key=f"{key}:topic:{list(TOPICS).index(title)}")


@pytest.fixture
def people(db_path: Path) -> Path:
    db = storage.connect(db_path, actor=LOCAL)
    users.sign_in(db=db, identity="admin@example.com")
    users.sign_in(db=db, identity="vic@example.com")
    db.close()
    return db_path


def test_my_notifications_saves_and_shows_the_choice_again_after_a_new_session(people, monkeypatch):
    at = _app("vic@example.com", people, monkeypatch, "pages/31_notifications.py")
    assert not at.exception
    assert "Preferences of `vic@example.com`" in [m.value for m in at.markdown]
    labels = at.radio(key="my-prefs:channel").options
    assert "E-mail: not set up on this instance" in labels  # no SMTP here, Slack is
    assert "Slack (the team's channel, addressed to you)" in labels
    _topic(at, "my-prefs", "Mentions of me or my role in a comment").uncheck()
    at.radio(key="my-prefs:channel").set_value("slack")
    at.toggle(key="my-prefs:digest").set_value(True)
    at.button[0].click().run()
    assert [s.value for s in at.success] == ["Preferences saved; the next notification run follows them."]
    stored = notices.get_prefs(storage.connect(people, actor=LOCAL), "vic@example.com")
    assert stored.channel == "slack" and stored.daily_digest and not stored.wants("mention")

    again = _app("vic@example.com", people, monkeypatch, "pages/31_notifications.py")
    assert not _topic(again, "my-prefs", "Mentions of me or my role in a comment").value
    assert again.radio(key="my-prefs:channel").value == "slack"
    assert again.toggle(key="my-prefs:digest").value is True


def test_unticking_everything_is_refused_with_a_message_and_nothing_changes(people, monkeypatch):
    at = _app("vic@example.com", people, monkeypatch, "pages/31_notifications.py")
    for i in range(len(TOPICS)):
        at.checkbox(key=f"my-prefs:topic:{i}").uncheck()
    at.button[0].click().run()
    assert len(at.error) == 1 and "tick at least one kind of notice, or choose" in at.error[0].value
    assert notices.get_prefs(storage.connect(people, actor=LOCAL), "vic@example.com") == Prefs()


def test_an_admin_edits_someone_elses_preferences_on_the_admin_page(people, monkeypatch):
    at = _app("admin@example.com", people, monkeypatch, "pages/30_admin.py")
    at.selectbox(key="admin:prefs:who").set_value("vic@example.com").run()
    key = "admin:prefs:vic@example.com"
    at.radio(key=f"{key}:channel").set_value("none")
    next(b for b in at.button if b.label == "Save preferences").click().run()
    assert not at.exception and not at.error
    assert notices.get_prefs(storage.connect(people, actor=LOCAL), "vic@example.com").channel == "none"
    overview = at.dataframe[-1].value
    assert list(overview["User"]) == ["vic@example.com"] and list(overview["Channel"]) == ["none"]


def test_without_sign_in_the_local_user_gives_an_address_for_email(db_path, monkeypatch):
    monkeypatch.delenv("DEBRIEF_AUTH", raising=False)
    monkeypatch.setenv("DEBRIEF_SMTP_URL", "smtp+starttls://mail.example.org")
    _modern_pages_only(monkeypatch)
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    at = AppTest.from_file(APP, default_timeout=60).run().switch_page("pages/31_notifications.py").run()
    assert "Preferences of `local`" in [m.value for m in at.markdown]
    at.button[0].click().run()
    assert len(at.error) == 1 and "give the address for your notices" in at.error[0].value
    at.text_input(key="my-prefs:address").set_value("me@example.org")
    at.button[0].click().run()
    assert not at.error
    assert (
        notices.prefs_for(storage.connect(db_path, actor=LOCAL), address="me@example.org")[0]
        == "me@example.org"
    )
