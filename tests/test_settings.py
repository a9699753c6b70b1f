"""postmortem.settings: every variable read once, into one frozen object; a bad value names itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from channels import settings as channels
from postmortem import auth
from postmortem.errors import DebriefError, SettingsError
from postmortem.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def test_defaults_with_nothing_set():
    s = Settings.load({}, [])
    assert (s.db, s.holidays_country, s.public_domains, s.presence_seconds) == (None, "US", (), 15.0)
    assert s.auth == auth.Settings()
    assert s.variables() == {"DEBRIEF_HOLIDAYS_COUNTRY": "US"}


def test_every_variable_is_read_by_its_own_name(tmp_path):
    s = Settings.load(
        {
            "DEBRIEF_DB": str(tmp_path / "team.db"),
            "DEBRIEF_HOLIDAYS_COUNTRY": " de ",
            "DEBRIEF_PUBLIC_DOMAINS": "status.example.com, .Example.ORG,",
            "DEBRIEF_PRESENCE_SECONDS": "2.5",
            "DEBRIEF_AUTH": "proxy",
            "DEBRIEF_PROXY_SECRET": "s" * 20,
            "DEBRIEF_ADMINS": "Lead@example.com",
            "DEBRIEF_SMTP_URL": "smtp://relay.example.com",
            "DEBRIEF_SLACK_WEBHOOK": "https://hooks.example.com/s",
            "DEBRIEF_BASE_URL": "https://debrief.example.com",
            "PATH": "/usr/bin",  # not ours: ignored
        },
        [],
    )
    assert s.db == tmp_path / "team.db"
    assert s.holidays_country == "DE"
    assert s.public_domains == ("status.example.com", "example.org")
    assert s.presence_seconds == 2.5
    assert (s.auth.mode, s.auth.admins, s.auth.proxy_secret) == (
        auth.AuthMode.PROXY,
        ("lead@example.com",),
        "s" * 20,
    )
    assert (s.smtp_url, s.slack_webhook, s.base_url) == (
        "smtp://relay.example.com",
        "https://hooks.example.com/s",
        "https://debrief.example.com",
    )
    assert "PATH" not in s.variables()


@pytest.mark.parametrize(
    "argv, environ, expected",
    [
        (["--db", "/srv/a.db"], {}, Path("/srv/a.db")),
        (["--server.port", "8501", "--db=/srv/b.db"], {"DEBRIEF_DB": "/srv/env.db"}, Path("/srv/b.db")),
        (["--server.port", "8501"], {"DEBRIEF_DB": "/srv/env.db"}, Path("/srv/env.db")),
        (["--db", "~/c.db"], {}, Path.home() / "c.db"),
        ([], {"DEBRIEF_DB": ""}, None),
    ],
)
def test_db_option_wins_over_the_variable(argv, environ, expected):
    assert Settings.load(environ, argv).db == expected


@pytest.mark.parametrize(
    "environ, says",
    [
        ({"DEBRIEF_HOLIDAYS_COUNTRY": "XX"}, "DEBRIEF_HOLIDAYS_COUNTRY='XX': not a country code"),
        ({"DEBRIEF_PRESENCE_SECONDS": "soon"}, "DEBRIEF_PRESENCE_SECONDS='soon'"),
        ({"DEBRIEF_PRESENCE_SECONDS": "0"}, "greater than 0"),
        ({"DEBRIEF_AUTH": "ldap"}, "DEBRIEF_AUTH='ldap' is not one of: none, oidc, proxy."),
        ({"DEBRIEF_DEFAULT_ROLE": "owner"}, "DEBRIEF_DEFAULT_ROLE='owner'"),
        ({"DEBRIEF_AUTH": "proxy", "DEBRIEF_FIRST_USER_ADMIN": "1"}, "refused in proxy mode"),
    ],
)
def test_a_bad_value_is_a_user_error_naming_the_variable(environ, says):
    with pytest.raises(SettingsError) as raised:
        Settings.load(environ, [])
    assert isinstance(raised.value, DebriefError) and isinstance(raised.value, ValueError)
    assert says in raised.value.message
    assert (
        raised.value.__cause__ is None and raised.value.__suppress_context__
    )  # no pydantic trace for a user


def test_a_sign_in_error_keeps_its_own_class():
    with pytest.raises(auth.SettingsError):
        Settings.load({"DEBRIEF_AUTH": "ldap"}, [])


def test_frozen():
    s = Settings.load({}, [])
    with pytest.raises(ValidationError):
        s.holidays_country = "GB"
    assert s == Settings.load({}, []) and s != Settings.load({"DEBRIEF_AUTH": "oidc"}, [])


def test_load_reads_the_process_only_when_not_handed_a_mapping(monkeypatch):
    monkeypatch.setenv("DEBRIEF_HOLIDAYS_COUNTRY", "GB")
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", "/srv/argv.db"])
    assert Settings.load().holidays_country == "GB" and Settings.load().db == Path("/srv/argv.db")
    assert Settings.load({}, []).holidays_country == "US" and Settings.load({}, []).db is None


def test_the_channels_read_their_variables_from_the_settings():
    s = Settings.load(
        {
            "DEBRIEF_SMTP_URL": "smtp+starttls://bot%40example.com:pw@mail.example.com",
            "DEBRIEF_TEAMS_WEBHOOK": "https://teams.example.com/hook",
            "DEBRIEF_BASE_URL": "https://debrief.example.com/",
            "DEBRIEF_HOLIDAYS_COUNTRY": "gb",
        },
        [],
    )
    got = channels.from_settings(s)
    assert (got.smtp.host, got.smtp.port, got.smtp.sender) == ("mail.example.com", 587, "bot@example.com")
    assert got.chat_channels == {"teams": "https://teams.example.com/hook"}
    assert (got.base_url, got.country) == ("https://debrief.example.com", "GB")
    with pytest.raises(channels.SettingsError, match="DEBRIEF_SLACK_WEBHOOK") as raised:
        channels.from_settings(Settings.load({"DEBRIEF_SLACK_WEBHOOK": "ftp://x"}, []))
    assert isinstance(raised.value, SettingsError)


def test_only_the_settings_module_reads_the_environment_or_the_command_line():
    """DESIGN.md: the app's and the library's modules are handed the settings (the CLI moves to cli/)."""
    folders = ["postmortem", "storage", "exports", "components", "pages", "channels"]
    found = subprocess.run(
        ["grep", "-rlE", r"os\.environ|getenv|sys\.argv", *folders, "app.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.split()
    allowed = {"postmortem/settings.py"}
    assert sorted(set(found) - allowed) == []
