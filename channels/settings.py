"""The channels' configuration, parsed from the variables postmortem.settings read once. Pure: the
caller passes the Settings (or, in tests, a dict of variables)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from postmortem import errors
from postmortem.settings import Settings as AppSettings

DEFAULT_BASE_URL = "http://localhost:8501"


class SettingsError(errors.SettingsError):
    """A channel variable that cannot be used; the message names it."""


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str  # "starttls", "tls" or "none"
    username: str
    password: str
    sender: str
    ca_file: str = ""  # DEBRIEF_SMTP_CA_FILE: trust this CA (a private one) besides the system's


@dataclass(frozen=True)
class Settings:
    base_url: str = DEFAULT_BASE_URL
    smtp: Smtp | None = None
    slack: str = ""
    teams: str = ""
    webhook: str = ""
    country: str = "US"  # whose public holidays the deadlines skip, as on the app's pages

    @property
    def chat_channels(self) -> dict[str, str]:
        """The configured shared channels, by name, in a fixed order."""
        return {
            name: url
            for name, url in (("slack", self.slack), ("teams", self.teams), ("webhook", self.webhook))
            if url
        }


def from_settings(app: AppSettings) -> Settings:
    """The channels configured in the app's settings; SettingsError names a bad variable. The holiday
    country is the one the app validated and counts its deadlines in."""
    return replace(settings(app.variables()), country=app.holidays_country)


def settings(environ: Mapping[str, str]) -> Settings:
    """DEBRIEF_SMTP_URL (+ _FROM, _CA_FILE), DEBRIEF_SLACK_WEBHOOK, DEBRIEF_TEAMS_WEBHOOK, DEBRIEF_WEBHOOK_URL, DEBRIEF_BASE_URL."""
    hooks = {
        name: _http_url(environ, name)
        for name in ("DEBRIEF_SLACK_WEBHOOK", "DEBRIEF_TEAMS_WEBHOOK", "DEBRIEF_WEBHOOK_URL")
    }
    base = _http_url(environ, "DEBRIEF_BASE_URL") or DEFAULT_BASE_URL
    smtp_url = (environ.get("DEBRIEF_SMTP_URL") or "").strip()
    return Settings(
        base_url=base.rstrip("/"),
        smtp=(
            replace(
                smtp(smtp_url, environ.get("DEBRIEF_SMTP_FROM", "")),
                ca_file=(environ.get("DEBRIEF_SMTP_CA_FILE") or "").strip(),
            )
            if smtp_url
            else None
        ),
        slack=hooks["DEBRIEF_SLACK_WEBHOOK"],
        teams=hooks["DEBRIEF_TEAMS_WEBHOOK"],
        webhook=hooks["DEBRIEF_WEBHOOK_URL"],
        country=(environ.get("DEBRIEF_HOLIDAYS_COUNTRY") or "US").strip(),
    )


def _http_url(environ: Mapping[str, str], name: str) -> str:
    value = (environ.get(name) or "").strip()
    if value and urlsplit(value).scheme not in ("http", "https"):
        raise SettingsError(f"{name} must be an http:// or https:// address.")
    return value


SCHEMES = {"smtp": ("none", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}


def smtp(url: str, sender: str = "") -> Smtp:
    """smtp+starttls://user:password@host:587, smtps://… (TLS from the start) or smtp://… (plain, for a
    relay on the same host). The sender is DEBRIEF_SMTP_FROM, else the user name."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise SettingsError(
            "DEBRIEF_SMTP_URL must look like smtp+starttls://user:password@host:587 "
            "(or smtps://… for TLS, smtp://… for a local relay)."
        )
    security, port = SCHEMES[parts.scheme]
    user = unquote(parts.username or "")
    sender = sender.strip() or (user if "@" in user else f"debrief@{parts.hostname}")
    return Smtp(parts.hostname, parts.port or port, security, user, unquote(parts.password or ""), sender)
