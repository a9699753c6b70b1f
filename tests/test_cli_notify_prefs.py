"""`debrief notify prefs`: one person's notification preferences shown and changed, stored where the
notification run reads them, someone else's for admins only, bad input one line with nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import invoke

import storage
from postmortem.notices import Kind
from storage import notices, users
from storage.access import bind

EVERY_KIND = [kind.value for kind in Kind]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "debrief.db"


def prefs(db_path: Path, *args: str):
    return invoke(["notify", "prefs", "--db", str(db_path), *args])


def stored(db_path: Path, identity: str) -> notices.Prefs:
    db = storage.connect(db_path)
    try:
        return notices.prefs_of(db=db, identity=identity)
    finally:
        db.close()


def test_someone_without_preferences_gets_every_notice_by_email(db_path):
    result = prefs(db_path, "--user", "Ann@Example.org", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "identity": "ann@example.org",
        "channel": "email",
        "daily_digest": False,
        "notices": dict.fromkeys(EVERY_KIND, True),
    }


def test_turning_notices_off_and_on_is_stored_for_the_notification_run(db_path):
    result = prefs(
        db_path, "--user", "ann@example.org", "--set", "review-requested=off", "--set", "DEADLINE=off"
    )
    assert result.exit_code == 0 and "review requested  off" in result.stdout
    saved = stored(db_path, "ann@example.org")
    assert set(saved.kinds) == set(EVERY_KIND) - {"review requested", "deadline"}
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
    assert saved.channel == "none" and not any(saved.wants(kind) for kind in EVERY_KIND)
    prefs(db_path, "--user", "ann@example.org", "--set", "mention=email", "--each")
    saved = stored(db_path, "ann@example.org")
    assert (saved.channel, saved.kinds, saved.daily_digest) == ("email", ("mention",), False)


def test_turning_every_notice_on_stores_all_not_a_list(db_path):
    prefs(db_path, "--user", "ann@example.org", "--set", "mention=off")
    prefs(db_path, "--user", "ann@example.org", "--set", "mention=email")
    assert stored(db_path, "ann@example.org").kinds == ()


@pytest.mark.parametrize(
    "args, says",
    [
        (["--set", "mention"], "is not NOTICE=CHANNEL"),
        (["--set", "mention=pager"], "is not NOTICE=CHANNEL"),
        (["--set", "gossip=email"], "no notice is called 'gossip'"),
        (["--set", "mention=email", "--set", "deadline=slack"], "one channel carries"),
    ],
)
def test_bad_settings_are_one_line_and_change_nothing(db_path, args, says):
    prefs(db_path, "--user", "ann@example.org", "--set", "deadline=off")
    before = stored(db_path, "ann@example.org")
    result = prefs(db_path, "--user", "ann@example.org", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: ") and says in result.stderr and result.stderr.count("\n") == 1
    assert stored(db_path, "ann@example.org") == before


def test_without_user_or_as_it_asks_whose(db_path):
    result = prefs(db_path)
    assert result.exit_code == 2 and "--user" in result.stderr


@pytest.fixture
def hosted(db_path: Path, monkeypatch) -> Path:
    db = storage.connect(db_path)
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
