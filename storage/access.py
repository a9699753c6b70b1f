"""Who is asking, and what they may see and change. Every storage call that reads or writes a
document asks this module, so a role is enforced however the call was reached (page, CLI, script).

The actor travels with the connection: `bind(db, actor)` once where the connection is opened, then
every storage function reads it with `actor_of(db)`. A connection nobody bound is the local user of
the single-user mode (no sign-in), who may do everything.

Issue 7 fills in the role rules; the interface below is what the other storage modules call.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlite_utils import Database

from storage.errors import PermissionDenied


class Role(StrEnum):
    VIEWER = "viewer"
    AUTHOR = "author"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class Permission(StrEnum):
    VIEW = "view"            # read the document (restricted ones need more than a viewer)
    EDIT = "edit"            # change its content
    SIGN_OFF = "sign-off"    # move it through review, sign as incident commander
    SEE_NAMES = "see-names"  # contacts table, regulator export
    ADMIN = "admin"          # users, roles, backups, the whole audit trail


@dataclass(frozen=True)
class Actor:
    identity: str  # the stable key: an e-mail in hosted modes, "local" without sign-in
    role: Role
    name: str = ""


LOCAL = Actor("local", Role.ADMIN, "Local user")
_ATTR = "_debrief_actor"


def bind(db: Database, actor: Actor) -> Database:
    """Make `actor` the one every storage call on this connection acts for."""
    setattr(db, _ATTR, actor)
    return db


def actor_of(db: Database) -> Actor:
    return getattr(db, _ATTR, LOCAL)


def allowed(db: Database, permission: Permission, doc_id: int | None = None) -> bool:
    """May the connection's actor do this (to this document)?"""
    return True


def require(db: Database, permission: Permission, doc_id: int | None = None) -> None:
    """Raise PermissionDenied unless `allowed`."""
    if not allowed(db, permission, doc_id):
        actor = actor_of(db)
        raise PermissionDenied(f"{actor.identity} ({actor.role.value}) may not {permission.value} this.")


def visible_sql(db: Database, id_column: str = "documents.id") -> tuple[str, list]:
    """A SQL condition (and its parameters) true for the documents the actor may see, for the
    archive, tracker and dashboard queries to AND into their WHERE clause."""
    return "1", []
