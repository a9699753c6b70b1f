"""Who is asking, and what they may see and change. Every storage call that reads or writes a
document asks this module, so a role is enforced however the call was reached (page, CLI, script).

The actor travels with the connection: `bind(db, actor)` once where the connection is opened, then
every storage function reads it with `actor_of(db)`. `storage.connect` binds it, and requires it: a
connection nobody bound is a bug, not the admin (the single-user mode says `LOCAL` where it connects).

Issue 7 fills in the role rules; the interface below is what the other storage modules call.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlite_utils import Database

from storage.errors import NoActorError, PermissionDenied


class Role(StrEnum):
    VIEWER = "viewer"
    AUTHOR = "author"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class Permission(StrEnum):
    VIEW = "view"  # read the document (restricted ones need more than a viewer)
    EDIT = "edit"  # change its content
    SIGN_OFF = "sign-off"  # move it through review, sign as incident commander
    SEE_NAMES = "see-names"  # contacts table, regulator export
    ADMIN = "admin"  # users, roles, backups, the whole audit trail


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
    """The user this connection acts for; NoActorError if it was opened without `storage.connect`."""
    try:
        return getattr(db, _ATTR)
    except AttributeError:
        raise NoActorError(
            "This database connection acts for nobody: open it with storage.connect(path, actor=...)."
        ) from None


RANK = {Role.VIEWER: 0, Role.AUTHOR: 1, Role.REVIEWER: 2, Role.ADMIN: 3}


def at_least(actor: Actor, role: Role) -> bool:
    return RANK[actor.role] >= RANK[role]


@dataclass(frozen=True)
class _DocAccess:
    owner: bool
    shared: bool
    restricted: bool


def _doc_access(db: Database, actor: Actor, doc_id: int) -> _DocAccess | None:
    row = db.execute(
        "select coalesce(created_by, '') = ?, exists(select 1 from shares where doc_id = documents.id and "
        "identity = ?), coalesce(restricted, 0) from documents where id = ?",
        [actor.identity, actor.identity, doc_id],
    ).fetchone()
    return _DocAccess(bool(row[0]), bool(row[1]), bool(row[2])) if row else None


def _may(actor: Actor, permission: Permission, doc: _DocAccess | None) -> bool:
    """The role rules. Without a document: may the actor do this to some document (e.g. create one)?"""
    if actor.role is Role.ADMIN:
        return True
    if permission is Permission.ADMIN:
        return False
    sees_all = actor.role is Role.REVIEWER
    visible = doc is None or sees_all or not doc.restricted or doc.owner or doc.shared
    if permission is Permission.VIEW:
        return visible
    if permission is Permission.EDIT:
        return at_least(actor, Role.AUTHOR) and (doc is None or doc.owner or doc.shared)
    if permission is Permission.SIGN_OFF:
        return sees_all and visible
    if permission is Permission.SEE_NAMES:
        return sees_all or (doc is not None and doc.owner and at_least(actor, Role.AUTHOR))
    return False


def allowed(db: Database, permission: Permission, doc_id: int | None = None) -> bool:
    """May the connection's actor do this (to this document)? A document that does not exist is
    answered as if it did, so callers still raise NotFoundError for it."""
    actor = actor_of(db)
    if actor.role is Role.ADMIN:
        return True
    doc = _doc_access(db, actor, doc_id) if doc_id is not None else None
    if doc_id is not None and doc is None:
        return True
    return _may(actor, permission, doc)


def allowed_for(db: Database, actor: Actor, permission: Permission, doc_id: int) -> bool:
    """`allowed`, asked for someone other than the connection's actor (whom a notice would reach)."""
    return actor.role is Role.ADMIN or _may(actor, permission, _doc_access(db, actor, doc_id))


_REFUSED = {
    Permission.VIEW: "read this post-mortem",
    Permission.EDIT: "change this post-mortem",
    Permission.SIGN_OFF: "sign off or move this post-mortem through review",
    Permission.SEE_NAMES: "see the names in this post-mortem",
    Permission.ADMIN: "manage users, roles and access",
}


def require(db: Database, permission: Permission, doc_id: int | None = None) -> None:
    """Raise PermissionDenied unless `allowed`."""
    if not allowed(db, permission, doc_id):
        actor = actor_of(db)
        what = (
            "start post-mortems" if permission is Permission.EDIT and doc_id is None else _REFUSED[permission]
        )
        raise PermissionDenied(f"{actor.identity} ({actor.role.value}) may not {what}.")


def visible_sql(db: Database, id_column: str = "documents.id") -> tuple[str, list]:
    """A SQL condition (and its parameters) true for the documents the actor may see, for the
    archive, tracker and dashboard queries to AND into their WHERE clause."""
    actor = actor_of(db)
    if actor.role in (Role.ADMIN, Role.REVIEWER):
        return "1", []
    # Restricted documents are few: excluding the hidden ones uses the partial index on `restricted`.
    hidden = (
        "select id from documents where restricted = 1 and coalesce(created_by, '') != ? "
        "and id not in (select doc_id from shares where identity = ?)"
    )
    return f"{id_column} not in ({hidden})", [actor.identity, actor.identity]


# Moving a document into or out of the signed states is the incident commander's (reviewer's) call.
SIGNED = ("final", "published")


def permission_for_status(old: str, new: str) -> Permission:
    """Into or out of final and published: the reviewer's sign-off; an author sends a draft for review
    or takes it back."""
    return Permission.SIGN_OFF if old in SIGNED or new in SIGNED else Permission.EDIT


def who(db: Database, by: str | None) -> str:
    """The name a change is recorded under: the signed-in identity; the caller's `by` only for the
    local user of the single-user mode (scripts may name themselves there)."""
    actor = actor_of(db)
    return (by or actor.identity) if actor == LOCAL else actor.identity
