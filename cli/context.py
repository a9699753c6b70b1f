"""What a command runs with: the settings read once from the environment, and the shared options
(--db, --as, --json) wherever on the line they were given.

The one module of cli/ that reads the environment, in one function: every command takes what it
needs from the Runtime object click passes down (ctx.obj).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from channels.settings import Settings as ChannelSettings
from channels.settings import SettingsError as ChannelSettingsError
from channels.settings import settings as channel_settings
from cli.errors import UserError
from postmortem import auth


def environment_once() -> Mapping[str, str]:
    """A read-only copy of the environment, taken once per command line run."""
    return MappingProxyType(dict(os.environ))


@dataclass(frozen=True)
class Settings:
    """The settings a command may need, parsed from one snapshot of the environment on demand
    (a setting only `notify` uses must not stop `list` when it is malformed)."""

    environ: Mapping[str, str] = field(default_factory=environment_once)

    def auth_mode(self) -> auth.AuthMode:
        try:
            return auth.settings(self.environ).mode
        except auth.SettingsError as exc:
            raise UserError(str(exc)) from exc

    def channels(self) -> ChannelSettings:
        try:
            return channel_settings(self.environ)
        except ChannelSettingsError as exc:
            raise UserError(str(exc)) from exc


@dataclass
class Runtime:
    """ctx.obj: the settings, and the shared options (the one nearest the command wins)."""

    settings: Settings = field(default_factory=Settings)
    db: Path | None = None
    as_user: str | None = None
    json: bool = False
