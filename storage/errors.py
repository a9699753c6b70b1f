"""Storage exceptions, named for what went wrong. Each is a DebriefError (its message is for the user)
and keeps its older standard base, so `except LookupError` and the like still catch it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from postmortem.errors import DebriefError

if TYPE_CHECKING:
    from postmortem.models import PostMortem


class NotFoundError(DebriefError, LookupError):
    """No such post-mortem (or revision)."""


class DuplicateError(DebriefError, ValueError):
    """Another post-mortem already uses this incident ID."""


class ConflictError(DebriefError, RuntimeError):
    """The save was based on an older version than the stored one; nothing was written."""

    def __init__(self, doc_id: int, expected: int, actual: int, attempted: PostMortem):
        self.doc_id, self.expected, self.actual, self.attempted = doc_id, expected, actual, attempted
        super().__init__(
            f"Post-mortem {doc_id} was saved by someone else (now version {actual}, "
            f"you were editing version {expected}). Your changes were not written."
        )


class PermissionDenied(DebriefError, PermissionError):
    """The signed-in role may not do this; raised by storage, whatever page or command asked."""


class SchemaTooNewError(DebriefError, RuntimeError):
    """The database records migrations this Debrief does not know: a newer version wrote it."""


class MissingFolderError(DebriefError, FileNotFoundError):
    """The database's folder does not exist (a typo in --db, say): nothing is created."""


class NoActorError(RuntimeError):
    """A storage call on a connection bound to no user: a bug in the caller (not a DebriefError, so it
    keeps its traceback), never a reason to act as the admin."""
