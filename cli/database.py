"""Opening the chosen database as the acting user, and finding one post-mortem in it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import storage
from cli.context import Runtime
from cli.errors import UserError
from postmortem import auth
from storage import access, users
from storage.access import LOCAL, Actor


def db_path(rt: Runtime) -> Path:
    return rt.db_path or storage.default_path()


@contextlib.contextmanager
def opened(rt: Runtime) -> Iterator[storage.Database]:
    """A connection to the chosen database acting for the command's user, closed afterwards."""
    path = db_path(rt)
    db = _connect(path, actor=acting_user(rt, path))
    try:
        yield db
    finally:
        db.close()


def _connect(path: Path, actor: Actor) -> storage.Database:
    try:
        return storage.connect(path, actor=actor)
    except storage.MissingFolderError:
        raise  # its own message says what to do
    except OSError as exc:
        raise UserError(f"cannot open the database {path}: {exc.strerror or exc}") from exc


def acting_user(rt: Runtime, path: Path) -> Actor:
    """Who the command acts for: the local admin without sign-in, else the user named by --as,
    looked up in the users table of the database itself."""
    mode = rt.settings.auth.mode
    if not rt.as_user:
        if mode is auth.AuthMode.NONE:
            return LOCAL
        raise UserError(f"sign-in is on (DEBRIEF_AUTH={mode}): say who you are with --as IDENTITY")
    # The lookup reads the users table only, as the app's sign-in does, before anyone is known.
    lookup = _connect(path, actor=LOCAL)
    try:
        return users.actor_for(db=lookup, identity=rt.as_user)
    finally:
        lookup.close()


def actor_without_db(rt: Runtime) -> Actor:
    """Who acts when there is no readable database to look them up in: only the no-sign-in local
    admin keeps its role; anyone else counts as a viewer."""
    if rt.settings.auth.mode is auth.AuthMode.NONE:
        return LOCAL
    return Actor(rt.as_user or "?", access.Role.VIEWER)


def find(db: storage.Database, key: str) -> storage.Stored:
    """A post-mortem by number or incident ID; one in the bin is reported as such."""
    stored = storage.find(db=db, key=key, include_deleted=True)
    if stored.deleted_at:
        raise UserError(f"{stored.doc.header.incident_id} is in the bin; 'restore {key}' brings it back.")
    return stored
