"""`debrief notify prefs`: one person's notification preferences shown and changed, stored where the
notification run reads them, someone else's for admins only, bad input one line with nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import invoke

import storage
from postmortem.notices import Kind
from postmortem.notify_prefs import DEFAULT_KINDS, KNOWN_KINDS, Prefs
from storage import notices, users
from storage.access import bind

CHOSEN = [
    kind.value for kind in Kind if kind.value in KNOWN_KINDS
]  # team and daily digests are not chosen one by one


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "debrief.db"


def prefs(db_path: Path, *args: str):
    return invoke(["notify", "prefs", "--db", str(db_path), *args])


def stored(db_path: Path, identity: str) -> Prefs:
    db = storage.connect(db_path, actor=storage.LOCAL)
    try:
        return notices.get_prefs(db, identity)
    finally:
        db.close()


def test_someone_who_never_chose_gets_the_defaults(db_path):
    result = prefs(db_path, "--user", "Ann@Example.org", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "identity": "ann@example.org",
        "channel": "email",
        "daily_digest": False,
        "address": "",
        "notices": {kind: kind in DEFAULT_KINDS for kind in CHOSEN},
    }
    assert len(CHOSEN) == 6 and "announcement" not in DEFAULT_KINDS


def test_turning_notices_off_and_on_is_stored_for_the_notification_run(db_path):
    result = prefs(
        db_path, "--user", "ann@example.org", "--set", "review-requested=off", "--set", "DEADLINE=off"
    )
    assert result.exit_code == 0 and "review requested  off" in result.stdout
    saved = stored(db_path, "ann@example.org")
    assert set(saved.kinds) == set(DEFAULT_KINDS) - {"review requested", "deadline"}
    assert not saved.wants("deadline") and saved.wants("mention")
    prefs(db_path, "--user", "ann@example.org", "--set", "deadline=slack", "--daily-digest")
    saved = stored(db_path, "ann@example.org")
    assert (saved.channel, saved.daily_digest, saved.wants("deadline"), saved.wants("review requested")) == (
        "slack",
        True,
        True,
        False,
    )


def test_all_off_then_one_on(db_path):
    prefs(db_path, "--user", "ann@example.org", "--set", "all=off")
    saved = stored(db_path, "ann@example.org")
    assert saved.channel == "none" and not any(saved.wants(kind) for kind in CHOSEN)
    prefs(db_path, "--user", "ann@example.org", "--set", "mention=email", "--each")
    saved = stored(db_path, "ann@example.org")
    assert (saved.channel, saved.kinds, saved.daily_digest) == ("email", ("mention",), False)


def test_the_announcement_is_a_personal_copy_to_ask_for(db_path):
    prefs(db_path, "--user", "ann@example.org", "--set", "announcement=email")
    assert stored(db_path, "ann@example.org").wants("announcement")


@pytest.mark.parametrize(
    "args, says",
    [
        (["--set", "mention"], "is not NOTICE=CHANNEL"),
        (["--set", "mention=pager"], "is not NOTICE=CHANNEL"),
        (["--set", "gossip=email"], "no notice is called 'gossip'"),
        (["--set", "team-digest=email"], "no notice is called"),
        (["--set", "mention=email", "--set", "deadline=slack"], "one channel carries"),
        (["--address", "not an address"], "is not an e-mail address"),
    ],
)
def test_bad_settings_are_one_line_and_change_nothing(db_path, args, says):
    prefs(db_path, "--user", "ann@example.org", "--set", "deadline=off")
    before = stored(db_path, "ann@example.org")
    result = prefs(db_path, "--user", "ann@example.org", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: ") and says in result.stderr and result.stderr.count("\n") == 1
    assert stored(db_path, "ann@example.org") == before


def test_without_sign_in_they_are_the_local_users_and_email_needs_an_address(db_path):
    shown = prefs(db_path)
    assert shown.exit_code == 0 and shown.stdout.startswith("Notification preferences of local")
    refused = prefs(db_path, "--set", "mention=email")
    assert refused.exit_code == 2 and "'local' is not an e-mail address" in refused.stderr
    saved = prefs(db_path, "--set", "mention=email", "--address", "me@example.org", "--json")
    assert saved.exit_code == 0 and json.loads(saved.stdout)["address"] == "me@example.org"
    assert stored(db_path, "local").address == "me@example.org"


@pytest.fixture
def hosted(db_path: Path, monkeypatch) -> Path:
    db = storage.connect(db_path, actor=storage.LOCAL)
    bind(db, users.sign_in(db=db, identity="admin@example.com"))
    users.sign_in(db=db, identity="vic@example.com")
    db.close()
    monkeypatch.setenv("DEBRIEF_AUTH", "proxy")
    return db_path


def test_with_sign_in_people_change_their_own_and_admins_anyones(hosted):
    own = prefs(hosted, "--as", "vic@example.com", "--set", "mention=off")
    assert own.exit_code == 0 and stored(hosted, "vic@example.com").wants("mention") is False
    other = prefs(hosted, "--as", "vic@example.com", "--user", "admin@example.com", "--set", "mention=off")
    assert other.exit_code == 2 and "vic@example.com (viewer) may not" in other.stderr
    assert stored(hosted, "admin@example.com").wants("mention")
    admin = invoke(
        ["--as", "admin@example.com", "notify", "prefs", "--user", "vic@example.com", "--db", str(hosted)]
    )
    assert admin.exit_code == 0 and "mention           off" in admin.stdout
