"""Every setting Debrief reads, in one frozen object built once at the edge (app.py, the CLI).

Only `Settings.load` looks at the process: the environment variables below and `--db` on the command
line (`streamlit run app.py -- --db PATH`). Everything else is handed the object, so two parts of the
app can never read a setting differently. A value that cannot be used raises SettingsError naming the
variable, before anything runs.

DEBRIEF_DB                 the database file (`--db` wins over it); unset: the user's data folder
DEBRIEF_HOLIDAYS_COUNTRY   whose public holidays business-day deadlines skip (ISO code, default US)
DEBRIEF_PUBLIC_DOMAINS     domains whose links stay in the public report (comma-separated)
DEBRIEF_PRESENCE_SECONDS   seconds between "who else has this open" heartbeats (default 15)
DEBRIEF_AUTH and the other sign-in variables: see postmortem/auth.py
DEBRIEF_SMTP_URL, DEBRIEF_SMTP_FROM, DEBRIEF_SMTP_CA_FILE, DEBRIEF_SLACK_WEBHOOK, DEBRIEF_TEAMS_WEBHOOK, DEBRIEF_WEBHOOK_URL,
DEBRIEF_BASE_URL           where notices go: see channels/settings.py
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import holidays
from pydantic import Field, PositiveFloat, PrivateAttr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

from postmortem import auth
from postmortem.errors import SettingsError


def _var(name: str, default: Any = "") -> Any:
    """A field read from the environment variable of exactly this name."""
    return Field(default, validation_alias=name)


class Settings(BaseSettings):
    """The settings of one app server or one command, read once."""

    model_config = SettingsConfigDict(frozen=True, case_sensitive=True, env_ignore_empty=True, extra="ignore")

    db: Path | None = _var("DEBRIEF_DB", None)
    holidays_country: str = _var("DEBRIEF_HOLIDAYS_COUNTRY", "US")
    public_domains: Annotated[tuple[str, ...], NoDecode] = _var("DEBRIEF_PUBLIC_DOMAINS", ())
    presence_seconds: PositiveFloat = _var("DEBRIEF_PRESENCE_SECONDS", 15.0)
    # Sign-in (parsed by postmortem.auth.settings into `auth`).
    auth_mode: str = _var("DEBRIEF_AUTH")
    proxy_header: str = _var("DEBRIEF_PROXY_HEADER")
    trusted_proxies: str = _var("DEBRIEF_TRUSTED_PROXIES")
    admins: str = _var("DEBRIEF_ADMINS")
    default_role: str = _var("DEBRIEF_DEFAULT_ROLE")
    proxy_secret: str = _var("DEBRIEF_PROXY_SECRET")
    proxy_secret_header: str = _var("DEBRIEF_PROXY_SECRET_HEADER")
    first_user_admin: str = _var("DEBRIEF_FIRST_USER_ADMIN")
    # Notices (parsed by channels.settings.from_settings: the channels build on the domain, not the reverse).
    smtp_url: str = _var("DEBRIEF_SMTP_URL")
    smtp_from: str = _var("DEBRIEF_SMTP_FROM")
    smtp_ca_file: str = _var("DEBRIEF_SMTP_CA_FILE")  # a private CA to trust besides the system's
    slack_webhook: str = _var("DEBRIEF_SLACK_WEBHOOK")
    teams_webhook: str = _var("DEBRIEF_TEAMS_WEBHOOK")
    webhook_url: str = _var("DEBRIEF_WEBHOOK_URL")
    base_url: str = _var("DEBRIEF_BASE_URL")

    _auth: auth.Settings = PrivateAttr(default_factory=auth.Settings)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, argv: Sequence[str] | None = None) -> Settings:
        """The settings from the environment and the command line (the process's own when not given)."""
        variables = os.environ if environ is None else environ
        arguments = sys.argv[1:] if argv is None else argv
        db = _db_option(arguments)
        try:
            return cls(**{**_Variables(cls, variables)(), **({"DEBRIEF_DB": db} if db else {})})
        except ValidationError as error:
            raise _first_problem(error) from None  # the message says all; pydantic's trace adds nothing

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, *_others, **_named):
        # Only what `load` hands over: a test's dict must not be mixed with the real environment.
        return (init_settings,)

    @field_validator("holidays_country", mode="after")
    @classmethod
    def _known_country(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in holidays.list_supported_countries():
            raise ValueError("not a country code the holidays calendar knows (e.g. US, GB, DE)")
        return code

    @field_validator("public_domains", mode="before")
    @classmethod
    def _domain_list(cls, value: Any) -> Any:
        if isinstance(value, str):  # "status.example.com, example.com"
            return tuple(d.strip().casefold().lstrip(".") for d in value.split(",") if d.strip())
        return value

    @field_validator("db", mode="after")
    @classmethod
    def _expand_home(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value else None

    @model_validator(mode="after")
    def _sign_in(self) -> Settings:
        self._auth = auth.settings(self.variables())  # its SettingsError names the variable
        return self

    @property
    def auth(self) -> auth.Settings:
        """How people sign in, parsed from the DEBRIEF_AUTH family of variables."""
        return self._auth

    def variables(self) -> dict[str, str]:
        """The raw text of every variable that was set, by its name (for parsers that take a mapping)."""
        return {
            field.validation_alias: str(getattr(self, name))
            for name, field in type(self).model_fields.items()
            if isinstance(getattr(self, name), str) and getattr(self, name)
        }


class _Variables(PydanticBaseSettingsSource):
    """The environment source over a given mapping; empty values count as unset."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        super().__init__(settings_cls)
        self.environ = environ

    def get_field_value(self, field, field_name: str) -> tuple[Any, str, bool]:
        value = self.environ.get(field.validation_alias) or None
        return value, field.validation_alias, False

    def __call__(self) -> dict[str, Any]:
        found = {}
        for name, field in self.settings_cls.model_fields.items():
            value, alias, _ = self.get_field_value(field, name)
            if value is not None and value.strip():
                found[alias] = value.strip()
        return found


def _db_option(argv: Sequence[str]) -> str | None:
    """`--db PATH` anywhere on the command line; other options belong to someone else (Streamlit, click)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(list(argv))
    return known.db


def _first_problem(error: ValidationError) -> SettingsError:
    problem = error.errors()[0]
    cause = (problem.get("ctx") or {}).get("error")
    if isinstance(cause, SettingsError):  # a parser's own error (e.g. sign-in) already names its variable
        return cause
    name = ".".join(str(part) for part in problem["loc"])
    return SettingsError(f"{name}={problem['input']!r}: {problem['msg'].removeprefix('Value error, ')}.")
