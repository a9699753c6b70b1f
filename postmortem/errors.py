"""The one base of every error Debrief raises on purpose.

Its message is written for the person using the app or the command line; the CLI and the app each
translate a DebriefError into what they show in exactly one place. Anything that is not a DebriefError
is a bug and keeps its traceback.
"""

from __future__ import annotations


class DebriefError(Exception):
    """An error with a message meant for the user (not a traceback)."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__
