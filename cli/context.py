"""What a command runs with: the settings read once, and the shared options (--db, --as, --json)
wherever on the line they were given.

The one module of cli/ that reaches the process's environment, in one function (`load_settings`);
every command takes what it needs from the Runtime object click passes down (ctx.obj).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from postmortem.settings import Settings


def load_settings() -> Settings:
    """Debrief's settings from the environment. The command line's own --db is click's (Runtime.db),
    so the argument list is not searched for one here."""
    return Settings.load(argv=())


@dataclass
class Runtime:
    """ctx.obj: the shared options (the one nearest the command wins) and the settings, built once,
    when the group starts the command (or on first use by a command run on its own)."""

    db: Path | None = None
    as_user: str | None = None
    json: bool = False
    _settings: Settings | None = None

    def load(self) -> Settings:
        """The settings, read on the first call only."""
        if self._settings is None:
            self._settings = load_settings()
        return self._settings

    @property
    def settings(self) -> Settings:
        return self.load()

    @property
    def db_path(self) -> Path | None:
        """--db, else $DEBRIEF_DB; None: storage's default place."""
        return self.db or self.settings.db
